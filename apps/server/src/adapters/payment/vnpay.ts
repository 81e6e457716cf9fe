/**
 * The VNPay protocol (API v2.1.0), implemented here and checked in tests against the independent
 * `vnpay` npm package. The same code talks to the real VNPay and to the built-in sandbox: only
 * the URLs, terminal code and secret differ.
 *
 * Signing: the `vnp_*` parameters (without the hash itself), sorted by name, each value
 * form-urlencoded (space → `+`), joined as `k=v&k=v`; `vnp_SecureHash` is the HMAC-SHA512 of that
 * string with the merchant's secret, in hex.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { CallbackCheck, GatewayTransport, PaymentUrlRequest, QueryOutcome, QueryRequest, RedirectGateway, RefundOutcome, RefundRequest } from './port.ts';

export const VNP_VERSION = '2.1.0';
const HASH_FIELDS = new Set(['vnp_SecureHash', 'vnp_SecureHashType']);

/** The IPN parameters without which we cannot judge a notification: missing → 97. */
export const IPN_REQUIRED = ['vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_ResponseCode', 'vnp_TransactionStatus'] as const;

/** application/x-www-form-urlencoded, as VNPay's Java reference (URLEncoder) and URLSearchParams encode: space → `+`. */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** The encoding of VNPay's Node.js and PHP samples: encodeURIComponent with `%20` → `+` (differs only on `!'()*~`). */
function sampleEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** The string VNPay signs: sorted `vnp_*` parameters (hash fields left out), encoded, joined with `&`. */
export function signData(params: Record<string, string>, encode: (v: string) => string = formEncode, keepEmpty = false): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && !HASH_FIELDS.has(k) && (keepEmpty || params[k] !== ''))
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k]!)}`)
    .join('&');
}

export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(Buffer.from(data, 'utf8')).digest('hex');
}

export function signParams(params: Record<string, string>, secret: string): string {
  return hmacSha512(secret, signData(params));
}

/** Hex digests compared in constant time (case-insensitive: some gateways send upper case). */
export function sameDigest(expectedHex: string, receivedHex: string): boolean {
  const a = Buffer.from(expectedHex.toLowerCase(), 'utf8');
  const b = Buffer.from(receivedHex.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `received` signs `params`. The canonical form is tried together with the variants
 * VNPay's own samples produce (empty values kept; encodeURIComponent), every one compared in
 * constant time and all of them always computed, so the time taken says nothing about which failed.
 */
export function verifySignature(params: Record<string, string>, secret: string, received: string): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(received)) return false;
  const forms = new Set([
    signData(params, formEncode, false),
    signData(params, formEncode, true),
    signData(params, sampleEncode, false),
    signData(params, sampleEncode, true),
  ]);
  let ok = false;
  for (const data of forms) ok = sameDigest(hmacSha512(secret, data), received) || ok;
  return ok;
}

/** yyyyMMddHHmmss in GMT+7, the only time format VNPay speaks. */
export function vnpayTime(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function parseVnpayTime(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) - 7 * 3_600_000;
  const back = new Date(t);
  return vnpayTime(back) === s ? back : null;
}

/** `vnp_Amount` is the amount in VND × 100, as digits only: anything else is not that amount. */
export function amountMatches(vnpAmount: string, amountVnd: number | string | bigint): boolean {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(vnpAmount)) return false;
  return BigInt(vnpAmount) === BigInt(amountVnd) * 100n;
}

/** Fields of the QueryDR request signature, in order. */
export function queryDrRequestData(p: Record<string, string | undefined>): string {
  return ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo']
    .map((k) => p[k] ?? '').join('|');
}

/** Fields of the QueryDR response signature, in order. */
export function queryDrResponseData(p: Record<string, string | undefined>): string {
  return [
    'vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode',
    'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType', 'vnp_TransactionStatus', 'vnp_OrderInfo', 'vnp_PromotionCode', 'vnp_PromotionAmount',
  ].map((k) => p[k] ?? '').join('|');
}

/** Fields of the refund request signature, in order. */
export function refundRequestData(p: Record<string, string | undefined>): string {
  return [
    'vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TransactionType', 'vnp_TxnRef', 'vnp_Amount', 'vnp_TransactionNo',
    'vnp_TransactionDate', 'vnp_CreateBy', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo',
  ].map((k) => p[k] ?? '').join('|');
}

/** Fields of the refund response signature, in order. */
export function refundResponseData(p: Record<string, string | undefined>): string {
  return [
    'vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode',
    'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType', 'vnp_TransactionStatus', 'vnp_OrderInfo',
  ].map((k) => p[k] ?? '').join('|');
}

/** Query parameters as strings; a repeated or non-string parameter makes the call malformed. */
export function flatParams(query: Record<string, unknown>): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

export interface VnpayOptions {
  id: 'vnpay' | 'sandbox';
  tmnCode: string;
  hashSecret: string;
  payUrl: string;
  queryDrUrl: string;
  returnUrl: string;
  timeoutMs: number;
  transport?: GatewayTransport;
}

export const fetchTransport: GatewayTransport = async (url, init) => {
  const res = await fetch(url, { method: init.method, headers: { 'content-type': 'application/json' }, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  return { status: res.status, body: await res.text() };
};

/** The VNPay redirect gateway: signed payment URLs, callback verification, QueryDR. */
export class VnpayGateway implements RedirectGateway {
  readonly id: 'vnpay' | 'sandbox';
  readonly terminalCode: string;
  private readonly transport: GatewayTransport;

  constructor(private readonly o: VnpayOptions) {
    this.id = o.id;
    this.terminalCode = o.tmnCode;
    this.transport = o.transport ?? fetchTransport;
  }

  paymentUrl(req: PaymentUrlRequest): { url: string; params: Record<string, string> } {
    if (!Number.isSafeInteger(req.amountVnd) || req.amountVnd <= 0) throw new RangeError('amount must be a positive whole number of VND');
    const params: Record<string, string> = {
      vnp_Version: VNP_VERSION,
      vnp_Command: 'pay',
      vnp_TmnCode: this.o.tmnCode,
      vnp_Amount: String(req.amountVnd * 100),
      vnp_CurrCode: 'VND',
      vnp_TxnRef: req.reference,
      vnp_OrderInfo: req.orderInfo,
      vnp_OrderType: 'other',
      vnp_Locale: req.locale,
      vnp_ReturnUrl: this.o.returnUrl,
      vnp_IpAddr: req.ipAddr,
      vnp_CreateDate: vnpayTime(req.createdAt),
      vnp_ExpireDate: vnpayTime(req.expiresAt),
      ...(req.bankCode ? { vnp_BankCode: req.bankCode } : {}),
    };
    return { url: this.urlFor(params), params };
  }

  urlFor(params: Record<string, string>): string {
    return `${this.o.payUrl}?${signData(params)}&vnp_SecureHash=${signParams(params, this.o.hashSecret)}`;
  }

  verifyCallback(query: Record<string, unknown>, required: readonly string[] = IPN_REQUIRED): CallbackCheck {
    const params = flatParams(query);
    if (!params) return { ok: false, reason: 'malformed' };
    const hash = params.vnp_SecureHash;
    if (!hash || required.some((k) => !params[k])) return { ok: false, reason: 'missing_parameter' };
    if (!verifySignature(params, this.o.hashSecret, hash)) return { ok: false, reason: 'bad_signature' };
    const clean = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('vnp_') && !HASH_FIELDS.has(k)));
    return { ok: true, params: clean };
  }

  async queryTransaction(q: QueryRequest): Promise<QueryOutcome> {
    const body: Record<string, string> = {
      vnp_RequestId: randomUUID().replace(/-/g, '').slice(0, 32),
      vnp_Version: VNP_VERSION,
      vnp_Command: 'querydr',
      vnp_TmnCode: this.o.tmnCode,
      vnp_TxnRef: q.reference,
      vnp_OrderInfo: q.orderInfo,
      vnp_TransactionDate: q.transactionDate,
      vnp_CreateDate: vnpayTime(new Date()),
      vnp_IpAddr: q.ipAddr,
    };
    body.vnp_SecureHash = hmacSha512(this.o.hashSecret, queryDrRequestData(body));
    let res: { status: number; body: string };
    try {
      res = await this.transport(this.o.queryDrUrl, { method: 'POST', body: JSON.stringify(body), timeoutMs: this.o.timeoutMs });
    } catch (err) {
      return { kind: 'unknown', reason: `transport: ${(err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message}` };
    }
    if (res.status !== 200) return { kind: 'unknown', reason: `HTTP ${res.status}` };
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      return { kind: 'unknown', reason: 'not JSON' };
    }
    const raw = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    const signature = raw.vnp_SecureHash ?? '';
    if (!/^[0-9a-fA-F]{128}$/.test(signature) || !sameDigest(hmacSha512(this.o.hashSecret, queryDrResponseData(raw)), signature))
      return { kind: 'unknown', reason: 'bad signature', raw };
    if (raw.vnp_TxnRef && raw.vnp_TxnRef !== q.reference) return { kind: 'unknown', reason: 'another transaction', raw };
    if (raw.vnp_ResponseCode === '91') return { kind: 'not_found', raw };
    if (raw.vnp_ResponseCode !== '00') return { kind: 'unknown', reason: `response ${raw.vnp_ResponseCode}`, raw };
    const status = raw.vnp_TransactionStatus ?? '';
    const type = raw.vnp_TransactionType;
    if ((type === '02' || type === '03') && status) {
      return { kind: 'refund', transactionType: type, transactionStatus: status, amountX100: raw.vnp_Amount ?? '', transactionNo: raw.vnp_TransactionNo || null, payDate: raw.vnp_PayDate || null, raw };
    }
    if (status === '00') {
      return { kind: 'paid', amountX100: raw.vnp_Amount ?? '', transactionNo: raw.vnp_TransactionNo || null, bankCode: raw.vnp_BankCode || null, payDate: raw.vnp_PayDate || null, raw };
    }
    if (status === '01') return { kind: 'pending', raw };
    if (!status) return { kind: 'unknown', reason: 'no transaction status', raw };
    return { kind: 'failed', responseCode: raw.vnp_ResponseCode, transactionStatus: status, raw };
  }

  /** A JSON call to the merchant API (QueryDR, refund): the parsed answer, or why there is none. */
  private async call(body: Record<string, string>): Promise<{ ok: true; raw: Record<string, string> } | { ok: false; reason: string }> {
    let res: { status: number; body: string };
    try {
      res = await this.transport(this.o.queryDrUrl, { method: 'POST', body: JSON.stringify(body), timeoutMs: this.o.timeoutMs });
    } catch (err) {
      return { ok: false, reason: `transport: ${(err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message}` };
    }
    if (res.status !== 200) return { ok: false, reason: `HTTP ${res.status}` };
    try {
      const data = JSON.parse(res.body) as Record<string, unknown>;
      return { ok: true, raw: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])) };
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }

  async refund(r: RefundRequest): Promise<RefundOutcome> {
    if (!Number.isSafeInteger(r.amountVnd) || r.amountVnd <= 0) throw new RangeError('amount must be a positive whole number of VND');
    const body: Record<string, string> = {
      vnp_RequestId: r.requestId,
      vnp_Version: VNP_VERSION,
      vnp_Command: 'refund',
      vnp_TmnCode: this.o.tmnCode,
      vnp_TransactionType: r.whole ? '02' : '03',
      vnp_TxnRef: r.reference,
      vnp_Amount: String(r.amountVnd * 100),
      vnp_TransactionNo: r.transactionNo ?? '0',
      vnp_TransactionDate: r.transactionDate,
      vnp_CreateBy: r.createdBy,
      vnp_CreateDate: vnpayTime(new Date()),
      vnp_IpAddr: r.ipAddr,
      vnp_OrderInfo: r.orderInfo,
    };
    body.vnp_SecureHash = hmacSha512(this.o.hashSecret, refundRequestData(body));
    const answer = await this.call(body);
    if (!answer.ok) return { kind: 'unknown', reason: answer.reason };
    const raw = answer.raw;
    const signature = raw.vnp_SecureHash ?? '';
    if (!/^[0-9a-fA-F]{128}$/.test(signature) || !sameDigest(hmacSha512(this.o.hashSecret, refundResponseData(raw)), signature))
      return { kind: 'unknown', reason: 'bad signature', raw };
    if (raw.vnp_TxnRef && raw.vnp_TxnRef !== r.reference) return { kind: 'unknown', reason: 'another transaction', raw };
    if (raw.vnp_ResponseCode === '00') return { kind: 'refunded', responseCode: '00', transactionNo: raw.vnp_TransactionNo || null, raw };
    if (!raw.vnp_ResponseCode) return { kind: 'unknown', reason: 'no response code', raw };
    return { kind: 'refused', responseCode: raw.vnp_ResponseCode, message: raw.vnp_Message ?? '', raw };
  }
}
