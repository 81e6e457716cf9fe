/**
 * The report queries: sums of daily facts (flows) and counts of dossiers in hand at an instant
 * (stocks, through the GiST index on report_dossiers.active). Plain SQL, so that the bench's
 * ceiling can run the very same statements.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DrillItem, DrillMetric, ReportAgency } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';
import { FLOW_KEYS, noFlows, noStocks, type Flows, type Stocks } from './figures.ts';
import { monthSplit, type Period } from './period.ts';
import type { CatalogueProcedure, ProcedureTime } from './quality-index.ts';

export interface AgencyRow extends ReportAgency {
  parentId: string | null;
}

export async function findAgencyByCode(db: DbOrTx, code: string): Promise<AgencyRow | undefined> {
  return db.selectFrom('agencies').select(['id', 'code', 'name', 'nameEn', 'level', 'validTo', 'parentId'])
    .where('code', '=', code).executeTakeFirst();
}

export async function agenciesByIds(db: DbOrTx, ids: readonly string[]): Promise<AgencyRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('agencies').select(['id', 'code', 'name', 'nameEn', 'level', 'validTo', 'parentId'])
    .where('id', 'in', sql<string>`(SELECT unnest(${ids as string[]}::uuid[]))`).orderBy('code').execute();
}

/** Grouping of a breakdown; `none` for a single total. */
export type Grouping = 'none' | 'agency' | 'channel' | 'procedure' | 'field' | 'agency_field';

const FLOW_SQL = `
  sum(f.received)::float8 AS received,
  coalesce(sum(f.received) FILTER (WHERE f.channel = 'in_person'), 0)::float8 AS received_in_person,
  coalesce(sum(f.received) FILTER (WHERE f.channel = 'online'), 0)::float8 AS received_online,
  coalesce(sum(f.received) FILTER (WHERE f.channel = 'post'), 0)::float8 AS received_by_post,
  sum(f.resolved)::float8 AS resolved, sum(f.resolved_early)::float8 AS resolved_early, sum(f.resolved_on_time)::float8 AS resolved_on_time,
  sum(f.resolved_late)::float8 AS resolved_late, sum(f.refused)::float8 AS refused, sum(f.stopped)::float8 AS stopped,
  sum(f.withdrawn)::float8 AS withdrawn, sum(f.resolution_minutes)::float8 AS resolution_minutes,
  sum(f.statutory_minutes)::float8 AS statutory_minutes, sum(f.slow)::float8 AS slow, sum(f.fee_bearing)::float8 AS fee_bearing,
  sum(f.paid_online)::float8 AS paid_online, sum(f.result_expected)::float8 AS result_expected,
  sum(f.electronic_result)::float8 AS electronic_result, sum(f.digitised)::float8 AS digitised,
  sum(f.reuse_expected)::float8 AS reuse_expected, sum(f.reused)::float8 AS reused, sum(f.dissatisfied)::float8 AS dissatisfied`;

function keyOf(g: Grouping, alias: 'f' | 'r'): { select: string; join: string } {
  switch (g) {
    case 'none': return { select: `''`, join: '' };
    case 'agency': return { select: `${alias}.agency_id::text`, join: '' };
    case 'channel': return { select: `${alias}.channel`, join: '' };
    case 'procedure': return { select: `${alias}.procedure_id::text`, join: '' };
    case 'field': return { select: 'p.field_id::text', join: `JOIN procedures p ON p.id = ${alias}.procedure_id` };
    case 'agency_field': return { select: `${alias}.agency_id::text || '|' || p.field_id::text`, join: `JOIN procedures p ON p.id = ${alias}.procedure_id` };
  }
}

type Filter = { procedureId?: string; fieldId?: string; channel?: string };

const FACT_COLUMNS = `received, fee_bearing, paid_online, reuse_expected, reused, resolved, resolved_early, resolved_on_time, resolved_late,
  refused, stopped, withdrawn, resolution_minutes, statutory_minutes, slow, result_expected, electronic_result, digitised, dissatisfied`;

/**
 * The facts of these agencies over the period as one relation `f` with a `day` column: whole
 * months from the monthly table (dated their first day), the days of partial months from the
 * daily table.
 */
function factsOf(kind: 'dossier' | 'step', agencyIds: readonly string[], p: Pick<Period, 'from' | 'to'>): RawBuilder<unknown> {
  const s = monthSplit(p.from, p.to);
  const [daily, monthly, cols] = kind === 'dossier'
    ? ['report_daily_facts', 'report_monthly_facts', `channel, ${FACT_COLUMNS}`]
    : ['report_step_facts', 'report_monthly_step_facts', 'step_key, visits, late, spent_minutes, allowed_minutes'];
  const ids = sql`ANY(${agencyIds as string[]}::uuid[])`;
  return sql`(
    SELECT agency_id, month AS day, procedure_id, ${sql.raw(cols)} FROM ${sql.raw(monthly)}
    WHERE agency_id = ${ids} AND month BETWEEN ${s.months[0]}::date AND ${s.months[1]}::date
    UNION ALL
    SELECT agency_id, day, procedure_id, ${sql.raw(cols)} FROM ${sql.raw(daily)}
    WHERE agency_id = ${ids} AND (day BETWEEN ${s.head[0]}::date AND ${s.head[1]}::date OR day BETWEEN ${s.tail[0]}::date AND ${s.tail[1]}::date)
  ) f`;
}

function filterSql(alias: 'f' | 'r', x: Filter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (x.procedureId) parts.push(sql`AND ${sql.raw(alias)}.procedure_id = ${x.procedureId}::uuid`);
  if (x.fieldId) parts.push(sql`AND ${sql.raw(alias)}.procedure_id IN (SELECT id FROM procedures WHERE field_id = ${x.fieldId}::uuid)`);
  if (x.channel) parts.push(sql`AND ${sql.raw(alias)}.channel = ${x.channel}`);
  return sql.join(parts, sql` `);
}

/** Sums of the daily facts of these agencies over the period's days, by `g`. */
export async function flows(db: DbOrTx, agencyIds: readonly string[], p: Pick<Period, 'from' | 'to'>, g: Grouping, filter: Filter = {}): Promise<Map<string, Flows>> {
  const k = keyOf(g, 'f');
  const r = await sql<Record<string, number | string>>`
    SELECT ${sql.raw(k.select)} AS key, ${sql.raw(FLOW_SQL)}
    FROM ${factsOf('dossier', agencyIds, p)} ${sql.raw(k.join)}
    WHERE true ${filterSql('f', filter)}
    GROUP BY 1`.execute(db);
  const out = new Map<string, Flows>();
  for (const row of r.rows) {
    const f = noFlows();
    for (const key of FLOW_KEYS) f[key] = Number(row[key] ?? 0);
    out.set(String(row.key), f);
  }
  return out;
}

/** Flows by month (YYYY-MM). */
export async function monthlyFlows(db: DbOrTx, agencyIds: readonly string[], p: Pick<Period, 'from' | 'to'>, filter: Filter = {}): Promise<Map<string, Flows>> {
  const r = await sql<Record<string, number | string>>`
    SELECT to_char(f.day, 'YYYY-MM') AS key, ${sql.raw(FLOW_SQL)}
    FROM ${factsOf('dossier', agencyIds, p)}
    WHERE true ${filterSql('f', filter)}
    GROUP BY 1`.execute(db);
  const out = new Map<string, Flows>();
  for (const row of r.rows) {
    const f = noFlows();
    for (const key of FLOW_KEYS) f[key] = Number(row[key] ?? 0);
    out.set(String(row.key), f);
  }
  return out;
}

/**
 * Dossiers in hand at `start` (carried over) and at `end` (in progress, overdue, waiting), by
 * `g`. Both instants must not be in the future (see `measured`).
 */
export async function stocks(db: DbOrTx, agencyIds: readonly string[], start: Date, end: Date, g: Grouping, filter: Filter = {}): Promise<Map<string, Stocks>> {
  const k = keyOf(g, 'r');
  const ids = sql`ANY(${agencyIds as string[]}::uuid[])`;
  // Two plain index conditions (not an OR), so each is an index-only scan of the GiST index.
  const r = await sql<{ key: string; carriedOver: number; inProgress: number; inProgressOverdue: number; waitingSupplement: number }>`
    SELECT key, sum(c)::int AS carried_over, sum(o)::int AS in_progress, sum(od)::int AS in_progress_overdue, sum(w)::int AS waiting_supplement
    FROM (
      SELECT ${sql.raw(k.select)} AS key, 1 AS c, 0 AS o, 0 AS od, 0 AS w
      FROM report_dossiers r ${sql.raw(k.join)}
      WHERE r.active @> ${start}::timestamptz AND r.agency_id = ${ids} ${filterSql('r', filter)}
      UNION ALL
      SELECT ${sql.raw(k.select)}, 0, 1, (r.overdue @> ${end}::timestamptz)::int, (r.waiting @> ${end}::timestamptz)::int
      FROM report_dossiers r ${sql.raw(k.join)}
      WHERE r.active @> ${end}::timestamptz AND r.agency_id = ${ids} ${filterSql('r', filter)}
    ) x
    GROUP BY key`.execute(db);
  return new Map(r.rows.map((x) => [String(x.key), { carriedOver: x.carriedOver, inProgress: x.inProgress, inProgressOverdue: x.inProgressOverdue, waitingSupplement: x.waitingSupplement }]));
}

/** Stocks at several pairs of instants at once (the months of a period), keyed by the pair's index. */
export async function stocksAt(db: DbOrTx, agencyIds: readonly string[], pairs: readonly [Date, Date][], filter: Filter = {}): Promise<Stocks[]> {
  if (pairs.length === 0) return [];
  const instants = [...new Set(pairs.flatMap(([a, b]) => [a.getTime(), b.getTime()]))].sort((a, b) => a - b);
  // One index-only scan per instant.
  const r = await sql<{ at: Date; n: number; overdue: number; waiting: number }>`
    SELECT t.at, s.n, s.overdue, s.waiting
    FROM unnest(${instants.map((x) => new Date(x))}::timestamptz[]) AS t(at)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, count(*) FILTER (WHERE r.overdue @> t.at)::int AS overdue, count(*) FILTER (WHERE r.waiting @> t.at)::int AS waiting
      FROM report_dossiers r
      WHERE r.active @> t.at AND r.agency_id = ANY(${agencyIds as string[]}::uuid[]) ${filterSql('r', filter)}
    ) s`.execute(db);
  const at = new Map(r.rows.map((x) => [new Date(x.at).getTime(), x]));
  return pairs.map(([a, b]) => {
    const s = noStocks();
    s.carriedOver = at.get(a.getTime())?.n ?? 0;
    const e = at.get(b.getTime());
    s.inProgress = e?.n ?? 0;
    s.inProgressOverdue = e?.overdue ?? 0;
    s.waitingSupplement = e?.waiting ?? 0;
    return s;
  });
}

/** Resolution times per agency and procedure over the period (for 2.2 and the slowest procedures). */
export async function procedureTimes(db: DbOrTx, agencyIds: readonly string[], p: Pick<Period, 'from' | 'to'>): Promise<(ProcedureTime & { agencyId: string; resolvedLate: number })[]> {
  const r = await sql<{ agencyId: string; procedureId: string; resolved: number; resolvedLate: number; resolutionMinutes: number; statutoryMinutes: number }>`
    SELECT f.agency_id, f.procedure_id, sum(f.resolved)::int AS resolved, sum(f.resolved_late)::int AS resolved_late,
      sum(f.resolution_minutes)::float8 AS resolution_minutes, sum(f.statutory_minutes)::float8 AS statutory_minutes
    FROM ${factsOf('dossier', agencyIds, p)}
    GROUP BY 1, 2 HAVING sum(f.resolved) > 0`.execute(db);
  return r.rows;
}

/** Published procedures received by these agencies, with what 3.1 and 3.5 need, per agency. */
export async function catalogue(db: DbOrTx, agencyIds: readonly string[]): Promise<(CatalogueProcedure & { agencyId: string })[]> {
  const r = await sql<CatalogueProcedure & { agencyId: string }>`
    SELECT pa.agency_id, p.id, p.code, p.name, p.online_level <> 'none' AS online,
      EXISTS (SELECT 1 FROM procedure_fees f WHERE f.procedure_id = p.id AND f.amount_vnd > 0) AS fee_bearing,
      NOT EXISTS (SELECT 1 FROM procedure_fees f WHERE f.procedure_id = p.id AND f.amount_vnd > 0 AND NOT f.payable_online) AS fee_online
    FROM procedure_agencies pa JOIN procedures p ON p.id = pa.procedure_id
    WHERE pa.kind = 'receiving' AND p.published AND pa.agency_id = ANY(${agencyIds as string[]}::uuid[])
    ORDER BY p.code`.execute(db);
  return r.rows;
}

export async function procedureRefs(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { id: string; code: string; name: string; fieldId: string }>();
  const rows = await db.selectFrom('procedures').select(['id', 'code', 'name', 'fieldId']).where('id', 'in', ids as string[]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function fieldRefs(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { id: string; code: string; name: string; nameEn: string | null }>();
  const rows = await db.selectFrom('procedureFields').select(['id', 'code', 'name', 'nameEn']).where('id', 'in', ids as string[]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Steps of the procedures' current processes, by key. */
export async function stepNames(db: DbOrTx, procedureIds: readonly string[]): Promise<Map<string, Map<string, { vi: string; en: string }>>> {
  const out = new Map<string, Map<string, { vi: string; en: string }>>();
  if (procedureIds.length === 0) return out;
  const r = await sql<{ id: string; steps: { key: string; name: { vi: string; en: string } }[] }>`
    SELECT p.id, pr.steps FROM procedures p JOIN processes pr ON pr.id = p.process_id WHERE p.id = ANY(${procedureIds as string[]}::uuid[])`.execute(db);
  for (const row of r.rows) out.set(row.id, new Map(row.steps.map((s) => [s.key, s.name])));
  return out;
}

/** Step visits ended in the period at these agencies, by procedure and step. */
export async function stepTimes(db: DbOrTx, agencyIds: readonly string[], p: Pick<Period, 'from' | 'to'>) {
  const r = await sql<{ procedureId: string; stepKey: string; visits: number; late: number; spentMinutes: number; allowedMinutes: number }>`
    SELECT f.procedure_id, f.step_key, sum(f.visits)::int AS visits, sum(f.late)::int AS late,
      sum(f.spent_minutes)::float8 AS spent_minutes, sum(f.allowed_minutes)::float8 AS allowed_minutes
    FROM ${factsOf('step', agencyIds, p)}
    GROUP BY 1, 2 HAVING sum(f.visits) > 0`.execute(db);
  return r.rows;
}

// ------------------------------------------------------------------------------- drill-down

/** The dossiers behind a figure: the condition on report_dossiers `r` for each metric. */
function metricCondition(metric: DrillMetric, p: Period, start: Date, end: Date): RawBuilder<unknown> {
  const inPeriod = (col: 'received_day' | 'exit_day') => sql`r.${sql.raw(col)} BETWEEN ${p.from}::date AND ${p.to}::date`;
  const received = inPeriod('received_day');
  const finished = sql`(${inPeriod('exit_day')} AND r.exit_kind <> 'withdrawn')`;
  const approved = sql`(${inPeriod('exit_day')} AND r.exit_kind = 'approved')`;
  const open = sql`r.active @> ${end}::timestamptz`;
  const overdue = sql`(${open} AND r.overdue @> ${end}::timestamptz)`;
  const late = sql`((${finished} AND r.timeliness = 'late') OR ${overdue})`;
  switch (metric) {
    case 'carriedOver': return sql`r.active @> ${start}::timestamptz`;
    case 'received': return received;
    case 'receivedInPerson': return sql`(${received} AND r.channel = 'in_person')`;
    case 'receivedOnline': return sql`(${received} AND r.channel = 'online')`;
    case 'receivedByPost': return sql`(${received} AND r.channel = 'post')`;
    case 'toProcess': return sql`(r.active @> ${start}::timestamptz OR ${received})`;
    case 'resolved': return finished;
    case 'resolvedEarly': return sql`(${finished} AND r.timeliness = 'early')`;
    case 'resolvedOnTime': return sql`(${finished} AND r.timeliness = 'on_time')`;
    case 'resolvedLate': return sql`(${finished} AND r.timeliness = 'late')`;
    case 'refused': return sql`(${inPeriod('exit_day')} AND r.exit_kind = 'refused')`;
    case 'stopped': return sql`(${inPeriod('exit_day')} AND r.exit_kind = 'stopped')`;
    case 'withdrawn': return sql`(${inPeriod('exit_day')} AND r.exit_kind = 'withdrawn')`;
    case 'inProgress': return open;
    case 'inProgressOnTime': return sql`(${open} AND NOT r.overdue @> ${end}::timestamptz)`;
    case 'inProgressOverdue': return overdue;
    case 'waitingSupplement': return sql`(${open} AND r.waiting @> ${end}::timestamptz)`;
    case 'feeBearing': return sql`(${received} AND r.fee_bearing)`;
    case 'onlinePaid': return sql`(${received} AND r.paid_online)`;
    case 'resultExpected': return sql`(${approved} AND r.result_expected)`;
    case 'electronicResults': return sql`(${approved} AND r.electronic_result)`;
    case 'late':
    case 'idx21': return late;
    case 'idx22': return sql`(${finished} AND r.resolution_minutes > r.statutory_minutes)`;
    case 'idx33': return sql`(${received} AND r.channel <> 'online')`;
    case 'idx36': return sql`(${received} AND r.fee_bearing AND NOT r.paid_online)`;
    case 'idx41': return sql`(${approved} AND r.result_expected AND NOT r.electronic_result)`;
    case 'idx42': return sql`(${approved} AND NOT r.digitised)`;
    case 'idx43': return sql`(${received} AND r.reuse_expected AND NOT r.reused)`;
    case 'idx54': return sql`(${late} OR (${finished} AND r.dissatisfied))`;
  }
}

const ORDER: Partial<Record<DrillMetric, string>> = {
  inProgressOverdue: 'r.due_at ASC NULLS LAST', late: 'r.due_at ASC NULLS LAST', idx21: 'r.due_at ASC NULLS LAST',
  inProgress: 'r.due_at ASC NULLS LAST', inProgressOnTime: 'r.due_at ASC NULLS LAST', waitingSupplement: 'r.due_at ASC NULLS LAST',
  carriedOver: 'r.received_at ASC',
};

interface DrillRow {
  id: string;
  code: string | null;
  procedureId: string;
  procedureCode: string;
  procedureName: string;
  agencyCode: string;
  channel: DrillItem['channel'];
  status: string;
  receivedAt: Date;
  dueAt: Date | null;
  exitAt: Date | null;
  exitKind: DrillItem['exitKind'];
  timeliness: DrillItem['timeliness'];
  supplementRequests: number;
}

const drillItem = (x: DrillRow): DrillItem => ({
  id: x.id, code: x.code, procedure: { id: x.procedureId, code: x.procedureCode, name: x.procedureName }, agencyCode: x.agencyCode,
  channel: x.channel, status: x.status, receivedAt: new Date(x.receivedAt).toISOString(), dueAt: x.dueAt ? new Date(x.dueAt).toISOString() : null,
  exitAt: x.exitAt ? new Date(x.exitAt).toISOString() : null, exitKind: x.exitKind, timeliness: x.timeliness, supplementRequests: x.supplementRequests,
});

/** One page of the dossiers behind `metric`, with their total. */
export async function drill(
  db: DbOrTx, agencyIds: readonly string[], p: Period, start: Date, end: Date, metric: DrillMetric,
  filter: Filter, limit: number, offset: number,
): Promise<{ items: DrillItem[]; total: number }> {
  const where = sql`r.agency_id = ANY(${agencyIds as string[]}::uuid[]) AND ${metricCondition(metric, p, start, end)} ${filterSql('r', filter)}`;
  const [rows, count] = await Promise.all([
    sql<DrillRow>`
      SELECT d.id, d.code, p.id AS procedure_id, p.code AS procedure_code, p.name AS procedure_name, a.code AS agency_code,
        r.channel, d.status, r.received_at, r.due_at, r.exit_at, r.exit_kind, r.timeliness, r.supplement_requests
      FROM report_dossiers r
      JOIN dossiers d ON d.id = r.dossier_id
      JOIN procedures p ON p.id = r.procedure_id
      JOIN agencies a ON a.id = r.agency_id
      WHERE ${where}
      ORDER BY ${sql.raw(ORDER[metric] ?? 'r.received_at DESC')}, r.dossier_id
      LIMIT ${limit} OFFSET ${offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM report_dossiers r WHERE ${where}`.execute(db),
  ]);
  return { items: rows.rows.map(drillItem), total: count.rows[0]?.n ?? 0 };
}

/**
 * Dossiers in hand now that are overdue, or that will become overdue before `until` if nothing
 * happens (their statutory deadline falls before it: the open overdue interval an unfinished
 * dossier carries starts there), most urgent first. Dossiers waiting for the applicant are not
 * due: their clock is stopped.
 */
export async function urgent(db: DbOrTx, agencyIds: readonly string[], now: Date, until: Date, limit: number) {
  const base = sql`r.agency_id = ANY(${agencyIds as string[]}::uuid[]) AND r.active @> ${now}::timestamptz`;
  const overdueWhere = sql`${base} AND r.overdue @> ${now}::timestamptz`;
  const dueWhere = sql`${base} AND NOT r.overdue @> ${now}::timestamptz AND r.overdue && tstzrange(${now}::timestamptz, ${until}::timestamptz, '(]')`;
  const list = (where: RawBuilder<unknown>) => sql<DrillRow>`
    SELECT d.id, d.code, p.id AS procedure_id, p.code AS procedure_code, p.name AS procedure_name, a.code AS agency_code,
      r.channel, d.status, r.received_at, r.due_at, r.exit_at, r.exit_kind, r.timeliness, r.supplement_requests
    FROM report_dossiers r JOIN dossiers d ON d.id = r.dossier_id JOIN procedures p ON p.id = r.procedure_id JOIN agencies a ON a.id = r.agency_id
    WHERE ${where} ORDER BY r.due_at ASC NULLS LAST, r.dossier_id LIMIT ${limit}`.execute(db);
  const count = (where: RawBuilder<unknown>) => sql<{ n: number }>`SELECT count(*)::int AS n FROM report_dossiers r WHERE ${where}`.execute(db);
  const [ol, oc, dl, dc] = await Promise.all([list(overdueWhere), count(overdueWhere), list(dueWhere), count(dueWhere)]);
  return {
    overdue: { count: oc.rows[0]?.n ?? 0, items: ol.rows.map(drillItem) },
    due: { count: dc.rows[0]?.n ?? 0, items: dl.rows.map(drillItem) },
  };
}

export { noFlows, noStocks };
