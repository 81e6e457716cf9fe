/**
 * A refund the gateway never answers (its refund API unreachable): 502, nothing recorded, the
 * amount held so that no second refund can exceed the payment; an official who checked the
 * gateway's portal settles the request either way, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';
import { count, eventually, FEES, pressSandboxButton, startVnpay } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let head: Client;
let procedureId: string;

beforeAll(async () => {
  // Payments go through the sandbox as usual; the merchant API (QueryDR, refund) is a closed port.
  t = await createTestApp({ PAYMENT_SANDBOX_IPN_RETRY_MS: '40', VNPAY_QUERYDR_URL: 'http://127.0.0.1:9/merchant_webapi/api/transaction', PAYMENT_GATEWAY_TIMEOUT_MS: '1000' });
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES })).id;
  citizen = await signInCitizen(t.app);
  head = await signInOfficial(t.app, 'division_head');
});
afterAll(() => t.close());

async function paidPayment(): Promise<string> {
  const s = await startVnpay(citizen, procedureId);
  await pressSandboxButton(t, s.url, 'paid');
  await eventually(async () => (await t.db.selectFrom('payments').select('status').where('id', '=', s.paymentId).executeTakeFirstOrThrow()).status === 'paid');
  return s.paymentId;
}

describe('a refund the gateway does not answer', () => {
  it('is held, not recorded, until an official settles it after checking the gateway', async () => {
    const paymentId = await paidPayment();
    const refund = (amountVnd: number, extra: Record<string, unknown> = {}) =>
      head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd, reason: 'Hồ sơ bị từ chối, hoàn lệ phí', ...extra });
    const lost = await refund(120_000);
    expect(lost.statusCode).toBe(502);
    expect(safeJson(lost.body).error.code).toBe('gateway_no_answer');
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(0);
    const rq = await t.db.selectFrom('paymentRefundRequests').select(['requestId', 'status']).where('paymentId', '=', paymentId).executeTakeFirstOrThrow();
    expect(rq.status).toBe('unknown');
    // Held: not even a refund recorded another way may exceed what is left.
    expect((await refund(1, { viaGateway: false })).statusCode).toBe(409);

    const url = `/api/v1/payments/${paymentId}/refund-requests/${rq.requestId}/resolve`;
    expect((await citizen.post(url, { refunded: false, note: 'không hoàn' })).statusCode).toBe(403);
    const closed = await head.post(url, { refunded: false, note: 'Cổng VNPay không ghi nhận yêu cầu hoàn này' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(safeJson(closed.body)).toEqual({ status: 'failed', refund: null });
    expect((await head.post(url, { refunded: true, note: 'bấm lại lần nữa' })).statusCode).toBe(409);
    // Freed: the next unanswered request, then settled as refunded.
    expect((await refund(50_000)).statusCode).toBe(502);
    const second = await t.db.selectFrom('paymentRefundRequests').select('requestId').where('paymentId', '=', paymentId).where('status', '=', 'unknown').executeTakeFirstOrThrow();
    const done = await head.post(`/api/v1/payments/${paymentId}/refund-requests/${second.requestId}/resolve`, { refunded: true, note: 'Cổng VNPay đã hoàn (mã GD hoàn 14455)', reference: '14455' });
    expect(done.statusCode, done.body).toBe(200);
    expect(safeJson(done.body)).toMatchObject({ status: 'confirmed', refund: { amountVnd: 50_000, reference: '14455' } });
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(1);
    expect(Number((await t.db.selectFrom('payments').select('refundedVnd').where('id', '=', paymentId).executeTakeFirstOrThrow()).refundedVnd)).toBe(50_000);
  });
});
