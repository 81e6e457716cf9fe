#!/usr/bin/env node
import { resolve } from 'node:path';
import { diskBlobStore } from './adapters/storage/index.ts';
import { buildApp } from './app.ts';
import { createDb } from './db/database.ts';
import { migrateDown, migrateToLatest } from './db/migrate.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { verifyAuditChain } from './modules/audit/index.ts';
import { createSealer } from './modules/identity/index.ts';
import { configFromEnv, openRuntime } from './runtime.ts';
import { DEMO_CITIZEN, DEMO_OFFICIALS } from './seed/demo-accounts.ts';
import { seedDemo } from './seed/seed.ts';
import { seedDemoHistory } from './seed/demo-history.ts';
import { runDemoTour } from './seed/demo-tour.ts';
import { CalendarService } from './modules/calendar/index.ts';
import pino from 'pino';
import { createGateways, prepareJobSchema, startWorker } from './jobs/index.ts';
import { workerPostBook } from './modules/post/index.ts';

const USAGE = `usage: motcua <command>
  serve          migrate, seed the demo (DEMO_SEED=true) and serve the web app and API
  migrate        apply pending migrations (exit 1 on failure)
  migrate:down   undo the last migration
  seed           load the demo province
  audit-verify   recompute the audit hash chain (exit 1 if broken)
  worker         run the notification and postal dispatcher alone (serve runs one in-process)`;

const say = (m: string) => console.log(`motcua: ${m}`);

function printDemoAccounts(url: string) {
  say(`open ${url} (API reference: ${url}/api/docs, OpenAPI: ${url}/openapi.json)`);
  say('DEMO accounts (demo data only, never in production):');
  say(`  citizen        ${DEMO_CITIZEN.phone} / ${DEMO_CITIZEN.email}  password ${DEMO_CITIZEN.password}`);
  for (const o of DEMO_OFFICIALS)
    say(`  ${o.role.padEnd(18)} ${o.email.padEnd(28)} password ${o.password}  TOTP secret ${o.totpSecret}`);
}

/** On SIGINT/SIGTERM: close once, within 15 s, then exit. */
function onShutdown(what: string, close: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: ${what}`);
    const began = Date.now();
    const timer = setTimeout(() => {
      say(`${signal}: not closed within 15 s, exiting anyway`);
      process.exit(1);
    }, 15_000);
    try {
      await close();
      say(`stopped in ${Date.now() - began} ms`);
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function serve() {
  const config = configFromEnv();
  const rt = await openRuntime(config, { log: say });
  if (config.DEMO_SEED) {
    const r = await seedDemo(rt.db, createSealer(config.encryptionKey));
    if (r.seeded) say('demo province loaded');
    const history = await seedDemoHistory(rt.db, await new CalendarService(rt.db, config).calendar(), new Date(), diskBlobStore(resolve(config.DATA_DIR, 'blobs')));
    if (history) say(`demo history loaded: ${history} past dossiers (Department of Information and Communications in 2019; departments, wards and communes since January last year)`);
  }
  const app = await buildApp({ config, db: rt.db, pool: rt.pool, jobs: true, databaseUrl: rt.databaseUrl });
  onShutdown('shutting down', async () => {
    await app.close();
    await rt.close();
  });
  if (config.DEMO_SEED && config.DEMO_TOUR) {
    // A demo that shows something: made through the API, once; a failure only costs the examples.
    // Its requests are not worth an access log line each at the start.
    const level = app.log.level;
    app.log.level = 'warn';
    await runDemoTour(app, rt.db).finally(() => {
      app.log.level = level;
    }).then(
      (r) => r && say('demo dossiers made for the demo citizen: one resolved with a signed result, one paid online with its e-receipt'),
      (err: unknown) => say(`demo dossiers not made: ${(err as Error).message}`),
    );
  }
  await app.listen({ host: config.HOST, port: config.PORT });
  const port = (app.server.address() as { port: number }).port;
  printDemoAccounts(config.PUBLIC_URL ?? `http://localhost:${port}`);
}

/** The dispatcher alone, for deployments that scale it apart from the web processes. */
async function worker() {
  const config = configFromEnv();
  const rt = await openRuntime(config, { log: say });
  await prepareJobSchema(rt.databaseUrl, config);
  const log = pino({ level: config.LOG_LEVEL, base: { process: 'worker' } });
  const w = await startWorker({
    config, db: rt.db, url: rt.databaseUrl, log, gateways: createGateways(config, log, null),
    // Postal bookings stay with `serve` when the post office is the in-process sandbox.
    postBook: config.POST_GATEWAY === 'http' ? workerPostBook(config, rt.db) : null,
  });
  onShutdown('worker stopping', async () => {
    await w.stop();
    await rt.close();
  });
  say(`worker running (SMS: ${config.SMS_GATEWAY}, email: ${config.EMAIL_GATEWAY}, post: ${config.POST_GATEWAY})`);
}

async function withOwnerDb<T>(fn: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
  const config = configFromEnv();
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT);
  const { db } = createDb({ connectionString: config.DATABASE_URL ?? embedded!.url, max: 2 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'serve':
      await serve();
      return -1;
    case 'migrate': {
      const ran = await withOwnerDb((db) => migrateToLatest(db as never));
      say(ran.length ? `applied ${ran.join(', ')}` : 'already up to date');
      return 0;
    }
    case 'migrate:down': {
      const ran = await withOwnerDb((db) => migrateDown(db as never));
      say(ran.length ? `undid ${ran.join(', ')}` : 'nothing to undo');
      return 0;
    }
    case 'seed': {
      const config = configFromEnv();
      const rt = await openRuntime(config, { log: say });
      try {
        const r = await seedDemo(rt.db, createSealer(config.encryptionKey));
        say(r.seeded ? 'demo province loaded' : 'demo province already present');
        await seedDemoHistory(rt.db, await new CalendarService(rt.db, config).calendar(), new Date(), diskBlobStore(resolve(config.DATA_DIR, 'blobs')));
      } finally {
        await rt.close();
      }
      return 0;
    }
    case 'worker':
      await worker();
      return -1;
    case 'audit-verify': {
      const report = await withOwnerDb((db) => verifyAuditChain(db));
      say(report.ok ? `audit chain intact (${report.checked} events)` : `audit chain BROKEN at event ${report.brokenAt} (${report.checked} verified before it)`);
      return report.ok ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return cmd ? 2 : 0;
  }
}

main(process.argv[2]).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`motcua: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
