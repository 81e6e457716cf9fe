// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

/**
 * Refund requests VNPay never answered (issue 5): checked automatically with QueryDR, with a
 * back-off, until VNPay shows the refund (confirmed), refuses it (failed) or still shows the
 * payment untouched after a give-up window (expired); how each request was settled; and the
 * sandbox's tester switch that books a refund but loses its answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payment_refund_requests
      DROP CONSTRAINT payment_refund_requests_status_check,
      ADD CONSTRAINT payment_refund_requests_status_check CHECK (status IN ('requested','confirmed','failed','unknown','expired')),
      ADD COLUMN settled_via text CHECK (settled_via IN ('refund_api','querydr','official')),
      ADD COLUMN check_count integer NOT NULL DEFAULT 0 CHECK (check_count >= 0),
      ADD COLUMN last_check_at timestamptz,
      ADD COLUMN next_check_at timestamptz,
      ADD COLUMN last_check_outcome text CHECK (last_check_outcome IN ('no_answer','no_refund','accepted','refused','mismatch','ambiguous','not_found')),
      ADD COLUMN last_check_detail text CHECK (length(last_check_detail) <= 500)`.execute(db);
  await sql`COMMENT ON COLUMN payment_refund_requests.status IS 'requested: call in flight or its answer lost; unknown: no usable answer (both hold the amount until settled); confirmed (has its payment_refunds row); failed: refused by the gateway (its answer or QueryDR status 09) or found not applied by an official; expired: QueryDR still showed the payment untouched after the give-up window'`.execute(db);
  await sql`COMMENT ON COLUMN payment_refund_requests.settled_via IS 'How the outcome was learnt: refund_api (the answer to the call), querydr (the automatic check), official (after checking the merchant portal); null while open and for rows settled before this column existed'`.execute(db);
  await sql`COMMENT ON COLUMN payment_refund_requests.check_count IS 'QueryDR checks of an unanswered request so far; the next one is due at next_check_at (the interval doubles each time)'`.execute(db);
  await sql`COMMENT ON COLUMN payment_refund_requests.last_check_outcome IS 'What the last check concluded: no_answer (timeout, bad signature…), no_refund (payment untouched), accepted (05/06), refused (09), mismatch (another type or amount), ambiguous (several open requests could match), not_found (91)'`.execute(db);
  await sql`CREATE INDEX payment_refund_requests_open_idx ON payment_refund_requests (requested_at) WHERE status IN ('requested','unknown')`.execute(db);
  await sql`COMMENT ON COLUMN payment_gateway_events.answer IS 'ipn: our RspCode (00, 01, 02, 04, 99); querydr: paid, refund, failed, pending, not_found or unknown (params.refundRequestId when asked for a refund check)'`.execute(db);

  await sql`ALTER TABLE payment_sandbox_transactions ADD COLUMN refund_answers text NOT NULL DEFAULT 'send' CHECK (refund_answers IN ('send','lose'))`.execute(db);
  await sql`COMMENT ON COLUMN payment_sandbox_transactions.refund_answers IS 'Tester switch: lose books refunds of this transaction but answers 504, as when VNPay''s answer is lost on the way'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_sandbox_transactions DROP COLUMN IF EXISTS refund_answers`.execute(db);
  await sql`DROP INDEX IF EXISTS payment_refund_requests_open_idx`.execute(db);
  await sql`COMMENT ON COLUMN payment_gateway_events.answer IS 'ipn: our RspCode (00, 01, 02, 04, 99); querydr: paid, failed, pending, not_found or unknown'`.execute(db);
  await sql`UPDATE payment_refund_requests SET status = 'failed' WHERE status = 'expired'`.execute(db);
  await sql`
    ALTER TABLE payment_refund_requests
      DROP CONSTRAINT payment_refund_requests_status_check,
      ADD CONSTRAINT payment_refund_requests_status_check CHECK (status IN ('requested','confirmed','failed','unknown')),
      DROP COLUMN IF EXISTS settled_via,
      DROP COLUMN IF EXISTS check_count,
      DROP COLUMN IF EXISTS last_check_at,
      DROP COLUMN IF EXISTS next_check_at,
      DROP COLUMN IF EXISTS last_check_outcome,
      DROP COLUMN IF EXISTS last_check_detail`.execute(db);
}
