import { Migrator, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import { migrations } from './migrations/index.ts';

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${err.message}`, { cause: err });
  }
  return result;
}

/** Runs every pending migration; throws if any fails (nothing of the failed one stays). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const r = check(await migrator(db).migrateToLatest());
  return (r.results ?? []).map((x) => x.migrationName);
}

/** Undoes the last migration. */
export async function migrateDown(db: Kysely<unknown>): Promise<string[]> {
  const r = check(await migrator(db).migrateDown());
  return (r.results ?? []).map((x) => x.migrationName);
}

export async function migrateAllDown(db: Kysely<unknown>): Promise<void> {
  for (;;) {
    const done = await migrateDown(db);
    if (done.length === 0) return;
  }
}
