/**
 * What the gateway tells us: the IPN (the only proof of an online payment), the return URL
 * (display only) and QueryDR reconciliation of payments whose IPN never came.
 */
import { sql } from 'kysely';
import { amountMatches, type QueryOutcome } from '../../adapters/payment/index.ts';
import type { Tx } from '../../db/database.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import { requestParams, settlePayment, type PaymentDeps, type PaymentRow } from './payment.service.ts';
import { checkUnansweredRefunds } from './refunds.service.ts';

export interface IpnAnswer {
  RspCode: '00' | '01' | '02' | '04' | '97' | '99';
  Message: string;
}

/** VNPay's answers (the wording of its own integration guide). */
export const IPN = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  badAmount: { RspCode: '04', Message: 'Invalid amount' },
  badChecksum: { RspCode: '97', Message: 'Invalid signature' },
  unknown: { RspCode: '99', Message: 'Unknown error' },
} as const satisfies Record<string, IpnAnswer>;

const IPN_ACTOR = 'Cổng thanh toán (IPN)';

/** Tests only (config refuses it elsewhere): die like `kill -9` at a chosen point around the commit. */
function failpoint(deps: PaymentDeps, at: 'ipn_before_commit' | 'ipn_after_commit'): void {
  if (deps.config.PAYMENT_FAILPOINT === at && deps.config.NODE_ENV === 'test') process.kill(process.pid, 'SIGKILL');
}

/**
 * Handles an IPN, checking in VNPay's order: 97 signature (or a required parameter missing),
 * 01 unknown order, 04 amount not exactly ours × 100, 02 already settled, then 00 (paid only when
 * both vnp_ResponseCode and vnp_TransactionStatus are 00, otherwise recorded as failed); 99 when
 * anything throws. Never throws itself.
 */
export async function handleIpn(deps: PaymentDeps, query: Record<string, unknown>, ctx: Omit<AuditContext, 'actorId' | 'actorName'>): Promise<IpnAnswer> {
  const gateway = deps.gateway;
  if (!gateway) return IPN.unknown;
  let check;
  try {
    check = gateway.verifyCallback(query);
  } catch (err) {
    deps.log.error({ err }, 'IPN verification failed');
    return IPN.unknown;
  }
  if (!check.ok) {
    deps.log.warn({ reason: check.reason, ip: ctx.ip }, 'IPN refused (97)');
    return IPN.badChecksum;
  }
  const p = check.params;
  const audit: AuditContext = { ...ctx, actorId: null, actorName: IPN_ACTOR };
  try {
    const answer = await deps.db.transaction().execute(async (tx): Promise<IpnAnswer> => {
      const pay = await tx.selectFrom('payments').selectAll().where('reference', '=', p.vnp_TxnRef!).where('method', '=', 'vnpay').executeTakeFirst();
      const answered = async (a: IpnAnswer) => {
        await tx.insertInto('paymentGatewayEvents').values({ paymentId: pay?.id ?? null, reference: p.vnp_TxnRef!.slice(0, 100), kind: 'ipn', answer: a.RspCode, params: JSON.stringify(p) }).execute();
        return a;
      };
      if (!pay || pay.terminalCode !== p.vnp_TmnCode) return answered(IPN.notFound);
      if (!amountMatches(p.vnp_Amount!, pay.amountVnd)) return answered(IPN.badAmount);
      const paid = p.vnp_ResponseCode === '00' && p.vnp_TransactionStatus === '00';
      const facts = { gatewayTxnNo: p.vnp_TransactionNo || null, bankCode: p.vnp_BankCode || null, responseCode: p.vnp_ResponseCode!, transactionStatus: p.vnp_TransactionStatus! };
      if (paid) {
        // Money taken is credited even on a payment we had given up on (cancelled, expired).
        const settled = await settlePayment(tx, pay, { via: 'ipn', ...facts }, audit, ['pending', 'expired', 'cancelled']);
        if (!settled) return answered(IPN.alreadyConfirmed);
      } else {
        const failed = await tx.updateTable('payments').set({ status: 'failed', ...facts, updatedAt: new Date() })
          .where('id', '=', pay.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
        if (!failed) return answered(IPN.alreadyConfirmed);
        await writeAudit(tx, audit, { action: 'payment.failed', objectType: 'payment', objectId: pay.id, details: { dossierId: pay.dossierId, reference: pay.reference, responseCode: facts.responseCode, transactionStatus: facts.transactionStatus } });
      }
      const a = await answered(IPN.ok);
      failpoint(deps, 'ipn_before_commit');
      return a;
    });
    if (answer.RspCode === '00') failpoint(deps, 'ipn_after_commit');
    return answer;
  } catch (err) {
    deps.log.error({ err, reference: p.vnp_TxnRef }, 'IPN failed (99)');
    return IPN.unknown;
  }
}

/** What QueryDR showed; null when nothing may change (unknown, or still inside its expiry). */
export async function applyQueryOutcome(tx: Tx, pay: PaymentRow, outcome: QueryOutcome, ctx: AuditContext, now = new Date()): Promise<'settled' | 'closed' | 'unchanged'> {
  await tx.insertInto('paymentGatewayEvents').values({
    paymentId: pay.id, reference: pay.reference, kind: 'querydr', answer: outcome.kind,
    params: JSON.stringify(outcome.kind === 'unknown' ? { reason: outcome.reason, ...(outcome.raw ?? {}) } : outcome.raw),
  }).execute();
  switch (outcome.kind) {
    case 'paid': {
      if (!amountMatches(outcome.amountX100, pay.amountVnd)) {
        // A paid amount that is not ours is for a person to look at, never to credit.
        await writeAudit(tx, ctx, { action: 'payment.amount_mismatch', objectType: 'payment', objectId: pay.id, details: { reference: pay.reference, gatewayAmount: outcome.amountX100 } });
        return 'unchanged';
      }
      const s = await settlePayment(tx, pay, { via: 'querydr', gatewayTxnNo: outcome.transactionNo, bankCode: outcome.bankCode, responseCode: '00', transactionStatus: '00' }, ctx, ['pending', 'expired', 'cancelled']);
      return s ? 'settled' : 'unchanged';
    }
    case 'failed': {
      const r = await tx.updateTable('payments').set({ status: 'failed', responseCode: outcome.responseCode, transactionStatus: outcome.transactionStatus, updatedAt: now })
        .where('id', '=', pay.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
      if (r) await writeAudit(tx, ctx, { action: 'payment.failed', objectType: 'payment', objectId: pay.id, details: { via: 'querydr', transactionStatus: outcome.transactionStatus } });
      return r ? 'closed' : 'unchanged';
    }
    case 'not_found':
    case 'pending': {
      // Unpaid at the gateway and past its expiry: it can no longer be paid.
      if (!pay.expiresAt || pay.expiresAt > now) return 'unchanged';
      const r = await tx.updateTable('payments').set({ status: 'expired', updatedAt: now })
        .where('id', '=', pay.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
      if (r) await writeAudit(tx, ctx, { action: 'payment.expired', objectType: 'payment', objectId: pay.id, details: { via: 'querydr', gateway: outcome.kind } });
      return r ? 'closed' : 'unchanged';
    }
    // A refund: money was taken and (some of it) given back, nothing for the pending sweep to decide.
    case 'refund':
    case 'unknown':
      return 'unchanged';
  }
}

export interface ReconcileCounts {
  checked: number;
  settled: number;
  closed: number;
  unknown: number;
}

const RECONCILE_ACTOR = 'Đối soát tự động (QueryDR)';

/**
 * Asks the gateway about VNPay payments: each claimed by a conditional update of its
 * `last_query_at`, so several processes never ask twice for the same one at once. The gateway
 * call happens outside any transaction; a timeout or a bad answer changes nothing.
 */
export async function reconcilePayments(deps: PaymentDeps, select: { ids?: string[]; pendingOlderThan?: Date; createdBetween?: [Date, Date]; statuses?: PaymentRow['status'][]; limit?: number; minGapMs?: number }, ctx: AuditContext): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { checked: 0, settled: 0, closed: 0, unknown: 0 };
  const gateway = deps.gateway;
  if (!gateway) return counts;
  const gap = select.minGapMs ?? 60_000;
  const claimed = await sql<{ id: string }>`
    UPDATE payments SET last_query_at = now(), query_count = query_count + 1
    WHERE id IN (
      SELECT id FROM payments
      WHERE method = 'vnpay' AND gateway = ${gateway.id} AND terminal_code = ${gateway.terminalCode}
        AND status = ANY(${select.statuses ?? ['pending']}::text[])
        ${select.ids ? sql`AND id = ANY(${select.ids}::uuid[])` : sql``}
        ${select.pendingOlderThan ? sql`AND created_at < ${select.pendingOlderThan}` : sql``}
        ${select.createdBetween ? sql`AND created_at >= ${select.createdBetween[0]} AND created_at < ${select.createdBetween[1]}` : sql``}
        AND (last_query_at IS NULL OR last_query_at < now() - make_interval(secs => ${gap / 1000}))
      ORDER BY created_at
      LIMIT ${select.limit ?? 200}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`.execute(deps.db);
  for (const { id } of claimed.rows) {
    const pay = await deps.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!pay?.gatewayCreateDate) continue;
    counts.checked++;
    const request = requestParams(pay);
    const outcome = await gateway.queryTransaction({
      reference: pay.reference, orderInfo: request.vnp_OrderInfo ?? `Thanh toan ${pay.reference}`, transactionDate: pay.gatewayCreateDate, ipAddr: '127.0.0.1',
    });
    try {
      const r = await deps.db.transaction().execute((tx) => applyQueryOutcome(tx, pay, outcome, ctx));
      if (r === 'settled') counts.settled++;
      else if (r === 'closed') counts.closed++;
      else if (outcome.kind === 'unknown') counts.unknown++;
    } catch (err) {
      counts.unknown++;
      deps.log.error({ err, paymentId: id }, 'reconciliation of a payment failed');
    }
  }
  return counts;
}

async function recordRun(deps: PaymentDeps, kind: 'pending' | 'daily' | 'manual', counts: ReconcileCounts, day: string | null, runId?: string) {
  if (runId) {
    await deps.db.updateTable('paymentReconciliationRuns').set({ ...counts, finishedAt: new Date() }).where('id', '=', runId).execute();
    return;
  }
  if (counts.checked === 0 && kind === 'pending') return;
  await deps.db.insertInto('paymentReconciliationRuns').values({ kind, day, ...counts, finishedAt: new Date() }).execute();
}

/** Settles VNPay payments pending longer than PAYMENT_RECONCILE_AFTER_MINUTES. */
export async function reconcilePending(deps: PaymentDeps, now = new Date(), kind: 'pending' | 'manual' = 'pending'): Promise<ReconcileCounts> {
  const ctx: AuditContext = { actorId: null, actorName: RECONCILE_ACTOR, ip: null, requestId: null };
  const counts = await reconcilePayments(deps, {
    pendingOlderThan: new Date(now.getTime() - deps.config.PAYMENT_RECONCILE_AFTER_MINUTES * 60_000),
    minGapMs: kind === 'manual' ? 0 : Math.min(deps.config.PAYMENT_RECONCILE_EVERY_SECONDS * 1000, 15 * 60_000) / 2,
  }, ctx);
  await recordRun(deps, kind, counts, null);
  return counts;
}

/**
 * Once a day (the first run after PAYMENT_DAILY_SWEEP_HOUR, GMT+7; unique per day across
 * processes) every VNPay payment created the day before that is not paid is asked again:
 * pending, expired and cancelled ones, in case money arrived that no IPN reported.
 */
export async function dailySweep(deps: PaymentDeps, now = new Date()): Promise<ReconcileCounts | null> {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  if (local.getUTCHours() < deps.config.PAYMENT_DAILY_SWEEP_HOUR) return null;
  const todayStartUtc = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 7 * 3_600_000);
  const yesterdayStartUtc = new Date(todayStartUtc.getTime() - 86_400_000);
  const day = new Date(yesterdayStartUtc.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const claim = await deps.db.insertInto('paymentReconciliationRuns').values({ kind: 'daily', day })
    .onConflict((oc) => oc.column('day').where('kind', '=', 'daily').doNothing()).returning('id').executeTakeFirst();
  if (!claim) return null;
  const ctx: AuditContext = { actorId: null, actorName: RECONCILE_ACTOR, ip: null, requestId: null };
  const counts = await reconcilePayments(deps, { createdBetween: [yesterdayStartUtc, todayStartUtc], statuses: ['pending', 'expired', 'cancelled'], limit: 10_000, minGapMs: 0 }, ctx);
  await recordRun(deps, 'daily', counts, day, claim.id);
  return counts;
}

/**
 * Runs the pending reconciliation, the daily sweep and the check of refund requests VNPay did
 * not answer every `everyMs` until stopped.
 */
export function schedulePaymentReconciliation(deps: PaymentDeps, everyMs: number): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = reconcilePending(deps)
      .then(() => dailySweep(deps))
      .then(() => checkUnansweredRefunds(deps))
      .catch((err: unknown) => deps.log.error({ err }, 'payment reconciliation failed'))
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
