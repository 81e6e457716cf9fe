import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  answered, expectAccessible, expectH1, expectPath, fileDossierByApi, launchBrowser, newPage, procedureByCode, randomPhone, signUpCitizenByApi,
} from './helpers.ts';

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

test('a citizen deletes a draft from the list of dossiers, and another from its own page', async () => {
  const page = await newPage(browser);
  const citizen = await signUpCitizenByApi(page, { namePrefix: 'Hà Thị Bản Nháp' });
  const procedure = await procedureByCode(page, '2.001176');
  const formData = {
    applicantName: citizen.name,
    personalId: '079203012345',
    phone: citizen.phone,
    address: '5 Yersin, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ “Giống rong biển chịu nhiệt”.',
  };
  // Two drafts with their papers, and a dossier sent, which cannot be deleted.
  const first = await fileDossierByApi(page, citizen.csrfToken, procedure, { formData, draft: true });
  const second = await fileDossierByApi(page, citizen.csrfToken, procedure, { formData, draft: true });
  const sent = await fileDossierByApi(page, citizen.csrfToken, procedure, { formData });
  const card = (id: string) => page.getByTestId('my-dossier').filter({ has: page.locator(`a[href="/me/dossiers/${id}"]`) });

  await page.goto('/me/dossiers');
  await expectH1(page, 'Hồ sơ của tôi');
  await card(sent).waitFor();
  assert.equal(await page.getByTestId('my-dossier').count(), 3);
  assert.equal(await page.getByTestId('delete-draft').count(), 2, 'only the drafts offer deletion');
  assert.equal(await card(sent).getByTestId('delete-draft').count(), 0);
  await expectAccessible(page, '/me/dossiers (two drafts)');

  // From the list: a confirmation first, then the card is gone.
  await card(first).getByRole('button', { name: /^Xóa bản nháp/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Xóa bản nháp?' });
  await dialog.getByText('không khôi phục được', { exact: false }).waitFor();
  await expectAccessible(page, '/me/dossiers (confirm the deletion)');
  await answered(page, 'DELETE', new RegExp(`^/api/v1/dossiers/${first}$`), () => dialog.getByRole('button', { name: 'Xóa bản nháp', exact: true }).click());
  await dialog.waitFor({ state: 'detached' });
  await card(first).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('my-dossier').count(), 2);
  assert.equal((await page.request.get(`/api/v1/dossiers/${first}`)).status(), 404, 'the draft is gone for the server too');

  // From the draft's own page: cancelling keeps it, confirming deletes it and leads back to the list.
  await card(second).getByRole('link', { name: 'Tiếp tục nộp' }).waitFor();
  await page.goto(`/me/dossiers/${second}`);
  await page.getByText('Hồ sơ này là bản nháp, chưa được gửi đi.').waitFor();
  await expectAccessible(page, '/me/dossiers/:id (draft)');
  await page.getByTestId('delete-draft').click();
  await dialog.getByRole('button', { name: 'Hủy', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('delete-draft').click();
  await answered(page, 'DELETE', new RegExp(`^/api/v1/dossiers/${second}$`), () => dialog.getByRole('button', { name: 'Xóa bản nháp', exact: true }).click());
  await expectPath(page, '/me/dossiers');
  await card(sent).waitFor();
  await card(second).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('my-dossier').count(), 1);
  await expectAccessible(page, '/me/dossiers (drafts deleted)');

  // The submitted dossier's page offers no deletion.
  await page.goto(`/me/dossiers/${sent}`);
  await page.getByTestId('status-explained').waitFor();
  assert.equal(await page.getByTestId('delete-draft').count(), 0);
  await page.context().close();
});
