import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { expectH1, launchBrowser, newPage } from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const VI_NAME = 'Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa (demo)';
const EN_NAME = 'Khánh Hòa Province Public Administration Service Centre (demo)';

test('Vietnamese by default; English is one click away and persists across reloads', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto('/');
  await expectH1(page, VI_NAME);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');

  await page.getByTestId('language-switch').click();
  await page.getByRole('heading', { level: 1, name: EN_NAME }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.evaluate(() => localStorage.getItem('motcua.lang')), 'en');

  await page.reload();
  await expectH1(page, EN_NAME);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Agencies', exact: true }).first().waitFor();

  // Other pages follow the choice too.
  await page.goto('/signup');
  await expectH1(page, 'Sign up');

  await page.getByTestId('language-switch').click();
  await page.getByRole('heading', { level: 1, name: 'Đăng ký tài khoản' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await page.goto('/');
  await expectH1(page, VI_NAME);
  assert.equal(await page.evaluate(() => localStorage.getItem('motcua.lang')), 'vi');
  await page.context().close();
});
