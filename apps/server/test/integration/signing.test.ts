import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthority, issueSigningCertificate } from '../../src/adapters/signing/index.ts';
import { createSealer } from '../../src/modules/identity/index.ts';
import { demoAuthority, seedDemoSigning } from '../../src/modules/signing/index.ts';
import { pdfText, squash, tempDir } from '../unit/documents/pdf-tools.ts';
import { opensslPkcs12, pdfsig } from '../unit/signing/tools.ts';
import { buildProcedure, multipart, pdfBytes, resultPdf, type BuiltProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;
let specialist: Client;
let head: Client;
let leader: Client;
let admin: Client;
let deptId = '';
let justiceId = '';
const dir = tempDir();
const sealer = () => createSealer(t.config.encryptionKey);

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb);
  [citizen, desk, specialist, head, leader, admin] = await Promise.all([
    signInCitizen(t.app), signInOfficial(t.app, 'reception_officer'), signInOfficial(t.app, 'specialist'),
    signInOfficial(t.app, 'division_head'), signInOfficial(t.app, 'agency_leader'), signInOfficial(t.app, 'agency_admin'),
  ]);
  deptId = (await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.12.H56').executeTakeFirstOrThrow()).id;
  justiceId = (await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.03.H56').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  dir.remove();
  await t.close();
});

const upload = (c: Client, id: string, file: Buffer, name: string, componentId?: string, kind?: 'result') => {
  const m = multipart(file, name, componentId ? { componentId } : {});
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files${kind ? `?kind=${kind}` : ''}`, payload: m.payload, headers: { ...m.headers, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
};
const uploadP12 = (c: Client, agencyId: string, file: Buffer, password: string) => {
  const m = multipart(file, 'chung-thu.p12', { password });
  return t.app.inject({ method: 'POST', url: `/api/v1/signing/agencies/${agencyId}/certificates`, payload: m.payload, headers: { ...m.headers, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
};
const verify = (pdf: Buffer) => {
  const m = multipart(pdf, 'van-ban.pdf');
  return t.app.inject({ method: 'POST', url: '/api/v1/signatures/verify', payload: m.payload, headers: m.headers });
};
const act = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/dossiers/${id}/actions`, body);
const ok = (res: { statusCode: number; body: string }, status = 200) => {
  expect(res.statusCode, res.body).toBe(status);
  return safeJson(res.body);
};

/** A dossier at the leader's step; the specialist attaches `result` while holding it. */
async function atLeader(result: Buffer | null = null, name = 'Giấy chứng nhận đủ điều kiện.pdf'): Promise<string> {
  const d = ok(await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Công ty TNHH Ánh Dương' } }), 201);
  for (const c of proc.componentIds) ok(await upload(citizen, d.id, pdfBytes(c), 'giay.pdf', c), 201);
  ok(await citizen.post(`/api/v1/dossiers/${d.id}/submit`), 201);
  ok(await act(desk, d.id, { type: 'receive' }));
  ok(await act(desk, d.id, { type: 'forward' }));
  ok(await act(specialist, d.id, { type: 'claim' }));
  if (result) ok(await upload(specialist, d.id, result, name, undefined, 'result'), 201);
  ok(await act(specialist, d.id, { type: 'forward' }));
  ok(await act(head, d.id, { type: 'forward' }));
  return d.id;
}

/** Everything an approval could change. */
async function snapshot(id: string) {
  const d = await t.db.selectFrom('dossiers').select(['status', 'lastSeq', 'stepIndex']).where('id', '=', id).executeTakeFirstOrThrow();
  const files = await t.db.selectFrom('dossierFiles').select(['id', 'removedAt']).where('dossierId', '=', id).orderBy('id').execute();
  // Other modules may write their own audit rows in the background: only this dossier's count.
  const audit = await t.db.selectFrom('auditLog').select(['seq', 'action']).where('objectId', '=', id).orderBy('seq').execute();
  const signed = Number((await t.db.selectFrom('signedDocuments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { ...d, files, audit, signed };
}

async function download(c: Client, url: string): Promise<Buffer> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: c.cookie! } });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.rawPayload;
}

describe('demo certificates', () => {
  it('the seed creates a labelled demo CA and an active certificate for the agencies that receive or resolve procedures', async () => {
    const anchors = ok(await new Client(t.app).get('/api/v1/signing/trust-anchors'));
    expect(anchors.items).toEqual([expect.objectContaining({ source: 'demo', name: expect.stringMatching(/demo/i), subject: expect.stringContaining('KHÔNG DÙNG THẬT') })]);
    const list = ok(await admin.get(`/api/v1/signing/certificates?agencyId=${deptId}&status=active`));
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ source: 'demo', status: 'active', keyAlgorithm: 'ec', chainTrusted: true, expired: false, expiringSoon: false });
    expect(JSON.stringify(list)).not.toMatch(/PRIVATE|keyEnc|key_enc/);
    const missing = await t.db.selectFrom('agencies as a')
      .where((eb) => eb.exists(eb.selectFrom('procedureAgencies as pa').select('pa.agencyId').whereRef('pa.agencyId', '=', 'a.id')))
      .where((eb) => eb.or([eb('a.validTo', 'is', null), eb('a.validTo', '>=', new Date().toISOString().slice(0, 10))]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('agencyCertificates as c').select('c.id').whereRef('c.agencyId', '=', 'a.id').where('c.status', '=', 'active'))))
      .select('a.code').execute();
    expect(missing.filter((m) => m.code !== '000.00.12.H56')).toEqual([]);
    const province = await t.db.selectFrom('agencyCertificates as c').innerJoin('agencies as a', 'a.id', 'c.agencyId').select('c.keyEnc').where('a.code', '=', '000.00.00.H56').where('c.status', '=', 'active').executeTakeFirstOrThrow();
    expect(province.keyEnc).toMatch(/^v1\./);
    expect(province.keyEnc).not.toContain('BEGIN');
  });
});

describe('signing the result on approval', () => {
  it('signs the uploaded result: the citizen gets only the signed PDF, valid for pdfsig and for the verification API', async () => {
    const id = await atLeader(await resultPdf('giấy chứng nhận'));
    const approved = ok(await act(leader, id, { type: 'approve' }));
    expect(approved.status).toBe('approved');
    const results = approved.files.filter((f: { kind: string }) => f.kind === 'result');
    expect(results).toEqual([expect.objectContaining({ filename: 'Giấy chứng nhận đủ điều kiện.pdf', mime: 'application/pdf' })]);

    const docs = ok(await citizen.get(`/api/v1/dossiers/${id}/signed-documents`));
    expect(docs.items).toEqual([expect.objectContaining({ kind: 'result', fileId: results[0].id, signerName: 'Hoàng Văn Em (demo)', agency: expect.objectContaining({ code: '000.00.12.H56' }) })]);
    expect(docs.items[0].verifyUrl).toBe(`http://localhost:3000/verify?doc=${docs.items[0].id}`);

    const pdf = await download(citizen, `/api/v1/dossiers/${id}/files/${results[0].id}`);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(docs.items[0].sha256);
    const file = dir.write('result.pdf', pdf);
    expect(pdfsig(file)).toContain('Signature is Valid.');
    expect(pdfsig(file)).toContain('Total document signed');
    const text = squash(pdfText(file));
    expect(text).toContain('Cơ quan ký: SỞ KHOA HỌC VÀ CÔNG NGHỆ (DEMO)');
    expect(text).toContain('Người ký: Hoàng Văn Em (demo)');

    const report = ok(await verify(pdf));
    expect(report).toMatchObject({ summary: 'valid', size: pdf.length, issuedByThisSystem: { id: docs.items[0].id, kind: 'result', agency: { code: '000.00.12.H56' } } });
    expect(report.issuedByThisSystem.dossierCode).toMatch(/^000\.00\.12\.H56-/);
    expect(report.signatures).toEqual([expect.objectContaining({
      status: 'valid', intact: true, trusted: true, coversWholeDocument: true, revocationChecked: false,
      signer: expect.objectContaining({ commonName: 'Sở Khoa học và Công nghệ (demo)' }),
    })]);
    // The same as a raw application/pdf body.
    const raw = await t.app.inject({ method: 'POST', url: '/api/v1/signatures/verify', payload: pdf, headers: { 'content-type': 'application/pdf' } });
    expect(ok(raw).summary).toBe('valid');

    // One byte changed: altered, and no longer the document this system issued.
    const tampered = Buffer.from(pdf);
    tampered[Math.floor(tampered.indexOf('/MediaBox') + 1)] = 0x4e;
    const bad = ok(await verify(tampered));
    expect(bad).toMatchObject({ summary: 'altered', issuedByThisSystem: null });
    expect(bad.signatures[0].problems.map((p: { code: string }) => p.code)).toContain('digest_mismatch');
    expect(pdfsig(dir.write('tampered.pdf', tampered))).toMatch(/Digest Mismatch|Signature is Invalid/);

    // The QR code's public record: no personal data.
    const record = ok(await new Client(t.app).get(`/api/v1/signatures/documents/${docs.items[0].id}`));
    expect(record).toMatchObject({ sha256: docs.items[0].sha256, kind: 'result' });
    expect(JSON.stringify(record)).not.toContain('Nguyễn Văn An');
    expect((await new Client(t.app).get('/api/v1/signatures/documents/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const audit = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['dossier.result_signed', 'dossier.approve']));
    const stranger = (await signUpCitizen(t.app)).client;
    expect((await stranger.get(`/api/v1/dossiers/${id}/signed-documents`)).statusCode).toBe(404);
  });

  it('a result uploaded after approval is signed when the desk marks the result ready', async () => {
    const id = await atLeader(await resultPdf('quyết định'), 'Quyết định.pdf');
    ok(await act(leader, id, { type: 'approve' }));
    ok(await upload(leader, id, await resultPdf('phụ lục'), 'Phụ lục.pdf', undefined, 'result'), 201);
    ok(await act(desk, id, { type: 'mark_result_ready' }));
    const docs = ok(await citizen.get(`/api/v1/dossiers/${id}/signed-documents`)).items;
    expect(docs.map((d: { filename: string }) => d.filename)).toEqual(['Quyết định.pdf', 'Phụ lục.pdf']);
    expect(docs.map((d: { signerName: string }) => d.signerName)).toEqual(['Hoàng Văn Em (demo)', 'Hoàng Văn Em (demo)']);
    const files = ok(await citizen.get(`/api/v1/dossiers/${id}`)).files.filter((f: { kind: string }) => f.kind === 'result');
    expect(files.map((f: { id: string }) => f.id).sort()).toEqual(docs.map((d: { fileId: string }) => d.fileId).sort());
  });

  it('signing failures stop the approval with a clear message and change nothing', async () => {
    const failsWith = async (id: string, status: number, code: string) => {
      const before = await snapshot(id);
      const res = await act(leader, id, { type: 'approve' });
      expect(res.statusCode, res.body).toBe(status);
      const body = safeJson(res.body).error;
      expect(body.code).toBe(code);
      expect(body.message.vi.length).toBeGreaterThan(20);
      expect(body.message.en.length).toBeGreaterThan(20);
      expect(await snapshot(id)).toEqual(before);
      expect(before).toMatchObject({ status: 'processing', stepIndex: 3 });
      return body.message;
    };
    // No result document.
    const bare = await atLeader();
    expect((await failsWith(bare, 409, 'result_document_missing')).vi).toContain('kết quả');
    // A result that is not a readable PDF.
    await failsWith(await atLeader(pdfBytes('giả')), 409, 'result_document_unsignable');

    const id = await atLeader(await resultPdf());
    const cert = await t.ownerDb.selectFrom('agencyCertificates').selectAll().where('agencyId', '=', deptId).where('status', '=', 'active').executeTakeFirstOrThrow();
    // Expired certificate.
    await t.ownerDb.updateTable('agencyCertificates').set({ notBefore: new Date(Date.now() - 20 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }).where('id', '=', cert.id).execute();
    expect((await failsWith(id, 409, 'signing_certificate_expired')).en).toMatch(/expired on \d\d\/\d\d\/\d{4}/);
    await t.ownerDb.updateTable('agencyCertificates').set({ notBefore: cert.notBefore, notAfter: cert.notAfter }).where('id', '=', cert.id).execute();
    // A key that cannot be opened (wrong password or a changed encryption key).
    await t.ownerDb.updateTable('agencyCertificates').set({ keyEnc: createSealer(Buffer.alloc(32, 7)).seal('-----BEGIN PRIVATE KEY-----') }).where('id', '=', cert.id).execute();
    await failsWith(id, 409, 'signing_key_unusable');
    await t.ownerDb.updateTable('agencyCertificates').set({ keyEnc: cert.keyEnc }).where('id', '=', cert.id).execute();
    // No certificate at all.
    ok(await admin.post(`/api/v1/signing/certificates/${cert.id}/retire`));
    expect((await failsWith(id, 409, 'signing_certificate_missing')).vi).toContain('chưa có chứng thư số');
    const warnings = ok(await admin.get('/api/v1/signing/warnings')).items;
    expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'missing', agency: expect.objectContaining({ id: deptId }) })]));
    // A new certificate, and the same dossier is approved and signed.
    expect(await seedDemoSigning(t.db, sealer())).toBe(1);
    expect(ok(await act(leader, id, { type: 'approve' })).status).toBe('approved');
  });
});

describe('the receipt slip', () => {
  it('is signed with the receiving agency\'s certificate and registered as issued', async () => {
    const id = await atLeader();
    const pdf = await download(citizen, `/api/v1/dossiers/${id}/documents/receipt.pdf`);
    const file = dir.write('receipt.pdf', pdf);
    expect(pdfsig(file)).toContain('Signature is Valid.');
    const text = squash(pdfText(file));
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('Người ký: Trần Thị Bình (demo)');
    const report = ok(await verify(pdf));
    expect(report).toMatchObject({ summary: 'valid', issuedByThisSystem: { kind: 'receipt_slip' } });
    const docs = ok(await citizen.get(`/api/v1/dossiers/${id}/signed-documents`)).items;
    expect(docs).toEqual([expect.objectContaining({ kind: 'receipt_slip', fileId: null, sha256: report.sha256 })]);
  });
});

describe('the e-receipt', () => {
  it('is signed with the collecting agency\'s certificate, valid for pdfsig and registered as issued', async () => {
    const feeProc = await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: [{ name: 'Lệ phí cấp giấy phép', amountVnd: 50_000, when: 'before_reception' }] });
    const d = ok(await citizen.post('/api/v1/dossiers', { procedureId: feeProc.id, formData: { businessName: 'Tạp hóa Bình An' }, submit: true }, { 'idempotency-key': `e-receipt-${Math.random()}` }), 201);
    const paid = ok(await desk.post(`/api/v1/dossiers/${d.id}/payments/cash`, { amountVnd: 50_000 }), 201);
    const pdf = await download(citizen, `/api/v1/payments/${paid.id}/receipt`);
    const file = dir.write('bien-lai.pdf', pdf);
    expect(pdfsig(file)).toContain('Signature is Valid.');
    expect(squash(pdfText(file))).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
    const report = ok(await verify(pdf));
    expect(report).toMatchObject({ summary: 'valid', issuedByThisSystem: { kind: 'e_receipt' } });
    const registered = await t.db.selectFrom('signedDocuments').select(['kind', 'reference', 'dossierId']).where('sha256', '=', report.sha256).executeTakeFirstOrThrow();
    expect(registered).toMatchObject({ kind: 'e_receipt', dossierId: d.id, reference: expect.stringMatching(/^BL\d{4}-/) });
    // One changed byte: both verifiers see the alteration.
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('BIÊN LAI') > 0 ? tampered.indexOf('BIÊN LAI') : Math.floor(tampered.length / 3);
    tampered[at] = tampered[at]! ^ 1;
    expect(ok(await verify(tampered)).summary).not.toBe('valid');
  });
});

describe('certificate administration', () => {
  it('uploads a PKCS#12, keeps the key sealed, warns before expiry, and retires', async () => {
    const ca = await demoAuthority(t.db, sealer());
    const soon = issueSigningCertificate(ca, [['C', 'VN'], ['O', 'Sở Khoa học và Công nghệ (demo)'], ['CN', 'Sở Khoa học và Công nghệ (demo) — gia hạn']], { notAfter: new Date(Date.now() + 10 * 86_400_000) });
    const p12 = opensslPkcs12(dir, soon.privateKey, [soon.certificate, ca.certificate], 'Mật-khẩu đủ dài 2026');
    const audit = async () => Number((await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<string>().as('n')).where('action', 'like', 'certificate.%').executeTakeFirstOrThrow()).n);
    const before = { audit: await audit(), certs: (await t.db.selectFrom('agencyCertificates').select('id').execute()).length };

    const wrong = await uploadP12(admin, deptId, p12, 'sai mật khẩu');
    expect(wrong.statusCode).toBe(400);
    expect(safeJson(wrong.body).error.fields[0]).toMatchObject({ path: 'body.password', message: { vi: 'Sai mật khẩu của tệp chứng thư số.' } });
    expect(safeJson((await uploadP12(admin, deptId, Buffer.from('not a certificate'), 'x')).body).error.fields[0].path).toBe('body.file');
    expect((await uploadP12(admin, justiceId, p12, 'Mật-khẩu đủ dài 2026')).statusCode).toBe(403);
    expect((await uploadP12(leader, deptId, p12, 'Mật-khẩu đủ dài 2026')).statusCode).toBe(403);
    expect({ audit: await audit(), certs: (await t.db.selectFrom('agencyCertificates').select('id').execute()).length }).toEqual(before);

    const created = ok(await uploadP12(admin, deptId, p12, 'Mật-khẩu đủ dài 2026'), 201);
    expect(created).toMatchObject({ status: 'active', source: 'upload', chainTrusted: true, expiringSoon: true, expired: false, subjectCommonName: 'Sở Khoa học và Công nghệ (demo) — gia hạn' });
    expect(created.daysLeft).toBeGreaterThanOrEqual(9);
    expect(JSON.stringify(created)).not.toMatch(/PRIVATE|keyEnc/);
    const all = ok(await admin.get(`/api/v1/signing/certificates?agencyId=${deptId}`)).items;
    expect(all.filter((c: { status: string }) => c.status === 'active').map((c: { id: string }) => c.id)).toEqual([created.id]);
    expect(ok(await admin.get('/api/v1/signing/warnings')).items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'expiring', certificateId: created.id })]));
    const stored = await t.db.selectFrom('agencyCertificates').select('keyEnc').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.keyEnc).toMatch(/^v1\./);
    expect(stored.keyEnc).not.toContain('Mật-khẩu');

    // The new certificate signs the next approval.
    const id = await atLeader(await resultPdf());
    ok(await act(leader, id, { type: 'approve' }));
    const signed = ok(await citizen.get(`/api/v1/dossiers/${id}/signed-documents`)).items[0];
    expect(signed.certificate.subjectCommonName).toBe('Sở Khoa học và Công nghệ (demo) — gia hạn');

    expect(ok(await admin.post(`/api/v1/signing/certificates/${created.id}/retire`))).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    expect((await admin.post(`/api/v1/signing/certificates/${created.id}/retire`)).statusCode).toBe(409);
    for (const c of [leader, citizen]) expect([403, 404]).toContain((await c.get('/api/v1/signing/warnings')).statusCode);
    const actions = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', created.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['certificate.uploaded', 'certificate.retired']);
    await seedDemoSigning(t.db, sealer());
  });

  it('a certificate from a CA that is not trusted still signs, and the result verifies as untrusted', async () => {
    const stranger = createAuthority([['C', 'VN'], ['CN', 'Tổ chức chứng thực lạ']]);
    const leaf = issueSigningCertificate(stranger, [['C', 'VN'], ['CN', 'Sở Khoa học và Công nghệ (chứng thư lạ)']]);
    const created = ok(await uploadP12(admin, deptId, opensslPkcs12(dir, leaf.privateKey, [leaf.certificate, stranger.certificate], 'pw', { legacy: true }), 'pw'), 201);
    expect(created.chainTrusted).toBe(false);
    expect(ok(await admin.get('/api/v1/signing/warnings')).items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'untrusted', certificateId: created.id })]));
    const id = await atLeader(await resultPdf());
    const approved = ok(await act(leader, id, { type: 'approve' }));
    const result = approved.files.find((f: { kind: string }) => f.kind === 'result');
    const pdf = await download(citizen, `/api/v1/dossiers/${id}/files/${result.id}`);
    expect(pdfsig(dir.write('stranger.pdf', pdf))).toContain('Signature is Valid.');
    const report = ok(await verify(pdf));
    expect(report).toMatchObject({ summary: 'untrusted', signatures: [expect.objectContaining({ status: 'untrusted', intact: true, trusted: false })] });
    expect(report.issuedByThisSystem).not.toBeNull();
    ok(await admin.post(`/api/v1/signing/certificates/${created.id}/retire`));
    await seedDemoSigning(t.db, sealer());
  });
});

describe('the verification API', () => {
  it('answers unsigned PDFs, refuses what is not a PDF, and needs no account', async () => {
    expect(ok(await verify(await resultPdf()))).toMatchObject({ summary: 'unsigned', signatures: [], issuedByThisSystem: null });
    const notPdf = await verify(Buffer.from('MZ this is not a pdf'));
    expect(notPdf.statusCode).toBe(400);
    expect(safeJson(notPdf.body).error.fields[0].path).toBe('body.file');
    const empty = await t.app.inject({ method: 'POST', url: '/api/v1/signatures/verify', payload: {}, headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(400);
    const paths = Object.keys(safeJson((await t.app.inject({ method: 'GET', url: '/openapi.json' })).body).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/signatures/verify', '/api/v1/signing/certificates', '/api/v1/signing/agencies/{agencyId}/certificates', '/api/v1/dossiers/{id}/signed-documents']));
  });
});
