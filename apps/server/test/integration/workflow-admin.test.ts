import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService } from '../../src/modules/calendar/index.ts';
import { sweepDeadlines } from '../../src/modules/dossier/index.ts';
import { buildProcedure, type BuiltProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';

let t: TestApp;
let proc: BuiltProcedure;
let admin: Client;
let citizen: Client;
beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
  admin = await official('agency_admin');
  citizen = await signInCitizen(t.app);
});
afterAll(() => t.close());

/** One session per role for the file: a TOTP code works once. */
const sessions = new Map<string, Promise<Client>>();
const official = (role: Parameters<typeof signInOfficial>[1]) => {
  if (!sessions.has(role)) sessions.set(role, signInOfficial(t.app, role));
  return sessions.get(role)!;
};

const steps = (shares: number[]) => shares.map((s, i) => ({
  key: `s${i}`, name: { vi: `Bước ${i + 1}`, en: `Step ${i + 1}` }, agencyId: null,
  role: i === shares.length - 1 ? 'agency_leader' : 'specialist', sharePercent: s,
}));

describe('internal process administration', () => {
  it('is validated, versioned, and a dossier keeps the version it started with', async () => {
    const v1 = safeJson((await admin.get(`/api/v1/admin/procedures/${proc.id}/process`)).body);
    expect(v1.version).toBe(1);
    expect(v1.steps.map((s: { key: string }) => s.key)).toEqual(['reception', 'review', 'check', 'approve']);
    const first = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Một' }, submit: true })).body);

    const bad = await admin.req('PUT', `/api/v1/admin/procedures/${proc.id}/process`, { steps: steps([50, 30]) });
    expect(bad.statusCode).toBe(400);
    const badReturn = await admin.req('PUT', `/api/v1/admin/procedures/${proc.id}/process`, { steps: [{ ...steps([40, 60])[0], returnTo: ['s1'] }, steps([40, 60])[1]] });
    expect(badReturn.statusCode).toBe(400);
    const ok = await admin.req('PUT', `/api/v1/admin/procedures/${proc.id}/process`, { steps: steps([40, 60]) });
    expect(ok.statusCode).toBe(200);
    expect(safeJson(ok.body).version).toBe(2);

    const second = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Hai' }, submit: true })).body);
    const desk = await official('reception_officer');
    const a = safeJson((await desk.post(`/api/v1/dossiers/${first.id}/actions`, { type: 'receive' })).body);
    const b = safeJson((await desk.post(`/api/v1/dossiers/${second.id}/actions`, { type: 'receive' })).body);
    expect(a.step.key).toBe('reception');
    expect(b.step.key).toBe('s0');
  });

  it('is for procedure administrators of the agency only', async () => {
    const specialist = await official('specialist');
    expect((await specialist.req('PUT', `/api/v1/admin/procedures/${proc.id}/process`, { steps: steps([40, 60]) })).statusCode).toBe(403);
    expect((await citizen.get(`/api/v1/admin/procedures/${proc.id}/process`)).statusCode).toBe(403);
  });
});

describe('deadline sweep', () => {
  it('flags overdue and due-soon dossiers and puts them first in the queues', async () => {
    const desk = await official('reception_officer');
    const ids: string[] = [];
    for (const name of ['Xa', 'Gần', 'Quá hạn']) {
      const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: name }, submit: true })).body);
      await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'receive' });
      ids.push(d.id);
    }
    await sql`UPDATE dossiers SET due_at = now() + interval '60 days' WHERE id = ${ids[0]}`.execute(t.ownerDb);
    await sql`UPDATE dossiers SET due_at = now() + interval '1 minute' WHERE id = ${ids[1]}`.execute(t.ownerDb);
    await sql`UPDATE dossiers SET due_at = now() - interval '1 day' WHERE id = ${ids[2]}`.execute(t.ownerDb);
    const changed = await sweepDeadlines(t.db, new CalendarService(t.db, t.config));
    expect(changed).toBeGreaterThanOrEqual(2);
    const flags = await t.db.selectFrom('dossiers').select(['id', 'urgency']).where('id', 'in', ids).execute();
    const byId = Object.fromEntries(flags.map((f) => [f.id, f.urgency]));
    expect([byId[ids[0]!], byId[ids[1]!], byId[ids[2]!]]).toEqual([null, 'due_soon', 'overdue']);
    const queue = safeJson((await desk.get('/api/v1/staff/queues/all')).body).items.map((x: { id: string }) => x.id);
    expect(queue.indexOf(ids[2])).toBeLessThan(queue.indexOf(ids[1]));
    expect(queue.indexOf(ids[1])).toBeLessThan(queue.indexOf(ids[0]));
    const overdue = safeJson((await desk.get('/api/v1/staff/queues/overdue')).body).items;
    expect(overdue.map((x: { id: string }) => x.id)).toEqual([ids[2]]);
    expect(overdue[0].overdue).toBe(true);
    expect(await sweepDeadlines(t.db, new CalendarService(t.db, t.config))).toBe(0);
  });
});

describe('assignment', () => {
  it('a division head lists the officials who may take the step (its role first) and assigns only to them', async () => {
    const [desk, head, specialist] = [await official('reception_officer'), await official('division_head'), await official('specialist')];
    const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Giao việc' }, submit: true })).body);
    // (The first test changed this procedure's process: after reception the specialist's step comes.)
    const at = safeJson((await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'receive' })).body);
    const stepRole = at.step.role as string;
    const list = await head.get(`/api/v1/dossiers/${d.id}/assignees`);
    expect(list.statusCode, list.body).toBe(200);
    const items = safeJson(list.body).items as { id: string; fullName: string; roles: string[]; fitsStep: boolean }[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items[0]!.fitsStep).toBe(true);
    expect(items.filter((o) => o.fitsStep).every((o) => o.roles.includes(stepRole))).toBe(true);
    const ids = await t.db.selectFrom('users as u').innerJoin('officialRoles as r', 'r.userId', 'u.id').select(['u.id', 'r.role']).execute();
    const idOf = (role: string) => ids.find((x) => x.role === role)!.id;
    expect(items.map((o) => o.id)).toContain(idOf('specialist'));
    expect(items.map((o) => o.id)).not.toContain(idOf('reception_officer'));
    // The desk officer has no processing role: refused with the field named.
    const wrong = await head.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'assign', assigneeId: idOf('reception_officer') });
    expect(wrong.statusCode).toBe(400);
    expect(safeJson(wrong.body).error.fields[0].path).toBe('body.assigneeId');
    const ok = await head.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'assign', assigneeId: idOf('specialist') });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(safeJson(ok.body).assigneeId).toBe(idOf('specialist'));
    // Only heads and leaders of the step assign.
    expect((await specialist.get(`/api/v1/dossiers/${d.id}/assignees`)).statusCode).toBe(403);
    expect((await citizen.get(`/api/v1/dossiers/${d.id}/assignees`)).statusCode).toBe(403);
  });

  it('officials are told which earlier steps the dossier may be returned to, from its own process version; the applicant is not', async () => {
    const proc2 = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
    const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc2.id, formData: { businessName: 'Trả lại' }, submit: true })).body);
    const desk = await official('reception_officer');
    await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'receive' });
    await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'forward' });
    const specialist = await official('specialist');
    await specialist.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'claim' });
    await specialist.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'forward' });
    const head = await official('division_head');
    await head.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'forward' });
    // At the default process's approval step, which may return to review and check (not reception).
    const leader = await official('agency_leader');
    const seen = safeJson((await leader.get(`/api/v1/dossiers/${d.id}`)).body);
    expect(seen.step.key).toBe('approve');
    expect(seen.returnSteps.map((s: { key: string }) => s.key)).toEqual(['review', 'check']);
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${d.id}`)).body).returnSteps).toBeUndefined();
    const back = await leader.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'return_step', toStep: seen.returnSteps[1].key, comment: 'Kiểm tra lại số liệu.' });
    expect(back.statusCode, back.body).toBe(200);
    expect(safeJson(back.body).step.key).toBe('check');
  });
});
