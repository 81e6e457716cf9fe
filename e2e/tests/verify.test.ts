import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { demoOfficial, expectAccessible, expectH1, launchBrowser, newPage, pdfBytes, receiveByApi, signInOfficial, submitDossierByApi } from './helpers.ts';

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

test('a received dossier has a signed receipt slip', async () => {
  const citizen = await newPage(browser);
  const { id } = await submitDossierByApi(citizen, PROCEDURE_CODE, ({ name, phone }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ.',
  }), { namePrefix: 'Lê Văn Tâm' });
  await receiveByApi(browser, id);

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
  await signInOfficial(leader, demoOfficial('agency_leader'));
  await leader.goto('/staff/reports');
  await expectH1(leader, 'Báo cáo, thống kê');
  await leader.getByRole('heading', { name: 'Hồ sơ đang quá hạn' }).waitFor();
  await expectAccessible(leader, 'leaders dashboard');
  await leader.context().close();
});
