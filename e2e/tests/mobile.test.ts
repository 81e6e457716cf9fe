import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { expectAccessible, expectPath, horizontalOverflow, launchBrowser, newPage } from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

test('the home page fits a 375 px phone without horizontal scrolling', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto('/');
  await page.locator('h1').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on /');
  await expectAccessible(page, '/ (phone)');

  // The navigation collapses into a drawer.
  await page.getByRole('button', { name: 'Mở danh mục' }).click();
  await page.getByRole('dialog').getByRole('link', { name: 'Cơ quan, đơn vị' }).click();
  await expectPath(page, '/agencies');
  await page.locator('.card-list-item').first().waitFor();
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on /agencies');

  for (const path of ['/signup', '/signin', '/procedures?q=h%E1%BB%99%20t%E1%BB%8Bch', '/lookup']) {
    await page.goto(path);
    await page.locator('h1').waitFor();
    assert.equal(await horizontalOverflow(page), 0, `no horizontal scroll on ${path}`);
  }
  await page.context().close();
});

test('the search box on the home page leads to the catalogue results, which fit the phone', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Tìm thủ tục hành chính' }).fill('khai sinh');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.waitForURL((url) => url.pathname === '/procedures' && url.searchParams.get('q') === 'khai sinh');
  await page.getByTestId('procedure-results').getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on a procedure page');
  await expectAccessible(page, '/procedures/:id (phone)');
  await page.context().close();
});
