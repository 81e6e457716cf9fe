import { z } from 'zod';

/**
 * Payments of fees (phí, lệ phí) on dossiers: what is due, VNPay and VietQR payments, cash at
 * the counter, exemptions, e-receipts (biên lai điện tử), refunds, bank statements and the daily
 * reconciliation. Amounts are whole VND.
 */

const Bilingual = z.object({ vi: z.string(), en: z.string() });
const Vnd = z.number().int().min(0);

/** The point a dossier cannot pass with the item unpaid. */
export const FeeDueStage = z.enum(['before_reception', 'before_processing', 'before_result']);
export type FeeDueStage = z.infer<typeof FeeDueStage>;

export const PaymentMethod = z.enum(['vnpay', 'vietqr', 'cash']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** pending → paid (once), or failed, expired (QueryDR found it never paid), cancelled. */
export const PaymentStatus = z.enum(['pending', 'paid', 'failed', 'expired', 'cancelled']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** One fee item owed on a dossier (copied from its procedure at submission or when first asked). */
export const DossierFee = z.object({
  id: z.string(),
  name: z.string(),
  amountVnd: Vnd,
  payableOnline: z.boolean(),
  when: FeeDueStage,
  /** due: still to pay; paid: settled by `paymentId`; exempted: lifted by an official; free: 0 ₫. */
  status: z.enum(['due', 'paid', 'exempted', 'free']),
  paymentId: z.string().nullable(),
  settledAt: z.string().nullable(),
  exemption: z.object({ reason: z.string(), at: z.string() }).nullable(),
});
export type DossierFee = z.infer<typeof DossierFee>;

export const ReceiptRef = z.object({
  id: z.string(),
  /** Receipt number as printed (BL{year}-{agency code}-{number}). */
  code: z.string(),
  issuedAt: z.string(),
  /** GET this for the PDF (the applicant, and officials of the dossier's agencies). */
  url: z.string(),
});
export type ReceiptRef = z.infer<typeof ReceiptRef>;

export const Payment = z.object({
  id: z.string(),
  dossierId: z.string(),
  dossierCode: z.string().nullable(),
  agencyId: z.string(),
  method: PaymentMethod,
  status: PaymentStatus,
  amountVnd: Vnd,
  /** Paid through an online channel (VNPay or bank transfer): national index 3.6. */
  paidOnline: z.boolean(),
  /** vnp_TxnRef (VNPay), the transfer reference (VietQR), the counter reference (cash). */
  reference: z.string(),
  gateway: z.enum(['vnpay', 'sandbox']).nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  settledVia: z.enum(['ipn', 'querydr', 'counter', 'statement', 'review']).nullable(),
  feeIds: z.array(z.string()),
  /** Part of the amount that settled nothing (paid twice, or exempted meanwhile): to refund. */
  overpaidVnd: Vnd,
  refundedVnd: Vnd,
  receipt: ReceiptRef.nullable(),
});
export type Payment = z.infer<typeof Payment>;

/** `GET /api/v1/dossiers/{id}/payments`: what the dossier page shows about money. */
export const DossierPayments = z.object({
  dossierId: z.string(),
  dossierCode: z.string().nullable(),
  fees: z.array(DossierFee),
  totals: z.object({
    totalVnd: Vnd,
    /** Still to pay (not paid, not exempted). */
    dueVnd: Vnd,
    /** Of which payable online. */
    dueOnlineVnd: Vnd,
    paidVnd: Vnd,
    exemptedVnd: Vnd,
  }),
  /** The next step the dossier cannot take until these are paid, if any. */
  blocking: z.object({ stage: FeeDueStage, action: z.enum(['receive', 'forward', 'return_result']), dueVnd: Vnd, feeIds: z.array(z.string()) }).nullable(),
  /** Which ways to pay are offered (configuration) and whether the dossier accepts payments now. */
  methods: z.object({ vnpay: z.boolean(), vietqr: z.boolean(), acceptsPayments: z.boolean() }),
  /** An unfinished VNPay payment to resume (same URL until it expires). */
  pending: z.object({ payment: Payment, redirectUrl: z.string().nullable() }).nullable(),
  /** Every payment, newest first, with receipts. */
  payments: z.array(Payment),
});
export type DossierPayments = z.infer<typeof DossierPayments>;

/** Body of `POST /api/v1/dossiers/{id}/payments/vnpay` (send an Idempotency-Key). */
export const StartVnpayBody = z.strictObject({
  /** Which due items to pay; default every due item payable online. */
  feeIds: z.array(z.uuid()).min(1).max(50).optional(),
  /** Language of the gateway's page. */
  locale: z.enum(['vi', 'en']).optional(),
  /** Preselect a bank at the gateway (vnp_BankCode). */
  bankCode: z.string().regex(/^[A-Z0-9]{2,20}$/).optional(),
});
export type StartVnpayBody = z.infer<typeof StartVnpayBody>;

export const StartedVnpay = z.object({
  payment: Payment,
  /** Send the browser here (window.location); the gateway comes back to the return page. */
  redirectUrl: z.string(),
  /** True when an unfinished payment for the same items was resumed instead of a new one. */
  resumed: z.boolean(),
});
export type StartedVnpay = z.infer<typeof StartedVnpay>;

/** Body of `POST /api/v1/dossiers/{id}/payments/vietqr` (send an Idempotency-Key). */
export const StartVietQrBody = z.strictObject({ feeIds: z.array(z.uuid()).min(1).max(50).optional() });
export type StartVietQrBody = z.infer<typeof StartVietQrBody>;

export const VietQrTransfer = z.object({
  payment: Payment,
  qr: z.object({
    /** EMVCo payload (NAPAS 247), for apps that draw their own code. */
    payload: z.string(),
    /** The same as an SVG image. */
    svg: z.string(),
    bankBin: z.string(),
    accountNo: z.string(),
    accountName: z.string(),
    amountVnd: Vnd,
    /** Transfer text the citizen must keep: the dossier code, or the payment reference before reception. */
    purpose: z.string(),
  }),
});
export type VietQrTransfer = z.infer<typeof VietQrTransfer>;

/** Body of `POST /api/v1/dossiers/{id}/payments/cash` (reception officers; send an Idempotency-Key). */
export const CashPaymentBody = z.strictObject({
  feeIds: z.array(z.uuid()).min(1).max(50).optional(),
  /** The amount counted: must equal the items' total exactly. */
  amountVnd: z.number().int().positive(),
});
export type CashPaymentBody = z.infer<typeof CashPaymentBody>;

/** Body of `POST /api/v1/dossiers/{id}/fee-exemptions`. */
export const FeeExemptionBody = z.strictObject({
  feeIds: z.array(z.uuid()).min(1).max(50),
  /** Legal ground or category of person (e.g. hộ nghèo, người có công). */
  reason: z.string().trim().min(5).max(2000),
});
export type FeeExemptionBody = z.infer<typeof FeeExemptionBody>;

/** Body of `POST /api/v1/payments/{id}/refunds`. */
export const RefundBody = z.strictObject({
  amountVnd: z.number().int().positive(),
  reason: z.string().trim().min(5).max(2000),
  /** The bank's or gateway's reference of the refund. */
  reference: z.string().trim().min(1).max(100).optional(),
  /**
   * VNPay payments: ask the gateway to refund (its refund API) before recording. Default true for
   * a payment made through the gateway; false records money given back some other way.
   */
  viaGateway: z.boolean().optional(),
});
export type RefundBody = z.infer<typeof RefundBody>;

export const Refund = z.object({
  id: z.string(), paymentId: z.string(), amountVnd: Vnd, reason: z.string(), reference: z.string().nullable(), refundedAt: z.string(),
  /** Set when the gateway refunded it: its answer and transaction number. */
  gateway: z.object({ requestId: z.string(), responseCode: z.string(), transactionNo: z.string().nullable() }).nullable().optional(),
});
export type Refund = z.infer<typeof Refund>;

/** `GET /api/v1/payments/vnpay/return?…`: what the return page shows. Display only: it changes nothing. */
export const VnpayReturnCheck = z.object({
  /** False for a forged or altered URL: show nothing from it. */
  signatureValid: z.boolean(),
  /** What the gateway said about the payment (only when the signature is valid). */
  gatewayOutcome: z.enum(['success', 'failed', 'unknown']),
  paymentId: z.string().nullable(),
  dossierId: z.string().nullable(),
  /** Our record, which only the IPN or reconciliation changes: may still be pending for a moment. */
  status: PaymentStatus.nullable(),
  amountVnd: Vnd.nullable(),
  receipt: ReceiptRef.nullable(),
  message: Bilingual,
});
export type VnpayReturnCheck = z.infer<typeof VnpayReturnCheck>;

/** VNPay's IPN answer contract. */
export const VnpayIpnAnswer = z.object({ RspCode: z.enum(['00', '01', '02', '04', '97', '99']), Message: z.string() });
export type VnpayIpnAnswer = z.infer<typeof VnpayIpnAnswer>;

/** A payment in the staff list, with the dossier it pays for. */
export const StaffPayment = Payment.extend({
  procedureName: z.string(),
  applicantName: z.string(),
  /** Money given back on this payment, oldest first (their sum is `refundedVnd`). */
  refunds: z.array(Refund),
});
export type StaffPayment = z.infer<typeof StaffPayment>;

export const StaffPaymentsQuery = z.object({
  agencyId: z.uuid().optional(),
  /** Local dates (GMT+7), inclusive; on the payment's creation (or payment, with `by=paid`). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  by: z.enum(['created', 'paid']).default('created'),
  status: PaymentStatus.optional(),
  method: PaymentMethod.optional(),
  /** Only payments with money to give back (overpaid beyond what was refunded). */
  refundDue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Part of the payment reference, the dossier code or the applicant's name. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type StaffPaymentsQuery = z.infer<typeof StaffPaymentsQuery>;

export const StaffPaymentList = z.object({
  items: z.array(StaffPayment),
  total: z.number(),
  /** Over the whole filtered set, not just this page. */
  sums: z.object({ amountVnd: Vnd, paidVnd: Vnd, paidOnlineVnd: Vnd, refundedVnd: Vnd }),
});
export type StaffPaymentList = z.infer<typeof StaffPaymentList>;

export const StatementRowStatus = z.enum(['matched', 'unmatched', 'resolved', 'dismissed', 'duplicate', 'ignored']);

/** Answer of `POST /api/v1/staff/bank-statements` (multipart: agencyId field, then the .csv/.xlsx file). */
export const StatementImportResult = z.object({
  importId: z.string().nullable(),
  total: z.number(),
  matched: z.number(),
  unmatched: z.number(),
  duplicates: z.number(),
  /** Debits and rows without an amount are ignored. */
  ignored: z.number(),
  rows: z.array(z.object({
    rowNo: z.number(),
    status: StatementRowStatus,
    amountVnd: z.number().nullable(),
    description: z.string(),
    paymentId: z.string().nullable(),
    dossierCode: z.string().nullable(),
    reason: Bilingual.nullable(),
  })),
});
export type StatementImportResult = z.infer<typeof StatementImportResult>;

export const UnmatchedTransfer = z.object({
  id: z.string(),
  importId: z.string(),
  rowNo: z.number(),
  bookedOn: z.string().nullable(),
  amountVnd: z.number(),
  description: z.string(),
  bankRef: z.string().nullable(),
  importedAt: z.string(),
  agencyId: z.string(),
});
export type UnmatchedTransfer = z.infer<typeof UnmatchedTransfer>;

export const UnmatchedTransferList = z.object({ items: z.array(UnmatchedTransfer), total: z.number(), sumVnd: z.number() });
export type UnmatchedTransferList = z.infer<typeof UnmatchedTransferList>;

/** Body of `POST /api/v1/staff/bank-statements/rows/{id}/resolve`. */
export const ResolveTransferBody = z.strictObject({
  /** match: settle a pending VietQR payment (or the due items of a dossier) with this transfer; dismiss: set it aside. */
  action: z.enum(['match', 'dismiss']),
  paymentId: z.uuid().optional(),
  dossierId: z.uuid().optional(),
  note: z.string().trim().min(3).max(1000),
});
export type ResolveTransferBody = z.infer<typeof ResolveTransferBody>;

/** Answer of `POST /api/v1/staff/bank-statements/rows/{id}/resolve`. */
export const ResolvedTransfer = UnmatchedTransfer.extend({ status: z.string(), paymentId: z.string().nullable() });
export type ResolvedTransfer = z.infer<typeof ResolvedTransfer>;

/**
 * `GET /api/v1/staff/bank-statements/rows/{id}/candidates?q=…`: what an unmatched transfer may
 * pay for, in the statement's agencies: open VietQR payments of exactly its amount, and dossiers
 * whose due fees add up to exactly its amount.
 */
export const TransferCandidate = z.object({
  kind: z.enum(['payment', 'dossier']),
  /** The open VietQR payment (kind `payment`); send it as `paymentId`. */
  paymentId: z.string().nullable(),
  /** Send it as `dossierId` (kind `dossier`). */
  dossierId: z.string(),
  dossierCode: z.string().nullable(),
  applicantName: z.string(),
  procedureName: z.string(),
  /** The payment's amount, or what the dossier owes. */
  amountVnd: Vnd,
  reference: z.string().nullable(),
  /** When the payment was started, or the dossier submitted. */
  at: z.string().nullable(),
});
export type TransferCandidate = z.infer<typeof TransferCandidate>;

export const TransferCandidateList = z.object({ items: z.array(TransferCandidate) });
export type TransferCandidateList = z.infer<typeof TransferCandidateList>;

/** `GET /api/v1/staff/payments/report/export`: the daily reconciliation as a file. */
export const DailyReportExportQuery = z.object({
  date: z.iso.date(),
  agencyId: z.uuid().optional(),
  /** xlsx: a summary sheet and the day's payments; csv: the summary per agency (UTF-8 with BOM). */
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
export type DailyReportExportQuery = z.infer<typeof DailyReportExportQuery>;

export const ReconcileResult = z.object({ checked: z.number(), settled: z.number(), closed: z.number(), unknown: z.number() });
export type ReconcileResult = z.infer<typeof ReconcileResult>;

const Tally = z.object({ count: z.number(), amountVnd: Vnd });

/** `GET /api/v1/staff/payments/report?date=…`: one day's reconciliation (GMT+7), per agency in scope. */
export const DailyReconciliation = z.object({
  date: z.string(),
  agencies: z.array(z.object({
    agencyId: z.string(),
    agencyCode: z.string(),
    agencyName: z.string(),
    /** Settled that day, by method (cash, VNPay, VietQR). */
    paid: z.object({ vnpay: Tally, vietqr: Tally, cash: Tally, total: Tally, online: Tally }),
    /** How the settled payments were proven. */
    settledVia: z.record(z.string(), z.number()),
    refunds: Tally,
    overpaid: Tally,
    /** Created that day and still pending at the end of it. */
    pendingAtEndOfDay: Tally,
    failed: Tally,
    expired: Tally,
    receiptsIssued: z.number(),
  })),
  totals: z.object({ paid: Tally, online: Tally, refunds: Tally, pendingAtEndOfDay: Tally }),
  unmatchedTransfers: Tally,
  /** QueryDR runs that day. */
  gatewayChecks: z.object({ runs: z.number(), checked: z.number(), settled: z.number(), closed: z.number(), unknown: z.number(), dailySweepDone: z.boolean() }),
});
export type DailyReconciliation = z.infer<typeof DailyReconciliation>;

/**
 * A refund asked of VNPay (its refund API): requested (call in flight or answer lost) and unknown
 * (no usable answer) hold the amount until settled; confirmed (the refund is recorded); failed
 * (refused, or found not applied); expired (VNPay still showed no refund after the give-up window).
 */
export const RefundRequestStatus = z.enum(['requested', 'confirmed', 'failed', 'unknown', 'expired']);
export type RefundRequestStatus = z.infer<typeof RefundRequestStatus>;

/**
 * What the last automatic QueryDR check of an unanswered refund concluded: no_answer (timeout,
 * bad signature…), no_refund (the payment shown untouched), accepted (05/06), refused (09),
 * mismatch (another type or amount), ambiguous (several open requests could match), not_found.
 */
export const RefundCheckOutcome = z.enum(['no_answer', 'no_refund', 'accepted', 'refused', 'mismatch', 'ambiguous', 'not_found']);
export type RefundCheckOutcome = z.infer<typeof RefundCheckOutcome>;

/** A refund request VNPay has not answered, as `GET /api/v1/staff/payments/refund-requests` lists it. */
export const PendingRefundRequest = z.object({
  id: z.string(),
  /** vnp_RequestId: the key of the resolve route and of VNPay's merchant portal. */
  requestId: z.string(),
  paymentId: z.string(),
  paymentReference: z.string(),
  paymentAmountVnd: Vnd,
  dossierId: z.string(),
  dossierCode: z.string().nullable(),
  applicantName: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  amountVnd: Vnd,
  reason: z.string(),
  status: z.enum(['requested', 'unknown']),
  requestedAt: z.string(),
  requestedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** What the refund call itself got back (e.g. "transport: timeout", "HTTP 504"). */
  firstAnswer: z.string().nullable(),
  checks: z.object({
    count: z.number().int(),
    lastAt: z.string().nullable(),
    lastOutcome: RefundCheckOutcome.nullable(),
    lastDetail: z.string().nullable(),
    nextAt: z.string().nullable(),
  }),
  /** Whether the caller may settle it (payment.manage over its agency). */
  canResolve: z.boolean(),
});
export type PendingRefundRequest = z.infer<typeof PendingRefundRequest>;

export const PendingRefundRequestsQuery = z.object({
  agencyId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PendingRefundRequestsQuery = z.infer<typeof PendingRefundRequestsQuery>;

export const PendingRefundRequestList = z.object({ items: z.array(PendingRefundRequest), total: z.number() });
export type PendingRefundRequestList = z.infer<typeof PendingRefundRequestList>;

/** Body of `POST /api/v1/payments/{id}/refund-requests/{requestId}/resolve`. */
export const ResolveRefundRequestBody = z.strictObject({
  /** True: VNPay's portal shows the refund (it is recorded now); false: it was not applied (the amount is freed). */
  refunded: z.boolean(),
  /** What the gateway's portal shows, or why it was not refunded. */
  note: z.string().trim().min(5).max(500),
  /** VNPay's refund transaction number, when refunded. */
  reference: z.string().trim().min(1).max(100).optional(),
  /** Stale check: the `checks.count` the official saw; 409 refund_request_changed when it was checked again since. */
  expectedCheckCount: z.number().int().min(0).optional(),
});
export type ResolveRefundRequestBody = z.infer<typeof ResolveRefundRequestBody>;

export const ResolvedRefundRequest = z.object({ status: z.enum(['confirmed', 'failed']), refund: Refund.nullable() });
export type ResolvedRefundRequest = z.infer<typeof ResolvedRefundRequest>;
