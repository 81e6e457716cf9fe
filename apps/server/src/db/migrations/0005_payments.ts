// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE payment_reference_seq`.execute(db);
  await sql`COMMENT ON SEQUENCE payment_reference_seq IS 'Numbers payment references (VNPay vnp_TxnRef, transfer references): yyMMdd + this number, unique for ever, so unique per day as VNPay requires'`.execute(db);

  await sql`
    CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      method text NOT NULL CHECK (method IN ('vnpay','vietqr','cash')),
      status text NOT NULL CHECK (status IN ('pending','paid','failed','expired','cancelled')),
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0 AND amount_vnd <= 1000000000000),
      paid_online boolean NOT NULL,
      reference text NOT NULL UNIQUE CHECK (reference ~ '^[A-Z0-9]{6,40}$'),
      gateway text CHECK (gateway IN ('vnpay','sandbox')),
      terminal_code text,
      gateway_create_date text CHECK (gateway_create_date ~ '^[0-9]{14}$'),
      request jsonb CHECK (request IS NULL OR jsonb_typeof(request) = 'string'),
      expires_at timestamptz,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      paid_at timestamptz,
      settled_via text CHECK (settled_via IN ('ipn','querydr','counter','statement','review')),
      gateway_txn_no text,
      bank_code text,
      response_code text,
      transaction_status text,
      overpaid_vnd bigint NOT NULL DEFAULT 0 CHECK (overpaid_vnd >= 0 AND overpaid_vnd <= amount_vnd),
      refunded_vnd bigint NOT NULL DEFAULT 0 CHECK (refunded_vnd >= 0 AND refunded_vnd <= amount_vnd),
      last_query_at timestamptz,
      query_count integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
      CHECK ((status = 'paid') = (settled_via IS NOT NULL)),
      CHECK ((method = 'vnpay') = (gateway IS NOT NULL AND gateway_create_date IS NOT NULL AND expires_at IS NOT NULL))
    )`.execute(db);
  await sql`COMMENT ON TABLE payments IS 'One attempt to pay some of a dossier''s fees: online through VNPay, by bank transfer (VietQR) or in cash at the counter. Paid exactly once: the pending → paid update is conditional'`.execute(db);
  await sql`COMMENT ON COLUMN payments.agency_id IS 'The dossier''s receiving agency when the payment was made: lists, reports and receipts are scoped by it'`.execute(db);
  await sql`COMMENT ON COLUMN payments.status IS 'pending until the gateway (IPN or QueryDR), the bank statement or the counter settles it; expired when QueryDR confirms an unpaid VNPay payment past its expiry; cancelled when replaced'`.execute(db);
  await sql`COMMENT ON COLUMN payments.paid_online IS 'Paid through an online channel (VNPay, bank transfer): feeds the national index 3.6 and the portal''s DuocThanhToanTrucTuyen'`.execute(db);
  await sql`COMMENT ON COLUMN payments.reference IS 'vnp_TxnRef for VNPay; the transfer reference (also in the QR purpose) for VietQR; the counter reference for cash'`.execute(db);
  await sql`COMMENT ON COLUMN payments.gateway IS 'Which VNPay endpoint took it: the real gateway or the built-in sandbox'`.execute(db);
  await sql`COMMENT ON COLUMN payments.gateway_create_date IS 'vnp_CreateDate (yyyyMMddHHmmss, GMT+7) of the payment URL; QueryDR sends it back as vnp_TransactionDate'`.execute(db);
  await sql`COMMENT ON COLUMN payments.request IS 'As a JSON string: VNPay: the signed parameters as a query string (without the hash), to rebuild the same URL; VietQR: the QR purpose'`.execute(db);
  await sql`COMMENT ON COLUMN payments.settled_via IS 'What proved the payment: ipn, querydr (reconciliation), counter (cash), statement (bank statement import), review (an official matched a transfer)'`.execute(db);
  await sql`COMMENT ON COLUMN payments.gateway_txn_no IS 'vnp_TransactionNo, or the bank''s reference of a transfer'`.execute(db);
  await sql`COMMENT ON COLUMN payments.overpaid_vnd IS 'Part of the amount that settled nothing (the fee was already paid or exempted): to refund'`.execute(db);
  await sql`COMMENT ON COLUMN payments.refunded_vnd IS 'Sum of payment_refunds, kept with the payment so the check against the amount holds'`.execute(db);
  await sql`COMMENT ON COLUMN payments.last_query_at IS 'Last QueryDR for this payment (reconciliation), with query_count the number asked'`.execute(db);
  await sql`CREATE INDEX payments_dossier_idx ON payments (dossier_id, created_at)`.execute(db);
  await sql`CREATE INDEX payments_agency_created_idx ON payments (agency_id, created_at)`.execute(db);
  await sql`CREATE INDEX payments_agency_paid_idx ON payments (agency_id, paid_at) WHERE status = 'paid'`.execute(db);
  await sql`CREATE INDEX payments_vnpay_open_idx ON payments (created_at) WHERE method = 'vnpay' AND status = 'pending'`.execute(db);

  await sql`
    CREATE TABLE dossier_fee_snapshots (
      dossier_id uuid PRIMARY KEY REFERENCES dossiers(id),
      taken_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE dossier_fee_snapshots IS 'Marks that a dossier''s fees were copied from its procedure (at submission or when first asked); later catalogue changes do not touch them'`.execute(db);

  await sql`
    CREATE TABLE dossier_fees (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      procedure_fee_id uuid REFERENCES procedure_fees(id),
      sort_order integer NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
      amount_vnd bigint NOT NULL CHECK (amount_vnd >= 0),
      payable_online boolean NOT NULL,
      payable_when text NOT NULL CHECK (payable_when IN ('before_reception','before_processing','before_result')),
      payment_id uuid REFERENCES payments(id),
      settled_at timestamptz,
      exempted_at timestamptz,
      exempted_by uuid REFERENCES users(id),
      exemption_reason text CHECK (length(exemption_reason) BETWEEN 5 AND 2000),
      UNIQUE (dossier_id, sort_order),
      CHECK ((payment_id IS NULL) = (settled_at IS NULL)),
      CHECK ((exempted_at IS NULL) = (exemption_reason IS NULL)),
      CHECK (payment_id IS NULL OR exempted_at IS NULL)
    )`.execute(db);
  await sql`COMMENT ON TABLE dossier_fees IS 'What a dossier owes (phí, lệ phí): a copy of its procedure''s fee items, each settled by one payment or lifted by an exemption'`.execute(db);
  await sql`COMMENT ON COLUMN dossier_fees.payable_when IS 'The point the dossier cannot pass unpaid: before_reception gates receive, before_processing gates forward out of the first step, before_result gates return_result'`.execute(db);
  await sql`COMMENT ON COLUMN dossier_fees.payment_id IS 'The payment that settled this item (set once, by a conditional update); a second payment for it becomes overpaid'`.execute(db);
  await sql`COMMENT ON COLUMN dossier_fees.exemption_reason IS 'Why an official exempted the applicant (miễn, giảm): the legal ground or the category of person'`.execute(db);
  await sql`CREATE INDEX dossier_fees_dossier_idx ON dossier_fees (dossier_id, sort_order)`.execute(db);
  await sql`CREATE INDEX dossier_fees_unsettled_idx ON dossier_fees (dossier_id) WHERE payment_id IS NULL AND exempted_at IS NULL AND amount_vnd > 0`.execute(db);

  await sql`
    CREATE TABLE payment_items (
      payment_id uuid NOT NULL REFERENCES payments(id),
      dossier_fee_id uuid NOT NULL REFERENCES dossier_fees(id),
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
      PRIMARY KEY (payment_id, dossier_fee_id)
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_items IS 'The fee items a payment is for; their amounts add up to the payment''s amount'`.execute(db);
  await sql`CREATE INDEX payment_items_fee_idx ON payment_items (dossier_fee_id)`.execute(db);

  await sql`
    CREATE TABLE receipt_counters (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      year integer NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (agency_id, year)
    )`.execute(db);

  await sql`
    CREATE TABLE receipts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payment_id uuid NOT NULL UNIQUE REFERENCES payments(id),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      year integer NOT NULL,
      number integer NOT NULL CHECK (number >= 1),
      code text NOT NULL UNIQUE,
      issued_at timestamptz NOT NULL DEFAULT now(),
      payer_name text NOT NULL,
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
      method text NOT NULL,
      items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
      UNIQUE (agency_id, year, number)
    )`.execute(db);
  await sql`COMMENT ON TABLE receipts IS 'E-receipts (biên lai điện tử): one per settled payment (unique payment_id), numbered per agency and year; never changed; the PDF is drawn from this row'`.execute(db);
  await sql`COMMENT ON COLUMN receipts.code IS 'Printed receipt number: BL{year}-{agency code}-{number, 7 digits}'`.execute(db);
  await sql`COMMENT ON COLUMN receipts.items IS 'The fee items paid, as printed: [{name, amountVnd}]'`.execute(db);

  await sql`
    CREATE TABLE payment_refunds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payment_id uuid NOT NULL REFERENCES payments(id),
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
      reason text NOT NULL CHECK (length(reason) BETWEEN 5 AND 2000),
      reference text CHECK (length(reference) <= 100),
      refunded_by uuid REFERENCES users(id),
      refunded_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_refunds IS 'Money given back (overpayment, refused dossier), as recorded by an official; append-only'`.execute(db);
  await sql`COMMENT ON COLUMN payment_refunds.reference IS 'The gateway''s or the bank''s reference of the refund, when there is one'`.execute(db);
  await sql`CREATE INDEX payment_refunds_payment_idx ON payment_refunds (payment_id)`.execute(db);

  await sql`
    CREATE TABLE payment_gateway_events (
      id bigserial PRIMARY KEY,
      payment_id uuid REFERENCES payments(id),
      reference text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('ipn','querydr')),
      answer text NOT NULL,
      params jsonb NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_gateway_events IS 'Every correctly signed IPN and QueryDR answer with what we answered or concluded, including repeats; unsigned calls are only logged'`.execute(db);
  await sql`COMMENT ON COLUMN payment_gateway_events.answer IS 'ipn: our RspCode (00, 01, 02, 04, 99); querydr: paid, failed, pending, not_found or unknown'`.execute(db);
  await sql`CREATE INDEX payment_gateway_events_payment_idx ON payment_gateway_events (payment_id, id)`.execute(db);

  await sql`
    CREATE TABLE bank_statement_imports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
      format text NOT NULL CHECK (format IN ('csv','xlsx')),
      imported_by uuid REFERENCES users(id),
      imported_at timestamptz NOT NULL DEFAULT now(),
      total integer NOT NULL,
      matched integer NOT NULL,
      unmatched integer NOT NULL,
      duplicates integer NOT NULL
    )`.execute(db);
  await sql`COMMENT ON TABLE bank_statement_imports IS 'Bank statements of the VietQR account imported by officials; rows are matched to payments on reference/dossier code and exact amount'`.execute(db);
  await sql`COMMENT ON COLUMN bank_statement_imports.agency_id IS 'The agency (subtree) whose dossiers this import may settle'`.execute(db);

  await sql`
    CREATE TABLE bank_statement_rows (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      import_id uuid NOT NULL REFERENCES bank_statement_imports(id),
      row_no integer NOT NULL,
      fingerprint text NOT NULL UNIQUE,
      booked_on date,
      amount_vnd bigint NOT NULL,
      description text NOT NULL,
      bank_ref text,
      status text NOT NULL CHECK (status IN ('matched','unmatched','resolved','dismissed')),
      payment_id uuid REFERENCES payments(id),
      note text,
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz,
      CHECK ((status IN ('matched','resolved')) = (payment_id IS NOT NULL))
    )`.execute(db);
  await sql`COMMENT ON COLUMN bank_statement_rows.fingerprint IS 'The bank''s transaction reference, or a hash of date, amount, description and occurrence: importing the same statement twice credits nothing twice'`.execute(db);
  await sql`COMMENT ON COLUMN bank_statement_rows.status IS 'matched automatically; unmatched awaits review; resolved: an official matched it; dismissed: an official set it aside (with a note)'`.execute(db);
  await sql`CREATE INDEX bank_statement_rows_review_idx ON bank_statement_rows (import_id) WHERE status = 'unmatched'`.execute(db);

  await sql`
    CREATE TABLE payment_reconciliation_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('pending','daily','manual')),
      day date,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      checked integer NOT NULL DEFAULT 0,
      settled integer NOT NULL DEFAULT 0,
      closed integer NOT NULL DEFAULT 0,
      unknown integer NOT NULL DEFAULT 0,
      CHECK ((kind = 'daily') = (day IS NOT NULL))
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_reconciliation_runs IS 'QueryDR reconciliation runs: every pending payment older than the threshold, and once a day (unique per day) every unpaid VNPay payment of the day before'`.execute(db);
  await sql`COMMENT ON COLUMN payment_reconciliation_runs.closed IS 'Payments QueryDR showed failed or never paid (expired)'`.execute(db);
  await sql`CREATE UNIQUE INDEX payment_reconciliation_daily_idx ON payment_reconciliation_runs (day) WHERE kind = 'daily'`.execute(db);

  await sql`CREATE SEQUENCE payment_sandbox_txn_seq START 14000000`.execute(db);
  await sql`
    CREATE TABLE payment_sandbox_transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      terminal_code text NOT NULL,
      txn_ref text NOT NULL,
      pay_day date NOT NULL,
      transaction_no bigint NOT NULL DEFAULT nextval('payment_sandbox_txn_seq'),
      amount text NOT NULL CHECK (amount ~ '^[0-9]+$'),
      order_info text NOT NULL,
      create_date text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('paid','failed')),
      response_code text NOT NULL,
      transaction_status text NOT NULL,
      bank_code text NOT NULL,
      pay_date text NOT NULL,
      return_query jsonb NOT NULL CHECK (jsonb_typeof(return_query) = 'string'),
      ipn_attempts integer NOT NULL DEFAULT 0,
      ipn_next_at timestamptz,
      ipn_done_at timestamptz,
      ipn_answers jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (terminal_code, txn_ref, pay_day)
    )`.execute(db);
  await sql`COMMENT ON TABLE payment_sandbox_transactions IS 'The sandbox gateway''s own books (what VNPay keeps on its side): one row per transaction a tester paid or failed; not the merchant''s data'`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.amount IS 'vnp_Amount as sent: VND × 100'`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.return_query IS 'The signed query string (vnp_* parameters and hash) sent to the return URL and, unchanged, to the IPN'`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.ipn_next_at IS 'When the next IPN attempt is due; null once answered 00/02 or out of attempts'`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.ipn_answers IS 'Every IPN attempt: [{at, rspCode | error}]'`.execute(db);
  await sql`CREATE INDEX payment_sandbox_ipn_due_idx ON payment_sandbox_transactions (ipn_next_at) WHERE ipn_next_at IS NOT NULL`.execute(db);

  // Money records are kept: no deletes; receipts, refunds and gateway events never change.
  for (const t of ['payments', 'dossier_fees', 'payment_items', 'bank_statement_imports', 'bank_statement_rows', 'dossier_fee_snapshots']) {
    await sql`REVOKE DELETE, TRUNCATE ON ${sql.table(t)} FROM motcua_app`.execute(db);
  }
  for (const t of ['receipts', 'payment_refunds', 'payment_gateway_events']) {
    await sql`REVOKE UPDATE, DELETE, TRUNCATE ON ${sql.table(t)} FROM motcua_app`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'payment_sandbox_transactions', 'payment_reconciliation_runs', 'bank_statement_rows', 'bank_statement_imports',
    'payment_gateway_events', 'payment_refunds', 'receipts', 'receipt_counters', 'payment_items', 'dossier_fees',
    'dossier_fee_snapshots', 'payments',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP SEQUENCE IF EXISTS payment_sandbox_txn_seq`.execute(db);
  await sql`DROP SEQUENCE IF EXISTS payment_reference_seq`.execute(db);
}
