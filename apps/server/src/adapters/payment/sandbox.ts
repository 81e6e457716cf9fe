/**
 * The sandbox gateway: a small VNPay built into the server (under `/sandbox/vnpay`), enabled by
 * configuration and in the demo. It speaks exactly the VNPay protocol: it checks the signed
 * payment URL, shows a payment page where the tester chooses "pay" or "fail", redirects the
 * browser to the merchant's return URL with signed parameters, calls the merchant's IPN and
 * retries it like VNPay (up to N attempts, a configurable interval apart) until it answers 00 or
 * 02, answers QueryDR (with the latest refund's type and status once a transaction was
 * refunded), and the refund API. Its books are its own table, so its retries survive a restart.
 * Tester options on the payment page lose the IPN, or lose the answers to refund requests of the
 * transaction (the refund is booked, the caller gets a 504), to exercise our reconciliation.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import {
  flatParams, hmacSha512, parseVnpayTime, queryDrRequestData, queryDrResponseData, refundRequestData, refundResponseData, sameDigest, signData, signParams,
  verifySignature, vnpayTime,
} from './vnpay.ts';

export interface SandboxOptions {
  tmnCode: string;
  hashSecret: string;
  ipnAttempts: number;
  ipnRetryMs: number;
  /** Calls the merchant's IPN with this query string; resolves to its RspCode. */
  deliverIpn: (query: string) => Promise<string>;
  log: (msg: string, err?: unknown) => void;
}

export const SANDBOX_PREFIX = '/sandbox/vnpay';
const BANKS = [
  ['NCB', 'Ngân hàng Quốc Dân (NCB) — thẻ thử nghiệm'],
  ['VCB', 'Vietcombank'],
  ['BIDV', 'BIDV'],
  ['VIETINBANK', 'VietinBank'],
  ['AGRIBANK', 'Agribank'],
  ['VNPAYQR', 'Ví / ứng dụng ngân hàng (VNPAY-QR)'],
] as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const vnd = (n: bigint) => `${n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
const localTime = (s: string) => (/^\d{14}$/.test(s) ? `${s.slice(8, 10)}:${s.slice(10, 12)} ${s.slice(6, 8)}/${s.slice(4, 6)}/${s.slice(0, 4)}` : s);

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f2f5f9;color:#1b2733;line-height:1.5}
  main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 4px #0002}
  .banner{background:#fff4d6;border:1px solid #c98a00;padding:.5rem .75rem;border-radius:4px;font-weight:600}
  h1{font-size:1.4rem;margin:.75rem 0}
  table{border-collapse:collapse;width:100%;margin:1rem 0}
  caption{text-align:left;font-weight:600;padding-bottom:.25rem}
  th,td{border-bottom:1px solid #d8dee6;padding:.4rem .25rem;text-align:left;vertical-align:top}
  th{font-weight:500;color:#3d4b5a;width:45%}
  label{display:block;font-weight:600;margin-top:.5rem}
  select{font-size:1rem;padding:.4rem;width:100%;margin-top:.25rem}
  .actions{display:flex;gap:1rem;margin-top:1.25rem;flex-wrap:wrap}
  button{font-size:1.05rem;padding:.65rem 1.25rem;border-radius:6px;border:2px solid transparent;cursor:pointer}
  button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
  .pay{background:#0b5cad;color:#fff}
  .fail{background:#fff;color:#a31515;border-color:#a31515}
  .hint{font-size:.9rem;color:#3d4b5a}
  .error{border-left:4px solid #a31515;padding-left:.75rem}
  details{margin-top:1.5rem}
  .quiet{background:#eef1f5;color:#1b2733;font-size:.95rem}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner" role="note">Cổng thanh toán THỬ NGHIỆM: không có tiền thật được chuyển. <span lang="en">(Sandbox gateway: no real money moves.)</span></p>
${body}
</main>
</body>
</html>`;
}

function errorPage(reply: FastifyReply, status: number, code: string, vi: string, en: string) {
  reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
  return reply.send(page(`Lỗi giao dịch ${code}`, `<h1>Không thể thanh toán <span lang="en">(Payment not possible)</span></h1>
<div class="error" role="alert"><p>Mã lỗi <span lang="en">(error code)</span>: <strong>${esc(code)}</strong></p><p>${esc(vi)}</p><p lang="en">${esc(en)}</p></div>`));
}

/** The sandbox's books and its IPN sender. */
export class SandboxGateway {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private again = false;

  constructor(private readonly db: Db, private readonly o: SandboxOptions) {}

  /** Checks a signed request from the merchant: our terminal, a good signature, not expired. */
  private check(params: Record<string, string>): { ok: true } | { ok: false; code: string; vi: string; en: string } {
    if (params.vnp_TmnCode !== this.o.tmnCode) return { ok: false, code: '02', vi: 'Mã website (vnp_TmnCode) không tồn tại.', en: 'Unknown terminal code.' };
    const hash = params.vnp_SecureHash ?? '';
    if (!verifySignature(params, this.o.hashSecret, hash)) return { ok: false, code: '70', vi: 'Sai chữ ký (vnp_SecureHash).', en: 'Wrong signature.' };
    for (const k of ['vnp_Amount', 'vnp_TxnRef', 'vnp_OrderInfo', 'vnp_ReturnUrl', 'vnp_CreateDate', 'vnp_Version', 'vnp_Command', 'vnp_CurrCode'])
      if (!params[k]) return { ok: false, code: '03', vi: `Thiếu tham số ${k}.`, en: `Missing ${k}.` };
    if (params.vnp_Command !== 'pay' || params.vnp_CurrCode !== 'VND') return { ok: false, code: '03', vi: 'Dữ liệu gửi sang không đúng định dạng.', en: 'Invalid data format.' };
    if (!/^[1-9][0-9]{0,17}00$/.test(params.vnp_Amount!)) return { ok: false, code: '03', vi: 'Số tiền không hợp lệ.', en: 'Invalid amount.' };
    if (!parseVnpayTime(params.vnp_CreateDate!)) return { ok: false, code: '03', vi: 'Ngày tạo không hợp lệ.', en: 'Invalid create date.' };
    const expires = params.vnp_ExpireDate ? parseVnpayTime(params.vnp_ExpireDate) : null;
    if (params.vnp_ExpireDate && !expires) return { ok: false, code: '03', vi: 'Thời hạn không hợp lệ.', en: 'Invalid expiry.' };
    if (expires && expires.getTime() < Date.now()) return { ok: false, code: '11', vi: 'Đã hết hạn chờ thanh toán. Vui lòng quay lại và thực hiện lại giao dịch.', en: 'The payment window has expired.' };
    try {
      const u = new URL(params.vnp_ReturnUrl!);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return { ok: false, code: '03', vi: 'Địa chỉ trả về không hợp lệ.', en: 'Invalid return URL.' };
    }
    return { ok: true };
  }

  routes(app: FastifyInstance): void {
    // Own scope: the payment form posts application/x-www-form-urlencoded, parsed only here.
    void app.register(async (s) => {
      s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });

      s.get(`${SANDBOX_PREFIX}/paymentv2/vpcpay.html`, { schema: { hide: true } }, async (req, reply) => {
        const params = flatParams(req.query as Record<string, unknown>);
        if (!params) return errorPage(reply, 400, '03', 'Tham số lặp lại hoặc sai định dạng.', 'Repeated or malformed parameters.');
        const c = this.check(params);
        if (!c.ok) return errorPage(reply, 400, c.code, c.vi, c.en);
        const day = this.createDay(params.vnp_CreateDate!);
        const seen = await this.db.selectFrom('paymentSandboxTransactions').select('id')
          .where('terminalCode', '=', params.vnp_TmnCode!).where('txnRef', '=', params.vnp_TxnRef!).where('payDay', '=', day).executeTakeFirst();
        if (seen) return errorPage(reply, 409, '94', 'Giao dịch đã tồn tại (mã tham chiếu đã được dùng trong ngày).', 'Duplicate transaction: this reference was already used today.');
        const raw = req.url.slice(req.url.indexOf('?') + 1);
        const amount = BigInt(params.vnp_Amount!) / 100n;
        reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
        reply.header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(params.vnp_ReturnUrl!).origin}; frame-ancestors 'none'; base-uri 'none'`);
        return reply.send(page('Cổng thanh toán thử nghiệm — VNPay sandbox', `
<h1>Thanh toán trực tuyến <span lang="en">(Online payment)</span></h1>
<table>
<caption>Thông tin đơn hàng <span lang="en">(Order details)</span></caption>
<tr><th scope="row">Đơn vị chấp nhận thanh toán <span lang="en">(Merchant)</span></th><td>${esc(params.vnp_TmnCode!)}</td></tr>
<tr><th scope="row">Mã giao dịch <span lang="en">(Reference)</span></th><td>${esc(params.vnp_TxnRef!)}</td></tr>
<tr><th scope="row">Nội dung <span lang="en">(Description)</span></th><td>${esc(params.vnp_OrderInfo!)}</td></tr>
<tr><th scope="row">Số tiền <span lang="en">(Amount)</span></th><td><strong>${esc(vnd(amount))}</strong></td></tr>
${params.vnp_ExpireDate ? `<tr><th scope="row">Hết hạn lúc <span lang="en">(Expires at)</span></th><td>${esc(localTime(params.vnp_ExpireDate))}</td></tr>` : ''}
</table>
<form method="post" action="${SANDBOX_PREFIX}/pay">
<input type="hidden" name="q" value="${esc(raw)}">
<label for="bank">Ngân hàng thanh toán <span lang="en">(Bank)</span></label>
<select id="bank" name="bankCode">
${BANKS.map(([code, name]) => `<option value="${code}"${code === (params.vnp_BankCode ?? 'NCB') ? ' selected' : ''}>${esc(name)}</option>`).join('\n')}
</select>
<div class="actions">
<button type="submit" class="pay" name="outcome" value="paid" aria-describedby="pay-hint">Thanh toán <span lang="en">(Pay)</span></button>
<button type="submit" class="fail" name="outcome" value="failed" aria-describedby="fail-hint">Thất bại <span lang="en">(Fail)</span></button>
</div>
<p id="pay-hint" class="hint">Thanh toán: giao dịch thành công, ngân hàng trừ tiền (giả lập). <span lang="en">Pay: the transaction succeeds.</span></p>
<p id="fail-hint" class="hint">Thất bại: giao dịch bị hủy, không trừ tiền. <span lang="en">Fail: the transaction is cancelled.</span></p>
<details>
<summary>Tùy chọn cho người kiểm thử <span lang="en">(Tester options)</span></summary>
<p class="hint">Thanh toán thành công nhưng cổng không gửi IPN: kiểm tra đối soát QueryDR. <span lang="en">Pay but lose the IPN, to exercise QueryDR reconciliation.</span></p>
<button type="submit" class="quiet" name="outcome" value="paid_no_ipn">Thanh toán, không gửi IPN <span lang="en">(Pay, IPN lost)</span></button>
<p class="hint">Thanh toán thành công; sau này cổng vẫn hoàn tiền nhưng không trả lời yêu cầu hoàn tiền: kiểm tra việc đối soát hoàn tiền. <span lang="en">Pay; later refunds are made but their answers are lost, to exercise refund checks.</span></p>
<button type="submit" class="quiet" name="outcome" value="paid_refund_lost">Thanh toán, mất trả lời hoàn tiền <span lang="en">(Pay, refund answers lost)</span></button>
</details>
</form>`));
      });

      s.post(`${SANDBOX_PREFIX}/pay`, { schema: { hide: true } }, async (req, reply) => {
        if (req.headers['sec-fetch-site'] === 'cross-site') return errorPage(reply, 403, '99', 'Yêu cầu không đến từ trang thanh toán.', 'The request did not come from the payment page.');
        const body = (req.body ?? {}) as Record<string, unknown>;
        const outcome = body.outcome;
        if (typeof body.q !== 'string' || (outcome !== 'paid' && outcome !== 'failed' && outcome !== 'paid_no_ipn' && outcome !== 'paid_refund_lost'))
          return errorPage(reply, 400, '03', 'Dữ liệu gửi sang không đúng định dạng.', 'Invalid data format.');
        const params = flatParams(Object.fromEntries(new URLSearchParams(body.q)));
        if (!params) return errorPage(reply, 400, '03', 'Tham số lặp lại hoặc sai định dạng.', 'Repeated or malformed parameters.');
        const c = this.check(params);
        if (!c.ok) return errorPage(reply, 400, c.code, c.vi, c.en);
        const bankCode = typeof body.bankCode === 'string' && /^[A-Z0-9]{2,20}$/.test(body.bankCode) ? body.bankCode : 'NCB';
        const result = await this.record(params, outcome === 'failed' ? 'failed' : 'paid', bankCode, outcome !== 'paid_no_ipn', outcome === 'paid_refund_lost' ? 'lose' : 'send');
        if (!result) return errorPage(reply, 409, '94', 'Giao dịch đã tồn tại (mã tham chiếu đã được dùng trong ngày).', 'Duplicate transaction: this reference was already used today.');
        if (outcome !== 'paid_no_ipn') this.kick();
        const target = new URL(params.vnp_ReturnUrl!);
        return reply.redirect(`${target.origin}${target.pathname}?${result}`, 303);
      });

      s.post(`${SANDBOX_PREFIX}/merchant_webapi/api/transaction`, { schema: { hide: true } }, async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (body.vnp_Command !== 'refund') return this.queryDr(body);
        const { answer, lose } = await this.refundBooking(body);
        // The refund is booked; its answer is "lost on the way", as a gateway timeout.
        if (lose) return reply.status(504).header('content-type', 'text/plain; charset=utf-8').send('Gateway Timeout');
        return answer;
      });
    });
  }

  private createDay(createDate: string): string {
    return `${createDate.slice(0, 4)}-${createDate.slice(4, 6)}-${createDate.slice(6, 8)}`;
  }

  /** Books a transaction; returns the signed return query string, or null for a duplicate reference. */
  private async record(params: Record<string, string>, outcome: 'paid' | 'failed', bankCode: string, sendIpn: boolean, refundAnswers: 'send' | 'lose' = 'send'): Promise<string | null> {
    const no = await sql<{ n: string }>`SELECT nextval('payment_sandbox_txn_seq')::text AS n`.execute(this.db);
    const transactionNo = no.rows[0]!.n;
    const out: Record<string, string> = {
      vnp_Amount: params.vnp_Amount!,
      vnp_BankCode: bankCode,
      ...(outcome === 'paid' ? { vnp_BankTranNo: `VNP${transactionNo}`, vnp_CardType: 'ATM' } : {}),
      vnp_OrderInfo: params.vnp_OrderInfo!,
      vnp_PayDate: vnpayTime(new Date()),
      vnp_ResponseCode: outcome === 'paid' ? '00' : '24',
      vnp_TmnCode: params.vnp_TmnCode!,
      vnp_TransactionNo: outcome === 'paid' ? transactionNo : '0',
      vnp_TransactionStatus: outcome === 'paid' ? '00' : '02',
      vnp_TxnRef: params.vnp_TxnRef!,
    };
    out.vnp_SecureHash = signParams(out, this.o.hashSecret);
    const inserted = await this.db.insertInto('paymentSandboxTransactions').values({
      terminalCode: params.vnp_TmnCode!, txnRef: params.vnp_TxnRef!, payDay: this.createDay(params.vnp_CreateDate!), transactionNo,
      amount: params.vnp_Amount!, orderInfo: params.vnp_OrderInfo!, createDate: params.vnp_CreateDate!, outcome,
      responseCode: out.vnp_ResponseCode!, transactionStatus: out.vnp_TransactionStatus!, bankCode, payDate: out.vnp_PayDate!,
      returnQuery: JSON.stringify(`${signData(out)}&vnp_SecureHash=${out.vnp_SecureHash}`), ipnNextAt: sendIpn ? new Date() : null, refundAnswers,
    }).onConflict((oc) => oc.columns(['terminalCode', 'txnRef', 'payDay']).doNothing()).returning('id').executeTakeFirst();
    if (!inserted) return null;
    return `${signData(out)}&vnp_SecureHash=${out.vnp_SecureHash}`;
  }

  /**
   * QueryDR, as VNPay answers it: 97 bad checksum, 91 not found, 00 with the transaction; once it
   * was refunded, 00 with its latest refund: type 02 (whole) or 03 (part), status 05 (processing;
   * 06 and 09 when a tester sets them), the refund's amount, transaction number and date.
   */
  async queryDr(body: Record<string, unknown>): Promise<Record<string, string>> {
    const p = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)]));
    const answer = (fields: Record<string, string>) => {
      const res: Record<string, string> = {
        vnp_ResponseId: randomUUID().replace(/-/g, ''), vnp_Command: 'querydr', vnp_TmnCode: this.o.tmnCode, vnp_TxnRef: p.vnp_TxnRef ?? '', ...fields,
      };
      res.vnp_SecureHash = hmacSha512(this.o.hashSecret, queryDrResponseData(res));
      return res;
    };
    if (!p.vnp_SecureHash || !sameDigest(hmacSha512(this.o.hashSecret, queryDrRequestData(p)), p.vnp_SecureHash))
      return answer({ vnp_ResponseCode: '97', vnp_Message: 'Checksum khong hop le' });
    if (p.vnp_TmnCode !== this.o.tmnCode) return answer({ vnp_ResponseCode: '02', vnp_Message: 'Merchant khong hop le' });
    if (p.vnp_Command !== 'querydr' || !p.vnp_TxnRef || !parseVnpayTime(p.vnp_TransactionDate ?? ''))
      return answer({ vnp_ResponseCode: '03', vnp_Message: 'Du lieu gui sang khong dung dinh dang' });
    const t = await this.db.selectFrom('paymentSandboxTransactions').selectAll()
      .where('terminalCode', '=', p.vnp_TmnCode).where('txnRef', '=', p.vnp_TxnRef).where('payDay', '=', this.createDay(p.vnp_TransactionDate!)).executeTakeFirst();
    if (!t) return answer({ vnp_ResponseCode: '91', vnp_Message: 'Khong tim thay giao dich yeu cau' });
    const last = t.refunds.at(-1);
    if (last) {
      return answer({
        vnp_ResponseCode: '00', vnp_Message: 'QueryDR Success', vnp_Amount: last.amount, vnp_BankCode: t.bankCode, vnp_PayDate: vnpayTime(new Date(last.at)),
        vnp_TransactionNo: last.transactionNo, vnp_TransactionType: last.type ?? (last.amount === t.amount ? '02' : '03'), vnp_TransactionStatus: last.status ?? '05',
        vnp_OrderInfo: t.orderInfo, vnp_PromotionCode: '', vnp_PromotionAmount: '',
      });
    }
    return answer({
      vnp_ResponseCode: '00', vnp_Message: 'QueryDR Success', vnp_Amount: t.amount, vnp_BankCode: t.bankCode, vnp_PayDate: t.payDate,
      vnp_TransactionNo: t.outcome === 'paid' ? t.transactionNo : '0', vnp_TransactionType: '01', vnp_TransactionStatus: t.transactionStatus,
      vnp_OrderInfo: t.orderInfo, vnp_PromotionCode: '', vnp_PromotionAmount: '',
    });
  }

  /**
   * The refund API, as VNPay answers it: 97 bad checksum, 02 unknown merchant or more than is
   * left, 03 malformed, 91 not found, 95 not a successful payment, 94 a request id already used,
   * 00 refunded (with a new transaction number).
   */
  async refund(body: Record<string, unknown>): Promise<Record<string, string>> {
    return (await this.refundBooking(body)).answer;
  }

  /** The refund API's answer, and whether the transaction's tester switch loses it. */
  private async refundBooking(body: Record<string, unknown>): Promise<{ answer: Record<string, string>; lose: boolean }> {
    const answer = await this.refundAnswer(body);
    if (answer.vnp_ResponseCode !== '00') return { answer, lose: false };
    const t = await this.db.selectFrom('paymentSandboxTransactions').select('refundAnswers')
      .where('terminalCode', '=', this.o.tmnCode).where('txnRef', '=', answer.vnp_TxnRef!).where('payDay', '=', this.createDay(String(body.vnp_TransactionDate))).executeTakeFirst();
    return { answer, lose: t?.refundAnswers === 'lose' };
  }

  private async refundAnswer(body: Record<string, unknown>): Promise<Record<string, string>> {
    const p = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)]));
    const answer = (fields: Record<string, string>) => {
      const res: Record<string, string> = {
        vnp_ResponseId: randomUUID().replace(/-/g, ''), vnp_Command: 'refund', vnp_TmnCode: this.o.tmnCode, vnp_TxnRef: p.vnp_TxnRef ?? '',
        vnp_Amount: p.vnp_Amount ?? '', vnp_TransactionType: p.vnp_TransactionType ?? '', vnp_OrderInfo: p.vnp_OrderInfo ?? '', ...fields,
      };
      res.vnp_SecureHash = hmacSha512(this.o.hashSecret, refundResponseData(res));
      return res;
    };
    // vnp_TransactionNo is optional; clients that leave it out sign it as "0" (VNPay's own samples do).
    const signed = [refundRequestData(p), ...(p.vnp_TransactionNo ? [] : [refundRequestData({ ...p, vnp_TransactionNo: '0' })])];
    let checksumOk = false;
    for (const data of signed) checksumOk = (!!p.vnp_SecureHash && sameDigest(hmacSha512(this.o.hashSecret, data), p.vnp_SecureHash)) || checksumOk;
    if (!checksumOk) return answer({ vnp_ResponseCode: '97', vnp_Message: 'Checksum khong hop le' });
    if (p.vnp_TmnCode !== this.o.tmnCode) return answer({ vnp_ResponseCode: '02', vnp_Message: 'Merchant khong hop le' });
    if (!p.vnp_RequestId || !p.vnp_TxnRef || !/^(02|03)$/.test(p.vnp_TransactionType ?? '') || !/^[1-9][0-9]{0,17}$/.test(p.vnp_Amount ?? '')
      || !parseVnpayTime(p.vnp_TransactionDate ?? '') || !parseVnpayTime(p.vnp_CreateDate ?? '') || !p.vnp_CreateBy)
      return answer({ vnp_ResponseCode: '03', vnp_Message: 'Du lieu gui sang khong dung dinh dang' });
    return this.db.transaction().execute(async (tx) => {
      const t = await tx.selectFrom('paymentSandboxTransactions').selectAll()
        .where('terminalCode', '=', p.vnp_TmnCode!).where('txnRef', '=', p.vnp_TxnRef!).where('payDay', '=', this.createDay(p.vnp_TransactionDate!))
        .forUpdate().executeTakeFirst();
      if (!t) return answer({ vnp_ResponseCode: '91', vnp_Message: 'Khong tim thay giao dich yeu cau hoan tra' });
      if (t.outcome !== 'paid') return answer({ vnp_ResponseCode: '95', vnp_Message: 'Giao dich khong thanh cong, VNPAY tu choi xu ly' });
      if (t.refunds.some((x) => x.requestId === p.vnp_RequestId)) return answer({ vnp_ResponseCode: '94', vnp_Message: 'Yeu cau bi trung lap' });
      const amount = BigInt(p.vnp_Amount!);
      const left = BigInt(t.amount) - BigInt(t.refunded);
      if (amount > left || (p.vnp_TransactionType === '02' && amount !== BigInt(t.amount)))
        return answer({ vnp_ResponseCode: '02', vnp_Message: 'Tong so tien hoan tra lon hon so tien goc' });
      const no = await sql<{ n: string }>`SELECT nextval('payment_sandbox_txn_seq')::text AS n`.execute(tx);
      const transactionNo = no.rows[0]!.n;
      const entry = { requestId: p.vnp_RequestId, amount: amount.toString(), transactionNo, at: new Date().toISOString(), type: p.vnp_TransactionType, status: '05' };
      await tx.updateTable('paymentSandboxTransactions')
        .set({ refunded: (BigInt(t.refunded) + amount).toString(), refunds: sql`refunds || ${JSON.stringify([entry])}::jsonb` as never })
        .where('id', '=', t.id).execute();
      return answer({
        vnp_ResponseCode: '00', vnp_Message: 'Refund success', vnp_BankCode: t.bankCode, vnp_PayDate: vnpayTime(new Date()),
        vnp_TransactionNo: transactionNo, vnp_TransactionStatus: '05',
      });
    });
  }

  /** Starts sending due IPNs (also those left by a previous run). */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops the sender and waits for the attempt in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Looks for due IPNs now. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.sendDue()
      .catch((err: unknown) => this.o.log('sandbox IPN sender failed', err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.scheduleNext();
      });
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    let next: Date | null = null;
    try {
      const r = await this.db.selectFrom('paymentSandboxTransactions').select((eb) => eb.fn.min('ipnNextAt').as('next')).where('ipnNextAt', 'is not', null).executeTakeFirst();
      next = (r?.next as Date | null) ?? null;
    } catch (err) {
      this.o.log('sandbox IPN sender could not read its queue', err);
    }
    if (this.stopped || this.running) return;
    // Another process may have queued work: look again at least every 30 s.
    const wait = next ? Math.min(Math.max(0, next.getTime() - Date.now()), 30_000) : 30_000;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** Claims due transactions one at a time (skipping those another process holds) and calls the IPN. */
  private async sendDue(): Promise<void> {
    while (!this.stopped) {
      // Raw results pass through the CamelCasePlugin like any other: columns come back camelCased.
      const claimed = await sql<{ id: string; returnQuery: string }>`
        UPDATE payment_sandbox_transactions
        SET ipn_attempts = ipn_attempts + 1,
            ipn_next_at = CASE WHEN ipn_attempts + 1 >= ${this.o.ipnAttempts} THEN NULL
                               ELSE now() + make_interval(secs => ${this.o.ipnRetryMs / 1000}) END
        WHERE id = (SELECT id FROM payment_sandbox_transactions WHERE ipn_next_at <= now() ORDER BY ipn_next_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id, return_query`.execute(this.db);
      const t = claimed.rows[0];
      if (!t) return;
      const query = t.returnQuery;
      let entry: { at: string; rspCode?: string; error?: string };
      try {
        entry = { at: new Date().toISOString(), rspCode: await this.o.deliverIpn(query) };
      } catch (err) {
        entry = { at: new Date().toISOString(), error: (err as Error).message.slice(0, 200) };
      }
      const done = entry.rspCode === '00' || entry.rspCode === '02';
      await this.db.updateTable('paymentSandboxTransactions')
        .set({
          ipnAnswers: sql`ipn_answers || ${JSON.stringify([entry])}::jsonb` as never,
          ...(done ? { ipnNextAt: null, ipnDoneAt: new Date() } : {}),
        })
        .where('id', '=', t.id).execute();
    }
  }
}
