// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  // An immutable wrapper so unaccent can be used in indexes.
  await sql`
    CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, replace(replace($1, 'đ', 'd'), 'Đ', 'D')) $$`.execute(db);

  await sql`
    CREATE TABLE agencies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{2,3}([.][0-9A-Z]{2,3}){3}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
      name_en text,
      short_name text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 30),
      level text NOT NULL CHECK (level IN ('province','department','district','commune','division')),
      parent_id uuid REFERENCES agencies(id),
      address text,
      phone text,
      valid_from date NOT NULL,
      valid_to date,
      successor_id uuid REFERENCES agencies(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_to IS NULL OR valid_to >= valid_from),
      CHECK (successor_id IS NULL OR valid_to IS NOT NULL),
      CHECK (parent_id IS NULL OR parent_id <> id)
    )`.execute(db);
  await sql`COMMENT ON COLUMN agencies.code IS 'QCVN 102:2016 electronic identifier code, e.g. 000.00.01.H56'`.execute(db);
  await sql`COMMENT ON COLUMN agencies.short_name IS 'Abbreviation used in document symbols, e.g. UBND, STTTT'`.execute(db);
  await sql`COMMENT ON COLUMN agencies.successor_id IS 'Agency that took over the work when this one was merged or dissolved'`.execute(db);
  await sql`CREATE INDEX agencies_parent_idx ON agencies (parent_id)`.execute(db);
  await sql`CREATE INDEX agencies_search_idx ON agencies USING gin (lower(f_unaccent(name || ' ' || coalesce(name_en, '') || ' ' || short_name || ' ' || code)) gin_trgm_ops)`.execute(db);

  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('citizen','official')),
      full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
      email text,
      phone text,
      password_hash text NOT NULL,
      must_change_password boolean NOT NULL DEFAULT false,
      totp_secret_enc text,
      totp_enrolled_at timestamptz,
      totp_last_step bigint,
      date_of_birth date,
      personal_id_enc text,
      personal_id_masked text,
      address text,
      disabled_at timestamptz,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (email IS NOT NULL OR phone IS NOT NULL)
    )`.execute(db);
  await sql`COMMENT ON COLUMN users.personal_id_enc IS 'Personal identification number (CCCD), AES-256-GCM encrypted; never logged'`.execute(db);
  await sql`COMMENT ON COLUMN users.totp_last_step IS 'Last accepted TOTP time step: a code works once'`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE official_roles (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      agency_id uuid NOT NULL REFERENCES agencies(id),
      role text NOT NULL CHECK (role IN ('reception_officer','specialist','division_head','agency_leader','agency_admin','province_admin','support_agent','auditor')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, agency_id, role)
    )`.execute(db);
  await sql`CREATE INDEX official_roles_agency_idx ON official_roles (agency_id)`.execute(db);

  await sql`
    CREATE TABLE sessions (
      id_hash bytea PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`COMMENT ON COLUMN sessions.id_hash IS 'SHA-256 of the session id in the cookie; the id itself is never stored'`.execute(db);
  await sql`CREATE INDEX sessions_user_idx ON sessions (user_id)`.execute(db);

  await sql`
    CREATE TABLE login_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('totp','totp_enrol')),
      pending_secret_enc text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      failures int NOT NULL DEFAULT 0
    )`.execute(db);

  await sql`
    CREATE TABLE login_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid REFERENCES users(id) ON DELETE CASCADE,
      ip text NOT NULL,
      succeeded boolean NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX login_attempts_user_idx ON login_attempts (user_id, at) WHERE NOT succeeded`.execute(db);
  await sql`CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at) WHERE NOT succeeded`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      seq bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      actor_name text,
      action text NOT NULL,
      object_type text,
      object_id text,
      ip text,
      request_id text,
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    )`.execute(db);
  await sql`COMMENT ON TABLE audit_log IS 'Append-only, hash-chained: hash = sha256(prev_hash || canonical row)'`.execute(db);
  await sql`CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id)`.execute(db);
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`.execute(db);
  // Append-only even for the table owner: updates, deletes and truncation raise.
  await sql`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);

  // The application's role: full use of the tables except changing the audit log.
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'motcua_app') THEN
        CREATE ROLE motcua_app NOLOGIN;
      END IF;
    END $$`.execute(db);
  await sql`GRANT motcua_app TO current_user`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO motcua_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO motcua_app`.execute(db);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO motcua_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO motcua_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO motcua_app`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM motcua_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM motcua_app`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM motcua_app`.execute(db);
  for (const t of ['audit_log', 'login_attempts', 'login_challenges', 'sessions', 'official_roles', 'users', 'agencies']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
  await sql`REVOKE ALL ON SCHEMA public FROM motcua_app`.execute(db);
  await sql`DROP FUNCTION IF EXISTS f_unaccent(text)`.execute(db);
}
