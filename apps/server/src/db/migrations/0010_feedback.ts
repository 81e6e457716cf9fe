// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

/**
 * Feedback and complaints (phản ánh, kiến nghị — PAKN): one row per item with its projection
 * (status, deadlines), an append-only event log it is derived from, and a daily code counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE feedback_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('complaint','feedback')),
      topic text NOT NULL CHECK (topic IN ('dossier','procedure','agency','general')),
      channel text NOT NULL CHECK (channel IN ('online','counter','phone','letter','email')),
      subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
      content text NOT NULL CHECK (length(content) BETWEEN 1 AND 5000),
      dossier_id uuid REFERENCES dossiers(id),
      procedure_id uuid REFERENCES procedures(id),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      author_user_id uuid REFERENCES users(id),
      sender_name text CHECK (length(sender_name) BETWEEN 1 AND 200),
      sender_phone text CHECK (length(sender_phone) <= 20),
      recorded_by uuid REFERENCES users(id),
      status text NOT NULL CHECK (status IN ('received','accepted','info_requested','rejected','answered','published')),
      received_at timestamptz NOT NULL,
      accepted_at timestamptz,
      reject_due_at timestamptz NOT NULL,
      info_due_at timestamptz NOT NULL,
      answer_due_at timestamptz NOT NULL,
      publish_due_at timestamptz,
      info_requested_at timestamptz,
      info_requests integer NOT NULL DEFAULT 0,
      paused_since timestamptz,
      rejected_at timestamptz,
      answered_at timestamptz,
      published_at timestamptz,
      reject_reason text,
      answer text,
      public_content text,
      due_at timestamptz,
      timeliness text CHECK (timeliness IN ('on_time','late')),
      last_seq integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((topic = 'dossier') = (dossier_id IS NOT NULL)),
      CHECK (channel <> 'online' OR author_user_id IS NOT NULL)
    )`.execute(db);
  await sql`COMMENT ON TABLE feedback_items IS 'Feedback and complaints (phản ánh, kiến nghị); the columns from status to last_seq are a projection of feedback_events, rewritten by the same transaction as each event'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.code IS 'PAKN-{yyMMdd}-{daily sequence}, given at filing'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.kind IS 'complaint: reports a problem (phản ánh); feedback: a suggestion or request (kiến nghị)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.agency_id IS 'The agency concerned: its officials handle the item'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.author_user_id IS 'The citizen who filed it online; null for an item recorded by an official (counter, phone, letter, email)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.sender_name IS 'Personal data. Null: anonymous sender'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.sender_phone IS 'Personal data: shown masked in lists, never published'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.reject_due_at IS 'Latest time to reject (2 working days, time waiting for information excluded)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.info_due_at IS 'Latest time to ask for more information (5 working days)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.answer_due_at IS 'Latest time to answer (15 working days, time waiting for information excluded)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.publish_due_at IS 'Latest time to publish the answer (2 working days after answering)'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.info_requested_at IS 'When more information was last asked for'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.due_at IS 'The deadline the item works towards now (answer, then publication); null when paused or closed; queues order by it'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_items.public_content IS 'The text published instead of the content (personal details taken out), when the official gave one'`.execute(db);
  await sql`CREATE INDEX feedback_items_author_idx ON feedback_items (author_user_id, received_at DESC)`.execute(db);
  await sql`CREATE INDEX feedback_items_queue_idx ON feedback_items (agency_id, status, due_at)`.execute(db);
  await sql`CREATE INDEX feedback_items_dossier_idx ON feedback_items (dossier_id) WHERE dossier_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX feedback_items_published_idx ON feedback_items (published_at DESC) WHERE status = 'published'`.execute(db);
  await sql`CREATE INDEX feedback_items_received_at_idx ON feedback_items (received_at)`.execute(db);
  await sql`REVOKE DELETE, TRUNCATE ON feedback_items FROM motcua_app`.execute(db);

  await sql`
    CREATE TABLE feedback_events (
      feedback_id uuid NOT NULL REFERENCES feedback_items(id),
      seq integer NOT NULL CHECK (seq >= 1),
      type text NOT NULL CHECK (type IN ('received','accepted','info_requested','info_supplied','rejected','answered','published')),
      at timestamptz NOT NULL,
      actor_id uuid REFERENCES users(id),
      actor_name text,
      text text CHECK (length(text) <= 10000),
      payload jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (feedback_id, seq)
    )`.execute(db);
  await sql`COMMENT ON TABLE feedback_events IS 'Append-only log of a feedback item (received, accepted, more information asked and supplied, rejected, answered, published); its state is derived from this by a pure function'`.execute(db);
  await sql`COMMENT ON COLUMN feedback_events.text IS 'The question asked, the information supplied, the reason for rejecting, or the answer'`.execute(db);
  await sql`
    CREATE FUNCTION feedback_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'feedback_events is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`.execute(db);
  await sql`CREATE TRIGGER feedback_events_no_update BEFORE UPDATE OR DELETE ON feedback_events FOR EACH ROW EXECUTE FUNCTION feedback_events_append_only()`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON feedback_events FROM motcua_app`.execute(db);

  await sql`
    CREATE TABLE feedback_code_counters (
      day date PRIMARY KEY,
      last integer NOT NULL
    )`.execute(db);
  await sql`COMMENT ON TABLE feedback_code_counters IS 'The daily sequence of feedback codes, bumped by one atomic upsert'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['feedback_code_counters', 'feedback_events', 'feedback_items']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS feedback_events_append_only()`.execute(db);
}
