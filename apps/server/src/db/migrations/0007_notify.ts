// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notify_templates (
      event text NOT NULL CHECK (event ~ '^[a-z_]+\.[a-z_]+$'),
      channel text NOT NULL CHECK (channel IN ('sms','email','in_app')),
      locale text NOT NULL CHECK (locale IN ('vi','en')),
      subject text CHECK (length(subject) <= 300),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
      version integer NOT NULL CHECK (version >= 1),
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (event, channel, locale)
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_templates IS 'Administrators'' versions of the built-in message templates; no row means the built-in text'`.execute(db);
  await sql`COMMENT ON COLUMN notify_templates.body IS 'Text with {{variable}} placeholders from the event''s list'`.execute(db);
  await sql`COMMENT ON COLUMN notify_templates.version IS 'Counts every change of this template, resets to built-in included; also its optimistic lock'`.execute(db);

  await sql`
    CREATE TABLE notify_template_history (
      id bigserial PRIMARY KEY,
      event text NOT NULL,
      channel text NOT NULL,
      locale text NOT NULL,
      version integer NOT NULL,
      subject text,
      body text,
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event, channel, locale, version)
    )`.execute(db);
  await sql`COMMENT ON COLUMN notify_template_history.body IS 'The text as saved; NULL when the template was reset to the built-in text'`.execute(db);

  await sql`
    CREATE TABLE notify_preferences (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      sms boolean NOT NULL DEFAULT true,
      email boolean NOT NULL DEFAULT true,
      in_app boolean NOT NULL DEFAULT true,
      locale text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi','en')),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_preferences IS 'Channels a citizen chose for news of their dossiers; no row means every channel, in Vietnamese'`.execute(db);

  await sql`
    CREATE TABLE notify_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('sms','email','in_app')),
      dedupe_key text NOT NULL UNIQUE,
      dossier_id uuid REFERENCES dossiers(id),
      agency_id uuid REFERENCES agencies(id),
      recipient_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      recipient text,
      locale text NOT NULL CHECK (locale IN ('vi','en')),
      subject text,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued','sending','sent','delivered','temporary_failure','permanent_failure','technical_failure')),
      provider text,
      attempts integer NOT NULL DEFAULT 0,
      sms_parts integer,
      sms_encoding text CHECK (sms_encoding IN ('gsm7','ucs2')),
      concat_ref integer NOT NULL DEFAULT 0 CHECK (concat_ref BETWEEN 0 AND 255),
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      done_at timestamptz,
      read_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((channel = 'in_app') = (recipient IS NULL)),
      CHECK (channel <> 'in_app' OR recipient_user_id IS NOT NULL)
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_messages IS 'The outbox: every SMS, email and in-app message, written in the transaction of the change that causes it'`.execute(db);
  await sql`COMMENT ON COLUMN notify_messages.dedupe_key IS 'Cause + channel + recipient (e.g. dossier:<id>:<action seq>:sms:<phone>): the same cause never makes a second message'`.execute(db);
  await sql`COMMENT ON COLUMN notify_messages.status IS 'GOV.UK Notify vocabulary: queued → sending (handed to the gateway) → delivered, or sent (no receipts will come), or a failure; never backwards'`.execute(db);
  await sql`COMMENT ON COLUMN notify_messages.agency_id IS 'Agency whose support staff may read the message (the dossier''s receiving agency)'`.execute(db);
  await sql`COMMENT ON COLUMN notify_messages.concat_ref IS 'SMS concatenation reference: the same on every attempt so parts of two attempts still join'`.execute(db);
  await sql`COMMENT ON COLUMN notify_messages.recipient IS 'Phone (84…) or email address; personal data, never logged'`.execute(db);
  await sql`CREATE INDEX notify_messages_dossier_idx ON notify_messages (dossier_id, created_at)`.execute(db);
  await sql`CREATE INDEX notify_messages_inbox_idx ON notify_messages (recipient_user_id, created_at DESC) WHERE channel = 'in_app'`.execute(db);
  await sql`CREATE INDEX notify_messages_agency_idx ON notify_messages (agency_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX notify_messages_open_idx ON notify_messages (status, sent_at) WHERE status IN ('queued','sending')`.execute(db);

  await sql`
    CREATE TABLE notify_message_events (
      id bigserial PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES notify_messages(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL,
      detail text
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_message_events IS 'Each message''s history for support staff: attempts, hand-over, receipts, failures'`.execute(db);
  await sql`CREATE INDEX notify_message_events_message_idx ON notify_message_events (message_id, id)`.execute(db);

  await sql`
    CREATE TABLE notify_provider_refs (
      provider text NOT NULL,
      provider_ref text NOT NULL,
      message_id uuid NOT NULL REFERENCES notify_messages(id) ON DELETE CASCADE,
      part integer NOT NULL CHECK (part >= 1),
      state text NOT NULL DEFAULT 'sending' CHECK (state IN ('sending','delivered','temporary_failure','permanent_failure')),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (provider, provider_ref)
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_provider_refs IS 'The gateway''s id of each SMS part, to match delivery receipts'`.execute(db);
  await sql`CREATE INDEX notify_provider_refs_message_idx ON notify_provider_refs (message_id)`.execute(db);

  await sql`
    CREATE TABLE notify_pending_receipts (
      provider text NOT NULL,
      provider_ref text NOT NULL,
      state text NOT NULL,
      detail text,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (provider, provider_ref, state)
    )`.execute(db);
  await sql`COMMENT ON TABLE notify_pending_receipts IS 'Receipts for ids not yet recorded (a receipt can overtake the record of its hand-over); applied when the id is recorded, dropped after 7 days'`.execute(db);

  await sql`
    CREATE TABLE post_shipments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      kind text NOT NULL CHECK (kind IN ('pickup','delivery')),
      provider text NOT NULL,
      order_code text NOT NULL UNIQUE,
      tracking_code text,
      status text NOT NULL CHECK (status IN ('requested','created','accepted','in_transit','delivered','failed','returned','cancelled','booking_failed')),
      recipient_name text NOT NULL,
      recipient_phone text,
      address text NOT NULL CHECK (length(address) BETWEEN 5 AND 500),
      weight_grams integer NOT NULL CHECK (weight_grams BETWEEN 1 AND 30000),
      fee bigint,
      note text CHECK (length(note) <= 500),
      error text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      status_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (provider, tracking_code)
    )`.execute(db);
  await sql`COMMENT ON TABLE post_shipments IS 'Public postal service (bưu chính công ích) orders: pickup of papers to the centre, delivery of results to the citizen'`.execute(db);
  await sql`COMMENT ON COLUMN post_shipments.order_code IS 'Our reference sent to the post office: a retried booking is the same order'`.execute(db);
  await sql`COMMENT ON COLUMN post_shipments.address IS 'Pickup: where the post office collects; delivery: where the result goes. Personal data'`.execute(db);
  await sql`CREATE INDEX post_shipments_dossier_idx ON post_shipments (dossier_id, created_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX post_shipments_one_open_idx ON post_shipments (dossier_id, kind) WHERE status IN ('requested','created','accepted','in_transit')`.execute(db);

  await sql`
    CREATE TABLE post_tracking_events (
      id bigserial PRIMARY KEY,
      shipment_id uuid NOT NULL REFERENCES post_shipments(id),
      event_id text NOT NULL,
      status text NOT NULL,
      at timestamptz NOT NULL,
      note text,
      applied boolean NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (shipment_id, event_id)
    )`.execute(db);
  await sql`COMMENT ON COLUMN post_tracking_events.applied IS 'False when the event came late or repeated a state (kept for the record, changed nothing)'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'post_tracking_events', 'post_shipments', 'notify_pending_receipts', 'notify_provider_refs', 'notify_message_events',
    'notify_messages', 'notify_preferences', 'notify_template_history', 'notify_templates',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
}
