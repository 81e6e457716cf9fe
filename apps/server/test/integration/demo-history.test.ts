import { resolve } from 'node:path';
import { sql } from 'kysely';
import { diskBlobStore } from '../../src/adapters/storage/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService, type WorkingCalendar } from '../../src/modules/calendar/index.ts';
import { refreshReportFacts } from '../../src/modules/reports/index.ts';
import { AGENCY_HISTORY, agencyHistory, type ProcedureInfo } from '../../src/seed/demo-history-agencies.ts';
import { DEPT_2019, seedDemoHistory } from '../../src/seed/demo-history.ts';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';

/**
 * The demo history as a demo user meets it: the source article's department keeps its 2019
 * table, and the other agencies' last and current year differ the way real ones do (volumes,
 * online shares, on-time rates), with every kind of case the reports and the dashboard show.
 */
const PROVINCE = '000.00.00.H56';
const SCIENCE = '000.00.12.H56';
const JUSTICE = '000.00.03.H56';
const FINANCE = '000.00.04.H56';
const CONSTRUCTION = '000.00.10.H56';
const WARD_01 = '000.01.01.H56';
const WARD_16 = '000.01.16.H56';

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
  written = await seedDemoHistory(t.db, cal, now, diskBlobStore(resolve(t.config.DATA_DIR, 'blobs')));
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

  it('pays, returns electronically, digitises and reuses at rates that differ by agency (Decision 766 3.6, 4.1, 4.2, 4.3)', async () => {
    const rates: Record<string, Record<string, number>> = {};
    for (const code of [JUSTICE, FINANCE, CONSTRUCTION, WARD_01, WARD_16]) {
      const res = await anon.get(`/api/v1/reports/index?agency=${code}&from=${year - 1}-01-01&to=${today}&includeChildren=false`);
      expect(res.statusCode).toBe(200);
      const components = safeJson(res.body).components as { code: string; rate: number | null; denominator: number | null }[];
      rates[code] = Object.fromEntries(components.filter((c) => ['3.6', '4.1', '4.2', '4.3'].includes(c.code)).map((c) => [c.code, c.rate ?? -1]));
    }
    for (const [code, r] of Object.entries(rates)) {
      for (const c of ['3.6', '4.1', '4.2'] as const) {
        expect(r[c], `${code} ${c}`).toBeGreaterThan(0);
        expect(r[c], `${code} ${c}`).toBeLessThan(1);
      }
    }
    for (const c of ['3.6', '4.1', '4.2'] as const) {
      const values = Object.values(rates).map((r) => r[c]!);
      expect(new Set(values.map((v) => v.toFixed(2))).size, c).toBeGreaterThanOrEqual(4);
      expect(Math.max(...values) - Math.min(...values), c).toBeGreaterThan(0.25);
    }
    // The procedures of wards have reusable papers: the busy digital ward reuses far more than the small one.
    expect(rates[WARD_01]!['4.3']).toBeGreaterThan(rates[WARD_16]!['4.3']! + 0.2);
  });

  it('writes fees, payments and files as the live modules do: one snapshot per dossier, items settled once, no receipts', async () => {
    const count = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.db)).rows[0]!.n);
    // The 2019 department is left as it was: no fees, payments nor files.
    expect(await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM dossier_fee_snapshots s JOIN dossiers d ON d.id = s.dossier_id JOIN agencies a ON a.id = d.receiving_agency_id
      WHERE a.code = ${DEPT_2019}`)).toBe(0);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE NOT EXISTS (SELECT 1 FROM dossier_fee_snapshots s WHERE s.dossier_id = dossiers.id)`)).toBe(183);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM payments WHERE status = 'paid' AND paid_online`)).toBeGreaterThan(100);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM payments WHERE method = 'cash'`)).toBeGreaterThan(100);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM receipts`)).toBe(0);
    // Each payment's amount is the sum of its items, each item settled by that payment, never before the dossier was submitted.
    expect(await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM payments p
      WHERE p.amount_vnd <> (SELECT sum(i.amount_vnd) FROM payment_items i JOIN dossier_fees f ON f.id = i.dossier_fee_id AND f.payment_id = p.id WHERE i.payment_id = p.id)
        OR p.paid_at < (SELECT submitted_at FROM dossiers d WHERE d.id = p.dossier_id)
        OR (p.paid_online AND EXISTS (SELECT 1 FROM payment_items i JOIN dossier_fees f ON f.id = i.dossier_fee_id WHERE i.payment_id = p.id AND NOT f.payable_online))`)).toBe(0);
    expect(await count(sql<{ n: string }>`SELECT count(*) AS n FROM dossier_fees WHERE exempted_at IS NOT NULL`)).toBeGreaterThan(10);
    // An item gating reception was paid before it; results are files of approved dossiers only; reuse points at an earlier paper.
    expect(await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM dossier_fees f JOIN dossiers d ON d.id = f.dossier_id
      WHERE f.payable_when = 'before_reception' AND f.amount_vnd > 0 AND f.payment_id IS NULL AND f.exempted_at IS NULL AND d.received_at IS NOT NULL`)).toBe(0);
    expect(await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM dossier_files f JOIN dossiers d ON d.id = f.dossier_id WHERE f.kind = 'result' AND d.status NOT IN ('approved', 'result_ready', 'returned')`)).toBe(0);
    expect(await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM dossier_files f JOIN dossier_files s ON s.id = f.reused_from WHERE s.created_at > f.created_at OR s.component_id <> f.component_id`)).toBe(0);
    expect(await count(sql<{ n: string }>`SELECT count(DISTINCT blob_sha256) AS n FROM dossier_files`)).toBe(1);
  });

  it('counts an agency\'s online-paid dossiers and electronic results in its summary as they are in the tables', async () => {
    const from = `${year - 1}-01-01`;
    const start = new Date(`${from}T00:00:00+07:00`);
    const end = new Date(`${today}T00:00:00+07:00`);
    const s = await summary(FINANCE, from, cal.localDate(new Date(end.getTime() - 86_400_000)));
    const r = await sql<{ paid: string; electronic: string }>`
      SELECT
        count(*) FILTER (WHERE d.received_at >= ${start} AND d.received_at < ${end}
          AND (SELECT coalesce(sum(f.amount_vnd), 0) FROM dossier_fees f WHERE f.dossier_id = d.id AND f.exempted_at IS NULL) > 0
          AND EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id AND p.status = 'paid' AND p.paid_online)) AS paid,
        count(*) FILTER (WHERE d.finished_at >= ${start} AND d.finished_at < ${end} AND d.status IN ('approved', 'result_ready', 'returned')
          AND EXISTS (SELECT 1 FROM dossier_files f WHERE f.dossier_id = d.id AND f.kind = 'result')
          AND EXISTS (SELECT 1 FROM dossier_actions a WHERE a.dossier_id = d.id AND a.type = 'return_result' AND a.payload->>'method' = 'online')) AS electronic
      FROM dossiers d JOIN agencies a ON a.id = d.receiving_agency_id
      WHERE a.code = ${FINANCE} AND d.received_at IS NOT NULL`.execute(t.db);
    expect(Number(r.rows[0]!.paid)).toBeGreaterThan(10);
    expect(s.figures.onlinePaid).toBe(Number(r.rows[0]!.paid));
    expect(s.figures.electronicResults).toBe(Number(r.rows[0]!.electronic));
    expect(s.figures.feeBearing).toBeGreaterThan(s.figures.onlinePaid);
  });

  it('lets an official download a paper and the result of a history dossier: the stored demo PDF', async () => {
    const f = await t.db.selectFrom('dossierFiles as f').innerJoin('dossiers as d', 'd.id', 'f.dossierId').innerJoin('agencies as a', 'a.id', 'd.receivingAgencyId')
      .select(['f.id', 'f.dossierId', 'f.kind', 'f.size']).where('a.code', '=', SCIENCE).where('f.kind', 'in', ['component', 'result'])
      .orderBy('f.kind').orderBy('f.createdAt').execute();
    const leader = await signInOfficial(t.app, 'agency_leader');
    for (const kind of ['component', 'result']) {
      const file = f.find((x) => x.kind === kind)!;
      expect(file, kind).toBeDefined();
      const res = await leader.get(`/api/v1/dossiers/${file.dossierId}/files/${file.id}`);
      expect(res.statusCode, kind).toBe(200);
      expect(res.headers['content-type']).toContain('application/pdf');
      expect(res.rawPayload.length).toBe(Number(file.size));
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
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
