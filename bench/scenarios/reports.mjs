// Report scenarios for bench/run.mjs: the province-year summary and the Decision 766 ranking of
// every agency, with a million dossiers in the database, beside a ceiling running the same SQL.
//
// Wiring (bench/run.mjs and ceiling-server.mjs):
//   1. after our server is healthy (migrated, demo seeded):
//        const info = await prepareReports(databaseUrl, { log });   // ~1–2 min for 1 000 000 dossiers
//   2. scenarios.push(...reportScenarios(info));
//   3. in ceiling-server.mjs: registerReportCeiling(app, pool);
//   4. optional start-up check: `await checkReportsAgree(oursBaseUrl, ceilingBaseUrl, info)` (same figures on both sides).
//
// The data. The dossiers are not replayed through the workflow (a million replays would take
// minutes): their report rows (report_dossiers) are generated in SQL with a realistic shape,
// as the refresher would have written them, and the fact tables are then rebuilt from them
// with the refresher's own rebuild SQL (modules/reports/facts.ts `rebuildFacts`; keep the
// copy below in step). So the bench measures what a report request costs at that scale, not
// how fast facts are maintained; the tests check that the facts are right.
//
// Shape: BENCH_REPORT_DOSSIERS dossiers (default 1 000 000) received over 14 months (the
// measured year and the two months before, so there is work carried over), spread over the
// demo province's 56 agencies with a skew (a few large departments and wards), 60 procedures
// per agency with a steep popularity curve, 40 % online, 5 % by post; 3–15 working days
// allowed; 93 % approved, 3 % refused, 1 % stopped, 2 % withdrawn, 1 % still open; about 6 %
// late. That gives about a million daily fact rows (nearly one per dossier: the worst case
// for a grain of agency × day × procedure × channel) and about 100 000 monthly ones.
import pg from 'pg';

const ROOT_AGENCY = '000.00.00.H56';

/** Dossiers, and the year measured (the last full year by default). */
export function reportSettings(env = process.env) {
  const dossiers = Number(env.BENCH_REPORT_DOSSIERS ?? 1_000_000);
  if (!Number.isInteger(dossiers) || dossiers < 1000) throw new Error('BENCH_REPORT_DOSSIERS: a whole number ≥ 1000');
  const year = Number(env.BENCH_REPORT_YEAR ?? new Date().getUTCFullYear() - 1);
  return { dossiers, year };
}

/** The report refresher's advisory lock (modules/reports/facts.ts REFRESH_LOCK, "motr"): the rebuild holds it as rebuildFacts does. */
const REFRESH_LOCK = 0x6d6f7472;

const MEASURES = ['received', 'fee_bearing', 'paid_online', 'reuse_expected', 'reused', 'resolved', 'resolved_early', 'resolved_on_time', 'resolved_late',
  'refused', 'stopped', 'withdrawn', 'resolution_minutes', 'statutory_minutes', 'slow', 'result_expected', 'electronic_result', 'digitised', 'dissatisfied'];

/**
 * Loads the synthetic dossiers' report rows and rebuilds the facts, as the database owner.
 * Returns what the scenarios need.
 */
export async function prepareReports(databaseUrl, { log = () => undefined, env = process.env } = {}) {
  const { dossiers, year } = reportSettings(env);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench-reports' });
  await client.connect();
  try {
    const t0 = Date.now();
    // The generated rows are the report rows without a dossier (the demo seed's history has real
    // ones): every check below counts what this function wrote, whatever was there before.
    const generatedSql = 'SELECT count(*)::int AS n FROM report_dossiers r WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = r.dossier_id)';
    const already = (await client.query(generatedSql)).rows[0].n;
    if (already) throw new Error(`reports: ${already} generated report rows are already in this database; use a fresh one`);
    // Indexes are dropped for the load and rebuilt from their own definitions: same end state, faster.
    const indexes = (await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'report_dossiers' AND indexname <> 'report_dossiers_pkey'`)).rows;
    for (const i of indexes) await client.query(`DROP INDEX ${i.indexname}`);
    log(`reports: generating ${dossiers.toLocaleString('en')} dossiers (${year - 1}-11 to ${year}-12)`);
    await client.query(`
      INSERT INTO report_dossiers (dossier_id, agency_id, procedure_id, channel, received_at, received_day, due_at, exit_at, exit_day, exit_kind, timeliness,
        supplement_requests, active, waiting, overdue, resolution_minutes, statutory_minutes, fee_bearing, paid_online, reuse_expected, reused,
        result_expected, electronic_result, digitised, dissatisfied, visits)
      SELECT gen_random_uuid(), agency_id, procedure_id, channel, received_at, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, due_at,
        exit_at, (exit_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, exit_kind,
        CASE WHEN exit_kind IN ('approved','refused','stopped') THEN timeliness END,
        supplements, tstzrange(received_at, exit_at, '(]'),
        CASE WHEN supplements > 0 THEN tstzmultirange(tstzrange(received_at, coalesce(least(exit_at, received_at + interval '2 days'), received_at + interval '2 days'), '(]')) ELSE '{}' END,
        CASE WHEN exit_at IS NULL AND due_at < $3::timestamptz THEN tstzmultirange(tstzrange(due_at, NULL, '(]'))
             WHEN exit_kind IS NOT NULL AND due_at < exit_at THEN tstzmultirange(tstzrange(due_at, exit_at, '(]')) ELSE '{}' END,
        CASE WHEN exit_kind IN ('approved','refused','stopped') THEN (factor * days * 480)::int END, days * 480,
        fee, fee AND random() < 0.4, reuse, reuse AND random() < 0.7,
        coalesce(exit_kind = 'approved', false), coalesce(exit_kind = 'approved', false) AND random() < 0.5,
        coalesce(exit_kind = 'approved', false) AND random() < 0.8, coalesce(exit_kind = 'approved', false) AND random() < 0.02, '[]'
      FROM (
        SELECT x.*, x.received_at + x.days * x.factor * interval '1.4 day' AS raw_exit, x.received_at + x.days * interval '1.4 day' AS due_at,
          CASE WHEN x.factor > 1 THEN 'late' WHEN x.factor < 0.6 THEN 'early' ELSE 'on_time' END AS timeliness,
          CASE WHEN x.k < 0.93 THEN 'approved' WHEN x.k < 0.96 THEN 'refused' WHEN x.k < 0.97 THEN 'stopped' WHEN x.k < 0.99 THEN 'withdrawn' END AS exit_kind0
        FROM (
          SELECT ag.ids[1 + floor(power(random(), 1.6) * ag.n)::int] AS agency_id, random() AS k, random() AS r, 3 + floor(random() * 13)::int AS days,
            CASE WHEN random() < 0.06 THEN 1.05 + random() * 0.8 ELSE 0.15 + random() * 0.85 END AS factor,
            $1::timestamptz + random() * ($2::timestamptz - $1::timestamptz) AS received_at,
            floor(60 * power(random(), 3))::int AS prank, random() < 0.3 AS fee, random() < 0.2 AS reuse, (random() < 0.02)::int AS supplements
          FROM generate_series(1, $4::int) g,
            (SELECT array_agg(id ORDER BY code) AS ids, count(*) AS n FROM agencies WHERE level IN ('department','district','commune')) ag
        ) x
      ) y
      CROSS JOIN LATERAL (SELECT md5(y.agency_id::text || '-' || y.prank)::uuid AS procedure_id,
        CASE WHEN y.r < 0.4 THEN 'online' WHEN y.r < 0.95 THEN 'in_person' ELSE 'post' END AS channel,
        CASE WHEN y.exit_kind0 IS NULL OR y.raw_exit > $3::timestamptz THEN NULL ELSE y.raw_exit END AS exit_at,
        CASE WHEN y.exit_kind0 IS NULL OR y.raw_exit > $3::timestamptz THEN NULL ELSE y.exit_kind0 END AS exit_kind) z`,
    [`${year - 1}-11-01T00:00:00+07:00`, `${year}-12-31T17:00:00+07:00`, `${year + 1}-01-20T00:00:00+07:00`, dossiers]);
    log(`reports: rows written in ${((Date.now() - t0) / 1000).toFixed(0)} s; rebuilding indexes`);
    for (const i of indexes) await client.query(i.indexdef);
    // The facts, as modules/reports/facts.ts rebuildFacts computes them.
    await client.query('BEGIN');
    // Not while the server's refresher adds the demo history's contributions.
    await client.query('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK]);
    await client.query('DELETE FROM report_daily_facts');
    await client.query(`
      INSERT INTO report_daily_facts (agency_id, day, procedure_id, channel, ${MEASURES.join(', ')})
      SELECT agency_id, day, procedure_id, channel, ${MEASURES.map((m) => `sum(${m})`).join(', ')}
      FROM (
        SELECT agency_id, received_day AS day, procedure_id, channel, 1 AS received, fee_bearing::int AS fee_bearing, paid_online::int AS paid_online,
          reuse_expected::int AS reuse_expected, reused::int AS reused, 0 AS resolved, 0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late,
          0 AS refused, 0 AS stopped, 0 AS withdrawn, 0 AS resolution_minutes, 0 AS statutory_minutes, 0 AS slow, 0 AS result_expected,
          0 AS electronic_result, 0 AS digitised, 0 AS dissatisfied
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
      GROUP BY agency_id, day, procedure_id, channel`);
    await client.query('DELETE FROM report_monthly_facts');
    await client.query(`
      INSERT INTO report_monthly_facts (agency_id, month, procedure_id, channel, ${MEASURES.join(', ')})
      SELECT agency_id, date_trunc('month', day)::date, procedure_id, channel, ${MEASURES.map((m) => `sum(${m})`).join(', ')}
      FROM report_daily_facts GROUP BY 1, 2, 3, 4`);
    // Checked under the lock: exactly the rows written above were generated, and the facts hold
    // one receipt per report row (the generated ones and any the server had, such as the demo's).
    const counts = (await client.query(`SELECT (${generatedSql}) AS generated, (SELECT count(*) FROM report_dossiers)::int AS rows,
      (SELECT coalesce(sum(received), 0) FROM report_daily_facts)::int AS received, (SELECT coalesce(sum(received), 0) FROM report_monthly_facts)::int AS monthly_received,
      (SELECT count(*) FROM report_daily_facts)::int AS daily, (SELECT count(*) FROM report_monthly_facts)::int AS monthly`)).rows[0];
    await client.query('COMMIT');
    if (counts.generated !== dossiers) throw new Error(`reports: ${counts.generated} report rows generated, ${dossiers} asked for`);
    if (counts.received !== counts.rows || counts.monthly_received !== counts.rows)
      throw new Error(`reports: the facts hold ${counts.received} receipts (monthly ${counts.monthly_received}) for ${counts.rows} report rows`);
    for (const t of ['report_dossiers', 'report_daily_facts', 'report_monthly_facts']) await client.query(`VACUUM ANALYZE ${t}`);
    // What the measured year's province summary must say, counted straight from the report rows.
    const expected = (await client.query(`
      WITH RECURSIVE t(id) AS (SELECT id FROM agencies WHERE code = $1 UNION SELECT c.id FROM agencies c JOIN t ON c.parent_id = t.id)
      SELECT count(*) FILTER (WHERE received_day BETWEEN $2::date AND $3::date)::int AS received,
        count(*) FILTER (WHERE received_day BETWEEN $2::date AND $3::date AND channel = 'online')::int AS received_online,
        count(*) FILTER (WHERE exit_day BETWEEN $2::date AND $3::date AND exit_kind <> 'withdrawn')::int AS resolved,
        count(*) FILTER (WHERE exit_day BETWEEN $2::date AND $3::date AND timeliness = 'late' AND exit_kind <> 'withdrawn')::int AS resolved_late
      FROM report_dossiers WHERE agency_id IN (SELECT id FROM t)`, [ROOT_AGENCY, `${year}-01-01`, `${year}-12-31`])).rows[0];
    log(`reports: ${counts.generated.toLocaleString('en')} generated report rows (${(counts.rows - counts.generated).toLocaleString('en')} there before), `
      + `${counts.daily.toLocaleString('en')} daily and ${counts.monthly.toLocaleString('en')} monthly fact rows; ${year}: ${expected.received.toLocaleString('en')} received; `
      + `ready after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return {
      dossiers, year, agency: ROOT_AGENCY, dailyFacts: counts.daily, monthlyFacts: counts.monthly, rowsBefore: counts.rows - counts.generated,
      expected: { received: expected.received, receivedOnline: expected.received_online, resolved: expected.resolved, resolvedLate: expected.resolved_late },
    };
  } finally {
    await client.end();
  }
}

/** The two measured requests (public: no session). */
export function reportScenarios(info) {
  const q = `agency=${info.agency}&from=${info.year}-01-01&to=${info.year}-12-31`;
  return [
    {
      name: 'report-summary',
      path: `/api/v1/reports/summary?${q}&includeChildren=true`,
      description: `GET /api/v1/reports/summary for the province and ${info.year} with ${info.dossiers.toLocaleString('en')} dossiers in the database: `
        + 'agency by code, its subtree, the flows (12 monthly fact sums), the stocks at both ends (index-only GiST scans), the pending count (5 round trips, 2 in parallel)',
    },
    {
      name: 'report-ranking',
      path: `/api/v1/reports/index/ranking?${q}`,
      description: `GET /api/v1/reports/index/ranking: the Decision 766 index of every agency of the province for ${info.year}: `
        + 'flows and stocks by agency, resolution times by agency and procedure, the catalogue, agency names, pending count (8 round trips, 5 in parallel); '
        + 'the ceiling runs the same statements but returns the rows without computing the index',
    },
  ];
}

// ------------------------------------------------------------------------------------ ceiling
// The same statements as modules/reports/reports.repository.ts, agencies.repository.ts and
// facts.ts generate (texts copied from what Kysely sends); if those change, change these.

const AGENCY_SQL = `select "id", "code", "name", "name_en", "level", "valid_to", "parent_id" from "agencies" where "code" = $1`;
const SUBTREE_SQL = `
    WITH RECURSIVE t(id) AS (
      SELECT id FROM agencies WHERE id = ANY($1::uuid[])
      UNION SELECT c.id FROM agencies c JOIN t ON c.parent_id = t.id
    ) SELECT id FROM t`;
const PENDING_SQL = 'SELECT count(*)::int AS n FROM report_dirty';
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
const FACT_COLUMNS = `received, fee_bearing, paid_online, reuse_expected, reused, resolved, resolved_early, resolved_on_time, resolved_late,
  refused, stopped, withdrawn, resolution_minutes, statutory_minutes, slow, result_expected, electronic_result, digitised, dissatisfied`;
const FACTS_OF = (n) => `(
    SELECT agency_id, month AS day, procedure_id, channel, ${FACT_COLUMNS} FROM report_monthly_facts
    WHERE agency_id = ANY($${n}::uuid[]) AND month BETWEEN $${n + 1}::date AND $${n + 2}::date
    UNION ALL
    SELECT agency_id, day, procedure_id, channel, ${FACT_COLUMNS} FROM report_daily_facts
    WHERE agency_id = ANY($${n + 3}::uuid[]) AND (day BETWEEN $${n + 4}::date AND $${n + 5}::date OR day BETWEEN $${n + 6}::date AND $${n + 7}::date)
  ) f`;
const flowsSql = (key) => `
    SELECT ${key} AS key, ${FLOW_SQL}
    FROM ${FACTS_OF(1)} 
    WHERE true 
    GROUP BY 1`;
const stocksSql = (key) => `
    SELECT key, sum(c)::int AS carried_over, sum(o)::int AS in_progress, sum(od)::int AS in_progress_overdue, sum(w)::int AS waiting_supplement
    FROM (
      SELECT ${key} AS key, 1 AS c, 0 AS o, 0 AS od, 0 AS w
      FROM report_dossiers r 
      WHERE r.active @> $1::timestamptz AND r.agency_id = ANY($2::uuid[]) 
      UNION ALL
      SELECT ${key}, 0, 1, (r.overdue @> $3::timestamptz)::int, (r.waiting @> $4::timestamptz)::int
      FROM report_dossiers r 
      WHERE r.active @> $5::timestamptz AND r.agency_id = ANY($6::uuid[]) 
    ) x
    GROUP BY key`;
const TIMES_SQL = `
    SELECT f.agency_id, f.procedure_id, sum(f.resolved)::int AS resolved, sum(f.resolved_late)::int AS resolved_late,
      sum(f.resolution_minutes)::float8 AS resolution_minutes, sum(f.statutory_minutes)::float8 AS statutory_minutes
    FROM ${FACTS_OF(1)}
    GROUP BY 1, 2 HAVING sum(f.resolved) > 0`;
const CATALOGUE_SQL = `
    SELECT pa.agency_id, p.id, p.code, p.name, p.online_level <> 'none' AS online,
      EXISTS (SELECT 1 FROM procedure_fees f WHERE f.procedure_id = p.id AND f.amount_vnd > 0) AS fee_bearing,
      NOT EXISTS (SELECT 1 FROM procedure_fees f WHERE f.procedure_id = p.id AND f.amount_vnd > 0 AND NOT f.payable_online) AS fee_online
    FROM procedure_agencies pa JOIN procedures p ON p.id = pa.procedure_id
    WHERE pa.kind = 'receiving' AND p.published AND pa.agency_id = ANY($1::uuid[])
    ORDER BY p.code`;
const AGENCIES_SQL = `select "id", "code", "name", "name_en", "level", "valid_to", "parent_id" from "agencies" where "id" in (SELECT unnest($1::uuid[])) order by "code"`;

const NO_DAYS = ['9999-12-31', '0001-01-01'];
const day = (t) => new Date(t).toISOString().slice(0, 10);
const utcDay = (s) => Date.parse(`${s}T00:00:00Z`);
function monthSplit(from, to) {
  const f = utcDay(from);
  const t = utcDay(to);
  const fd = new Date(f);
  const td = new Date(t);
  const firstFull = fd.getUTCDate() === 1 ? f : Date.UTC(fd.getUTCFullYear(), fd.getUTCMonth() + 1, 1);
  const endsMonth = new Date(t + 86_400_000).getUTCDate() === 1;
  const lastFull = endsMonth ? Date.UTC(td.getUTCFullYear(), td.getUTCMonth(), 1) : Date.UTC(td.getUTCFullYear(), td.getUTCMonth() - 1, 1);
  if (firstFull > lastFull) return { months: NO_DAYS, head: [from, to], tail: NO_DAYS };
  return {
    months: [day(firstFull), day(lastFull)],
    head: f < firstFull ? [from, day(firstFull - 86_400_000)] : NO_DAYS,
    tail: endsMonth ? NO_DAYS : [day(Date.UTC(td.getUTCFullYear(), td.getUTCMonth(), 1)), to],
  };
}
const factParams = (ids, from, to) => {
  const s = monthSplit(from, to);
  return [ids, s.months[0], s.months[1], ids, s.head[0], s.head[1], s.tail[0], s.tail[1]];
};

const OFFSET_MS = 7 * 3600_000;
const MINUTES_PER_DAY = 480;
const ratio = (n, d) => (d > 0 ? n / d : null);
const camel = (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]));

/** The same figures as modules/reports/figures.ts, from one flows row and one stocks row. */
function figures(f, s) {
  const toProcess = s.carriedOver + f.received;
  const lateRate = ratio(f.resolvedLate + s.inProgressOverdue, toProcess);
  return {
    carriedOver: s.carriedOver, received: f.received, receivedInPerson: f.receivedInPerson, receivedOnline: f.receivedOnline, receivedByPost: f.receivedByPost,
    toProcess, resolved: f.resolved, resolvedEarly: f.resolvedEarly, resolvedOnTime: f.resolvedOnTime, resolvedLate: f.resolvedLate, refused: f.refused,
    stopped: f.stopped, withdrawn: f.withdrawn, inProgress: s.inProgress, inProgressOnTime: s.inProgress - s.inProgressOverdue,
    inProgressOverdue: s.inProgressOverdue, waitingSupplement: s.waitingSupplement, feeBearing: f.feeBearing, onlinePaid: f.paidOnline,
    resultExpected: f.resultExpected, electronicResults: f.electronicResult,
    averageResolutionDays: f.resolved > 0 ? f.resolutionMinutes / f.resolved / MINUTES_PER_DAY : null,
    onTimeRate: lateRate === null ? null : 1 - lateRate, lateRate, resolvedOnTimeRate: ratio(f.resolvedEarly + f.resolvedOnTime, f.resolved),
    onlineRate: ratio(f.receivedOnline, f.received),
  };
}

/** Registers the ceiling's report routes on a bare Fastify app with a `pg` pool. */
export function registerReportCeiling(app, pool) {
  const scope = async (code) => {
    const a = (await pool.query(AGENCY_SQL, [code])).rows[0];
    if (!a) return null;
    const ids = (await pool.query(SUBTREE_SQL, [[a.id]])).rows.map((r) => r.id);
    return { agency: a, ids };
  };
  const instants = (from, to) => {
    const now = Date.now();
    const start = Math.min(utcDay(from) - OFFSET_MS, now);
    const end = Math.min(utcDay(to) + 86_400_000 - OFFSET_MS, now);
    return [new Date(start), new Date(end)];
  };
  const stocksParams = (ids, start, end) => [start, ids, end, end, end, ids];

  app.get('/api/v1/reports/summary', async (req, reply) => {
    const { agency, from, to } = req.query;
    const s = await scope(agency);
    if (!s) return reply.status(404).send({ error: { code: 'not_found' } });
    const [start, end] = instants(from, to);
    const [f, st] = await Promise.all([
      pool.query(flowsSql(`''`), factParams(s.ids, from, to)),
      pool.query(stocksSql(`''`), stocksParams(s.ids, start, end)),
    ]);
    const pending = (await pool.query(PENDING_SQL)).rows[0].n;
    const flow = camel(f.rows[0]);
    for (const k of Object.keys(flow)) if (k !== 'key') flow[k] = Number(flow[k] ?? 0);
    const stock = st.rows[0] ? camel(st.rows[0]) : { carriedOver: 0, inProgress: 0, inProgressOverdue: 0, waitingSupplement: 0 };
    reply.header('cache-control', 'public, max-age=60');
    return { figures: figures(flow, stock), freshness: { pendingChanges: pending } };
  });

  app.get('/api/v1/reports/index/ranking', async (req, reply) => {
    const { agency, from, to } = req.query;
    const s = await scope(agency);
    if (!s) return reply.status(404).send({ error: { code: 'not_found' } });
    const [start, end] = instants(from, to);
    const [f, st, times, cat, agencies] = await Promise.all([
      pool.query(flowsSql('f.agency_id::text'), factParams(s.ids, from, to)),
      pool.query(stocksSql('r.agency_id::text'), stocksParams(s.ids, start, end)),
      pool.query(TIMES_SQL, factParams(s.ids, from, to)),
      pool.query(CATALOGUE_SQL, [s.ids]),
      pool.query(AGENCIES_SQL, [s.ids]),
    ]);
    const pending = (await pool.query(PENDING_SQL)).rows[0].n;
    reply.header('cache-control', 'public, max-age=60');
    return { flows: f.rows.length, stocks: st.rows.length, times: times.rows.length, catalogue: cat.rows.length, agencies: agencies.rows.length, pending };
  });
}

/**
 * Before anything is measured: both servers give the same summary figures, and those are the
 * ones counted from the generated rows (`info.expected`); our ranking covers the same receipts.
 */
export async function checkReportsAgree(oursBaseUrl, ceilingBaseUrl, info) {
  const [summary, ranking] = reportScenarios(info);
  const get = async (base, path) => {
    const res = await fetch(`${base}${path}`);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${base}${path}: ${res.status} ${body}`);
    return JSON.parse(body);
  };
  const [ours, ceiling] = await Promise.all([oursBaseUrl, ceilingBaseUrl].map(async (base) => (await get(base, summary.path)).figures));
  if (JSON.stringify(ours) !== JSON.stringify(ceiling))
    throw new Error(`ours and the ceiling disagree on the report summary:\n${JSON.stringify({ ours, ceiling }, null, 2)}`);
  if (info.expected) {
    const got = { received: ours.received, receivedOnline: ours.receivedOnline, resolved: ours.resolved, resolvedLate: ours.resolvedLate };
    if (JSON.stringify(got) !== JSON.stringify(info.expected))
      throw new Error(`the report summary does not match the generated rows:\n${JSON.stringify({ summary: got, rows: info.expected }, null, 2)}`);
    const rows = (await get(oursBaseUrl, ranking.path)).rows;
    const received = rows.reduce((a, r) => a + r.received, 0);
    if (received !== info.expected.received) throw new Error(`the ranking's agencies received ${received} dossiers in ${info.year}, the rows say ${info.expected.received}`);
    if (!rows.every((r) => r.total.percent !== null)) throw new Error('the ranking has an agency without an index');
  }
  return ours;
}
