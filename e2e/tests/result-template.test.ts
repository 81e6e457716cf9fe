import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  actByApi,
  csrfTokenOf,
  demoOfficial,
  dossierToLeaderByApi,
  download,
  expectAccessible,
  expectH1,
  launchBrowser,
  newPage,
  pdfText,
  procedureByCode,
  signInOfficial,
  submitDossierByApi,
} from './helpers.ts';

/*
 * Issue 6, results generated from a template.
 *
 * The province admin opens procedure 2.001176 in the procedure editor, tab "Mẫu kết quả": the
 * demo template is shown (version 1). A placeholder chip inserts {{dossier.code}} at the cursor
 * of the body; an unknown placeholder is refused by the server, whose message shows beside the
 * body; the template is saved as version 2 (listed in the versions with who saved it) and
 * previewed as a PDF filled with a made-up dossier.
 *
 * A citizen's dossier of 2.001176 is moved through the API to the leader's step (the pages of
 * each step are covered by dossier.test.ts). The leader's dossier page offers the draft of the
 * result ("Xem dự thảo kết quả"), which carries the dossier's data and the new wording; the
 * leader approves WITHOUT uploading a result; the desk marks the result ready (API) and the
 * citizen downloads the generated result from /me/dossiers/:id: a PDF signed by the system
 * (the signed-documents record has its SHA-256) whose text, through pdftotext when installed,
 * has the title and the applicant's name.
 *
 * At the end the admin removes the template (after a confirmation), then restores version 1
 * from the versions list and saves it: other journeys share the server and its demo template.
 */

const PROCEDURE_CODE = '2.001176';
const TITLE = 'Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ';
/** The line the admin adds, with the cursor placed after "hồ sơ " before clicking the chip. */
const LINE_BEFORE = '- Tra cứu hồ sơ  trên Cổng dịch vụ công của tỉnh.';
const LINE_AFTER = '- Tra cứu hồ sơ {{dossier.code}} trên Cổng dịch vụ công của tỉnh.';
const UNKNOWN = '{{ngayHetHan}}';
const PDFTOTEXT = '/usr/bin/pdftotext';

type Template = { title: string; body: string; signerTitle: string; numberSuffix: string | null; version: number };
type TemplateState = { template: Template | null; history: (Template & { changedBy: string | null })[] };

let browser: Browser;
let admin: Page;
let adminCsrf: string;
let procedureId: string;
let original: Template;
let restored = false;

const templateUrl = () => `/api/v1/admin/procedures/${procedureId}/result-template`;
/** Whitespace folded, so that a line wrapped by the PDF layout still matches. */
const squash = (s: string) => s.replace(/\s+/g, ' ');

async function templateState(): Promise<TemplateState> {
  const res = await admin.request.get(templateUrl());
  assert.equal(res.status(), 200, await res.text());
  return (await res.json()) as TemplateState;
}

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  // A failed journey must not leave its wording to the journeys that share the server.
  if (admin && original && !restored) {
    const body = { title: original.title, body: original.body, signerTitle: original.signerTitle, numberSuffix: original.numberSuffix };
    const res = await admin.request.put(templateUrl(), { headers: { 'x-csrf-token': adminCsrf }, data: body });
    if (!res.ok()) console.error(`result-template: could not restore the template of ${PROCEDURE_CODE}: ${res.status()} ${await res.text()}`);
  }
  await browser?.close();
});

async function openEditor(page: Page): Promise<ReturnType<Page['getByTestId']>> {
  await page.goto(`/staff/admin/procedures/${procedureId}`);
  await expectH1(page, 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước');
  await page.getByRole('tab', { name: 'Mẫu kết quả' }).click();
  const editor = page.getByTestId('result-template-editor');
  await editor.getByRole('heading', { level: 2, name: 'Mẫu văn bản kết quả' }).waitFor();
  return editor;
}

test('the province admin inserts a placeholder with a chip, sees an unknown one refused beside the body, saves version 2 and previews it as a PDF', async () => {
  admin = await newPage(browser);
  await signInOfficial(admin, demoOfficial('province_admin'));
  adminCsrf = await csrfTokenOf(admin);
  procedureId = (await procedureByCode(admin, PROCEDURE_CODE)).id;
  const initial = await templateState();
  assert.ok(initial.template, `the demo procedure ${PROCEDURE_CODE} has a result template`);
  original = initial.template;
  assert.equal(original.title, TITLE);

  const editor = await openEditor(admin);
  await editor.getByTestId('result-template-status').getByText(`Đang dùng phiên bản ${original.version}`, { exact: false }).waitFor();
  const title = editor.getByLabel('Tiêu đề văn bản');
  const body = editor.getByLabel('Nội dung', { exact: true });
  assert.equal(await title.inputValue(), TITLE);
  assert.equal(await body.inputValue(), original.body);
  assert.equal(await editor.getByLabel('Chức danh người ký').inputValue(), original.signerTitle);
  assert.equal(await editor.getByLabel('Ký hiệu sau số văn bản').inputValue(), original.numberSuffix ?? '');
  // The syntax is explained beside the body, and the placeholders include the online form's fields.
  await editor.getByText('Một dòng trống: bắt đầu đoạn mới.').waitFor();
  const chips = editor.getByTestId('result-template-placeholders');
  await chips.getByRole('button', { name: 'Chèn Tờ khai: Nội dung đề nghị {{form.request}}', exact: true }).waitFor();
  await expectAccessible(admin, 'procedure editor (result template)');

  // A chip inserts its placeholder at the cursor, not at the end.
  await body.fill(`${original.body}\n${LINE_BEFORE}`);
  const at = original.body.length + 1 + LINE_BEFORE.indexOf('  ') + 1;
  await body.evaluate((el, pos) => (el as HTMLTextAreaElement).setSelectionRange(pos, pos), at);
  await chips.getByRole('button', { name: 'Chèn Mã hồ sơ {{dossier.code}}', exact: true }).click();
  assert.equal(await body.inputValue(), `${original.body}\n${LINE_AFTER}`);
  await editor.getByTestId('result-template-announcement').getByText('Đã chèn {{dossier.code}} vào ô Nội dung.').waitFor();

  // An unknown placeholder: the server refuses it, and says so beside the body.
  await body.fill(`${original.body}\n${LINE_AFTER}\n- Hiệu lực đến ngày ${UNKNOWN}.`);
  const [refused] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === templateUrl()),
    editor.getByTestId('save-result-template').click(),
  ]);
  assert.equal(refused.status(), 400, await refused.text());
  // The form item of the body (the inner locator is queried inside each item).
  const bodyItem = editor.locator('.ant-form-item').filter({ has: admin.getByLabel('Nội dung', { exact: true }) });
  await bodyItem.getByText(`Trường thay thế không tồn tại: ${UNKNOWN}.`).waitFor();
  assert.equal(await body.getAttribute('aria-invalid'), 'true', 'the body is marked invalid');
  await editor.getByRole('alert').first().waitFor();
  assert.equal((await templateState()).template?.version, original.version, 'nothing was saved');
  await expectAccessible(admin, 'procedure editor (result template refused)');
  // The server's message follows the interface language.
  await admin.getByTestId('language-switch').click();
  const bodyItemEn = editor.locator('.ant-form-item').filter({ has: admin.getByLabel('Body', { exact: true }) });
  await bodyItemEn.getByText(`Unknown placeholder: ${UNKNOWN}.`).waitFor();
  await admin.getByTestId('language-switch').click();
  await bodyItem.getByText(`Trường thay thế không tồn tại: ${UNKNOWN}.`).waitFor();

  // Without it, the template is saved as a new version, listed with who saved it.
  await body.fill(`${original.body}\n${LINE_AFTER}`);
  const [saved] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === templateUrl()),
    editor.getByTestId('save-result-template').click(),
  ]);
  assert.equal(saved.status(), 200, await saved.text());
  const version = original.version + 1;
  await editor.getByTestId('result-template-status').getByText(`Đang dùng phiên bản ${version}`, { exact: false }).waitFor();
  const history = editor.getByTestId('result-template-history');
  const newest = history.locator('tbody tr').filter({ hasText: `Phiên bản ${version}` });
  await newest.getByText('Đặng Văn Hùng (demo)').waitFor();
  await newest.getByText('Đang dùng', { exact: true }).waitFor();
  await history.locator('tbody tr').filter({ hasText: `Phiên bản ${original.version}` }).waitFor();
  assert.equal(await bodyItem.getByText(`Trường thay thế không tồn tại`).count(), 0, 'the error is gone');
  const state = await templateState();
  assert.equal(state.template?.version, version);
  assert.equal(state.template?.body, `${original.body}\n${LINE_AFTER}`);

  // The preview: a PDF of the form's template filled with a made-up dossier, downloaded.
  const [preview, file] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${templateUrl()}/preview`),
    download(admin, () => editor.getByTestId('preview-result-template').click()),
  ]);
  assert.equal(preview.status(), 200);
  assert.equal(preview.headers()['content-type'], 'application/pdf');
  const pdf = file.bytes;
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the preview is a PDF');
  assert.equal(file.name, 'xem-truoc-mau-ket-qua.pdf');
  await editor.getByTestId('result-template-preview-ready').getByRole('link', { name: 'Tải lại bản xem trước' }).waitFor();
  const text = pdfText(pdf);
  if (text !== null) {
    assert.ok(squash(text).includes('Nguyễn Văn Mẫu'), `the made-up applicant in the preview:\n${text}`);
    assert.ok(squash(text).includes('Tra cứu hồ sơ MAU-000000-0001 trên Cổng dịch vụ công'), `the new line, filled, in the preview:\n${text}`);
  }

  // Usable on a phone: nothing in the editor is wider than the screen.
  await admin.setViewportSize({ width: 375, height: 800 });
  await editor.getByTestId('save-result-template').waitFor();
  // The layout settles after the resize (antd's responsive parts re-render on a resize observer): give it a moment.
  await admin.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 5_000 }).catch(() => undefined);
  const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the editor fits a 375 px screen (the page overflows by ${overflow} px)`);
  await admin.setViewportSize({ width: 1280, height: 800 });
});

test('the leader sees the draft result, approves without uploading one, and the citizen downloads the generated, signed result', async () => {
  assert.ok(procedureId && original, 'the template of the first test');
  const citizen = await newPage(browser);
  const dossier = await submitDossierByApi(citizen, PROCEDURE_CODE, ({ name, phone }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '8 Yersin, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ đo mặn vùng ven biển.',
  }), { namePrefix: 'Trịnh Thu Hà' });
  const { desk, deskCsrf } = await dossierToLeaderByApi(browser, dossier.id);
  const code = ((await (await citizen.request.get(`/api/v1/dossiers/${dossier.id}`)).json()) as { code: string }).code;
  assert.ok(code, 'the dossier has its code once received');

  const leader = await newPage(browser);
  await signInOfficial(leader, demoOfficial('agency_leader'));
  await leader.goto(`/staff/dossiers/${dossier.id}`);
  await leader.getByTestId('dossier-actions').getByRole('button', { name: 'Phê duyệt', exact: true }).waitFor();
  const draft = leader.getByTestId('result-preview');
  await draft.getByText('khi lãnh đạo phê duyệt mà hồ sơ chưa có văn bản kết quả đính kèm, hệ thống tạo văn bản này', { exact: false }).waitFor();
  // With a template, the page does not ask the leader to upload a result first.
  assert.equal(await leader.getByText('Tải lên văn bản kết quả (phần', { exact: false }).count(), 0);
  await expectAccessible(leader, '/staff/dossiers/:id (draft result offered)');
  const file = await download(leader, () => draft.getByRole('link', { name: 'Xem dự thảo kết quả' }).click());
  assert.equal(file.bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the draft is a PDF');
  const draftText = pdfText(file.bytes);
  if (draftText !== null) {
    assert.ok(squash(draftText).includes(`Tra cứu hồ sơ ${code} trên Cổng dịch vụ công`), `the saved wording, filled with the dossier:\n${draftText}`);
    assert.ok(squash(draftText).includes(dossier.name), `the applicant in the draft:\n${draftText}`);
  }

  // Approval without a result attached: the result is generated from the template and signed.
  await leader.getByTestId('dossier-actions').getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  const dialog = leader.getByRole('dialog');
  await dialog.waitFor();
  const [approved] = await Promise.all([
    leader.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/dossiers/${dossier.id}/actions`),
    dialog.getByRole('button', { name: 'Phê duyệt', exact: true }).click(),
  ]);
  assert.equal(approved.status(), 200, await approved.text());
  await dialog.waitFor({ state: 'detached' });
  await leader.getByTestId('dossier-status').filter({ hasText: 'Đã phê duyệt' }).first().waitFor();
  const results = leader.getByTestId('staff-results');
  await results.getByRole('link', { name: /giay-chung-nhan-dang-ky-ket-qua.*\.pdf/ }).waitFor();
  assert.equal(await leader.getByTestId('result-preview').count(), 0, 'no draft once approved');
  await expectAccessible(leader, '/staff/dossiers/:id (approved, generated result)');
  await leader.context().close();

  await actByApi(desk, deskCsrf, dossier.id, 'mark_result_ready');
  await desk.context().close();

  await citizen.goto(`/me/dossiers/${dossier.id}`);
  const panel = citizen.getByTestId('result-panel');
  const result = await download(citizen, () => panel.getByRole('link', { name: /giay-chung-nhan-dang-ky-ket-qua.*\.pdf/ }).click());
  assert.match(result.name, /^giay-chung-nhan-dang-ky-ket-qua[a-z-]*\.pdf$/);
  assert.equal(result.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(result.bytes.includes(Buffer.from('/ByteRange', 'latin1')), 'the result carries a digital signature');
  const docs = (await (await citizen.request.get(`/api/v1/dossiers/${dossier.id}/signed-documents`)).json()) as { items: { kind: string; sha256: string }[] };
  const sha256 = createHash('sha256').update(result.bytes).digest('hex');
  assert.ok(docs.items.some((d) => d.kind === 'result' && d.sha256 === sha256), 'the downloaded result is the signed result of the dossier');
  if (existsSync(PDFTOTEXT)) {
    const text = pdfText(result.bytes);
    assert.ok(text !== null, 'pdftotext reads the result');
    const flat = squash(text);
    assert.ok(flat.includes(squash(TITLE.toLocaleUpperCase('vi'))), `the title in the result:\n${text}`);
    assert.ok(flat.includes(dossier.name), `the applicant's name in the result:\n${text}`);
    assert.ok(flat.includes(`Tra cứu hồ sơ ${code} trên Cổng dịch vụ công`), `the saved wording in the result:\n${text}`);
  }
  await expectAccessible(citizen, '/me/dossiers/:id (generated result)');
  await citizen.context().close();
});

test('the admin removes the template after a confirmation, then restores version 1 from the versions list and saves it', async () => {
  assert.ok(admin && original, 'the admin of the first test');
  const editor = await openEditor(admin);
  const history = editor.getByTestId('result-template-history');

  // Removal asks first; results are then uploaded by the officials, and the versions stay.
  await editor.getByRole('button', { name: 'Gỡ mẫu', exact: true }).click();
  await admin.getByText('Gỡ mẫu kết quả?').waitFor();
  const [removed] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname === templateUrl()),
    admin.getByRole('button', { name: 'Đồng ý gỡ', exact: true }).click(),
  ]);
  assert.equal(removed.status(), 200, await removed.text());
  await editor.getByTestId('result-template-status').getByText('Thủ tục này chưa có mẫu kết quả', { exact: false }).waitFor();
  assert.equal((await templateState()).template, null);
  assert.equal(await history.getByText('Đang dùng', { exact: true }).count(), 0, 'no version in use');
  assert.equal(await editor.getByRole('button', { name: 'Gỡ mẫu', exact: true }).count(), 0, 'nothing left to remove');

  await history.getByRole('button', { name: `Khôi phục phiên bản ${original.version} vào biểu mẫu`, exact: true }).click();
  const body = editor.getByLabel('Nội dung', { exact: true });
  assert.equal(await body.inputValue(), original.body, 'the version fills the form');
  assert.equal(await editor.getByLabel('Tiêu đề văn bản').inputValue(), original.title);
  await saveTemplate(admin);
  const state = await templateState();
  assert.ok(state.template);
  assert.deepEqual(
    { title: state.template.title, body: state.template.body, signerTitle: state.template.signerTitle, numberSuffix: state.template.numberSuffix },
    { title: original.title, body: original.body, signerTitle: original.signerTitle, numberSuffix: original.numberSuffix },
  );
  restored = true;
  await history.locator('tbody tr').filter({ hasText: `Phiên bản ${state.template.version}` }).getByText('Đang dùng', { exact: true }).waitFor();
  await editor.getByTestId('result-template-status').getByText(`Đang dùng phiên bản ${state.template.version}`, { exact: false }).waitFor();
  await admin.context().close();
});

/** Saves the editor's form and waits for the server's answer. */
async function saveTemplate(page: Page): Promise<void> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === templateUrl()),
    page.getByTestId('save-result-template').click(),
  ]);
  assert.equal(res.status(), 200, await res.text());
}
