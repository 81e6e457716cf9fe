// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE calendar_overrides (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      date date NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('day_off','working_day','remove')),
      name_vi text CHECK (length(name_vi) <= 200),
      name_en text CHECK (length(name_en) <= 200),
      note text CHECK (length(note) <= 1000),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE calendar_overrides IS 'The government''s yearly notice on top of the computed Labour Code holidays'`.execute(db);
  await sql`COMMENT ON COLUMN calendar_overrides.kind IS 'day_off: extra day off; working_day: a rest day worked (swapped Saturday); remove: drop a computed day off'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS calendar_overrides`.execute(db);
}
