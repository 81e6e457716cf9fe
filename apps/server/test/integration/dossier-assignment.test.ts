import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICIALS } from '../../src/seed/demo-accounts.ts';
import { buildProcedure, type BuiltProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';

/*
 * A division head hands a dossier at the specialists' step to a specialist: the dossier names who
 * holds it (for officials), and the specialist's queue narrowed to `mine` lists it.
 */

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;
let specialist: Client;
let head: Client;

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
  specialist = await signInOfficial(t.app, 'specialist');
  head = await signInOfficial(t.app, 'division_head');
});
afterAll(() => t.close());

const ids = (res: { body: string }) => safeJson(res.body).items.map((d: { id: string }) => d.id);

async function atSpecialistStep(): Promise<string> {
  const res = await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Xưởng gỗ Phú Yên' }, submit: true }, { 'idempotency-key': `assign-${Math.random()}` });
  expect(res.statusCode, res.body).toBe(201);
  const id = safeJson(res.body).id;
  for (const type of ['receive', 'forward']) expect((await desk.post(`/api/v1/dossiers/${id}/actions`, { type })).statusCode).toBe(200);
  return id;
}

describe('assigning a dossier', () => {
  it('the head assigns it; officials see who holds it; the specialist\'s own queue lists it', async () => {
    const id = await atSpecialistStep();
    const target = DEMO_OFFICIALS.find((o) => o.role === 'specialist')!;
    const offered = safeJson((await head.get(`/api/v1/dossiers/${id}/assignees`)).body).items;
    const choice = offered.find((o: { fullName: string }) => o.fullName === target.fullName);
    expect(choice).toMatchObject({ fitsStep: true, roles: ['specialist'] });
    expect(safeJson((await head.get(`/api/v1/dossiers/${id}`)).body).assignee).toBeNull();
    expect(ids(await specialist.get('/api/v1/staff/queues/in_progress?mine=true'))).not.toContain(id);

    const assigned = await head.post(`/api/v1/dossiers/${id}/actions`, { type: 'assign', assigneeId: choice.id });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(safeJson(assigned.body).assignee).toEqual({ id: choice.id, fullName: target.fullName });

    const mine = await specialist.get('/api/v1/staff/queues/in_progress?mine=true');
    expect(mine.statusCode).toBe(200);
    expect(ids(mine)).toContain(id);
    expect(safeJson(mine.body).items.every((d: { assigneeId: string }) => d.assigneeId === choice.id)).toBe(true);
    expect(ids(await specialist.get('/api/v1/staff/queues/in_progress?mine=false'))).toContain(id);
    expect(ids(await head.get('/api/v1/staff/queues/in_progress?mine=true'))).not.toContain(id);
    expect((await specialist.get('/api/v1/staff/queues/in_progress?mine=yes')).statusCode).toBe(400);

    // The applicant's view does not name the official.
    const own = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body);
    expect(own.assignee).toBeUndefined();
    expect(safeJson((await citizen.get('/api/v1/me/dossiers')).body).items.find((d: { id: string }) => d.id === id).procedureId).toBe(proc.id);
  });
});
