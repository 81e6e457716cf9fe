// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE signing_trust_anchors (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      source text NOT NULL CHECK (source IN ('demo')),
      certificate bytea NOT NULL,
      sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      subject text NOT NULL,
      not_after timestamptz NOT NULL,
      key_enc text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE signing_trust_anchors IS 'Root certificates kept in the database: the demo CA created by the demo seed. Real roots (the national root CA) come from files named in SIGNING_TRUST_ANCHORS'`.execute(db);
  await sql`COMMENT ON COLUMN signing_trust_anchors.source IS 'demo: the clearly labelled demo CA; trusted only while SIGNING_TRUST_DEMO_CA is on'`.execute(db);
  await sql`COMMENT ON COLUMN signing_trust_anchors.certificate IS 'The root certificate, DER'`.execute(db);
  await sql`COMMENT ON COLUMN signing_trust_anchors.sha256 IS 'SHA-256 fingerprint of the DER certificate'`.execute(db);
  await sql`COMMENT ON COLUMN signing_trust_anchors.key_enc IS 'Demo CA only: its PKCS#8 private key, AES-256-GCM sealed with DATA_ENCRYPTION_KEY, to issue demo agency certificates; NULL for real roots'`.execute(db);

  await sql`
    CREATE TABLE agency_certificates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      status text NOT NULL CHECK (status IN ('active','retired')),
      source text NOT NULL CHECK (source IN ('upload','demo')),
      provider text NOT NULL DEFAULT 'local' CHECK (provider IN ('local')),
      subject text NOT NULL,
      subject_cn text,
      issuer text NOT NULL,
      issuer_cn text,
      serial_number text NOT NULL CHECK (serial_number ~ '^[0-9A-F]+$'),
      not_before timestamptz NOT NULL,
      not_after timestamptz NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      certificate bytea NOT NULL,
      chain bytea NOT NULL DEFAULT ''::bytea,
      key_algorithm text NOT NULL CHECK (key_algorithm IN ('rsa','ec')),
      key_enc text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      retired_by uuid REFERENCES users(id),
      CHECK (not_after > not_before),
      CHECK ((status = 'retired') = (retired_at IS NOT NULL)),
      CHECK (provider <> 'local' OR key_enc IS NOT NULL)
    )`.execute(db);
  await sql`COMMENT ON TABLE agency_certificates IS 'Certificates that sign for an agency (chứng thư số của cơ quan): results on approval, receipt slips, e-receipts. At most one active per agency'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.status IS 'active: signs the agency''s documents; retired: replaced by a newer upload or withdrawn by an admin, kept because issued documents refer to it'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.source IS 'upload: a PKCS#12 from a licensed CA uploaded by an admin; demo: issued by the demo CA at seed time'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.provider IS 'Where the private key is used: local (key_enc, in process). Room for a remote signing service or HSM, which keep the key themselves'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.subject IS 'Subject distinguished name, RFC 4514 order (CN first), for display'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.serial_number IS 'Serial number in uppercase hex'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.sha256 IS 'SHA-256 fingerprint of the DER certificate'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.certificate IS 'The signer certificate, DER'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.chain IS 'Its issuers from the PKCS#12 file, DER certificates one after the other (each is self-delimiting), nearest first'`.execute(db);
  await sql`COMMENT ON COLUMN agency_certificates.key_enc IS 'The private key as PKCS#8 PEM, AES-256-GCM sealed with DATA_ENCRYPTION_KEY; never returned by any API. The PKCS#12 password is not kept'`.execute(db);
  await sql`CREATE UNIQUE INDEX agency_certificates_one_active ON agency_certificates (agency_id) WHERE status = 'active'`.execute(db);
  await sql`CREATE INDEX agency_certificates_expiry_idx ON agency_certificates (not_after) WHERE status = 'active'`.execute(db);

  await sql`
    CREATE TABLE signed_documents (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('result','receipt_slip','e_receipt','document')),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      certificate_id uuid NOT NULL REFERENCES agency_certificates(id),
      dossier_id uuid REFERENCES dossiers(id),
      file_id uuid UNIQUE REFERENCES dossier_files(id),
      source_file_id uuid REFERENCES dossier_files(id),
      reference text CHECK (length(reference) <= 200),
      sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint NOT NULL CHECK (size > 0),
      signer_name text,
      signed_at timestamptz NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE signed_documents IS 'Register of every PDF this system signed and issued; the verification page answers "issued by this system" by the SHA-256 of a file. Append-only'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.id IS 'Chosen before signing and printed (as a link) in the QR code of the visible signature'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.kind IS 'result: a dossier''s result signed on approval; receipt_slip: form 01; e_receipt: a payment receipt; document: anything else'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.file_id IS 'result: the signed PDF as a dossier file (kind result)'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.source_file_id IS 'result: the unsigned result file it was made from (set aside once signed)'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.reference IS 'What the document is about beyond the dossier, e.g. an e-receipt number'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.sha256 IS 'SHA-256 of the signed file exactly as issued'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.signer_name IS 'The official shown in the visible signature (the approving leader); the certificate is the agency''s'`.execute(db);
  await sql`COMMENT ON COLUMN signed_documents.signed_at IS 'The signing time written in the signature (/M)'`.execute(db);
  await sql`CREATE INDEX signed_documents_dossier_idx ON signed_documents (dossier_id, signed_at)`.execute(db);
  await sql`
    CREATE FUNCTION signed_documents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'signed_documents is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`.execute(db);
  await sql`CREATE TRIGGER signed_documents_no_update BEFORE UPDATE OR DELETE ON signed_documents FOR EACH ROW EXECUTE FUNCTION signed_documents_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['signed_documents', 'agency_certificates', 'signing_trust_anchors']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS signed_documents_append_only()`.execute(db);
}
