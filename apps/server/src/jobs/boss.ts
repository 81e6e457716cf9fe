import { CompiledQuery } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import { createDb, type Tx } from '../db/database.ts';

/** The pg-boss queues: one per channel, so a slow SMS gateway never holds up email. */
export const QUEUES = { sms: 'notify-sms', email: 'notify-email', postBook: 'post-book' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const SCHEMA = 'pgboss';

function queueOptions(config: Config): Omit<PgBoss.Queue, 'name'> {
  return {
    policy: 'standard',
    retryLimit: config.NOTIFY_RETRY_LIMIT,
    retryDelay: config.NOTIFY_RETRY_DELAY_SECONDS,
    retryBackoff: config.NOTIFY_RETRY_BACKOFF,
    expireInSeconds: config.NOTIFY_JOB_EXPIRE_SECONDS,
    retentionMinutes: 7 * 24 * 60,
  };
}

/**
 * pg-boss keeps its own schema and migrates it itself. That is DDL, so it runs here as the
 * database owner (the role that runs our migrations), once per start, before the app works as
 * `motcua_app`: install or migrate the schema, create our queues (each is a partition: DDL too),
 * then give the app role the plain row rights it needs to enqueue inside its own transactions
 * and to run workers. The app role never gets CREATE. Idempotent and safe to race.
 */
export async function prepareJobSchema(ownerUrl: string, config: Config): Promise<void> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: SCHEMA, max: 1, migrate: true, supervise: false, schedule: false, application_name: 'motcua-jobs-setup' });
  const errors: Error[] = [];
  boss.on('error', (err) => errors.push(err));
  await boss.start();
  try {
    for (const name of Object.values(QUEUES)) {
      await boss.createQueue(name, { name, ...queueOptions(config) });
      await boss.updateQueue(name, { name, ...queueOptions(config) });
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  const role = config.DB_APP_ROLE;
  if (!role) return;
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'motcua-jobs-setup' });
  await client.connect();
  try {
    // The role name is validated by config (^[a-z_][a-z0-9_]*$). Access through the partitioned
    // parent table needs rights on the parent only, so queues created later are covered too.
    await client.query(`GRANT USAGE ON SCHEMA ${SCHEMA} TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${SCHEMA} TO ${role}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
  } finally {
    await client.end();
  }
}

/** pg-boss's view of an open Kysely transaction: jobs sent through it commit or roll back with it. */
export function txExecutor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const r = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows as unknown[] as never[] };
    },
  };
}

export interface Job {
  id: string;
  data: object;
  startAfter?: Date;
}

export interface Jobs {
  /** Enqueues jobs in `tx` (the transactional outbox): ids make a repeated enqueue a no-op. */
  enqueue(tx: Tx, queue: QueueName, jobs: Job[]): Promise<void>;
  /** The same for jobs of several queues, in one statement. */
  enqueueAll(tx: Tx, jobs: (Job & { queue: QueueName })[]): Promise<void>;
}

/** Enqueuing needs no connection of its own: it writes through the caller's transaction. */
export function createJobs(config: Config): Jobs {
  const boss = new PgBoss({ connectionString: 'postgres://unused', schema: SCHEMA, ...queueOptions(config) });
  // pg-boss takes each job's settings from its own queue's row, so one insert may mix queues.
  const enqueueAll: Jobs['enqueueAll'] = async (tx, jobs) => {
    if (jobs.length === 0) return;
    await boss.insert(jobs.map((j) => ({ name: j.queue, id: j.id, data: j.data, ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}) })), { db: txExecutor(tx) });
  };
  return {
    enqueue: (tx, queue, jobs) => enqueueAll(tx, jobs.map((j) => ({ ...j, queue }))),
    enqueueAll,
  };
}

export interface WorkerBoss {
  boss: PgBoss;
  close(): Promise<void>;
}

/** A pg-boss that fetches, completes and maintains jobs as the app role (no DDL, no migration). */
export async function startWorkerBoss(url: string, config: Config, onError: (err: Error) => void): Promise<WorkerBoss> {
  const { pool } = createDb({ connectionString: url, max: 4, appRole: config.DB_APP_ROLE, applicationName: 'motcua-jobs' });
  const boss = new PgBoss({
    db: { executeSql: async (text: string, values: unknown[]) => pool.query(text, values) as Promise<{ rows: never[] }> },
    schema: SCHEMA,
    migrate: false,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: config.NOTIFY_MAINTENANCE_SECONDS,
    ...queueOptions(config),
  });
  boss.on('error', onError);
  await boss.start();
  return {
    boss,
    async close() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await pool.end();
    },
  };
}
