// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What has changed since the facts were last brought up to date: one row per dossier, written
  // by triggers in the same transaction as the change, so no change can slip between a
  // watermark and a commit. The refresher deletes a row only if its version is still the one it
  // read (a change made meanwhile bumps the version and keeps the row).
  await sql`CREATE SEQUENCE report_dirty_version_seq`.execute(db);
  await sql`
    CREATE TABLE report_dirty (
      dossier_id uuid PRIMARY KEY,
      version bigint NOT NULL DEFAULT nextval('report_dirty_version_seq'),
      marked_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE report_dirty IS 'Dossiers whose report facts must be recomputed; filled by triggers on dossiers, dossier_files, payments, dossier_fees and signed_documents, emptied by the report refresher'`.execute(db);
  await sql`
    CREATE FUNCTION report_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE d uuid;
    BEGIN
      -- Each branch is planned only when it runs: dossiers have no dossier_id column.
      IF TG_TABLE_NAME = 'dossiers' THEN d := NEW.id; ELSE d := NEW.dossier_id; END IF;
      IF d IS NULL THEN RETURN NULL; END IF;
      INSERT INTO report_dirty (dossier_id) VALUES (d)
        ON CONFLICT (dossier_id) DO UPDATE SET version = nextval('report_dirty_version_seq'), marked_at = now();
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION report_mark_dirty_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO report_dirty (dossier_id)
        SELECT id FROM new_rows WHERE received_at IS NOT NULL
        ON CONFLICT (dossier_id) DO UPDATE SET version = nextval('report_dirty_version_seq'), marked_at = now();
      RETURN NULL;
    END $$`.execute(db);
  // Every dossier action rewrites the projection and bumps last_seq; the deadline sweep only
  // touches urgency and does not count as a change.
  await sql`
    CREATE TRIGGER dossiers_report_dirty AFTER UPDATE ON dossiers FOR EACH ROW
    WHEN (OLD.last_seq IS DISTINCT FROM NEW.last_seq OR OLD.procedure_id IS DISTINCT FROM NEW.procedure_id
      OR OLD.receiving_agency_id IS DISTINCT FROM NEW.receiving_agency_id OR OLD.channel IS DISTINCT FROM NEW.channel
      OR OLD.delivery IS DISTINCT FROM NEW.delivery)
    EXECUTE FUNCTION report_mark_dirty()`.execute(db);
  await sql`
    CREATE TRIGGER dossiers_report_dirty_ins AFTER INSERT ON dossiers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_dirty_inserted()`.execute(db);
  await sql`CREATE TRIGGER dossier_files_report_dirty AFTER INSERT OR UPDATE ON dossier_files FOR EACH ROW EXECUTE FUNCTION report_mark_dirty()`.execute(db);
  await sql`CREATE TRIGGER payments_report_dirty AFTER INSERT OR UPDATE OF status, paid_online ON payments FOR EACH ROW EXECUTE FUNCTION report_mark_dirty()`.execute(db);
  await sql`CREATE TRIGGER dossier_fees_report_dirty AFTER INSERT OR UPDATE ON dossier_fees FOR EACH ROW EXECUTE FUNCTION report_mark_dirty()`.execute(db);
  await sql`CREATE TRIGGER signed_documents_report_dirty AFTER INSERT ON signed_documents FOR EACH ROW EXECUTE FUNCTION report_mark_dirty()`.execute(db);

  await sql`
    CREATE TABLE report_dossiers (
      dossier_id uuid PRIMARY KEY,
      agency_id uuid NOT NULL,
      procedure_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in_person','online','post')),
      received_at timestamptz NOT NULL,
      received_day date NOT NULL,
      due_at timestamptz,
      exit_at timestamptz,
      exit_day date,
      exit_kind text CHECK (exit_kind IN ('approved','refused','stopped','withdrawn')),
      timeliness text CHECK (timeliness IN ('early','on_time','late')),
      supplement_requests integer NOT NULL DEFAULT 0,
      active tstzrange NOT NULL,
      waiting tstzmultirange NOT NULL DEFAULT '{}',
      overdue tstzmultirange NOT NULL DEFAULT '{}',
      resolution_minutes integer,
      statutory_minutes integer NOT NULL,
      fee_bearing boolean NOT NULL DEFAULT false,
      paid_online boolean NOT NULL DEFAULT false,
      reuse_expected boolean NOT NULL DEFAULT false,
      reused boolean NOT NULL DEFAULT false,
      result_expected boolean NOT NULL DEFAULT false,
      electronic_result boolean NOT NULL DEFAULT false,
      digitised boolean NOT NULL DEFAULT false,
      dissatisfied boolean NOT NULL DEFAULT false,
      visits jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(visits) = 'array'),
      refreshed_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((exit_at IS NULL) = (exit_day IS NULL) AND (exit_at IS NULL) = (exit_kind IS NULL))
    )`.execute(db);
  await sql`COMMENT ON TABLE report_dossiers IS 'One row per received dossier, derived from its action log by the report refresher: what the statistics need, with the time intervals in which it was open, waiting for a supplement, or overdue'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.agency_id IS 'The receiving agency: a dossier counts under the agency that received it, also after that agency was dissolved'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.exit_at IS 'When it left the work in hand: finished (first of approved, refused, stopped; Decision 766) or withdrawn after reception'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.active IS 'Instants T at which the dossier counts as in hand (received before T, not yet out): (received_at, exit_at]'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.waiting IS 'Instants at which it waited for the applicant to supplement it (clock paused)'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.overdue IS 'Instants at which it was in hand and late: processing past its appointment, paused after it, or asked for a supplement more than once'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.resolution_minutes IS 'Working minutes from reception to finish, supplement pauses excluded (Decision 766, 2.2)'`.execute(db);
  await sql`COMMENT ON COLUMN report_dossiers.visits IS 'Finished step visits: [{a: agency, d: day ended, k: step key, l: late, s: spent minutes, w: allowed minutes}], kept to retract them from report_step_facts'`.execute(db);
  // Stocks at an instant read only this index (index-only scan): the dossiers in hand at T are a
  // few weeks' worth wherever they sit in the table. The day indexes lead with the day so that
  // the planner never prefers an agency-wide scan to it.
  await sql`CREATE INDEX report_dossiers_active_idx ON report_dossiers USING gist (active) INCLUDE (agency_id, procedure_id, channel, overdue, waiting)`.execute(db);
  await sql`CREATE INDEX report_dossiers_received_idx ON report_dossiers (received_day, agency_id)`.execute(db);
  await sql`CREATE INDEX report_dossiers_exit_idx ON report_dossiers (exit_day, agency_id) WHERE exit_day IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE report_daily_facts (
      agency_id uuid NOT NULL,
      day date NOT NULL,
      procedure_id uuid NOT NULL,
      channel text NOT NULL,
      received integer NOT NULL DEFAULT 0,
      fee_bearing integer NOT NULL DEFAULT 0,
      paid_online integer NOT NULL DEFAULT 0,
      reuse_expected integer NOT NULL DEFAULT 0,
      reused integer NOT NULL DEFAULT 0,
      resolved integer NOT NULL DEFAULT 0,
      resolved_early integer NOT NULL DEFAULT 0,
      resolved_on_time integer NOT NULL DEFAULT 0,
      resolved_late integer NOT NULL DEFAULT 0,
      refused integer NOT NULL DEFAULT 0,
      stopped integer NOT NULL DEFAULT 0,
      withdrawn integer NOT NULL DEFAULT 0,
      resolution_minutes bigint NOT NULL DEFAULT 0,
      statutory_minutes bigint NOT NULL DEFAULT 0,
      slow integer NOT NULL DEFAULT 0,
      result_expected integer NOT NULL DEFAULT 0,
      electronic_result integer NOT NULL DEFAULT 0,
      digitised integer NOT NULL DEFAULT 0,
      dissatisfied integer NOT NULL DEFAULT 0,
      PRIMARY KEY (agency_id, day, procedure_id, channel)
    )`.execute(db);
  await sql`COMMENT ON TABLE report_daily_facts IS 'Flows per receiving agency, local day, procedure and channel, kept equal to the sums over report_dossiers: received-side counts on the day of reception, the rest on the day the dossier left the work in hand'`.execute(db);
  await sql`COMMENT ON COLUMN report_daily_facts.slow IS 'Resolved dossiers whose resolution time (pauses excluded) exceeded the statutory time'`.execute(db);
  // The same sums per month: a year is 12 rows per key instead of 365, whatever the grain.
  await sql`CREATE TABLE report_monthly_facts (LIKE report_daily_facts INCLUDING DEFAULTS)`.execute(db);
  await sql`ALTER TABLE report_monthly_facts RENAME COLUMN day TO month`.execute(db);
  await sql`ALTER TABLE report_monthly_facts ADD PRIMARY KEY (agency_id, month, procedure_id, channel), ADD CHECK (extract(day FROM month) = 1)`.execute(db);
  await sql`COMMENT ON TABLE report_monthly_facts IS 'report_daily_facts summed by calendar month (month = its first day); reports read whole months here and only the days of partial months from the daily table'`.execute(db);

  await sql`
    CREATE TABLE report_step_facts (
      agency_id uuid NOT NULL,
      day date NOT NULL,
      procedure_id uuid NOT NULL,
      step_key text NOT NULL,
      visits integer NOT NULL DEFAULT 0,
      late integer NOT NULL DEFAULT 0,
      spent_minutes bigint NOT NULL DEFAULT 0,
      allowed_minutes bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (agency_id, day, procedure_id, step_key)
    )`.execute(db);
  await sql`COMMENT ON TABLE report_step_facts IS 'Finished visits of process steps per acting agency, day ended, procedure and step: for the slowest steps of the leaders'' dashboard'`.execute(db);
  await sql`CREATE TABLE report_monthly_step_facts (LIKE report_step_facts INCLUDING DEFAULTS)`.execute(db);
  await sql`ALTER TABLE report_monthly_step_facts RENAME COLUMN day TO month`.execute(db);
  await sql`ALTER TABLE report_monthly_step_facts ADD PRIMARY KEY (agency_id, month, procedure_id, step_key), ADD CHECK (extract(day FROM month) = 1)`.execute(db);
  await sql`COMMENT ON TABLE report_monthly_step_facts IS 'report_step_facts summed by calendar month (month = its first day)'`.execute(db);

  await sql`
    CREATE TABLE report_export_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      created_by uuid NOT NULL REFERENCES users(id),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      params jsonb NOT NULL,
      format text NOT NULL CHECK (format IN ('xlsx','pdf')),
      status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed')),
      progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      filename text,
      mime text,
      content bytea,
      size integer,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      CHECK ((status = 'succeeded') = (content IS NOT NULL))
    )`.execute(db);
  await sql`COMMENT ON TABLE report_export_jobs IS 'Report exports (.xlsx periodic report, PDF) run in the background; the file is kept with the job for its author to download'`.execute(db);
  await sql`COMMENT ON COLUMN report_export_jobs.params IS '{agencyCode, from, to, includeChildren}'`.execute(db);
  await sql`CREATE INDEX report_export_jobs_author_idx ON report_export_jobs (created_by, created_at DESC)`.execute(db);
  await sql`CREATE INDEX report_export_jobs_queued_idx ON report_export_jobs (created_at) WHERE status IN ('queued','running')`.execute(db);

  // Dossiers received before this migration: the refresher computes their facts on its first runs.
  await sql`INSERT INTO report_dirty (dossier_id) SELECT id FROM dossiers WHERE received_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS signed_documents_report_dirty ON signed_documents`.execute(db);
  await sql`DROP TRIGGER IF EXISTS dossier_fees_report_dirty ON dossier_fees`.execute(db);
  await sql`DROP TRIGGER IF EXISTS payments_report_dirty ON payments`.execute(db);
  await sql`DROP TRIGGER IF EXISTS dossier_files_report_dirty ON dossier_files`.execute(db);
  await sql`DROP TRIGGER IF EXISTS dossiers_report_dirty_ins ON dossiers`.execute(db);
  await sql`DROP TRIGGER IF EXISTS dossiers_report_dirty ON dossiers`.execute(db);
  for (const t of ['report_export_jobs', 'report_monthly_step_facts', 'report_step_facts', 'report_monthly_facts', 'report_daily_facts', 'report_dossiers', 'report_dirty']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS report_mark_dirty_inserted()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_mark_dirty()`.execute(db);
  await sql`DROP SEQUENCE IF EXISTS report_dirty_version_seq`.execute(db);
}
