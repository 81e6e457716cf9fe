import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { download, expectAccessible, expectH1, expectPath, launchBrowser, newPage, submitDossierByApi } from './helpers.ts';

/*
 * A citizen with a fee-bearing dossier pays online: the dossier page shows what is due
 * (100.000 ₫ before reception for "Đăng ký thành lập hộ kinh doanh", 1.001612), "Thanh toán qua
 * VNPay" sends the browser to the server's sandbox gateway, "Thanh toán" there pays, the return
 * page (/thanh-toan/ket-qua) shows the outcome once the sandbox's IPN settled it, and the dossier
 * page lists the payment with its e-receipt (a PDF). The dossier is made through the API: the
 * online form itself is covered by dossier.test.ts.
 */

const PROCEDURE_CODE = '1.001612';

let browser: Browser;
let citizen: Page;
let dossierId = '';

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A new citizen with a submitted dossier of procedure 1.001612 (its papers uploaded through the API). */
async function citizenWithFeeDossier(page: Page): Promise<string> {
  const dossier = await submitDossierByApi(
    page,
    PROCEDURE_CODE,
    ({ name, phone }) => ({
      applicantName: name,
      personalId: '079203012345',
      phone,
      address: '5 Trần Phú, phường Nha Trang, Khánh Hòa',
      householdBusinessName: 'Tạp hóa Bình An',
      businessAddress: '5 Trần Phú, phường Nha Trang, Khánh Hòa',
      businessLines: ['Bán lẻ tạp hóa'],
      capital: 50_000_000,
    }),
    { namePrefix: 'Trần Thị Hoa', atReceivingAgency: true },
  );
  return dossier.id;
}

test('the dossier page shows the fee due and the ways to pay', async () => {
  citizen = await newPage(browser);
  dossierId = await citizenWithFeeDossier(citizen);
  await citizen.goto(`/me/dossiers/${dossierId}`);
  const panel = citizen.getByTestId('dossier-payments');
  await panel.getByRole('heading', { name: 'Lệ phí và thanh toán' }).waitFor();
  await panel.getByRole('cell', { name: 'Lệ phí đăng ký hộ kinh doanh' }).waitFor();
  assert.equal((await citizen.getByTestId('payments-due').innerText()).replace(/\s/g, ' '), '100.000 ₫');
  await panel.getByText('Trước khi tiếp nhận hồ sơ').waitFor();
  await panel.getByRole('button', { name: 'Chuyển khoản bằng mã VietQR' }).click();
  const qr = citizen.getByTestId('vietqr');
  await qr.getByRole('img', { name: /Mã VietQR chuyển khoản 100.000/ }).waitFor();
  await qr.getByText('0000000000001').first().waitFor();
  await expectAccessible(citizen, 'dossier page with fees and the VietQR code');
});

test('the citizen pays through the sandbox VNPay page and gets the e-receipt', async () => {
  await citizen.getByTestId('dossier-payments').getByRole('button', { name: 'Thanh toán qua VNPay' }).click();
  await citizen.waitForURL((url) => url.pathname.startsWith('/sandbox/vnpay/'));
  await citizen.getByRole('button', { name: 'Thanh toán (Pay)', exact: true }).click();

  await expectPath(citizen, '/thanh-toan/ket-qua');
  await expectH1(citizen, 'Kết quả thanh toán');
  // The sandbox sends the IPN asynchronously: the page asks again until the payment is settled.
  await citizen.getByTestId('payment-outcome').filter({ hasText: 'Thanh toán thành công' }).waitFor({ timeout: 30_000 });
  await citizen.getByText('100.000 ₫').first().waitFor();
  await expectAccessible(citizen, 'payment return page');

  await citizen.getByRole('link', { name: 'Quay lại hồ sơ' }).click();
  await expectPath(citizen, `/me/dossiers/${dossierId}`);
  const history = citizen.getByTestId('payment-history');
  await history.getByText('Đã thanh toán').waitFor();
  const receipt = history.getByRole('link', { name: /^Tải biên lai BL/ });
  await receipt.waitFor();
  assert.equal((await citizen.getByTestId('payments-due').innerText()).replace(/\s/g, ' '), '0 ₫');
  const file = await download(citizen, () => receipt.click());
  assert.match(file.name, /^bien-lai-BL.*\.pdf$/);
  assert.equal(file.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  await expectAccessible(citizen, 'dossier page after payment');
});

test('a forged return URL shows nothing from it', async () => {
  const page = await newPage(browser);
  await page.goto('/thanh-toan/ket-qua?vnp_TxnRef=X&vnp_Amount=100&vnp_ResponseCode=00&vnp_SecureHash=00');
  await page.getByTestId('payment-outcome').filter({ hasText: 'Không xác thực được kết quả thanh toán' }).waitFor();
  await expectAccessible(page, 'payment return page (invalid)');
  await page.context().close();
});

test('the citizen reads their messages and chooses how to be notified', async () => {
  await citizen.goto('/me/messages');
  await expectH1(citizen, 'Thông báo của tôi');
  const prefs = citizen.getByTestId('notification-preferences');
  await prefs.getByLabel('Tin nhắn SMS').waitFor();
  await expectAccessible(citizen, 'messages page');
  await prefs.getByLabel('English').check();
  const [saved] = await Promise.all([
    citizen.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/me/notification-preferences'),
    prefs.getByRole('button', { name: 'Lưu lựa chọn' }).click(),
  ]);
  assert.ok(saved.ok(), await saved.text());
  assert.equal(((await saved.json()) as { locale: string }).locale, 'en');
});
