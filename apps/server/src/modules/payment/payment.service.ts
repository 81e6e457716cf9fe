/**
 * Payments of a dossier's fees. A payment covers some fee items and is settled exactly once:
 * the pending → paid update is conditional, so of any number of concurrent notifications one
 * wins and writes the receipt and the audit event; the others see it already settled.
 */
import { sql, type Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { PaymentsTable } from '../../db/schema.ts';
import { conflict } from '../../http/errors.ts';
import type { RedirectGateway } from '../../adapters/payment/index.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import { vndOf, type FeeRow } from './fees.ts';

export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentState = PaymentRow['status'];

/** What the payment module needs, handed over by app.ts. */
export interface PaymentDeps {
  db: Db;
  config: Config;
  /** VNPay (real or sandbox endpoint); null when online payment is not configured. */
  gateway: RedirectGateway | null;
  log: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void; info: (o: object, m: string) => void };
}

/** Dossier states in which money may be taken. */
export const PAYABLE_STATES = ['submitted', 'awaiting_supplement_before_reception', 'processing', 'waiting_supplement', 'approved', 'result_ready'];

export const notPayable = () =>
  conflict('dossier_not_payable', {
    vi: 'Hồ sơ ở trạng thái này không nhận thanh toán (chưa nộp, hoặc đã kết thúc).',
    en: 'The dossier does not take payments in its current state (not submitted yet, or finished).',
  });

export const paymentInProgress = (minutes: number) =>
  conflict('payment_in_progress', {
    vi: `Đang có một giao dịch thanh toán trực tuyến chưa hoàn tất cho các khoản phí này. Vui lòng hoàn tất giao dịch đó hoặc thử lại sau khoảng ${minutes} phút.`,
    en: `An online payment for these fees is still open. Finish it, or try again in about ${minutes} minutes.`,
  });

export const paymentBeingVerified = () =>
  conflict('payment_being_verified', {
    vi: 'Giao dịch thanh toán trước đó đang được đối soát với ngân hàng. Vui lòng thử lại sau ít phút; bạn sẽ không bị thu tiền hai lần.',
    en: 'The previous payment is being checked with the gateway. Please retry in a few minutes; you will not be charged twice.',
  });

/** yyMMdd in GMT+7. */
export function localDay6(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(2, 10).replace(/-/g, '');
}

/** A new reference: [prefix] + yyMMdd + an 8-digit number from a sequence (unique for ever, so per day). */
export async function nextReference(tx: DbOrTx, prefix: '' | 'QR' | 'TM', now = new Date()): Promise<string> {
  const r = await sql<{ n: string }>`SELECT nextval('payment_reference_seq')::text AS n`.execute(tx);
  return `${prefix}${localDay6(now)}${r.rows[0]!.n.padStart(8, '0')}`;
}

/** The signed VNPay parameters a payment's URL carried (stored as their query string). */
export function requestParams(p: Pick<PaymentRow, 'request' | 'method'>): Record<string, string> {
  return p.method === 'vnpay' && p.request ? Object.fromEntries(new URLSearchParams(p.request)) : {};
}

/** Inserts a payment for `fees` (pending unless settled right after by the caller). */
export async function createPayment(tx: Tx, p: {
  dossierId: string; agencyId: string; method: PaymentRow['method']; reference: string; fees: FeeRow[]; createdBy: string | null;
  gateway?: RedirectGateway['id'] | null; terminalCode?: string | null; gatewayCreateDate?: string | null; request?: string | null; expiresAt?: Date | null;
}): Promise<PaymentRow> {
  const amount = p.fees.reduce((s, f) => s + vndOf(f.amountVnd), 0);
  const row = await tx.insertInto('payments').values({
    dossierId: p.dossierId, agencyId: p.agencyId, method: p.method, status: 'pending', amountVnd: amount,
    paidOnline: p.method !== 'cash', reference: p.reference, gateway: p.gateway ?? null, terminalCode: p.terminalCode ?? null,
    gatewayCreateDate: p.gatewayCreateDate ?? null, request: p.request ? JSON.stringify(p.request) : null, expiresAt: p.expiresAt ?? null,
    createdBy: p.createdBy, paidAt: null, settledVia: null, gatewayTxnNo: null, bankCode: null, responseCode: null, transactionStatus: null, lastQueryAt: null,
  }).returningAll().executeTakeFirstOrThrow();
  await tx.insertInto('paymentItems').values(p.fees.map((f) => ({ paymentId: row.id, dossierFeeId: f.id, amountVnd: f.amountVnd }))).execute();
  return row;
}

export interface Settlement {
  via: NonNullable<PaymentRow['settledVia']>;
  gatewayTxnNo?: string | null;
  bankCode?: string | null;
  responseCode?: string | null;
  transactionStatus?: string | null;
}

export interface Settled {
  payment: PaymentRow;
  receipt: { id: string; code: string };
  overpaidVnd: number;
}

/**
 * Marks a payment paid, once: the update only happens from one of `from` (normally `pending`),
 * so among concurrent callers exactly one gets a result and the others get null. In the same
 * transaction it credits the fee items still open (the rest of the amount is overpaid, to
 * refund), issues the receipt and writes the audit event.
 */
export async function settlePayment(tx: Tx, p: PaymentRow, s: Settlement, ctx: AuditContext, from: PaymentState[] = ['pending']): Promise<Settled | null> {
  const now = new Date();
  const updated = await tx.updateTable('payments').set({
    status: 'paid', paidAt: now, settledVia: s.via, updatedAt: now,
    ...(s.gatewayTxnNo !== undefined ? { gatewayTxnNo: s.gatewayTxnNo } : {}),
    ...(s.bankCode !== undefined ? { bankCode: s.bankCode } : {}),
    ...(s.responseCode !== undefined ? { responseCode: s.responseCode } : {}),
    ...(s.transactionStatus !== undefined ? { transactionStatus: s.transactionStatus } : {}),
  }).where('id', '=', p.id).where('status', 'in', from).returningAll().executeTakeFirst();
  if (!updated) return null;
  const items = await tx.selectFrom('paymentItems as i').innerJoin('dossierFees as f', 'f.id', 'i.dossierFeeId')
    .select(['f.id', 'f.name', 'i.amountVnd']).where('i.paymentId', '=', p.id).orderBy('f.sortOrder').execute();
  const credited = items.length === 0 ? [] : await tx.updateTable('dossierFees').set({ paymentId: p.id, settledAt: now })
    .where('id', 'in', items.map((i) => i.id)).where('paymentId', 'is', null).where('exemptedAt', 'is', null).returning('id').execute();
  const creditedIds = new Set(credited.map((c) => c.id));
  const overpaid = items.filter((i) => !creditedIds.has(i.id)).reduce((sum, i) => sum + vndOf(i.amountVnd), 0);
  if (overpaid > 0) await tx.updateTable('payments').set({ overpaidVnd: overpaid }).where('id', '=', p.id).execute();
  const receipt = await issueReceipt(tx, updated, items.map((i) => ({ name: i.name, amountVnd: vndOf(i.amountVnd) })));
  await writeAudit(tx, ctx, {
    action: 'payment.paid', objectType: 'payment', objectId: p.id,
    details: { dossierId: p.dossierId, method: p.method, amountVnd: vndOf(p.amountVnd), via: s.via, reference: p.reference, receipt: receipt.code, overpaidVnd: overpaid },
  });
  return { payment: { ...updated, overpaidVnd: String(overpaid) }, receipt, overpaidVnd: overpaid };
}

/** The receipt of a settled payment, numbered per agency and year (one per payment: unique key). */
async function issueReceipt(tx: Tx, p: PaymentRow, items: { name: string; amountVnd: number }[]): Promise<{ id: string; code: string }> {
  const year = new Date(p.paidAt!.getTime() + 7 * 3_600_000).getUTCFullYear();
  const counter = await sql<{ last: number }>`
    INSERT INTO receipt_counters (agency_id, year, last) VALUES (${p.agencyId}, ${year}, 1)
    ON CONFLICT (agency_id, year) DO UPDATE SET last = receipt_counters.last + 1
    RETURNING last`.execute(tx);
  const number = counter.rows[0]!.last;
  const [agency, dossier] = await Promise.all([
    tx.selectFrom('agencies').select('code').where('id', '=', p.agencyId).executeTakeFirstOrThrow(),
    tx.selectFrom('dossiers').select('applicantName').where('id', '=', p.dossierId).executeTakeFirstOrThrow(),
  ]);
  const code = `BL${year}-${agency.code}-${String(number).padStart(7, '0')}`;
  return tx.insertInto('receipts').values({
    paymentId: p.id, agencyId: p.agencyId, year, number, code, issuedAt: p.paidAt!, payerName: dossier.applicantName,
    amountVnd: p.amountVnd, method: p.method, items: JSON.stringify(items),
  }).returning(['id', 'code']).executeTakeFirstOrThrow();
}

/** Payments of a dossier still open (pending), newest first, locked for the caller's transaction. */
export async function openPayments(tx: Tx, dossierId: string): Promise<(PaymentRow & { feeIds: string[] })[]> {
  const rows = await tx.selectFrom('payments').selectAll().where('dossierId', '=', dossierId).where('status', '=', 'pending')
    .orderBy('createdAt', 'desc').forUpdate().execute();
  if (rows.length === 0) return [];
  const items = await tx.selectFrom('paymentItems').select(['paymentId', 'dossierFeeId']).where('paymentId', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => ({ ...r, feeIds: items.filter((i) => i.paymentId === r.id).map((i) => i.dossierFeeId) }));
}

/** Serialises payment starts on one dossier (two tabs, two clicks) without touching the dossier row. */
export async function lockDossierPayments(tx: Tx, dossierId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('motcua.payments'), hashtext(${dossierId}))`.execute(tx);
}

export const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
export const overlaps = (a: string[], b: string[]) => a.some((x) => b.includes(x));

/** Cancels open VietQR payments for any of `feeIds`: a transfer that still arrives is credited anyway (or refunded). */
export async function cancelOpenTransfers(tx: Tx, open: (PaymentRow & { feeIds: string[] })[], feeIds: string[], ctx: AuditContext): Promise<void> {
  for (const p of open.filter((x) => x.method === 'vietqr' && overlaps(x.feeIds, feeIds))) {
    const r = await tx.updateTable('payments').set({ status: 'cancelled', updatedAt: new Date() }).where('id', '=', p.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
    if (r) await writeAudit(tx, ctx, { action: 'payment.cancelled', objectType: 'payment', objectId: p.id, details: { dossierId: p.dossierId, reason: 'replaced' } });
  }
}

/**
 * Refuses a new payment while an online one for the same items may still be paid: unexpired
 * (409 in progress, or the same one resumed by the caller) or expired but not yet confirmed
 * unpaid by QueryDR (409 being verified).
 */
export function assertNoOpenOnline(open: (PaymentRow & { feeIds: string[] })[], feeIds: string[], now: Date): void {
  for (const p of open) {
    if (p.method !== 'vnpay' || !overlaps(p.feeIds, feeIds)) continue;
    if (p.expiresAt && p.expiresAt > now) throw paymentInProgress(Math.max(1, Math.ceil((p.expiresAt.getTime() - now.getTime()) / 60_000)));
    throw paymentBeingVerified();
  }
}
