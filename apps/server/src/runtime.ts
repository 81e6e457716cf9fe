import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, parseKey, type Config } from './config.ts';
import { assertDurable, createDb, type Db } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedHandle } from './db/embedded.ts';
import { migrateToLatest } from './db/migrate.ts';
import type pg from 'pg';

/** Development only: a key generated once and kept beside the embedded data (mode 0600). */
function devKeyFile(c: { DATA_DIR: string }): Buffer {
  const dir = resolve(c.DATA_DIR, 'secrets');
  const file = resolve(dir, 'data-encryption.key');
  if (!existsSync(file)) {
    // The data folder stays traversable: the embedded PostgreSQL may run as another user.
    mkdirSync(resolve(c.DATA_DIR), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return parseKey(readFileSync(file, 'utf8').trim());
}

export function configFromEnv(): Config {
  try {
    return loadConfig(process.env, { resolveKey: devKeyFile });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`motcua: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

export interface Runtime {
  config: Config;
  db: Db;
  pool: pg.Pool;
  databaseUrl: string;
  embedded: EmbeddedHandle | null;
  close(): Promise<void>;
}

/**
 * Opens the database (starting the embedded PostgreSQL when DATABASE_URL is unset), refuses a
 * non-durable server, runs pending migrations as the connecting role, then returns a pool that
 * works as the app role.
 */
export async function openRuntime(config: Config, opts: { migrate?: boolean; log?: (m: string) => void } = {}): Promise<Runtime> {
  const log = opts.log ?? (() => {});
  let embedded: EmbeddedHandle | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    log(`starting embedded PostgreSQL in ${resolve(config.DATA_DIR, 'pg')} on 127.0.0.1:${config.EMBEDDED_PG_PORT}`);
    embedded = await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT);
    url = embedded.url;
  }
  try {
    const owner = createDb({ connectionString: url, max: 2, applicationName: 'motcua-migrate' });
    try {
      await assertDurable(owner.pool);
      if (opts.migrate !== false) {
        const ran = await migrateToLatest(owner.db as never);
        if (ran.length) log(`migrations applied: ${ran.join(', ')}`);
      }
    } finally {
      await owner.db.destroy();
    }
    const { db, pool } = createDb({ connectionString: url, max: config.DB_POOL_MAX, appRole: config.DB_APP_ROLE });
    return {
      config, db, pool, databaseUrl: url, embedded,
      async close() {
        await db.destroy();
        if (embedded) await embedded.stop();
      },
    };
  } catch (err) {
    if (embedded) await embedded.stop();
    throw err;
  }
}
