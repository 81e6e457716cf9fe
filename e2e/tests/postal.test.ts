import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  answered,
  dossierToResultReadyByApi,
  expectAccessible,
  fileDossierByApi,
  horizontalOverflow,
  launchBrowser,
  newPage,
  procedureByCode,
  randomPhone,
  signUpCitizenByApi,
  type DemoProcedure,
} from './helpers.ts';

/*
 * Issue 7, the public postal service (bưu chính công ích), in the browser. A dossier of 2.001176
 * (no fees; the demo Department of Science and Technology handles it) is driven through the API
 * to "result ready" (the pages of each step are covered by dossier.test.ts). On the dossier page
 * the citizen asks for the result by post: another address typed as street, commune and province,
 * a phone number checked like everywhere else, the postage quoted by the post office, then
 * confirmation; the order is booked in the background and gets its tracking number. A tester
 * plays the tracking events on the sandbox post office page (/sandbox/post/), which sends them as
 * signed webhooks, up to "delivered"; the citizen's page then shows the shipment delivered with
 * its tracking history, and the dossier's result returned by post. The reception officer sees
 * the shipment on the staff page, and orders then cancels a collection of another dossier's papers.
 */

const PROCEDURE_CODE = '2.001176';
const PROFILE_ADDRESS = '12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa';
const DELIVERY_ADDRESS = '25 Nguyễn Thị Minh Khai, Phường Tây Nha Trang, Khánh Hòa';

let browser: Browser;
let citizen: Page;
let desk: Page;
let citizenCsrf = '';
let procedure: DemoProcedure;
let dossierId = '';
let trackingCode = '';
const phone = randomPhone();
const applicantName = `Võ Thị Hạnh ${phone.slice(-4)}`;

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A submitted dossier of the citizen, made through the API. */
async function submittedDossier(): Promise<string> {
  return fileDossierByApi(citizen, citizenCsrf, procedure, {
    formData: { applicantName, personalId: '079203012345', phone, address: PROFILE_ADDRESS, request: 'Đăng ký kết quả nhiệm vụ khoa học.' },
  });
}

async function dossierStatus(id: string): Promise<string> {
  const res = await citizen.request.get(`/api/v1/dossiers/${id}`);
  assert.equal(res.status(), 200, await res.text());
  return ((await res.json()) as { status: string }).status;
}

/** The tester's click on the sandbox post office page; the page comes back once the webhook was answered. */
async function play(tester: Page, event: string, next: string | null): Promise<void> {
  const row = tester.locator('tbody tr', { hasText: trackingCode });
  await row.getByRole('button', { name: event, exact: true }).click();
  if (next) await row.getByRole('button', { name: next, exact: true }).waitFor();
  else await row.locator('td').last().filter({ hasText: '—' }).waitFor();
}

test('a dossier is driven through the API to "result ready"', async () => {
  citizen = await newPage(browser);
  citizenCsrf = (await signUpCitizenByApi(citizen, { name: applicantName, phone })).csrfToken;
  // The profile's address becomes the dossier's: the form offers it beside "another address".
  const profile = await citizen.request.patch('/api/v1/me/profile', { headers: { 'x-csrf-token': citizenCsrf }, data: { address: PROFILE_ADDRESS } });
  assert.equal(profile.status(), 200, await profile.text());

  procedure = await procedureByCode(citizen, PROCEDURE_CODE);
  assert.ok(procedure.methods.includes('post'), 'the procedure offers the postal service');
  dossierId = await submittedDossier();
  ({ desk } = await dossierToResultReadyByApi(browser, dossierId, { name: 'giay-chung-nhan.pdf', text: 'Giay chung nhan ket qua' }));
  assert.equal(await dossierStatus(dossierId), 'result_ready');
});

test('the citizen asks for the result by post on the dossier page: address, phone, postage, confirmation', async () => {
  assert.ok(dossierId, 'the dossier of the first test');
  await citizen.goto(`/me/dossiers/${dossierId}`);
  const panel = citizen.getByTestId('dossier-shipments');
  await panel.getByRole('heading', { level: 2, name: 'Bưu chính công ích' }).waitFor();
  const offer = panel.getByTestId('shipment-offer');
  await offer.getByRole('heading', { level: 3, name: 'Nhận kết quả tại nhà' }).waitFor();
  assert.equal(await panel.getByTestId('shipment').count(), 0, 'no shipment yet');
  await offer.getByRole('button', { name: 'Nhận kết quả qua bưu điện' }).click();

  // The dossier's address is offered; the citizen types another one instead.
  const form = offer.getByTestId('shipment-form');
  assert.equal(await form.getByLabel(PROFILE_ADDRESS).isChecked(), true, 'the dossier address is chosen by default');
  assert.equal(await form.getByLabel('Số nhà, tên đường, thôn/tổ dân phố').count(), 0, 'no address fields for a known address');
  await form.getByLabel('Địa chỉ khác').check();
  // Nothing typed yet: each field says what is missing.
  await form.getByLabel('Số điện thoại người nhận').fill('0123');
  await form.getByRole('button', { name: 'Xem cước phí' }).click();
  await form.getByText('Vui lòng nhập thông tin này.').first().waitFor();
  await form.getByText('Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.').waitFor();
  await expectAccessible(citizen, 'dossier page with the postal order form and its errors');

  await form.getByLabel('Số nhà, tên đường, thôn/tổ dân phố').fill('25 Nguyễn Thị Minh Khai');
  await form.getByLabel('Xã, phường hoặc đặc khu').fill('Phường Tây Nha Trang');
  await form.getByLabel('Tỉnh, thành phố').fill('Khánh Hòa');
  await form.getByLabel('Số điện thoại người nhận').fill('0905 123 456');
  await form.getByLabel('Ghi chú cho bưu tá (không bắt buộc)').fill('Gọi trước khi giao');
  await answered(citizen, 'POST', /^\/api\/v1\/post\/quote$/, () => form.getByRole('button', { name: 'Xem cước phí' }).click());

  // The postage quoted by the post office, then confirmation.
  const confirm = offer.getByTestId('shipment-confirm');
  await confirm.getByRole('heading', { level: 4, name: 'Kiểm tra và xác nhận' }).waitFor();
  assert.equal((await confirm.getByTestId('shipment-quote').innerText()).replace(/\s/g, ' '), '22.000 ₫');
  await confirm.getByText(DELIVERY_ADDRESS).waitFor();
  await confirm.getByText('0905123456').waitFor();
  await expectAccessible(citizen, 'dossier page with the postage to confirm');
  // Usable on a phone: nothing wider than a 375 px screen.
  await citizen.setViewportSize({ width: 375, height: 667 });
  await confirm.getByRole('button', { name: 'Xác nhận gửi yêu cầu' }).scrollIntoViewIfNeeded();
  assert.equal(await horizontalOverflow(citizen), 0, 'no horizontal scroll on a phone');
  await citizen.setViewportSize({ width: 1280, height: 720 });
  await answered(citizen, 'POST', new RegExp(`^/api/v1/dossiers/${dossierId}/shipments$`), () =>
    confirm.getByRole('button', { name: 'Xác nhận gửi yêu cầu' }).click(),
  );

  // Booked in the background: the tracking number appears without a reload.
  const shipment = panel.getByTestId('shipment');
  await shipment.getByTestId('tracking-code').waitFor({ timeout: 30_000 });
  trackingCode = (await shipment.getByTestId('tracking-code').innerText()).trim();
  assert.match(trackingCode, /^EB\d{9}VN$/);
  await shipment.getByRole('heading', { level: 3, name: `Gửi kết quả đến tận nhà — ${trackingCode}` }).waitFor();
  await shipment.getByTestId('shipment-status').filter({ hasText: 'Đã đặt, chờ bưu điện đến nhận' }).waitFor();
  await shipment.getByText(DELIVERY_ADDRESS).waitFor();
  await shipment.getByText('22.000 ₫').waitFor();
  assert.equal(await panel.getByTestId('shipment-offer').count(), 0, 'no second order while this one is under way');
  // A delivery is the desk's to cancel, not the applicant's.
  assert.equal(await shipment.getByRole('button', { name: /^Hủy bưu gửi/ }).count(), 0);
  await expectAccessible(citizen, 'dossier page with the shipments panel');
});

test('the tester plays the tracking events on the sandbox post office page up to "delivered"', async () => {
  assert.ok(trackingCode, 'the shipment of the previous test');
  const tester = await newPage(browser);
  await tester.goto('/sandbox/post/');
  const row = tester.locator('tbody tr', { hasText: trackingCode });
  await row.getByText(DELIVERY_ADDRESS).waitFor();
  await row.getByText('22.000 ₫').waitFor();
  await play(tester, 'đã được bưu điện nhận', 'đang được vận chuyển');
  await play(tester, 'đang được vận chuyển', 'đã được giao thành công');
  await play(tester, 'đã được giao thành công', null);
  // Every event reached the server's webhook, signed, and was accepted.
  assert.equal(await row.locator('li', { hasText: '(webhook: 200)' }).count(), 3, await row.innerText());
  await tester.context().close();
});

test('the citizen\'s dossier page shows the shipment delivered and the result returned by post', async () => {
  assert.ok(trackingCode, 'the shipment of the previous tests');
  assert.equal(await dossierStatus(dossierId), 'returned');
  await citizen.reload();
  await citizen.getByTestId('dossier-status').filter({ hasText: 'Đã trả kết quả' }).first().waitFor();
  await citizen.getByTestId('result-panel').getByText(/^Kết quả đã được trả ngày/).waitFor();
  const shipment = citizen.getByTestId('dossier-shipments').getByTestId('shipment');
  await shipment.getByTestId('shipment-status').filter({ hasText: 'Đã giao thành công' }).waitFor();
  const tracking = shipment.getByTestId('shipment-tracking');
  const steps = await tracking.locator('.timeline-entry strong').allInnerTexts();
  assert.deepEqual(steps, ['Đã gửi yêu cầu đến bưu điện', 'Bưu điện đã nhận bưu gửi', 'Đang vận chuyển', 'Đã giao thành công']);
  // The dossier's own history records the return by post.
  await citizen.getByTestId('dossier-timeline').getByText('Hình thức trả: Nhận qua bưu chính').waitFor();
  assert.equal(await citizen.getByTestId('shipment-offer').count(), 0, 'nothing more to order');
  await expectAccessible(citizen, 'dossier page with the delivered shipment');
  await citizen.setViewportSize({ width: 375, height: 667 });
  await shipment.scrollIntoViewIfNeeded();
  assert.equal(await horizontalOverflow(citizen), 0, 'no horizontal scroll on a phone');
  await citizen.setViewportSize({ width: 1280, height: 720 });

  // The same panel in English.
  await citizen.getByTestId('language-switch').click();
  const panel = citizen.getByTestId('dossier-shipments');
  await panel.getByRole('heading', { level: 2, name: 'Public postal service' }).waitFor();
  await panel.getByTestId('shipment-status').filter({ hasText: 'Delivered' }).waitFor();
  await panel.getByRole('heading', { level: 3, name: `Delivery of the result to your door — ${trackingCode}` }).waitFor();
  await panel.getByText('Taken in by the post office').waitFor();
  await expectAccessible(citizen, 'dossier page with the delivered shipment (English)');
  await citizen.getByTestId('language-switch').click();
  await panel.getByRole('heading', { level: 2, name: 'Bưu chính công ích' }).waitFor();
});

test('the desk sees the shipment on the staff page, then orders and cancels a collection of papers', async () => {
  assert.ok(trackingCode, 'the shipment of the previous tests');
  await desk.goto(`/staff/dossiers/${dossierId}`);
  const panel = desk.getByTestId('dossier-shipments');
  const delivered = panel.getByTestId('shipment');
  await delivered.getByTestId('shipment-status').filter({ hasText: 'Đã giao thành công' }).waitFor();
  await delivered.getByText(trackingCode).first().waitFor();
  await delivered.getByText(/^MC[0-9A-F]{18}$/).waitFor();
  assert.equal(await panel.getByTestId('shipment-desk').count(), 0, 'a returned dossier has nothing to order');
  await expectAccessible(desk, 'staff dossier page with the shipments panel');

  // Another dossier, just submitted: the desk orders the collection of its papers.
  const other = await submittedDossier();
  await desk.goto(`/staff/dossiers/${other}`);
  const deskPanel = desk.getByTestId('dossier-shipments');
  await deskPanel.getByRole('heading', { level: 3, name: 'Đặt dịch vụ bưu chính' }).waitFor();
  await deskPanel.getByRole('button', { name: 'Đặt thu gom hồ sơ' }).click();
  const form = deskPanel.getByTestId('shipment-form');
  await form.getByLabel(PROFILE_ADDRESS).check();
  assert.equal(await form.getByLabel('Số điện thoại liên hệ').inputValue(), phone, 'the applicant\'s phone by default');
  await form.getByLabel('Khối lượng bưu gửi (gam)').fill('800');
  await answered(desk, 'POST', /^\/api\/v1\/post\/quote$/, () => form.getByRole('button', { name: 'Xem cước phí' }).click());
  const confirm = deskPanel.getByTestId('shipment-confirm');
  // Collection adds 5.000 ₫; 800 g is one step of 500 g more.
  assert.equal((await confirm.getByTestId('shipment-quote').innerText()).replace(/\s/g, ' '), '32.000 ₫');
  await answered(desk, 'POST', new RegExp(`^/api/v1/dossiers/${other}/shipments$`), () =>
    confirm.getByRole('button', { name: 'Xác nhận gửi yêu cầu' }).click(),
  );
  const pickup = deskPanel.getByTestId('shipment');
  await pickup.getByTestId('tracking-code').waitFor({ timeout: 30_000 });
  const pickupCode = (await pickup.getByTestId('tracking-code').innerText()).trim();
  await pickup.getByRole('heading', { level: 3, name: `Thu gom hồ sơ tại nhà — ${pickupCode}` }).waitFor();
  await pickup.getByText(PROFILE_ADDRESS).waitFor();
  await expectAccessible(desk, 'staff dossier page with a collection ordered');

  // Not yet taken in by the post office: it can be cancelled, after a confirmation.
  await pickup.getByRole('button', { name: `Hủy bưu gửi ${pickupCode}` }).click();
  const dialog = desk.getByRole('dialog');
  await dialog.getByText('Bưu điện sẽ không đến lấy hồ sơ nữa.').waitFor();
  await answered(desk, 'POST', new RegExp(`^/api/v1/dossiers/${other}/shipments/[0-9a-f-]{36}/cancel$`), () =>
    dialog.getByRole('button', { name: 'Hủy bưu gửi', exact: true }).click(),
  );
  await pickup.getByTestId('shipment-status').filter({ hasText: 'Đã hủy' }).waitFor();
  assert.equal(await pickup.getByRole('button', { name: /^Hủy bưu gửi/ }).count(), 0);
  // The post office has it cancelled too, and a new collection may be ordered.
  await deskPanel.getByRole('button', { name: 'Đặt thu gom hồ sơ' }).waitFor();
  const tester = await newPage(browser);
  await tester.goto('/sandbox/post/');
  await tester.locator('tbody tr', { hasText: pickupCode }).getByText('đã bị hủy').waitFor();
  await tester.context().close();
  await desk.context().close();
});
