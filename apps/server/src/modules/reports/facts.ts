/**
 * Keeps the report facts up to date as dossiers change. Triggers mark changed dossiers in
 * report_dirty (in the changing transaction); the refresher takes a batch, replays each log
 * (extract.ts), replaces the dossier's report_dossiers row and adds the difference between its
 * old and new contributions to report_daily_facts and report_step_facts, all in one
 * transaction. So a report never scans the action log: a province-year is a sum over daily
 * facts plus one index scan of the dossiers in hand at two instants.
 */
import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { CalendarService, WorkingCalendar } from '../calendar/index.ts';
import {
  contributions, emptyFacts, extractReportRow, FACT_MEASURES, type Channel, type DossierAction, type DossierInput, type FactKey,
  type FactValues, type Interval, type ReportRow, type VisitFact,
} from './extract.ts';

/** One refresher at a time across processes ("motr"). */
const REFRESH_LOCK = 0x6d6f7472;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const rangeLiteral = (i: Interval) => `(${i.from.toISOString()},${i.to ? i.to.toISOString() : ''}]`;
export const multirangeLiteral = (list: Interval[]) => `{${list.map(rangeLiteral).join(',')}}`;

interface InputRow {
  id: string;
  procedureId: string;
  durationValue: number;
  durationUnit: 'working_days' | 'working_hours';
  channel: Channel;
  receivingAgencyId: string;
  steps: DossierInput['facts']['steps'];
  resultExpected: boolean;
  reuseExpected: boolean;
  componentsComplete: boolean;
  hasResultFile: boolean;
  reused: boolean;
  feeBearing: boolean;
  paidOnline: boolean;
  signedResult: boolean;
}

/**
 * Everything the extraction needs about these dossiers, in a fixed number of queries. Reads
 * the payment tables (online payment, fees after exemptions), the signing register and files
 * read-only: statistics cut across modules by nature.
 */
export async function loadInputs(db: DbOrTx, ids: readonly string[]): Promise<DossierInput[]> {
  if (ids.length === 0) return [];
  const rows = await sql<InputRow>`
    SELECT d.id, d.procedure_id, d.duration_value, d.duration_unit, d.channel, d.receiving_agency_id, pr.steps,
      jsonb_array_length(p.result_documents) > 0 AS result_expected,
      EXISTS (SELECT 1 FROM procedure_components c WHERE c.procedure_id = d.procedure_id AND c.reusable) AS reuse_expected,
      NOT EXISTS (
        SELECT 1 FROM procedure_components c WHERE c.procedure_id = d.procedure_id AND c.required
          AND NOT EXISTS (SELECT 1 FROM dossier_files f WHERE f.dossier_id = d.id AND f.component_id = c.id
            AND f.removed_at IS NULL AND f.kind IN ('component','supplement'))) AS components_complete,
      EXISTS (SELECT 1 FROM dossier_files f WHERE f.dossier_id = d.id AND f.kind = 'result' AND f.removed_at IS NULL) AS has_result_file,
      EXISTS (SELECT 1 FROM dossier_files f WHERE f.dossier_id = d.id AND f.reused_from IS NOT NULL AND f.removed_at IS NULL) AS reused,
      CASE WHEN EXISTS (SELECT 1 FROM dossier_fee_snapshots s WHERE s.dossier_id = d.id)
        THEN coalesce((SELECT sum(f.amount_vnd) FROM dossier_fees f WHERE f.dossier_id = d.id AND f.exempted_at IS NULL), 0) > 0
        ELSE coalesce((SELECT sum(f.amount_vnd) FROM procedure_fees f WHERE f.procedure_id = d.procedure_id), 0) > 0
      END AS fee_bearing,
      EXISTS (SELECT 1 FROM payments pm WHERE pm.dossier_id = d.id AND pm.status = 'paid' AND pm.paid_online) AS paid_online,
      EXISTS (SELECT 1 FROM signed_documents sd WHERE sd.dossier_id = d.id AND sd.kind = 'result') AS signed_result
    FROM dossiers d
    JOIN procedures p ON p.id = d.procedure_id
    JOIN processes pr ON pr.id = d.process_id
    WHERE d.id = ANY(${ids as string[]}::uuid[]) AND d.received_at IS NOT NULL`.execute(db);
  const actionRows = await db.selectFrom('dossierActions').select(['dossierId', 'seq', 'type', 'at', 'payload'])
    .where('dossierId', 'in', rows.rows.map((r) => r.id).concat(['00000000-0000-0000-0000-000000000000']))
    .orderBy('dossierId').orderBy('seq').execute();
  const actions = new Map<string, DossierAction[]>();
  for (const a of actionRows) {
    let list = actions.get(a.dossierId);
    if (!list) actions.set(a.dossierId, (list = []));
    list.push({ seq: a.seq, type: a.type as DossierAction['type'], at: a.at, actorId: null, payload: a.payload });
  }
  return rows.rows.map((r) => ({
    id: r.id,
    agencyId: r.receivingAgencyId,
    procedureId: r.procedureId,
    channel: r.channel,
    facts: { receivingAgencyId: r.receivingAgencyId, duration: { value: r.durationValue, unit: r.durationUnit }, steps: r.steps },
    actions: actions.get(r.id) ?? [],
    extras: {
      feeBearing: r.feeBearing, paidOnline: r.paidOnline, resultExpected: r.resultExpected, hasResultFile: r.hasResultFile,
      componentsComplete: r.componentsComplete, reuseExpected: r.reuseExpected, reused: r.reused, signedResult: r.signedResult,
    },
  }));
}

type StoredRow = Pick<ReportRow, 'dossierId' | 'agencyId' | 'procedureId' | 'channel' | 'receivedDay' | 'exitDay' | 'exitKind' | 'timeliness' |
  'resolutionMinutes' | 'statutoryMinutes' | 'feeBearing' | 'paidOnline' | 'reuseExpected' | 'reused' | 'resultExpected' | 'electronicResult' |
  'digitised' | 'dissatisfied' | 'visits'>;

interface StepKey {
  agencyId: string;
  day: string;
  procedureId: string;
  stepKey: string;
}
interface StepValues {
  visits: number;
  late: number;
  spentMinutes: number;
  allowedMinutes: number;
}

/** Sums of contributions, old ones subtracted (sign −1) and new ones added (+1). */
class Deltas {
  facts = new Map<string, { key: FactKey; values: FactValues }>();
  steps = new Map<string, { key: StepKey; values: StepValues }>();

  add(r: StoredRow, sign: 1 | -1): void {
    for (const c of contributions(r)) {
      const id = `${c.key.agencyId}|${c.key.day}|${c.key.procedureId}|${c.key.channel}`;
      let e = this.facts.get(id);
      if (!e) this.facts.set(id, (e = { key: c.key, values: emptyFacts() }));
      for (const [m, v] of Object.entries(c.values) as [keyof FactValues, number][]) e.values[m] += sign * v;
    }
    for (const v of r.visits as VisitFact[]) {
      const key = { agencyId: v.a, day: v.d, procedureId: r.procedureId, stepKey: v.k };
      const id = `${key.agencyId}|${key.day}|${key.procedureId}|${key.stepKey}`;
      let e = this.steps.get(id);
      if (!e) this.steps.set(id, (e = { key, values: { visits: 0, late: 0, spentMinutes: 0, allowedMinutes: 0 } }));
      e.values.visits += sign;
      e.values.late += sign * +v.l;
      e.values.spentMinutes += sign * v.s;
      e.values.allowedMinutes += sign * v.w;
    }
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const addColumns = (columns: readonly string[], table: string) =>
  Object.fromEntries(columns.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));

/** Writes new report rows and applies the difference to the fact tables. */
async function applyRows(tx: Tx, ids: readonly string[], rows: ReportRow[]): Promise<void> {
  const old = ids.length === 0 ? [] : await tx.selectFrom('reportDossiers').select([
    'dossierId', 'agencyId', 'procedureId', 'channel', 'receivedDay', 'exitDay', 'exitKind', 'timeliness', 'resolutionMinutes', 'statutoryMinutes',
    'feeBearing', 'paidOnline', 'reuseExpected', 'reused', 'resultExpected', 'electronicResult', 'digitised', 'dissatisfied', 'visits',
  ]).where('dossierId', 'in', ids as string[]).execute();
  const deltas = new Deltas();
  for (const o of old) deltas.add(o as StoredRow, -1);
  for (const r of rows) deltas.add(r, 1);

  const keep = new Set(rows.map((r) => r.dossierId));
  const gone = old.filter((o) => !keep.has(o.dossierId)).map((o) => o.dossierId);
  if (gone.length) await tx.deleteFrom('reportDossiers').where('dossierId', 'in', gone).execute();
  for (const part of chunks(rows, 500)) {
    await tx.insertInto('reportDossiers').values(part.map((r) => ({
      dossierId: r.dossierId, agencyId: r.agencyId, procedureId: r.procedureId, channel: r.channel,
      receivedAt: r.receivedAt, receivedDay: r.receivedDay, dueAt: r.dueAt, exitAt: r.exitAt, exitDay: r.exitDay, exitKind: r.exitKind,
      timeliness: r.timeliness, supplementRequests: r.supplementRequests,
      active: rangeLiteral(r.active), waiting: multirangeLiteral(r.waiting), overdue: multirangeLiteral(r.overdue),
      resolutionMinutes: r.resolutionMinutes, statutoryMinutes: r.statutoryMinutes, feeBearing: r.feeBearing, paidOnline: r.paidOnline,
      reuseExpected: r.reuseExpected, reused: r.reused, resultExpected: r.resultExpected, electronicResult: r.electronicResult,
      digitised: r.digitised, dissatisfied: r.dissatisfied, visits: JSON.stringify(r.visits), refreshedAt: new Date(),
    }))).onConflict((oc) => oc.column('dossierId').doUpdateSet((eb) => Object.fromEntries([
      'agencyId', 'procedureId', 'channel', 'receivedAt', 'receivedDay', 'dueAt', 'exitAt', 'exitDay', 'exitKind', 'timeliness', 'supplementRequests',
      'active', 'waiting', 'overdue', 'resolutionMinutes', 'statutoryMinutes', 'feeBearing', 'paidOnline', 'reuseExpected', 'reused',
      'resultExpected', 'electronicResult', 'digitised', 'dissatisfied', 'visits', 'refreshedAt',
    ].map((c) => [c, eb.ref(`excluded.${c}` as 'excluded.agencyId')])))).execute();
  }

  const factRows = [...deltas.facts.values()].filter((e) => FACT_MEASURES.some((m) => e.values[m] !== 0));
  for (const part of chunks(factRows, 500)) {
    await tx.insertInto('reportDailyFacts').values(part.map((e) => ({ ...e.key, ...e.values })))
      .onConflict((oc) => oc.columns(['agencyId', 'day', 'procedureId', 'channel']).doUpdateSet(addColumns(FACT_MEASURES, 'reportDailyFacts')))
      .execute();
  }
  for (const part of chunks(byMonth(factRows, (e) => `${e.key.agencyId}|${e.key.procedureId}|${e.key.channel}`, FACT_MEASURES), 500)) {
    await tx.insertInto('reportMonthlyFacts').values(part.map((e) => ({ agencyId: e.key.agencyId, procedureId: e.key.procedureId, channel: e.key.channel, month: e.month, ...e.values })))
      .onConflict((oc) => oc.columns(['agencyId', 'month', 'procedureId', 'channel']).doUpdateSet(addColumns(FACT_MEASURES, 'reportMonthlyFacts')))
      .execute();
  }
  const STEP_MEASURES = ['visits', 'late', 'spentMinutes', 'allowedMinutes'] as const;
  const stepRows = [...deltas.steps.values()].filter((e) => STEP_MEASURES.some((m) => e.values[m] !== 0));
  for (const part of chunks(stepRows, 500)) {
    await tx.insertInto('reportStepFacts').values(part.map((e) => ({ ...e.key, ...e.values })))
      .onConflict((oc) => oc.columns(['agencyId', 'day', 'procedureId', 'stepKey']).doUpdateSet(addColumns(STEP_MEASURES, 'reportStepFacts')))
      .execute();
  }
  for (const part of chunks(byMonth(stepRows, (e) => `${e.key.agencyId}|${e.key.procedureId}|${e.key.stepKey}`, STEP_MEASURES), 500)) {
    await tx.insertInto('reportMonthlyStepFacts').values(part.map((e) => ({ agencyId: e.key.agencyId, procedureId: e.key.procedureId, stepKey: e.key.stepKey, month: e.month, ...e.values })))
      .onConflict((oc) => oc.columns(['agencyId', 'month', 'procedureId', 'stepKey']).doUpdateSet(addColumns(STEP_MEASURES, 'reportMonthlyStepFacts')))
      .execute();
  }
}

/** Daily deltas summed by calendar month (the key's day replaced by its month's first day). */
function byMonth<K extends { day: string }, M extends string>(rows: { key: K; values: Record<M, number> }[], id: (e: { key: K }) => string, measures: readonly M[]) {
  const out = new Map<string, { key: K; month: string; values: Record<M, number> }>();
  for (const e of rows) {
    const month = `${e.key.day.slice(0, 7)}-01`;
    const k = `${id(e)}|${month}`;
    let m = out.get(k);
    if (!m) out.set(k, (m = { key: e.key, month, values: Object.fromEntries(measures.map((x) => [x, 0])) as Record<M, number> }));
    for (const x of measures) m.values[x] += e.values[x];
  }
  return [...out.values()].filter((e) => measures.some((x) => e.values[x] !== 0));
}

/**
 * Brings the facts up to date with every dossier marked as changed, batch by batch; returns how
 * many dossiers it processed. Safe to call from every process: one runs at a time, the others
 * return 0 at once.
 */
export async function refreshReportFacts(
  db: Db, calendar: CalendarService,
  opts: { batchSize?: number; maxBatches?: number; onError?: (dossierId: string, err: unknown) => void } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  const cal = await calendar.calendar();
  let done = 0;
  for (let batch = 0; batch < (opts.maxBatches ?? Infinity); batch++) {
    const n = await db.transaction().execute(async (tx) => {
      const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}) AS ok`.execute(tx);
      if (!got.rows[0]?.ok) return 0;
      const marks = await tx.selectFrom('reportDirty').select(['dossierId', 'version']).orderBy('version').limit(batchSize).execute();
      if (marks.length === 0) return 0;
      await refreshDossiers(tx, cal, marks.map((m) => m.dossierId), opts.onError);
      // A mark bumped meanwhile (a change committed while we worked) stays for the next batch.
      await sql`
        DELETE FROM report_dirty r USING unnest(${marks.map((m) => m.dossierId)}::uuid[], ${marks.map((m) => m.version)}::bigint[]) AS m(id, version)
        WHERE r.dossier_id = m.id AND r.version = m.version`.execute(tx);
      return marks.length;
    });
    done += n;
    if (n < batchSize) break;
  }
  return done;
}

/** Recomputes these dossiers' report rows and facts inside `tx`. */
export async function refreshDossiers(tx: Tx, cal: WorkingCalendar, ids: readonly string[], onError?: (dossierId: string, err: unknown) => void): Promise<void> {
  const inputs = await loadInputs(tx, ids);
  const rows: ReportRow[] = [];
  const failed = new Set<string>();
  for (const input of inputs) {
    try {
      const row = extractReportRow(input, cal);
      if (row) rows.push(row);
    } catch (err) {
      // A log the pure function refuses cannot be reported on; its old facts stay as they were.
      failed.add(input.id);
      onError?.(input.id, err);
    }
  }
  await applyRows(tx, ids.filter((id) => !failed.has(id)), rows);
}

/** Dossiers whose facts are not up to date yet. */
export async function pendingChanges(db: DbOrTx): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_dirty`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * Recomputes the fact tables (daily and monthly) from report_dossiers in SQL: the same sums the refresher keeps
 * incrementally (used after a bulk load and to check the incremental path).
 */
export async function rebuildFacts(db: Db): Promise<void> {
  const measures = FACT_MEASURES.map(snake);
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(tx);
    await sql`DELETE FROM report_daily_facts`.execute(tx);
    await sql`DELETE FROM report_step_facts`.execute(tx);
    await sql.raw(`
      INSERT INTO report_daily_facts (agency_id, day, procedure_id, channel, ${measures.join(', ')})
      SELECT agency_id, day, procedure_id, channel, ${measures.map((m) => `sum(${m})`).join(', ')}
      FROM (
        SELECT agency_id, received_day AS day, procedure_id, channel,
          1 AS received, fee_bearing::int AS fee_bearing, paid_online::int AS paid_online,
          reuse_expected::int AS reuse_expected, reused::int AS reused,
          0 AS resolved, 0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late, 0 AS refused, 0 AS stopped, 0 AS withdrawn,
          0 AS resolution_minutes, 0 AS statutory_minutes, 0 AS slow, 0 AS result_expected, 0 AS electronic_result, 0 AS digitised, 0 AS dissatisfied
        FROM report_dossiers
        UNION ALL
        SELECT agency_id, exit_day, procedure_id, channel, 0, 0, 0, 0, 0,
          (exit_kind <> 'withdrawn')::int, (exit_kind <> 'withdrawn' AND timeliness = 'early')::int,
          (exit_kind <> 'withdrawn' AND timeliness = 'on_time')::int, (exit_kind <> 'withdrawn' AND timeliness = 'late')::int,
          (exit_kind = 'refused')::int, (exit_kind = 'stopped')::int, (exit_kind = 'withdrawn')::int,
          CASE WHEN exit_kind <> 'withdrawn' THEN coalesce(resolution_minutes, 0) ELSE 0 END,
          CASE WHEN exit_kind <> 'withdrawn' THEN statutory_minutes ELSE 0 END,
          (exit_kind <> 'withdrawn' AND coalesce(resolution_minutes, 0) > statutory_minutes)::int,
          (exit_kind <> 'withdrawn' AND result_expected)::int, (exit_kind <> 'withdrawn' AND electronic_result)::int,
          (exit_kind <> 'withdrawn' AND digitised)::int, (exit_kind <> 'withdrawn' AND dissatisfied)::int
        FROM report_dossiers WHERE exit_day IS NOT NULL
      ) c
      GROUP BY agency_id, day, procedure_id, channel`).execute(tx);
    await sql`
      INSERT INTO report_step_facts (agency_id, day, procedure_id, step_key, visits, late, spent_minutes, allowed_minutes)
      SELECT v.a, v.d, r.procedure_id, v.k, count(*), count(*) FILTER (WHERE v.l), sum(v.s), sum(v.w)
      FROM report_dossiers r, jsonb_to_recordset(r.visits) AS v(a uuid, d date, k text, l boolean, s bigint, w bigint)
      GROUP BY v.a, v.d, r.procedure_id, v.k`.execute(tx);
    await sql`DELETE FROM report_monthly_facts`.execute(tx);
    await sql.raw(`
      INSERT INTO report_monthly_facts (agency_id, month, procedure_id, channel, ${measures.join(', ')})
      SELECT agency_id, date_trunc('month', day)::date, procedure_id, channel, ${measures.map((m) => `sum(${m})`).join(', ')}
      FROM report_daily_facts GROUP BY 1, 2, 3, 4`).execute(tx);
    await sql`DELETE FROM report_monthly_step_facts`.execute(tx);
    await sql`
      INSERT INTO report_monthly_step_facts (agency_id, month, procedure_id, step_key, visits, late, spent_minutes, allowed_minutes)
      SELECT agency_id, date_trunc('month', day)::date, procedure_id, step_key, sum(visits), sum(late), sum(spent_minutes), sum(allowed_minutes)
      FROM report_step_facts GROUP BY 1, 2, 3, 4`.execute(tx);
  });
}

/** Marks every received dossier as changed: the refresher then recomputes all report rows. */
export async function markAllDirty(db: DbOrTx): Promise<void> {
  await sql`
    INSERT INTO report_dirty (dossier_id) SELECT id FROM dossiers WHERE received_at IS NOT NULL
    ON CONFLICT (dossier_id) DO UPDATE SET version = nextval('report_dirty_version_seq')`.execute(db);
}

/**
 * Runs the refresher every `everyMs` until `stop` is called (only in processes started with
 * jobs). Runs never overlap within the process; the advisory lock keeps processes apart.
 */
export function scheduleReportRefresh(db: Db, calendar: CalendarService, everyMs: number, log: (e: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshReportFacts(db, calendar).catch(log).finally(() => {
      running = false;
    });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
