import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { DEMO_OFFICIALS, type DemoOfficial } from '../../apps/server/src/seed/demo-accounts.ts';

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
  // Reduced motion: the site then turns antd's animations off, so no test (nor axe) meets a
  // half-faded toast or a dialog still zooming in.
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    reducedMotion: 'reduce',
    ...options,
  });
  context.setDefaultTimeout(20_000);
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

/** How far the page scrolls sideways (0 when it fits its window); when it does, the elements sticking out are logged. */
export async function horizontalOverflow(page: Page): Promise<number> {
  // After a resize the layout settles on the next frames (antd re-renders on resize observers).
  await page.waitForFunction(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, null, { timeout: 3_000 }).catch(() => undefined);
  const r = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${Array.from(e.classList).join('.')} → ${Math.round(e.getBoundingClientRect().right)}`);
    return { overflow: document.documentElement.scrollWidth - width, wide };
  });
  if (r.overflow) console.log(`sticking out: ${r.wide.join('; ')}`);
  return r.overflow;
}

/** Whether the table `testId` scrolls sideways inside its own region (focusable, named), as wide tables do on a phone. */
export async function tableScrollsInItsRegion(page: Page, testId: string): Promise<boolean> {
  return page
    .getByTestId(testId)
    .locator('xpath=ancestor::div[@role="region"][1]')
    .evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto');
}

/** Follows the link `name` of the staff side menu and waits for its page at `path`. */
export async function followStaffMenu(page: Page, name: string, path: string): Promise<void> {
  await page.getByTestId('staff-menu').getByRole('link', { name }).click();
  await expectPath(page, path);
}

/**
 * Picks an option of the antd Select labelled `label` (its dropdown is rendered at the end of the
 * body), typing `search` into it first when given. When the option is not found, the open
 * dropdowns and the box's value are logged.
 */
export async function chooseOption(page: Page, label: string, option: string | RegExp, search?: string): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  await box.click();
  if (search) await box.fill(search);
  try {
    await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: typeof option === 'string' }).click();
  } catch (err) {
    console.log(`dropdowns: ${JSON.stringify(await page.locator('.ant-select-dropdown').allInnerTexts())}; value: ${await box.inputValue()}`);
    await page.screenshot({ path: join(tmpdir(), 'motcua-e2e-choose.png') });
    throw err;
  }
}

/** Waits for the page's h1 to read `text` and checks that it is the only h1. */
export async function expectH1(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'one h1 per page');
}

export type Official = { email: string; password: string; totpSecret: string; role: string };

/** A role of the demo officials (DEMO_OFFICIALS). */
export type DemoRole = DemoOfficial['role'];

/** The demo official (DEMO_OFFICIALS, printed in the README) who holds `role`. */
export function demoOfficial(role: DemoRole): Official {
  const found = DEMO_OFFICIALS.find((o) => o.role === role);
  assert.ok(found, `a demo ${role} exists`);
  return found;
}

/**
 * The last TOTP step handed out per secret, shared by the test files running at the same time
 * (separate processes) through a small file in the temp folder, under a mkdir lock.
 */
const stepFile = (secret: string) => join(tmpdir(), `motcua-e2e-totp-${secret}.step`);

async function withTotpLock<T>(secret: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `motcua-e2e-totp-${secret}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after a minute.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Gone meanwhile: try again.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A code for a step no test file has used for this secret: the current one, or a later one
 * (the server accepts one step of drift) when the current one was handed out already.
 */
async function unusedTotp(secret: string): Promise<string> {
  return withTotpLock(secret, async () => {
    const current = () => Math.floor(Date.now() / 30_000);
    let last = -1;
    try {
      last = Number(readFileSync(stepFile(secret), 'utf8')) || -1;
    } catch {
      // First use in this run.
    }
    const step = Math.max(current(), last + 1);
    while (step > current() + 1) await new Promise((r) => setTimeout(r, 500));
    writeFileSync(stepFile(secret), String(step));
    return totp(secret, step * 30_000 + 1_000);
  });
}

/**
 * Signs an official in through the two steps of the sign-in page (Vietnamese interface). A code
 * refused because another test file used its step already is retried with the next step.
 */
export async function signInOfficial(page: Page, official: Official): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(official.email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(official.password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('heading', { name: 'Xác thực hai lớp' }).waitFor();
  for (let attempt = 0; ; attempt++) {
    await page.getByLabel('Mã xác thực (6 chữ số)').fill(await unusedTotp(official.totpSecret));
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/totp' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Xác nhận' }).click(),
    ]);
    if (response.ok()) {
      await expectPath(page, '/staff');
      return;
    }
    if (attempt >= 3) throw new Error(`TOTP sign-in of ${official.email} refused ${attempt + 1} times`);
  }
}

/** Signs a citizen in with a phone number (or email) and password. */
export async function signInCitizen(page: Page, identifier: string, password: string, landing = '/me'): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Số điện thoại hoặc email').fill(identifier);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expectPath(page, landing);
}

/** A small valid PDF (the server checks magic bytes), with its text in the content stream. */
export function pdfBytes(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A 1×1 PNG. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The text of a PDF through poppler's pdftotext, or null when it is not installed. */
export function pdfText(pdf: Buffer): string | null {
  const r = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout;
}

/** Clicks something that downloads a file and returns the file's bytes and suggested name. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

/** Does something that sends one API request and waits for its successful answer (toasts are too brief to wait for). */
export async function answered(page: Page, method: string, path: RegExp, action: () => Promise<void>): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)),
    action(),
  ]);
  if (!response.ok()) assert.fail(`${method} ${response.url()} answered ${response.status()}: ${await response.text().catch(() => '')}`);
}

/** The CSRF token of the session in `page`'s context, for API calls made with `page.request`. */
export async function csrfTokenOf(page: Page): Promise<string> {
  const me = await page.request.get('/api/v1/auth/me');
  assert.equal(me.status(), 200, await me.text());
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

/**
 * Signs an official in through the API (password, then TOTP) in `page`'s context, for journeys
 * that move a dossier through steps whose pages other files cover. A code refused because another
 * test file used its step already is retried with the next step. Returns the CSRF token.
 */
export async function signInOfficialByApi(page: Page, official: Official): Promise<string> {
  const login = await page.request.post('/api/v1/auth/login', { data: { identifier: official.email, password: official.password } });
  assert.equal(login.status(), 200, await login.text());
  const challenge = (await login.json()) as { status: string; challengeId: string };
  assert.equal(challenge.status, 'totp_required', `${official.email} has TOTP enrolled`);
  for (let attempt = 0; ; attempt++) {
    const res = await page.request.post('/api/v1/auth/totp', { data: { challengeId: challenge.challengeId, code: await unusedTotp(official.totpSecret) } });
    if (res.ok()) return ((await res.json()) as { me: { csrfToken: string } }).me.csrfToken;
    if (attempt >= 3) assert.fail(`TOTP sign-in of ${official.email} refused ${attempt + 1} times: ${res.status()} ${await res.text()}`);
  }
}

/**
 * A new official created by the administrator signed in on `admin` (`POST /api/v1/admin/officials`),
 * then signed in on `page` for the first time through the API, enrolling TOTP with the secret the
 * server hands out. Returns the official's email and CSRF token.
 */
export async function createOfficialByApi(
  admin: Page,
  page: Page,
  input: { fullName: string; roles: { role: string; agencyId: string }[] },
): Promise<{ email: string; csrfToken: string }> {
  const email = `e2e.${Date.now()}.${randomInt(0, 1_000_000)}@demo.motcua.vn`;
  const created = await admin.request.post('/api/v1/admin/officials', {
    headers: { 'x-csrf-token': await csrfTokenOf(admin) },
    data: { fullName: input.fullName, email, roles: input.roles },
  });
  assert.equal(created.status(), 201, await created.text());
  const { temporaryPassword } = (await created.json()) as { temporaryPassword: string };
  const login = await page.request.post('/api/v1/auth/login', { data: { identifier: email, password: temporaryPassword } });
  assert.equal(login.status(), 200, await login.text());
  const enrol = (await login.json()) as { status: string; challengeId: string; secret: string };
  assert.equal(enrol.status, 'totp_enrolment_required', 'a new official enrols TOTP at first sign-in');
  const done = await page.request.post('/api/v1/auth/totp/enrol', { data: { challengeId: enrol.challengeId, code: await freshTotp(enrol.secret) } });
  assert.equal(done.status(), 200, await done.text());
  return { email, csrfToken: ((await done.json()) as { me: { csrfToken: string } }).me.csrfToken };
}

/**
 * An official action through the API (`POST /api/v1/dossiers/:id/actions`) by the official signed
 * in on `page`. Returns the dossier as the server answers it.
 */
export async function actByApi(
  page: Page,
  csrf: string,
  dossierId: string,
  type: string,
  extra: Record<string, unknown> = {},
): Promise<{ code: string | null; status: string }> {
  const res = await page.request.post(`/api/v1/dossiers/${dossierId}/actions`, { headers: { 'x-csrf-token': csrf }, data: { type, ...extra } });
  assert.ok(res.ok(), `${type}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as { code: string | null; status: string };
}

/** A procedure of the demo catalogue, as `GET /api/v1/procedures/:id` describes it. */
export type DemoProcedure = {
  id: string;
  code: string;
  methods: string[];
  agencies: { id: string; kind: string }[];
  components: { id: string; required: boolean }[];
};

/** The demo procedure `code`, found through the catalogue search of the API. */
export async function procedureByCode(page: Page, code: string): Promise<DemoProcedure> {
  const list = await page.request.get(`/api/v1/procedures?q=${encodeURIComponent(code)}`);
  assert.equal(list.status(), 200, await list.text());
  const summary = ((await list.json()) as { items: { id: string; code: string }[] }).items.find((p) => p.code === code);
  assert.ok(summary, `procedure ${code} is in the demo catalogue`);
  const detail = await page.request.get(`/api/v1/procedures/${summary.id}`);
  assert.equal(detail.status(), 200, await detail.text());
  return (await detail.json()) as DemoProcedure;
}

/**
 * A new citizen signed up through the API in `page`'s context (so `page` is signed in as them):
 * named `name`, or `namePrefix` and the last four digits of the phone; `phone` when given,
 * otherwise a fresh one. Returns the name, the phone and the session's CSRF token.
 */
export async function signUpCitizenByApi(
  page: Page,
  who: { name?: string; namePrefix?: string; phone?: string } = {},
): Promise<{ name: string; phone: string; csrfToken: string }> {
  const phone = who.phone ?? randomPhone();
  const name = who.name ?? `${who.namePrefix ?? 'Công dân e2e'} ${phone.slice(-4)}`;
  const signup = await page.request.post('/api/v1/auth/signup', { data: { fullName: name, phone, password: 'mùa xuân trên thành phố biển' } });
  assert.equal(signup.status(), 201, await signup.text());
  return { name, phone, csrfToken: ((await signup.json()) as { me: { csrfToken: string } }).me.csrfToken };
}

/**
 * A dossier of `procedure` made through the API by whoever is signed in on `page` (CSRF token
 * `csrf`), its required papers uploaded, and submitted: online by the citizen
 * (`POST /api/v1/dossiers`, at the procedure's receiving agency with `atReceivingAgency`), or, for
 * `applicant`, at the counter by a reception officer (`POST /api/v1/staff/dossiers`); left a draft
 * (papers uploaded, not submitted) with `draft`. Returns its id.
 */
export async function fileDossierByApi(
  page: Page,
  csrf: string,
  procedure: DemoProcedure,
  input: { formData: Record<string, unknown>; atReceivingAgency?: boolean; applicant?: { name: string; phone: string }; draft?: boolean },
): Promise<string> {
  const headers = { 'x-csrf-token': csrf };
  const data: Record<string, unknown> = { procedureId: procedure.id, formData: input.formData };
  if (input.atReceivingAgency) {
    const agency = procedure.agencies.find((a) => a.kind === 'receiving');
    assert.ok(agency, `a receiving agency of ${procedure.code}`);
    data.agencyId = agency.id;
  }
  const created = input.applicant
    ? await page.request.post('/api/v1/staff/dossiers', { headers, data: { ...data, applicant: input.applicant } })
    : await page.request.post('/api/v1/dossiers', { headers: { ...headers, 'idempotency-key': `e2e-${procedure.code}-${randomUUID()}` }, data });
  assert.equal(created.status(), 201, await created.text());
  const id = ((await created.json()) as { id: string }).id;
  for (const c of procedure.components.filter((x) => x.required)) {
    const uploaded = await page.request.post(`/api/v1/dossiers/${id}/files`, {
      headers,
      multipart: { componentId: c.id, file: { name: 'giay-to.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`Giay to ${c.id}`) } },
    });
    assert.equal(uploaded.status(), 201, await uploaded.text());
  }
  if (input.draft) return id;
  const submitted = await page.request.post(`/api/v1/dossiers/${id}/submit`, { headers, data: {} });
  assert.ok(submitted.ok(), await submitted.text());
  return id;
}

/**
 * A new citizen signed up through the API in `page`'s context (so `page` is signed in as them;
 * `who` as for signUpCitizenByApi), with a dossier of the demo procedure `procedureCode`
 * submitted online, its required papers uploaded (at the receiving agency with
 * `atReceivingAgency`). `formData` builds the online form's answers from the citizen's name and
 * phone. Returns the dossier's id, the procedure and the citizen (with their CSRF token).
 */
export async function submitDossierByApi(
  page: Page,
  procedureCode: string,
  formData: (citizen: { name: string; phone: string }) => Record<string, unknown>,
  options: { name?: string; namePrefix?: string; phone?: string; atReceivingAgency?: boolean } = {},
): Promise<{ id: string; procedure: DemoProcedure; name: string; phone: string; csrfToken: string }> {
  const citizen = await signUpCitizenByApi(page, options);
  const procedure = await procedureByCode(page, procedureCode);
  const id = await fileDossierByApi(page, citizen.csrfToken, procedure, { formData: formData(citizen), atReceivingAgency: options.atReceivingAgency });
  return { id, procedure, ...citizen };
}

/**
 * The reception officer receives a submitted dossier through the API (signed in on a page of its
 * own, closed afterwards). Returns the code the dossier gets.
 */
export async function receiveByApi(browser: Browser, dossierId: string, desk: Official = demoOfficial('reception_officer')): Promise<string> {
  const page = await newPage(browser);
  const { code } = await actByApi(page, await signInOfficialByApi(page, desk), dossierId, 'receive');
  assert.ok(code, 'the received dossier has a code');
  await page.context().close();
  return code;
}

type ProcessOfficials = { desk: Official; specialist: Official; head: Official };

/**
 * Moves a submitted dossier of the default process to the leader's step through the API: the
 * reception officer receives and forwards it, the specialist claims and forwards it, the division
 * head forwards it (the demo officials of these roles unless told). Returns the reception
 * officer's page (signed in, with its CSRF token) for the steps after approval; the caller
 * closes its context.
 */
export async function dossierToLeaderByApi(
  browser: Browser,
  dossierId: string,
  officials: ProcessOfficials = { desk: demoOfficial('reception_officer'), specialist: demoOfficial('specialist'), head: demoOfficial('division_head') },
): Promise<{ desk: Page; deskCsrf: string }> {
  const desk = await newPage(browser);
  const deskCsrf = await signInOfficialByApi(desk, officials.desk);
  await actByApi(desk, deskCsrf, dossierId, 'receive');
  await actByApi(desk, deskCsrf, dossierId, 'forward');
  const specialist = await newPage(browser);
  const specialistCsrf = await signInOfficialByApi(specialist, officials.specialist);
  await actByApi(specialist, specialistCsrf, dossierId, 'claim');
  await actByApi(specialist, specialistCsrf, dossierId, 'forward');
  await specialist.context().close();
  const head = await newPage(browser);
  await actByApi(head, await signInOfficialByApi(head, officials.head), dossierId, 'forward');
  await head.context().close();
  return { desk, deskCsrf };
}

/**
 * Moves a submitted dossier of the default process to "result ready" through the API: as
 * dossierToLeaderByApi, then the demo agency leader uploads `result` (a PDF named `result.name`
 * holding `result.text`) and approves, and the reception officer marks the result ready.
 * Returns the reception officer's page (signed in, with its CSRF token); the caller closes its
 * context.
 */
export async function dossierToResultReadyByApi(
  browser: Browser,
  dossierId: string,
  result: { name: string; text: string },
): Promise<{ desk: Page; deskCsrf: string }> {
  const { desk, deskCsrf } = await dossierToLeaderByApi(browser, dossierId);
  const leader = await newPage(browser);
  const leaderCsrf = await signInOfficialByApi(leader, demoOfficial('agency_leader'));
  const uploaded = await leader.request.post(`/api/v1/dossiers/${dossierId}/files?kind=result`, {
    headers: { 'x-csrf-token': leaderCsrf },
    multipart: { file: { name: result.name, mimeType: 'application/pdf', buffer: pdfBytes(result.text) } },
  });
  assert.equal(uploaded.status(), 201, await uploaded.text());
  await actByApi(leader, leaderCsrf, dossierId, 'approve');
  await leader.context().close();
  await actByApi(desk, deskCsrf, dossierId, 'mark_result_ready');
  return { desk, deskCsrf };
}
