import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_OFFICIALS } from '../../apps/server/src/seed/demo-accounts.ts';
import { expectAccessible, expectH1, launchBrowser, newPage, pdfBytes, randomPhone, signInOfficial } from './helpers.ts';

/*
 * The public signature check (/verify): the receipt slip of a received dossier carries the
 * receiving agency's digital signature (as results do once approved). Its PDF, uploaded to
 * /verify, shows a valid signature issued by this system; /verify?doc=<id> (what the QR code
 * opens) shows the issued document and compares an uploaded copy with it; an unsigned PDF is
 * reported as unsigned. The dossier is made and received through the API (dossier.test.ts
 * covers the pages).
 */

const PROCEDURE_CODE = '2.001176';

let browser: Browser;
let signedPdf: Buffer;
let signedDocId = '';

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function csrfOf(page: Page): Promise<string> {
  const me = await page.request.get('/api/v1/auth/me');
  assert.equal(me.status(), 200, await me.text());
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

test('a received dossier has a signed receipt slip', async () => {
  const citizen = await newPage(browser);
  const phone = randomPhone();
  const name = `Lê Văn Tâm ${phone.slice(-4)}`;
  const signup = await citizen.request.post('/api/v1/auth/signup', { data: { fullName: name, phone, password: 'mùa xuân trên thành phố biển' } });
  assert.equal(signup.status(), 201, await signup.text());
  const headers = { 'x-csrf-token': await csrfOf(citizen) };

  const list = await citizen.request.get(`/api/v1/procedures?q=${PROCEDURE_CODE}`);
  const summary = ((await list.json()) as { items: { id: string; code: string }[] }).items.find((p) => p.code === PROCEDURE_CODE);
  assert.ok(summary, `procedure ${PROCEDURE_CODE} is in the demo catalogue`);
  const procedure = (await (await citizen.request.get(`/api/v1/procedures/${summary.id}`)).json()) as { id: string; components: { id: string; required: boolean }[] };
  const created = await citizen.request.post('/api/v1/dossiers', {
    headers: { ...headers, 'idempotency-key': `e2e-verify-${phone}` },
    data: {
      procedureId: procedure.id,
      formData: { applicantName: name, personalId: '079203012345', phone, address: '12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa', request: 'Đăng ký kết quả nhiệm vụ.' },
    },
  });
  assert.equal(created.status(), 201, await created.text());
  const id = ((await created.json()) as { id: string }).id;
  for (const c of procedure.components.filter((x) => x.required)) {
    const uploaded = await citizen.request.post(`/api/v1/dossiers/${id}/files`, {
      headers,
      multipart: { componentId: c.id, file: { name: 'giay-to.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`Giay to ${c.id}`) } },
    });
    assert.equal(uploaded.status(), 201, await uploaded.text());
  }
  const submitted = await citizen.request.post(`/api/v1/dossiers/${id}/submit`, { headers, data: {} });
  assert.ok(submitted.ok(), await submitted.text());

  const desk = await newPage(browser);
  const officer = DEMO_OFFICIALS.find((o) => o.role === 'reception_officer');
  assert.ok(officer, 'a demo reception officer');
  await signInOfficial(desk, officer);
  const received = await desk.request.post(`/api/v1/dossiers/${id}/actions`, { headers: { 'x-csrf-token': await csrfOf(desk) }, data: { type: 'receive' } });
  assert.ok(received.ok(), await received.text());
  await desk.context().close();

  const slip = await citizen.request.get(`/api/v1/dossiers/${id}/documents/receipt.pdf`);
  assert.equal(slip.status(), 200, await slip.text());
  signedPdf = await slip.body();
  const docs = (await (await citizen.request.get(`/api/v1/dossiers/${id}/signed-documents`)).json()) as { items: { id: string; kind: string }[] };
  const doc = docs.items.find((d) => d.kind === 'receipt_slip');
  assert.ok(doc, 'the receipt slip is a signed document of the dossier');
  signedDocId = doc.id;
  await citizen.context().close();
});

test('/verify shows the signature of an uploaded PDF as valid and issued here', async () => {
  assert.ok(signedPdf, 'the signed PDF of the first test');
  const page = await newPage(browser);
  await page.goto('/verify');
  await expectH1(page, 'Kiểm tra chữ ký số');
  await expectAccessible(page, 'verify page');
  await page.getByLabel('Chọn tệp PDF').setInputFiles({ name: 'giay-tiep-nhan.pdf', mimeType: 'application/pdf', buffer: signedPdf });
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await page.getByTestId('verify-summary').filter({ hasText: 'Chữ ký số hợp lệ' }).waitFor();
  await page.getByTestId('issued-document').getByText('Giấy tiếp nhận hồ sơ và hẹn trả kết quả').waitFor();
  const signature = page.getByTestId('signature').first();
  await signature.getByTestId('signature-status').filter({ hasText: 'Hợp lệ' }).waitFor();
  await signature.getByText('Nguyên vẹn').waitFor();
  await signature.getByText('Được tin cậy').waitFor();
  await expectAccessible(page, 'verify page with a valid signature');

  // An unsigned PDF.
  await page.getByLabel('Chọn tệp PDF').setInputFiles({ name: 'khong-ky.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Khong co chu ky') });
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await page.getByTestId('verify-summary').filter({ hasText: 'Văn bản không có chữ ký số' }).waitFor();
  await page.context().close();
});

test('/verify?doc= (the QR code) shows the issued document and compares a copy', async () => {
  const page = await newPage(browser);
  await page.goto(`/verify?doc=${signedDocId}`);
  await page.getByText('Mã QR hợp lệ: văn bản này do hệ thống phát hành.').waitFor();
  await page.getByTestId('issued-document').first().waitFor();
  await expectAccessible(page, 'verify page from a QR code');
  await page.getByLabel('Chọn tệp PDF').setInputFiles({ name: 'giay-tiep-nhan.pdf', mimeType: 'application/pdf', buffer: signedPdf });
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await page.getByText('Tệp của bạn trùng khớp với văn bản do hệ thống phát hành theo mã QR.').waitFor();

  await page.goto('/verify?doc=00000000-0000-4000-8000-000000000000');
  await page.getByText('Không tìm thấy văn bản nào do hệ thống phát hành với mã QR này.').waitFor();
  await page.context().close();
});

test('the public statistics page and the leaders dashboard', async () => {
  const page = await newPage(browser);
  await page.goto('/thong-ke');
  await expectH1(page, 'Thống kê tình hình giải quyết hồ sơ');
  await page.getByTestId('stats-totals').getByText('Tỷ lệ đúng hạn').waitFor();
  await page.getByTestId('stats-by-agency').waitFor();
  await page.getByRole('img', { name: /Biểu đồ số hồ sơ tiếp nhận và đã giải quyết theo tháng/ }).waitFor();
  await expectAccessible(page, 'statistics page');
  await page.context().close();

  const leader = await newPage(browser);
  const official = DEMO_OFFICIALS.find((o) => o.role === 'agency_leader');
  assert.ok(official, 'a demo agency leader');
  await signInOfficial(leader, official);
  await leader.goto('/staff/reports');
  await expectH1(leader, 'Báo cáo, thống kê');
  await leader.getByRole('heading', { name: 'Hồ sơ đang quá hạn' }).waitFor();
  await expectAccessible(leader, 'leaders dashboard');
  await leader.context().close();
});
