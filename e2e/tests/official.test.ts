import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  demoOfficial, download, expectAccessible, expectPath, followStaffMenu, freshTotp, expectH1, launchBrowser, newPage, pdfBytes, pdfText, signInOfficial,
} from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const ALL_ITEMS = [
  'Tiếp nhận hồ sơ', 'Tiếp nhận tại quầy', 'Xử lý hồ sơ', 'Trả kết quả', 'Tất cả hồ sơ', 'Hỗ trợ', 'Nhật ký kiểm toán',
  'Thủ tục hành chính', 'Lịch làm việc', 'Cơ quan, đơn vị', 'Cán bộ', 'Thanh toán, biên lai', 'Chứng thư số', 'Mẫu thông báo',
];

async function menuItems(page: Page): Promise<string[]> {
  const menu = page.getByTestId('staff-menu');
  await menu.waitFor();
  return (await menu.getByRole('link').allInnerTexts()).map((s) => s.trim());
}

function assertMenu(items: string[], expected: string[]) {
  for (const item of expected) assert.ok(items.includes(item), `menu has "${item}" (got ${items.join(', ')})`);
  for (const item of ALL_ITEMS.filter((i) => !expected.includes(i)))
    assert.ok(!items.includes(item), `menu hides "${item}" (got ${items.join(', ')})`);
}

test('a reception officer signs in with TOTP, sees the reception menu and records a dossier at the counter', async () => {
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('reception_officer'));
  await expectH1(page, 'Tổng quan');
  assertMenu(await menuItems(page), ['Tiếp nhận hồ sơ', 'Tiếp nhận tại quầy', 'Trả kết quả', 'Tất cả hồ sơ', 'Thanh toán, biên lai']);
  await page.getByTestId('staff-roles').getByText('Cán bộ một cửa').waitFor();

  await followStaffMenu(page, 'Tiếp nhận hồ sơ', '/staff/queues/to_receive');
  await expectH1(page, 'Hồ sơ: Chờ tiếp nhận');

  // A page of another role is refused.
  await page.goto('/staff/audit');
  await expectH1(page, 'Không có quyền truy cập');

  // Counter intake: applicant, procedure, a scanned paper, then receive in one flow.
  await page.getByTestId('staff-menu').getByRole('link', { name: 'Tiếp nhận tại quầy' }).click();
  await expectH1(page, 'Tiếp nhận hồ sơ tại quầy');
  await page.getByLabel('Thủ tục', { exact: true }).fill('doanh nghiep khoa hoc');
  await page.locator('.ant-select-dropdown:visible').getByText(/^Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ/).click();
  await page.getByText(/^Nơi nộp hồ sơ: /).waitFor();
  await page.getByLabel('Họ và tên').fill('Công ty TNHH Thử Nghiệm (e2e)');
  await page.getByLabel('Số điện thoại').fill('0987654321');
  await page.getByLabel('Số định danh cá nhân hoặc mã số thuế').fill('0312345678');
  await expectAccessible(page, '/staff/intake');
  await page.getByRole('button', { name: 'Tiếp tục: đính kèm giấy tờ' }).click();
  await page.getByRole('heading', { name: '3. Giấy tờ' }).waitFor();
  await page.getByTestId('intake-upload-0').setInputFiles({ name: 'don-de-nghi.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Don de nghi') });
  await page.getByText('don-de-nghi.pdf').waitFor();
  await page.getByTestId('intake-receive').click();
  const done = page.getByTestId('intake-done');
  await done.waitFor();
  const code = (await done.innerText()).trim().replace(/^Đã tiếp nhận hồ sơ /, '');
  assert.match(code, /^000\.00\.12\.H56-\d{6}-\d{4}$/);
  await expectAccessible(page, '/staff/intake (received)');
  const slip = await download(page, () => page.getByRole('link', { name: 'In giấy tiếp nhận và hẹn trả kết quả (PDF)' }).click());
  assert.equal(slip.name, `receipt-${code}.pdf`);
  const text = pdfText(slip.bytes);
  if (text !== null) assert.ok(text.replace(/\s+/g, ' ').includes(code), 'the slip shows the code');
  await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await page.getByTestId('dossier-status').filter({ hasText: 'Đang giải quyết' }).waitFor();
  await page.getByTestId('staff-papers').getByText('don-de-nghi.pdf').waitFor();
  await page.context().close();
});

test('an auditor reads the audit log and verifies the chain', async () => {
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('auditor'));
  assertMenu(await menuItems(page), ['Nhật ký kiểm toán', 'Thanh toán, biên lai']);
  await followStaffMenu(page, 'Nhật ký kiểm toán', '/staff/audit');
  await expectH1(page, 'Nhật ký kiểm toán');
  await page.getByRole('cell', { name: 'auth.login', exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Kiểm tra chuỗi' }).click();
  await page.getByTestId('audit-verify-result').getByText('toàn vẹn').waitFor();
  await expectAccessible(page, '/staff/audit');
  await page.context().close();
});

test('a province administrator creates an official, who then enrols TOTP at first sign-in', async () => {
  const admin = await newPage(browser);
  await signInOfficial(admin, demoOfficial('province_admin'));
  assertMenu(await menuItems(admin), [
    'Thủ tục hành chính', 'Lịch làm việc', 'Cơ quan, đơn vị', 'Cán bộ', 'Hỗ trợ', 'Thanh toán, biên lai', 'Chứng thư số', 'Mẫu thông báo',
  ]);

  await followStaffMenu(admin, 'Cơ quan, đơn vị', '/staff/admin/agencies');
  await admin.getByRole('cell', { name: '000.00.00.H56' }).first().waitFor();
  await expectAccessible(admin, '/staff/admin/agencies');

  await followStaffMenu(admin, 'Cán bộ', '/staff/admin/officials');
  await admin.getByText('kiemtoan@demo.motcua.vn').first().waitFor();
  await expectAccessible(admin, '/staff/admin/officials');

  const email = `canbo.moi.${Date.now()}@demo.motcua.vn`;
  await admin.getByRole('button', { name: 'Thêm cán bộ' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Họ và tên').fill('Cán Bộ Mới');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Vai trò 1', { exact: true }).click();
  await admin.locator('.ant-select-dropdown:visible').getByText('Chuyên viên', { exact: true }).click();
  await dialog.getByLabel('Vai trò 1', { exact: true }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').getByText('Chuyên viên').waitFor();
  await dialog.getByRole('button', { name: 'Tạo tài khoản' }).click();
  const temporary = admin.getByTestId('temporary-password');
  // The password, or the dialog's error (which then fails the test with its text).
  await temporary.or(dialog.getByRole('alert')).first().waitFor();
  if (!(await temporary.isVisible())) assert.fail(`the official was not created: ${(await dialog.getByRole('alert').allInnerTexts()).join(' | ')}`);
  const password = (await temporary.innerText()).trim();
  assert.ok(password.length >= 8, 'a temporary password is shown');
  await admin.getByRole('button', { name: 'Tôi đã ghi lại mật khẩu' }).click();
  await admin.getByText(email).first().waitFor();
  await admin.context().close();

  // First sign-in of the new official: enrol an authenticator with the secret shown.
  const page = await newPage(browser);
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('heading', { name: 'Thiết lập xác thực hai lớp' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  assert.match((await page.getByTestId('totp-url').innerText()).trim(), /^otpauth:\/\/totp\//);
  await expectAccessible(page, 'TOTP enrolment');
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Xác nhận và đăng nhập' }).click();
  await expectPath(page, '/staff');
  assertMenu(await menuItems(page), ['Xử lý hồ sơ', 'Tất cả hồ sơ']);
  await page.context().close();
});
