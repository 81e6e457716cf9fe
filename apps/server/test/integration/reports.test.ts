import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService, type WorkingCalendar } from '../../src/modules/calendar/index.ts';
import { refreshReportFacts } from '../../src/modules/reports/index.ts';
import { writeHistory, type HistoryAction } from '../../src/modules/reports/history.ts';
import { DEPT_2019, history2019 } from '../../src/seed/demo-history.ts';
import { buildProcedure, multipart, pdfBytes } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, type TestApp } from '../helpers.ts';

/**
 * The department of the source article (Information and Communications, dissolved into Science
 * and Technology in 2025): its 2019 report must come out of the system as the article gives it:
 * 183 received, 179 resolved, 51 of them online, none late.
 */
const SCIENCE = '000.00.12.H56';

let t: TestApp;
let cal: WorkingCalendar;
let calendar: CalendarService;
let anon: Client;
let citizen: Client;
let provinceAdmin: Client;
let head: Client;
let dir: string;
const refresh = () => refreshReportFacts(t.db, calendar);

beforeAll(async () => {
  t = await createTestApp();
  calendar = new CalendarService(t.db, t.config);
  cal = await calendar.calendar();
  dir = mkdtempSync(join(tmpdir(), 'motcua-reports-'));
  anon = new Client(t.app);
  citizen = await signInCitizen(t.app);
  provinceAdmin = await signInOfficial(t.app, 'province_admin');
  head = await signInOfficial(t.app, 'division_head');

  const proc = await buildProcedure(t.ownerDb, { agencyCode: DEPT_2019, days: 10 });
  const agency = await t.db.selectFrom('agencies').select('id').where('code', '=', DEPT_2019).executeTakeFirstOrThrow();
  const dossiers = history2019(cal, [proc.id], agency.id);
  await writeHistory(t.db, cal, dossiers);
  await refresh();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const summaryUrl = (agency: string, from: string, to: string, extra = '') => `/api/v1/reports/summary?agency=${agency}&from=${from}&to=${to}${extra}`;

describe('the source article\'s department, 2019', () => {
  it('reproduces the article\'s table from the dossiers: 183 received, 179 resolved, 51 online, none late', async () => {
    const res = await anon.get(summaryUrl(DEPT_2019, '2019-01-01', '2019-12-31', '&includeChildren=false'));
    expect(res.statusCode).toBe(200);
    const s = safeJson(res.body);
    expect(s.agency).toMatchObject({ code: DEPT_2019, validTo: '2025-02-28' });
    expect(s.figures).toMatchObject({
      carriedOver: 0, received: 183, receivedOnline: 51, toProcess: 183, resolved: 179, resolvedLate: 0,
      inProgress: 4, inProgressOverdue: 0, refused: 0, withdrawn: 0, onTimeRate: 1, lateRate: 0,
    });
    expect(s.figures.receivedInPerson + s.figures.receivedByPost).toBe(132);
    expect(s.figures.resolvedEarly + s.figures.resolvedOnTime).toBe(179);
    expect(s.period).toMatchObject({ from: '2019-01-01', to: '2019-12-31', measuredAt: '2019-12-31T17:00:00.000Z' });
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    // The dissolved department's history stays under itself, and counts in the province's.
    const province = safeJson((await anon.get(summaryUrl('000.00.00.H56', '2019-01-01', '2019-12-31'))).body);
    expect(province.figures).toMatchObject({ received: 183, resolved: 179 });
    const successor = safeJson((await anon.get(summaryUrl(SCIENCE, '2019-01-01', '2019-12-31'))).body);
    expect(successor.figures.received).toBe(0);
    // The next year starts with the 4 carried over.
    const next = safeJson((await anon.get(summaryUrl(DEPT_2019, '2020-01-01', '2020-01-31'))).body);
    expect(next.figures).toMatchObject({ carriedOver: 4, received: 0, toProcess: 4, inProgress: 4 });
  });

  it('breaks the year down by month and channel, with the same totals', async () => {
    const byMonth = safeJson((await anon.get(`/api/v1/reports/breakdown?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31&by=month`)).body);
    expect(byMonth.rows).toHaveLength(12);
    expect(byMonth.rows.reduce((a: number, r: { figures: { received: number } }) => a + r.figures.received, 0)).toBe(183);
    expect(byMonth.rows[11].figures.inProgress).toBe(4);
    // Each month carries over what the previous left in hand.
    for (let i = 1; i < 12; i++) expect(byMonth.rows[i].figures.carriedOver).toBe(byMonth.rows[i - 1].figures.inProgress);
    const byChannel = safeJson((await anon.get(`/api/v1/reports/breakdown?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31&by=channel`)).body);
    expect(Object.fromEntries(byChannel.rows.map((r: { key: string; figures: { received: number } }) => [r.key, r.figures.received]))).toMatchObject({ online: 51 });
    expect(byChannel.total.received).toBe(183);
    const byAgency = safeJson((await anon.get(`/api/v1/reports/breakdown?agency=000.00.00.H56&from=2019-01-01&to=2019-12-31&by=agency`)).body);
    expect(byAgency.rows.map((r: { code: string }) => r.code)).toEqual([DEPT_2019]);
  });

  it('scores the department on the Decision 766 index: public scores, officials see what lowered them', async () => {
    const pub = safeJson((await anon.get(`/api/v1/reports/index?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31`)).body);
    const c = Object.fromEntries(pub.components.map((x: { code: string }) => [x.code, x]));
    expect(c['2.1']).toMatchObject({ rate: 1, points: 12, lowering: null });
    expect(c['3.3'].numerator).toBe(51);
    expect(c['3.3'].denominator).toBe(183);
    // 5.2: the department had no feedback in 2019: nothing to measure.
    expect(c['5.2']).toMatchObject({ source: 'computed', points: null, denominator: 0 });
    const off = safeJson((await provinceAdmin.get(`/api/v1/reports/index?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31`)).body);
    const o = Object.fromEntries(off.components.map((x: { code: string }) => [x.code, x]));
    expect(o['3.3'].lowering).toMatchObject({ count: 132, metric: 'idx33' });
    const drill = safeJson((await provinceAdmin.get(`/api/v1/reports/dossiers?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31&metric=idx33&limit=5`)).body);
    expect(drill.total).toBe(132);
    expect(drill.items).toHaveLength(5);
    expect(drill.items[0].channel).not.toBe('online');
    expect(drill.items[0].code).toMatch(/^000\.00\.13\.H56-19\d{4}-\d{4}$/);
  });

  it('exports the periodic report as .xlsx and PDF through a job with progress, for its author only', async () => {
    const body = { agency: DEPT_2019, from: '2019-01-01', to: '2019-12-31', includeChildren: false };
    const post = await provinceAdmin.post('/api/v1/reports/exports', { ...body, format: 'xlsx' });
    expect(post.statusCode).toBe(202);
    const job = safeJson(post.body);
    expect(job).toMatchObject({ status: 'queued', format: 'xlsx', downloadUrl: null });
    const done = await waitJob(provinceAdmin, job.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 100, downloadUrl: `/api/v1/reports/exports/${job.id}/file` });
    const file = await provinceAdmin.get(done.downloadUrl);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const dept = rows.find((r) => String(r[1]).includes('Thông tin và Truyền thông'))!;
    // (3) to process, (4) carried over, (5) online, (6) in person and post, (7) resolved, (10) late, (11) in progress.
    expect([dept[2], dept[3], dept[4], dept[5], dept[6], dept[9], dept[10]]).toEqual([183, 0, 51, 132, 179, 0, 4]);
    expect(rows.find((r) => r[1] === 'TỔNG CỘNG')?.[2]).toBe(183);
    // Another official cannot see or download it.
    expect((await head.get(`/api/v1/reports/exports/${job.id}`)).statusCode).toBe(404);
    expect((await head.get(`/api/v1/reports/exports/${job.id}/file`)).statusCode).toBe(404);

    const pdf = await waitJob(provinceAdmin, safeJson((await provinceAdmin.post('/api/v1/reports/exports', { ...body, format: 'pdf' })).body).id);
    const bytes = (await provinceAdmin.get(pdf.downloadUrl)).rawPayload;
    const f = join(dir, 'r.pdf');
    writeFileSync(f, bytes);
    const text = execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
    expect(text).toContain('Từ ngày 01/01/2019 đến ngày 31/12/2019');
    expect(text).toMatch(/TỔNG CỘNG\s+183\s+0\s+51\s+132\s+179/);
    const mine = safeJson((await provinceAdmin.get('/api/v1/reports/exports')).body);
    expect(mine.items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([job.id, pdf.id]));
    const audit = await t.db.selectFrom('auditLog').select('details').where('action', '=', 'report.exported').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
});

async function waitJob(c: Client, id: string) {
  for (let i = 0; i < 100; i++) {
    const j = safeJson((await c.get(`/api/v1/reports/exports/${id}`)).body);
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('export did not finish');
}

describe('Decision 766, 2.1, from real histories', () => {
  it('subtracts supplement pauses, counts more than one supplement request and an apology\'s new appointment as late, and counts the overdue still open', async () => {
    const JUSTICE = '000.00.03.H56';
    const proc = await buildProcedure(t.ownerDb, { agencyCode: JUSTICE, days: 5 });
    const agency = await t.db.selectFrom('agencies').select('id').where('code', '=', JUSTICE).executeTakeFirstOrThrow();
    // Monday 1 March 2021, 09:00 local; the statutory deadline is 5 working days later.
    const t0 = new Date('2021-03-01T02:00:00Z');
    const m = (from: Date, minutes: number) => cal.addWorkingMinutes(from, minutes);
    const due = cal.addWorkingDays(t0, 5);
    const start = (): HistoryAction[] => [{ type: 'submit', at: new Date(t0.getTime() - 30 * 60_000) }, { type: 'receive', at: t0 }];
    const forwards = (from: Date): HistoryAction[] => [1, 2, 3].map((i) => ({ type: 'forward' as const, at: m(from, i * 30) }));
    const resupplied = m(t0, 120 + 3 * 480);
    const histories: Record<string, HistoryAction[]> = {
      // Paused 3 working days for a supplement, approved a day after the original deadline: on time.
      pausedOnTime: [...start(), { type: 'request_supplement', at: m(t0, 120) }, { type: 'supplement', at: resupplied }, ...forwards(resupplied), { type: 'approve', at: m(due, 480) }],
      // Two supplement requests, approved early: late all the same.
      twoSupplements: [...start(), { type: 'request_supplement', at: m(t0, 60) }, { type: 'supplement', at: m(t0, 90) }, { type: 'request_supplement', at: m(t0, 120) },
        { type: 'supplement', at: m(t0, 150) }, ...forwards(m(t0, 150)), { type: 'approve', at: m(t0, 480) }],
      // Approved an hour after the deadline.
      lateFinish: [...start(), ...forwards(t0), { type: 'approve', at: m(due, 60) }],
      // An apology with a new appointment 10 working days out, approved before it but after the statutory deadline: late.
      extended: [...start(), ...forwards(t0), { type: 'extend', at: m(t0, 4 * 480), payload: { newDueAt: cal.addWorkingDays(t0, 10).toISOString() } }, { type: 'approve', at: m(due, 60) }],
      // Still open at the end of March, past its deadline: overdue in progress.
      openOverdue: [...start(), { type: 'forward', at: m(t0, 60) }],
      // Approved the next day: early.
      early: [...start(), ...forwards(t0), { type: 'approve', at: m(t0, 600) }],
    };
    const names = Object.keys(histories);
    const ids = await writeHistory(t.db, cal, names.map((k) => ({ procedureId: proc.id, agencyId: agency.id, channel: 'in_person' as const, actions: histories[k]! })));
    await refresh();
    const q = `agency=${JUSTICE}&from=2021-03-01&to=2021-03-31&includeChildren=false`;
    const s = safeJson((await anon.get(`/api/v1/reports/summary?${q}`)).body).figures;
    expect(s).toMatchObject({ received: 6, resolved: 5, resolvedLate: 3, inProgress: 1, inProgressOverdue: 1 });
    expect(s.resolvedEarly + s.resolvedOnTime).toBe(2);
    const idx = safeJson((await provinceAdmin.get(`/api/v1/reports/index?${q}`)).body);
    const c21 = idx.components.find((c: { code: string }) => c.code === '2.1');
    // (early + on time) ÷ (resolved + overdue still open) = 2 ÷ 6; no threshold: 2/6 × 12 = 4 points.
    expect(c21).toMatchObject({ numerator: 2, denominator: 6, rate: 0.3333, points: 4, lowering: { count: 4, metric: 'idx21' } });
    const drill = safeJson((await provinceAdmin.get(`/api/v1/reports/dossiers?${q}&metric=idx21`)).body);
    const byId = new Map(ids.map((id, i) => [id, names[i]]));
    expect(drill.items.map((d: { id: string }) => byId.get(d.id)).sort()).toEqual(['extended', 'lateFinish', 'openOverdue', 'twoSupplements']);
    // 5.4: 100 % − (late rate 4/6 + disliked 0): 1/3 of the 90 % threshold's 6 points.
    const c54 = idx.components.find((c: { code: string }) => c.code === '5.4');
    expect(c54).toMatchObject({ numerator: 2, denominator: 6 });
    expect(c54.points).toBeCloseTo(((2 / 6) * 6) / 0.9, 2);
  });
});

describe('bad input', () => {
  // The same three refusals on the summary and on the index: unknown agency 404; from after to,
  // or a period longer than 5 years, 400 with the field and a message in both languages.
  for (const route of ['summary', 'index'] as const) {
    const url = (agency: string, from: string, to: string) => `/api/v1/reports/${route}?agency=${agency}&from=${from}&to=${to}`;
    it(`${route}: 404 for an unknown agency`, async () => {
      const res = await anon.get(url('999.99.99.H99', '2019-01-01', '2019-12-31'));
      expect(res.statusCode).toBe(404);
      const e = safeJson(res.body).error;
      expect(e.code).toBe('not_found');
      expect(e.message).toMatchObject({ vi: 'Không tìm thấy cơ quan.', en: 'Agency not found.' });
    });
    it(`${route}: 400 when from is after to, naming the field, in Vietnamese and English`, async () => {
      const res = await anon.get(url(DEPT_2019, '2019-12-31', '2019-01-01'));
      expect(res.statusCode).toBe(400);
      const e = safeJson(res.body).error;
      expect(e.code).toBe('validation_failed');
      expect(e.fields[0]).toMatchObject({
        path: 'querystring.to',
        message: { vi: 'Ngày kết thúc phải từ ngày bắt đầu trở đi.', en: 'The end date must not be before the start date.' },
      });
    });
    it(`${route}: 400 for a period longer than 5 years; exactly 5 years is accepted`, async () => {
      const res = await anon.get(url(DEPT_2019, '2015-01-01', '2020-01-01'));
      expect(res.statusCode).toBe(400);
      expect(safeJson(res.body).error.fields[0]).toMatchObject({
        path: 'querystring.to',
        message: { vi: 'Kỳ báo cáo dài tối đa 5 năm.', en: 'A report period is at most 5 years long.' },
      });
      expect((await anon.get(url(DEPT_2019, '2015-01-01', '2019-12-31'))).statusCode).toBe(200);
    });
  }

  it('refuses impossible dates, missing dates, unknown metrics and bad exports', async () => {
    const bad = await anon.get(summaryUrl(DEPT_2019, '2019-13-01', '2019-12-31'));
    expect(bad.statusCode).toBe(400);
    expect((await anon.get(summaryUrl(DEPT_2019, '2019-02-30', '2019-12-31'))).statusCode).toBe(400);
    expect((await anon.get(`/api/v1/reports/summary?agency=${DEPT_2019}`)).statusCode).toBe(400);
    expect((await anon.get(`/api/v1/reports/index/ranking?agency=999.99.99.H99&from=2019-01-01&to=2019-12-31`)).statusCode).toBe(404);
    expect((await provinceAdmin.get(`/api/v1/reports/dossiers?agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31&metric=nonsense`)).statusCode).toBe(400);
    expect((await provinceAdmin.post('/api/v1/reports/exports', { agency: DEPT_2019, from: '2020-01-01', to: '2019-01-01', format: 'xlsx' })).statusCode).toBe(400);
    expect((await provinceAdmin.get('/api/v1/reports/dashboard?agency=999.99.99.H99')).statusCode).toBe(404);
  });
});

describe('public and officials', () => {
  it('keeps drill-downs, procedure breakdowns, the dashboard and exports for officials over the agency', async () => {
    const q = `agency=${DEPT_2019}&from=2019-01-01&to=2019-12-31`;
    for (const url of [`/api/v1/reports/dossiers?${q}&metric=received`, `/api/v1/reports/breakdown?${q}&by=procedure`, `/api/v1/reports/dashboard?agency=${DEPT_2019}`]) {
      expect((await anon.get(url)).statusCode, url).toBe(401);
      expect((await citizen.get(url)).statusCode, url).toBe(403);
      // A division head of Science and Technology holds no role over Information and Communications.
      expect((await head.get(url)).statusCode, url).toBe(403);
      expect((await provinceAdmin.get(url)).statusCode, url).toBe(200);
    }
    const byProcedure = safeJson((await provinceAdmin.get(`/api/v1/reports/breakdown?${q}&by=procedure`)).body);
    expect(byProcedure.rows[0].figures.received).toBe(183);
    expect((await head.post('/api/v1/reports/exports', { agency: DEPT_2019, from: '2019-01-01', to: '2019-12-31', format: 'pdf' })).statusCode).toBe(403);
    // Officials without the scope get the public index, without what lowered it.
    const idx = safeJson((await head.get(`/api/v1/reports/index?${q}`)).body);
    expect(idx.components.every((c: { lowering: unknown }) => c.lowering === null)).toBe(true);
  });

  it('every figure drills down to exactly that many dossiers', async () => {
    const q = `agency=${DEPT_2019}&from=2019-12-01&to=2019-12-31`;
    const s = safeJson((await anon.get(`/api/v1/reports/summary?${q}`)).body).figures;
    for (const metric of ['carriedOver', 'received', 'receivedOnline', 'toProcess', 'resolved', 'resolvedEarly', 'resolvedOnTime', 'inProgress', 'inProgressOverdue', 'waitingSupplement']) {
      const d = safeJson((await provinceAdmin.get(`/api/v1/reports/dossiers?${q}&metric=${metric}&limit=500`)).body);
      expect(d.total, metric).toBe(s[metric]);
      expect(d.items, metric).toHaveLength(s[metric]);
    }
  });
});

describe('facts follow live dossier actions', () => {
  it('counts a dossier received through the API today, then resolved; the dashboard shows what is due', async () => {
    const desk = await signInOfficial(t.app, 'reception_officer');
    const leader = await signInOfficial(t.app, 'agency_leader');
    const proc = await buildProcedure(t.ownerDb, { agencyCode: SCIENCE, days: 3 });
    const today = cal.localDate(new Date());
    const before = safeJson((await anon.get(summaryUrl(SCIENCE, today, today))).body).figures;
    // A counter dossier with its papers scanned, received by the desk.
    const created = safeJson((await desk.post('/api/v1/staff/dossiers', { procedureId: proc.id, applicant: { name: 'Trần Văn Báo Cáo' } })).body);
    for (const c of proc.componentIds) {
      const m = multipart(pdfBytes(c), 'giay.pdf', { componentId: c });
      const up = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${created.id}/files`, payload: m.payload, headers: { ...m.headers, cookie: desk.cookie!, 'x-csrf-token': desk.csrf! } });
      expect(up.statusCode).toBe(201);
    }
    expect((await desk.post(`/api/v1/dossiers/${created.id}/submit`)).statusCode).toBe(201);
    expect((await desk.post(`/api/v1/dossiers/${created.id}/actions`, { type: 'receive' })).statusCode).toBe(200);
    expect(await refresh()).toBeGreaterThan(0);
    const after = safeJson((await anon.get(summaryUrl(SCIENCE, today, today))).body).figures;
    expect(after.received).toBe(before.received + 1);
    expect(after.receivedInPerson).toBe(before.receivedInPerson + 1);
    expect(after.inProgress).toBe(before.inProgress + 1);
    const dash = safeJson((await leader.get(`/api/v1/reports/dashboard?agency=${SCIENCE}`)).body);
    expect(dash.overdueNow.count).toBe(0);
    expect(new Date(dash.dueThisWeek.until).getTime()).toBeGreaterThan(Date.now());
    // Due this week: its deadline falls before Sunday 24:00 (it depends on today's weekday).
    const row = await t.db.selectFrom('reportDossiers').select('dueAt').where('dossierId', '=', created.id).executeTakeFirstOrThrow();
    expect(dash.dueThisWeek.items.some((x: { id: string }) => x.id === created.id)).toBe(row.dueAt!.getTime() <= new Date(dash.dueThisWeek.until).getTime());
    // Refused at its step: it leaves the work in hand, resolved today (refusals count as finished).
    expect((await desk.post(`/api/v1/dossiers/${created.id}/actions`, { type: 'refuse', reasons: ['Không thuộc thẩm quyền'] })).statusCode).toBe(200);
    await refresh();
    const end = safeJson((await anon.get(summaryUrl(SCIENCE, today, today))).body).figures;
    expect(end).toMatchObject({ received: after.received, resolved: before.resolved + 1, refused: before.refused + 1, inProgress: before.inProgress });
    // Nothing left to refresh.
    expect(await refresh()).toBe(0);
    expect(safeJson((await anon.get(summaryUrl(SCIENCE, today, today))).body).freshness.pendingChanges).toBe(0);
  });
});
