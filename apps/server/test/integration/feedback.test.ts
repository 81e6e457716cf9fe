import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CalendarService } from '../../src/modules/calendar/index.ts';
import { feedbackIndexFacts } from '../../src/modules/feedback/index.ts';
import { refreshReportFacts } from '../../src/modules/reports/index.ts';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { buildProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';
import { submittedDossier } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let other: Client;
let desk: Client;
let specialist: Client;
let head: Client;
let leader: Client;
let support: Client;
let agencyAdmin: Client;
let provinceAdmin: Client;
let auditor: Client;
let skhcn = '';
let stp = '';
let dossierId = '';

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signInCitizen(t.app);
  other = (await signUpCitizen(t.app)).client;
  desk = await signInOfficial(t.app, 'reception_officer');
  specialist = await signInOfficial(t.app, 'specialist');
  head = await signInOfficial(t.app, 'division_head');
  leader = await signInOfficial(t.app, 'agency_leader');
  support = await signInOfficial(t.app, 'support_agent');
  agencyAdmin = await signInOfficial(t.app, 'agency_admin');
  provinceAdmin = await signInOfficial(t.app, 'province_admin');
  auditor = await signInOfficial(t.app, 'auditor');
  const agencies = safeJson((await new Client(t.app).get('/api/v1/agencies?limit=500')).body).items as { id: string; code: string; shortName: string }[];
  skhcn = agencies.find((a) => a.code === '000.00.12.H56')!.id;
  stp = agencies.find((a) => a.shortName === 'STP')!.id;
  const proc = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
  dossierId = await submittedDossier(citizen, proc.id);
});
afterAll(() => t.close());

const complaint = (x: Record<string, unknown> = {}) => ({
  kind: 'complaint', topic: 'agency', agencyId: skhcn, subject: 'Cán bộ hẹn trả chậm', content: 'Tôi được hẹn trả kết quả nhưng đến nay chưa nhận được.', ...x,
});
async function file(c: Client = citizen, body: Record<string, unknown> = complaint()): Promise<{ id: string; lastSeq: number; code: string; rejectDueAt: string }> {
  const res = await c.post('/api/v1/feedback', body);
  expect(res.statusCode, res.body).toBe(201);
  return safeJson(res.body);
}
const act = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/staff/feedback/${id}/actions`, body);
const auditActions = async (objectId: string) =>
  (await t.db.selectFrom('auditLog').select('action').where('objectId', '=', objectId).orderBy('seq').execute()).map((r) => r.action);

describe('filing', () => {
  it('a citizen files a complaint about their dossier: a code, deadlines, the agency that received it, one audit row; a retry with the same key files once', async () => {
    const body = complaint({ topic: 'dossier', dossierId, agencyId: undefined });
    const key = `feedback-${Math.random()}`;
    const before = Number((await t.db.selectFrom('feedbackItems').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const results = await Promise.all(Array.from({ length: 4 }, () => citizen.post('/api/v1/feedback', body, { 'idempotency-key': key })));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const ids = new Set(results.map((r) => safeJson(r.body).id));
    expect(ids.size).toBe(1);
    const after = Number((await t.db.selectFrom('feedbackItems').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before + 1);
    const item = safeJson(results[0]!.body);
    expect(item).toMatchObject({
      kind: 'complaint', topic: 'dossier', channel: 'online', status: 'received', dossier: { id: dossierId },
      agency: { id: skhcn }, sender: { name: DEMO_CITIZEN.fullName, phone: DEMO_CITIZEN.phone }, allowedActions: [], lastSeq: 1,
    });
    expect(item.code).toMatch(/^PAKN-\d{6}-\d{4}$/);
    expect(item.procedure).not.toBeNull();
    expect(new Date(item.rejectDueAt) < new Date(item.infoDueAt) && new Date(item.infoDueAt) < new Date(item.answerDueAt)).toBe(true);
    expect(item.events.map((e: { type: string }) => e.type)).toEqual(['received']);
    expect(await auditActions(item.id)).toEqual(['feedback.received']);
    const reused = await citizen.post('/api/v1/feedback', { ...body, subject: 'Một tiêu đề khác hẳn' }, { 'idempotency-key': key });
    expect(reused.statusCode).toBe(422);
    expect(safeJson(reused.body).error.code).toBe('idempotency_key_reused');
  });

  it('codes are unique and follow each other within a day', async () => {
    const codes = await Promise.all(Array.from({ length: 5 }, () => file().then((x) => x.code)));
    expect(new Set(codes).size).toBe(5);
    const seqs = codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b);
    expect(seqs[4]! - seqs[0]!).toBe(4);
  });

  it('validation errors name each field, in Vietnamese and English', async () => {
    const res = await citizen.post('/api/v1/feedback', { kind: 'rumour', subject: 'x' });
    expect(res.statusCode).toBe(400);
    const err = safeJson(res.body).error;
    expect(err.code).toBe('validation_failed');
    expect(err.message.vi).not.toBe(err.message.en);
    const paths = err.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.kind', 'body.topic', 'body.subject', 'body.content']));
    for (const f of err.fields) expect(f.message.vi && f.message.en && f.message.vi !== f.message.en).toBeTruthy();
    const unknown = await citizen.post('/api/v1/feedback', complaint({ extra: 1 }));
    expect(unknown.statusCode).toBe(400);
  });

  it('what an item links to is checked: my own submitted dossier, a published procedure, an existing agency', async () => {
    const field = async (body: Record<string, unknown>, c: Client = citizen) => {
      const res = await c.post('/api/v1/feedback', body);
      expect(res.statusCode, res.body).toBe(400);
      return safeJson(res.body).error.fields.map((f: { path: string }) => f.path);
    };
    expect(await field(complaint({ topic: 'dossier', agencyId: undefined }))).toEqual(['body.dossierId']);
    // Someone else's dossier looks like a missing one.
    expect(await field(complaint({ topic: 'dossier', dossierId, agencyId: undefined }), other)).toEqual(['body.dossierId']);
    expect(await field(complaint({ dossierId }))).toEqual(['body.dossierId']);
    expect(await field(complaint({ topic: 'procedure', procedureId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['body.procedureId']);
    expect(await field(complaint({ agencyId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['body.agencyId']);
    expect(await field(complaint({ agencyId: undefined }))).toEqual(['body.agencyId']);
    // General feedback without an agency goes to the province.
    const general = await file(citizen, complaint({ kind: 'feedback', topic: 'general', agencyId: undefined }));
    expect(safeJson((await citizen.get(`/api/v1/feedback/${general.id}`)).body).agency.name).toMatch(/Ủy ban nhân dân tỉnh/);
  });

  it('only a signed-in citizen files online', async () => {
    expect((await new Client(t.app).post('/api/v1/feedback', complaint())).statusCode).toBe(401);
    expect((await desk.post('/api/v1/feedback', complaint())).statusCode).toBe(403);
  });
});

describe('deadlines in working days', () => {
  it('counts 2, 5 and 15 working days from receipt across the 30 April – 1 May holidays and a weekend', async () => {
    // Tuesday 28 April 2026 09:00 +07: Thursday 30/4 and Friday 1/5 are holidays, then a weekend.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-04-28T02:00:00Z') });
    let item;
    try {
      item = await file();
    } finally {
      vi.useRealTimers();
    }
    expect(item).toMatchObject({
      receivedAt: '2026-04-28T02:00:00.000Z',
      rejectDueAt: '2026-05-04T10:00:00.000Z', // Monday 4 May 17:00
      infoDueAt: '2026-05-07T10:00:00.000Z', // Thursday 7 May 17:00
      answerDueAt: '2026-05-21T10:00:00.000Z', // Thursday 21 May 17:00
    });
    // Long past its answer deadline now: overdue and late.
    const now = safeJson((await desk.get(`/api/v1/feedback/${item.id}`)).body);
    expect(now).toMatchObject({ overdue: true, timeliness: 'late' });
  });

  it('filed on a Saturday counts from Monday', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-05-02T03:00:00Z') });
    let item;
    try {
      item = await file();
    } finally {
      vi.useRealTimers();
    }
    expect(item.rejectDueAt).toBe('2026-05-06T10:00:00.000Z'); // Wednesday 6 May 17:00
  });
});

describe('handling', () => {
  it('who may see an item: its author and the officials of its agency (reads audited)', async () => {
    const { id } = await file();
    expect((await citizen.get(`/api/v1/feedback/${id}`)).statusCode).toBe(200);
    for (const c of [other, agencyAdmin, provinceAdmin, auditor]) expect((await c.get(`/api/v1/feedback/${id}`)).statusCode).toBe(404);
    expect((await new Client(t.app).get(`/api/v1/feedback/${id}`)).statusCode).toBe(401);
    expect((await citizen.get('/api/v1/feedback/not-a-uuid')).statusCode).toBe(404);
    for (const c of [desk, specialist, head, leader, support]) expect((await c.get(`/api/v1/feedback/${id}`)).statusCode).toBe(200);
    expect((await auditActions(id)).filter((a) => a === 'feedback.viewed')).toHaveLength(5);
    // Officials see what they may do; heads may also publish later.
    expect(safeJson((await specialist.get(`/api/v1/feedback/${id}`)).body).allowedActions).toEqual(['accept', 'request_info', 'reject', 'answer']);
  });

  it('accept, ask for information, supply it, answer, publish: each by whom it may, with the sender told', async () => {
    const { id } = await file();
    expect((await act(desk, id, { type: 'publish' })).statusCode).toBe(403);
    let res = await act(specialist, id, { type: 'accept', expectedSeq: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(safeJson(res.body)).toMatchObject({ status: 'accepted', lastSeq: 2 });

    res = await act(desk, id, { type: 'request_info' });
    expect(res.statusCode).toBe(400);
    expect(safeJson(res.body).error.fields[0].path).toBe('body.text');
    res = await act(desk, id, { type: 'request_info', text: 'Xin cho biết ngày hẹn trả ghi trên phiếu.' });
    expect(res.statusCode, res.body).toBe(200);
    const waiting = safeJson(res.body);
    expect(waiting).toMatchObject({ status: 'info_requested', dueAt: null, allowedActions: ['answer'] });
    expect(waiting.pausedSince).not.toBeNull();

    // Only the author supplies, only while asked.
    expect((await other.post(`/api/v1/feedback/${id}/info`, { text: 'Tôi không liên quan' })).statusCode).toBe(404);
    expect((await desk.post(`/api/v1/feedback/${id}/info`, { text: 'Cán bộ điền hộ' })).statusCode).toBe(404);
    res = await citizen.post(`/api/v1/feedback/${id}/info`, { text: 'Phiếu hẹn ngày 10/11.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(safeJson(res.body)).toMatchObject({ status: 'accepted', pausedSince: null });
    expect((await citizen.post(`/api/v1/feedback/${id}/info`, { text: 'Lần nữa' })).statusCode).toBe(409);

    expect((await act(head, id, { type: 'publish' })).statusCode).toBe(409);
    expect((await act(support, id, { type: 'answer', text: 'ngắn' })).statusCode).toBe(400);
    res = await act(support, id, { type: 'answer', text: 'Sở đã kiểm tra và trả kết quả cho ông/bà ngày 12/11. Xin lỗi vì sự chậm trễ.' });
    expect(res.statusCode, res.body).toBe(200);
    const answered = safeJson(res.body);
    expect(answered).toMatchObject({ status: 'answered', allowedActions: [] });
    expect(answered.publishDueAt).not.toBeNull();
    expect(safeJson((await head.get(`/api/v1/feedback/${id}`)).body).allowedActions).toEqual(['publish']);
    expect((await act(specialist, id, { type: 'reject', text: 'Không thuộc thẩm quyền' })).statusCode).toBe(409);
    expect((await act(specialist, id, { type: 'publish' })).statusCode).toBe(403);

    res = await act(head, id, { type: 'publish', publicContent: 'Công dân phản ánh về việc trả kết quả chậm.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(safeJson(res.body)).toMatchObject({ status: 'published', timeliness: 'on_time', publicContent: 'Công dân phản ánh về việc trả kết quả chậm.' });
    expect((await act(leader, id, { type: 'publish' })).statusCode).toBe(409);

    const seen = safeJson((await citizen.get(`/api/v1/feedback/${id}`)).body);
    expect(seen.events.map((e: { type: string }) => e.type)).toEqual(['received', 'accepted', 'info_requested', 'info_supplied', 'answered', 'published']);
    expect(seen.answer).toMatch(/trả kết quả cho ông\/bà/);
    expect((await auditActions(id)).filter((a) => a !== 'feedback.viewed')).toEqual([
      'feedback.received', 'feedback.accepted', 'feedback.info_requested', 'feedback.info_supplied', 'feedback.answered', 'feedback.published',
    ]);
    // The sender is told of the question and of the answer, in the app (and by SMS and email, as they chose).
    const messages = await t.db.selectFrom('notifyMessages').select(['channel', 'subject', 'body', 'recipientUserId']).where('dedupeKey', 'like', `feedback:${id}:%`).execute();
    const inApp = messages.filter((m) => m.channel === 'in_app');
    expect(inApp).toHaveLength(2);
    expect(inApp.every((m) => m.subject?.includes(seen.code))).toBe(true);
    expect(inApp.some((m) => m.body.includes('đã được trả lời'))).toBe(true);
    expect(messages.some((m) => m.channel === 'sms')).toBe(true);
  });

  it('a rejection needs its reason and closes the item', async () => {
    const { id } = await file();
    const res = await act(desk, id, { type: 'reject' });
    expect(res.statusCode).toBe(400);
    expect(safeJson(res.body).error.fields[0]).toMatchObject({ path: 'body.text' });
    const ok = await act(desk, id, { type: 'reject', text: 'Nội dung không thuộc thẩm quyền của Sở.' });
    expect(ok.statusCode).toBe(200);
    expect(safeJson(ok.body)).toMatchObject({ status: 'rejected', rejectReason: 'Nội dung không thuộc thẩm quyền của Sở.', timeliness: 'on_time', allowedActions: [] });
    for (const type of ['accept', 'answer', 'request_info']) expect((await act(desk, id, { type, text: 'Một nội dung đủ dài' })).statusCode).toBe(409);
  });

  it('citizens, other roles and officials of other agencies cannot act', async () => {
    const { id } = await file();
    expect((await act(citizen, id, { type: 'accept' })).statusCode).toBe(403);
    expect((await act(new Client(t.app), id, { type: 'accept' })).statusCode).toBe(401);
    for (const c of [agencyAdmin, provinceAdmin, auditor]) expect([403, 404]).toContain((await act(c, id, { type: 'accept' })).statusCode);
    // An item about the Department of Justice is none of the Science department's business.
    const elsewhere = await file(citizen, complaint({ agencyId: stp }));
    expect((await act(desk, elsewhere.id, { type: 'accept' })).statusCode).toBe(404);
    expect((await desk.get(`/api/v1/feedback/${elsewhere.id}`)).statusCode).toBe(404);
    expect(await auditActions(id)).toEqual(['feedback.received']);
  });

  it('two officials acting at once: one 200, one 409; a stale view is refused', async () => {
    const { id } = await file();
    const [a, b] = await Promise.all([
      act(desk, id, { type: 'accept', expectedSeq: 1 }),
      act(specialist, id, { type: 'reject', text: 'Không thuộc thẩm quyền', expectedSeq: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const stale = await act(head, id, { type: 'answer', text: 'Trả lời dựa trên trang cũ.', expectedSeq: 1 });
    expect(stale.statusCode).toBe(409);
    expect(safeJson(stale.body).error.code).toBe('feedback_changed');
    expect((await t.db.selectFrom('feedbackEvents').select('seq').where('feedbackId', '=', id).execute())).toHaveLength(2);
  });
});

describe('lists', () => {
  it('the staff queue: my agencies only, overdue first, phones masked', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T02:00:00Z') });
    let old;
    try {
      old = await file(citizen, complaint({ subject: 'Phản ánh cũ quá hạn' }));
    } finally {
      vi.useRealTimers();
    }
    const fresh = await file(citizen, complaint({ subject: 'Phản ánh mới nhận' }));
    const elsewhere = await file(citizen, complaint({ agencyId: stp, subject: 'Phản ánh Sở Tư pháp' }));
    const res = await desk.get('/api/v1/staff/feedback?limit=100');
    expect(res.statusCode).toBe(200);
    const { items, total } = safeJson(res.body);
    expect(total).toBe(items.length);
    const ids = items.map((x: { id: string }) => x.id);
    expect(ids).toContain(fresh.id);
    expect(ids).not.toContain(elsewhere.id);
    const firstFresh = items.findIndex((x: { overdue: boolean }) => !x.overdue);
    expect(items.slice(0, firstFresh).every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    expect(ids.indexOf(old.id)).toBeLessThan(ids.indexOf(fresh.id));
    const line = items.find((x: { id: string }) => x.id === fresh.id);
    expect(line).toMatchObject({ senderName: DEMO_CITIZEN.fullName, senderPhone: '091****678', overdue: false });
    expect(res.body).not.toContain(DEMO_CITIZEN.phone);
    const search = safeJson((await desk.get(`/api/v1/staff/feedback?q=${encodeURIComponent('mới nhận')}&status=all`)).body);
    expect(search.items.map((x: { id: string }) => x.id)).toContain(fresh.id);
    expect(search.items.map((x: { id: string }) => x.id)).not.toContain(old.id);
    for (const c of [citizen, agencyAdmin, auditor]) expect((await c.get('/api/v1/staff/feedback')).statusCode).toBe(403);
  });

  it('officials record feedback received by phone, anonymous if the sender wishes', async () => {
    const base = { kind: 'feedback', topic: 'agency', channel: 'phone', agencyId: skhcn, subject: 'Góp ý giờ làm việc', content: 'Đề nghị mở cửa bộ phận một cửa vào sáng thứ Bảy.' };
    const bad = await desk.post('/api/v1/staff/feedback', { ...base, sender: { name: 'Ông Ba', phone: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields.map((f: { path: string }) => f.path)).toEqual(['body.sender.phone']);
    const anon = await desk.post('/api/v1/staff/feedback', base);
    expect(anon.statusCode, anon.body).toBe(201);
    expect(safeJson(anon.body)).toMatchObject({ channel: 'phone', sender: { name: null, phone: null }, status: 'received' });
    const named = await support.post('/api/v1/staff/feedback', { ...base, sender: { name: 'Ông Ba', phone: '0905 123 456' } });
    expect(named.statusCode, named.body).toBe(201);
    expect(safeJson(named.body).sender).toEqual({ name: 'Ông Ba', phone: '0905123456' });
    for (const c of [auditor, agencyAdmin]) expect((await c.post('/api/v1/staff/feedback', base)).statusCode).toBe(403);
    expect((await desk.post('/api/v1/staff/feedback', { ...base, agencyId: stp })).statusCode).toBe(403);
  });

  it('my feedback: mine only, newest first', async () => {
    const mine = await file(other, complaint({ subject: 'Phản ánh của người khác' }));
    const list = safeJson((await other.get('/api/v1/me/feedback')).body);
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
    expect(list.items[0].senderPhone).toMatch(/^\d{3}\*{4}\d{3}$/);
    const demo = safeJson((await citizen.get('/api/v1/me/feedback?limit=100')).body);
    expect(demo.items.map((x: { id: string }) => x.id)).not.toContain(mine.id);
    const times = demo.items.map((x: { receivedAt: string }) => x.receivedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await desk.get('/api/v1/me/feedback')).statusCode).toBe(403);
  });

  it('the public list shows published answers only, without the sender\'s personal data', async () => {
    const body = complaint({ topic: 'dossier', dossierId, agencyId: undefined, subject: 'Trả kết quả chậm hồ sơ', content: `Tôi là ${DEMO_CITIZEN.fullName}, số ${DEMO_CITIZEN.phone}, hồ sơ trả chậm.` });
    const { id } = await file(citizen, body);
    const unpublished = await file();
    await act(desk, id, { type: 'answer', text: 'Đã trả kết quả và nhắc nhở cán bộ liên quan.' });
    const pub = await act(leader, id, { type: 'publish', publicContent: 'Công dân phản ánh hồ sơ được trả kết quả chậm.' });
    expect(pub.statusCode).toBe(200);
    const res = await new Client(t.app).get('/api/v1/feedback/published?limit=100');
    expect(res.statusCode).toBe(200);
    const list = safeJson(res.body);
    const ids = list.items.map((x: { id: string }) => x.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(unpublished.id);
    const item = list.items.find((x: { id: string }) => x.id === id);
    expect(item).toMatchObject({ subject: 'Trả kết quả chậm hồ sơ', content: 'Công dân phản ánh hồ sơ được trả kết quả chậm.', answer: 'Đã trả kết quả và nhắc nhở cán bộ liên quan.', agency: { id: skhcn } });
    expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['sender']));
    expect(res.body).not.toContain(DEMO_CITIZEN.fullName);
    expect(res.body).not.toContain(DEMO_CITIZEN.phone);
    expect(res.body).not.toContain(dossierId);
    const byAgency = safeJson((await new Client(t.app).get(`/api/v1/feedback/published?agencyId=${stp}`)).body);
    expect(byAgency.items.map((x: { id: string }) => x.id)).not.toContain(id);
  });
});

describe('for the index', () => {
  it('per agency: handled on time and late in a period, and the dossiers that had a complaint', async () => {
    const year = { start: new Date('2026-01-01T00:00:00+07:00'), end: new Date('2027-01-01T00:00:00+07:00') };
    const facts = await feedbackIndexFacts(t.db, year);
    const sci = facts.byAgency.find((a) => a.agencyId === skhcn)!;
    expect(sci.handled).toBeGreaterThanOrEqual(3);
    expect(sci.onTime).toBeGreaterThanOrEqual(2);
    // Filed in the spring, never answered: late.
    expect(sci.overdueOpen).toBeGreaterThanOrEqual(2);
    expect(sci.rate).toBeCloseTo(sci.onTime / (sci.onTime + sci.late));
    expect(facts.total.received).toBe(facts.byAgency.reduce((s, a) => s + a.received, 0));
    expect([...facts.dossiersWithComplaint]).toEqual([dossierId]);
    const scoped = await feedbackIndexFacts(t.db, year, { agencyIds: [stp] });
    expect(scoped.byAgency.map((a) => a.agencyId)).toEqual([stp]);
    expect(scoped.dossiersWithComplaint.size).toBe(0);
  });

  it('the index API scores 5.2 from them and counts the dossier with a complaint in 5.4', async () => {
    // The dossier complained about is received (so it is one of the dossiers to process).
    expect((await desk.post(`/api/v1/dossiers/${dossierId}/actions`, { type: 'receive' })).statusCode).toBe(200);
    // The report facts are refreshed by a background job in a running server: here, by hand.
    await refreshReportFacts(t.db, new CalendarService(t.db, t.config));
    const q = 'agency=000.00.12.H56&from=2026-01-01&to=2026-12-31&includeChildren=false';
    const idx = safeJson((await leader.get(`/api/v1/reports/index?${q}`)).body);
    const c = Object.fromEntries(idx.components.map((x: { code: string }) => [x.code, x]));
    const year = { start: new Date('2026-01-01T00:00:00+07:00'), end: new Date('2027-01-01T00:00:00+07:00') };
    const sci = (await feedbackIndexFacts(t.db, year, { agencyIds: [skhcn] })).total;
    expect(c['5.2']).toMatchObject({ source: 'computed', numerator: sci.onTime, denominator: sci.onTime + sci.late });
    expect(c['5.2'].points).toBeCloseTo((sci.onTime / (sci.onTime + sci.late)) * 4, 2);
    // The complained-about dossier (not rated, not late) is what lowers 5.4.
    expect(c['5.4']).toMatchObject({ denominator: 1, numerator: 0, lowering: { count: 1 } });
    expect(c['5.4'].denominator - c['5.4'].numerator).toBe(c['5.4'].lowering.count);
  });
});
