import { sql, type Kysely } from 'kysely';

/**
 * Result templates (issue 6: results generated from the dossier's data for procedures whose
 * result is a simple certificate or decision) and refunds through the gateway (issue 5: VNPay's
 * refund API, asked first, recorded in `payment_refunds` only once the gateway confirmed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE procedure_result_templates (
      procedure_id uuid PRIMARY KEY REFERENCES procedures(id),
      title text NOT NULL CHECK (length(title) BETWEEN 3 AND 300),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
      signer_title text NOT NULL CHECK (length(signer_title) BETWEEN 2 AND 200),
      number_suffix text CHECK (length(number_suffix) <= 50),
      version integer NOT NULL DEFAULT 1,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_result_templates IS 'The result document of a procedure whose result is a simple certificate or decision: title and body with {{placeholders}} filled from the dossier at approval, then signed'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_result_templates.number_suffix IS 'Symbol after the number (số, ký hiệu), e.g. GCN-SKHCN: the number printed is {sequence}/{suffix}'`.execute(db);
  await sql`
    CREATE TABLE procedure_result_template_history (
      id bigserial PRIMARY KEY,
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      version integer NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      signer_title text NOT NULL,
      number_suffix text,
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (procedure_id, version)
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_result_template_history IS 'Every saved version of a result template; append-only'`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON procedure_result_template_history FROM motcua_app`.execute(db);

  await sql`
    CREATE TABLE payment_refund_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payment_id uuid NOT NULL REFERENCES payments(id),
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
      reason text NOT NULL CHECK (length(reason) BETWEEN 5 AND 2000),
      request_id text NOT NULL UNIQUE,
      status text NOT NULL CHECK (status IN ('requested','confirmed','failed','unknown')),
      response_code text,
      gateway_transaction_no text,
      message text,
      refund_id uuid REFERENCES payment_refunds(id),
      requested_by uuid REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      answered_at timestamptz,
      CHECK ((status = 'confirmed') = (refund_id IS NOT NULL))
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_refund_requests IS 'Refunds asked of the payment gateway (VNPay refund API): written before the call, answered after; a confirmed one has its payment_refunds row'`.execute(db);
  await sql`COMMENT ON COLUMN payment_refund_requests.status IS 'requested: call in flight or its answer lost (held against the amount until checked); confirmed; failed (the gateway refused); unknown (no usable answer)'`.execute(db);
  await sql`CREATE INDEX payment_refund_requests_payment_idx ON payment_refund_requests (payment_id)`.execute(db);
  await sql`REVOKE DELETE, TRUNCATE ON payment_refund_requests FROM motcua_app`.execute(db);

  await sql`ALTER TABLE payment_sandbox_transactions ADD COLUMN refunded bigint NOT NULL DEFAULT 0, ADD COLUMN refunds jsonb NOT NULL DEFAULT '[]'`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.refunded IS 'Sum refunded through the refund API, VND × 100 like amount'`.execute(db);
  // Reports: open dossiers are now measured against their statutory deadline (an apology's new
  // appointment no longer hides that they are overdue): every received dossier is recomputed.
  await sql`
    INSERT INTO report_dirty (dossier_id) SELECT id FROM dossiers WHERE received_at IS NOT NULL
    ON CONFLICT (dossier_id) DO UPDATE SET version = nextval('report_dirty_version_seq')`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.refunds IS 'Every refund the sandbox made: [{requestId, amount, transactionNo, at}]; a repeated request id is refused (94)'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_sandbox_transactions DROP COLUMN IF EXISTS refunded, DROP COLUMN IF EXISTS refunds`.execute(db);
  for (const t of ['payment_refund_requests', 'procedure_result_template_history', 'procedure_result_templates']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
}
