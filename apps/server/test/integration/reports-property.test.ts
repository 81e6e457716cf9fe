import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService, type WorkingCalendar } from '../../src/modules/calendar/index.ts';
import { deriveDossier } from '../../src/modules/dossier/index.ts';
import { rebuildFacts, refreshReportFacts } from '../../src/modules/reports/index.ts';
import { appendHistory, generateActions, rng, writeHistory, type HistoryAction } from '../../src/modules/reports/history.ts';
import { buildProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, type TestApp } from '../helpers.ts';

/**
 * Property: the figures read from the incrementally maintained facts equal a direct computation
 * over the raw action log, for random histories (receipts, supplements, extensions, transfers,
 * refusals, stops, withdrawals, late and early finishes) that cross period boundaries and that
 * grow after the facts were first computed.
 */
const SCIENCE = '000.00.12.H56';
const PROVINCE = '000.00.00.H56';

let t: TestApp;
let cal: WorkingCalendar;
let calendar: CalendarService;
const anon = () => new Client(t.app);

beforeAll(async () => {
  t = await createTestApp();
  calendar = new CalendarService(t.db, t.config);
  cal = await calendar.calendar();
  const science = await t.db.selectFrom('agencies').select('id').where('code', '=', SCIENCE).executeTakeFirstOrThrow();
  const justice = await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.03.H56').executeTakeFirstOrThrow();
  const procs = [await buildProcedure(t.ownerDb, { days: 5 }), await buildProcedure(t.ownerDb, { days: 3 }), await buildProcedure(t.ownerDb, { agencyCode: '000.00.03.H56', days: 8 })];
  const random = rng(20240101);
  const h1 = new Date('2024-02-15T03:00:00Z');
  const h2 = new Date('2024-03-31T00:00:00Z');
  const plans: { procedureId: string; agencyId: string; channel: 'in_person' | 'online' | 'post'; actions: HistoryAction[] }[] = [];
  for (let i = 0; i < 160; i++) {
    const which = i % 3;
    const p = procs[which]!;
    const agencyId = which === 2 ? justice.id : science.id;
    const submitted = cal.nextWorkingStart(new Date(Date.UTC(2023, 11, 1) + random() * 105 * 86_400_000));
    const actions = generateActions(random, cal, submitted, {
      steps: 4, days: [5, 3, 8][which]!, until: h2, supplement: 0.3, secondSupplement: 0.3, refuse: 0.06, stop: 0.04, withdraw: 0.04,
      extend: 0.12, transfer: 0.2, transferTo: which === 2 ? science.id : justice.id, slow: 0.35, returnMethod: i % 2 ? 'online' : 'counter',
    });
    plans.push({ procedureId: p.id, agencyId, channel: (['in_person', 'online', 'post'] as const)[i % 3]!, actions });
  }
  // Round 1: the histories as they stood on h1.
  const first = plans.map((p) => ({ ...p, actions: p.actions.filter((a) => a.at <= h1) })).filter((p) => p.actions.length > 0);
  const ids = await writeHistory(t.db, cal, first);
  expect(await refreshReportFacts(t.db, calendar, { batchSize: 37 })).toBeGreaterThan(0);
  // Round 2: what happened after; the facts of dossiers already counted must move with them.
  let k = 0;
  const fresh = [];
  for (const p of plans) {
    const later = p.actions.filter((a) => a.at > h1);
    if (p.actions.some((a) => a.at <= h1)) await appendHistory(t.db, cal, ids[k++]!, later);
    else if (later.length) fresh.push({ ...p, actions: later });
  }
  await writeHistory(t.db, cal, fresh);
  await refreshReportFacts(t.db, calendar, { batchSize: 37 });
});
afterAll(() => t.close());

interface Raw {
  id: string;
  agencyId: string;
  channel: string;
  facts: Parameters<typeof deriveDossier>[0];
  actions: Parameters<typeof deriveDossier>[1];
}

async function rawLog(): Promise<Raw[]> {
  const r = await sql<{ id: string; receivingAgencyId: string; channel: string; durationValue: number; durationUnit: 'working_days'; steps: Raw['facts']['steps'] }>`
    SELECT d.id, d.receiving_agency_id, d.channel, d.duration_value, d.duration_unit, p.steps FROM dossiers d JOIN processes p ON p.id = d.process_id`.execute(t.db);
  const actions = await t.db.selectFrom('dossierActions').select(['dossierId', 'seq', 'type', 'at', 'payload']).orderBy('dossierId').orderBy('seq').execute();
  return r.rows.map((d) => ({
    id: d.id, agencyId: d.receivingAgencyId, channel: d.channel,
    facts: { receivingAgencyId: d.receivingAgencyId, duration: { value: d.durationValue, unit: d.durationUnit }, steps: d.steps },
    actions: actions.filter((a) => a.dossierId === d.id).map((a) => ({ seq: a.seq, type: a.type as never, at: a.at, actorId: null, payload: a.payload })),
  }));
}

/** The figures straight from the log: the view derived from the actions before each instant. */
function direct(log: Raw[], agencies: Set<string>, start: Date, end: Date) {
  const at = (d: Raw, tt: Date) => deriveDossier(d.facts, d.actions.filter((a) => a.at < tt), cal, tt);
  const open = (v: ReturnType<typeof deriveDossier>) => !!v.receivedAt && !v.finishedAt && v.status !== 'withdrawn';
  const inPeriod = (x: Date | null | undefined) => !!x && x >= start && x < end;
  const out = { carriedOver: 0, received: 0, receivedOnline: 0, receivedInPerson: 0, receivedByPost: 0, resolved: 0, resolvedEarly: 0, resolvedOnTime: 0,
    resolvedLate: 0, refused: 0, stopped: 0, withdrawn: 0, inProgress: 0, inProgressOverdue: 0, waitingSupplement: 0 };
  for (const d of log) {
    if (!agencies.has(d.agencyId)) continue;
    const full = deriveDossier(d.facts, d.actions, cal);
    if (!full.receivedAt) continue;
    if (open(at(d, start))) out.carriedOver++;
    if (inPeriod(full.receivedAt)) {
      out.received++;
      if (d.channel === 'online') out.receivedOnline++;
      if (d.channel === 'in_person') out.receivedInPerson++;
      if (d.channel === 'post') out.receivedByPost++;
    }
    if (inPeriod(full.finishedAt)) {
      out.resolved++;
      if (full.timeliness === 'early') out.resolvedEarly++;
      if (full.timeliness === 'on_time') out.resolvedOnTime++;
      if (full.timeliness === 'late') out.resolvedLate++;
      if (full.status === 'refused') out.refused++;
      if (full.status === 'stopped') out.stopped++;
    }
    if (full.status === 'withdrawn' && inPeriod(d.actions.find((a) => a.type === 'withdraw')?.at)) out.withdrawn++;
    const v = at(d, end);
    if (open(v)) {
      out.inProgress++;
      if (v.status === 'waiting_supplement') out.waitingSupplement++;
      // Against the statutory deadline: an apology's new appointment does not make it on time (Decision 766).
      if ((v.status === 'processing' && v.statutoryDueAt! < end) || (v.status === 'waiting_supplement' && v.statutoryDueAt! < v.pausedSince!) || v.supplementRequests > 1) out.inProgressOverdue++;
    }
  }
  return out;
}

const PERIODS: [string, string][] = [
  ['2023-12-01', '2024-03-31'], ['2024-01-01', '2024-01-31'], ['2024-02-01', '2024-02-29'], ['2023-12-15', '2024-02-10'],
  ['2024-02-15', '2024-02-15'], ['2024-03-04', '2024-03-08'], ['2023-11-01', '2023-11-30'], ['2024-03-20', '2024-04-30'],
];

describe('facts against the raw log', () => {
  it('give the same figures as a direct computation, for every period and scope', async () => {
    const log = await rawLog();
    expect(log.length).toBeGreaterThan(100);
    const ids = async (code: string, children: boolean) => {
      if (!children) return new Set([(await t.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id]);
      return new Set((await t.db.selectFrom('agencies').select('id').execute()).map((a) => a.id));
    };
    const kinds = { late: 0, overdue: 0, waiting: 0, carried: 0, withdrawn: 0, refused: 0, stopped: 0 };
    for (const [code, children] of [[SCIENCE, false], [PROVINCE, true]] as const) {
      const agencies = await ids(code, children);
      for (const [from, to] of PERIODS) {
        const res = await anon().get(`/api/v1/reports/summary?agency=${code}&from=${from}&to=${to}&includeChildren=${children}`);
        expect(res.statusCode).toBe(200);
        const s = safeJson(res.body);
        const start = new Date(`${from}T00:00:00+07:00`);
        const end = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000);
        const want = direct(log, agencies, start, end);
        const got = Object.fromEntries(Object.keys(want).map((k) => [k, s.figures[k]]));
        expect({ code, from, to, ...got }).toEqual({ code, from, to, ...want });
        expect(s.figures.toProcess).toBe(s.figures.resolved + s.figures.withdrawn + s.figures.inProgress);
        kinds.late += want.resolvedLate;
        kinds.overdue += want.inProgressOverdue;
        kinds.waiting += want.waitingSupplement;
        kinds.carried += want.carriedOver;
        kinds.withdrawn += want.withdrawn;
        kinds.refused += want.refused;
        kinds.stopped += want.stopped;
      }
    }
    // The random histories did reach every case.
    for (const [k, n] of Object.entries(kinds)) expect(n, k).toBeGreaterThan(0);
  });

  it('monthly breakdowns add up to the period, and agencies to their parent', async () => {
    const q = `agency=${PROVINCE}&from=2023-12-01&to=2024-03-31`;
    const total = safeJson((await anon().get(`/api/v1/reports/summary?${q}`)).body).figures;
    const months = safeJson((await anon().get(`/api/v1/reports/breakdown?${q}&by=month`)).body).rows;
    for (const k of ['received', 'resolved', 'resolvedLate', 'withdrawn', 'receivedOnline']) expect(months.reduce((a: number, r: { figures: Record<string, number> }) => a + r.figures[k]!, 0), k).toBe(total[k]);
    expect(months[0].figures.carriedOver).toBe(total.carriedOver);
    expect(months[months.length - 1].figures.inProgress).toBe(total.inProgress);
    const agencies = safeJson((await anon().get(`/api/v1/reports/breakdown?${q}&by=agency`)).body).rows;
    for (const k of ['carriedOver', 'received', 'resolved', 'inProgress', 'inProgressOverdue']) expect(agencies.reduce((a: number, r: { figures: Record<string, number> }) => a + r.figures[k]!, 0), k).toBe(total[k]);
  });

  it('kept incrementally, equal the same sums recomputed from scratch', async () => {
    const snapshot = async () => ({
      daily: (await sql`SELECT * FROM report_daily_facts WHERE received <> 0 OR resolved <> 0 OR withdrawn <> 0 ORDER BY agency_id, day, procedure_id, channel`.execute(t.db)).rows,
      steps: (await sql`SELECT * FROM report_step_facts WHERE visits <> 0 ORDER BY agency_id, day, procedure_id, step_key`.execute(t.db)).rows,
      monthly: (await sql`SELECT * FROM report_monthly_facts WHERE received <> 0 OR resolved <> 0 OR withdrawn <> 0 ORDER BY agency_id, month, procedure_id, channel`.execute(t.db)).rows,
      monthlySteps: (await sql`SELECT * FROM report_monthly_step_facts WHERE visits <> 0 ORDER BY agency_id, month, procedure_id, step_key`.execute(t.db)).rows,
    });
    const incremental = await snapshot();
    expect(incremental.daily.length).toBeGreaterThan(50);
    expect(incremental.steps.length).toBeGreaterThan(50);
    expect(incremental.monthly.length).toBeGreaterThan(10);
    // No count went negative on the way.
    const negative = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_daily_facts WHERE least(received, resolved, withdrawn, resolved_late, fee_bearing) < 0`.execute(t.db);
    expect(negative.rows[0]!.n).toBe(0);
    await rebuildFacts(t.db);
    expect(await snapshot()).toEqual(incremental);
  });

  it('a payment recorded by the payment module moves the online-payment figures', async () => {
    const science = await t.db.selectFrom('agencies').select('id').where('code', '=', SCIENCE).executeTakeFirstOrThrow();
    const q = `agency=${SCIENCE}&from=2023-12-01&to=2024-03-31&includeChildren=false`;
    const before = safeJson((await anon().get(`/api/v1/reports/summary?${q}`)).body).figures;
    expect(before.feeBearing).toBe(0);
    // A fee on the first procedure: dossiers without a fee snapshot follow the catalogue, on their next refresh.
    const d = await t.db.selectFrom('reportDossiers').select(['dossierId', 'procedureId']).where('agencyId', '=', science.id).where('receivedDay', '>=', '2023-12-01').limit(1).executeTakeFirstOrThrow();
    await t.ownerDb.insertInto('procedureFees').values({ procedureId: d.procedureId, sortOrder: 0, name: 'Lệ phí', amountVnd: 50_000, payableOnline: true, payableWhen: 'before_reception' }).execute();
    await t.ownerDb.insertInto('payments').values({
      dossierId: d.dossierId, agencyId: science.id, method: 'vietqr', status: 'paid', amountVnd: 50_000, paidOnline: true, reference: 'BCTEST000001',
      paidAt: new Date('2024-01-10T03:00:00Z'), settledVia: 'statement',
    }).execute();
    await refreshReportFacts(t.db, calendar);
    const after = safeJson((await anon().get(`/api/v1/reports/summary?${q}`)).body).figures;
    expect(after.feeBearing).toBe(1);
    expect(after.onlinePaid).toBe(1);
    const idx = safeJson((await anon().get(`/api/v1/reports/index?${q}`)).body);
    expect(idx.components.find((c: { code: string }) => c.code === '3.6')).toMatchObject({ numerator: 1, denominator: 1, rate: 1 });
    // 3.5 reads the catalogue: the demo procedures' fees are all payable online.
    const c35 = idx.components.find((c: { code: string }) => c.code === '3.5');
    expect(c35.denominator).toBeGreaterThan(0);
    expect(c35.rate).toBe(1);
  });
});
