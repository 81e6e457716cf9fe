import assert from 'node:assert/strict';
import { createHmac, randomInt } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:3000';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options });
  context.setDefaultTimeout(15_000);
  return context;
}

/** A fresh page in a fresh context (its own cookies and localStorage). */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await newContext(browser, options);
  return context.newPage();
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.replace(/=+$/, '').replace(/\s/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as authenticator apps compute it. */
export function totp(secret: string, at = Date.now()): string {
  const counter = BigInt(Math.floor(at / 1000 / 30));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(counter);
  const hmac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/**
 * A code that stays valid for a few seconds more: a code taken in the last seconds of its
 * window may reach the server in the next one, so wait for a fresh window first.
 */
export async function freshTotp(secret: string): Promise<string> {
  const intoWindow = (Date.now() / 1000) % 30;
  if (intoWindow > 25) await new Promise((r) => setTimeout(r, (30 - intoWindow + 0.5) * 1000));
  return totp(secret);
}

/** A Vietnamese mobile number nobody has used in this run. */
export function randomPhone(): string {
  return `09${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** Fails with a readable list when axe finds serious or critical violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`)
    .join('\n');
  assert.equal(bad.length, 0, `axe found serious/critical violations on ${label}:\n${report}`);
}

export async function expectPath(page: Page, path: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)));
}

/** Waits for the page's h1 to read `text` and checks that it is the only h1. */
export async function expectH1(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'one h1 per page');
}

export type Official = { email: string; password: string; totpSecret: string; role: string };

/** Signs an official in through the two steps of the sign-in page (Vietnamese interface). */
export async function signInOfficial(page: Page, official: Official): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(official.email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(official.password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('heading', { name: 'Xác thực hai lớp' }).waitFor();
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(await freshTotp(official.totpSecret));
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await expectPath(page, '/staff');
}
