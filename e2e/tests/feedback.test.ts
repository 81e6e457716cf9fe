import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  answered,
  demoOfficial,
  expectAccessible,
  expectH1,
  expectPath,
  followStaffMenu,
  horizontalOverflow,
  launchBrowser,
  newContext,
  newPage,
  receiveByApi,
  signInOfficial,
  submitDossierByApi,
  tableScrollsInItsRegion,
} from './helpers.ts';

/*
 * Feedback and complaints (phản ánh, kiến nghị), Decision 766 component 5.2.
 *
 * A new citizen (on a 375 px phone) has a dossier of 2.001176, received by the desk (API). From
 * the dossier's page the link "Phản ánh, kiến nghị về hồ sơ này" opens the form with the dossier
 * chosen; an empty subject is refused beside the field; the complaint is sent and its page shows
 * the code and "Đã tiếp nhận". The reception officer finds it by code in /staff/feedback, takes
 * it up and answers it in the drawer; the division head publishes the answer. The citizen sees
 * the answer and the history; the public page /phan-anh/cong-khai shows it without the
 * citizen's name or phone. axe on every page; no page scrolls sideways at 375 px.
 */

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const marker = randomInt(100_000, 1_000_000);
const SUBJECT = `Hẹn trả kết quả chưa rõ ràng ${marker}`;
const CONTENT = 'Phiếu hẹn ghi ngày trả kết quả nhưng tôi không biết nhận ở quầy nào. Đề nghị hướng dẫn cụ thể.';
const ANSWER = `Kết quả được trả tại quầy số 3, Trung tâm Phục vụ hành chính công tỉnh (mã ${marker}). Xin cảm ơn ông/bà đã phản ánh.`;

let browser: Browser;
let citizen: Page;
let citizenName = '';
let citizenPhone = '';
let feedbackId = '';
let feedbackCode = '';

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
async function openItem(page: Page): Promise<ReturnType<Page['getByRole']>> {
  await followStaffMenu(page, 'Phản ánh, kiến nghị', '/staff/feedback');
  await expectH1(page, 'Phản ánh, kiến nghị');
  const search = page.getByRole('searchbox', { name: 'Tìm theo mã hoặc tiêu đề' });
  await search.fill(feedbackCode);
  await answered(page, 'GET', /^\/api\/v1\/staff\/feedback$/, () => search.press('Enter'));
  await page.getByTestId('feedback-table').getByRole('button', { name: feedbackCode }).click();
  const drawer = page.getByRole('dialog', { name: `Phản ánh ${feedbackCode}` });
  await drawer.getByTestId('feedback-detail').waitFor();
  return drawer;
}

test('a citizen files a complaint about their dossier from the dossier page', async () => {
  citizen = await newPage(browser, PHONE);
  const dossier = await submitDossierByApi(citizen, '2.001176', ({ name, phone }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ khảo sát rạn san hô.',
  }), { namePrefix: 'Lâm Thị Phản Ánh' });
  citizenName = dossier.name;
  citizenPhone = dossier.phone;
  await receiveByApi(browser, dossier.id);

  await citizen.goto(`/me/dossiers/${dossier.id}`);
  await citizen.getByTestId('dossier-code').waitFor();
  await citizen.getByTestId('dossier-feedback-link').click();
  await expectPath(citizen, '/me/feedback/new');
  await expectH1(citizen, 'Gửi phản ánh, kiến nghị');
  assert.ok(await citizen.getByRole('radio', { name: 'Một hồ sơ của tôi' }).isChecked(), 'the topic is the dossier');
  const dossierCode = ((await (await citizen.request.get(`/api/v1/dossiers/${dossier.id}`)).json()) as { code: string }).code;
  await citizen.getByTestId('feedback-form').getByText(dossierCode, { exact: false }).waitFor();
  await expectAccessible(citizen, '/me/feedback/new');
  await expectNoSideScroll(citizen, 'the feedback form');

  // Nothing typed yet: the form says what is missing, beside the fields.
  await citizen.getByRole('button', { name: 'Gửi phản ánh, kiến nghị' }).click();
  await citizen.getByText('Vui lòng nhập thông tin này.').first().waitFor();
  await citizen.getByLabel('Tiêu đề').fill(SUBJECT);
  await citizen.getByLabel('Nội dung').fill(CONTENT);
  await answered(citizen, 'POST', /^\/api\/v1\/feedback$/, () => citizen.getByRole('button', { name: 'Gửi phản ánh, kiến nghị' }).click());
  await expectPath(citizen, /^\/me\/feedback\/[0-9a-f-]{36}$/);
  feedbackId = new URL(citizen.url()).pathname.split('/').pop()!;
  await expectH1(citizen, SUBJECT);
  feedbackCode = (await citizen.getByTestId('feedback-code').innerText()).trim();
  assert.match(feedbackCode, /^PAKN-\d{6}-\d{4}$/);
  assert.equal(await citizen.getByTestId('feedback-status').getAttribute('data-status'), 'received');
  await citizen.getByTestId('feedback-answer-due').waitFor();
  await expectAccessible(citizen, '/me/feedback/:id (received)');
  await expectNoSideScroll(citizen, 'the feedback page');
});

test('the reception officer takes it up and answers it; the division head publishes the answer', async () => {
  assert.ok(feedbackCode, 'the complaint of the first test');
  const desk = await newPage(browser);
  await signInOfficial(desk, demoOfficial('reception_officer'));
  let drawer = await openItem(desk);
  await drawer.getByText(CONTENT).waitFor();
  await drawer.getByText(citizenName, { exact: false }).first().waitFor();
  await expectAccessible(desk, '/staff/feedback (item open)');
  const actions = drawer.getByTestId('feedback-actions');
  assert.ok(await actions.getByRole('radio', { name: 'Nhận xử lý' }).isChecked(), 'taking it up is offered first');
  await answered(desk, 'POST', /\/actions$/, () => actions.getByRole('button', { name: 'Nhận xử lý' }).click());
  await drawer.getByTestId('feedback-status').and(desk.locator('[data-status="accepted"]')).waitFor();
  // Now answering comes first.
  await actions.getByRole('radio', { name: 'Trả lời' }).waitFor();
  assert.ok(await actions.getByRole('radio', { name: 'Trả lời' }).isChecked());
  await actions.getByLabel('Nội dung trả lời').fill(ANSWER);
  await answered(desk, 'POST', /\/actions$/, () => actions.getByRole('button', { name: 'Trả lời', exact: true }).click());
  await drawer.getByTestId('feedback-status').and(desk.locator('[data-status="answered"]')).waitFor();
  await drawer.getByText('Không còn thao tác nào bạn có thể thực hiện.').waitFor();
  await expectAccessible(desk, '/staff/feedback (answered)');
  // On a phone the queue scrolls inside its own region, never the page.
  const phone = await (await newContext(browser, { ...PHONE, storageState: await desk.context().storageState() })).newPage();
  await phone.goto(`/staff/feedback?status=all&q=${feedbackCode}`);
  await expectH1(phone, 'Phản ánh, kiến nghị');
  await phone.getByTestId('feedback-table').getByRole('button', { name: feedbackCode }).waitFor();
  await phone.waitForLoadState('networkidle');
  await expectNoSideScroll(phone, 'the officials\' feedback page');
  assert.ok(await tableScrollsInItsRegion(phone, 'feedback-table'), 'the table scrolls inside its own region');
  await expectAccessible(phone, '/staff/feedback (phone)');
  await phone.context().close();
  await desk.context().close();

  const head = await newPage(browser);
  await signInOfficial(head, demoOfficial('division_head'));
  drawer = await openItem(head);
  const publish = drawer.getByTestId('feedback-actions');
  assert.ok(await publish.getByRole('radio', { name: 'Công khai kết quả trả lời' }).isChecked());
  await answered(head, 'POST', /\/actions$/, () => publish.getByRole('button', { name: 'Công khai kết quả trả lời' }).click());
  await drawer.getByTestId('feedback-status').and(head.locator('[data-status="published"]')).waitFor();
  await expectAccessible(head, '/staff/feedback (published)');
  await head.context().close();
});

test('the citizen reads the answer; the public page shows it without their name or phone', async () => {
  assert.ok(feedbackId, 'the complaint of the first test');
  await citizen.goto('/me/feedback');
  await expectH1(citizen, 'Phản ánh của tôi');
  await citizen.getByTestId('my-feedback-list').getByRole('link', { name: SUBJECT }).click();
  await expectPath(citizen, `/me/feedback/${feedbackId}`);
  await citizen.getByTestId('feedback-answer').getByText(ANSWER).waitFor();
  assert.equal(await citizen.getByTestId('feedback-status').getAttribute('data-status'), 'published');
  const timeline = citizen.getByTestId('feedback-timeline');
  for (const step of ['Tiếp nhận phản ánh', 'Nhận xử lý', 'Trả lời', 'Công khai kết quả trả lời']) await timeline.getByText(step, { exact: true }).waitFor();
  await expectAccessible(citizen, '/me/feedback/:id (published)');
  await expectNoSideScroll(citizen, 'the answered feedback page');

  const visitor = await newPage(browser, PHONE);
  await visitor.goto('/phan-anh/cong-khai');
  await expectH1(visitor, 'Kết quả trả lời phản ánh, kiến nghị');
  const search = visitor.getByRole('textbox', { name: 'Tìm theo mã, tiêu đề hoặc nội dung trả lời' });
  await search.fill(feedbackCode);
  await answered(visitor, 'GET', /^\/api\/v1\/feedback\/published$/, () => search.press('Enter'));
  const card = visitor.getByTestId('published-feedback').filter({ hasText: feedbackCode });
  await card.getByText(SUBJECT).waitFor();
  await card.getByTestId('published-answer').getByText(ANSWER).waitFor();
  const text = await visitor.locator('main').innerText();
  assert.ok(!text.includes(citizenName), 'the public page does not name the citizen');
  assert.ok(!text.includes(citizenPhone) && !text.includes(citizenPhone.slice(-6)), 'nor shows their phone');
  await expectAccessible(visitor, '/phan-anh/cong-khai');
  await expectNoSideScroll(visitor, 'the published answers');
  // The public form page tells a visitor how to send feedback.
  await visitor.goto('/phan-anh');
  await expectH1(visitor, 'Gửi phản ánh, kiến nghị');
  await visitor.getByText('Vui lòng đăng nhập để gửi phản ánh, kiến nghị').waitFor();
  await expectAccessible(visitor, '/phan-anh (signed out)');
  await expectNoSideScroll(visitor, 'the feedback page for visitors');
  await visitor.context().close();
  await citizen.context().close();
});
