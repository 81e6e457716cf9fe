import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { expectPath, expectH1, launchBrowser, newPage, randomPhone } from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a new citizen signs up, edits the profile, signs out and signs in again', async () => {
  const page = await newPage(browser);
  const phone = randomPhone();
  const password = 'biển xanh nha trang mùa hè';
  const personalId = '079203012345';

  await page.goto('/signup');
  await expectH1(page, 'Đăng ký tài khoản');
  await page.getByLabel('Họ và tên').fill('Trần Thị Thử Nghiệm');
  await page.getByLabel('Số điện thoại').fill(phone);

  // A password the server refuses as too common: its message appears beside the field.
  await page.getByLabel('Mật khẩu', { exact: true }).fill('matkhau123');
  await page.getByLabel('Nhập lại mật khẩu').fill('matkhau123');
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await page.locator('#password_help, [id$="password_help"]').getByText('quá phổ biến').waitFor();

  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByLabel('Nhập lại mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();

  await expectPath(page, '/me');
  await expectH1(page, 'Tài khoản của tôi');
  await page.getByTestId('profile').getByText('Trần Thị Thử Nghiệm').waitFor();

  // Edit: add a personal ID number and an address; the ID comes back masked.
  await page.getByRole('button', { name: 'Sửa' }).click();
  await page.getByLabel('Họ và tên').fill('Trần Thị Thử Nghiệm Hai');
  await page.getByLabel('Số định danh cá nhân (CCCD)').fill(personalId);
  await page.getByLabel('Địa chỉ').fill('01 Trần Phú, phường Nha Trang');
  await page.getByRole('button', { name: 'Lưu' }).click();
  const masked = page.getByTestId('personal-id-masked');
  await masked.waitFor();
  const maskedText = (await masked.innerText()).trim();
  assert.match(maskedText, /\*/, `the ID is shown masked (got ${maskedText})`);
  assert.ok(!maskedText.includes(personalId), 'the full ID number is not shown');
  assert.ok(!(await page.content()).includes(personalId), 'the full ID number is nowhere in the page');
  await page.getByTestId('profile').getByText('Trần Thị Thử Nghiệm Hai').waitFor();
  await page.getByTestId('profile').getByText('01 Trần Phú, phường Nha Trang').waitFor();

  // Reload: the change is stored, not just displayed.
  await page.reload();
  await page.getByTestId('profile').getByText('Trần Thị Thử Nghiệm Hai').waitFor();
  assert.equal((await page.getByTestId('personal-id-masked').innerText()).trim(), maskedText);

  // Sign out: the account page is closed to visitors.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expectPath(page, '/');
  await page.goto('/me');
  await expectPath(page, '/signin');

  // Sign in again with the phone number.
  await page.getByLabel('Số điện thoại hoặc email').fill(phone);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expectPath(page, '/me');
  await page.getByTestId('profile').getByText('Trần Thị Thử Nghiệm Hai').waitFor();

  // When the session is gone (expired, revoked), the next request leads back to sign-in.
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Sửa' }).click();
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expectPath(page, '/signin');
  await page.context().close();
});

test('a wrong password is refused with a message and the visitor stays signed out', async () => {
  const page = await newPage(browser);
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(randomPhone());
  await page.getByLabel('Mật khẩu', { exact: true }).fill('không phải mật khẩu');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('alert').first().waitFor();
  await expectPath(page, '/signin');
  await page.context().close();
});
