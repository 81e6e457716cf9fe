import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService, type WorkingCalendar } from '../../src/modules/calendar/index.ts';
import { refreshReportFacts } from '../../src/modules/reports/index.ts';
import { AGENCY_HISTORY, agencyHistory, type ProcedureInfo } from '../../src/seed/demo-history-agencies.ts';
import { DEPT_2019, seedDemoHistory } from '../../src/seed/demo-history.ts';
import { Client, createTestApp, safeJson, type TestApp } from '../helpers.ts';

/**
 * The demo history as a demo user meets it: the source article's department keeps its 2019
 * table, and the other agencies' last and current year differ the way real ones do (volumes,
 * online shares, on-time rates), with every kind of case the reports and the dashboard show.
 */
const PROVINCE = '000.00.00.H56';
const SCIENCE = '000.00.12.H56';
const JUSTICE = '000.00.03.H56';

let t: TestApp;
let cal: WorkingCalendar;
let anon: Client;
let written: number;
let seconds: number;
const now = new Date();
let today: string;
let year: number;

const summary = async (agency: string, from: string, to: string) => {
  const res = await anon.get(`/api/v1/reports/summary?agency=${agency}&from=${from}&to=${to}&includeChildren=false`);
  expect(res.statusCode).toBe(200);
  return safeJson(res.body);
};

beforeAll(async () => {
  t = await createTestApp();
  const calendar = new CalendarService(t.db, t.config);
  cal = await calendar.calendar();
  today = cal.localDate(now);
  year = Number(today.slice(0, 4));
  anon = new Client(t.app);
  const began = Date.now();
  written = await seedDemoHistory(t.db, cal, now);
  seconds = (Date.now() - began) / 1000;
  await refreshReportFacts(t.db, calendar);
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('the demo history', () => {
  it('is loaded in a few seconds: the department\'s 2019 and a few thousand dossiers of other agencies', async () => {
    const n = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(written);
    expect(written).toBeGreaterThan(183 + 2000);
    expect(written).toBeLessThan(183 + 4000);
    expect(seconds).toBeLessThan(60);
  });

  it('keeps the source article\'s table for the Department of Information and Communications in 2019, and nothing else in 2019', async () => {
    const s = await summary(DEPT_2019, '2019-01-01', '2019-12-31');
    expect(s.figures).toMatchObject({ received: 183, resolved: 179, receivedOnline: 51, resolvedLate: 0, inProgress: 4, inProgressOverdue: 0 });
    const province = safeJson((await anon.get(`/api/v1/reports/summary?agency=${PROVINCE}&from=2019-01-01&to=2019-12-31`)).body);
    expect(province.figures).toMatchObject({ received: 183, resolved: 179 });
  });

  it('shows agencies that differ this year: volumes, online shares and on-time rates', async () => {
    const res = await anon.get(`/api/v1/reports/breakdown?agency=${PROVINCE}&from=${year}-01-01&to=${today}&by=agency`);
    expect(res.statusCode).toBe(200);
    const rows = (safeJson(res.body).rows as { code: string; figures: { received: number; receivedOnline: number; onTimeRate: number | null } }[])
      .filter((r) => r.figures.received > 0);
    expect(rows.length).toBeGreaterThanOrEqual(15);
    const rates = rows.map((r) => r.figures.onTimeRate!);
    expect(new Set(rates.map((r) => r.toFixed(3))).size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...rates)).toBeGreaterThanOrEqual(0.98);
    expect(Math.min(...rates)).toBeLessThan(0.92);
    const big = rows.filter((r) => r.figures.received >= 40).map((r) => r.figures.receivedOnline / r.figures.received);
    expect(Math.min(...big)).toBeLessThan(0.4);
    expect(Math.max(...big)).toBeGreaterThan(0.7);
    // The public ranking orders them on different index scores.
    const ranking = safeJson((await anon.get(`/api/v1/reports/index/ranking?agency=${PROVINCE}&from=${year}-01-01&to=${today}`)).body);
    const percents = (ranking.rows as { total: { percent: number | null } }[]).map((r) => r.total.percent);
    expect(new Set(percents.map((p) => p?.toFixed(2))).size).toBeGreaterThanOrEqual(8);
  });

  it('has late, overdue, refused, withdrawn, supplement and apology cases, and ratings', async () => {
    const s = safeJson((await anon.get(`/api/v1/reports/summary?agency=${PROVINCE}&from=${year}-01-01&to=${today}`)).body);
    expect(s.figures.resolvedLate).toBeGreaterThan(10);
    expect(s.figures.inProgressOverdue).toBeGreaterThan(0);
    expect(s.figures.inProgressOnTime).toBeGreaterThan(0);
    expect(s.figures.refused).toBeGreaterThan(0);
    expect(s.figures.withdrawn).toBeGreaterThan(0);
    expect(s.figures.resolvedEarly).toBeGreaterThan(s.figures.resolvedOnTime);
    const count = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.db)).rows[0]!.n);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE supplement_requests = 1`)).toBeGreaterThan(50);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE supplement_requests > 1`)).toBeGreaterThan(5);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossier_actions WHERE type = 'extend'`)).toBeGreaterThan(10);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossier_actions WHERE type = 'request_supplement_before_reception'`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE rating = 'dissatisfied'`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE status = 'waiting_supplement'`)).toBeGreaterThan(0);
  });

  it('receives on working days only, within last January to a few days ago', async () => {
    const rows = await t.db.selectFrom('dossiers').select('receivedAt').where('receivedAt', 'is not', null).execute();
    for (const r of rows) expect(cal.isWorkingDay(cal.localDate(r.receivedAt!)), cal.localDate(r.receivedAt!)).toBe(true);
    const last = rows.map((r) => cal.localDate(r.receivedAt!)).filter((d) => !d.startsWith('2019')).sort();
    expect(last[0]! >= `${year - 1}-01-01`).toBe(true);
    expect(last[last.length - 1]! < today).toBe(true);
  });

  it('leaves nothing in the work queues of the demo officials\' department (finished, or waiting for the applicant)', async () => {
    const open = await t.db.selectFrom('dossiers as d').innerJoin('agencies as a', 'a.id', 'd.receivingAgencyId').select('d.status')
      .where('a.code', '=', SCIENCE).where('d.status', 'in', ['submitted', 'processing', 'approved', 'result_ready']).execute();
    expect(open).toEqual([]);
    expect((await summary(SCIENCE, `${year}-01-01`, today)).figures.received).toBeGreaterThan(30);
  });

  it('writes nothing on a second run', async () => {
    const before = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(await seedDemoHistory(t.db, cal, now)).toBe(0);
    expect(await seedDemoHistory(t.db, cal, new Date(now.getTime() + 86_400_000))).toBe(0);
    const after = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('gives an agency\'s report of last year the figures counted straight from its dossiers', async () => {
    const from = `${year - 1}-01-01`;
    const to = `${year - 1}-12-31`;
    const start = new Date(`${from}T00:00:00+07:00`);
    const end = new Date(`${year}-01-01T00:00:00+07:00`);
    const s = await summary(JUSTICE, from, to);
    const r = await sql<Record<string, string>>`
      SELECT
        count(*) FILTER (WHERE d.received_at >= ${start} AND d.received_at < ${end}) AS received,
        count(*) FILTER (WHERE d.received_at >= ${start} AND d.received_at < ${end} AND d.channel = 'online') AS received_online,
        count(*) FILTER (WHERE d.finished_at >= ${start} AND d.finished_at < ${end}) AS resolved,
        count(*) FILTER (WHERE d.finished_at >= ${start} AND d.finished_at < ${end} AND d.timeliness = 'late') AS resolved_late,
        count(*) FILTER (WHERE d.finished_at >= ${start} AND d.finished_at < ${end} AND d.status = 'refused') AS refused,
        count(*) FILTER (WHERE d.status = 'withdrawn' AND d.updated_at >= ${start} AND d.updated_at < ${end}) AS withdrawn,
        count(*) FILTER (WHERE d.received_at < ${end} AND (d.finished_at IS NULL OR d.finished_at >= ${end})
          AND NOT (d.status = 'withdrawn' AND d.updated_at < ${end})) AS in_progress
      FROM dossiers d JOIN agencies a ON a.id = d.receiving_agency_id
      WHERE a.code = ${JUSTICE} AND d.received_at IS NOT NULL`.execute(t.db);
    const c = Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
    expect(c.received).toBeGreaterThan(100);
    expect(s.figures).toMatchObject({
      received: c.received, receivedOnline: c.receivedOnline, resolved: c.resolved, resolvedLate: c.resolvedLate,
      refused: c.refused, withdrawn: c.withdrawn, inProgress: c.inProgress, carriedOver: 0,
    });
  });

  it('is the same history for the same day (no randomness of its own)', async () => {
    const procedures = new Map<string, ProcedureInfo>();
    for (const spec of AGENCY_HISTORY.slice(0, 3)) for (const [code] of spec.procedures) procedures.set(code, { id: code, code, days: 5, online: true, shares: [10, 60, 10, 20] });
    const o = { from: `${year - 1}-01-01`, to: `${year - 1}-12-31`, until: now };
    for (const spec of AGENCY_HISTORY.slice(0, 3)) expect(agencyHistory(cal, spec, 'x', procedures, o)).toEqual(agencyHistory(cal, spec, 'x', procedures, o));
  });
});
