/**
 * The VNPay IPN and return URL (RELIABILITY 13–17) and the fee gate on the workflow (3): tampered
 * IPNs, VNPay's answer order, exact amounts, the same IPN 10 times in a row and 20 at once,
 * forged return URLs, ResponseCode 00 with TransactionStatus ≠ 00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';
import { count, FEES, ipnParams, oracleSign, sendIpn, signedQuery, submittedDossier, urlParams } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let desk: Client;
let secret: string;
let procedureId: string;

beforeAll(async () => {
  t = await createTestApp();
  secret = t.config.payment.vnpay!.hashSecret;
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES })).id;
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
});
afterAll(() => t.close());

/** A submitted dossier with a VNPay payment started for its online fees. */
async function started(feeIds?: string[]) {
  const dossierId = await submittedDossier(citizen, procedureId);
  const res = await citizen.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, feeIds ? { feeIds } : {}, { 'idempotency-key': `pay-${Math.random()}` });
  expect(res.statusCode, res.body).toBe(201);
  const body = safeJson(res.body);
  return { dossierId, payment: body.payment, request: urlParams(body.redirectUrl), redirectUrl: body.redirectUrl as string };
}

const paymentRow = (id: string) => t.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function snapshot(paymentId: string) {
  const p = await paymentRow(paymentId);
  return { status: p.status, paidAt: p.paidAt, receipts: await count(t, 'receipts', { paymentId }), audit: await count(t, 'auditLog') };
}

describe('what is due, and the payment URL', () => {
  it('copies the fee items onto the dossier and signs a URL the vnpay package accepts', async () => {
    const { dossierId, payment, request } = await started();
    expect(payment).toMatchObject({ method: 'vnpay', status: 'pending', amountVnd: 120_000, paidOnline: true, gateway: 'sandbox' });
    // Only the items payable online are in it: the counter-only fee is left.
    const due = safeJson((await citizen.get(`/api/v1/dossiers/${dossierId}/payments`)).body);
    expect(due.fees.map((f: { amountVnd: number; status: string }) => [f.amountVnd, f.status])).toEqual([[100_000, 'due'], [30_000, 'due'], [20_000, 'due']]);
    expect(due.totals).toMatchObject({ totalVnd: 150_000, dueVnd: 150_000, dueOnlineVnd: 120_000, paidVnd: 0 });
    expect(due.blocking).toMatchObject({ action: 'receive', dueVnd: 100_000 });
    expect(due.pending.payment.id).toBe(payment.id);
    expect(request).toMatchObject({ vnp_Version: '2.1.0', vnp_Command: 'pay', vnp_Amount: '12000000', vnp_CurrCode: 'VND', vnp_Locale: 'vn' });
    expect(request.vnp_TxnRef).toMatch(/^\d{14}$/);
    expect(request.vnp_CreateDate).toMatch(/^\d{14}$/);
    expect(Number(request.vnp_ExpireDate) - Number(request.vnp_CreateDate)).toBeGreaterThan(0);
    const { VNPay, ignoreLogger } = await import('vnpay');
    const oracle = new VNPay({ tmnCode: request.vnp_TmnCode!, secureSecret: secret, loggerFn: ignoreLogger });
    expect(oracle.verifyReturnUrl(request as never).isVerified).toBe(true);
    expect(oracle.verifyReturnUrl({ ...request, vnp_Amount: '12000100' } as never).isVerified).toBe(false);
  });

  it('resumes the same payment instead of opening a second one, and replays an Idempotency-Key', async () => {
    const { dossierId, payment, redirectUrl } = await started();
    const again = await citizen.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, {}, { 'idempotency-key': `pay-${Math.random()}` });
    expect(again.statusCode).toBe(200);
    expect(safeJson(again.body)).toMatchObject({ resumed: true, redirectUrl, payment: { id: payment.id } });
    const key = `pay-key-${Math.random()}`;
    const d2 = await submittedDossier(citizen, procedureId);
    const [a, b] = await Promise.all([1, 2].map(() => citizen.post(`/api/v1/dossiers/${d2}/payments/vnpay`, {}, { 'idempotency-key': key })));
    expect(safeJson(a!.body).payment.id).toBe(safeJson(b!.body).payment.id);
    const other = await citizen.post(`/api/v1/dossiers/${d2}/payments/vnpay`, { locale: 'en' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(await t.db.selectFrom('payments').select('id').where('dossierId', '=', d2).execute()).toHaveLength(1);
    // Another item set while this one is open: refused, nobody pays twice.
    const fees = safeJson((await citizen.get(`/api/v1/dossiers/${d2}/payments`)).body).fees;
    const overlapping = await citizen.post(`/api/v1/dossiers/${d2}/payments/vnpay`, { feeIds: [fees[0].id] });
    expect(overlapping.statusCode).toBe(409);
    expect(safeJson(overlapping.body).error.code).toBe('payment_in_progress');
  });

  it('refuses strangers: another citizen gets 404, an official cannot start an online payment', async () => {
    const { dossierId } = await started();
    const { signUpCitizen } = await import('../helpers.ts');
    const stranger = (await signUpCitizen(t.app)).client;
    expect((await stranger.get(`/api/v1/dossiers/${dossierId}/payments`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, {})).statusCode).toBe(404);
    expect((await desk.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, {})).statusCode).toBe(403);
    expect((await desk.get(`/api/v1/dossiers/${dossierId}/payments`)).statusCode).toBe(200);
  });
});

describe('IPN: signature and parameters (RELIABILITY 13)', () => {
  it('a changed amount, a missing parameter or a bad hash answers 97 and changes nothing', async () => {
    const { payment, request } = await started();
    const before = await snapshot(payment.id);
    const good = ipnParams(request);
    const hash = oracleSign(good, secret);
    const base = new URLSearchParams(good);
    const tamperedAmount = new URLSearchParams({ ...good, vnp_Amount: '100' });
    expect(await sendIpn(t, `${tamperedAmount}&vnp_SecureHash=${hash}`)).toEqual({ RspCode: '97', Message: 'Invalid signature' });
    const flipped = hash.slice(0, -1) + (hash.endsWith('0') ? '1' : '0');
    expect((await sendIpn(t, `${base}&vnp_SecureHash=${flipped}`)).RspCode).toBe('97');
    expect((await sendIpn(t, `${base}&vnp_SecureHash=${hash.slice(0, 64)}`)).RspCode).toBe('97');
    expect((await sendIpn(t, `${base}`)).RspCode).toBe('97');
    expect((await sendIpn(t, `${base}&vnp_SecureHash=${oracleSign(good, 'another-secret-123')}`)).RspCode).toBe('97');
    const { vnp_TransactionStatus: _drop, ...missing } = good;
    expect((await sendIpn(t, signedQuery(missing, secret))).RspCode).toBe('97');
    // A repeated parameter is not a value we can judge.
    expect((await sendIpn(t, `${base}&vnp_Amount=${good.vnp_Amount}&vnp_SecureHash=${hash}`)).RspCode).toBe('97');
    expect(await snapshot(payment.id)).toEqual(before);
  });

  it('handles any parameter order, + for spaces, and an upper-case hash', async () => {
    const { payment, request } = await started();
    const params = ipnParams(request, { vnp_OrderInfo: 'Thanh toan phi ho so (thu nghiem) 1+1' });
    const hash = oracleSign(params, secret).toUpperCase();
    const shuffled = Object.keys(params).reverse().map((k) => `${k}=${encodeURIComponent(params[k]!).replace(/%20/g, '+')}`).join('&');
    expect(shuffled).toContain('vnp_OrderInfo=Thanh+toan+phi+ho+so+(thu+nghiem)+1%2B1');
    expect(await sendIpn(t, `vnp_SecureHash=${hash}&${shuffled}`)).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect((await paymentRow(payment.id)).status).toBe('paid');
  });
});

describe('IPN: VNPay\'s order of checks and exact amounts (RELIABILITY 14)', () => {
  it('97 before 01 before 04 before 02, and the amount must be exactly the fee × 100', async () => {
    const { payment, request } = await started();
    const unknown = ipnParams(request, { vnp_TxnRef: '99999999999999' });
    expect((await sendIpn(t, `${new URLSearchParams(unknown)}&vnp_SecureHash=${'a'.repeat(128)}`)).RspCode).toBe('97');
    expect(await sendIpn(t, signedQuery(unknown, secret))).toEqual({ RspCode: '01', Message: 'Order not found' });
    for (const amount of ['12000001', '11999900', '1200000', '120000000', '012000000', '12000000.00', '-12000000']) {
      expect((await sendIpn(t, signedQuery(ipnParams(request, { vnp_Amount: amount }), secret))).RspCode, amount).toBe('04');
    }
    expect((await paymentRow(payment.id)).status).toBe('pending');
    expect((await sendIpn(t, signedQuery(ipnParams(request), secret))).RspCode).toBe('00');
    // Settled: a wrong amount still answers 04 (checked before 02), the right one 02.
    expect((await sendIpn(t, signedQuery(ipnParams(request, { vnp_Amount: '100' }), secret))).RspCode).toBe('04');
    expect(await sendIpn(t, signedQuery(ipnParams(request), secret))).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    // Another terminal's notification for our reference is not ours.
    expect((await sendIpn(t, signedQuery(ipnParams(request, { vnp_TmnCode: 'OTHER001' }), secret))).RspCode).toBe('01');
  });

  it('answers 99 when something breaks, and changes nothing', async () => {
    const { payment, request } = await started();
    const before = await snapshot(payment.id);
    // A NUL byte makes PostgreSQL refuse the query: an unexpected error inside the handler.
    expect((await sendIpn(t, signedQuery(ipnParams(request, { vnp_TxnRef: 'ABC\u0000DEF' }), secret))).RspCode).toBe('99');
    expect(await snapshot(payment.id)).toEqual(before);
  });
});

describe('IPN: exactly one paid transition (RELIABILITY 15)', () => {
  async function checkOnce(paymentId: string, dossierId: string) {
    expect(await count(t, 'receipts', { paymentId })).toBe(1);
    expect(await count(t, 'auditLog', { action: 'payment.paid', objectId: paymentId })).toBe(1);
    const p = await paymentRow(paymentId);
    expect(p).toMatchObject({ status: 'paid', settledVia: 'ipn', gatewayTxnNo: '14422574', overpaidVnd: '0' });
    const due = safeJson((await citizen.get(`/api/v1/dossiers/${dossierId}/payments`)).body);
    expect(due.fees.filter((f: { status: string }) => f.status === 'paid').map((f: { paymentId: string }) => f.paymentId)).toEqual([paymentId, paymentId]);
    expect(due.payments[0].receipt.code).toMatch(/^BL\d{4}-000\.00\.12\.H56-\d{7}$/);
  }

  it('the same IPN 10 times in a row: 00 once, then 02', async () => {
    const { dossierId, payment, request } = await started();
    const query = signedQuery(ipnParams(request), secret);
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push((await sendIpn(t, query)).RspCode);
    expect(answers).toEqual(['00', ...Array(9).fill('02')]);
    await checkOnce(payment.id, dossierId);
    expect(await t.db.selectFrom('paymentGatewayEvents').select('answer').where('paymentId', '=', payment.id).orderBy('id').execute())
      .toEqual([{ answer: '00' }, ...Array(9).fill({ answer: '02' })]);
  });

  it('the same IPN 20 times at once: one 00, nineteen 02', async () => {
    const { dossierId, payment, request } = await started();
    const query = signedQuery(ipnParams(request), secret);
    const answers = (await Promise.all(Array.from({ length: 20 }, () => sendIpn(t, query)))).map((a) => a.RspCode);
    expect(answers.filter((a) => a === '00')).toHaveLength(1);
    expect(answers.filter((a) => a === '02')).toHaveLength(19);
    await checkOnce(payment.id, dossierId);
  });
});

describe('the return URL is display only; both codes must be 00 (RELIABILITY 16, 17)', () => {
  it('a forged return URL saying 00 never marks anything paid', async () => {
    const { payment, request } = await started();
    const before = await snapshot(payment.id);
    const params = ipnParams(request);
    const forged = await t.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/return?${new URLSearchParams(params)}&vnp_SecureHash=${'0'.repeat(128)}` });
    expect(safeJson(forged.body)).toMatchObject({ signatureValid: false, gatewayOutcome: 'unknown', paymentId: null, status: null });
    // Even a genuinely signed return URL only shows: the IPN is the proof.
    const genuine = safeJson((await t.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/return?${signedQuery(params, secret)}` })).body);
    expect(genuine).toMatchObject({ signatureValid: true, gatewayOutcome: 'success', paymentId: payment.id, status: 'pending' });
    expect(await snapshot(payment.id)).toEqual(before);
  });

  it('ResponseCode 00 with TransactionStatus 02 is recorded as failed, not paid', async () => {
    const { dossierId, payment, request } = await started();
    expect((await sendIpn(t, signedQuery(ipnParams(request, { vnp_TransactionStatus: '02' }), secret))).RspCode).toBe('00');
    const p = await paymentRow(payment.id);
    expect(p).toMatchObject({ status: 'failed', responseCode: '00', transactionStatus: '02', paidAt: null });
    expect(await count(t, 'receipts', { paymentId: payment.id })).toBe(0);
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${dossierId}/payments`)).body).totals.paidVnd).toBe(0);
    // And the other way round.
    const second = await citizen.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, {});
    const r2 = urlParams(safeJson(second.body).redirectUrl);
    expect((await sendIpn(t, signedQuery(ipnParams(r2, { vnp_ResponseCode: '24', vnp_TransactionStatus: '00' }), secret))).RspCode).toBe('00');
    expect((await paymentRow(safeJson(second.body).payment.id)).status).toBe('failed');
    // A late success for a failed payment is "already confirmed".
    expect((await sendIpn(t, signedQuery(ipnParams(r2), secret))).RspCode).toBe('02');
  });
});

describe('the workflow cannot pass an unpaid required fee (RELIABILITY 3)', () => {
  it('receive and forward wait for their fees; an exemption lifts the gate; the next gate is shown', async () => {
    const dossierId = await submittedDossier(citizen, procedureId);
    const due = safeJson((await citizen.get(`/api/v1/dossiers/${dossierId}/payments`)).body);
    const first = await citizen.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, { feeIds: [due.fees[0].id] });
    expect(safeJson(first.body).payment.amountVnd).toBe(100_000);
    const request = urlParams(safeJson(first.body).redirectUrl);
    const act = (c: Client, body: object) => c.post(`/api/v1/dossiers/${dossierId}/actions`, body);
    const refused = await act(desk, { type: 'receive' });
    expect(refused.statusCode).toBe(409);
    expect(safeJson(refused.body).error).toMatchObject({ code: 'fee_unpaid' });
    expect(safeJson(refused.body).error.message.vi).toContain('100.000 ₫');
    expect((await sendIpn(t, signedQuery(ipnParams(request), secret))).RspCode).toBe('00');
    expect((await act(desk, { type: 'receive' })).statusCode).toBe(200);
    // The counter-only fee (before processing) stops the dossier leaving the first step.
    const forward = await act(desk, { type: 'forward' });
    expect(forward.statusCode, forward.body).toBe(409);
    expect(safeJson(forward.body).error.code).toBe('fee_unpaid');
    const fees = safeJson((await desk.get(`/api/v1/dossiers/${dossierId}/payments`)).body).fees;
    const short = await desk.post(`/api/v1/dossiers/${dossierId}/fee-exemptions`, { feeIds: [fees[1].id], reason: 'x' });
    expect(short.statusCode).toBe(400);
    const exempt = await desk.post(`/api/v1/dossiers/${dossierId}/fee-exemptions`, { feeIds: [fees[1].id], reason: 'Hộ nghèo theo Quyết định 123/QĐ-UBND' });
    expect(exempt.statusCode, exempt.body).toBe(200);
    expect(safeJson(exempt.body).fees[1]).toMatchObject({ status: 'exempted', exemption: { reason: 'Hộ nghèo theo Quyết định 123/QĐ-UBND' } });
    expect((await desk.post(`/api/v1/dossiers/${dossierId}/fee-exemptions`, { feeIds: [fees[1].id], reason: 'lần nữa' })).statusCode).toBe(400);
    expect((await act(desk, { type: 'forward' })).statusCode).toBe(200);
    // The last fee (before the result) is still due: it gates return_result (see the unit test of
    // the gates); the counter takes it in cash.
    const gate = safeJson((await desk.get(`/api/v1/dossiers/${dossierId}/payments`)).body);
    expect(gate.blocking).toMatchObject({ action: 'return_result', dueVnd: 20_000, feeIds: [fees[2].id] });
    const cash = await desk.post(`/api/v1/dossiers/${dossierId}/payments/cash`, { feeIds: [fees[2].id], amountVnd: 20_000 });
    expect(cash.statusCode, cash.body).toBe(201);
    expect(safeJson((await desk.get(`/api/v1/dossiers/${dossierId}/payments`)).body).blocking).toBeNull();
  });
});
