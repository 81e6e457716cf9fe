// Dossier scenarios (issue 4), with BENCH_DOSSIERS (default 1,000,000) dossiers in the database:
//
//  lookup  GET /api/v1/dossiers/lookup?code=…&phone4=… (public status lookup), codes drawn at
//          random from the whole table. Ceiling: the same statements our route sends (the
//          dossier by its unique code, then by id, its process steps and its log, then the
//          procedure, agencies and actor names in parallel), presenting the stored projection
//          instead of replaying the log.
//  submit  POST /api/v1/dossiers {procedureId, formData, submit: true} as the demo citizen, a
//          fresh Idempotency-Key each time, on a procedure with an online form and no required
//          paper. Ceiling: a bare handler that commits the same rows in one transaction
//          (idempotency key with its answer, the dossier in its submitted state, the submit action,
//          the fee snapshot and fee items, the outbox messages with their events and pg-boss jobs,
//          one audit event on the hash chain) with as few statements as it can.
//
// Wiring (bench/run.mjs, bench/ceiling-server.mjs):
//   const info = await prepareSubmitProcedure(databaseUrl);              // before the ceiling starts
//   const gen = await generateDossiers(databaseUrl, info, { count, log }); // the million
//   const sample = await sampleLookups(databaseUrl);                     // codes to look up
//   lookupScenario(sample), submitScenario(info, session)
//   registerDossierCeiling(app, pool, fixture, { sessionOf })            // in the ceiling
//   await checkLookupAgree(…), await checkSubmitAgree(…)                 // before measuring
import { createHash, randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import { appendAudit, canonicalJson } from '../lib/audit.mjs';

const BENCH_PROCEDURE = '1.999901';
/** The procedure copied for `submit`: online (toàn trình), a form, two papers, a fee; received by the demo department. */
const SOURCE_PROCEDURE = '1.004480';
const AGENCY_CODE = '000.00.12.H56';
/** A two-step process (the desk receives, the leader approves): what a simple acknowledgement procedure goes through. */
const BENCH_STEPS = [
  { key: 'reception', name: { vi: 'Tiếp nhận hồ sơ', en: 'Reception' }, agencyId: null, role: 'reception_officer', sharePercent: 20 },
  { key: 'approve', name: { vi: 'Lãnh đạo xem xét, phê duyệt', en: 'Leader review and approval' }, agencyId: null, role: 'agency_leader', sharePercent: 80, returnTo: ['reception'] },
];

/** What a business types into that procedure's online form. */
export const SUBMIT_FORM = {
  businessName: 'Công ty TNHH Chuyển phát nhanh Hòn Chồng',
  taxCode: '4201234567',
  representative: 'Trần Thị Bích Ngọc',
  phone: '0912345678',
  email: 'lienhe@honchong-express.vn',
  address: '25 Trần Phú, phường Lộc Thọ, Nha Trang, Khánh Hòa',
  request: 'Đề nghị Sở xác nhận thông báo hoạt động bưu chính của doanh nghiệp: dịch vụ chuyển phát tài liệu, bưu kiện trong phạm vi nội tỉnh.',
};

async function withClient(databaseUrl, fn) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench-dossiers' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The procedure of `submit` (and of the generated dossiers): a copy of a demo procedure offered
 * fully online whose papers are all optional, with its fee and a two-step process (version 1). Idempotent. Returns the ids the other steps need.
 */
export async function prepareSubmitProcedure(databaseUrl) {
  return withClient(databaseUrl, async (c) => {
    await c.query('BEGIN');
    let p = (await c.query('SELECT id FROM procedures WHERE code = $1', [BENCH_PROCEDURE])).rows[0];
    if (!p) {
      p = (await c.query(`
        INSERT INTO procedures (code, name, field_id, levels, applicants, steps, methods, online_level, processing_value, processing_unit,
          legal_basis, result_documents, online_form, published, published_at)
        SELECT $1, name, field_id, levels, applicants, steps, methods, online_level, processing_value, processing_unit,
          legal_basis, result_documents, online_form, true, now()
        FROM procedures WHERE code = $2 RETURNING id`, [BENCH_PROCEDURE, SOURCE_PROCEDURE])).rows[0];
      if (!p) throw new Error(`submit: the demo procedure ${SOURCE_PROCEDURE} is missing (DEMO_SEED)`);
      const src = `(SELECT id FROM procedures WHERE code = '${SOURCE_PROCEDURE}')`;
      await c.query(`INSERT INTO procedure_agencies (procedure_id, agency_id, kind) SELECT $1, agency_id, kind FROM procedure_agencies WHERE procedure_id = ${src}`, [p.id]);
      await c.query(`INSERT INTO procedure_components (procedure_id, sort_order, name, form, quantity, required, reusable)
        SELECT $1, sort_order, name, form, quantity, false, reusable FROM procedure_components WHERE procedure_id = ${src}`, [p.id]);
      await c.query(`INSERT INTO procedure_fees (procedure_id, sort_order, name, amount_vnd, exemptions, payable_online, payable_when)
        SELECT $1, sort_order, name, amount_vnd, exemptions, payable_online, payable_when FROM procedure_fees WHERE procedure_id = ${src}`, [p.id]);
      const process = (await c.query(`INSERT INTO processes (procedure_id, version, steps) VALUES ($1, 1, $2) RETURNING id`, [p.id, JSON.stringify(BENCH_STEPS)])).rows[0];
      await c.query('UPDATE procedures SET process_id = $1 WHERE id = $2', [process.id, p.id]);
    }
    await c.query('COMMIT');
    const info = (await c.query(`
      SELECT p.id AS procedure_id, p.process_id, p.processing_value, p.processing_unit, a.id AS agency_id, a.code AS agency_code,
        (SELECT count(*)::int FROM procedure_components x WHERE x.procedure_id = p.id AND x.required) AS required,
        o.id AS officer_id, o.full_name AS officer_name
      FROM procedures p
      JOIN procedure_agencies pa ON pa.procedure_id = p.id AND pa.kind = 'receiving'
      JOIN agencies a ON a.id = pa.agency_id
      LEFT JOIN LATERAL (SELECT u.id, u.full_name FROM official_roles r JOIN users u ON u.id = r.user_id
        WHERE r.agency_id = a.id AND r.role = 'reception_officer' ORDER BY u.id LIMIT 1) o ON true
      WHERE p.code = $1`, [BENCH_PROCEDURE])).rows;
    if (info.length !== 1 || info[0].agency_code !== AGENCY_CODE || info[0].required !== 0 || !info[0].officer_id)
      throw new Error(`submit: the bench procedure is not as expected: ${JSON.stringify(info)}`);
    const i = info[0];
    return {
      procedureId: i.procedure_id, processId: i.process_id, durationValue: i.processing_value, durationUnit: i.processing_unit,
      agencyId: i.agency_id, agencyCode: i.agency_code, officerId: i.officer_id, officerName: i.officer_name,
    };
  });
}

// ------------------------------------------------------------------------------ the million

/**
 * 2,000 dossiers a day, 12 s apart from 08:00 (+07:00), the last day being yesterday: dossier i
 * of n is received on day (i - 1) / 2000 after $start. The newest 3 % are still open (at the desk:
 * submit, receive; or with the leader: + forward), as in a centre that keeps up with its work;
 * of the rest, 2 % were refused (submit, receive, refuse), 2 % withdrawn before reception
 * (submit, withdraw; no code), and the others approved and handed back (submit, receive, forward,
 * approve, mark_result_ready, return_result): 5.8 actions a dossier on average. The projection
 * columns are what the log derives to (dates approximately: due 14 days after receipt).
 */
const SHAPE = `CASE WHEN i > $open::int THEN (CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END) WHEN i % 50 = 0 THEN 'R' WHEN i % 50 = 1 THEN 'W' ELSE 'D' END`;
const AT = `($start::timestamptz + ((i - 1) / 2000) * interval '1 day' + ((i - 1) % 2000) * interval '12 seconds')`;
const CODE = `($agency::text || '-' || to_char(($start::timestamptz + ((i - 1) / 2000) * interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(((i - 1) % 2000 + 1)::text, 4, '0'))`;
const ID = `md5('motcua-bench-dossier-' || i)::uuid`;

const ACTIONS = `(VALUES
  ('A', 1, 'submit', interval '0'), ('A', 2, 'receive', interval '30 minutes'),
  ('B', 1, 'submit', interval '0'), ('B', 2, 'receive', interval '30 minutes'), ('B', 3, 'forward', interval '1 day'),
  ('R', 1, 'submit', interval '0'), ('R', 2, 'receive', interval '30 minutes'), ('R', 3, 'refuse', interval '1 day'),
  ('W', 1, 'submit', interval '0'), ('W', 2, 'withdraw', interval '2 hours'),
  ('D', 1, 'submit', interval '0'), ('D', 2, 'receive', interval '30 minutes'), ('D', 3, 'forward', interval '1 day'),
  ('D', 4, 'approve', interval '2 days'), ('D', 5, 'mark_result_ready', interval '2 days 1 hour'), ('D', 6, 'return_result', interval '3 days')
) AS a(shape, seq, type, after)`;

const bind = (text, values) => {
  const names = Object.keys(values);
  return { text: text.replace(/\$([a-z]+)/g, (_, n) => `$${names.indexOf(n) + 1}`), values: Object.values(values) };
};

/** The first day of the series: `days` days before yesterday, 08:00 in Vietnam. */
function seriesStart(count) {
  const days = Math.ceil(count / 2000);
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${today}T08:00:00+07:00`) - (days + 1) * 86_400_000);
}

function dossierBatch(info, g, lo, hi) {
  return bind(`
    INSERT INTO dossiers (id, code, procedure_id, process_id, duration_value, duration_unit, channel, receiving_agency_id, created_by,
      applicant_name, applicant_phone, form_data, delivery, status, portal_status, step_index, current_agency_id, assignee_id,
      submitted_at, received_at, due_at, step_due_at, finished_at, returned_at, timeliness, urgency, urgency_at, last_seq, created_at, updated_at)
    SELECT ${ID}, CASE WHEN s <> 'W' THEN ${CODE} END, $procedure::uuid, $process::uuid, $duration::int, $unit::text,
      (ARRAY['online','online','online','online','in_person','in_person','in_person','in_person','in_person','post'])[1 + i % 10],
      $agencyid::uuid, $officer::uuid,
      (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng'])[1 + i % 10] || ' '
        || (ARRAY['Văn','Thị','Minh','Ngọc','Đức','Thu'])[1 + (i / 10) % 6] || ' '
        || (ARRAY['An','Bình','Chi','Dũng','Hà','Hùng','Lan','Mai','Nam','Phương','Quang','Tâm'])[1 + (i / 60) % 12],
      '09' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0'),
      jsonb_build_object('address', 'Số ' || (1 + i % 300) || ' đường ' || (ARRAY['Trần Phú','Lê Thánh Tôn','Yersin','Thống Nhất','Hùng Vương'])[1 + i % 5] || ', Nha Trang',
        'request', 'Đề nghị giải quyết hồ sơ số ' || i, 'copies', 1 + i % 3),
      '{"method":"counter"}',
      CASE s WHEN 'D' THEN 'returned' WHEN 'R' THEN 'refused' WHEN 'W' THEN 'withdrawn' ELSE 'processing' END,
      CASE s WHEN 'D' THEN 'done' WHEN 'R' THEN 'denied' WHEN 'W' THEN 'cancelled' ELSE 'processing' END,
      CASE s WHEN 'W' THEN NULL WHEN 'A' THEN 0 WHEN 'R' THEN 0 ELSE 1 END,
      CASE WHEN s <> 'W' THEN $agencyid::uuid END, CASE WHEN s IN ('A', 'R') THEN $officer::uuid END,
      at, CASE WHEN s <> 'W' THEN at + interval '30 minutes' END, CASE WHEN s <> 'W' THEN at + interval '14 days' END,
      CASE s WHEN 'A' THEN at + interval '3 days' WHEN 'B' THEN at + interval '14 days' END,
      CASE s WHEN 'D' THEN at + interval '2 days' WHEN 'R' THEN at + interval '1 day' END, CASE s WHEN 'D' THEN at + interval '3 days' END,
      CASE WHEN s IN ('D', 'R') THEN 'early' END,
      CASE WHEN s IN ('A', 'B') AND at + interval '14 days' < now() THEN 'overdue' END, CASE WHEN s IN ('A', 'B') AND at + interval '14 days' < now() THEN now() END,
      CASE s WHEN 'A' THEN 2 WHEN 'B' THEN 3 WHEN 'R' THEN 3 WHEN 'W' THEN 2 ELSE 6 END, at,
      at + CASE s WHEN 'A' THEN interval '30 minutes' WHEN 'W' THEN interval '2 hours' WHEN 'D' THEN interval '3 days' ELSE interval '1 day' END
    FROM generate_series($lo::int, $hi::int) i, LATERAL (SELECT ${SHAPE} AS s, ${AT} AS at) x`,
  { procedure: info.procedureId, process: info.processId, duration: info.durationValue, unit: info.durationUnit, agencyid: info.agencyId,
    officer: info.officerId, lo, hi, agency: info.agencyCode, start: g.start, open: g.open });
}

function actionBatch(info, g, lo, hi) {
  return bind(`
    INSERT INTO dossier_actions (dossier_id, seq, type, at, actor_id, actor_name, payload)
    SELECT ${ID}, a.seq, a.type, ${AT} + a.after, $officer::uuid, $name::text,
      CASE a.type WHEN 'receive' THEN jsonb_build_object('code', ${CODE}) WHEN 'return_result' THEN '{"method":"counter"}'
        WHEN 'refuse' THEN '{"reasons":["Hồ sơ không đáp ứng điều kiện theo quy định."]}' ELSE '{}' END
    FROM generate_series($lo::int, $hi::int) i JOIN ${ACTIONS} ON a.shape = ${SHAPE}`,
  { officer: info.officerId, name: info.officerName, lo, hi, agency: info.agencyCode, start: g.start, open: g.open });
}

/**
 * Inserts `count` dossiers and their logs in batches of 100,000 rows, dossiers and actions on
 * two connections at once, with every index in place; then VACUUM ANALYZE (hint bits and
 * statistics, as a database that has been running a while). The sessions run with
 * session_replication_role = replica, which skips triggers and foreign-key checks: the rows are
 * consistent by construction, and the report refresher must not see a million changes (it would
 * recompute their facts in the background for the rest of the run; the report scenarios load
 * their own data). Without superuser rights the rows go in with triggers and the report marks
 * are removed afterwards.
 */
export async function generateDossiers(databaseUrl, info, { count = 1_000_000, batch = 100_000, log = () => undefined } = {}) {
  const t0 = Date.now();
  const before = await withClient(databaseUrl, async (c) => Number((await c.query('SELECT count(*) FROM dossiers')).rows[0].count));
  const replica = await withClient(databaseUrl, async (c) => {
    try {
      await c.query('SET session_replication_role = replica');
      return true;
    } catch {
      return false;
    }
  });
  const g = { start: seriesStart(count), open: count - Math.round(count * 0.03) };
  const run = async (make) => withClient(databaseUrl, async (c) => {
    if (replica) await c.query('SET session_replication_role = replica');
    await c.query('SET synchronous_commit = off');
    let rows = 0;
    for (let lo = 1; lo <= count; lo += batch) {
      const q = make(info, g, lo, Math.min(count, lo + batch - 1));
      rows += (await c.query(q.text, q.values)).rowCount;
    }
    return rows;
  });
  // Without replica mode, actions must wait for their dossiers (foreign key).
  const [dossiers, actions] = replica
    ? await Promise.all([run(dossierBatch), run(actionBatch)])
    : [await run(dossierBatch), await run(actionBatch)];
  const inserted = Date.now();
  log(`dossiers: ${dossiers.toLocaleString('en')} dossiers and ${actions.toLocaleString('en')} actions inserted in ${((inserted - t0) / 1000).toFixed(1)} s; VACUUM ANALYZE`);
  await withClient(databaseUrl, async (c) => {
    if (!replica) await c.query(`DELETE FROM report_dirty r USING dossiers d WHERE d.id = r.dossier_id AND d.created_by = $1 AND d.code LIKE $2`, [info.officerId, `${info.agencyCode}-%`]);
    await c.query('VACUUM ANALYZE dossiers');
    await c.query('VACUUM ANALYZE dossier_actions');
  });
  const done = Date.now();
  const total = await withClient(databaseUrl, async (c) => Number((await c.query('SELECT count(*) FROM dossiers')).rows[0].count));
  if (total - before !== count) throw new Error(`dossiers: expected ${count} new dossiers, found ${total - before}`);
  return {
    dossiers: count, actions, totalDossiers: total, replicaMode: replica, from: g.start.toISOString(), open: count - g.open,
    insertSeconds: Math.round((inserted - t0) / 100) / 10, vacuumAnalyzeSeconds: Math.round((done - inserted) / 100) / 10,
    seconds: Math.round((done - t0) / 100) / 10,
  };
}

/** `n` (code, last 4 phone digits) pairs drawn at random over the generated dossiers. */
export async function sampleLookups(databaseUrl, info, n = 10_000) {
  return withClient(databaseUrl, async (c) => {
    const rows = (await c.query(`
      SELECT code, right(applicant_phone, 4) AS phone4, status FROM dossiers TABLESAMPLE SYSTEM (5)
      WHERE code LIKE $1 AND created_by = $2 ORDER BY random() LIMIT $3`, [`${info.agencyCode}-%`, info.officerId, n])).rows;
    if (rows.length < Math.min(n, 100)) throw new Error(`lookup: only ${rows.length} dossiers to look up`);
    return rows;
  });
}

// ------------------------------------------------------------------------------ scenarios

export function lookupScenario(sample, gen) {
  const paths = sample.map((s) => `/api/v1/dossiers/lookup?code=${encodeURIComponent(s.code)}&phone4=${s.phone4}`);
  let next = 0;
  return {
    name: 'lookup',
    path: paths[0],
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
    description: `GET /api/v1/dossiers/lookup?code=…&phone4=… with ${gen.totalDossiers.toLocaleString('en')} dossiers in the database `
      + `(${sample.length.toLocaleString('en')} codes drawn at random; 2 to 6 actions each): by code, by id, process, log, `
      + 'then procedure, agencies and actor names in parallel (4 round trips, 6 statements)',
    target: { ratioPercent: 80, p99Ms: 25 },
  };
}

export function submitScenario(info, session) {
  const body = JSON.stringify({ procedureId: info.procedureId, formData: SUBMIT_FORM, submit: true });
  return {
    name: 'submit',
    path: '/api/v1/dossiers',
    requests: [{
      method: 'POST',
      body,
      headers: { ...session.headers, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
    }],
    description: 'POST /api/v1/dossiers {procedureId, formData, submit: true} as the demo citizen, a fresh Idempotency-Key each: '
      + 'ours sends 13 statements (2 reads, then 11 in one transaction that takes the audit-chain lock with its 9th statement); '
      + 'the ceiling commits the same rows with 13 round trips, taking that lock last',
    target: { ratioPercent: 50 },
  };
}

// ------------------------------------------------------------------------------ the ceiling

// The statements of the lookup route (apps/server/src/modules/dossier/dossier.routes.ts → loadDossier → presentDossier), as Kysely sends them.
const LOOKUP_CODE_SQL = 'select "id", "applicant_phone", "applicant_id_enc" from "dossiers" where "code" = $1';
const DOSSIER_SQL = 'select * from "dossiers" where "id" = $1';
const STEPS_SQL = 'select "steps" from "processes" where "id" = $1';
const ACTIONS_SQL = 'select * from "dossier_actions" where "dossier_id" = $1 order by "seq"';
const PROCEDURE_SQL = 'select "id", "code", "name", "online_level" from "procedures" where "id" = $1';
const agenciesSql = (n) => `select "id", "code", "name", "name_en" from "agencies" where "id" in (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`;
const ACTOR_NAMES_SQL = 'select "seq", "actor_name", "comment" from "dossier_actions" where "dossier_id" = $1';

const iso = (d) => (d ? new Date(d).toISOString() : null);
const maskPhone = (p) => (p ? `${p.slice(0, 3)}****${p.slice(-3)}` : null);

// The submit ceiling's reads: the procedure with its receiving agencies, and the citizen with their channels.
const SUBMIT_READ_SQL = `
  SELECT p.id, p.code, p.name, p.process_id, p.processing_value, p.processing_unit, p.online_level, p.methods,
    (SELECT array_agg(pa.agency_id) FROM procedure_agencies pa WHERE pa.procedure_id = p.id AND pa.kind = 'receiving') AS receiving,
    u.full_name, u.phone, u.email, u.address, np.sms AS pref_sms, np.email AS pref_email, np.in_app AS pref_in_app, np.locale
  FROM procedures p CROSS JOIN users u LEFT JOIN notify_preferences np ON np.user_id = u.id
  WHERE p.id = $1 AND p.published AND u.id = $2`;
// The receiving agency, and the reception officers over it who get an in-app message.
const SUBMIT_AGENCY_SQL = `
  WITH RECURSIVE up(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM agencies WHERE id = $1::uuid
    UNION ALL SELECT a.id, a.parent_id, up.depth + 1 FROM agencies a JOIN up ON a.id = up.parent_id WHERE up.depth < 20)
  SELECT a.id, a.code, a.name, a.name_en, a.address,
    (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT DISTINCT u.id, p.locale FROM official_roles r JOIN users u ON u.id = r.user_id LEFT JOIN notify_preferences p ON p.user_id = u.id
      WHERE r.role = 'reception_officer' AND r.agency_id IN (SELECT id FROM up) AND u.disabled_at IS NULL AND u.id <> $2 LIMIT 200) x) AS officials
  FROM agencies a WHERE a.id = $1`;
const IDEMPOTENCY_SQL = `INSERT INTO idempotency_keys (user_id, key, route, request_hash, status, response) VALUES ($1, $2, $3, $4, 201, $5)
  ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`;
const INSERT_DOSSIER_SQL = `
  INSERT INTO dossiers (id, procedure_id, process_id, duration_value, duration_unit, channel, receiving_agency_id, applicant_user_id, created_by,
    applicant_name, applicant_phone, applicant_email, applicant_address, form_data, delivery, status, portal_status, submitted_at, last_seq, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, 'online', $6, $7, $7, $8, $9, $10, $11, $12, $13, 'submitted', 'receiving', $14, 1, $14, $14)`;
const INSERT_ACTION_SQL = `INSERT INTO dossier_actions (dossier_id, seq, type, at, actor_id, actor_name, comment, payload) VALUES ($1, 1, 'submit', $2, $3, $4, NULL, '{}')`;
const FEES_SQL = `
  WITH s AS (INSERT INTO dossier_fee_snapshots (dossier_id) VALUES ($1) RETURNING dossier_id)
  INSERT INTO dossier_fees (dossier_id, procedure_fee_id, sort_order, name, amount_vnd, payable_online, payable_when)
  SELECT s.dossier_id, f.id, row_number() OVER (ORDER BY f.sort_order) - 1, f.name, f.amount_vnd, f.payable_online, f.payable_when
  FROM s, procedure_fees f WHERE f.procedure_id = $2`;
const OUTBOX_SQL = `
  WITH m AS (
    INSERT INTO notify_messages (id, event, channel, dedupe_key, dossier_id, agency_id, recipient_user_id, recipient, locale, subject, body, status, concat_ref, done_at)
    SELECT * FROM json_to_recordset($1::json) AS x(id uuid, event text, channel text, dedupe_key text, dossier_id uuid, agency_id uuid,
      recipient_user_id uuid, recipient text, locale text, subject text, body text, status text, concat_ref int, done_at timestamptz)
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, channel, status),
  e AS (INSERT INTO notify_message_events (message_id, status, detail)
    SELECT id, status, CASE WHEN channel = 'in_app' THEN 'in-app inbox' ELSE 'written to the outbox' END FROM m)
  INSERT INTO pgboss.job (id, name, data, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, policy)
  SELECT m.id, q.name, jsonb_build_object('messageId', m.id), q.retry_limit, q.retry_delay, q.retry_backoff,
    q.expire_seconds * interval '1 second', now() + q.retention_minutes * interval '1 minute', q.policy
  FROM m JOIN pgboss.queue q ON q.name = 'notify-' || m.channel WHERE m.channel <> 'in_app'`;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const render = (text, vars) => text.replace(PLACEHOLDER, (_m, name) => vars[name] ?? '').normalize('NFC');
const toMsisdn = (phone) => {
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(phone.replace(/[\s.-]/g, ''));
  return m ? `84${m[1]}` : null;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The outbox rows of a submission: the citizen by their channels, the reception officers in-app (as notify.service.ts emit). */
function outboxRows(templates, { dossierId, agency, user, procedureName, officials }) {
  const cause = `dossier:${dossierId}:1`;
  const rows = [];
  const add = (event, channel, userId, address, locale, vars) => {
    const t = templates[event][channel];
    rows.push({
      id: randomUUID(), event, channel, dedupe_key: `${cause}:${channel}:${address ?? userId}`, dossier_id: dossierId, agency_id: agency.id,
      recipient_user_id: userId, recipient: address, locale, subject: t.subject === null ? null : render(t.subject, vars).slice(0, 300),
      body: render(t.body, vars).slice(0, 5000) || '-', status: channel === 'in_app' ? 'delivered' : 'queued', concat_ref: randomInt(256),
      done_at: channel === 'in_app' ? new Date().toISOString() : null,
    });
  };
  const vars = { procedure: procedureName, agency: agency.name, applicant: user.full_name };
  const msisdn = user.phone ? toMsisdn(user.phone) : null;
  if ((user.pref_sms ?? true) && msisdn) add('dossier.submitted', 'sms', user.id, msisdn, user.locale ?? 'vi', vars);
  if ((user.pref_email ?? true) && user.email) add('dossier.submitted', 'email', user.id, user.email.toLowerCase(), user.locale ?? 'vi', vars);
  if (user.pref_in_app ?? true) add('dossier.submitted', 'in_app', user.id, null, user.locale ?? 'vi', vars);
  for (const o of officials) add('queue.new_dossier', 'in_app', o.id, null, 'vi', { procedure: procedureName, applicant: user.full_name, channel: 'trực tuyến' });
  return rows;
}

/**
 * Registers the ceiling's dossier routes: the public lookup and the online submission.
 * `sessionOf(req)` gives the session row (as the who-am-I ceiling reads it) or null.
 */
export function registerDossierCeiling(app, pool, fixture, { sessionOf }) {
  app.get('/api/v1/dossiers/lookup', async (req, reply) => {
    const { code, phone4 } = req.query;
    if (typeof code !== 'string' || code.length < 3 || !/^\d{4}$/.test(String(phone4))) return reply.status(400).send({ error: { code: 'validation_failed' } });
    const hit = (await pool.query(LOOKUP_CODE_SQL, [code])).rows[0];
    if (!hit || !hit.applicant_phone?.endsWith(phone4)) return reply.status(404).send({ error: { code: 'not_found' } });
    const d = (await pool.query(DOSSIER_SQL, [hit.id])).rows[0];
    if (!d) return reply.status(404).send({ error: { code: 'not_found' } });
    const steps = (await pool.query(STEPS_SQL, [d.process_id])).rows[0].steps;
    const actions = (await pool.query(ACTIONS_SQL, [d.id])).rows;
    const agencyIds = [d.receiving_agency_id, ...(d.current_agency_id ? [d.current_agency_id] : [])];
    const [procedure, agencies] = await Promise.all([
      pool.query(PROCEDURE_SQL, [d.procedure_id]),
      pool.query(agenciesSql(agencyIds.length), agencyIds),
      pool.query(ACTOR_NAMES_SQL, [d.id]),
    ]);
    const agency = (id) => {
      const a = agencies.rows.find((x) => x.id === id);
      return a ? { id: a.id, code: a.code, name: a.name, nameEn: a.name_en } : null;
    };
    const p = procedure.rows[0];
    const step = d.step_index !== null ? steps[d.step_index] : undefined;
    reply.header('cache-control', 'no-store');
    return {
      id: d.id, code: d.code, procedure: { id: p.id, code: p.code, name: p.name }, channel: d.channel,
      receivingAgency: agency(d.receiving_agency_id), currentAgency: agency(d.current_agency_id),
      applicant: { name: null, phone: maskPhone(d.applicant_phone), email: null, idNumberMasked: null, address: null },
      formData: {}, delivery: { method: d.delivery.method }, status: d.status, portalStatus: d.portal_status,
      step: step ? { index: d.step_index, key: step.key, name: step.name, role: step.role } : null, assigneeId: null,
      submittedAt: iso(d.submitted_at), receivedAt: iso(d.received_at), dueAt: iso(d.due_at), stepDueAt: iso(d.step_due_at),
      pausedSince: iso(d.paused_since), supplementRequests: d.supplement_requests, finishedAt: iso(d.finished_at), returnedAt: iso(d.returned_at),
      timeliness: d.timeliness, rating: null, lastSeq: d.last_seq,
      timeline: actions.map((a) => ({ seq: a.seq, type: a.type, at: iso(a.at), actorName: null, comment: null, payload: {} })),
      files: [],
    };
  });

  app.post('/api/v1/dossiers', async (req, reply) => {
    if (!fixture) return reply.status(503).send({ error: { code: 'no_fixture' } });
    const s = await sessionOf(req);
    if (!s) return reply.status(401).send({ error: { code: 'unauthenticated' } });
    if (req.headers['x-csrf-token'] !== s.csrf_token) return reply.status(403).send({ error: { code: 'csrf' } });
    if (s.kind !== 'citizen') return reply.status(403).send({ error: { code: 'forbidden' } });
    const b = req.body ?? {};
    const key = req.headers['idempotency-key'];
    if (typeof b.procedureId !== 'string' || !UUID.test(b.procedureId) || (b.formData !== undefined && (typeof b.formData !== 'object' || b.formData === null))
      || (key !== undefined && !/^[\x21-\x7e]{8,200}$/.test(key)) || !key)
      return reply.status(400).send({ error: { code: 'validation_failed' } });
    const user = (await pool.query(SUBMIT_READ_SQL, [b.procedureId, s.user_id])).rows[0];
    if (!user || user.online_level === 'none' || !user.methods.includes('online')) return reply.status(400).send({ error: { code: 'validation_failed' } });
    const agencyId = b.agencyId ?? (user.receiving?.length === 1 ? user.receiving[0] : null);
    if (!agencyId || !user.receiving.includes(agencyId)) return reply.status(400).send({ error: { code: 'validation_failed' } });
    const agency = (await pool.query(SUBMIT_AGENCY_SQL, [agencyId, s.user_id])).rows[0];
    const id = randomUUID();
    const now = new Date();
    const delivery = b.delivery ?? { method: 'online' };
    const answer = {
      id, code: null, procedure: { id: user.id, code: user.code, name: user.name }, channel: 'online',
      receivingAgency: { id: agency.id, code: agency.code, name: agency.name, nameEn: agency.name_en }, currentAgency: null,
      applicant: { name: user.full_name, phone: user.phone, email: user.email, idNumberMasked: null, address: user.address },
      formData: b.formData ?? {}, delivery, status: 'submitted', portalStatus: 'receiving', step: null, assigneeId: null,
      submittedAt: now.toISOString(), receivedAt: null, dueAt: null, stepDueAt: null, pausedSince: null, supplementRequests: 0,
      finishedAt: null, returnedAt: null, timeliness: null, rating: null, lastSeq: 1, allowedActions: ['receive', 'request_supplement_before_reception', 'refuse', 'withdraw'],
      timeline: [{ seq: 1, type: 'submit', at: now.toISOString(), actorName: user.full_name, comment: null, payload: {} }], visits: [], files: [],
    };
    const route = 'POST /api/v1/dossiers';
    const requestHash = createHash('sha256').update(route).update('\n').update(canonicalJson(b)).digest('hex');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const fresh = await client.query(IDEMPOTENCY_SQL, [s.user_id, key, route, requestHash, JSON.stringify(answer)]);
      if (fresh.rowCount === 0) {
        await client.query('ROLLBACK');
        const old = (await pool.query('SELECT status, response, request_hash FROM idempotency_keys WHERE user_id = $1 AND key = $2', [s.user_id, key])).rows[0];
        if (old.request_hash !== requestHash) return reply.status(422).send({ error: { code: 'idempotency_key_reused' } });
        return reply.status(old.status).send(old.response);
      }
      await client.query(INSERT_DOSSIER_SQL, [id, user.id, user.process_id, user.processing_value, user.processing_unit, agency.id, s.user_id,
        user.full_name, user.phone, user.email, user.address, JSON.stringify(b.formData ?? {}), JSON.stringify(delivery), now]);
      await client.query(INSERT_ACTION_SQL, [id, now, s.user_id, user.full_name]);
      await client.query(FEES_SQL, [id, user.id]);
      const rows = outboxRows(fixture.templates, { dossierId: id, agency, user: { ...user, id: s.user_id }, procedureName: user.name, officials: agency.officials });
      await client.query(OUTBOX_SQL, [JSON.stringify(rows)]);
      // Created and submitted in one call: one audit event, the submission (as ours writes).
      await appendAudit(client, [
        { actorId: s.user_id, actorName: user.full_name, action: 'dossier.submit', objectType: 'dossier', objectId: id, ip: req.ip, requestId: randomUUID(), details: { seq: 1, code: null } },
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    return reply.status(201).send(answer);
  });
}

// ------------------------------------------------------------------------------ checks

const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const LOOKUP_KEYS = ['id', 'code', 'procedure', 'channel', 'receivingAgency', 'currentAgency', 'applicant', 'formData', 'delivery', 'status',
  'portalStatus', 'step', 'assigneeId', 'submittedAt', 'receivedAt', 'supplementRequests', 'finishedAt', 'returnedAt', 'rating', 'lastSeq', 'timeline', 'files'];

/** Both servers present the same dossiers (a few of each status), and both answer 404 to a wrong phone. */
export async function checkLookupAgree(oursBaseUrl, ceilingBaseUrl, sample) {
  const statuses = [...new Set(sample.map((s) => s.status))];
  for (const s of statuses.flatMap((st) => sample.filter((x) => x.status === st).slice(0, 5))) {
    const path = `/api/v1/dossiers/lookup?code=${encodeURIComponent(s.code)}&phone4=${s.phone4}`;
    const [ours, ceiling] = await Promise.all([oursBaseUrl, ceilingBaseUrl].map(async (base) => {
      const res = await fetch(`${base}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${base}${path}: ${res.status} ${body.slice(0, 500)}`);
      return pick(JSON.parse(body), LOOKUP_KEYS);
    }));
    if (canonicalJson(ours) !== canonicalJson(ceiling))
      throw new Error(`ours and the ceiling disagree on ${path}:\n${JSON.stringify({ ours, ceiling }, null, 1).slice(0, 4000)}`);
  }
  const wrong = `/api/v1/dossiers/lookup?code=${encodeURIComponent(sample[0].code)}&phone4=${sample[0].phone4 === '0000' ? '0001' : '0000'}`;
  for (const base of [oursBaseUrl, ceilingBaseUrl]) {
    const res = await fetch(`${base}${wrong}`);
    await res.arrayBuffer();
    if (res.status !== 404) throw new Error(`${base}${wrong}: ${res.status}, expected 404`);
  }
}

/** Rows a submitted dossier left, table by table. */
async function rowsOf(client, dossierId, key) {
  const r = (await client.query(`
    SELECT (SELECT count(*) FROM dossiers WHERE id = $1)::int AS dossiers,
      (SELECT count(*) FROM dossier_actions WHERE dossier_id = $1)::int AS dossier_actions,
      (SELECT count(*) FROM audit_log WHERE object_type = 'dossier' AND object_id = $1::text)::int AS audit_log,
      (SELECT count(*) FROM idempotency_keys WHERE key = $2 AND status = 201)::int AS idempotency_keys,
      (SELECT count(*) FROM dossier_fee_snapshots WHERE dossier_id = $1)::int AS dossier_fee_snapshots,
      (SELECT count(*) FROM dossier_fees WHERE dossier_id = $1)::int AS dossier_fees,
      (SELECT count(*) FROM notify_messages WHERE dossier_id = $1)::int AS notify_messages,
      (SELECT count(*) FROM notify_message_events e JOIN notify_messages m ON m.id = e.message_id WHERE m.dossier_id = $1)::int AS notify_message_events,
      (SELECT count(*) FROM pgboss.job j JOIN notify_messages m ON m.id = j.id WHERE m.dossier_id = $1)::int AS pgboss_jobs`, [dossierId, key])).rows[0];
  return r;
}

/** One submission to each: both answer 201 with the same dossier shape and leave the same rows, table by table. */
export async function checkSubmitAgree(oursBaseUrl, ceilingBaseUrl, info, session, databaseUrl) {
  const keys = ['code', 'procedure', 'channel', 'receivingAgency', 'currentAgency', 'applicant', 'formData', 'delivery', 'status', 'portalStatus',
    'step', 'supplementRequests', 'lastSeq', 'allowedActions', 'files'];
  const out = {};
  for (const [name, base] of [['ours', oursBaseUrl], ['ceiling', ceilingBaseUrl]]) {
    const key = randomUUID();
    const res = await fetch(`${base}/api/v1/dossiers`, {
      method: 'POST',
      headers: { ...session.headers, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ procedureId: info.procedureId, formData: SUBMIT_FORM, submit: true }),
    });
    const body = await res.text();
    if (res.status !== 201) throw new Error(`${name} POST /api/v1/dossiers: ${res.status} ${body.slice(0, 1000)}`);
    const d = JSON.parse(body);
    out[name] = { answer: { ...pick(d, keys), timeline: d.timeline.map((t) => pick(t, ['seq', 'type', 'actorName'])) }, rows: await withClient(databaseUrl, (c) => rowsOf(c, d.id, key)) };
  }
  if (canonicalJson(out.ours) !== canonicalJson(out.ceiling))
    throw new Error(`ours and the ceiling disagree on a submission:\n${JSON.stringify(out, null, 1).slice(0, 5000)}`);
  return out.ours.rows;
}
