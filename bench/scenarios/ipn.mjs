// IPN handling throughput on distinct payments: each request is a correctly signed VNPay IPN
// (sandbox terminal and secret, the server's defaults with DEMO_SEED=true) for a different
// pending payment, so every request does the full paid transition: lookup, conditional update,
// fee items, receipt number, receipt, audit event, gateway event, one transaction.
//
//   import { prepareIpn } from './scenarios/ipn.mjs';
//   const ipn = await prepareIpn({ baseUrl, databaseUrl, count: 20000 });
//   // autocannon: { name: 'ipn', requests: ipn.requests, ... }; ipn.check() after the run.
//
// The payments are inserted directly (one procedure with one 100.000 ₫ fee, submitted dossiers,
// pending VNPay payments) so that preparation does not count. The ceiling for this scenario is
// the same rows without the application around it: see `ceilingIpn` below.
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { appendAudit } from '../lib/audit.mjs';

export const SANDBOX_TMN_CODE = 'MOTCUA01';
export const SANDBOX_HASH_SECRET = 'MOTCUASANDBOXSECRETDEMOONLY2026XY';

const encode = (v) => new URLSearchParams([['', v]]).toString().slice(1);
function signedQuery(params, secret) {
  const data = Object.keys(params).sort().map((k) => `${encode(k)}=${encode(params[k])}`).join('&');
  return `${data}&vnp_SecureHash=${createHmac('sha512', secret).update(data).digest('hex')}`;
}

/**
 * Creates `count` pending VNPay payments on the running server's database and returns an
 * autocannon `requests` array that sends each one's IPN once (in order, round-robin over
 * connections), plus `check()` that counts paid payments, receipts and audit events afterwards.
 */
export async function prepareIpn({ databaseUrl, count = 20_000, secret = SANDBOX_HASH_SECRET, tmnCode = SANDBOX_TMN_CODE }) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'motcua-bench-ipn' });
  await client.connect();
  try {
    const agency = (await client.query(`SELECT id FROM agencies WHERE code = '000.00.12.H56'`)).rows[0].id;
    const user = (await client.query(`SELECT id, full_name FROM users WHERE phone = '0912345678'`)).rows[0];
    const field = (await client.query(`INSERT INTO procedure_fields (code, name) VALUES ('BENCHIPN' || floor(random()*1e6)::text, 'Bench') RETURNING id`)).rows[0].id;
    const proc = (await client.query(`
      INSERT INTO procedures (code, name, field_id, levels, applicants, steps, methods, online_level, processing_value, processing_unit, legal_basis, published)
      VALUES ('1.' || lpad((floor(random()*899999) + 100000)::text, 6, '0'), 'Bench IPN', $1, ARRAY['province'], ARRAY['citizen'], 'x', ARRAY['online'], 'full', 5, 'working_days', 'x', true)
      RETURNING id`, [field])).rows[0].id;
    const fee = (await client.query(`INSERT INTO procedure_fees (procedure_id, sort_order, name, amount_vnd, payable_online, payable_when) VALUES ($1, 0, 'Lệ phí', 100000, true, 'before_reception') RETURNING id`, [proc])).rows[0].id;
    const process = (await client.query(`INSERT INTO processes (procedure_id, version, steps) VALUES ($1, 1, '[{"key":"reception","name":{"vi":"Tiếp nhận","en":"Reception"},"agencyId":null,"role":"reception_officer","sharePercent":100}]') RETURNING id`, [proc])).rows[0].id;
    // All rows in a few set-based statements.
    const rows = (await client.query(`
      WITH d AS (
        INSERT INTO dossiers (procedure_id, process_id, duration_value, duration_unit, channel, receiving_agency_id, applicant_user_id, created_by, applicant_name, status, portal_status, last_seq)
        SELECT $1, $2, 5, 'working_days', 'online', $3, $4, $4, $5, 'submitted', 'new', 1 FROM generate_series(1, $6) RETURNING id
      ), s AS (INSERT INTO dossier_fee_snapshots (dossier_id) SELECT id FROM d RETURNING dossier_id),
      f AS (
        INSERT INTO dossier_fees (dossier_id, procedure_fee_id, sort_order, name, amount_vnd, payable_online, payable_when)
        SELECT dossier_id, $7, 0, 'Lệ phí', 100000, true, 'before_reception' FROM s RETURNING id, dossier_id
      ), p AS (
        INSERT INTO payments (dossier_id, agency_id, method, status, amount_vnd, paid_online, reference, gateway, terminal_code, gateway_create_date, expires_at, created_by)
        SELECT f.dossier_id, $3, 'vnpay', 'pending', 100000, true, '99' || lpad(nextval('payment_reference_seq')::text, 12, '0'), 'sandbox', $8, '20260302100000', now() + interval '1 day', $4
        FROM f RETURNING id, dossier_id, reference
      ), i AS (INSERT INTO payment_items (payment_id, dossier_fee_id, amount_vnd) SELECT p.id, f.id, 100000 FROM p JOIN f USING (dossier_id) RETURNING payment_id)
      SELECT p.reference FROM p JOIN i ON i.payment_id = p.id`, [proc, process, agency, user.id, user.full_name, count, fee, tmnCode])).rows;
    const queries = rows.map((r, n) => signedQuery({
      vnp_Amount: '10000000', vnp_BankCode: 'NCB', vnp_OrderInfo: `Thanh toan phi ho so ${r.reference}`, vnp_PayDate: '20260302101000',
      vnp_ResponseCode: '00', vnp_TmnCode: tmnCode, vnp_TransactionNo: String(20_000_000 + n), vnp_TransactionStatus: '00', vnp_TxnRef: r.reference,
    }, secret));
    let next = 0;
    return {
      count: queries.length,
      /** autocannon `requests`: each call takes the next distinct payment (repeats wrap around and answer 02). */
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/payments/vnpay/ipn?${queries[next++ % queries.length]}` }) }],
      async check() {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        try {
          const r = (await c.query(`
            SELECT count(*) FILTER (WHERE p.status = 'paid')::int AS paid,
                   (SELECT count(*)::int FROM receipts x JOIN payments y ON y.id = x.payment_id WHERE y.reference LIKE '99%') AS receipts,
                   (SELECT count(*)::int FROM audit_log a WHERE a.action = 'payment.paid' AND a.details->>'reference' LIKE '99%') AS audit
            FROM payments p WHERE p.reference LIKE '99%'`)).rows[0];
          return { ...r, sent: next, ok: r.paid === r.receipts && r.paid === r.audit && r.paid === Math.min(next, queries.length) };
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await client.end();
  }
}

/**
 * The ceiling's equivalent: the rows our IPN handler writes for one fresh payment, in one
 * transaction (pg only, no Fastify/Kysely/zod/HMAC): for ceiling-server.mjs to mount on
 * GET /api/v1/payments/vnpay/ipn with `await ceilingIpn(pool, txnRef, query)`. The same rows
 * as ours (the payment paid, its fee items credited, the receipt counter, the receipt with its
 * code, payer and items, the gateway event with the IPN's parameters, the `payment.paid` audit
 * event on the hash chain), with the agency code and payer read in the first statement.
 * (bench: the audit event, receipt code, payer, items and event parameters were added so that
 * the ceiling commits the same rows as ours; `check()` then holds on both sides.)
 */
export async function ceilingIpn(pool, txnRef, query = {}) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const p = (await c.query(`SELECT p.*, a.code AS agency_code, d.applicant_name FROM payments p JOIN agencies a ON a.id = p.agency_id JOIN dossiers d ON d.id = p.dossier_id
      WHERE p.reference = $1 AND p.method = 'vnpay'`, [txnRef])).rows[0];
    const params = JSON.stringify(query);
    if (!p) { await c.query('ROLLBACK'); return { RspCode: '01', Message: 'Order not found' }; }
    const u = await c.query(`UPDATE payments SET status = 'paid', paid_at = now(), settled_via = 'ipn', updated_at = now(), gateway_txn_no = $2, bank_code = $3,
      response_code = $4, transaction_status = $5 WHERE id = $1 AND status = 'pending' RETURNING paid_at`,
    [p.id, query.vnp_TransactionNo ?? null, query.vnp_BankCode ?? null, query.vnp_ResponseCode ?? null, query.vnp_TransactionStatus ?? null]);
    if (u.rowCount === 0) { await c.query(`INSERT INTO payment_gateway_events (payment_id, reference, kind, answer, params) VALUES ($1, $2, 'ipn', '02', $3)`, [p.id, txnRef, params]); await c.query('COMMIT'); return { RspCode: '02', Message: 'Order already confirmed' }; }
    const paidAt = u.rows[0].paid_at;
    const items = (await c.query(`SELECT f.id, f.name, i.amount_vnd FROM payment_items i JOIN dossier_fees f ON f.id = i.dossier_fee_id WHERE i.payment_id = $1 ORDER BY f.sort_order`, [p.id])).rows;
    await c.query(`UPDATE dossier_fees SET payment_id = $1, settled_at = $3 WHERE id = ANY($2::uuid[]) AND payment_id IS NULL AND exempted_at IS NULL`, [p.id, items.map((i) => i.id), paidAt]);
    const year = new Date(paidAt.getTime() + 7 * 3_600_000).getUTCFullYear();
    const n = (await c.query(`INSERT INTO receipt_counters (agency_id, year, last) VALUES ($1, $2, 1) ON CONFLICT (agency_id, year) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`, [p.agency_id, year])).rows[0].last;
    const code = `BL${year}-${p.agency_code}-${String(n).padStart(7, '0')}`;
    await c.query(`INSERT INTO receipts (payment_id, agency_id, year, number, code, issued_at, payer_name, amount_vnd, method, items) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'vnpay', $9)`,
      [p.id, p.agency_id, year, n, code, paidAt, p.applicant_name, p.amount_vnd, JSON.stringify(items.map((i) => ({ name: i.name, amountVnd: Number(i.amount_vnd) })))]);
    await c.query(`INSERT INTO payment_gateway_events (payment_id, reference, kind, answer, params) VALUES ($1, $2, 'ipn', '00', $3)`, [p.id, txnRef, params]);
    await appendAudit(c, [{
      actorName: 'Cổng thanh toán (IPN)', action: 'payment.paid', objectType: 'payment', objectId: p.id, ip: '127.0.0.1', requestId: randomUUID(),
      details: { dossierId: p.dossier_id, method: p.method, amountVnd: Number(p.amount_vnd), via: 'ipn', reference: p.reference, receipt: code, overpaidVnd: 0 },
    }]);
    await c.query('COMMIT');
    return { RspCode: '00', Message: 'Confirm Success' };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}
