import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_CITIZEN } from '../../apps/server/src/seed/demo-accounts.ts';
import { demoOfficial, expectAccessible, expectPath, launchBrowser, newPage, signInOfficial } from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('public pages have no serious or critical axe violations', async () => {
  const page = await newPage(browser);
  for (const path of ['/', '/signup', '/signin', '/agencies', '/procedures?q=khai%20sinh', '/lookup', '/khong-co-trang-nay']) {
    await page.goto(path);
    await page.locator('h1').waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, path);
  }
  // The same in English.
  await page.getByTestId('language-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  for (const path of ['/', '/agencies']) {
    await page.goto(path);
    await page.locator('h1').waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, `${path} (English)`);
  }
  await page.context().close();
});

test('a skip link is the first stop for keyboard users and moves focus to the main content', async () => {
  const page = await newPage(browser);
  await page.goto('/');
  await page.locator('h1').waitFor();
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  assert.equal((await focused.innerText()).trim(), 'Bỏ qua để đến nội dung chính');
  assert.ok(await focused.isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  for (const landmark of ['banner', 'main', 'contentinfo'] as const) assert.equal(await page.getByRole(landmark).count(), 1, `one ${landmark} landmark`);
  assert.ok((await page.getByRole('navigation').count()) >= 1, 'a navigation landmark');
  await page.context().close();
});

test('the citizen area has no serious or critical axe violations', async () => {
  const page = await newPage(browser);
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(DEMO_CITIZEN.phone);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_CITIZEN.password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expectPath(page, '/me');
  await page.getByTestId('profile').waitFor();
  await expectAccessible(page, '/me');
  await page.getByRole('button', { name: 'Sửa' }).click();
  await page.getByLabel('Họ và tên').waitFor();
  await expectAccessible(page, '/me (editing)');
  await page.context().close();
});

test('the staff console has no serious or critical axe violations', async () => {
  const specialist = demoOfficial('specialist');
  const agencyAdmin = demoOfficial('agency_admin');

  const page = await newPage(browser);
  await signInOfficial(page, specialist);
  await page.getByTestId('staff-menu').waitFor();
  await expectAccessible(page, '/staff');
  await page.goto('/staff/processing');
  await expectPath(page, '/staff/queues/in_progress');
  await page.locator('h1').waitFor();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, '/staff/queues/in_progress');
  await page.context().close();

  // On a phone the side menu becomes a drawer.
  const phone = await newPage(browser, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  await signInOfficial(phone, agencyAdmin);
  await phone.getByRole('button', { name: 'Mở danh mục' }).click();
  const drawer = phone.getByRole('dialog');
  await drawer.getByRole('link', { name: 'Cán bộ' }).click();
  await expectPath(phone, '/staff/admin/officials');
  await phone.locator('h1').waitFor();
  await phone.waitForLoadState('networkidle');
  await expectAccessible(phone, '/staff/admin/officials (phone)');
  await phone.context().close();
});
