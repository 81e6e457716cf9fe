// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE processes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      version integer NOT NULL CHECK (version >= 1),
      steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) >= 1),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (procedure_id, version)
    )`.execute(db);
  await sql`COMMENT ON TABLE processes IS 'Versions of a procedure''s internal process (quy trình nội bộ); never changed once written, a dossier keeps the version it started with'`.execute(db);

  await sql`
    CREATE TABLE dossiers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text UNIQUE,
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      process_id uuid NOT NULL REFERENCES processes(id),
      duration_value integer NOT NULL CHECK (duration_value >= 1),
      duration_unit text NOT NULL CHECK (duration_unit IN ('working_days','working_hours')),
      channel text NOT NULL CHECK (channel IN ('in_person','online','post')),
      receiving_agency_id uuid NOT NULL REFERENCES agencies(id),
      applicant_user_id uuid REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      applicant_name text NOT NULL CHECK (length(applicant_name) BETWEEN 1 AND 200),
      applicant_phone text,
      applicant_email text,
      applicant_id_enc text,
      applicant_id_masked text,
      applicant_address text,
      form_data jsonb NOT NULL DEFAULT '{}',
      delivery jsonb NOT NULL DEFAULT '{"method":"counter"}',
      status text NOT NULL,
      portal_status text NOT NULL,
      step_index integer,
      current_agency_id uuid REFERENCES agencies(id),
      assignee_id uuid REFERENCES users(id),
      submitted_at timestamptz,
      received_at timestamptz,
      due_at timestamptz,
      step_due_at timestamptz,
      paused_since timestamptz,
      supplement_requests integer NOT NULL DEFAULT 0,
      finished_at timestamptz,
      returned_at timestamptz,
      timeliness text CHECK (timeliness IN ('early','on_time','late')),
      rating text CHECK (rating IN ('satisfied','neutral','dissatisfied')),
      urgency text CHECK (urgency IN ('due_soon','overdue')),
      urgency_at timestamptz,
      last_seq integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE dossiers IS 'One row per dossier; the columns from status to last_seq are a projection of dossier_actions, rewritten by the same transaction as each action'`.execute(db);
  await sql`COMMENT ON COLUMN dossiers.code IS 'Assigned at reception: {agency code}-{yyMMdd}-{daily sequence} by default'`.execute(db);
  await sql`COMMENT ON COLUMN dossiers.applicant_id_enc IS 'Applicant ID or tax number, AES-256-GCM sealed'`.execute(db);
  await sql`COMMENT ON COLUMN dossiers.duration_value IS 'Statutory time copied from the procedure when the dossier was created'`.execute(db);
  await sql`CREATE INDEX dossiers_applicant_idx ON dossiers (applicant_user_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX dossiers_queue_idx ON dossiers (current_agency_id, status, due_at)`.execute(db);
  await sql`CREATE INDEX dossiers_receiving_idx ON dossiers (receiving_agency_id, status, submitted_at)`.execute(db);
  await sql`CREATE INDEX dossiers_received_at_idx ON dossiers (received_at)`.execute(db);
  await sql`CREATE INDEX dossiers_open_due_idx ON dossiers (due_at) WHERE status IN ('processing','waiting_supplement','approved','result_ready')`.execute(db);
  await sql`COMMENT ON COLUMN dossiers.urgency IS 'Set by the deadline sweep: due within one working day, or overdue; queues put these first'`.execute(db);

  await sql`
    CREATE TABLE dossier_actions (
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      seq integer NOT NULL CHECK (seq >= 1),
      type text NOT NULL,
      at timestamptz NOT NULL,
      actor_id uuid REFERENCES users(id),
      actor_name text,
      comment text CHECK (length(comment) <= 5000),
      payload jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (dossier_id, seq)
    )`.execute(db);
  await sql`COMMENT ON TABLE dossier_actions IS 'Append-only log of everything done to a dossier; its state is derived from this by a pure function'`.execute(db);
  await sql`
    CREATE FUNCTION dossier_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'dossier_actions is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`.execute(db);
  await sql`CREATE TRIGGER dossier_actions_no_update BEFORE UPDATE OR DELETE ON dossier_actions FOR EACH ROW EXECUTE FUNCTION dossier_actions_append_only()`.execute(db);

  await sql`
    CREATE TABLE blobs (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint NOT NULL CHECK (size > 0),
      mime text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE dossier_files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      component_id uuid,
      component_name text,
      kind text NOT NULL CHECK (kind IN ('component','supplement','result','action')),
      blob_sha256 text NOT NULL REFERENCES blobs(sha256),
      filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
      mime text NOT NULL,
      size bigint NOT NULL,
      reused_from uuid REFERENCES dossier_files(id),
      uploaded_by uuid REFERENCES users(id),
      removed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON COLUMN dossier_files.filename IS 'Display name only: files are stored under their SHA-256, names never reach the file system'`.execute(db);
  await sql`CREATE INDEX dossier_files_dossier_idx ON dossier_files (dossier_id)`.execute(db);

  await sql`
    CREATE TABLE dossier_code_counters (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      day date NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (agency_id, day)
    )`.execute(db);

  await sql`
    CREATE TABLE idempotency_keys (
      user_id uuid NOT NULL REFERENCES users(id),
      key text NOT NULL CHECK (length(key) BETWEEN 8 AND 200),
      route text NOT NULL,
      request_hash text NOT NULL,
      status integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, key)
    )`.execute(db);
  await sql`COMMENT ON TABLE idempotency_keys IS 'Answers to requests sent with an Idempotency-Key, replayed for 24 hours or more'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['idempotency_keys', 'dossier_code_counters', 'dossier_files', 'blobs', 'dossier_actions', 'dossiers', 'processes']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS dossier_actions_append_only()`.execute(db);
}
