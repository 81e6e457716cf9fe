import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.ts';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { buildProcedure, multipart, pdfBytes, type BuiltProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';

/*
 * A citizen deletes an online draft (DELETE /api/v1/dossiers/:id): only their own, only before
 * submission; its papers go, and the bytes of a paper go unless another dossier holds the same
 * file; the deletion is audited and the chain stays whole.
 */

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb, { fees: [{ name: 'Lệ phí thử nghiệm', amountVnd: 50_000 }] });
  citizen = await signInCitizen(t.app);
});
afterAll(() => t.close());

const upload = (c: Client, id: string, file: Buffer, componentId: string) => {
  const m = multipart(file, 'giay-to.pdf', { componentId });
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files`, payload: m.payload, headers: { ...m.headers, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
};
const remove = (c: Client, id: string) => c.req('DELETE', `/api/v1/dossiers/${id}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const blobOnDisk = (hash: string) => existsSync(join(t.config.DATA_DIR, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash));
const blobRow = async (hash: string) => !!(await t.db.selectFrom('blobs').select('sha256').where('sha256', '=', hash).executeTakeFirst());

async function draft(c: Client = citizen): Promise<string> {
  const res = await c.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Tiệm may Hòa Bình' } });
  expect(res.statusCode, res.body).toBe(201);
  return safeJson(res.body).id;
}

async function submitted(c: Client = citizen): Promise<string> {
  const id = await draft(c);
  for (const comp of proc.componentIds) expect((await upload(c, id, pdfBytes(comp), comp)).statusCode).toBe(201);
  expect((await c.post(`/api/v1/dossiers/${id}/submit`)).statusCode).toBe(201);
  return id;
}

describe('deleting a draft', () => {
  it('the owner deletes a draft with its papers and fee copies: gone from the list, bytes erased, audited', async () => {
    const id = await draft();
    const paper = pdfBytes('chỉ trong bản nháp');
    expect((await upload(citizen, id, paper, proc.componentIds[0]!)).statusCode).toBe(201);
    // The payments panel copies the fee items onto the draft the first time it asks.
    expect((await citizen.get(`/api/v1/dossiers/${id}/payments`)).statusCode).toBe(200);
    expect(await t.db.selectFrom('dossierFees').select('id').where('dossierId', '=', id).execute()).toHaveLength(1);
    expect(blobOnDisk(sha(paper))).toBe(true);
    const listed = safeJson((await citizen.get('/api/v1/me/dossiers')).body).items;
    expect(listed.find((d: { id: string }) => d.id === id)).toMatchObject({ status: 'draft', procedureId: proc.id });

    const res = await remove(citizen, id);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect((await citizen.get(`/api/v1/dossiers/${id}`)).statusCode).toBe(404);
    expect(safeJson((await citizen.get('/api/v1/me/dossiers')).body).items.map((d: { id: string }) => d.id)).not.toContain(id);
    expect(await t.db.selectFrom('dossierFiles').select('id').where('dossierId', '=', id).execute()).toEqual([]);
    expect(await t.db.selectFrom('dossierFees').select('id').where('dossierId', '=', id).execute()).toEqual([]);
    expect(await blobRow(sha(paper))).toBe(false);
    expect(blobOnDisk(sha(paper))).toBe(false);

    // The audit rows about the draft stay, the deletion is one more, and the chain is whole.
    const audit = await t.db.selectFrom('auditLog').select('action').where('objectType', '=', 'dossier').where('objectId', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['dossier.created', 'dossier.file_uploaded', 'dossier.draft_deleted']);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });

    // Deleting again: it is gone.
    expect((await remove(citizen, id)).statusCode).toBe(404);
  });

  it('a submitted dossier cannot be deleted: a bilingual 409', async () => {
    const id = await submitted();
    const res = await remove(citizen, id);
    expect(res.statusCode).toBe(409);
    const err = safeJson(res.body).error;
    expect(err.code).toBe('not_a_draft');
    expect(err.message.vi).toMatch(/đã nộp/);
    expect(err.message.en).toMatch(/submitted/);
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).status).toBe('submitted');
  });

  it('another citizen\'s draft answers 404, exactly as a missing one', async () => {
    const id = await draft();
    const { client: other } = await signUpCitizen(t.app);
    const res = await remove(other, id);
    expect(res.statusCode).toBe(404);
    const missing = await remove(other, '00000000-0000-4000-8000-000000000000');
    const { requestId: _a, ...refused } = safeJson(res.body).error;
    const { requestId: _b, ...absent } = safeJson(missing.body).error;
    expect(refused).toEqual(absent);
    expect((await remove(other, 'not-a-uuid')).statusCode).toBe(404);
    expect((await citizen.get(`/api/v1/dossiers/${id}`)).statusCode).toBe(200);
  });

  it('an official cannot delete a draft, not even the desk of its receiving agency', async () => {
    const id = await draft();
    for (const role of ['reception_officer', 'division_head', 'agency_leader', 'province_admin'] as const) {
      const official = await signInOfficial(t.app, role);
      expect((await remove(official, id)).statusCode, role).toBe(403);
    }
    expect((await citizen.get(`/api/v1/dossiers/${id}`)).statusCode).toBe(200);
    // Signed out: 401.
    expect((await remove(new Client(t.app), id)).statusCode).toBe(401);
  });

  it('a draft the desk started at the counter for the citizen is not theirs to delete', async () => {
    const desk = await signInOfficial(t.app, 'reception_officer');
    const res = await desk.post('/api/v1/staff/dossiers', { procedureId: proc.id, applicant: { name: DEMO_CITIZEN.fullName, phone: DEMO_CITIZEN.phone } });
    expect(res.statusCode, res.body).toBe(201);
    const id = safeJson(res.body).id;
    const refused = await remove(citizen, id);
    expect(refused.statusCode).toBe(409);
    expect(safeJson(refused.body).error.code).toBe('draft_not_deletable');
  });

  it('a draft with a postal pickup booked is kept: 409, nothing removed', async () => {
    const id = await draft();
    const paper = pdfBytes('thu gom');
    expect((await upload(citizen, id, paper, proc.componentIds[0]!)).statusCode).toBe(201);
    await t.ownerDb.insertInto('postShipments').values({
      dossierId: id, kind: 'pickup', provider: 'sandbox', orderCode: `TEST-${id}`, status: 'requested', recipientName: 'Nguyễn Văn An',
      address: '12 Lê Thánh Tôn, Nha Trang', weightGrams: 200,
    } as never).execute();
    const res = await remove(citizen, id);
    expect(res.statusCode).toBe(409);
    expect(safeJson(res.body).error.code).toBe('draft_in_use');
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).files).toHaveLength(1);
    expect(blobOnDisk(sha(paper))).toBe(true);
  });

  it('a paper whose file another dossier also holds survives: its bytes stay and download', async () => {
    const shared = pdfBytes('giấy tờ dùng chung');
    // A submitted dossier holds the same file as the draft.
    const holder = await draft();
    const held = safeJson((await upload(citizen, holder, shared, proc.componentIds[0]!)).body);
    expect((await upload(citizen, holder, pdfBytes('khác'), proc.componentIds[1]!)).statusCode).toBe(201);
    expect((await citizen.post(`/api/v1/dossiers/${holder}/submit`)).statusCode).toBe(201);
    const gone = await draft();
    expect((await upload(citizen, gone, shared, proc.componentIds[0]!)).statusCode).toBe(201);
    // A third dossier reuses the draft's own upload of the reusable component.
    const own = safeJson((await upload(citizen, gone, pdfBytes('giấy tờ dùng lại'), proc.reusableComponentId)).body);
    const reuser = await draft();
    const reused = await citizen.post(`/api/v1/dossiers/${reuser}/files/reuse`, { componentId: proc.reusableComponentId, fileId: own.id });
    expect(reused.statusCode, reused.body).toBe(201);

    expect((await remove(citizen, gone)).statusCode).toBe(204);
    expect(await blobRow(sha(shared))).toBe(true);
    expect(blobOnDisk(sha(shared))).toBe(true);
    const download = await citizen.get(`/api/v1/dossiers/${holder}/files/${held.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(shared)).toBe(true);
    // The reused paper keeps its bytes; it no longer points at the deleted draft's row.
    const row = await t.db.selectFrom('dossierFiles').select(['reusedFrom', 'blobSha256']).where('id', '=', safeJson(reused.body).id).executeTakeFirstOrThrow();
    expect(row.reusedFrom).toBeNull();
    expect(blobOnDisk(row.blobSha256)).toBe(true);
    expect((await citizen.get(`/api/v1/dossiers/${reuser}/files/${safeJson(reused.body).id}`)).statusCode).toBe(200);
  });

  it('deleting a draft while the same file is uploaded elsewhere never leaves a paper without its bytes', async () => {
    const target = await draft();
    for (let i = 0; i < 8; i++) {
      const paper = pdfBytes(`tranh chấp ${i}`);
      const doomed = await draft();
      expect((await upload(citizen, doomed, paper, proc.componentIds[0]!)).statusCode).toBe(201);
      const [deleted, uploaded] = await Promise.all([remove(citizen, doomed), upload(citizen, target, paper, proc.componentIds[0]!)]);
      expect(deleted.statusCode).toBe(204);
      // Stored, or refused with a request to send it again; never acknowledged without its bytes.
      expect([201, 409]).toContain(uploaded.statusCode);
      const rows = await t.db.selectFrom('dossierFiles').select('id').where('blobSha256', '=', sha(paper)).execute();
      expect(rows.length).toBe(uploaded.statusCode === 201 ? 1 : 0);
      expect(blobOnDisk(sha(paper))).toBe(uploaded.statusCode === 201);
    }
  });

  it('the OpenAPI document describes the route', async () => {
    const doc = safeJson((await new Client(t.app).get('/openapi.json')).body);
    const op = doc?.paths?.['/api/v1/dossiers/{id}']?.delete;
    expect(op).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['204', '404', '409']));
  });
});
