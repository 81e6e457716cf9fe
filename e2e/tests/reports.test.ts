import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import {
  actByApi, chooseOption, demoOfficial, download, expectAccessible, expectH1, fileDossierByApi, horizontalOverflow,
  launchBrowser, newPage, procedureByCode, signInOfficial, signInOfficialByApi,
} from './helpers.ts';

/**
 * Issue 8 in the browser: the public statistics page reproduces the source article's 2019 table
 * for the Department of Information and Communications (the demo seeds that year's history); a
 * leader opens the dossiers behind a figure and behind a lowered index component; an export
 * runs as a job with a progress bar and downloads a real .xlsx with the article's figures.
 */
const DEPT_2019 = '000.00.13.H56';
const SCIENCE = '000.00.12.H56';
const PROCEDURE_CODE = '2.001176'; // a Department of Science and Technology procedure
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The text of a Statistic card's value. */
const statValue = async (page: Page, testId: string) => (await page.getByTestId(testId).locator('.ant-statistic-content-value').innerText()).trim();

/**
 * Waits until the demo's 2019 history is in the report facts: the server seeds it at start and
 * the refresher counts it within seconds, but a page that asked before would keep the public
 * answer (cached for a minute) it got.
 */
async function waitDemoHistory(page: Page): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const res = await page.request.get(`/api/v1/reports/summary?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31&includeChildren=false`);
    assert.equal(res.status(), 200, await res.text());
    const body = (await res.json()) as { figures: { received: number }; freshness: { pendingChanges: number } };
    if (body.figures.received === 183 && body.freshness.pendingChanges === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail('the demo history of 2019 was not counted within 60 s');
}

test('the public statistics page shows the article\'s 2019 table for the Department of Information and Communications', async () => {
  for (const [label, options] of [['desktop', {}], ['phone', PHONE]] as const) {
    const page = await newPage(browser, options);
    await waitDemoHistory(page);
    await page.goto('/thong-ke');
    await expectH1(page, 'Thống kê tình hình giải quyết hồ sơ');
    await chooseOption(page, 'Kỳ báo cáo', 'Năm 2019');
    await page.getByTestId('period-shown').filter({ hasText: 'Từ 01/01/2019 đến 31/12/2019' }).waitFor();
    // The department was dissolved in 2025; its 2019 history stays under itself.
    await chooseOption(page, 'Cơ quan', /^Sở Thông tin và Truyền thông/, 'Thông tin');
    const totals = page.locator(`[data-testid="stats-totals"][data-agency="${DEPT_2019}"]`);
    await totals.waitFor();
    assert.equal(await statValue(page, 'stat-received'), '183', '183 received');
    assert.equal(await statValue(page, 'stat-resolved'), '179', '179 resolved');
    assert.equal(await page.getByTestId('stat-received-online').getAttribute('data-value'), '51', '51 of them online');
    assert.equal(await page.getByTestId('stat-late').getAttribute('data-value'), '0', 'none late');
    assert.equal(await page.getByTestId('stat-in-progress').getAttribute('data-value'), '4', '4 in progress at the end of the year');
    assert.equal(await statValue(page, 'stat-on-time-rate'), '100,0%');
    await totals.getByText('trong đó trực tuyến: 51').waitFor();
    await totals.getByText('Trễ hạn: 0').waitFor();
    // The year by month: twelve rows.
    await page.getByTestId('stats-by-month').locator('tbody tr.ant-table-row').nth(11).waitFor();
    await page.getByRole('img', { name: /Biểu đồ số hồ sơ tiếp nhận và đã giải quyết theo tháng/ }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await horizontalOverflow(page), 0, `no horizontal scroll on /thong-ke (${label})`);
    await expectAccessible(page, `/thong-ke (${label})`);
    await page.context().close();
  }
});

/** A dossier received at the counter of the Department of Science and Technology today, through the API. Returns its id and code. */
async function counterDossier(): Promise<{ id: string; code: string }> {
  const desk = await newPage(browser);
  const csrf = await signInOfficialByApi(desk, demoOfficial('reception_officer'));
  const procedure = await procedureByCode(desk, PROCEDURE_CODE);
  const name = `Người nộp báo cáo ${Date.now() % 10_000}`;
  const id = await fileDossierByApi(desk, csrf, procedure, {
    applicant: { name, phone: '0987654321' },
    formData: { applicantName: name, personalId: '079203012345', phone: '0987654321', address: '12 Lê Thánh Tôn, phường Nha Trang, Khánh Hòa', request: 'Đăng ký kết quả nhiệm vụ.' },
  });
  const { code } = await actByApi(desk, csrf, id, 'receive');
  assert.ok(code, 'the dossier has a code once received');
  await desk.context().close();
  return { id, code };
}

/** Waits until the report facts include the dossier (the refresher runs every 5 s). */
async function waitCounted(page: Page, id: string): Promise<void> {
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  for (let i = 0; i < 60; i++) {
    const res = await page.request.get(`/api/v1/reports/dossiers?agency=${SCIENCE}&from=${today}&to=${today}&metric=received&limit=500`);
    assert.equal(res.status(), 200, await res.text());
    if (((await res.json()) as { items: { id: string }[] }).items.some((d) => d.id === id)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail('the dossier did not reach the report facts within 30 s');
}

test('a leader opens the dossiers behind a figure and behind a lowered index component', async () => {
  const dossier = await counterDossier();
  const page = await newPage(browser);
  await signInOfficial(page, demoOfficial('agency_leader'));
  await waitCounted(page, dossier.id);
  await page.goto('/staff/reports');
  await expectH1(page, 'Báo cáo, thống kê');
  await page.getByRole('tab', { name: 'Tổng quan' }).waitFor();

  // A figure is a button: "received" opens the list of the dossiers received in the period.
  const received = page.getByTestId('figure-received');
  await received.waitFor();
  const shown = Number((await page.getByTestId('figure-received-value').innerText()).replace(/\./g, ''));
  assert.ok(shown >= 1, `received this year: ${shown}`);
  await received.click();
  assert.equal(await received.getAttribute('aria-pressed'), 'true');
  const drill = page.getByTestId('drill-list');
  const heading = drill.getByRole('heading', { name: /^Hồ sơ: Tiếp nhận trong kỳ \(\d+\)$/ });
  await heading.waitFor();
  // As many as the figure said (other journeys may add dossiers meanwhile, never remove any); the
  // list is asked again a few times in case the facts were being refreshed between the two answers.
  let listed = Number(/\((\d+)\)/.exec(await heading.innerText())![1]);
  for (let i = 0; listed < shown && i < 3; i++) {
    await page.waitForTimeout(2_000);
    await received.click();
    await received.click();
    await heading.waitFor();
    listed = Number(/\((\d+)\)/.exec(await heading.innerText())![1]);
  }
  assert.ok(listed >= shown, `the list behind "received" has ${listed} dossiers, the figure said ${shown}`);
  await drill.getByRole('link', { name: dossier.code, exact: true }).waitFor();
  await expectAccessible(page, '/staff/reports (overview, drill-down open)');

  // The index tab: 3.3 (dossiers filed online, full points at 50 %) with its points, lowered by the counter dossier.
  await page.getByRole('tab', { name: 'Chỉ số 766' }).click();
  const row = page.locator('[data-testid="index-components"] tr[data-row-key="3.3"]');
  await row.waitFor();
  const points = (await row.getByTestId('index-points-3.3').innerText()).trim();
  assert.match(points, /^\d+\.\d\d \/ 4$/, `3.3 points: ${points}`);
  // 5.2 (feedback and complaints on time) is computed: points, or "nothing to measure" when no feedback was judged yet.
  await page.locator('[data-testid="index-components"] tr[data-row-key="5.2"]').getByText(/^\d+\.\d\d \/ 4$|Không có gì để đo trong kỳ/).first().waitFor();
  await row.getByRole('button', { name: /^Xem \d+ hồ sơ làm giảm điểm$/ }).click();
  const lowered = page.getByTestId('index-drill');
  await lowered.getByRole('heading', { name: /^Hồ sơ làm giảm điểm chỉ số 3\.3 \(\d+\)$/ }).waitFor();
  await lowered.getByRole('link', { name: dossier.code, exact: true }).waitFor();
  await expectAccessible(page, '/staff/reports (index tab, lowering dossiers open)');
  for (const tab of ['Thủ tục, bước chậm', 'Xếp hạng']) {
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('tabpanel').locator('h2').first().waitFor();
    await expectAccessible(page, `/staff/reports (${tab})`);
  }

  // The same dashboard on a phone's width.
  await page.setViewportSize(PHONE.viewport);
  await page.reload();
  await expectH1(page, 'Báo cáo, thống kê');
  await page.getByTestId('figure-received').click();
  await page.getByTestId('drill-list').getByRole('link', { name: dossier.code, exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on /staff/reports, overview (phone)');
  await expectAccessible(page, '/staff/reports, overview (phone)');
  await page.getByRole('tab', { name: 'Chỉ số 766' }).click();
  await page.locator('[data-testid="index-components"] tr[data-row-key="3.3"]').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scroll on /staff/reports, index (phone)');
  await expectAccessible(page, '/staff/reports, index (phone)');
  await page.context().close();
});

test('an Excel export of 2019 runs as a job with a progress bar and downloads a real .xlsx with the article\'s figures', async () => {
  // The province administrator's reports cover the whole province, the dissolved department included.
  const page = await newPage(browser);
  await waitDemoHistory(page);
  await signInOfficial(page, demoOfficial('province_admin'));
  await page.goto('/staff/reports');
  await expectH1(page, 'Báo cáo, thống kê');
  await chooseOption(page, 'Kỳ báo cáo', 'Năm 2019');
  await page.getByTestId('period-shown').filter({ hasText: 'Từ 01/01/2019 đến 31/12/2019' }).waitFor();
  await page.getByTestId('figure-received-value').filter({ hasText: /^183$/ }).waitFor();

  await page.getByRole('radio', { name: 'Excel (.xlsx)' }).check();
  await page.getByTestId('export-start').click();
  const progress = page.getByRole('progressbar', { name: 'Tiến độ xuất báo cáo' });
  await progress.waitFor();
  await page.locator('[data-testid="export-progress"][aria-valuenow="100"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="export-status"][data-state="succeeded"]').waitFor();
  await expectAccessible(page, '/staff/reports (export done)');
  const file = await download(page, () => page.getByTestId('export-download').click());
  assert.match(file.name, /\.xlsx$/, `a .xlsx file: ${file.name}`);
  assert.equal(file.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip file');

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  assert.ok(ws, 'a worksheet');
  assert.equal(ws.getCell(2, 1).text, 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
  assert.match(ws.getCell(3, 1).text, /từ ngày 01\/01\/2019 đến ngày 31\/12\/2019/);
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const dept = rows.find((r) => String(r[1]).includes('Sở Thông tin và Truyền thông'));
  assert.ok(dept, 'a row for the department');
  // (3) to process, (4) carried over, (5) online, (6) in person and post, (7) resolved, (10) late, (11) in progress.
  assert.deepEqual([dept[2], dept[3], dept[4], dept[5], dept[6], dept[9], dept[10]], [183, 0, 51, 132, 179, 0, 4]);
  assert.equal(rows.find((r) => r[1] === 'TỔNG CỘNG')?.[2], 183);
  // The API agrees that the job is this official's and finished.
  const jobs = (await (await page.request.get('/api/v1/reports/exports')).json()) as { items: { status: string; format: string }[] };
  assert.equal(jobs.items[0]?.status, 'succeeded');
  await page.context().close();
});
