import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  answered, chooseOption, csrfTokenOf, demoOfficial, download, expectAccessible, expectH1, fileDossierByApi, horizontalOverflow,
  launchBrowser, newContext, newPage, signInOfficial, submitDossierByApi, tableScrollsInItsRegion,
} from './helpers.ts';

/*
 * The staff side of fee payments, as a division head of the Department of Science and Technology
 * sees it. Set-up through the API: a citizen submits two dossiers of 1.004480 (1.000.000 ₫ due
 * before processing, received by that department) and starts a VietQR transfer on the first.
 * The head finds that payment by period, reads and downloads the day's reconciliation (.xlsx and
 * .csv), imports a bank statement whose first credit carries the transfer's reference and whose
 * second names no dossier, matches the second to the other dossier by hand, records a refund, and
 * the page stays usable on a phone. A second citizen pays a third dossier through the sandbox VNPay
 * with the tester option that loses the answers to refunds; the head asks VNPay for two refunds
 * (both 502: made by VNPay, answers lost), sees them awaiting confirmation on the page, and
 * settles one as refunded by VNPay and the other as not refunded.
 */

const PROCEDURE_CODE = '1.004480';
const FEE = '1.000.000 ₫';
const TITLE = 'Thu phí, lệ phí và đối soát';
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser: Browser;
let head: Page;
/** A token in the applicant's name and the second transfer's text: this run's rows among others'. */
const tag = String(randomInt(100_000, 1_000_000));
const applicant = `Phan Thị Thu ${tag}`;
let first = { dossierId: '', paymentId: '', reference: '' };
let secondDossierId = '';
/** The VNPay payment whose refunds VNPay makes without answering, and the applicant who paid it. */
const vnpayApplicant = `Lê Văn Hoàn ${randomInt(100_000, 1_000_000)}`;
let lost = { dossierId: '', paymentId: '', reference: '' };

/** Today in Vietnam, as the reports count days. */
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A citizen submits two dossiers and starts a VietQR transfer on the first, through the API. */
async function setUp(page: Page): Promise<void> {
  const form = (phone: string) => ({
    businessName: `Công ty TNHH Chuyển Phát ${tag}`,
    taxCode: '0312345678',
    representative: applicant,
    phone,
    address: '12 Lê Lợi, phường Nha Trang, Khánh Hòa',
    request: 'Đề nghị xác nhận thông báo hoạt động bưu chính.',
  });
  const dossier = await submitDossierByApi(page, PROCEDURE_CODE, ({ phone }) => form(phone), { name: applicant, atReceivingAgency: true });
  const headers = { 'x-csrf-token': dossier.csrfToken };
  const qr = await page.request.post(`/api/v1/dossiers/${dossier.id}/payments/vietqr`, { headers: { ...headers, 'idempotency-key': `e2e-qr-${dossier.phone}` }, data: {} });
  assert.equal(qr.status(), 201, await qr.text());
  const payment = ((await qr.json()) as { payment: { id: string; reference: string; amountVnd: number } }).payment;
  assert.equal(payment.amountVnd, 1_000_000);
  first = { dossierId: dossier.id, paymentId: payment.id, reference: payment.reference };
  secondDossierId = await fileDossierByApi(page, dossier.csrfToken, dossier.procedure, { formData: form(dossier.phone), atReceivingAgency: true });
}

/**
 * Another citizen (signed up in `page`) pays a dossier of the same procedure through the sandbox
 * VNPay, choosing the tester option "Pay; refund answers lost", and waits for the IPN to settle it.
 */
async function setUpVnpayPayment(page: Page): Promise<void> {
  const dossier = await submitDossierByApi(page, PROCEDURE_CODE, ({ phone }) => ({
    businessName: 'Hộ kinh doanh Bưu cục Hoàn',
    taxCode: '0312345679',
    representative: vnpayApplicant,
    phone,
    address: '8 Yersin, phường Nha Trang, Khánh Hòa',
    request: 'Đề nghị xác nhận thông báo hoạt động bưu chính.',
  }), { name: vnpayApplicant, atReceivingAgency: true });
  const started = await page.request.post(`/api/v1/dossiers/${dossier.id}/payments/vnpay`, {
    headers: { 'x-csrf-token': dossier.csrfToken, 'idempotency-key': `e2e-vnpay-${dossier.phone}` }, data: {},
  });
  assert.equal(started.status(), 201, await started.text());
  const body = (await started.json()) as { payment: { id: string; reference: string }; redirectUrl: string };
  lost = { dossierId: dossier.id, paymentId: body.payment.id, reference: body.payment.reference };
  // The tester's browser on the sandbox gateway: its page, then the tester option.
  const gatewayUrl = new URL(body.redirectUrl);
  const gatewayPage = await page.request.get(gatewayUrl.pathname + gatewayUrl.search);
  assert.equal(gatewayPage.status(), 200, await gatewayPage.text());
  const q = /name="q" value="([^"]*)"/.exec(await gatewayPage.text())![1]!.replace(/&amp;/g, '&');
  const paid = await page.request.post('/sandbox/vnpay/pay', { form: { q, outcome: 'paid_refund_lost', bankCode: 'NCB' }, maxRedirects: 0 });
  assert.equal(paid.status(), 303, await paid.text());
  await until(async () => {
    const res = await page.request.get(`/api/v1/payments/${lost.paymentId}`);
    return ((await res.json()) as { status: string }).status === 'paid';
  }, 'the sandbox IPN settles the VNPay payment');
}

/** The head asks VNPay for two refunds of the payment: VNPay makes them but its answers are lost (502). */
async function askUnansweredRefunds(page: Page): Promise<void> {
  const csrf = await csrfTokenOf(page);
  for (const [amountVnd, reason] of [[300_000, 'Hoàn một phần phí thẩm định theo quyết định miễn giảm'], [200_000, 'Hoàn phần phí nộp thừa']] as const) {
    const res = await page.request.post(`/api/v1/payments/${lost.paymentId}/refunds`, { headers: { 'x-csrf-token': csrf }, data: { amountVnd, reason } });
    assert.equal(res.status(), 502, await res.text());
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'gateway_no_answer');
  }
}

before(async () => {
  browser = await launchBrowser();
  const citizen = await newPage(browser);
  await setUp(citizen);
  await citizen.context().close();
  const payer = await newPage(browser);
  await setUpVnpayPayment(payer);
  await payer.context().close();
  head = await newPage(browser);
  await signInOfficial(head, demoOfficial('division_head'));
  await askUnansweredRefunds(head);
});
after(async () => {
  await browser?.close();
});

/** Waits (a few seconds at most) for `check` to hold. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The row of the payments table holding `text`. */
const paymentRow = (page: Page, text: string) => page.getByTestId('payments-table').getByRole('row').filter({ hasText: text });

test('the division head finds the payment made in set-up, by period', async () => {
  await head.getByTestId('staff-menu').getByRole('link', { name: 'Thanh toán, biên lai' }).click();
  await expectH1(head, TITLE);
  await head.getByLabel('Tìm mã thanh toán, số hồ sơ, người nộp').fill(first.reference);
  const row = paymentRow(head, first.reference);
  await row.waitFor();
  const text = norm(await row.innerText());
  for (const part of [FEE, 'Chuyển khoản VietQR', 'Chờ thanh toán', applicant, '(chưa có số hồ sơ)']) assert.ok(text.includes(part), `row shows "${part}": ${text}`);
  assert.equal(await row.getByRole('link', { name: '(chưa có số hồ sơ)' }).getAttribute('href'), `/staff/dossiers/${first.dossierId}`);
  await expectAccessible(head, '/staff/payments (list)');

  // Last year has no such payment; this month has it again.
  await chooseOption(head, 'Kỳ báo cáo', 'Năm trước');
  await head.getByTestId('payments-table').getByText('Không có giao dịch nào trong kỳ và điều kiện đã chọn.').waitFor();
  assert.equal(await paymentRow(head, first.reference).count(), 0);
  await chooseOption(head, 'Kỳ báo cáo', 'Tháng này');
  await paymentRow(head, first.reference).waitFor();
  // Counted by payment date, the unpaid transfer is not in this month either.
  await chooseOption(head, 'Tính kỳ theo', 'Ngày thanh toán');
  await head.getByTestId('payments-table').getByText('Không có giao dịch nào trong kỳ và điều kiện đã chọn.').waitFor();
  await chooseOption(head, 'Tính kỳ theo', 'Ngày tạo giao dịch');
  await paymentRow(head, first.reference).waitFor();
});

test('the daily reconciliation shows the pending transfer and downloads as .xlsx and .csv', async () => {
  await head.getByRole('tab', { name: 'Đối soát theo ngày' }).click();
  await head.getByRole('heading', { level: 2, name: 'Đối soát theo ngày' }).waitFor();
  await head.getByTestId('report-pending').getByRole('row').filter({ hasText: first.reference }).waitFor();
  await head.getByTestId('report-totals').getByText('Còn chờ thanh toán cuối ngày').waitFor();
  await head.getByTestId('report-gateway').getByText('Cổng thanh toán báo kết quả (IPN)').waitFor();

  const xlsx = await download(head, () => head.getByTestId('report-xlsx').click());
  assert.equal(xlsx.name, `doi-soat-thanh-toan-${today()}.xlsx`);
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx (zip) file');
  assert.ok(xlsx.bytes.length > 4000, 'a workbook with sheets in it');
  const csv = await download(head, () => head.getByTestId('report-csv').click());
  assert.equal(csv.name, `doi-soat-thanh-toan-${today()}.csv`);
  assert.ok(csv.bytes.toString('utf8').startsWith('\uFEFFMã cơ quan,'), 'a UTF-8 CSV with the summary header');
  assert.match(csv.bytes.toString('utf8'), /\nTỔNG CỘNG,/);

  await answered(head, 'POST', /\/api\/v1\/staff\/payments\/reconcile$/, () => head.getByRole('button', { name: 'Đối soát ngay với cổng thanh toán' }).click());
  await head.getByTestId('reconcile-result').getByRole('alert').or(head.getByTestId('reconcile-result').locator('.ant-alert')).first().waitFor();
  assert.match(norm(await head.getByTestId('reconcile-result').innerText()), /cổng thanh toán/);
  await expectAccessible(head, '/staff/payments?tab=report');
});

test('a bank statement settles the transfer; the other credit is matched to its dossier by hand', async () => {
  await head.getByRole('tab', { name: 'Sao kê ngân hàng' }).click();
  await head.getByRole('heading', { level: 2, name: 'Nhập sao kê tài khoản nhận chuyển khoản' }).waitFor();
  await expectAccessible(head, '/staff/payments?tab=statements');
  const [y, m, d] = today().split('-');
  const statement = [
    'Ngày giao dịch;Số tham chiếu;Số tiền ghi có;Nội dung',
    `${d}/${m}/${y};FT${tag}01;1.000.000;CONG TY CHUYEN PHAT HS ${first.reference}`,
    `${d}/${m}/${y};FT${tag}02;1.000.000;CK LE PHI HO SO ${tag}`,
  ].join('\n');
  await head.getByLabel('Tệp sao kê (.csv, .xlsx)').setInputFiles({ name: 'sao-ke.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${statement}`) });
  await answered(head, 'POST', /\/api\/v1\/staff\/bank-statements$/, () => head.getByRole('button', { name: 'Nhập và đối chiếu' }).click());
  const result = head.getByTestId('statement-result');
  await result.getByText('Đã đọc 2 dòng: 1 khớp, 1 chưa khớp, 0 trùng, 0 bỏ qua.').waitFor();
  await result.getByRole('row').filter({ hasText: first.reference }).getByText('Đã khớp').waitFor();
  await result.getByRole('row').filter({ hasText: `CK LE PHI HO SO ${tag}` }).getByText('Chưa khớp').waitFor();

  const unmatched = head.getByTestId('unmatched-transfers').getByRole('row').filter({ hasText: `CK LE PHI HO SO ${tag}` });
  await unmatched.getByRole('button', { name: /^Đối chiếu khoản 1\.000\.000/ }).click();
  const dialog = head.getByRole('dialog', { name: 'Đối chiếu chuyển khoản' });
  await Promise.all([
    head.waitForResponse((r) => r.url().includes('/candidates?') && new URL(r.url()).searchParams.get('q') === tag && r.ok()),
    dialog.getByLabel('Tìm theo số hồ sơ, mã thanh toán hoặc tên người nộp').fill(tag),
  ]);
  // Only the second dossier still owes 1.000.000 ₫ under this name: the first was paid by the statement.
  const candidate = dialog.getByRole('radio', { name: new RegExp(`${applicant}.*còn phải nộp 1\\.000\\.000`) });
  await candidate.waitFor({ state: 'attached' });
  await until(async () => (await dialog.getByRole('radio').count()) === 1, 'one candidate left after the search');
  await dialog.getByText(new RegExp(`${applicant}.*còn phải nộp`)).click();
  assert.ok(await candidate.isChecked());
  await dialog.getByLabel('Ghi chú đối chiếu').fill('Người nộp gọi điện xác nhận chuyển khoản cho hồ sơ thứ hai');
  await expectAccessible(head, 'resolve transfer dialog');
  await answered(head, 'POST', /\/api\/v1\/staff\/bank-statements\/rows\/[^/]+\/resolve$/, () =>
    dialog.getByRole('button', { name: 'Đối chiếu và ghi nhận thanh toán' }).click(),
  );
  await dialog.waitFor({ state: 'hidden' });
  await head.getByTestId('unmatched-transfers').getByRole('row').filter({ hasText: `CK LE PHI HO SO ${tag}` }).waitFor({ state: 'detached' });

  // The second dossier is paid now, by VietQR, confirmed on review.
  const owed = await head.request.get(`/api/v1/dossiers/${secondDossierId}/payments`);
  const body = (await owed.json()) as { totals: { dueVnd: number }; payments: { method: string; status: string; settledVia: string }[] };
  assert.equal(body.totals.dueVnd, 0);
  assert.deepEqual(body.payments.map((p) => [p.method, p.status, p.settledVia]), [['vietqr', 'paid', 'review']]);
});

test('both payments are listed as paid with receipts, and a refund is recorded and shown', async () => {
  await head.getByRole('tab', { name: 'Giao dịch' }).click();
  await head.getByLabel('Tìm mã thanh toán, số hồ sơ, người nộp').fill(tag);
  const rows = head.getByTestId('payments-table').getByRole('row').filter({ hasText: applicant });
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  for (const text of await rows.allInnerTexts()) {
    assert.ok(norm(text).includes('Đã thanh toán'), `paid: ${norm(text)}`);
    assert.match(norm(text), /BL\d{4}-/);
  }
  const row = paymentRow(head, first.reference);
  assert.match(norm(await row.innerText()), /Xác nhận qua sao kê/);
  const receipt = await download(head, () => row.getByRole('link', { name: /^Tải biên lai BL/ }).click());
  assert.equal(receipt.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

  await row.getByRole('button', { name: `Hoàn tiền giao dịch ${first.reference}` }).click();
  const dialog = head.getByRole('dialog', { name: `Ghi nhận hoàn tiền giao dịch ${first.reference}` });
  // Too much is refused before it is sent.
  await dialog.getByLabel('Số tiền hoàn (đồng)').fill('2000000');
  await dialog.getByLabel('Lý do hoàn tiền').fill('Hoàn một phần lệ phí theo quyết định miễn giảm');
  await dialog.getByRole('button', { name: 'Ghi nhận hoàn tiền' }).click();
  await dialog.getByText(/^Số tiền hoàn từ 1 đồng đến 1\.000\.000/).waitFor();
  await dialog.getByLabel('Số tiền hoàn (đồng)').fill('50000');
  await dialog.getByLabel('Số chứng từ hoàn tiền').fill(`PC-${tag}`);
  await answered(head, 'POST', /\/api\/v1\/payments\/[^/]+\/refunds$/, () => dialog.getByRole('button', { name: 'Ghi nhận hoàn tiền' }).click());
  await dialog.waitFor({ state: 'hidden' });
  const refunds = row.getByTestId('payment-refunds');
  await refunds.getByText('Đã hoàn 50.000 ₫').waitFor();
  assert.match(norm(await refunds.innerText()), new RegExp(`PC-${tag}.*Hoàn một phần lệ phí theo quyết định miễn giảm`));
  await head.getByTestId('payment-sums').getByText('50.000 ₫').waitFor();
  await expectAccessible(head, '/staff/payments (after refund)');
});

/** The row of the refunds-awaiting-confirmation table for the refund of `amount`. */
const refundRequestRow = (page: Page, amount: string) =>
  page.getByTestId('refund-requests-table').getByRole('row').filter({ hasText: lost.reference }).filter({ hasText: amount });

test('refunds VNPay did not answer are announced and listed awaiting confirmation', async () => {
  await head.goto('/staff/payments');
  await expectH1(head, TITLE);
  const banner = head.getByTestId('refund-requests-banner');
  await banner.getByText(/yêu cầu hoàn tiền qua VNPay đang chờ xác nhận/).waitFor();
  await banner.getByRole('button', { name: 'Xem các yêu cầu' }).click();
  await head.getByRole('tab', { name: /^Hoàn tiền chờ xác nhận \(\d+\)$/, selected: true }).waitFor();
  await head.getByRole('heading', { level: 2, name: 'Yêu cầu hoàn tiền qua VNPay chờ xác nhận' }).waitFor();
  await banner.waitFor({ state: 'hidden' });
  const row = refundRequestRow(head, '300.000 ₫');
  await row.waitFor();
  const text = norm(await row.innerText());
  for (const part of [vnpayApplicant, 'trên 1.000.000 ₫ đã thu', 'Hoàn một phần phí thẩm định', 'Khi gửi: HTTP 504', 'Chưa tra cứu lần nào', 'Người yêu cầu:'])
    assert.ok(text.includes(part), `row shows "${part}": ${text}`);
  await refundRequestRow(head, '200.000 ₫').waitFor();
  await expectAccessible(head, '/staff/payments?tab=refunds');
});

test('the head confirms one as refunded by VNPay: the refund is recorded on the payment', async () => {
  await refundRequestRow(head, '300.000 ₫').getByRole('button', { name: `Xác nhận VNPay đã hoàn 300.000 ₫ của giao dịch ${lost.reference}` }).click();
  const dialog = head.getByRole('dialog', { name: 'Xác nhận VNPay đã hoàn tiền' });
  await dialog.getByText('Khi gửi: HTTP 504').waitFor();
  // The note is required before anything is sent.
  await dialog.getByRole('button', { name: 'Ghi nhận đã hoàn' }).click();
  await dialog.getByText('Vui lòng nhập thông tin này.').waitFor();
  await dialog.getByLabel('Mã giao dịch hoàn tiền của VNPay').fill(`HT${tag}`);
  await dialog.getByLabel('Nội dung đã kiểm tra trên cổng VNPay').fill('Cổng quản trị VNPay: giao dịch hoàn đang xử lý (05)');
  await expectAccessible(head, 'confirm refund dialog');
  await answered(head, 'POST', /\/api\/v1\/payments\/[^/]+\/refund-requests\/[^/]+\/resolve$/, () => dialog.getByRole('button', { name: 'Ghi nhận đã hoàn' }).click());
  await dialog.waitFor({ state: 'hidden' });
  await refundRequestRow(head, '300.000 ₫').waitFor({ state: 'detached' });
  await refundRequestRow(head, '200.000 ₫').waitFor();

  await head.getByRole('tab', { name: 'Giao dịch' }).click();
  await head.getByLabel('Tìm mã thanh toán, số hồ sơ, người nộp').fill(lost.reference);
  const refunds = paymentRow(head, lost.reference).getByTestId('payment-refunds');
  await refunds.getByText('Đã hoàn 300.000 ₫').waitFor();
  assert.match(norm(await refunds.innerText()), new RegExp(`HT${tag}.*Hoàn một phần phí thẩm định`));
});

test('on a phone the page does not scroll sideways; its tables do', async () => {
  const context = await newContext(browser, { ...PHONE, storageState: await head.context().storageState() });
  const page = await context.newPage();
  // The table's own region (focusable, named) scrolls sideways; the page does not.

  await page.goto('/staff/payments');
  await expectH1(page, TITLE);
  await page.getByLabel('Tìm mã thanh toán, số hồ sơ, người nộp').fill(tag);
  await page.getByTestId('payments-table').getByRole('row').filter({ hasText: applicant }).first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on the list');
  assert.ok(await tableScrollsInItsRegion(page, 'payments-table'), 'the payments table scrolls inside itself');
  await expectAccessible(page, '/staff/payments (phone)');

  await page.goto('/staff/payments?tab=report');
  await page.getByTestId('report-table').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on the report');
  assert.ok(await tableScrollsInItsRegion(page, 'report-table'), 'the report table scrolls inside itself');

  await page.goto('/staff/payments?tab=statements');
  await page.getByTestId('unmatched-transfers').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on the statements tab');
  await expectAccessible(page, '/staff/payments?tab=statements (phone)');

  await page.goto('/staff/payments?tab=refunds');
  await refundRequestRow(page, '200.000 ₫').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on the refunds tab');
  assert.ok(await tableScrollsInItsRegion(page, 'refund-requests-table'), 'the refunds table scrolls inside itself');
  await expectAccessible(page, '/staff/payments?tab=refunds (phone)');
  await context.close();
});

test('the other is recorded as not refunded, in English too, and its amount is freed', async () => {
  await head.goto('/staff/payments?tab=refunds');
  const row = refundRequestRow(head, '200.000 ₫');
  await row.getByRole('button', { name: `Xác nhận không hoàn 200.000 ₫ của giao dịch ${lost.reference}` }).click();
  const dialog = head.getByRole('dialog', { name: 'Xác nhận khoản hoàn không được thực hiện' });
  // Too short a reason is explained in place.
  await dialog.getByLabel('Lý do không hoàn').fill('Sai');
  await dialog.getByRole('button', { name: 'Ghi nhận không hoàn' }).click();
  await dialog.getByText('Nhập ít nhất 5 ký tự.').waitFor();
  await dialog.getByLabel('Lý do không hoàn').fill('Cổng quản trị VNPay không có khoản hoàn này');
  await answered(head, 'POST', /\/api\/v1\/payments\/[^/]+\/refund-requests\/[^/]+\/resolve$/, () => dialog.getByRole('button', { name: 'Ghi nhận không hoàn' }).click());
  await dialog.waitFor({ state: 'hidden' });
  await row.waitFor({ state: 'detached' });

  // The same tab in English, now without this payment's requests.
  await head.evaluate(() => window.localStorage.setItem('motcua.lang', 'en'));
  await head.reload();
  await head.getByRole('tab', { name: /^Refunds awaiting confirmation/, selected: true }).waitFor();
  await head.getByRole('heading', { level: 2, name: 'VNPay refunds awaiting confirmation' }).waitFor();
  assert.equal(await head.getByTestId('refund-requests-table').getByRole('row').filter({ hasText: lost.reference }).count(), 0);
  await expectAccessible(head, '/staff/payments?tab=refunds (English)');
  await head.evaluate(() => window.localStorage.setItem('motcua.lang', 'vi'));

  // Freed: 700.000 ₫ (1.000.000 less the 300.000 refunded) may be refunded again; more may not.
  const csrf = await csrfTokenOf(head);
  const tooMuch = await head.request.post(`/api/v1/payments/${lost.paymentId}/refunds`, {
    headers: { 'x-csrf-token': csrf }, data: { amountVnd: 700_001, reason: 'Hoàn phần còn lại', viaGateway: false },
  });
  assert.equal(tooMuch.status(), 409, await tooMuch.text());
  const rest = await head.request.post(`/api/v1/payments/${lost.paymentId}/refunds`, {
    headers: { 'x-csrf-token': csrf }, data: { amountVnd: 700_000, reason: 'Hoàn phần còn lại tại quầy', viaGateway: false },
  });
  assert.equal(rest.status(), 201, await rest.text());
});
