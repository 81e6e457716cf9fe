// Outbox throughput: SMS messages dispatched per second from the outbox to an SMSC over SMPP.
//
// A `worker` process (the production build, `dist/main.js worker`, SMS_GATEWAY=smpp) drains
// N queued messages written straight into the outbox (notify_messages + their pg-boss jobs, in one
// transaction, as dossier actions write them) to a minimal SMSC on loopback that answers every
// submit_sm at once. The figure is messages handed over and recorded ("sending") per second once
// the pipeline runs: from the worker's first record of the round to its last (its own record
// times), the first record's messages not counted. So neither the worker's poll interval (how
// soon it notices new jobs) nor the pipeline's fill counts as throughput; the wall-clock time from
// the outbox's commit to the last record is reported beside it.
//
// Its ceiling does the same work with nothing around it, in a process of its own (as the worker is,
// so that its SMPP round trips cross processes too): a bare `pg` client reads
// N other queued messages (one SELECT per batch), a bare SMPP client submits each with the same
// PDU fields (brandname, UCS-2, delivery receipt requested, dedupe-key TLV) through one bind with
// the same window, and a second `pg` client writes each message's status ("sending") as the
// answers come back, one UPDATE per group of answers (group commit). Reading, sending and writing
// overlap: the SMPP window never waits for the database. Measured like ours: from its first write
// to its last (each timed as it is sent), the first write's messages not counted. Rounds alternate
// (ours, ceiling, ceiling, ours) so that load and drift fall on both.
//
//   import { outboxScenario } from './scenarios/outbox.mjs';
//   const row = await outboxScenario({ databaseUrl, serverMain, cwd, env, log });
//
// Standalone: DATABASE_URL=postgres://…/some_empty_db node bench/scenarios/outbox.mjs
// (the worker migrates the database and installs pg-boss's schema itself).
import { fork, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import smpp from 'smpp';

const DEDUPE_TLV = 0x1401;
const WINDOW = 50;
/** Messages the ceiling reads per SELECT (its writes group whatever answers arrived meanwhile). */
const CEILING_BATCH = 200;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
smpp.addTLV('motcua_client_ref', { id: DEDUPE_TLV, type: smpp.types.tlv.cstring });

/** A minimal SMSC: binds anyone, answers every submit_sm with a fresh id, counts them. */
async function startSmsc() {
  let submits = 0;
  let seq = 0;
  const server = smpp.createServer({}, (session) => {
    session.on('bind_transceiver', (pdu) => session.send(pdu.response()));
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
    session.on('submit_sm', (pdu) => { submits++; session.send(pdu.response({ message_id: (++seq).toString(16) })); });
    session.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, submits: () => submits, close: () => new Promise((r) => { for (const s of server.sessions) s.destroy(); server.close(() => r()); }) };
}

/** The same submit_sm fields as the SMPP gateway for a one-part UCS-2 message. */
const submitParams = (m) => ({
  source_addr_ton: 5, source_addr_npi: 0, source_addr: 'MOTCUA', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: m.recipient,
  registered_delivery: 1, esm_class: 0, data_coding: 8, short_message: { message: m.body.normalize('NFC') }, motcua_client_ref: `motcua-${m.id}:1`,
});

/**
 * The ceiling: reads the queued messages `ids` in batches, submits each over one bind with the
 * same window, and records each one's status as the answers come back (one UPDATE per group).
 * Returns the seconds from its first write to its last (each taken as the UPDATE is sent) and the
 * messages recorded after the first write.
 */
async function ceilingDispatch(databaseUrl, port, ids, batch) {
  const reader = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench-ceiling' });
  const writer = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench-ceiling' });
  await reader.connect();
  await writer.connect();
  const session = smpp.connect({ host: '127.0.0.1', port });
  try {
    await new Promise((resolve, reject) => {
      session.on('error', reject);
      session.on('connect', () => session.bind_transceiver({ system_id: 'bench', password: 'bench' }, () => resolve()));
    });
    let firstWrite = null;
    let firstGroup = 0;
    let lastWrite = 0;
    const rows = [];
    let read = 0;
    let reading = null;
    let sent = 0;
    let inflight = 0;
    const answered = [];
    let written = 0;
    let writing = null;
    let failure = null;
    let finish;
    const finished = new Promise((resolve, reject) => { finish = (err) => (err ? reject(err) : resolve()); });
    const readMore = () => {
      if (reading || read >= ids.length || rows.length >= batch) return;
      const slice = ids.slice(read, read + batch);
      read += slice.length;
      reading = reader.query(`SELECT id, recipient, body FROM notify_messages WHERE id = ANY($1::uuid[]) AND status = 'queued'`, [slice]).then((r) => {
        reading = null;
        rows.push(...r.rows);
        pump();
      }, (err) => finish(err));
    };
    const write = () => {
      if (writing || answered.length === 0) return;
      const group = answered.splice(0);
      lastWrite = performance.now();
      if (firstWrite === null) {
        firstWrite = lastWrite;
        firstGroup = group.length;
      }
      writing = writer.query(
        `UPDATE notify_messages m SET status = 'sending', provider = 'smpp', sent_at = now(), attempts = 1, updated_at = now()
         FROM unnest($1::uuid[]) AS v(id) WHERE m.id = v.id AND m.status = 'queued'`, [group]).then((r) => {
        writing = null;
        written += r.rowCount;
        if (written >= ids.length) finish();
        else write();
      }, (err) => finish(err));
    };
    const pump = () => {
      while (rows.length && inflight < WINDOW) {
        const m = rows.shift();
        sent++;
        inflight++;
        session.submit_sm(submitParams(m), (pdu) => {
          inflight--;
          if (pdu.command_status !== 0) failure ??= new Error(`ceiling: submit_sm answered ${pdu.command_status}`);
          answered.push(m.id);
          write();
          pump();
        });
      }
      readMore();
    };
    pump();
    await finished;
    if (failure) throw failure;
    if (sent !== ids.length) throw new Error(`ceiling: sent ${sent} of ${ids.length}`);
    return { seconds: (lastWrite - firstWrite) / 1000, counted: ids.length - firstGroup };
  } finally {
    session.destroy();
    await reader.end();
    await writer.end();
  }
}

/**
 * The ceiling runs in a process of its own, as our worker does: its SMPP round trips cross
 * processes like ours (an SMPP client in the SMSC's own process would answer itself within one
 * event loop). Rounds are asked for over IPC.
 */
function startCeilingProcess(env) {
  const child = fork(fileURLToPath(import.meta.url), ['--ceiling-child'], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const pending = [];
  child.on('message', (m) => pending.shift()?.(m));
  child.on('exit', (code) => { for (const p of pending.splice(0)) p({ error: `ceiling process exited (${code}): ${stderr.slice(-1000)}` }); });
  return {
    async round(args) {
      const answer = await new Promise((resolve) => {
        pending.push(resolve);
        child.send(args);
      });
      if (answer.error) throw new Error(answer.error);
      return answer.result;
    },
    stop: () => new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', r);
      child.kill('SIGTERM');
    }),
  };
}

/**
 * Writes `n` queued SMS in one transaction, as the dossier hooks do: with their pg-boss jobs for
 * ours, without for the ceiling (which reads them itself; ours never sees a message without a job).
 */
async function fillOutbox(databaseUrl, n, { jobs = true } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench' });
  await client.connect();
  try {
    const ids = Array.from({ length: n }, () => randomUUID());
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO notify_messages (id, event, channel, dedupe_key, recipient, locale, body, status, concat_ref)
       SELECT id, 'staff.message', 'sms', $2 || id, '849' || lpad(i::text, 8, '0'), 'vi', 'Hồ sơ của ông/bà đã được tiếp nhận.', 'queued', i % 256
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, i)`, [ids, jobs ? 'bench:' : 'bench-ceiling:']);
    if (jobs) {
      await client.query(
        `INSERT INTO pgboss.job (id, name, data, retry_limit, expire_in, policy)
         SELECT id, 'notify-sms', jsonb_build_object('messageId', id), 3, interval '5 minutes', 'standard' FROM unnest($1::uuid[]) AS id`, [ids]);
    }
    await client.query('COMMIT');
    return ids;
  } finally {
    await client.end();
  }
}

/**
 * Whether any of our messages is still queued: through the partial index of open messages, so that
 * polling costs the database next to nothing while the worker drains them (the ceiling is not polled).
 */
async function anyQueued(client) {
  return (await client.query(`SELECT 1 FROM notify_messages WHERE status = 'queued' AND dedupe_key LIKE 'bench:%' LIMIT 1`)).rowCount > 0;
}

async function waitDispatched(databaseUrl, ids, timeoutMs) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench' });
  await client.connect();
  try {
    const t0 = performance.now();
    while (await anyQueued(client)) {
      if (performance.now() - t0 > timeoutMs) throw new Error(`outbox: messages still queued after ${Math.round(timeoutMs / 1000)} s`);
      await sleep(50);
    }
    const r = await client.query(`SELECT count(*)::int AS n FROM notify_messages WHERE id = ANY($1::uuid[]) AND status = 'sending'`, [ids]);
    if (r.rows[0].n !== ids.length) throw new Error(`outbox: ${ids.length - r.rows[0].n} of ${ids.length} messages did not end "sending"`);
  } finally {
    await client.end();
  }
}

/**
 * Ours, from the worker's own record times (every message of a record gets the same \`sent_at\`,
 * taken as the record is sent): the seconds from its first record to its last, and the messages
 * recorded after the first.
 */
async function dispatchSeconds(databaseUrl, ids) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query(
      `WITH m AS (SELECT sent_at, updated_at FROM notify_messages WHERE id = ANY($1::uuid[]))
       SELECT extract(epoch FROM max(updated_at) - min(sent_at))::float8 AS s,
              count(*) FILTER (WHERE sent_at > (SELECT min(sent_at) FROM m))::int AS counted
       FROM m`, [ids]);
    return { seconds: Number(r.rows[0].s), counted: r.rows[0].counted };
  } finally {
    await client.end();
  }
}

/** Our worker drains `n` messages; resolves with its dispatch seconds and the wall-clock seconds from the outbox's commit. */
async function oursRound(databaseUrl, n, submitsOf) {
  const before = submitsOf();
  const ids = await fillOutbox(databaseUrl, n);
  const t0 = performance.now();
  await waitDispatched(databaseUrl, ids, 300_000);
  const wall = (performance.now() - t0) / 1000;
  return { ...(await dispatchSeconds(databaseUrl, ids)), wall, submits: submitsOf() - before };
}

/**
 * Runs the scenario. `serverMain` is dist/main.js; `env` is the server's environment (its
 * DATA_ENCRYPTION_KEY etc.); `cwd` a folder without a developer's .env.
 * Returns a result row: ours (messages/s through the worker) beside the bare SMPP ceiling.
 */
export async function outboxScenario({ databaseUrl, serverMain, cwd, env = process.env, log = () => {}, messages = Number(process.env.BENCH_OUTBOX_MESSAGES || 3000) }) {
  const smsc = await startSmsc();
  const worker = spawn(process.execPath, [serverMain, 'worker'], {
    cwd,
    env: {
      ...env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn',
      SMS_GATEWAY: 'smpp', SMPP_HOST: '127.0.0.1', SMPP_PORT: String(smsc.port), SMPP_SYSTEM_ID: 'bench', SMPP_PASSWORD: 'bench',
      SMPP_SEND_RATE: '1000000', SMPP_WINDOW: String(WINDOW), EMAIL_GATEWAY: 'off', POST_GATEWAY: 'off', NOTIFY_POLL_SECONDS: '0.5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ceilingProcess = null;
  let output = '';
  worker.stdout.on('data', (c) => { output += c; });
  worker.stderr.on('data', (c) => { output += c; });
  try {
    for (let i = 0; i < 600 && !output.includes('worker running'); i++) {
      if (worker.exitCode !== null) throw new Error(`worker exited (${worker.exitCode}):\n${output.slice(-2000)}`);
      await sleep(100);
    }
    if (!output.includes('worker running')) throw new Error(`worker did not start:\n${output.slice(-2000)}`);
    // A warm-up batch on each side, then rounds in ABBA order (ours, ceiling, ceiling, ours).
    await waitDispatched(databaseUrl, await fillOutbox(databaseUrl, Math.min(200, messages)), 60_000);
    ceilingProcess = startCeilingProcess(env);
    const ceilingRound = async (n) => ceilingProcess.round({ databaseUrl, port: smsc.port, ids: await fillOutbox(databaseUrl, n, { jobs: false }), batch: CEILING_BATCH });
    await ceilingRound(Math.min(200, messages));
    const half = Math.ceil(messages / 2);
    const ours = { seconds: 0, counted: 0, wall: 0, submits: 0, messages: 0 };
    const ceiling = { seconds: 0, counted: 0, messages: 0 };
    for (const side of ['ours', 'ceiling', 'ceiling', 'ours']) {
      if (side === 'ours') {
        log(`outbox: ${half} messages through the worker`);
        const r = await oursRound(databaseUrl, half, smsc.submits);
        ours.seconds += r.seconds;
        ours.counted += r.counted;
        ours.wall += r.wall;
        ours.submits += r.submits;
        ours.messages += half;
      } else {
        log(`outbox: ${half} messages through the bare pg + SMPP dispatcher`);
        const r = await ceilingRound(half);
        ceiling.seconds += r.seconds;
        ceiling.counted += r.counted;
        ceiling.messages += half;
      }
    }
    const oursRate = ours.counted / ours.seconds;
    const ceilingRate = ceiling.counted / ceiling.seconds;
    const r2 = (x) => Math.round(x * 100) / 100;
    return {
      name: 'outbox',
      description: `${ours.messages} queued SMS (1 UCS-2 part each) dispatched by \`worker\` over SMPP (window ${WINDOW}) to a loopback SMSC and recorded as "sending", `
        + 'from the first record to the last (the first record\'s messages not counted); ceiling: a bare pg + SMPP dispatcher (its own process) on the same SMSC and database reading the same number of other queued messages, '
        + 'submitting them with the same fields and window and writing each one\'s status (one UPDATE per group of answers); rounds in ABBA order',
      ours: { messagesPerSecond: Math.round(oursRate), seconds: r2(ours.seconds), wallSeconds: r2(ours.wall), wallMessagesPerSecond: Math.round(ours.messages / ours.wall), submits: ours.submits },
      ceiling: { messagesPerSecond: Math.round(ceilingRate), seconds: r2(ceiling.seconds) },
      ratio: oursRate / ceilingRate,
      ratioPercent: Math.round((oursRate / ceilingRate) * 100),
    };
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r() : worker.once('exit', r)));
    await ceilingProcess?.stop();
    await smsc.close();
  }
}

// The ceiling's own process.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--ceiling-child') {
  process.on('message', (m) => {
    ceilingDispatch(m.databaseUrl, m.port, m.ids, m.batch).then((result) => process.send({ result }), (err) => process.send({ error: String(err?.stack ?? err) }));
  });
  process.on('SIGTERM', () => process.exit(0));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Standalone run.
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('outbox: set DATABASE_URL to an empty database');
    process.exit(2);
  }
  const cwd = mkdtempSync(join(tmpdir(), 'motcua-outbox-'));
  const serverMain = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));
  outboxScenario({ databaseUrl, serverMain, cwd, env: { ...process.env, DATA_DIR: cwd, DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex') }, log: (m) => console.error(m) })
    .then((row) => console.log(JSON.stringify(row, null, 2)))
    .catch((err) => { console.error(err); process.exitCode = 1; })
    .finally(() => rmSync(cwd, { recursive: true, force: true }));
}
