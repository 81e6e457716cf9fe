// Prints every SQL statement one request to our server sends to PostgreSQL, in order, with its
// connection and parameters: what a ceiling in bench/ceiling-server.mjs must reproduce. Builds the
// application in-process from the TypeScript sources (as `serve` does, without the background
// jobs), on a database it migrates and seeds with the demo province if needed.
//
//   DATABASE_URL=postgres://…/scratch_db node --import tsx bench/tools/trace-sql.mjs [--citizen] METHOD PATH [JSON-BODY]
//
// --citizen signs the demo citizen in first (cookie and x-csrf-token sent). The request is sent
// once untraced (caches warm: calendar, templates), then once traced. In PATH, BODY and the
// Idempotency-Key header, `{uuid}` becomes a fresh UUID on each send; `--key` adds an
// `Idempotency-Key: {uuid}` header; `--warm=PATH` warms up with another path (e.g. another payment).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const asCitizen = flag('--citizen');
const withKey = flag('--key');
const warmIndex = args.findIndex((a) => a.startsWith('--warm='));
const warmPath = warmIndex < 0 ? null : args.splice(warmIndex, 1)[0].slice('--warm='.length);
const [method, path, body] = args;
if (!method || !path || !process.env.DATABASE_URL) {
  console.error('usage: DATABASE_URL=… node --import tsx bench/tools/trace-sql.mjs [--citizen] [--key] [--warm=PATH] METHOD PATH [JSON-BODY]');
  process.exit(2);
}

// Every statement of every pg client in this process, while `tracing` is on.
let tracing = false;
let clients = 0;
const trace = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  if (tracing) {
    this.benchTraceId ??= ++clients;
    const text = typeof config === 'string' ? config : config?.text;
    const params = typeof config === 'object' && config?.values ? config.values : Array.isArray(values) ? values : [];
    trace.push({ connection: this.benchTraceId, text: String(text).replace(/\s+/g, ' ').trim(), params });
  }
  return originalQuery.call(this, config, values, callback);
};

const dataDir = mkdtempSync(join(tmpdir(), 'motcua-trace-'));
Object.assign(process.env, {
  NODE_ENV: 'production', LOG_LEVEL: 'warn', DEMO_SEED: 'true', DATA_DIR: dataDir,
  RATE_LIMIT_PER_MINUTE: '100000000', LOOKUP_RATE_LIMIT_PER_MINUTE: '100000000',
  DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
});
const server = new URL('../../apps/server/src/', import.meta.url);
const { configFromEnv, openRuntime } = await import(new URL('runtime.ts', server).href);
const { buildApp } = await import(new URL('app.ts', server).href);
const { seedDemo } = await import(new URL('seed/seed.ts', server).href);
const { createSealer } = await import(new URL('modules/identity/index.ts', server).href);
const { DEMO_CITIZEN } = await import(new URL('seed/demo-accounts.ts', server).href);

const config = configFromEnv();
const rt = await openRuntime(config);
let app;
try {
  await seedDemo(rt.db, createSealer(config.encryptionKey));
  app = await buildApp({ config, db: rt.db, pool: rt.pool, jobs: false, databaseUrl: rt.databaseUrl, logger: false });
  await app.ready();
  const headers = {};
  if (asCitizen) {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password } });
    if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
    const sid = login.cookies.find((c) => c.name === '__Host-motcua_sid');
    headers.cookie = `${sid.name}=${sid.value}`;
    headers['x-csrf-token'] = login.json().me.csrfToken;
  }
  const send = (url = path) => {
    const fresh = (s) => s?.replaceAll('{uuid}', () => randomUUID());
    const h = { ...headers, ...(withKey && { 'idempotency-key': randomUUID() }) };
    if (body) h['content-type'] = 'application/json';
    return app.inject({ method, url: fresh(url), headers: h, ...(body && { payload: fresh(body) }) });
  };
  const warm = await send(warmPath ?? path);
  console.error(`warm-up: ${warm.statusCode}`);
  tracing = true;
  const t0 = performance.now();
  const res = await send();
  const ms = performance.now() - t0;
  tracing = false;
  console.log(`${method} ${path} → ${res.statusCode} in ${ms.toFixed(1)} ms (in-process), ${trace.length} statements on ${new Set(trace.map((t) => t.connection)).size} connection(s)`);
  for (const [i, t] of trace.entries()) {
    const shown = t.params.map((p) => (Buffer.isBuffer(p) ? `<${p.length} bytes>` : JSON.stringify(p)?.slice(0, 120)));
    console.log(`\n#${i + 1} [connection ${t.connection}] ${t.text}${shown.length ? `\n   params: ${shown.join(', ')}` : ''}`);
  }
  if (res.statusCode >= 400) console.log(`\nanswer: ${res.body.slice(0, 2000)}`);
} finally {
  await app?.close();
  await rt.close();
  rmSync(dataDir, { recursive: true, force: true });
}
