import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { createAuthority, issueSigningCertificate } from '../../apps/server/src/adapters/signing/authority.ts';
import { toPem } from '../../apps/server/src/adapters/signing/x509.ts';
import {
  createOfficialByApi,
  demoOfficial,
  dossierToResultReadyByApi,
  download,
  expectAccessible,
  expectH1,
  followStaffMenu,
  launchBrowser,
  newPage,
  pdfBytes,
  signInOfficial,
  signInOfficialByApi,
  submitDossierByApi,
} from './helpers.ts';

/*
 * Issue 6, digitally signed results.
 *
 * The certificate admin page (/staff/admin/certificates): the demo agency admin sees the
 * department's demo certificate with its validity and the trust anchors, and a file that is not a
 * PKCS#12 or holds an expired certificate is refused with the server's message. A new agency
 * admin of another department (created through the API, so that the demo department keeps the
 * certificate the other journeys sign with) first types a wrong password, then uploads a
 * PKCS#12 made here (a test CA's certificate valid 20 days, packed by `openssl pkcs12`), sees it
 * in use with its expiry and trust warnings, and retires it after a confirmation.
 *
 * The signed result: a dossier of 2.001176 is moved through the API to "result ready" (the
 * pages of each step are covered by dossier.test.ts); the citizen downloads the result from the
 * dossier page and checks it on /verify (valid, issued by this system), then a copy with one
 * byte changed (altered). poppler's pdfsig checks the downloaded file independently when it is
 * installed. (verify.test.ts covers the signed receipt slip and the QR code link.)
 */

const DEPT_CODE = '000.00.12.H56';
const OTHER_DEPT_CODE = '000.00.14.H56'; // Sở Giáo dục và Đào tạo (demo): no other journey signs for it
const PROCEDURE_CODE = '2.001176';
const P12_PASSWORD = 'E2e-chung-thu-2026';
const DAY = 86_400_000;

let browser: Browser;
let work: string;

before(async () => {
  browser = await launchBrowser();
  work = mkdtempSync(join(tmpdir(), 'motcua-e2e-signing-'));
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** dd/mm/yyyy in Vietnam's time zone, as the pages write dates. */
const vnDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));

/**
 * A PKCS#12 as a certification authority hands it over: a signing certificate of a test CA
 * (which this server does not trust) and its key, with the CA certificate, packed by OpenSSL.
 */
function makePkcs12(o: { commonName: string; notBefore: Date; notAfter: Date }): Buffer {
  const ca = createAuthority([['C', 'VN'], ['O', 'e2e Test CA'], ['CN', 'e2e Test CA (không tin cậy)']]);
  const leaf = issueSigningCertificate(ca, [['C', 'VN'], ['O', 'Sở Giáo dục và Đào tạo (demo)'], ['CN', o.commonName]], {
    notBefore: o.notBefore,
    notAfter: o.notAfter,
  });
  const id = Math.random().toString(36).slice(2);
  const keyFile = join(work, `${id}.key`);
  const certFile = join(work, `${id}.crt`);
  const caFile = join(work, `${id}.ca`);
  const out = join(work, `${id}.p12`);
  writeFileSync(keyFile, leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(certFile, toPem(leaf.certificate));
  writeFileSync(caFile, toPem(ca.certificate));
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-certfile', caFile, '-passout', `pass:${P12_PASSWORD}`, '-out', out]);
  return readFileSync(out);
}

type CertificateJson = { id: string; agency: { code: string; name: string }; status: string; source: string; serialNumber: string; notBefore: string; notAfter: string };

/** The certificates the admin signed in on `page` manages, checking that no private key comes with them. */
async function listCertificates(page: Page): Promise<CertificateJson[]> {
  const res = await page.request.get('/api/v1/signing/certificates?status=all&limit=500');
  assert.equal(res.status(), 200, await res.text());
  assertNoPrivateKey(await res.text());
  return ((await res.json()) as { items: CertificateJson[] }).items;
}

function assertNoPrivateKey(json: string): void {
  assert.doesNotMatch(json, /PRIVATE KEY|"keyEnc"|"privateKey"|"pkcs8"|"password"/i, 'no private key (or password) in an API answer');
}

function row(page: Page, serialNumber: string): Locator {
  return page.getByTestId('certificates-table').locator('tbody tr').filter({ has: page.getByText(serialNumber, { exact: true }) });
}

async function openUpload(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Tải lên chứng thư số', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Tải lên chứng thư số của cơ quan' });
  await dialog.waitFor();
  return dialog;
}

/** Submits the upload dialog and returns the API's status and body. */
async function submitUpload(page: Page, dialog: Locator, file: { name: string; buffer: Buffer }, password: string): Promise<{ status: number; body: string }> {
  await dialog.getByLabel('Tệp chứng thư số (.p12 hoặc .pfx)').setInputFiles({ name: file.name, mimeType: 'application/x-pkcs12', buffer: file.buffer });
  await dialog.getByLabel('Mật khẩu của tệp chứng thư số').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && /^\/api\/v1\/signing\/agencies\/[^/]+\/certificates$/.test(new URL(r.url()).pathname)),
    dialog.getByRole('button', { name: 'Tải lên', exact: true }).click(),
  ]);
  return { status: response.status(), body: await response.text() };
}

test('the agency admin sees the demo certificate with its validity and the trust anchors; a file that is not PKCS#12 and an expired certificate are refused', async () => {
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('agency_admin'));
  await followStaffMenu(page, 'Chứng thư số', '/staff/admin/certificates');
  await expectH1(page, 'Chứng thư số của cơ quan');

  const initial = await listCertificates(page);
  assert.ok(initial.length > 0 && initial.every((c) => c.agency.code === DEPT_CODE), 'an agency admin sees only the certificates of the agency they administer');
  const demo = initial.find((c) => c.status === 'active');
  assert.ok(demo, `the demo department ${DEPT_CODE} has a certificate in use`);
  assert.equal(demo.source, 'demo');

  const demoRow = row(page, demo.serialNumber);
  await demoRow.getByText('Sở Khoa học và Công nghệ (demo)').first().waitFor();
  await demoRow.getByText('motcua Demo CA (DEMO - KHÔNG DÙNG THẬT)').waitFor();
  await demoRow.getByText('Được tin cậy', { exact: true }).waitFor();
  await demoRow.getByTestId('certificate-status').filter({ hasText: 'Đang sử dụng' }).waitFor();
  const validity = await demoRow.getByTestId('certificate-validity').innerText();
  assert.ok(validity.includes(`Từ ngày ${vnDate(demo.notBefore)}`) && validity.includes(`Đến ngày ${vnDate(demo.notAfter)}`), `the validity is shown (got ${validity})`);
  assert.match(validity, /Còn \d+ ngày/);
  await page.getByTestId('trust-anchors').getByText('motcua Demo CA (demo, không có giá trị pháp lý)').waitFor();
  await expectAccessible(page, '/staff/admin/certificates');

  // A file that is not a PKCS#12: the server's reason, in the dialog, beside the file field too.
  const dialog = await openUpload(page);
  await dialog.getByText('Sở Khoa học và Công nghệ (demo) (000.00.12.H56)').waitFor(); // the admin's agency, chosen already
  const notP12 = await submitUpload(page, dialog, { name: 'chung-thu.p12', buffer: pdfBytes('Khong phai chung thu so') }, P12_PASSWORD);
  assert.equal(notP12.status, 400, notP12.body);
  await dialog.getByRole('alert').getByText('Tệp không phải chứng thư số PKCS#12 (.p12/.pfx) hợp lệ.').waitFor();
  await expectAccessible(page, 'certificate upload refused');

  // An expired certificate, with the right password.
  const expired = makePkcs12({ commonName: 'Chứng thư hết hạn (e2e)', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
  const refused = await submitUpload(page, dialog, { name: 'het-han.p12', buffer: expired }, P12_PASSWORD);
  assert.equal(refused.status, 400, refused.body);
  await dialog.getByRole('alert').getByText('Chứng thư số đã hết hạn.').waitFor();
  await dialog.getByRole('button', { name: 'Hủy' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const afterwards = await listCertificates(page);
  assert.deepEqual(afterwards.filter((c) => c.status === 'active').map((c) => c.serialNumber), [demo.serialNumber], 'nothing changed');
  await page.context().close();
});

test('a new agency admin tries a wrong password, uploads the certificate, sees it in use with its warnings, and retires it', async () => {
  const province = await newPage(browser);
  await signInOfficialByApi(province, demoOfficial('province_admin'));
  const agencies = await province.request.get(`/api/v1/agencies?q=${OTHER_DEPT_CODE}`);
  const agency = ((await agencies.json()) as { items: { id: string; code: string; name: string }[] }).items.find((a) => a.code === OTHER_DEPT_CODE);
  assert.ok(agency, `agency ${OTHER_DEPT_CODE}`);

  const page = await newPage(browser);
  await createOfficialByApi(province, page, { fullName: 'Quản trị Sở Giáo dục (e2e)', roles: [{ role: 'agency_admin', agencyId: agency.id }] });
  await province.context().close();

  await page.goto('/staff/admin/certificates');
  await expectH1(page, 'Chứng thư số của cơ quan');
  const initial = await listCertificates(page);
  const demo = initial.find((c) => c.status === 'active');
  assert.ok(demo && initial.every((c) => c.agency.code === OTHER_DEPT_CODE), `${OTHER_DEPT_CODE} has its demo certificate`);
  await row(page, demo.serialNumber).getByTestId('certificate-status').filter({ hasText: 'Đang sử dụng' }).waitFor();

  const made = makePkcs12({ commonName: 'Sở Giáo dục và Đào tạo (e2e)', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 20 * DAY) });
  const dialog = await openUpload(page);
  await dialog.getByText(`${agency.name} (${OTHER_DEPT_CODE})`).waitFor();
  const wrong = await submitUpload(page, dialog, { name: 'so-giao-duc.p12', buffer: made }, 'mat-khau-sai');
  assert.equal(wrong.status, 400, wrong.body);
  await dialog.getByRole('alert').getByText('Sai mật khẩu của tệp chứng thư số.').waitFor();
  // Beside the password field as well.
  assert.equal(await dialog.getByLabel('Mật khẩu của tệp chứng thư số').getAttribute('aria-invalid'), 'true');

  const ok = await submitUpload(page, dialog, { name: 'so-giao-duc.p12', buffer: made }, P12_PASSWORD);
  assert.equal(ok.status, 201, ok.body);
  assertNoPrivateKey(ok.body);
  const { serialNumber } = JSON.parse(ok.body) as CertificateJson;
  await dialog.waitFor({ state: 'hidden' });

  const uploaded = row(page, serialNumber);
  await uploaded.getByTestId('certificate-status').filter({ hasText: 'Đang sử dụng' }).waitFor();
  await uploaded.getByText('Sở Giáo dục và Đào tạo (e2e)').first().waitFor();
  await uploaded.getByText('e2e Test CA (không tin cậy)').waitFor();
  await uploaded.getByText('Chưa được tin cậy', { exact: true }).waitFor();
  await uploaded.getByText(/Sắp hết hạn: còn (19|20) ngày/).waitFor();
  await row(page, demo.serialNumber).getByTestId('certificate-status').filter({ hasText: 'Đã ngừng sử dụng' }).waitFor();
  // The warning banner: it expires within 30 days, and its CA is not a trust anchor.
  const warnings = page.getByTestId('certificate-warnings');
  await warnings.getByTestId('certificate-warning-expiring').getByText(/còn (19|20) ngày\): cần gia hạn/).waitFor();
  await warnings.getByTestId('certificate-warning-untrusted').waitFor();
  await expectAccessible(page, '/staff/admin/certificates (uploaded)');

  // Retire it, after the confirmation: the agency is then left without a certificate.
  await uploaded.getByRole('button', { name: /^Ngừng sử dụng/ }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: 'Ngừng sử dụng chứng thư số của' });
  await confirm.getByText(serialNumber, { exact: false }).waitFor();
  const [retired] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/signing\/certificates\/[^/]+\/retire$/.test(new URL(r.url()).pathname)),
    confirm.getByRole('button', { name: 'Ngừng sử dụng', exact: true }).click(),
  ]);
  assert.equal(retired.status(), 200, await retired.text());
  await uploaded.getByTestId('certificate-status').filter({ hasText: 'Đã ngừng sử dụng' }).waitFor();
  await warnings.getByTestId('certificate-warning-missing').waitFor();
  assert.equal((await listCertificates(page)).filter((c) => c.status === 'active').length, 0, 'no certificate in use');
  await page.context().close();
});

// ---------------------------------------------------------------- the signed result

let signedResult: Buffer;
let citizen: Page;

/** A citizen's dossier of 2.001176 moved through the API to "result ready", its result signed on approval. */
async function dossierWithSignedResult(page: Page): Promise<{ id: string; code: string }> {
  const { id } = await submitDossierByApi(page, PROCEDURE_CODE, ({ name, phone }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '8 Yersin, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ khoa học.',
  }), { namePrefix: 'Phan Thị Mai' });
  const { desk } = await dossierToResultReadyByApi(browser, id, { name: 'giay-chung-nhan-ket-qua.pdf', text: 'Giay chung nhan ket qua nhiem vu e2e' });
  const detail = (await (await desk.request.get(`/api/v1/dossiers/${id}`)).json()) as { code: string; status: string };
  assert.equal(detail.status, 'result_ready');
  await desk.context().close();
  return { id, code: detail.code };
}

test('the citizen downloads the signed result from the dossier page; /verify reports it valid and issued here, and a copy with one byte changed altered', async () => {
  citizen = await newPage(browser);
  const dossier = await dossierWithSignedResult(citizen);

  await citizen.goto(`/me/dossiers/${dossier.id}`);
  const panel = citizen.getByTestId('result-panel');
  const file = await download(citizen, () => panel.getByRole('link', { name: /giay-chung-nhan-ket-qua\.pdf/ }).click());
  assert.equal(file.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  signedResult = file.bytes;
  // The file offered is the one the system signed and recorded.
  const docs = (await (await citizen.request.get(`/api/v1/dossiers/${dossier.id}/signed-documents`)).json()) as { items: { kind: string; sha256: string }[] };
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  assert.ok(docs.items.some((d) => d.kind === 'result' && d.sha256 === sha256), 'the downloaded result is the signed result of the dossier');

  await citizen.goto('/verify');
  await expectH1(citizen, 'Kiểm tra chữ ký số');
  await citizen.getByLabel('Chọn tệp PDF').setInputFiles({ name: file.name, mimeType: 'application/pdf', buffer: file.bytes });
  await citizen.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await citizen.getByTestId('verify-summary').filter({ hasText: 'Chữ ký số hợp lệ' }).waitFor();
  const issued = citizen.getByTestId('issued-document');
  await issued.getByText('Kết quả giải quyết TTHC').waitFor();
  await issued.getByText(dossier.code, { exact: true }).first().waitFor(); // the dossier code, and the reference
  await issued.getByText('Hoàng Văn Em (demo)').waitFor();
  const signature = citizen.getByTestId('signature').first();
  await signature.getByTestId('signature-status').filter({ hasText: 'Hợp lệ' }).waitFor();
  await signature.getByText('Nguyên vẹn').waitFor();
  await signature.getByText('Được tin cậy').waitFor();

  // One byte of the signed content changed: a letter of the result's text when it can be found
  // uncompressed, otherwise a byte of the binary comment under the header.
  const altered = Buffer.from(file.bytes);
  const text = altered.indexOf('Giay chung nhan ket qua', 0, 'latin1');
  const at = text >= 0 ? text : altered.indexOf('\n%', 0, 'latin1') + 2;
  assert.ok(at > 1, 'a byte to change');
  altered[at] = altered[at] === 0x47 ? 0x48 : 0x47;
  await citizen.getByLabel('Chọn tệp PDF').setInputFiles({ name: 'ban-sao-da-sua.pdf', mimeType: 'application/pdf', buffer: altered });
  await citizen.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await citizen.getByTestId('verify-summary').filter({ hasText: 'Văn bản đã bị thay đổi sau khi ký' }).waitFor();
  await citizen.getByTestId('signature').first().getByTestId('signature-status').filter({ hasText: 'Đã bị thay đổi' }).waitFor();
  await citizen.getByTestId('not-issued-here').waitFor();
  assert.equal(await citizen.getByTestId('issued-document').count(), 0, 'an altered copy is not a document this system issued');
  await expectAccessible(citizen, '/verify (altered copy)');
  await citizen.context().close();
});

const PDFSIG = '/usr/bin/pdfsig';
test('pdfsig (poppler) finds the signature of the downloaded result valid', { skip: existsSync(PDFSIG) ? false : `${PDFSIG} is not installed (apt-get install poppler-utils): the independent check is skipped` }, () => {
  assert.ok(signedResult, 'the signed result of the previous test');
  const path = join(work, 'ket-qua.pdf');
  writeFileSync(path, signedResult);
  const r = spawnSync(PDFSIG, [path], { encoding: 'utf8' });
  const report = `${r.stdout}${r.stderr}`;
  assert.match(report, /Signature is Valid/, `pdfsig says:\n${report}`);

  // And the altered copy is not.
  const altered = Buffer.from(signedResult);
  const at = altered.indexOf('\n%', 0, 'latin1') + 2;
  altered[at] = altered[at] === 0x47 ? 0x48 : 0x47;
  writeFileSync(path, altered);
  const bad = spawnSync(PDFSIG, [path], { encoding: 'utf8' });
  assert.doesNotMatch(`${bad.stdout}${bad.stderr}`, /Signature is Valid/, 'pdfsig refuses a copy with one byte changed');
});
