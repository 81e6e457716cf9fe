import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { answered, demoOfficial, expectAccessible, expectH1, expectPath, followStaffMenu, launchBrowser, newPage, signInOfficial } from './helpers.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('issue 3: a new user types "dang ky kinh doanh" on the home page, finds the household business procedure and sees what to bring', async () => {
  const page = await newPage(browser);
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Tìm thủ tục hành chính' }).fill('dang ky kinh doanh');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.waitForURL((url) => url.pathname === '/procedures' && url.searchParams.get('q') === 'dang ky kinh doanh');
  await expectH1(page, 'Thủ tục hành chính');

  const results = page.getByTestId('procedure-results');
  const link = results.getByRole('link', { name: 'Đăng ký thành lập hộ kinh doanh', exact: true });
  await link.waitFor();
  // Ranked: it is among the first results.
  const titles = (await results.getByRole('heading', { level: 2 }).allInnerTexts()).map((s) => s.trim());
  assert.ok(titles.slice(0, 5).includes('Đăng ký thành lập hộ kinh doanh'), `near the top (got ${titles.slice(0, 5).join(' | ')})`);
  await page.getByRole('status').filter({ hasText: 'phù hợp với “dang ky kinh doanh”' }).waitFor();
  await expectAccessible(page, '/procedures?q=dang ky kinh doanh');

  await link.click();
  await expectPath(page, /^\/procedures\/[0-9a-f-]{36}$/);
  await expectH1(page, 'Đăng ký thành lập hộ kinh doanh');
  // What to bring: the dossier components, with the required ones marked.
  await page.getByRole('heading', { name: 'Thành phần hồ sơ', level: 2 }).waitFor();
  const components = page.getByTestId('procedure-components');
  await components.getByText('Giấy đề nghị đăng ký hộ kinh doanh theo mẫu').waitFor();
  assert.ok((await components.getByRole('listitem').count()) >= 3, 'several components are listed');
  await components.getByText('Bắt buộc').first().waitFor();
  // Fee, time and where, and the online button (the procedure is fully online).
  const summary = page.getByTestId('procedure-summary');
  await summary.getByText('3 ngày làm việc').waitFor();
  await page.getByTestId('procedure-fees').getByText('100.000 ₫').waitFor();
  await page.getByRole('link', { name: 'Nộp trực tuyến' }).first().waitFor();
  await page.getByText('Trực tuyến toàn trình').first().waitFor();
  await expectAccessible(page, '/procedures/:id');

  // A visitor who presses "Submit online" is asked to sign in first.
  await page.getByRole('link', { name: 'Nộp trực tuyến' }).first().click();
  await expectPath(page, '/signin');
  await page.context().close();
});

test('catalogue filters, an empty result and the English procedure page', async () => {
  const page = await newPage(browser);
  await page.goto('/procedures');
  await page.getByTestId('procedure-results').waitFor();

  // Filter by field: Khoa học và Công nghệ.
  await page.getByRole('combobox', { name: 'Lĩnh vực' }).click();
  await page.locator('.ant-select-dropdown:visible').getByText(/^Khoa học và Công nghệ \(\d+\)$/).click();
  await page.waitForURL((url) => !!url.searchParams.get('fieldId'));
  await page.getByTestId('procedure-results').getByRole('link', { name: /Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ/ }).waitFor();
  // Only free ones.
  await page.getByRole('combobox', { name: 'Phí, lệ phí' }).click();
  await page.locator('.ant-select-dropdown:visible').getByText('Miễn phí', { exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('hasFee') === 'false');
  await page
    .getByTestId('procedure-results')
    .getByRole('link', { name: /Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ/ })
    .waitFor({ state: 'detached' });
  await page.getByTestId('procedure-results').getByRole('link', { name: /Đăng ký kết quả thực hiện nhiệm vụ khoa học/ }).waitFor();
  await expectAccessible(page, '/procedures (filtered)');

  // Nothing matches: a clear empty state.
  await page.goto('/procedures?q=xyzzy%20khong%20co%20thu%20tuc');
  await page.getByText('Không tìm thấy thủ tục phù hợp.').waitFor();

  // English.
  await page.goto('/procedures?q=khai%20sinh');
  await page.getByTestId('language-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  await page.getByTestId('procedure-results').getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
  await expectH1(page, 'Đăng ký khai sinh');
  await page.getByRole('heading', { name: 'What to bring (dossier components)' }).waitFor();
  await page.getByText('8 working hours').first().waitFor();
  await expectAccessible(page, '/procedures/:id (English)');
  await page.context().close();
});

test('an agency admin edits a procedure with a live form preview, sees its history, runs an import and downloads the export', async () => {
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('agency_admin'));
  await followStaffMenu(page, 'Thủ tục hành chính', '/staff/admin/procedures');
  await expectH1(page, 'Quản trị thủ tục hành chính');
  await page.getByRole('cell', { name: '2.001223', exact: true }).waitFor();
  // The unpublished draft of the department is listed for its admin.
  await page.getByRole('link', { name: 'Cấp giấy phép cung cấp dịch vụ trò chơi điện tử G1 trên mạng (dự thảo)', exact: true }).waitFor();
  await expectAccessible(page, '/staff/admin/procedures');

  // Edit: change the processing time and look at the online form's live preview.
  await page.getByRole('link', { name: 'Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ', exact: true }).click();
  await expectPath(page, /^\/staff\/admin\/procedures\/[0-9a-f-]{36}$/);
  await expectH1(page, 'Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ');
  await page.getByLabel('Thời hạn giải quyết').fill('8');
  await page.getByRole('tab', { name: 'Biểu mẫu trực tuyến' }).click();
  const preview = page.getByTestId('form-preview');
  await preview.getByLabel(/Tên doanh nghiệp/).waitFor();
  // The preview follows the schema as it is typed.
  const schema = page.getByLabel('Lược đồ tờ khai (JSON Schema)');
  const text = await schema.inputValue();
  await schema.fill(text.replace('"Nội dung đề nghị"', '"Nội dung đề nghị cấp giấy chứng nhận"'));
  await preview.getByLabel(/Nội dung đề nghị cấp giấy chứng nhận/).waitFor();
  await expectAccessible(page, 'procedure editor (online form)');
  await answered(page, 'PATCH', /\/api\/v1\/admin\/procedures\/[0-9a-f-]{36}$/, () => page.getByTestId('save-procedure').click());

  // History: the change is recorded with who made it.
  await page.getByRole('tab', { name: 'Lịch sử thay đổi' }).click();
  const history = page.getByTestId('history-table');
  await history.getByText('Cập nhật').first().waitFor();
  await history.getByText('Vũ Thị Giang (demo)').first().waitFor();
  await history.getByText(/Thời hạn/).first().waitFor();

  // Internal process: the default steps are shown and can be saved as a new version.
  await page.getByRole('tab', { name: 'Quy trình nội bộ' }).click();
  const process = page.getByTestId('process-editor');
  await process.getByLabel('Tên bước (tiếng Việt)').first().waitFor();
  assert.equal(await process.getByRole('group').filter({ hasText: 'Bước' }).count() >= 4, true);
  await answered(page, 'PUT', /\/process$/, () => process.getByRole('button', { name: 'Lưu quy trình' }).click());
  await process.getByText(/phiên bản \d+/).waitFor();
  await expectAccessible(page, 'procedure editor (process)');

  // Import: a dry run shows a row result; a bad row is rejected with its reason and nothing can be imported.
  await page.goto('/staff/admin/procedures');
  await page.getByRole('button', { name: 'Nhập từ tệp' }).click();
  const panel = page.getByTestId('import-panel');
  const header = 'code,name,field_code,receiving_agency_codes,resolving_agency_codes,levels,applicants,methods,online_level,processing_value,processing_unit,steps,legal_basis,results,components,fees';
  const row = (code: string, name: string, agency: string) =>
    `${code},"${name}",KHCN,${agency},${agency},province,business,in_person;online,partial,5,working_days,"Bước 1: Nộp hồ sơ.","Luật Khoa học và Công nghệ số 29/2013/QH13.","Giấy chứng nhận|true|true","Đơn đề nghị|original|1|true|false",`;
  // A code of its own per run, so that the run can be repeated on one database.
  const code = `1.9${String(Date.now() % 100_000).padStart(5, '0')}`;
  const name = `Thủ tục nhập thử ${code} (e2e)`;
  const bad = [header, row(code, name, '000.00.12.H56'), row('1.999002', 'Dòng sai cơ quan', '999.99.99.H56')].join('\n');
  await panel.getByTestId('import-file').setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
  await panel.getByRole('button', { name: 'Chạy thử' }).click();
  const report = panel.getByTestId('import-report');
  await report.getByText('Có dòng bị từ chối').waitFor();
  await report.getByRole('cell', { name: '1.999002', exact: true }).waitFor();
  await report.getByText('Từ chối', { exact: true }).first().waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Nhập thật' }).isDisabled(), true, 'a rejected dry run cannot be imported');
  await expectAccessible(page, 'import dry run');

  const good = [header, row(code, name, '000.00.12.H56')].join('\n');
  await panel.getByTestId('import-file').setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
  await panel.getByRole('button', { name: 'Chạy thử' }).click();
  await report.getByText('Chạy thử thành công').waitFor();
  await report.getByText('Tạo mới', { exact: true }).first().waitFor();
  await panel.getByRole('button', { name: 'Nhập thật' }).click();
  await report.getByText('Đã nhập danh mục.').waitFor();
  await page.getByRole('link', { name, exact: true }).waitFor();

  // Export: a spreadsheet download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Xuất CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^danh-muc-thu-tuc-\d{8}\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  assert.ok(Buffer.concat(csv).toString('utf8').includes(code), 'the export holds the imported procedure');
  await page.context().close();
});

test('a province admin sees the year calendar with its holidays and adds then deletes an official override', async () => {
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('province_admin'));
  await followStaffMenu(page, 'Lịch làm việc', '/staff/admin/calendar');
  await page.goto('/staff/admin/calendar?year=2026');
  await expectH1(page, 'Lịch làm việc năm 2026');
  const grid = page.getByTestId('year-grid');
  // Tết 2026 falls on 17/02 (Vietnamese lunar calendar); 02/09 is National Day.
  await grid.getByText('17/02 —').first().waitFor();
  await grid.getByText('02/09 —').first().waitFor();
  assert.equal(await grid.getByRole('table').count(), 12, 'twelve months');
  await expectAccessible(page, '/staff/admin/calendar');

  // Add an extra day off (a Friday), see it highlighted, then delete it.
  const table = page.getByTestId('overrides-table');
  const remove = table.getByRole('button', { name: 'Xóa điều chỉnh ngày 25/12/2026' });
  const removeIt = async () => {
    await remove.click();
    await answered(page, 'DELETE', /\/admin\/calendar\/overrides\//, () => page.getByRole('tooltip').getByRole('button', { name: 'Đồng ý' }).click());
    await remove.waitFor({ state: 'detached' });
  };
  await table.waitFor();
  await page.waitForLoadState('networkidle');
  if (await remove.count()) await removeIt(); // left over by an earlier run on the same database
  await page.getByLabel('Ngày', { exact: true }).fill('25/12/2026');
  await page.keyboard.press('Tab');
  await page.getByLabel('Tên (tiếng Việt)').fill('Nghỉ thử nghiệm (e2e)');
  await answered(page, 'POST', /\/admin\/calendar\/overrides$/, () => page.getByRole('button', { name: 'Thêm điều chỉnh' }).click());
  await table.getByRole('cell', { name: '25/12/2026', exact: true }).waitFor();
  await grid.getByText('25/12 — Nghỉ thử nghiệm (e2e) (điều chỉnh)').waitFor();
  await removeIt();
  await table.getByText('Chưa có điều chỉnh nào trong năm.').waitFor();
  await page.context().close();
});
