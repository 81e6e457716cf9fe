/**
 * Results generated from a procedure's template (issue 6, point 2): admins keep the template
 * (placeholders checked, versions kept, PDF preview), officials preview a dossier's result, and
 * approval without an attached result generates it from the dossier's data and signs it: the
 * citizen downloads a PDF that pdfsig and our verifier find valid, with the Vietnamese text intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText, squash, tempDir } from '../unit/documents/pdf-tools.ts';
import { pdfsig } from '../unit/signing/tools.ts';
import { unknownPlaceholders } from '../../src/modules/results/index.ts';
import { DEMO_RESULT_TEMPLATES } from '../../src/seed/demo-result-templates.ts';
import { buildProcedure, multipart, pdfBytes, resultPdf, type BuiltProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';

let t: TestApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;
let specialist: Client;
let head: Client;
let leader: Client;
let admin: Client;
const dir = tempDir();

const TEMPLATE = {
  title: 'Giấy chứng nhận đăng ký hộ kinh doanh',
  body: [
    '{{agency.name}} chứng nhận:',
    '',
    'Tên hộ kinh doanh: {{form.businessName}}',
    'Vốn kinh doanh: {{form.capital}} đồng',
    'Chủ hộ kinh doanh: {{applicant.name}}',
    '',
    '- Hồ sơ số {{dossier.code}}, tiếp nhận ngày {{receivedAt}}.',
    '- Giấy chứng nhận có hiệu lực kể từ ngày {{issuedAt}}.',
  ].join('\n'),
  signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
  numberSuffix: 'GCN-SKHCN',
};

beforeAll(async () => {
  t = await createTestApp();
  proc = await buildProcedure(t.ownerDb);
  [citizen, desk, specialist, head, leader, admin] = await Promise.all([
    signInCitizen(t.app), signInOfficial(t.app, 'reception_officer'), signInOfficial(t.app, 'specialist'),
    signInOfficial(t.app, 'division_head'), signInOfficial(t.app, 'agency_leader'), signInOfficial(t.app, 'agency_admin'),
  ]);
});
afterAll(async () => {
  dir.remove();
  await t.close();
});

const ok = (res: { statusCode: number; body: string }, status = 200) => {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
  return safeJson(res.body);
};
const templateUrl = (id = proc.id) => `/api/v1/admin/procedures/${id}/result-template`;
const put = (c: Client, body: Record<string, unknown>) => t.app.inject({
  method: 'PUT', url: templateUrl(), payload: body, headers: { cookie: c.cookie!, 'x-csrf-token': c.csrf!, 'content-type': 'application/json' },
});
const del = (c: Client) => t.app.inject({ method: 'DELETE', url: templateUrl(), headers: { cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
const upload = (c: Client, id: string, componentId: string) => {
  const m = multipart(pdfBytes(componentId), 'giay.pdf', { componentId });
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files`, payload: m.payload, headers: { ...m.headers, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
};
const act = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/dossiers/${id}/actions`, body);
async function get(c: Client, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: c.cookie! } });
}
const text = (name: string, pdf: Buffer) => squash(pdfText(dir.write(name, pdf)));

/** A dossier at the leader's step with no result attached. */
async function atLeader(formData: Record<string, unknown>): Promise<string> {
  const d = ok(await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData }), 201);
  for (const c of proc.componentIds) ok(await upload(citizen, d.id, c), 201);
  ok(await citizen.post(`/api/v1/dossiers/${d.id}/submit`), 201);
  ok(await act(desk, d.id, { type: 'receive' }));
  ok(await act(desk, d.id, { type: 'forward' }));
  ok(await act(specialist, d.id, { type: 'claim' }));
  ok(await act(specialist, d.id, { type: 'forward' }));
  ok(await act(head, d.id, { type: 'forward' }));
  return d.id;
}

describe('the result template', () => {
  it('is kept by the procedure\'s admins: unknown placeholders refused, versions kept, a PDF preview', async () => {
    const empty = ok(await get(admin, templateUrl()));
    expect(empty.template).toBeNull();
    expect(empty.placeholders.map((p: { key: string }) => p.key)).toEqual(expect.arrayContaining(['dossier.code', 'applicant.name', 'form.businessName', 'form.capital']));

    const bad = await put(admin, { ...TEMPLATE, body: `${TEMPLATE.body}\n{{form.tenSai}} {{ngay}}` });
    expect(bad.statusCode).toBe(400);
    const err = safeJson(bad.body).error;
    expect(err.fields).toEqual([expect.objectContaining({ path: 'body.body', message: expect.objectContaining({ vi: expect.stringContaining('{{form.tenSai}}, {{ngay}}') }) })]);
    expect((await put(specialist, TEMPLATE)).statusCode).toBe(403);
    expect((await put(admin, { ...TEMPLATE, title: '' })).statusCode).toBe(400);
    expect(ok(await get(admin, templateUrl())).template).toBeNull();

    const saved = ok(await put(admin, TEMPLATE));
    expect(saved.template).toMatchObject({ title: TEMPLATE.title, version: 1, numberSuffix: 'GCN-SKHCN' });
    const again = ok(await put(admin, { ...TEMPLATE, signerTitle: 'GIÁM ĐỐC' }));
    expect(again.template.version).toBe(2);
    expect(again.history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    ok(await put(admin, TEMPLATE));

    const preview = await t.app.inject({
      method: 'POST', url: `${templateUrl()}/preview`, payload: TEMPLATE, headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrf!, 'content-type': 'application/json' },
    });
    expect(preview.statusCode, preview.body.slice(0, 300)).toBe(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    const shown = text('preview.pdf', preview.rawPayload);
    expect(shown).toContain('GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH');
    expect(shown).toContain('Chủ hộ kinh doanh: Nguyễn Văn Mẫu');
    expect(shown).toContain('Số: MAU-000000-0001/GCN-SKHCN');
    expect((await get(new (citizen.constructor as typeof Client)(t.app), templateUrl())).statusCode).toBe(401);
  });

  it('fills the dossier\'s data at approval, signs it, and the citizen gets a valid signed PDF', async () => {
    ok(await put(admin, TEMPLATE));
    const id = await atLeader({ businessName: 'Hộ kinh doanh Hải Yến Đặng', capital: 150000000 });
    // The officials may look at what will be generated; the applicant may not.
    const draft = await get(leader, `/api/v1/dossiers/${id}/result-preview.pdf`);
    expect(draft.statusCode).toBe(200);
    expect(text('draft.pdf', draft.rawPayload)).toContain('Tên hộ kinh doanh: Hộ kinh doanh Hải Yến Đặng');
    expect((await get(citizen, `/api/v1/dossiers/${id}/result-preview.pdf`)).statusCode).toBe(403);

    const approved = ok(await act(leader, id, { type: 'approve' }));
    expect(approved.status).toBe('approved');
    const results = approved.files.filter((f: { kind: string }) => f.kind === 'result');
    expect(results).toEqual([expect.objectContaining({ filename: 'giay-chung-nhan-dang-ky-ho-kinh-doanh.pdf', mime: 'application/pdf' })]);
    const res = await get(citizen, `/api/v1/dossiers/${id}/files/${results[0].id}`);
    expect(res.statusCode).toBe(200);
    const pdf = res.rawPayload;
    const file = dir.write('result.pdf', pdf);
    expect(pdfsig(file)).toContain('Signature is Valid.');
    const shown = squash(pdfText(file));
    const code = ok(await citizen.get(`/api/v1/dossiers/${id}`)).code as string;
    expect(shown).toContain('Tên hộ kinh doanh: Hộ kinh doanh Hải Yến Đặng');
    expect(shown).toContain('Vốn kinh doanh: 150.000.000 đồng');
    // The number sits in the narrow left column under the agency: it may wrap.
    expect(shown.replace(/ /g, '')).toContain(`${code}/GCN-SKHCN`);
    expect(shown).toContain('Hồ sơ số');
    expect(shown).toContain('KT. GIÁM ĐỐC');
    const m = multipart(pdf, 'ket-qua.pdf');
    const report = ok(await t.app.inject({ method: 'POST', url: '/api/v1/signatures/verify', payload: m.payload, headers: m.headers }));
    expect(report).toMatchObject({ summary: 'valid', issuedByThisSystem: { kind: 'result', dossierCode: code } });
    const audit = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', id).where('action', 'in', ['dossier.result_generated', 'dossier.result_signed']).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['dossier.result_generated', 'dossier.result_signed']);
  });

  it('an attached result wins over the template; without a template approval still needs one', async () => {
    ok(await put(admin, TEMPLATE));
    const id = await atLeader({ businessName: 'Tạp hóa Minh Châu' });
    const m = multipart(await resultPdf('quyết định'), 'Quyết định cấp phép.pdf');
    ok(await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files?kind=result`, payload: m.payload, headers: { ...m.headers, cookie: leader.cookie!, 'x-csrf-token': leader.csrf! } }), 201);
    const approved = ok(await act(leader, id, { type: 'approve' }));
    expect(approved.files.filter((f: { kind: string }) => f.kind === 'result').map((f: { filename: string }) => f.filename)).toEqual(['Quyết định cấp phép.pdf']);

    const removed = ok(await del(admin));
    expect(removed.template).toBeNull();
    expect(removed.history.length).toBeGreaterThanOrEqual(3);
    expect((await del(admin)).statusCode).toBe(404);
    const bare = await atLeader({ businessName: 'Tạp hóa Minh Châu' });
    const refused = await act(leader, bare, { type: 'approve' });
    expect(refused.statusCode).toBe(409);
    expect((await get(leader, `/api/v1/dossiers/${bare}/result-preview.pdf`)).statusCode).toBe(404);
  });

  it('the demo seeds templates for simple certificates, every placeholder known to its procedure', async () => {
    const province = await signInOfficial(t.app, 'province_admin');
    for (const d of DEMO_RESULT_TEMPLATES) {
      const p = await t.db.selectFrom('procedures').select('id').where('code', '=', d.code).executeTakeFirstOrThrow();
      const st = ok(await get(province, templateUrl(p.id)));
      expect(st.template).toMatchObject({ title: d.title, version: 1 });
      expect(unknownPlaceholders(`${d.title}\n${d.body}`, st.placeholders)).toEqual([]);
    }
  });
});
