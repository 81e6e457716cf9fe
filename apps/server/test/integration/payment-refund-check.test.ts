/**
 * Refund requests VNPay never answered, settled by the automatic QueryDR check: a refund VNPay
 * made but whose answer was lost (the sandbox's tester switch) is recorded exactly once, even
 * with two checks at once or an official resolving it at the same moment; a refused one (09)
 * frees its amount; no answer leaves it open and asks again later, less and less often; a refund
 * VNPay never shows expires after the give-up window. The staff listing is scoped to the
 * official's agencies; QueryDR requests and answers are signed as VNPay documents them.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VNPay, ignoreLogger } from 'vnpay';
import { VnpayGateway, type GatewayTransport } from '../../src/adapters/payment/index.ts';
import { checkUnansweredRefunds, type PaymentDeps } from '../../src/modules/payment/index.ts';
import { totpCode } from '../../src/modules/identity/totp.ts';
import { buildProcedure } from '../factories.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, type TestApp } from '../helpers.ts';
import { count, eventually, FEES, pressSandboxButton, startVnpay, urlParams } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let head: Client;
let procedureId: string;
const CHECK_AFTER_S = 60;

beforeAll(async () => {
  t = await createTestApp({ PAYMENT_SANDBOX_IPN_RETRY_MS: '40', PAYMENT_REFUND_CHECK_AFTER_SECONDS: String(CHECK_AFTER_S), PAYMENT_REFUND_GIVE_UP_HOURS: '24' });
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES })).id;
  citizen = await signInCitizen(t.app);
  head = await signInOfficial(t.app, 'division_head');
});
afterAll(() => t.close());

/** Every call the job's gateway made: the request it sent and the answer it got. */
const calls: { body: Record<string, string>; status: number; answer: string }[] = [];

/** The payment module's dependencies with the sandbox called in process; `tamper` can replace the sandbox's answer. */
function deps(tamper?: (answer: { status: number; body: string }) => { status: number; body: string }): PaymentDeps {
  const transport: GatewayTransport = async (url, init) => {
    const r = await t.app.inject({ method: 'POST', url: new URL(url).pathname, payload: init.body, headers: { 'content-type': 'application/json' } });
    const answer = tamper ? tamper({ status: r.statusCode, body: r.body }) : { status: r.statusCode, body: r.body };
    calls.push({ body: JSON.parse(init.body) as Record<string, string>, status: answer.status, answer: answer.body });
    return answer;
  };
  const gateway = new VnpayGateway({ id: 'sandbox', ...t.config.payment.vnpay!, timeoutMs: 5000, transport });
  return { db: t.db, config: t.config, gateway, log: { warn: () => {}, error: () => {}, info: () => {} } };
}
const noAnswer = () => deps(() => ({ status: 504, body: 'Gateway Timeout' }));

const later = (ms: number) => new Date(Date.now() + ms);
const MIN = 60_000;

/** A VNPay payment of 120.000 ₫, paid; with `lose`, the sandbox will make its refunds but lose their answers. */
async function paidPayment(lose = true): Promise<{ paymentId: string; ref: string }> {
  const s = await startVnpay(citizen, procedureId);
  await pressSandboxButton(t, s.url, lose ? 'paid_refund_lost' : 'paid');
  await eventually(async () => (await t.db.selectFrom('payments').select('status').where('id', '=', s.paymentId).executeTakeFirstOrThrow()).status === 'paid');
  return { paymentId: s.paymentId, ref: urlParams(s.url.toString()).vnp_TxnRef! };
}

/** Asks for a refund whose answer is lost: 502, the request left `unknown`. */
async function unanswered(paymentId: string, amountVnd: number): Promise<{ requestId: string; id: string }> {
  const res = await head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd, reason: 'Hồ sơ bị từ chối, hoàn lệ phí' });
  expect(res.statusCode, res.body).toBe(502);
  expect(safeJson(res.body).error.code).toBe('gateway_no_answer');
  return t.db.selectFrom('paymentRefundRequests').select(['requestId', 'id']).where('paymentId', '=', paymentId).where('status', '=', 'unknown')
    .orderBy('requestedAt', 'desc').executeTakeFirstOrThrow();
}

const request = (id: string) => t.db.selectFrom('paymentRefundRequests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const refundedVnd = async (paymentId: string) => Number((await t.db.selectFrom('payments').select('refundedVnd').where('id', '=', paymentId).executeTakeFirstOrThrow()).refundedVnd);
const sandboxRefunds = async (ref: string) => (await t.db.selectFrom('paymentSandboxTransactions').select('refunds').where('txnRef', '=', ref).executeTakeFirstOrThrow()).refunds;
const resolveUrl = (paymentId: string, requestId: string) => `/api/v1/payments/${paymentId}/refund-requests/${requestId}/resolve`;
const hmac = (data: string) => createHmac('sha512', t.config.payment.vnpay!.hashSecret).update(data, 'utf8').digest('hex');

describe('a refund VNPay made but whose answer was lost', () => {
  it('is confirmed once by the check, after the delay, even with two checks at once; its QueryDR exchange is signed', async () => {
    const { paymentId, ref } = await paidPayment();
    const rq = await unanswered(paymentId, 40_000);
    // VNPay (the sandbox) booked it; we recorded nothing and hold the amount.
    expect(await sandboxRefunds(ref)).toHaveLength(1);
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(0);
    // Not yet due.
    expect((await checkUnansweredRefunds(deps(), new Date())).checked).toBe(0);

    calls.length = 0;
    const at = later(2 * MIN);
    const [a, b] = await Promise.all([checkUnansweredRefunds(deps(), at), checkUnansweredRefunds(deps(), at)]);
    expect(a.checked + b.checked).toBe(1);
    expect(a.confirmed + b.confirmed).toBe(1);
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(1);
    expect(await count(t, 'auditLog', { action: 'payment.refunded', objectId: paymentId })).toBe(1);
    expect(await refundedVnd(paymentId)).toBe(40_000);
    const refund = await t.db.selectFrom('paymentRefunds').selectAll().where('paymentId', '=', paymentId).executeTakeFirstOrThrow();
    expect(refund.reference).toBe((await sandboxRefunds(ref))[0]!.transactionNo);
    expect(await request(rq.id)).toMatchObject({ status: 'confirmed', settledVia: 'querydr', refundId: refund.id, checkCount: 1, lastCheckOutcome: 'accepted', responseCode: '05' });
    const audit = await t.db.selectFrom('auditLog').select('details').where('action', '=', 'payment.refunded').where('objectId', '=', paymentId).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ amountVnd: 40_000, gateway: { requestId: rq.requestId, via: 'querydr', transactionStatus: '05', transactionType: '03' } });

    // One QueryDR, signed over VNPay's documented fields; its answer too (type 03, status 05).
    expect(calls).toHaveLength(1);
    const q = calls[0]!.body;
    expect(q).toMatchObject({ vnp_Command: 'querydr', vnp_Version: '2.1.0', vnp_TxnRef: ref, vnp_TmnCode: t.config.payment.vnpay!.tmnCode });
    expect(q.vnp_SecureHash).toBe(hmac(['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'].map((k) => q[k]).join('|')));
    const ans = JSON.parse(calls[0]!.answer) as Record<string, string>;
    expect(ans).toMatchObject({ vnp_ResponseCode: '00', vnp_TransactionType: '03', vnp_TransactionStatus: '05', vnp_Amount: '4000000' });
    expect(ans.vnp_SecureHash).toBe(hmac([
      'vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode',
      'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType', 'vnp_TransactionStatus', 'vnp_OrderInfo', 'vnp_PromotionCode', 'vnp_PromotionAmount',
    ].map((k) => ans[k] ?? '').join('|')));

    // Settled: nothing more to check, nothing for an official to settle.
    expect((await checkUnansweredRefunds(deps(), later(10 * MIN))).checked).toBe(0);
    const again = await head.post(resolveUrl(paymentId, rq.requestId), { refunded: true, note: 'Cổng VNPay đã hoàn' });
    expect(again.statusCode).toBe(409);
    expect(safeJson(again.body).error.code).toBe('refund_request_settled');
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(1);
  });

  it('racing an official who resolves it at the same moment: one refund, one audit event', async () => {
    for (let i = 0; i < 3; i++) {
      const { paymentId } = await paidPayment();
      const rq = await unanswered(paymentId, 120_000);
      const [job, manual] = await Promise.all([
        checkUnansweredRefunds(deps(), later(2 * MIN)),
        head.post(resolveUrl(paymentId, rq.requestId), { refunded: true, note: 'Cổng VNPay đã hoàn (cổng quản trị)', reference: `P${i}` }),
      ]);
      expect([200, 409]).toContain(manual.statusCode);
      expect(job.confirmed + (manual.statusCode === 200 ? 1 : 0)).toBe(1);
      expect(await count(t, 'paymentRefunds', { paymentId })).toBe(1);
      expect(await count(t, 'auditLog', { action: 'payment.refunded', objectId: paymentId })).toBe(1);
      expect(await refundedVnd(paymentId)).toBe(120_000);
      expect((await request(rq.id)).settledVia).toBe(manual.statusCode === 200 ? 'official' : 'querydr');
    }
  });

  it('the vnpay package verifies the sandbox\'s QueryDR answer about a refunded transaction', async () => {
    const { paymentId, ref } = await paidPayment();
    await unanswered(paymentId, 25_000);
    const pay = await t.db.selectFrom('payments').select(['gatewayCreateDate', 'request']).where('id', '=', paymentId).executeTakeFirstOrThrow();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const oracle = new VNPay({
      tmnCode: t.config.payment.vnpay!.tmnCode, secureSecret: t.config.payment.vnpay!.hashSecret, loggerFn: ignoreLogger,
      vnpayHost: `${address}/sandbox/vnpay`, queryDrAndRefundHost: `${address}/sandbox/vnpay`,
    });
    const answer = await oracle.queryDr({
      vnp_RequestId: 'REQREFUND0001', vnp_IpAddr: '127.0.0.1', vnp_TxnRef: ref, vnp_OrderInfo: new URLSearchParams(pay.request as string).get('vnp_OrderInfo') ?? 'x',
      vnp_TransactionDate: Number(pay.gatewayCreateDate), vnp_CreateDate: Number(pay.gatewayCreateDate),
    } as never);
    expect(answer).toMatchObject({ isVerified: true, vnp_TransactionType: '03', vnp_TransactionStatus: '05' });
    // Settled by the check, so that later tests find no request of this one open.
    expect((await checkUnansweredRefunds(deps(), later(2 * MIN))).confirmed).toBe(1);
  });
});

describe('other answers', () => {
  it('a refusal (09) closes the request and frees the amount', async () => {
    const { paymentId, ref } = await paidPayment();
    const rq = await unanswered(paymentId, 120_000);
    // VNPay refused it after all (a tester sets the sandbox's refund to 09).
    const refunds = await sandboxRefunds(ref);
    await t.ownerDb.updateTable('paymentSandboxTransactions').set({ refunds: JSON.stringify([{ ...refunds[0]!, status: '09' }]) }).where('txnRef', '=', ref).execute();
    const counts = await checkUnansweredRefunds(deps(), later(2 * MIN));
    expect(counts).toMatchObject({ checked: 1, refused: 1, confirmed: 0 });
    expect(await request(rq.id)).toMatchObject({ status: 'failed', settledVia: 'querydr', responseCode: '09', lastCheckOutcome: 'refused', refundId: null });
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(0);
    expect(await count(t, 'auditLog', { action: 'payment.refund_refused', objectId: paymentId })).toBe(1);
    // Freed: the whole amount may be refunded another way now.
    const other = await head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd: 120_000, reason: 'Hoàn tại quầy sau khi VNPay từ chối', viaGateway: false });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('no answer leaves it open and asks again later, less and less often; a forged answer settles nothing', async () => {
    const { paymentId } = await paidPayment();
    const rq = await unanswered(paymentId, 30_000);
    const t0 = later(2 * MIN);
    expect(await checkUnansweredRefunds(noAnswer(), t0)).toMatchObject({ checked: 1, open: 1, confirmed: 0 });
    let r = await request(rq.id);
    expect(r).toMatchObject({ status: 'unknown', checkCount: 1, lastCheckOutcome: 'no_answer', lastCheckDetail: 'HTTP 504' });
    expect(r.nextCheckAt!.getTime() - t0.getTime()).toBe(CHECK_AFTER_S * 1000);
    // Not again before the next check is due.
    expect((await checkUnansweredRefunds(deps(), new Date(t0.getTime() + 30_000))).checked).toBe(0);
    const t1 = new Date(t0.getTime() + CHECK_AFTER_S * 1000);
    expect((await checkUnansweredRefunds(noAnswer(), t1)).checked).toBe(1);
    r = await request(rq.id);
    expect(r.checkCount).toBe(2);
    expect(r.nextCheckAt!.getTime() - t1.getTime()).toBe(2 * CHECK_AFTER_S * 1000);
    // An answer whose signature is not VNPay's (here: "refund accepted", unsigned) is no answer.
    const forged = deps((a) => ({ status: a.status, body: JSON.stringify({ ...JSON.parse(a.body), vnp_SecureHash: '0'.repeat(128) }) }));
    const t2 = new Date(t1.getTime() + 2 * CHECK_AFTER_S * 1000);
    expect(await checkUnansweredRefunds(forged, t2)).toMatchObject({ checked: 1, open: 1, confirmed: 0 });
    expect(await request(rq.id)).toMatchObject({ status: 'unknown', checkCount: 3, lastCheckOutcome: 'no_answer', lastCheckDetail: 'bad signature' });
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(0);
    // VNPay answers at last.
    const t3 = new Date(t2.getTime() + 4 * CHECK_AFTER_S * 1000);
    expect(await checkUnansweredRefunds(deps(), t3)).toMatchObject({ checked: 1, confirmed: 1 });
    expect(await refundedVnd(paymentId)).toBe(30_000);
  });

  it('a refund VNPay never shows stays open until the give-up window, then expires and frees the amount', async () => {
    const { paymentId } = await paidPayment(false);
    // The request never reached VNPay: it knows the payment, untouched.
    const requestId = 'lostbeforevnpay0000000000000001';
    const { id } = await t.db.insertInto('paymentRefundRequests').values({
      paymentId, amountVnd: 120_000, reason: 'Hồ sơ bị từ chối, hoàn lệ phí', requestId, status: 'unknown', message: 'transport: timeout',
    }).returning('id').executeTakeFirstOrThrow();
    expect(await checkUnansweredRefunds(deps(), later(2 * MIN))).toMatchObject({ checked: 1, open: 1 });
    expect(await request(id)).toMatchObject({ status: 'unknown', lastCheckOutcome: 'no_refund' });
    expect(await checkUnansweredRefunds(deps(), later(23 * 60 * MIN))).toMatchObject({ checked: 1, open: 1, expired: 0 });
    expect(await checkUnansweredRefunds(deps(), later(25 * 60 * MIN))).toMatchObject({ checked: 1, expired: 1 });
    expect(await request(id)).toMatchObject({ status: 'expired', settledVia: 'querydr', refundId: null });
    expect(await count(t, 'auditLog', { action: 'payment.refund_request_expired', objectId: paymentId })).toBe(1);
    expect((await head.post(resolveUrl(paymentId, requestId), { refunded: false, note: 'Không hoàn được' })).statusCode).toBe(409);
    // Freed: a new refund through VNPay goes through.
    const res = await head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd: 120_000, reason: 'Hoàn lại lệ phí lần hai' });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('the staff list of refunds awaiting confirmation', () => {
  async function officialAt(agencyCode: string, role: 'division_head' | 'reception_officer'): Promise<Client> {
    const admin = await signInOfficial(t.app, 'province_admin');
    const agencyId = (await t.db.selectFrom('agencies').select('id').where('code', '=', agencyCode).executeTakeFirstOrThrow()).id;
    const created = await admin.post('/api/v1/admin/officials', { fullName: 'Trưởng phòng Sở Tư pháp', email: `tp${Date.now()}@example.vn`, roles: [{ role, agencyId }] });
    expect(created.statusCode, created.body).toBe(201);
    const o = safeJson(created.body);
    const c = new Client(t.app, '10.20.0.2');
    const login = safeJson((await c.post('/api/v1/auth/login', { identifier: o.official.email, password: o.temporaryPassword })).body);
    const enrolled = await c.post('/api/v1/auth/totp/enrol', { challengeId: login.challengeId, code: totpCode(login.secret) });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    return c;
  }

  it('shows the agency\'s open requests with their checks; officials elsewhere neither see nor settle them', async () => {
    const { paymentId, ref } = await paidPayment();
    const rq = await unanswered(paymentId, 20_000);
    await checkUnansweredRefunds(noAnswer(), later(2 * MIN));
    const list = await head.get('/api/v1/staff/payments/refund-requests');
    expect(list.statusCode, list.body).toBe(200);
    const mine = safeJson(list.body).items.find((x: { requestId: string }) => x.requestId === rq.requestId);
    expect(mine).toMatchObject({
      paymentId, paymentReference: ref, amountVnd: 20_000, paymentAmountVnd: 120_000, status: 'unknown', canResolve: true,
      requestedBy: { name: expect.any(String) }, firstAnswer: 'HTTP 504', checks: { count: 1, lastOutcome: 'no_answer', lastDetail: 'HTTP 504' },
    });

    // The counter of the same agency reads it but may not settle it.
    const desk = await signInOfficial(t.app, 'reception_officer');
    const seen = safeJson((await desk.get('/api/v1/staff/payments/refund-requests')).body).items.find((x: { requestId: string }) => x.requestId === rq.requestId);
    expect(seen).toMatchObject({ canResolve: false });
    expect((await desk.post(resolveUrl(paymentId, rq.requestId), { refunded: false, note: 'Không hoàn được' })).statusCode).toBe(403);

    // A division head of another department: not in their list, and the payment is not theirs (404).
    const elsewhere = await officialAt('000.00.03.H56', 'division_head');
    const theirs = await elsewhere.get('/api/v1/staff/payments/refund-requests');
    expect(theirs.statusCode).toBe(200);
    expect(safeJson(theirs.body).items.map((x: { requestId: string }) => x.requestId)).not.toContain(rq.requestId);
    const foreign = await elsewhere.get(`/api/v1/staff/payments/refund-requests?agencyId=${mine.agencyId}`);
    expect(foreign.statusCode).toBe(403);
    expect((await elsewhere.post(resolveUrl(paymentId, rq.requestId), { refunded: true, note: 'Cổng VNPay đã hoàn' })).statusCode).toBe(404);
    expect((await citizen.get('/api/v1/staff/payments/refund-requests')).statusCode).toBe(403);
    expect((await new Client(t.app).get('/api/v1/staff/payments/refund-requests')).statusCode).toBe(401);
    expect((await request(rq.id)).status).toBe('unknown');

    // A stale decision (checked again since the official looked) is refused; then settled by hand.
    await checkUnansweredRefunds(noAnswer(), later(4 * MIN));
    const stale = await head.post(resolveUrl(paymentId, rq.requestId), { refunded: false, note: 'Cổng không ghi nhận yêu cầu', expectedCheckCount: 1 });
    expect(stale.statusCode).toBe(409);
    expect(safeJson(stale.body).error.code).toBe('refund_request_changed');
    const done = await head.post(resolveUrl(paymentId, rq.requestId), { refunded: true, note: 'Cổng VNPay đã hoàn (mã 99887766)', reference: '99887766', expectedCheckCount: 2 });
    expect(done.statusCode, done.body).toBe(200);
    expect(safeJson(done.body)).toMatchObject({ status: 'confirmed', refund: { amountVnd: 20_000, reference: '99887766' } });
    expect(await request(rq.id)).toMatchObject({ status: 'confirmed', settledVia: 'official' });
    const after = safeJson((await head.get('/api/v1/staff/payments/refund-requests')).body).items.map((x: { requestId: string }) => x.requestId);
    expect(after).not.toContain(rq.requestId);
  });
});
