#!/usr/bin/env node
// Browser journeys against the real server: builds what is stale, starts `motcua serve` on a
// fresh database (a new database on $DATABASE_URL's server, or an embedded PostgreSQL in a
// temporary folder), runs e2e/tests/*.test.ts with node's test runner, then cleans up.
//
// Env: E2E_SKIP_BUILD=1 to use the existing builds as they are; E2E_KEEP=1 to keep the
// database / data folder and the server log afterwards; E2E_CONCURRENCY=n test files at once
// (default 2: the files use their own accounts and data, so they may overlap).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const CONCURRENCY = Math.max(1, Number(process.env.E2E_CONCURRENCY ?? 2) || 1);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const say = (m) => console.log(`e2e: ${m}`);

if (!existsSync(CHROMIUM)) {
  console.log(`e2e: skipped — Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  process.exit(0);
}

/** Newest modification time under the given files and folders (skipping node_modules/dist). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') walk(join(p, name));
    } else max = Math.max(max, st.mtimeMs);
  };
  paths.forEach((p) => walk(resolve(ROOT, p)));
  return max;
}

function stale(output, inputs) {
  const out = resolve(ROOT, output);
  return !existsSync(out) || statSync(out).mtimeMs < newest(inputs);
}

function npmBuild(workspace) {
  say(`building ${workspace}…`);
  const r = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  return r.status === 0;
}

const WEB_INPUTS = ['apps/web/src', 'apps/web/index.html', 'apps/web/public', 'apps/web/vite.config.ts', 'packages/contracts/src'];
const SERVER_INPUTS = ['apps/server/src', 'apps/server/build.mjs', 'packages/contracts/src'];
const SERVER_DIST = resolve(ROOT, 'apps/server/dist/main.js');
const SERVER_SRC = resolve(ROOT, 'apps/server/src/main.ts');

if (process.env.E2E_SKIP_BUILD !== '1') {
  if (stale('apps/web/dist/index.html', WEB_INPUTS) && !npmBuild('@motcua/web')) {
    console.error('e2e: the web build failed');
    process.exit(1);
  }
  if (stale('apps/server/dist/main.js', SERVER_INPUTS) && !npmBuild('@motcua/server') && !existsSync(SERVER_SRC)) {
    console.error('e2e: the server build failed');
    process.exit(1);
  }
}
if (!existsSync(resolve(ROOT, 'apps/web/dist/index.html'))) {
  console.error('e2e: apps/web/dist/index.html is missing; run npm run build');
  process.exit(1);
}

// The built server is what ships; while it cannot be built, run its sources through tsx.
let serverCommand;
if (existsSync(SERVER_DIST) && !stale('apps/server/dist/main.js', SERVER_INPUTS)) {
  serverCommand = [SERVER_DIST, 'serve'];
} else if (existsSync(SERVER_SRC)) {
  say('apps/server/dist/main.js is missing or stale: running the server from source with tsx');
  serverCommand = ['--import', pathToFileURL(require.resolve('tsx')).href, SERVER_SRC, 'serve'];
} else {
  console.error('e2e: no server to test (apps/server/dist/main.js and apps/server/src/main.ts are missing)');
  process.exit(1);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const suffix = randomBytes(4).toString('hex');
const keep = process.env.E2E_KEEP === '1';
const logPath = join(tmpdir(), `motcua-e2e-${suffix}.log`);
let dataDir = null;
let database = null; // { adminUrl, name }
let server = null;
let cleaned = false;

async function createDatabase(adminUrl) {
  const { default: pg } = await import('pg');
  const name = `motcua_e2e_${suffix}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { adminUrl, name, url: url.toString() };
}

async function dropDatabase({ adminUrl, name }) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function stopServer() {
  return new Promise((resolveStop) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    server.kill('SIGTERM');
  });
}

async function cleanup(success) {
  if (cleaned) return;
  cleaned = true;
  await stopServer();
  if (keep) return;
  if (database) await dropDatabase(database).catch((err) => console.error(`e2e: could not drop ${database.name}: ${err.message}`));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (success) rmSync(logPath, { force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void cleanup(false).finally(() => process.exit(130));
  });
}

async function waitForHealth(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer /healthz within ${timeoutMs / 1000} s`);
}

function runTests(baseUrl) {
  const dir = resolve(ROOT, 'e2e/tests');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('e2e/tests', f));
  const only = process.argv.slice(2);
  const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, '--test-timeout=420000', '--test-reporter=spec', ...selected],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, E2E_BASE_URL: baseUrl } },
    );
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO_SEED: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The journeys load many pages from one address within a minute.
    RATE_LIMIT_PER_MINUTE: '20000',
  };
  // The data folder also holds the development encryption key, so it exists in both modes.
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
  env.DATA_DIR = dataDir;
  // A private copy of the built web app: a rebuild during the run cannot swap assets under it.
  const webCopy = join(dataDir, 'web');
  cpSync(join(ROOT, 'apps/web/dist'), webCopy, { recursive: true });
  env.WEB_DIST = webCopy;
  if (process.env.DATABASE_URL) {
    database = await createDatabase(process.env.DATABASE_URL);
    env.DATABASE_URL = database.url;
    say(`database ${database.name} created`);
  } else {
    env.EMBEDDED_PG_PORT = String(await freePort());
  }

  const log = createWriteStream(logPath);
  // The server runs in its own folder so that a developer's .env cannot redirect it.
  server = spawn(process.execPath, serverCommand, { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  const base = `http://localhost:${port}`;
  say(`server starting on ${base} (log: ${logPath})`);
  await waitForHealth(`http://127.0.0.1:${port}`, 180_000);

  const code = await runTests(base);
  await cleanup(code === 0);
  process.exit(code);
}

main().catch(async (err) => {
  console.error(`e2e: ${err instanceof Error ? err.message : String(err)} (server log: ${logPath})`);
  await cleanup(false);
  process.exit(1);
});
