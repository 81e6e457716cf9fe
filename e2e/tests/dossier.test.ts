import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  demoOfficial, download, expectAccessible, expectH1, expectPath, followStaffMenu, launchBrowser, newPage, PNG_BYTES, pdfBytes, pdfText,
  randomPhone, signInOfficial, signUpCitizenByApi, type DemoRole,
} from './helpers.ts';

/*
 * Issue 4's journey, stage by stage (the tests share the pages and run in order): a citizen
 * submits online with two attachments → the reception officer receives it → a specialist asks
 * for a supplement → the citizen supplies it → the specialist forwards → the division head
 * forwards → the leader uploads the result and approves → the desk marks the result ready and
 * returns it online → the citizen downloads it and rates the service; the public lookup shows
 * the status without personal data. Demo officials of the Department of Science and Technology
 * (000.00.12.H56) handle the department's own procedure 2.001176, which is offered fully online.
 */

const PROCEDURE = 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước';

let browser: Browser;
let citizen: Page;
const staff = new Map<string, Page>();
const phone = randomPhone();
const applicantName = `Phạm Minh Khoa ${phone.slice(-4)}`;
let dossierId = '';
let dossierCode = '';

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The official's page, signed in once for the whole journey. */
async function staffPage(role: DemoRole): Promise<Page> {
  let page = staff.get(role);
  if (!page) {
    page = await newPage(browser);
    await signInOfficial(page, demoOfficial(role));
    staff.set(role, page);
  }
  return page;
}

async function openStaffDossier(page: Page): Promise<void> {
  await page.goto(`/staff/dossiers/${dossierId}`);
  await page.getByTestId('dossier-actions').or(page.getByTestId('no-actions')).waitFor();
}

/** Takes an action from the dossier page: its button, then the dialog's confirm button; fails with the dialog's error. */
async function act(page: Page, action: string, confirm: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  await page.getByTestId('dossier-actions').getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  const alert = dialog.getByRole('alert');
  const outcome = await Promise.race([
    dialog.waitFor({ state: 'detached', timeout: 30_000 }).then(() => 'done' as const),
    alert.first().waitFor({ timeout: 30_000 }).then(() => 'refused' as const),
  ].map((p) => p.catch(() => 'timeout' as const)));
  if (outcome !== 'done') assert.fail(`${action}: ${outcome === 'refused' ? await alert.first().innerText() : 'no answer'}`);
}

async function expectStatus(page: Page, status: string): Promise<void> {
  await page.getByTestId('dossier-status').filter({ hasText: status }).first().waitFor();
}

test('a citizen submits online: form, two attachments, delivery, check and submit', async () => {
  citizen = await newPage(browser);
  // A fresh citizen account (the sign-up page itself is covered by citizen.test.ts).
  await signUpCitizenByApi(citizen, { name: applicantName, phone });

  await citizen.goto('/procedures?q=nhiem%20vu%20khoa%20hoc%20cong%20nghe');
  await citizen.getByTestId('procedure-results').getByRole('link', { name: PROCEDURE, exact: true }).click();
  await expectH1(citizen, PROCEDURE);
  await citizen.getByRole('link', { name: 'Nộp trực tuyến' }).first().click();
  await expectPath(citizen, /^\/procedures\/[0-9a-f-]{36}\/submit$/);
  await expectH1(citizen, 'Nộp hồ sơ trực tuyến');
  await citizen.getByTestId('step-heading').filter({ hasText: 'Bước 1/4: Tờ khai' }).waitFor();

  // Continue without filling in: the form says what is missing, beside each field.
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
  await citizen.getByText('Vui lòng nhập thông tin này.').first().waitFor();
  await expectAccessible(citizen, 'online form with errors');

  await citizen.getByLabel('Họ và tên người yêu cầu').fill(applicantName);
  await citizen.getByLabel('Số định danh cá nhân').fill('079203012345');
  await citizen.getByLabel('Số điện thoại').fill(phone);
  await citizen.getByLabel('Địa chỉ liên hệ').fill('12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa');
  await citizen.getByLabel('Nội dung đề nghị').fill('Đăng ký kết quả nhiệm vụ “Ứng dụng cảm biến đo độ mặn”.');
  // Saved as a draft while typing; the address bar records the draft.
  await citizen.getByTestId('save-status').filter({ hasText: 'Đã lưu nháp' }).waitFor();
  await citizen.waitForURL((url) => !!url.searchParams.get('dossier'));
  dossierId = new URL(citizen.url()).searchParams.get('dossier')!;

  // A reload keeps the answers.
  await citizen.reload();
  assert.equal(await citizen.getByLabel('Họ và tên người yêu cầu').inputValue(), applicantName);
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();

  // Papers: both required components, with upload progress.
  await citizen.getByTestId('step-heading').filter({ hasText: 'Bước 2/4: Giấy tờ' }).waitFor();
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
  await citizen.getByRole('alert').filter({ hasText: 'Còn thiếu giấy tờ bắt buộc' }).waitFor();
  await citizen.getByTestId('upload-0').setInputFiles({ name: 'phieu-dang-ky.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Phieu dang ky ket qua') });
  await citizen.getByTestId('paper-0').getByText('phieu-dang-ky.pdf').waitFor();
  await citizen.getByTestId('upload-1').setInputFiles({ name: 'bao-cao.png', mimeType: 'image/png', buffer: PNG_BYTES });
  await citizen.getByTestId('paper-1').getByText('bao-cao.png').waitFor();
  await expectAccessible(citizen, 'papers step');
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();

  // Delivery: online.
  await citizen.getByTestId('step-heading').filter({ hasText: 'Bước 3/4: Nhận kết quả' }).waitFor();
  await citizen.getByLabel('Nhận bản điện tử trực tuyến').check();
  await expectAccessible(citizen, 'delivery step');
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();

  // Check your answers, then submit.
  await citizen.getByTestId('step-heading').filter({ hasText: 'Bước 4/4: Kiểm tra và nộp' }).waitFor();
  await citizen.getByTestId('review-answers').getByText(applicantName).waitFor();
  await citizen.getByText('phieu-dang-ky.pdf').waitFor();
  await citizen.getByText('bao-cao.png').waitFor();
  await expectAccessible(citizen, 'check-your-answers step');
  assert.equal(await citizen.getByTestId('submit-dossier').isDisabled(), true, 'the declaration comes first');
  await citizen.getByLabel(/Tôi cam đoan/).check();
  await citizen.getByTestId('submit-dossier').click();
  await citizen.getByTestId('submitted-title').filter({ hasText: 'Đã nộp hồ sơ thành công' }).waitFor();
  await expectAccessible(citizen, 'submission confirmation');

  await citizen.getByRole('link', { name: 'Xem hồ sơ' }).click();
  await expectPath(citizen, `/me/dossiers/${dossierId}`);
  await expectH1(citizen, PROCEDURE);
  await expectStatus(citizen, 'Chờ tiếp nhận');
  await expectAccessible(citizen, '/me/dossiers/:id (submitted)');
  await citizen.goto('/me/dossiers');
  await citizen.getByTestId('my-dossiers').getByRole('link', { name: PROCEDURE }).first().waitFor();
  await expectAccessible(citizen, '/me/dossiers');
});

test('the reception officer receives it (code and appointment) and hands it on', async () => {
  const desk = await staffPage('reception_officer');
  await followStaffMenu(desk, 'Tiếp nhận hồ sơ', '/staff/queues/to_receive');
  const row = desk.getByRole('row').filter({ hasText: applicantName });
  await row.waitFor();
  await expectAccessible(desk, '/staff/queues/to_receive');
  await row.getByRole('link').click();
  await expectPath(desk, `/staff/dossiers/${dossierId}`);
  await desk.getByTestId('staff-papers').getByText('phieu-dang-ky.pdf').waitFor();
  await desk.getByTestId('form-answers').getByText('079203012345').waitFor();
  await expectAccessible(desk, '/staff/dossiers/:id (to receive)');

  await act(desk, 'Tiếp nhận', 'Tiếp nhận');
  await expectStatus(desk, 'Đang giải quyết');
  const h1 = (await desk.locator('h1').innerText()).trim();
  dossierCode = h1.replace(/^Hồ sơ /, '');
  assert.match(dossierCode, /^000\.00\.12\.H56-\d{6}-\d{4}$/, `a reception code (got ${dossierCode})`);
  await desk.getByTestId('visits-table').getByText('Tiếp nhận hồ sơ').waitFor();

  // The receipt and appointment slip (form 01): a PDF with the code, the applicant and the procedure.
  const slip = await download(desk, () => desk.getByRole('link', { name: /Giấy tiếp nhận hồ sơ và hẹn trả kết quả/ }).click());
  assert.equal(slip.name, `receipt-${dossierCode}.pdf`);
  assert.equal(slip.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = pdfText(slip.bytes);
  if (text !== null) {
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [dossierCode, applicantName, 'GIẤY TIẾP NHẬN HỒ SƠ']) assert.ok(flat.includes(expected), `the slip shows ${expected}`);
  }

  // The desk holds the reception step and forwards it to the specialists.
  await act(desk, 'Chuyển bước tiếp theo', 'Chuyển');
  await desk.getByTestId('current-step').filter({ hasText: 'Thẩm định, xử lý' }).waitFor();
  await expectAccessible(desk, '/staff/dossiers/:id (received)');
});

test('a specialist takes it and asks the citizen for a supplement', async () => {
  const specialist = await staffPage('specialist');
  await specialist.goto('/staff/queues/in_progress');
  await specialist.getByRole('link', { name: dossierCode }).click();
  await expectPath(specialist, `/staff/dossiers/${dossierId}`);
  await act(specialist, 'Nhận xử lý', 'Nhận xử lý');
  await specialist.getByText('Tôi đang xử lý').first().waitFor();
  await act(specialist, 'Yêu cầu bổ sung', 'Gửi yêu cầu', async (dialog) => {
    await dialog.getByLabel('Lý do 1').fill('Bổ sung biên bản nghiệm thu kết quả nhiệm vụ.');
  });
  await expectStatus(specialist, 'Chờ bổ sung hồ sơ');
});

test('the citizen sees the request and supplies the paper', async () => {
  await citizen.goto(`/me/dossiers/${dossierId}`);
  await expectStatus(citizen, 'Chờ bổ sung hồ sơ');
  const panel = citizen.getByTestId('supplement-panel');
  await panel.getByTestId('supplement-reasons').getByText('Bổ sung biên bản nghiệm thu kết quả nhiệm vụ.').waitFor();
  await citizen.getByTestId('dossier-code').filter({ hasText: dossierCode }).waitFor();
  await citizen.getByTestId('appointment').waitFor();
  await expectAccessible(citizen, '/me/dossiers/:id (supplement requested)');
  await panel.getByTestId('supplement-upload-other').setInputFiles({ name: 'bien-ban-nghiem-thu.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Bien ban nghiem thu') });
  await panel.getByTestId('supplement-files').getByText('bien-ban-nghiem-thu.pdf').waitFor();
  await panel.getByLabel('Ghi chú cho cán bộ (không bắt buộc)').fill('Đã bổ sung biên bản.');
  await panel.getByRole('button', { name: 'Gửi bổ sung' }).click();
  await expectStatus(citizen, 'Đang giải quyết');
  await citizen.getByTestId('dossier-timeline').getByText('Bổ sung hồ sơ').waitFor();
});

test('the specialist forwards, the division head forwards, the leader uploads the result and approves', async () => {
  // The division head opens the dossier while it is still at the specialist's step.
  const head = await staffPage('division_head');
  await openStaffDossier(head);
  await head.getByTestId('current-step').filter({ hasText: 'Thẩm định, xử lý' }).waitFor();

  const specialist = await staffPage('specialist');
  await openStaffDossier(specialist);
  await specialist.getByTestId('staff-papers').getByText('bien-ban-nghiem-thu.pdf').waitFor();
  await act(specialist, 'Chuyển bước tiếp theo', 'Chuyển', async (dialog) => {
    await dialog.getByLabel('Ý kiến xử lý').fill('Hồ sơ đầy đủ, đề nghị cấp giấy chứng nhận.');
  });
  await specialist.getByTestId('current-step').filter({ hasText: 'Trưởng phòng kiểm tra' }).waitFor();

  // The head's page is stale: acting on it is refused (409) instead of forwarding twice.
  await head.getByTestId('dossier-actions').getByRole('button', { name: 'Chuyển bước tiếp theo', exact: true }).click();
  const dialog = head.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Chuyển', exact: true }).click();
  await dialog.getByRole('alert').waitFor();
  await dialog.getByRole('button', { name: 'Tải lại hồ sơ' }).click();
  await head.getByTestId('current-step').filter({ hasText: 'Trưởng phòng kiểm tra' }).waitFor();
  await act(head, 'Chuyển bước tiếp theo', 'Chuyển');
  await head.getByTestId('current-step').filter({ hasText: 'Lãnh đạo phê duyệt' }).waitFor();

  const leader = await staffPage('agency_leader');
  await openStaffDossier(leader);
  await leader.getByTestId('staff-results').waitFor();
  // Sending it back: the steps offered are the ones the dossier's process allows from here, as the server lists them.
  await leader.getByTestId('dossier-actions').getByRole('button', { name: 'Trả lại bước trước', exact: true }).click();
  const back = leader.getByRole('dialog');
  await back.getByLabel('Trả về bước').click();
  // (antd keeps an accessible listbox of the options beside the visible list: attached is enough.)
  await leader.getByRole('option', { name: 'Thẩm định, xử lý' }).waitFor({ state: 'attached' });
  await leader.getByRole('option', { name: 'Trưởng phòng kiểm tra' }).waitFor({ state: 'attached' });
  assert.equal(await leader.getByRole('option', { name: 'Tiếp nhận hồ sơ' }).count(), 0, 'reception is not a step the leader may return to');
  await leader.keyboard.press('Escape');
  await back.getByRole('button', { name: 'Hủy', exact: true }).click();
  await back.waitFor({ state: 'detached' });
  await leader.getByTestId('upload-result').setInputFiles({ name: 'giay-chung-nhan.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Giay chung nhan dang ky ket qua') });
  await leader.getByTestId('staff-results').getByText('giay-chung-nhan.pdf').waitFor();
  await act(leader, 'Phê duyệt', 'Phê duyệt');
  await expectStatus(leader, 'Đã phê duyệt');
  // The process-control view: every step classified against its due time.
  const visits = leader.getByTestId('visits-table');
  for (const step of ['Tiếp nhận hồ sơ', 'Thẩm định, xử lý', 'Trưởng phòng kiểm tra', 'Lãnh đạo phê duyệt']) await visits.getByText(step).first().waitFor();
  assert.ok((await visits.getByText(/Trước hạn|Đúng hạn/).count()) >= 4, 'each finished step is early or on time');
  await expectAccessible(leader, '/staff/dossiers/:id (approved)');
});

test('the desk marks the result ready and returns it online', async () => {
  const desk = await staffPage('reception_officer');
  await desk.goto('/staff/queues/ready_to_return');
  await desk.getByRole('link', { name: dossierCode }).click();
  await act(desk, 'Xác nhận có kết quả', 'Xác nhận');
  await expectStatus(desk, 'Có kết quả');
  await act(desk, 'Trả kết quả', 'Trả kết quả', async (dialog) => {
    await dialog.getByText('Nhận bản điện tử trực tuyến').waitFor();
  });
  await expectStatus(desk, 'Đã trả kết quả');
});

test('the citizen downloads the result and rates the service; the public lookup shows the status without personal data', async () => {
  await citizen.goto(`/me/dossiers/${dossierId}`);
  await expectStatus(citizen, 'Đã trả kết quả');
  const result = citizen.getByTestId('result-panel');
  const file = await download(citizen, () => result.getByRole('link', { name: /giay-chung-nhan\.pdf/ }).click());
  assert.equal(file.name, 'giay-chung-nhan.pdf');
  assert.equal(file.bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the result is a PDF');
  const resultText = pdfText(file.bytes);
  if (resultText !== null) assert.ok(resultText.includes('Giay chung nhan dang ky ket qua'), 'the result the leader uploaded (signed)');
  await expectAccessible(citizen, '/me/dossiers/:id (returned)');

  const rating = citizen.getByTestId('rating-panel');
  await rating.getByText('Hài lòng', { exact: true }).click();
  await rating.getByLabel('Góp ý (không bắt buộc)').fill('Nhanh, rõ ràng.');
  await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await citizen.getByTestId('rating-done').getByText('Hài lòng', { exact: true }).waitFor();
  await expectAccessible(citizen, '/me/dossiers/:id (rated)');

  // Public status lookup, signed out, in a fresh context.
  const visitor = await newPage(browser);
  await visitor.goto('/lookup');
  await expectH1(visitor, 'Tra cứu hồ sơ');
  await visitor.getByLabel('Mã hồ sơ').fill(dossierCode);
  await visitor.getByLabel('4 số cuối số điện thoại').fill('0000' === phone.slice(-4) ? '1111' : '0000');
  await visitor.getByRole('button', { name: 'Tra cứu' }).click();
  await visitor.getByRole('alert').getByText('Không tìm thấy hồ sơ.').waitFor();
  await visitor.getByLabel('4 số cuối số điện thoại').fill(phone.slice(-4));
  await visitor.getByRole('button', { name: 'Tra cứu' }).click();
  const found = visitor.getByTestId('lookup-result');
  await found.getByTestId('dossier-status').filter({ hasText: 'Đã trả kết quả' }).waitFor();
  await found.getByText('Tiếp nhận', { exact: true }).first().waitFor();
  const text = await found.innerText();
  assert.ok(!text.includes(applicantName) && !text.includes('079203012345') && !text.includes(phone), 'no personal data in the public status');
  await expectAccessible(visitor, '/lookup (found)');
  await visitor.context().close();
  for (const page of staff.values()) await page.context().close();
  await citizen.context().close();
});
