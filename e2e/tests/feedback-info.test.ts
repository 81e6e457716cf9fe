import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  answered, demoOfficial, expectAccessible, expectH1, expectPath, followStaffMenu, horizontalOverflow, launchBrowser, newPage, procedureByCode,
  signInOfficial, signUpCitizenByApi,
} from './helpers.ts';

/*
 * Feedback waiting for information (Decision 766 5.2: the answer clock stops meanwhile). A new
 * citizen (on a 375 px phone) sends a suggestion about procedure 2.001176 (API). The reception
 * officer asks for more information from the item's drawer; the citizen sees the question on
 * their feedback page, answers it there, and the item is back in the officials' queue, waiting
 * to be taken up, with the answer in its history. axe on every page; the citizen's page does not
 * scroll sideways at 375 px. (Its own file: feedback.test.ts is near the per-file time limit.)
 */

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const marker = randomInt(100_000, 1_000_000);

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function expectNoSideScroll(page: Page, label: string): Promise<void> {
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow <= 0, `${label} fits a 375 px screen (overflows by ${overflow} px)`);
}

/** Opens the officials' feedback page, finds the item by its code and opens it in the drawer. */
async function openItem(page: Page, code: string): Promise<ReturnType<Page['getByRole']>> {
  await followStaffMenu(page, 'Phản ánh, kiến nghị', '/staff/feedback');
  await expectH1(page, 'Phản ánh, kiến nghị');
  const search = page.getByRole('searchbox', { name: 'Tìm theo mã hoặc tiêu đề' });
  await search.fill(code);
  await answered(page, 'GET', /^\/api\/v1\/staff\/feedback$/, () => search.press('Enter'));
  await page.getByTestId('feedback-table').getByRole('button', { name: code }).click();
  const drawer = page.getByRole('dialog', { name: `Phản ánh ${code}` });
  await drawer.getByTestId('feedback-detail').waitFor();
  return drawer;
}

test('an official asks for more information; the citizen supplies it on their feedback page; it is back in the queue', async () => {
  // A citizen (on a phone) sends a suggestion about procedure 2.001176 through the API.
  const sender = await newPage(browser, PHONE);
  const who = await signUpCitizenByApi(sender, { namePrefix: 'Trương Văn Bổ Sung' });
  const procedure = await procedureByCode(sender, '2.001176');
  const subject = `Đề nghị nhận hồ sơ qua thư điện tử ${marker}`;
  const filed = await sender.request.post('/api/v1/feedback', {
    headers: { 'x-csrf-token': who.csrfToken, 'idempotency-key': `e2e-feedback-${marker}-info` },
    data: { kind: 'feedback', topic: 'procedure', procedureId: procedure.id, subject, content: 'Đề nghị cho phép gửi bổ sung giấy tờ của thủ tục này qua thư điện tử.' },
  });
  assert.equal(filed.status(), 201, await filed.text());
  const item = (await filed.json()) as { id: string; code: string };
  const question = `Ông/bà vui lòng cho biết giấy tờ nào cần gửi qua thư điện tử (mã ${marker}).`;
  const reply = 'Biên bản nghiệm thu và báo cáo tổng hợp kết quả nhiệm vụ.';

  // The reception officer asks for more information from the drawer.
  const desk = await newPage(browser);
  await signInOfficial(desk, demoOfficial('reception_officer'));
  let drawer = await openItem(desk, item.code);
  const actions = drawer.getByTestId('feedback-actions');
  await actions.getByRole('radio', { name: 'Đề nghị bổ sung thông tin' }).check();
  await actions.getByLabel('Thông tin cần bổ sung').fill(question);
  await expectAccessible(desk, '/staff/feedback (asking for information)');
  await answered(desk, 'POST', /\/actions$/, () => actions.getByRole('button', { name: 'Đề nghị bổ sung thông tin', exact: true }).click());
  await drawer.getByTestId('feedback-status').and(desk.locator('[data-status="info_requested"]')).waitFor();

  // The citizen sees the question on their feedback page and answers it there.
  await sender.goto('/me/feedback');
  await expectH1(sender, 'Phản ánh của tôi');
  await sender.getByTestId('my-feedback-list').getByRole('link', { name: subject }).click();
  await expectPath(sender, `/me/feedback/${item.id}`);
  assert.equal(await sender.getByTestId('feedback-status').getAttribute('data-status'), 'info_requested');
  const panel = sender.getByTestId('feedback-info-panel');
  await panel.getByText(question).waitFor();
  await expectAccessible(sender, '/me/feedback/:id (information asked for)');
  await expectNoSideScroll(sender, 'the feedback page asking for information');
  assert.equal(await panel.getByRole('button', { name: 'Gửi thông tin bổ sung' }).isDisabled(), true, 'nothing typed yet');
  await panel.getByLabel('Thông tin bổ sung').fill(reply);
  await answered(sender, 'POST', new RegExp(`^/api/v1/feedback/${item.id}/info$`), () => panel.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click());
  await panel.waitFor({ state: 'detached' });
  await sender.getByTestId('feedback-status').and(sender.locator('[data-status="received"]')).waitFor();
  await sender.getByTestId('feedback-timeline').getByText('Bổ sung thông tin', { exact: true }).waitFor();
  await expectAccessible(sender, '/me/feedback/:id (information supplied)');
  await sender.context().close();

  // The officer's drawer (still open, `?item=`) shows it waiting to be taken up, with the citizen's answer in its history.
  await desk.reload();
  drawer = desk.getByRole('dialog', { name: `Phản ánh ${item.code}` });
  await drawer.getByTestId('feedback-status').and(desk.locator('[data-status="received"]')).waitFor();
  await drawer.getByTestId('feedback-timeline').getByText(reply).waitFor();
  assert.ok(await drawer.getByTestId('feedback-actions').getByRole('radio', { name: 'Nhận xử lý' }).isChecked(), 'taking it up is offered first again');
  await expectAccessible(desk, '/staff/feedback (information supplied)');
  // And it is back in the queue of newly received items.
  await desk.goto(`/staff/feedback?status=received&q=${item.code}`);
  await expectH1(desk, 'Phản ánh, kiến nghị');
  await desk.getByTestId('feedback-table').getByRole('button', { name: item.code }).waitFor();
  await expectAccessible(desk, '/staff/feedback?status=received');
  await desk.context().close();
});
