/**
 * Payment gateway port. Online card/bank payments go through a redirect gateway speaking the
 * VNPay protocol (the real VNPay, or the built-in sandbox at another URL: switching is
 * configuration); bank transfers through a VietQR code; cash needs no adapter.
 */

/** The gateway's verdict on a callback (IPN or return URL), before any business check. */
export type CallbackCheck =
  | { ok: true; params: Record<string, string> }
  | { ok: false; reason: 'missing_parameter' | 'bad_signature' | 'malformed' };

export interface PaymentUrlRequest {
  /** vnp_TxnRef: unique per day (ours are unique for ever). */
  reference: string;
  amountVnd: number;
  /** Plain ASCII without accents, as VNPay asks. */
  orderInfo: string;
  /** The citizen's IP address. */
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  locale: 'vn' | 'en';
  bankCode?: string;
}

/**
 * What QueryDR says about one transaction; `unknown` never settles anything. Once a transaction
 * has been refunded, VNPay describes its latest refund instead of the payment: `refund`, with
 * vnp_TransactionType 02 (whole) or 03 (part) and vnp_TransactionStatus 05 (VNPay is processing
 * the refund), 06 (sent to the bank) or 09 (refused); `amountX100` and `transactionNo` are then
 * the refund's when VNPay gives them (the amount may also be the original payment's).
 */
export type QueryOutcome =
  | { kind: 'paid'; amountX100: string; transactionNo: string | null; bankCode: string | null; payDate: string | null; raw: Record<string, string> }
  | { kind: 'refund'; transactionType: '02' | '03'; transactionStatus: string; amountX100: string; transactionNo: string | null; payDate: string | null; raw: Record<string, string> }
  | { kind: 'failed'; responseCode: string; transactionStatus: string; raw: Record<string, string> }
  | { kind: 'pending'; raw: Record<string, string> }
  | { kind: 'not_found'; raw: Record<string, string> }
  | { kind: 'unknown'; reason: string; raw?: Record<string, string> };

export interface QueryRequest {
  reference: string;
  orderInfo: string;
  /** vnp_CreateDate of the original payment URL (yyyyMMddHHmmss, GMT+7). */
  transactionDate: string;
  ipAddr: string;
}

export interface RefundRequest {
  /** vnp_RequestId: unique per request (also our refund request's key). */
  requestId: string;
  /** vnp_TxnRef of the payment. */
  reference: string;
  amountVnd: number;
  /** 02: the whole amount; 03: part of it. */
  whole: boolean;
  /** vnp_TransactionNo the gateway gave the payment ('0' when unknown). */
  transactionNo: string | null;
  /** vnp_CreateDate of the payment URL (yyyyMMddHHmmss, GMT+7). */
  transactionDate: string;
  /** Who asked (vnp_CreateBy): the official's name or id. */
  createdBy: string;
  orderInfo: string;
  ipAddr: string;
}

/** What the refund API answered; `unknown` (no usable answer) must be checked before retrying. */
export type RefundOutcome =
  | { kind: 'refunded'; transactionNo: string | null; responseCode: '00'; raw: Record<string, string> }
  | { kind: 'refused'; responseCode: string; message: string; raw: Record<string, string> }
  | { kind: 'unknown'; reason: string; raw?: Record<string, string> };

export interface RedirectGateway {
  /** Which endpoint this is (recorded on each payment). */
  readonly id: 'vnpay' | 'sandbox';
  readonly terminalCode: string;
  /** The signed URL the citizen's browser is sent to, and the parameters it carries (without the hash). */
  paymentUrl(req: PaymentUrlRequest): { url: string; params: Record<string, string> };
  /** Rebuilds the signed URL from stored parameters (the same URL while it has not expired). */
  urlFor(params: Record<string, string>): string;
  /** Checks a callback's parameters and signature (constant time). Changes nothing. */
  verifyCallback(query: Record<string, unknown>, required?: readonly string[]): CallbackCheck;
  /** QueryDR: asks the gateway what became of a transaction. Never throws; failures are `unknown`. */
  queryTransaction(q: QueryRequest): Promise<QueryOutcome>;
  /** The refund API: gives money back on a paid transaction. Never throws; failures are `unknown`. */
  refund(r: RefundRequest): Promise<RefundOutcome>;
}

/** A bank-transfer QR code for an amount and a purpose (the text the bank statement will carry). */
export interface TransferQr {
  payload: string;
  bankBin: string;
  accountNo: string;
  accountName: string;
  amountVnd: number;
  purpose: string;
}

/** HTTP for gateway calls: swapped for an in-process call when the sandbox runs in this server. */
export type GatewayTransport = (url: string, init: { method: 'POST'; body: string; timeoutMs: number }) => Promise<{ status: number; body: string }>;
