/**
 * Refunds (hoàn tiền) of settled payments, and refund requests VNPay never answered.
 *
 * A refund through VNPay starts as a row of `payment_refund_requests`, written before the call
 * to the refund API; its `payment_refunds` row is written only once VNPay's acceptance is known,
 * in one of three ways (`settled_via`): the answer to the call (`refund_api`), QueryDR showing the
 * refund later (`querydr`, the check below), or an official who looked at VNPay's merchant portal
 * (`official`). Every way locks the payment, then the request, and acts only while the request
 * is still open (requested or unknown), so of any number of concurrent settlers exactly one
 * records the refund; the others find it settled.
 *
 * Reading QueryDR about the original transaction (VNPay shows its latest refund, see
 * `QueryOutcome`): a refund is recognised as ours when its type matches the request (02 when the
 * request was for the whole payment, 03 for part of it), its amount, when VNPay gives one other
 * than the payment's own, is the request's, its transaction number is not that of a refund
 * already recorded, and it is not dated before the request. 05 (VNPay processing) and 06 (sent to
 * the bank) confirm it; 09 refuses it. The payment shown untouched (type 01, status 00) means
 * VNPay has no refund: after PAYMENT_REFUND_GIVE_UP_HOURS the request expires. Anything else,
 * including two open requests the answer could belong to, is left for an official.
 */
import { sql, type Selectable } from 'kysely';
import type { QueryOutcome } from '../../adapters/payment/index.ts';
import { parseVnpayTime } from '../../adapters/payment/vnpay.ts';
import type { Tx } from '../../db/database.ts';
import type { PaymentRefundRequestsTable, RefundCheckOutcome } from '../../db/schema.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import { requestParams, type PaymentDeps, type PaymentRow } from './payment.service.ts';

export type RefundRequestRow = Selectable<PaymentRefundRequestsTable>;
export type RefundRow = { id: string; paymentId: string; amountVnd: string | number; reason: string; reference: string | null; refundedAt: Date };

/** Open requests hold their amount against the payment until settled. */
export const OPEN_REFUND_STATES: RefundRequestRow['status'][] = ['requested', 'unknown'];

/** The longest wait between two automatic checks of one request. */
const MAX_CHECK_INTERVAL_S = 3600;
/** A refund dated this long before the request was made is an earlier one (clocks differ a little). */
const CLOCK_SKEW_MS = 10 * 60_000;
const CHECK_ACTOR = 'Đối soát hoàn tiền tự động (QueryDR)';

export const refundRequestNotFound = () => notFound({ vi: 'Không tìm thấy yêu cầu hoàn tiền.', en: 'Refund request not found.' });
export const refundRequestSettled = () =>
  conflict('refund_request_settled', { vi: 'Yêu cầu hoàn tiền này đã có kết quả.', en: 'This refund request already has an outcome.' });

/** Records money given back: the refund row, the payment's running total, the audit event `payment.refunded`. */
export async function recordRefund(
  tx: Tx, ctx: AuditContext, p: PaymentRow, r: { amountVnd: number; reason: string; reference: string | null; by: string | null; gateway?: Record<string, unknown> },
): Promise<RefundRow> {
  await tx.updateTable('payments').set((eb) => ({ refundedVnd: eb('refundedVnd', '+', r.amountVnd as never), updatedAt: new Date() })).where('id', '=', p.id).execute();
  const row = await tx.insertInto('paymentRefunds').values({ paymentId: p.id, amountVnd: r.amountVnd, reason: r.reason, reference: r.reference, refundedBy: r.by })
    .returningAll().executeTakeFirstOrThrow();
  await writeAudit(tx, ctx, {
    action: 'payment.refunded', objectType: 'payment', objectId: p.id,
    details: { dossierId: p.dossierId, amountVnd: r.amountVnd, reason: r.reason, reference: r.reference, ...(r.gateway ? { gateway: r.gateway } : {}) },
  });
  return row;
}

/**
 * Locks a payment and then one of its refund requests (always in this order: no deadlock between
 * settlers). Throws 404 when the request is not the payment's.
 */
export async function lockRefundRequest(tx: Tx, paymentId: string, by: { id: string } | { requestId: string }): Promise<{ p: PaymentRow; rq: RefundRequestRow }> {
  const p = await tx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirstOrThrow();
  let q = tx.selectFrom('paymentRefundRequests').selectAll().where('paymentId', '=', paymentId);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('requestId', '=', by.requestId);
  const rq = await q.forUpdate().executeTakeFirst();
  if (!rq) throw refundRequestNotFound();
  return { p, rq };
}

export const isOpen = (rq: Pick<RefundRequestRow, 'status'>) => OPEN_REFUND_STATES.includes(rq.status);

/**
 * Settles an open request (locked by `lockRefundRequest`) as refunded: the refund is recorded
 * exactly as when VNPay's answer confirmed it. Throws 409 when the request is no longer open.
 */
export async function confirmRefundRequest(
  tx: Tx, ctx: AuditContext, p: PaymentRow, rq: RefundRequestRow,
  s: { via: 'refund_api' | 'querydr' | 'official'; responseCode: string | null; transactionNo: string | null; reference: string | null; by: string | null; note?: string; details?: Record<string, unknown> },
): Promise<RefundRow> {
  if (!isOpen(rq)) throw refundRequestSettled();
  const row = await recordRefund(tx, ctx, p, {
    amountVnd: Number(rq.amountVnd), reason: rq.reason, reference: s.reference, by: s.by,
    gateway: { requestId: rq.requestId, via: s.via, responseCode: s.responseCode, transactionNo: s.transactionNo, ...(s.note ? { note: s.note } : {}), ...s.details },
  });
  await tx.updateTable('paymentRefundRequests').set({
    status: 'confirmed', settledVia: s.via, refundId: row.id, responseCode: s.responseCode, gatewayTransactionNo: s.transactionNo,
    ...(s.note ? { message: s.note.slice(0, 500) } : {}), answeredAt: new Date(), nextCheckAt: null,
  }).where('id', '=', rq.id).execute();
  return row;
}

/**
 * Settles an open request as not refunded (refused by VNPay, found not applied, or expired): its
 * amount is freed. Throws 409 when the request is no longer open.
 */
export async function closeRefundRequest(
  tx: Tx, ctx: AuditContext, p: PaymentRow, rq: RefundRequestRow,
  s: { status: 'failed' | 'expired'; via: 'querydr' | 'official'; action: string; responseCode?: string | null; note: string; details?: Record<string, unknown> },
): Promise<void> {
  if (!isOpen(rq)) throw refundRequestSettled();
  await tx.updateTable('paymentRefundRequests').set({
    status: s.status, settledVia: s.via, message: s.note.slice(0, 500), answeredAt: new Date(), nextCheckAt: null,
    ...(s.responseCode !== undefined ? { responseCode: s.responseCode } : {}),
  }).where('id', '=', rq.id).execute();
  await writeAudit(tx, ctx, {
    action: s.action, objectType: 'payment', objectId: p.id,
    details: { dossierId: p.dossierId, requestId: rq.requestId, amountVnd: Number(rq.amountVnd), via: s.via, note: s.note, ...s.details },
  });
}

/** What one QueryDR answer means for one open refund request. */
export type RefundVerdict =
  | { kind: 'accepted'; transactionStatus: string; transactionType: '02' | '03'; transactionNo: string | null }
  | { kind: 'refused'; transactionStatus: string; transactionType: '02' | '03'; transactionNo: string | null }
  | { kind: 'no_refund' }
  | { kind: 'no_answer' | 'mismatch' | 'ambiguous' | 'not_found'; detail: string };

/**
 * Reads a QueryDR answer about the payment for the open refund request `rq` (pure). `others`:
 * the payment's other open requests; `knownRefundNos`: transaction numbers of refunds already
 * recorded on the payment.
 */
export function judgeRefundAnswer(
  outcome: QueryOutcome,
  rq: { amountVnd: number; requestedAt: Date },
  payment: { amountVnd: number },
  others: { amountVnd: number }[],
  knownRefundNos: string[],
): RefundVerdict {
  switch (outcome.kind) {
    case 'unknown':
      return { kind: 'no_answer', detail: outcome.reason };
    case 'not_found':
      return { kind: 'not_found', detail: '91' };
    case 'paid':
      return { kind: 'no_refund' };
    case 'pending':
      return { kind: 'mismatch', detail: 'payment pending at the gateway (01)' };
    case 'failed':
      return { kind: 'mismatch', detail: `payment status ${outcome.transactionStatus}` };
    case 'refund':
      break;
  }
  // An earlier refund is still VNPay's latest: ours is not (yet) there.
  if (outcome.transactionNo && knownRefundNos.includes(outcome.transactionNo)) return { kind: 'no_refund' };
  const at = outcome.payDate ? parseVnpayTime(outcome.payDate) : null;
  if (at && at.getTime() < rq.requestedAt.getTime() - CLOCK_SKEW_MS) return { kind: 'no_refund' };
  const whole = rq.amountVnd === payment.amountVnd;
  const expectedType = whole ? '02' : '03';
  if (outcome.transactionType !== expectedType)
    return { kind: 'mismatch', detail: `type ${outcome.transactionType}, expected ${expectedType}` };
  const amount = /^(0|[1-9][0-9]{0,19})$/.test(outcome.amountX100) ? BigInt(outcome.amountX100) : null;
  const isPaymentAmount = amount === BigInt(payment.amountVnd) * 100n;
  const amountSaysOurs = amount === BigInt(rq.amountVnd) * 100n;
  if (amount !== null && !amountSaysOurs && !isPaymentAmount) return { kind: 'mismatch', detail: `amount ${outcome.amountX100}` };
  // Another open request the answer could equally be about: a person must tell them apart.
  const informative = amount !== null && !isPaymentAmount;
  if (others.some((o) => (o.amountVnd === payment.amountVnd) === whole && (!informative || BigInt(o.amountVnd) * 100n === amount)))
    return { kind: 'ambiguous', detail: `${others.length + 1} open requests` };
  const found = { transactionStatus: outcome.transactionStatus, transactionType: outcome.transactionType, transactionNo: outcome.transactionNo };
  if (outcome.transactionStatus === '05' || outcome.transactionStatus === '06') return { kind: 'accepted', ...found };
  if (outcome.transactionStatus === '09') return { kind: 'refused', ...found };
  return { kind: 'mismatch', detail: `refund status ${outcome.transactionStatus}` };
}

export interface RefundCheckCounts {
  checked: number;
  confirmed: number;
  refused: number;
  expired: number;
  /** Still open after the check (no answer, no refund yet, or left for an official). */
  open: number;
}

/**
 * Checks refund requests VNPay left unanswered for more than PAYMENT_REFUND_CHECK_AFTER_SECONDS
 * (and those still `requested` well past the gateway timeout: the server stopped mid-call) by
 * asking QueryDR about their payment, and settles them from the answer (see the module comment).
 * Each due request is claimed by one conditional update that also schedules its next check, so
 * concurrent runs never ask about the same request at once; the gateway call happens outside any
 * transaction. Never throws for one request's failure.
 */
export async function checkUnansweredRefunds(deps: PaymentDeps, now = new Date(), limit = 100): Promise<RefundCheckCounts> {
  const counts: RefundCheckCounts = { checked: 0, confirmed: 0, refused: 0, expired: 0, open: 0 };
  const gateway = deps.gateway;
  if (!gateway) return counts;
  const firstS = deps.config.PAYMENT_REFUND_CHECK_AFTER_SECONDS;
  const after = new Date(now.getTime() - firstS * 1000);
  const inFlight = new Date(now.getTime() - Math.max(firstS * 1000, 2 * deps.config.PAYMENT_GATEWAY_TIMEOUT_MS));
  const giveUpMs = deps.config.PAYMENT_REFUND_GIVE_UP_HOURS * 3_600_000;
  // The n-th check schedules the next one PAYMENT_REFUND_CHECK_AFTER_SECONDS × 2^(n−1) later, at most an hour.
  const claimed = await sql<{ id: string; checkCount: number }>`
    UPDATE payment_refund_requests r
    SET check_count = r.check_count + 1, last_check_at = ${now},
        next_check_at = ${now}::timestamptz + make_interval(secs => least(${firstS}::float8 * power(2, r.check_count), greatest(${firstS}::float8, ${MAX_CHECK_INTERVAL_S}::float8)))
    WHERE r.id IN (
      SELECT q.id FROM payment_refund_requests q JOIN payments p ON p.id = q.payment_id
      WHERE q.status IN ('requested','unknown') AND q.requested_at < ${after}
        AND (q.status = 'unknown' OR q.requested_at < ${inFlight})
        AND (q.next_check_at IS NULL OR q.next_check_at <= ${now})
        AND p.method = 'vnpay' AND p.gateway = ${gateway.id} AND p.terminal_code = ${gateway.terminalCode}
      ORDER BY q.requested_at
      LIMIT ${limit}
      FOR UPDATE OF q SKIP LOCKED)
    RETURNING r.id, r.check_count`.execute(deps.db);
  const ctx: AuditContext = { actorId: null, actorName: CHECK_ACTOR, ip: null, requestId: null };
  for (const { id } of claimed.rows) {
    try {
      const rq0 = await deps.db.selectFrom('paymentRefundRequests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const p0 = await deps.db.selectFrom('payments').selectAll().where('id', '=', rq0.paymentId).executeTakeFirstOrThrow();
      if (!p0.gatewayCreateDate) continue;
      counts.checked++;
      const outcome = await gateway.queryTransaction({
        reference: p0.reference, orderInfo: requestParams(p0).vnp_OrderInfo ?? `Thanh toan ${p0.reference}`, transactionDate: p0.gatewayCreateDate, ipAddr: '127.0.0.1',
      });
      const result = await deps.db.transaction().execute((tx) => settleFromAnswer(tx, ctx, id, outcome, now, giveUpMs));
      counts[result]++;
    } catch (err) {
      counts.open++;
      deps.log.error({ err, refundRequestId: id }, 'checking an unanswered refund request failed');
    }
  }
  return counts;
}

/** One checked request, in its own transaction: the answer recorded, then the request settled if the answer says so. */
async function settleFromAnswer(tx: Tx, ctx: AuditContext, id: string, outcome: QueryOutcome, now: Date, giveUpMs: number): Promise<'confirmed' | 'refused' | 'expired' | 'open'> {
  const rq0 = await tx.selectFrom('paymentRefundRequests').select('paymentId').where('id', '=', id).executeTakeFirstOrThrow();
  const { p, rq } = await lockRefundRequest(tx, rq0.paymentId, { id });
  await tx.insertInto('paymentGatewayEvents').values({
    paymentId: p.id, reference: p.reference, kind: 'querydr', answer: outcome.kind,
    params: JSON.stringify({ refundRequestId: rq.requestId, ...(outcome.kind === 'unknown' ? { reason: outcome.reason, ...(outcome.raw ?? {}) } : outcome.raw) }),
  }).execute();
  // Settled meanwhile (an official, another run): the answer is kept, nothing else changes.
  if (!isOpen(rq)) return 'open';
  const [others, known] = await Promise.all([
    tx.selectFrom('paymentRefundRequests').select('amountVnd').where('paymentId', '=', p.id).where('id', '!=', rq.id).where('status', 'in', OPEN_REFUND_STATES).execute(),
    tx.selectFrom('paymentRefundRequests').select('gatewayTransactionNo').where('paymentId', '=', p.id).where('status', '=', 'confirmed').where('gatewayTransactionNo', 'is not', null).execute(),
  ]);
  const verdict = judgeRefundAnswer(
    outcome, { amountVnd: Number(rq.amountVnd), requestedAt: rq.requestedAt }, { amountVnd: Number(p.amountVnd) },
    others.map((o) => ({ amountVnd: Number(o.amountVnd) })), known.map((k) => k.gatewayTransactionNo!),
  );
  const noted = (o: RefundCheckOutcome, detail: string | null) =>
    tx.updateTable('paymentRefundRequests').set({ lastCheckOutcome: o, lastCheckDetail: detail?.slice(0, 500) ?? null }).where('id', '=', rq.id).execute();
  switch (verdict.kind) {
    case 'accepted': {
      await noted('accepted', `${verdict.transactionStatus} (${verdict.transactionType})`);
      await confirmRefundRequest(tx, ctx, p, rq, {
        via: 'querydr', responseCode: verdict.transactionStatus, transactionNo: verdict.transactionNo, reference: verdict.transactionNo, by: rq.requestedBy,
        details: { transactionStatus: verdict.transactionStatus, transactionType: verdict.transactionType },
      });
      return 'confirmed';
    }
    case 'refused':
      await noted('refused', `${verdict.transactionStatus} (${verdict.transactionType})`);
      await closeRefundRequest(tx, ctx, p, rq, {
        status: 'failed', via: 'querydr', action: 'payment.refund_refused', responseCode: verdict.transactionStatus,
        note: `VNPay từ chối hoàn tiền (trạng thái ${verdict.transactionStatus})`, details: { transactionStatus: verdict.transactionStatus },
      });
      return 'refused';
    case 'no_refund':
      await noted('no_refund', null);
      if (now.getTime() - rq.requestedAt.getTime() < giveUpMs) return 'open';
      await closeRefundRequest(tx, ctx, p, rq, {
        status: 'expired', via: 'querydr', action: 'payment.refund_request_expired',
        note: 'VNPay không ghi nhận khoản hoàn này sau thời gian chờ', details: { checks: rq.checkCount },
      });
      return 'expired';
    default:
      await noted(verdict.kind, verdict.detail);
      return 'open';
  }
}
