// Outbox throughput: SMS messages dispatched per second from the outbox to an SMSC over SMPP.
//
// A `worker` process (the production build, `dist/main.js worker`, SMS_GATEWAY=smpp) drains
// N queued messages written straight into the outbox (notify_messages + their pg-boss jobs, in one
// transaction, as dossier actions write them) to a minimal SMSC on loopback that answers every
// submit_sm at once. The figure is messages handed over and recorded ("sending") per second.
// Its ceiling: a bare SMPP client in this process submitting the same number of messages to the
// same SMSC with the same window, with no database at all.
//
//   import { outboxScenario } from './scenarios/outbox.mjs';
//   const row = await outboxScenario({ databaseUrl, serverMain, cwd, env, log });
//
// Standalone: DATABASE_URL=postgres://…/some_empty_db node bench/scenarios/outbox.mjs
// (the worker migrates the database and installs pg-boss's schema itself).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import smpp from 'smpp';

const DEDUPE_TLV = 0x1401;
const WINDOW = 50;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A minimal SMSC: binds anyone, answers every submit_sm with a fresh id, counts them. */
async function startSmsc() {
  smpp.addTLV('motcua_client_ref', { id: DEDUPE_TLV, type: smpp.types.tlv.cstring });
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

/** The ceiling: `n` submit_sm through one bind with the same window, no database. */
async function bareClient(port, n) {
  const session = smpp.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    session.on('error', reject);
    session.on('connect', () => session.bind_transceiver({ system_id: 'bench', password: 'bench' }, () => resolve()));
  });
  const t0 = performance.now();
  let sent = 0;
  let done = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (sent < n && sent - done < WINDOW) {
        sent++;
        session.submit_sm({ source_addr_ton: 5, source_addr: 'MOTCUA', destination_addr: `849${String(sent).padStart(8, '0')}`, data_coding: 8, short_message: { message: 'Hồ sơ của ông/bà đã được tiếp nhận.' } }, () => {
          done++;
          if (done === n) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  session.destroy();
  return { seconds, perSecond: n / seconds };
}

/** Writes `n` queued SMS and their pg-boss jobs in one transaction, as the dossier hooks do. */
async function fillOutbox(databaseUrl, n) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench' });
  await client.connect();
  try {
    const ids = Array.from({ length: n }, () => randomUUID());
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO notify_messages (id, event, channel, dedupe_key, recipient, locale, body, status, concat_ref)
       SELECT id, 'staff.message', 'sms', 'bench:' || id, '849' || lpad(i::text, 8, '0'), 'vi', 'Hồ sơ của ông/bà đã được tiếp nhận.', 'queued', i % 256
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, i)`, [ids]);
    await client.query(
      `INSERT INTO pgboss.job (id, name, data, retry_limit, expire_in, policy)
       SELECT id, 'notify-sms', jsonb_build_object('messageId', id), 3, interval '5 minutes', 'standard' FROM unnest($1::uuid[]) AS id`, [ids]);
    await client.query('COMMIT');
    return ids;
  } finally {
    await client.end();
  }
}

async function countSending(databaseUrl, ids) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM notify_messages WHERE id = ANY($1::uuid[]) AND status = 'sending'`, [ids])).rows[0].n);
  } finally {
    await client.end();
  }
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
  let output = '';
  worker.stdout.on('data', (c) => { output += c; });
  worker.stderr.on('data', (c) => { output += c; });
  try {
    for (let i = 0; i < 600 && !output.includes('worker running'); i++) {
      if (worker.exitCode !== null) throw new Error(`worker exited (${worker.exitCode}):\n${output.slice(-2000)}`);
      await sleep(100);
    }
    if (!output.includes('worker running')) throw new Error(`worker did not start:\n${output.slice(-2000)}`);
    // A warm-up batch, then the measured one.
    const warm = await fillOutbox(databaseUrl, Math.min(200, messages));
    while ((await countSending(databaseUrl, warm)) < warm.length) await sleep(100);
    log(`outbox: ${messages} messages through the worker`);
    const submitsBefore = smsc.submits();
    const t0 = performance.now();
    const ids = await fillOutbox(databaseUrl, messages);
    for (;;) {
      const n = await countSending(databaseUrl, ids);
      if (n >= messages) break;
      if (performance.now() - t0 > 300_000) throw new Error(`outbox: only ${n}/${messages} dispatched after 5 minutes`);
      await sleep(50);
    }
    const seconds = (performance.now() - t0) / 1000;
    const submitted = smsc.submits() - submitsBefore;
    log('outbox: the bare SMPP client on the same SMSC');
    const ceiling = await bareClient(smsc.port, messages);
    const ours = messages / seconds;
    return {
      name: 'outbox',
      description: `${messages} queued SMS (1 UCS-2 part each) dispatched by \`worker\` over SMPP (window ${WINDOW}) to a loopback SMSC, recorded as "sending"; ceiling: a bare SMPP client, no database`,
      ours: { messagesPerSecond: Math.round(ours), seconds: Math.round(seconds * 100) / 100, submits: submitted },
      ceiling: { messagesPerSecond: Math.round(ceiling.perSecond), seconds: Math.round(ceiling.seconds * 100) / 100 },
      ratio: ours / ceiling.perSecond,
      ratioPercent: Math.round((ours / ceiling.perSecond) * 100),
    };
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r() : worker.once('exit', r)));
    await smsc.close();
  }
}

// Standalone run.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
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
