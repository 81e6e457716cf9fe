import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.ts';
import { migrateAllDown, migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { withDatabase } from '../helpers.ts';

const tables = async (db: Db) =>
  (await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(db)).rows.map((r) => r.t);

describe('migrations', () => {
  const name = `motcua_mig_${process.pid}_${Date.now().toString(36)}`;
  let db: Db;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    db = createDb({ connectionString: withDatabase(inject('adminUrl'), name), max: 1 }).db;
  });
  afterAll(async () => {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('are named in order, with one head', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    names.forEach((n, i) => expect(n).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}_[a-z0-9_]+$`)));
  });

  it('run up, all the way down, and up again', async () => {
    expect(await migrateToLatest(db as never)).toEqual(Object.keys(migrations));
    const up = await tables(db);
    expect(up).toEqual(expect.arrayContaining(['agencies', 'users', 'sessions', 'audit_log', 'official_roles']));
    await migrateAllDown(db as never);
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db as never)).toEqual(Object.keys(migrations));
    expect(await tables(db)).toEqual(up);
    expect(await migrateToLatest(db as never)).toEqual([]);
  });
});
