import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { buildProcedure, type BuiltProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type Client, type TestApp } from '../helpers.ts';

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;
let specialist: Client;
const dir = mkdtempSync(join(tmpdir(), 'motcua-pdf-'));

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
  specialist = await signInOfficial(t.app, 'specialist');
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function text(pdf: string): string {
  const f = join(dir, `${Math.random()}.pdf`);
  writeFileSync(f, Buffer.from(pdf, 'binary'));
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).normalize('NFC');
}
const pdfOf = async (c: Client, url: string) => {
  const res = await c.app.inject({ method: 'GET', url, headers: { cookie: c.cookie! } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload.toString('binary') };
};

describe('one-stop forms of a dossier', () => {
  it('prints the receipt slip (01) with the code, procedure, appointment and a status QR link', async () => {
    const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Hộ kinh doanh Ánh Dương' }, submit: true })).body);
    expect((await pdfOf(citizen, `/api/v1/dossiers/${d.id}/documents/receipt.pdf`)).status).toBe(409);
    const r = safeJson((await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'receive' })).body);
    const slip = await pdfOf(citizen, `/api/v1/dossiers/${d.id}/documents/receipt.pdf`);
    expect(slip.status).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(slip.headers['content-disposition']).toMatch(/^attachment;/);
    const s = text(slip.body);
    expect(s).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(s).toContain(r.code);
    expect(s).toContain('Sở Khoa học và Công nghệ');
    expect(s).toContain(DEMO_CITIZEN.fullName);
    const due = new Date(r.dueAt);
    const local = new Date(due.getTime() + 7 * 3600_000);
    const ddmmyyyy = `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()}`;
    expect(s).toContain(ddmmyyyy);
    expect(s).toContain(`/lookup?code=${r.code}`);

    await desk.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'forward' });
    await specialist.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'claim' });
    await specialist.post(`/api/v1/dossiers/${d.id}/actions`, { type: 'request_supplement', reasons: ['Bản sao CCCD có chứng thực'] });
    const req02 = text((await pdfOf(citizen, `/api/v1/dossiers/${d.id}/documents/supplement-request.pdf`)).body);
    expect(req02).toContain('Bản sao CCCD có chứng thực');

    // The process-control slip (06) is for officials.
    expect((await pdfOf(citizen, `/api/v1/dossiers/${d.id}/documents/process-control.pdf`)).status).toBe(403);
    const slip06 = text((await pdfOf(specialist, `/api/v1/dossiers/${d.id}/documents/process-control.pdf`)).body);
    expect(slip06).toContain('Tiếp nhận hồ sơ');
    expect(slip06).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(slip06).toMatch(/Tiếp nhận hồ sơ\s+(Công nghệ\s+)?Đúng hạn|Tiếp nhận hồ sơ[\s\S]*(Trước hạn|Đúng hạn)/);
    expect(slip06).toContain('Trần Thị Bình');

    const stranger = (await signUpCitizen(t.app)).client;
    expect((await pdfOf(stranger, `/api/v1/dossiers/${d.id}/documents/receipt.pdf`)).status).toBe(404);
    expect((await pdfOf(citizen, `/api/v1/dossiers/${d.id}/documents/secret.pdf`)).status).toBe(404);
  });

  it('prints the register (07) of received dossiers for the agency', async () => {
    const agency = await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.12.H56').executeTakeFirstOrThrow();
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const reg = await pdfOf(desk, `/api/v1/staff/register.pdf?agencyId=${agency.id}&from=${today}&to=${today}`);
    expect(reg.status).toBe(200);
    const s = text(reg.body);
    expect(s).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(s).toContain('000.00.12.H56-');
    expect((await pdfOf(citizen, `/api/v1/staff/register.pdf?agencyId=${agency.id}&from=${today}&to=${today}`)).status).toBe(403);
  });
});
