import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { buildProcedure, multipart, pdfBytes, resultPdf, type BuiltProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;
let specialist: Client;
let head: Client;
let leader: Client;

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb);
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
  specialist = await signInOfficial(t.app, 'specialist');
  head = await signInOfficial(t.app, 'division_head');
  leader = await signInOfficial(t.app, 'agency_leader');
});
afterAll(() => t.close());

const upload = (c: Client, id: string, file: Buffer, name: string, componentId?: string, kind?: 'result' | 'action') => {
  const m = multipart(file, name, componentId ? { componentId } : {});
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files${kind ? `?kind=${kind}` : ''}`, payload: m.payload, headers: { ...m.headers, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
};
const act = async (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/dossiers/${id}/actions`, body);
const count = async (table: 'dossiers' | 'dossierFiles' | 'blobs') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

async function submittedDossier(): Promise<string> {
  const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Tạp hóa An Bình' } })).body);
  for (const c of proc.componentIds) expect((await upload(citizen, d.id, pdfBytes(c), 'giay.pdf', c)).statusCode).toBe(201);
  const s = await citizen.post(`/api/v1/dossiers/${d.id}/submit`);
  expect(s.statusCode).toBe(201);
  return d.id;
}

describe('online submission', () => {
  it('a draft is checked before submission: form schema and every required paper', async () => {
    const res = await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'X' } });
    expect(res.statusCode).toBe(201);
    const d = safeJson(res.body);
    expect(d).toMatchObject({ status: 'draft', code: null, channel: 'online' });
    const bad = await citizen.post(`/api/v1/dossiers/${d.id}/submit`);
    expect(bad.statusCode).toBe(400);
    const paths = safeJson(bad.body).error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['formData.businessName', `components.${proc.componentIds[0]}`, `components.${proc.componentIds[1]}`]));
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${d.id}`)).body).status).toBe('draft');
  });

  it('refuses a file whose bytes are not an allowed type, storing nothing', async () => {
    const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id })).body);
    const [files, blobs] = [await count('dossierFiles'), await count('blobs')];
    const res = await upload(citizen, d.id, Buffer.from('MZ\x90\x00 this is an exe'), 'scan.pdf', proc.componentIds[0]);
    expect(res.statusCode).toBe(400);
    expect(safeJson(res.body).error.fields[0].path).toBe('body.file');
    expect([await count('dossierFiles'), await count('blobs')]).toEqual([files, blobs]);
    const other = await upload(citizen, d.id, pdfBytes(), 'x.pdf', '00000000-0000-0000-0000-000000000000');
    expect(other.statusCode).toBe(400);
  });

  it('a retried submit with the same Idempotency-Key never creates two dossiers', async () => {
    const before = await count('dossiers');
    const body = { procedureId: proc.id, formData: { businessName: 'Cửa hàng Bình An' }, submit: true };
    const noPapers = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
    const b2 = { ...body, procedureId: noPapers.id };
    const key = `submit-${Math.random()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => citizen.post('/api/v1/dossiers', b2, { 'idempotency-key': key })));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => safeJson(r.body).id)).size).toBe(1);
    expect(safeJson(results[0]!.body).status).toBe('submitted');
    expect(await count('dossiers')).toBe(before + 1);
    const reused = await citizen.post('/api/v1/dossiers', { ...b2, formData: { businessName: 'Khác hẳn' } }, { 'idempotency-key': key });
    expect(reused.statusCode).toBe(422);
    expect(safeJson(reused.body).error.code).toBe('idempotency_key_reused');
  });

  it('officials cannot submit online dossiers on a citizen\'s behalf, and another citizen cannot see one', async () => {
    expect((await desk.post('/api/v1/dossiers', { procedureId: proc.id })).statusCode).toBe(403);
    const id = await submittedDossier();
    const stranger = (await signUpCitizen(t.app)).client;
    for (const url of [`/api/v1/dossiers/${id}`]) expect((await stranger.get(url)).statusCode).toBe(404);
    expect((await stranger.post(`/api/v1/dossiers/${id}/withdraw`, {})).statusCode).toBe(404);
    const files = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).files;
    const dl = await stranger.get(`/api/v1/dossiers/${id}/files/${files[0].id}`);
    expect(dl.statusCode).toBe(404);
    expect(dl.body).not.toContain('%PDF');
  });
});

describe('reception and the workflow', () => {
  it('runs the whole path: receive → supplement → forward → approve → return → rate', async () => {
    const id = await submittedDossier();
    const queue = safeJson((await desk.get('/api/v1/staff/queues/to_receive')).body);
    expect(queue.items.map((d: { id: string }) => d.id)).toContain(id);

    const received = await act(desk, id, { type: 'receive' });
    expect(received.statusCode).toBe(200);
    const r = safeJson(received.body);
    expect(r.code).toMatch(/^000\.00\.12\.H56-\d{6}-\d{4}$/);
    expect(r.status).toBe('processing');
    expect(r.portalStatus).toBe('processing');
    expect(new Date(r.dueAt).getTime()).toBeGreaterThan(Date.now());

    // The reception step is the desk's; it forwards to the specialists.
    expect((await act(specialist, id, { type: 'forward' })).statusCode).toBe(403);
    expect((await act(desk, id, { type: 'forward' })).statusCode).toBe(200);
    expect((await act(specialist, id, { type: 'claim' })).statusCode).toBe(200);

    const ask = await act(specialist, id, { type: 'request_supplement', reasons: ['Thiếu bản sao CCCD có chứng thực'] });
    expect(safeJson(ask.body)).toMatchObject({ status: 'waiting_supplement', portalStatus: 'waiting', supplementRequests: 1 });
    expect((await upload(citizen, id, pdfBytes('bổ sung'), 'bo-sung.pdf')).statusCode).toBe(201);
    const supplied = await citizen.post(`/api/v1/dossiers/${id}/supplement`, { comment: 'Đã bổ sung' });
    expect(supplied.statusCode).toBe(200);
    expect(safeJson(supplied.body).status).toBe('processing');

    expect((await act(specialist, id, { type: 'approve' })).statusCode).toBe(403);
    expect((await act(specialist, id, { type: 'forward', comment: 'Đủ điều kiện' })).statusCode).toBe(200);
    expect((await act(head, id, { type: 'forward' })).statusCode).toBe(200);
    expect((await act(head, id, { type: 'approve' })).statusCode).toBe(403);
    expect((await upload(citizen, id, pdfBytes('kết quả giả'), 'ket-qua.pdf', undefined, 'result')).statusCode).toBe(403);
    expect((await upload(specialist, id, pdfBytes('kết quả'), 'ket-qua.pdf', undefined, 'result')).statusCode).toBe(403);
    // A real PDF: approval signs the result (signing.test.ts).
    const result = await upload(leader, id, await resultPdf('kết quả'), 'Giấy chứng nhận.pdf', undefined, 'result');
    // Before approval, the applicant sees neither the result nor officials' working papers.
    const working = safeJson((await upload(head, id, pdfBytes('ghi chú'), 'to-trinh.pdf', undefined, 'action')).body);
    const early = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).files.map((f: { kind: string }) => f.kind);
    expect(early).not.toContain('result');
    expect(early).not.toContain('action');
    expect((await citizen.get(`/api/v1/dossiers/${id}/files/${working.id}`)).statusCode).toBe(404);
    expect(result.statusCode).toBe(201);
    expect(safeJson(result.body)).toMatchObject({ kind: 'result', filename: 'Giấy chứng nhận.pdf' });
    const approved = await act(leader, id, { type: 'approve' });
    expect(safeJson(approved.body)).toMatchObject({ status: 'approved', timeliness: 'early' });
    expect((await act(desk, id, { type: 'mark_result_ready' })).statusCode).toBe(200);
    expect(safeJson((await act(desk, id, { type: 'return_result', method: 'online' })).body).portalStatus).toBe('done');

    const rated = await citizen.post(`/api/v1/dossiers/${id}/rate`, { score: 'satisfied', comment: 'Nhanh gọn' });
    expect(safeJson(rated.body).rating).toEqual({ score: 'satisfied', comment: 'Nhanh gọn' });
    expect((await citizen.post(`/api/v1/dossiers/${id}/rate`, { score: 'neutral' })).statusCode).toBe(409);

    const d = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body);
    expect(d.timeline.map((x: { type: string }) => x.type)).toEqual([
      'submit', 'receive', 'forward', 'claim', 'request_supplement', 'supplement', 'forward', 'forward', 'approve', 'mark_result_ready', 'return_result', 'rate',
    ]);
    expect(d.visits.every((v: { timeliness: string | null }) => v.timeliness !== null)).toBe(true);
    const resultFile = d.files.find((f: { kind: string }) => f.kind === 'result');
    const dl = await citizen.get(`/api/v1/dossiers/${id}/files/${resultFile.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn.pdf");
    // No reopening a finished dossier.
    expect([403, 409]).toContain((await act(specialist, id, { type: 'claim' })).statusCode);
    expect((await act(desk, id, { type: 'receive' })).statusCode).toBe(409);
    const seen = await desk.get(`/api/v1/dossiers/${id}`);
    expect(safeJson(seen.body).applicant.phone).toBe(DEMO_CITIZEN.phone);
    const audit = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['dossier.receive', 'dossier.approve', 'dossier.viewed']));
  });

  it('gives unique codes to receipts made at the same moment', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => submittedDossier()));
    const desks = await Promise.all([desk, await signInOfficial(t.app, 'reception_officer')].map((x) => x));
    const res = await Promise.all(ids.map((id, i) => act(desks[i % 2]!, id, { type: 'receive' })));
    expect(res.map((x) => x.statusCode)).toEqual(ids.map(() => 200));
    const codes = res.map((x) => safeJson(x.body).code);
    expect(new Set(codes).size).toBe(6);
  });

  it('two officials acting at once: one wins, the other gets 409', async () => {
    const id = await submittedDossier();
    const results = await Promise.all([act(desk, id, { type: 'receive' }), act(desk, id, { type: 'receive' })]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    const stale = await act(desk, id, { type: 'forward', expectedSeq: 1 });
    expect(stale.statusCode).toBe(409);
    expect(safeJson(stale.body).error.code).toBe('dossier_changed');
  });

  it('officials of another agency cannot see or act on the dossier', async () => {
    const id = await submittedDossier();
    const admin = await signInOfficial(t.app, 'province_admin');
    const other = await admin.post('/api/v1/admin/officials', {
      fullName: 'Cán bộ Sở Tư pháp', email: `stp${Date.now()}@example.vn`,
      roles: [{ role: 'reception_officer', agencyId: (await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.03.H56').executeTakeFirstOrThrow()).id }],
    });
    expect(other.statusCode).toBe(201);
    const o = safeJson(other.body);
    const c = new Client(t.app, '10.20.0.1');
    const login = safeJson((await c.post('/api/v1/auth/login', { identifier: o.official.email, password: o.temporaryPassword })).body);
    const { totpCode } = await import('../../src/modules/identity/totp.ts');
    await c.post('/api/v1/auth/totp/enrol', { challengeId: login.challengeId, code: totpCode(login.secret) });
    expect((await c.get(`/api/v1/dossiers/${id}`)).statusCode).toBe(404);
    expect((await act(c, id, { type: 'receive' })).statusCode).toBe(404);
    expect(safeJson((await c.get('/api/v1/staff/queues/to_receive')).body).items.map((x: { id: string }) => x.id)).not.toContain(id);
  });
});

describe('public status lookup', () => {
  it('answers with the status and no personal data; a wrong pair looks like an unknown code', async () => {
    const id = await submittedDossier();
    const code = safeJson((await act(desk, id, { type: 'receive' })).body).code;
    const anon = new Client(t.app, '10.30.0.1');
    const ok = await anon.get(`/api/v1/dossiers/lookup?code=${code}&phone4=${DEMO_CITIZEN.phone.slice(-4)}`);
    expect(ok.statusCode).toBe(200);
    const body = safeJson(ok.body);
    expect(body).toMatchObject({ code, status: 'processing', applicant: { name: null, address: null } });
    expect(ok.body).not.toContain(DEMO_CITIZEN.fullName);
    expect(ok.body).not.toContain(DEMO_CITIZEN.phone);
    const wrong = await anon.get(`/api/v1/dossiers/lookup?code=${code}&phone4=0000`);
    const unknown = await anon.get('/api/v1/dossiers/lookup?code=NOPE-000000-0000&phone4=5678');
    expect(wrong.statusCode).toBe(404);
    expect(safeJson(wrong.body).error.message).toEqual(safeJson(unknown.body).error.message);
  });
});

describe('lookup rate limit', () => {
  it('slows down code guessing from one address with 429', async () => {
    const anon = new Client(t.app, '10.31.0.1');
    const codes = [];
    for (let i = 0; i < 31; i++) codes.push((await anon.get(`/api/v1/dossiers/lookup?code=GUESS-000000-${String(i).padStart(4, '0')}&phone4=1234`)).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
    expect(codes[30]).toBe(429);
    expect((await new Client(t.app, '10.31.0.2').get('/api/v1/dossiers/lookup?code=GUESS-000000-0000&phone4=1234')).statusCode).toBe(404);
  });
});

describe('counter intake', () => {
  it('a reception officer records a walk-in dossier, scans its papers and receives it in one flow', async () => {
    const created = await desk.post('/api/v1/staff/dossiers', {
      procedureId: proc.id, applicant: { name: 'Lê Thị Cúc', phone: '0905123456', idNumber: '056190012345', address: 'Nha Trang' },
    });
    expect(created.statusCode).toBe(201);
    const d = safeJson(created.body);
    expect(d.applicant.idNumberMasked).toBe('056190******');
    expect(created.body).not.toContain('056190012345');
    expect((await upload(desk, d.id, pdfBytes('scan'), 'scan.pdf', proc.componentIds[0])).statusCode).toBe(201);
    expect((await desk.post(`/api/v1/dossiers/${d.id}/submit`)).statusCode).toBe(201);
    const r = safeJson((await act(desk, d.id, { type: 'receive' })).body);
    expect(r).toMatchObject({ channel: 'in_person', status: 'processing' });
    expect(r.code).toBeTruthy();
    expect((await specialist.post('/api/v1/staff/dossiers', { procedureId: proc.id, applicant: { name: 'X' } })).statusCode).toBe(403);
  });
});

describe('downloads', () => {
  it('send the paper as an attachment, never sniffed', async () => {
    const id = await submittedDossier();
    const files = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).files;
    const res = await citizen.get(`/api/v1/dossiers/${id}/files/${files[0].id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="giay\.pdf"; filename\*=UTF-8''giay\.pdf$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.startsWith('%PDF')).toBe(true);
  });
});
