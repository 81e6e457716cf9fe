import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  answered,
  demoOfficial,
  expectAccessible,
  expectH1,
  horizontalOverflow,
  launchBrowser,
  newPage,
  randomPhone,
  receiveByApi,
  signInOfficial,
  submitDossierByApi,
} from './helpers.ts';

/*
 * Issue 7's staff pages. The province administrator rewords the Vietnamese SMS sent when a
 * dossier is received: a bad placeholder and an empty text are refused with the server's words,
 * the preview (sample dossier data, SMS parts) follows the typing, the saved version shows in the
 * history. A dossier received afterwards (made and received through the API: dossier.test.ts
 * covers those pages) sends an SMS in the new words to the sandbox SMSC, whose page reports it
 * delivered; the support agent finds the message on /staff/support by the dossier code and by the
 * phone number and reads its history; finally the administrator goes back to the built-in text.
 */

const PROCEDURE_CODE = '2.001176';
const EVENT_TITLE = 'Mẫu thông báo: Hồ sơ đã được tiếp nhận (mã hồ sơ, ngày hẹn trả)';
const marker = `Mã E2E ${randomInt(100_000, 1_000_000)}`;
const newText = `${marker}: hồ sơ {{code}} đã tiếp nhận.`;

const PHONE = { width: 375, height: 667 };

let browser: Browser;
let admin: Page;
let dossierCode = '';
const phone = randomPhone();

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs a search and waits for the list's answer to it (the table keeps the previous rows meanwhile). */
async function search(page: Page, action: () => Promise<void>, matches: (q: URLSearchParams) => boolean): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/api/v1/staff/messages' && matches(url.searchParams);
    }),
    action(),
  ]);
  assert.equal(response.status(), 200, await response.text());
  await page.getByTestId('message-list').locator('.ant-spin-spinning').waitFor({ state: 'detached' });
}

async function openReceivedSmsTemplate(page: Page): Promise<void> {
  await page.goto('/staff/admin/templates');
  await expectH1(page, 'Mẫu thông báo');
  await page.getByTestId('edit-dossier.received-sms-vi').click();
  await expectH1(page, EVENT_TITLE);
}

test('the administrator rewords the "received" SMS: errors, live preview, save, history', async () => {
  admin = await newPage(browser);
  await signInOfficial(admin, demoOfficial('province_admin'));
  await admin.goto('/staff/admin/templates');
  await expectH1(admin, 'Mẫu thông báo');
  await admin.getByTestId('template-list').getByText('dossier.received', { exact: true }).waitFor();
  await expectAccessible(admin, '/staff/admin/templates');

  await admin.getByTestId('edit-dossier.received-sms-vi').click();
  await expectH1(admin, EVENT_TITLE);
  await admin.getByTestId('template-state').getByText('Mẫu mặc định').waitFor();
  // The built-in text, with the sample dossier: 183 characters with diacritics, so 3 UCS-2 parts of 67.
  const preview = admin.getByTestId('template-preview');
  await preview.getByTestId('preview-body').filter({ hasText: 'Hồ sơ 000.00.12.H56-260105-0001 (' }).waitFor();
  await admin.getByTestId('sms-facts').filter({ hasText: '183 ký tự · Unicode (UCS-2) · 3 phần tin nhắn' }).waitFor();
  await admin.getByTestId('template-variables').getByText('Ngày hẹn trả kết quả').waitFor();
  await expectAccessible(admin, 'template editor (built-in text)');

  const body = admin.getByLabel('Nội dung', { exact: true });
  const save = admin.getByRole('button', { name: 'Lưu mẫu' });

  // A placeholder the event does not offer: the preview and the save both say which one.
  await body.fill('Hồ sơ {{maHoSo}} đã được tiếp nhận.');
  await admin.getByRole('alert').filter({ hasText: 'Biến không có trong danh sách: maHoSo.' }).waitFor();
  await save.click();
  await admin.getByText('Biến không có trong danh sách của loại thông báo này: maHoSo.').waitFor();
  // An empty text.
  await body.fill('   ');
  await save.click();
  await admin.getByText('Cần ít nhất 1 ký tự.').waitFor();
  await expectAccessible(admin, 'template editor with errors');

  // The new words, with the dossier code inserted from the list of variables.
  await body.fill(`${marker}: hồ sơ  đã tiếp nhận.`);
  await body.evaluate((el: HTMLTextAreaElement, at: number) => el.setSelectionRange(at, at), `${marker}: hồ sơ `.length);
  await admin.getByRole('button', { name: 'Chèn biến {{code}}' }).click();
  assert.equal(await body.inputValue(), newText);
  await preview.getByTestId('preview-body').filter({ hasText: `${marker}: hồ sơ 000.00.12.H56-260105-0001 đã tiếp nhận.` }).waitFor();
  await admin.getByTestId('sms-facts').filter({ hasText: '1 phần tin nhắn' }).waitFor();

  await answered(admin, 'PUT', /\/api\/v1\/admin\/notify\/templates\/dossier\.received\/sms\/vi$/, () => save.click());
  await admin.getByTestId('template-state').getByText('Đã sửa').waitFor();
  const history = admin.getByTestId('template-history');
  const row = history.getByRole('row').filter({ hasText: newText });
  await row.waitFor();
  await row.getByText('Đặng Văn Hùng (demo)').waitFor();
  await expectAccessible(admin, 'template editor after saving');
});

test('a dossier received afterwards sends the SMS in the new words', async () => {
  assert.ok(admin, 'the administrator of the first test');
  const citizen = await newPage(browser);
  const dossier = await submitDossierByApi(citizen, PROCEDURE_CODE, ({ name }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '8 Pasteur, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ.',
  }), { namePrefix: 'Ngô Thị Thu', phone });
  dossierCode = await receiveByApi(browser, dossier.id);

  // The worker hands the SMS to the sandbox SMSC within seconds; its page lists what it got, and
  // the sandbox phone answers with a delivery receipt shortly after.
  const sms = citizen.getByRole('row').filter({ hasText: `${marker}: hồ sơ ${dossierCode} đã tiếp nhận.` });
  const deadline = Date.now() + 60_000;
  for (;;) {
    await citizen.goto('/sandbox/sms/');
    if ((await sms.count()) && (await sms.innerText()).includes('đã nhận')) break;
    if (Date.now() > deadline) assert.fail(`no delivered SMS with "${marker}" for ${dossierCode} on /sandbox/sms/`);
    await citizen.waitForTimeout(1000);
  }
  assert.match(await sms.innerText(), /1\/1 \(UCS-2\)/, 'one UCS-2 part');
  await citizen.context().close();
});

test('the support agent finds the message by dossier code and phone and reads its history', async () => {
  assert.ok(dossierCode, 'the dossier of the previous test');
  const support = await newPage(browser);
  await signInOfficial(support, demoOfficial('support_agent'));

  // The receipt travels back through SMPP: wait until the server has recorded it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await support.request.get(`/api/v1/staff/messages?code=${encodeURIComponent(dossierCode)}&channel=sms`);
    assert.equal(r.status(), 200, await r.text());
    const items = ((await r.json()) as { items: { status: string; body: string }[] }).items;
    const mine = items.find((m) => m.body.startsWith(marker));
    if (mine?.status === 'delivered') break;
    if (Date.now() > deadline) assert.fail(`the SMS of ${dossierCode} is still ${mine?.status ?? 'missing'}`);
    await support.waitForTimeout(1000);
  }

  await support.goto('/staff/support');
  await expectH1(support, 'Tra cứu tin nhắn đã gửi');
  await expectAccessible(support, '/staff/support');
  const filters = support.getByTestId('message-filters');
  await filters.getByLabel('Mã hồ sơ').fill(dossierCode);
  await search(support, () => filters.getByRole('button', { name: 'Tìm kiếm' }).click(), (q) => q.get('code') === dossierCode);
  const list = support.getByTestId('message-list');
  // The dossier's messages: "submitted" (before it had its code) and "received", each by SMS and in-app.
  const smsRow = list.getByRole('row').filter({ hasText: 'SMS' }).filter({ hasText: 'Hồ sơ đã được tiếp nhận' });
  await smsRow.waitFor();
  await smsRow.getByText('Đã đến người nhận').waitFor();
  // Every row is this dossier's.
  const rows = await list.locator('tbody tr.ant-table-row').allInnerTexts();
  assert.ok(rows.length >= 1 && rows.every((r) => r.includes(dossierCode)), `only ${dossierCode}'s messages: ${rows.join(' | ')}`);

  await smsRow.getByRole('button', { name: /^Xem lịch sử/ }).click();
  const drawer = support.getByRole('dialog');
  await drawer.getByTestId('message-body').filter({ hasText: `${marker}: hồ sơ ${dossierCode} đã tiếp nhận.` }).waitFor();
  await drawer.getByTestId('message-answer').filter({ hasText: 'Tin nhắn đã đến máy người nhận lúc' }).waitFor();
  const timeline = drawer.getByTestId('message-timeline');
  for (const step of ['Chờ gửi', 'Đang gửi', 'Đã đến người nhận']) await timeline.getByText(step, { exact: true }).waitFor();
  await expectAccessible(support, '/staff/support with a message open');
  await drawer.getByRole('button', { name: /Close|Đóng/ }).click();
  await drawer.waitFor({ state: 'hidden' });

  // By the phone number as the citizen says it (the server matches any form of it).
  // (Through the URL the form keeps its filters in: the form itself is exercised by the code search above.)
  await search(support, () => support.goto(`/staff/support?recipient=${encodeURIComponent(phone)}`).then(() => undefined), (q) => q.get('recipient') === phone && !q.has('code'));
  assert.equal(await filters.getByLabel('Số điện thoại hoặc email người nhận').inputValue(), phone);
  await list.getByRole('row').filter({ hasText: 'Hồ sơ đã được tiếp nhận' }).filter({ hasText: 'Đã đến người nhận' }).waitFor();
  const byPhone = await list.locator('tbody tr.ant-table-row').allInnerTexts();
  assert.ok(byPhone.length >= 1 && byPhone.every((r) => r.includes('SMS')), `only SMS to ${phone}: ${byPhone.join(' | ')}`);

  // By the days the messages were written (the province's days): today has them, yesterday not.
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
  const code = encodeURIComponent(dossierCode);
  await search(support, () => support.goto(`/staff/support?code=${code}&from=${day(0)}&to=${day(0)}`).then(() => undefined), (q) => q.get('from') === day(0));
  await list.getByRole('row').filter({ hasText: 'Hồ sơ đã được tiếp nhận' }).filter({ hasText: 'SMS' }).waitFor();
  assert.equal(await filters.getByLabel('Từ ngày').inputValue(), day(0).split('-').reverse().join('/'));
  await search(support, () => support.goto(`/staff/support?code=${code}&to=${day(-1)}`).then(() => undefined), (q) => q.get('to') === day(-1));
  await support.getByTestId('message-count').filter({ hasText: 'Tìm thấy 0 tin nhắn.' }).waitFor();

  // On a phone the table scrolls inside its region, not the page.
  await support.setViewportSize(PHONE);
  await support.goto(`/staff/support?code=${code}`);
  await list.getByRole('row').filter({ hasText: 'Hồ sơ đã được tiếp nhận' }).filter({ hasText: 'SMS' }).waitFor();
  assert.equal(await horizontalOverflow(support), 0, 'no horizontal scroll on /staff/support (phone)');
  await support.context().close();
});

test('the administrator goes back to the built-in text', async () => {
  assert.ok(admin, 'the administrator of the first test');
  await openReceivedSmsTemplate(admin);
  await admin.getByTestId('template-state').getByText('Đã sửa').waitFor();
  await admin.getByRole('button', { name: 'Trở về mẫu mặc định' }).click();
  await answered(admin, 'DELETE', /\/api\/v1\/admin\/notify\/templates\/dossier\.received\/sms\/vi$/, () =>
    admin.getByRole('button', { name: 'Trở về', exact: true }).click(),
  );
  await admin.getByTestId('template-state').getByText('Mẫu mặc định').waitFor();
  await admin.getByTestId('template-preview').getByTestId('preview-body').filter({ hasText: 'Hồ sơ 000.00.12.H56-260105-0001 (' }).waitFor();
  const history = admin.getByTestId('template-history');
  await history.getByRole('row').filter({ hasText: 'Trở về mẫu mặc định' }).waitFor();
  await history.getByRole('row').filter({ hasText: newText }).waitFor();
  const list = (await (await admin.request.get('/api/v1/admin/notify/templates')).json()) as {
    items: { event: string; channel: string; locale: string; isDefault: boolean; body: string }[];
  };
  const tpl = list.items.find((x) => x.event === 'dossier.received' && x.channel === 'sms' && x.locale === 'vi');
  assert.ok(tpl?.isDefault, 'the built-in text is in force again');
  assert.doesNotMatch(tpl.body, /E2E/);
  await expectAccessible(admin, 'template editor after going back');

  await admin.setViewportSize(PHONE);
  await admin.reload();
  await admin.getByTestId('template-preview').waitFor();
  assert.equal(await horizontalOverflow(admin), 0, 'no horizontal scroll on the template editor (phone)');
  await admin.goto('/staff/admin/templates');
  await admin.getByTestId('template-list').getByText('dossier.received', { exact: true }).waitFor();
  assert.equal(await horizontalOverflow(admin), 0, 'no horizontal scroll on /staff/admin/templates (phone)');
  await admin.context().close();
});
