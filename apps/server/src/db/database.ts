import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A repository function takes either the pool-backed db or an open transaction. */
export type DbOrTx = Db | Tx;

// Dates come back as strings (YYYY-MM-DD): a date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint (audit seq, counts) as strings; callers convert where they need numbers.

export interface DbOptions {
  connectionString: string;
  max?: number;
  /** Role to SET after connecting (the app role), or empty for none. */
  appRole?: string;
  applicationName?: string;
}

/** Creates the Kysely instance: snake_case in SQL, camelCase in code. */
export function createDb(opts: DbOptions): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'motcua',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // The app role is set at connection start-up (identifier validated by config: ^[a-z_][a-z0-9_]*$).
    ...(opts.appRole ? { options: `-c role=${opts.appRole}` } : {}),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, pool };
}

/** Refuses a server that could lose acknowledged writes on a crash. */
export async function assertDurable(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'server_version_num')`,
  );
  const s = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  if (s.fsync !== 'on') throw new Error('PostgreSQL has fsync=off: refusing to start (acknowledged data could be lost)');
  if (s.full_page_writes !== 'on')
    throw new Error('PostgreSQL has full_page_writes=off: refusing to start (pages could be torn on a crash)');
  if (Number(s.server_version_num) < 150000) throw new Error('PostgreSQL 15 or newer is required');
}
