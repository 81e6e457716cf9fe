/** Shared set-up of the payment tests: a procedure with fees, a submitted dossier, IPNs signed by the `vnpay` package. */
import { expect } from 'vitest';
import { buildPaymentUrlSearchParams, calculateSecureHash } from 'vnpay/utils';
import type { BuiltFee } from '../factories.ts';
import { safeJson, type Client, type TestApp } from '../helpers.ts';

/** 100.000 ₫ before reception (online), 30.000 ₫ before processing (counter only), 20.000 ₫ before the result (online). */
export const FEES: BuiltFee[] = [
  { name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100_000, when: 'before_reception' },
  { name: 'Phí thẩm định hồ sơ', amountVnd: 30_000, when: 'before_processing', payableOnline: false },
  { name: 'Phí cấp bản sao kết quả', amountVnd: 20_000, when: 'before_result' },
];

/** An online dossier created and submitted by `citizen` (the procedure needs no papers). */
export async function submittedDossier(citizen: Client, procedureId: string): Promise<string> {
  const res = await citizen.post('/api/v1/dossiers', { procedureId, formData: { businessName: 'Tạp hóa Bình An' }, submit: true }, { 'idempotency-key': `create-${Math.random()}` });
  expect(res.statusCode, res.body).toBe(201);
  return safeJson(res.body).id;
}

/** Signs with the independent `vnpay` package (the test oracle), exactly as its verifier would check. */
export function oracleSign(params: Record<string, string>, secret: string): string {
  return calculateSecureHash({ secureSecret: secret, data: buildPaymentUrlSearchParams(params).toString(), hashAlgorithm: 'SHA512' as never, bufferEncode: 'utf-8' });
}

export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${buildPaymentUrlSearchParams(params).toString()}&vnp_SecureHash=${oracleSign(params, secret)}`;
}

/** What VNPay sends to the IPN for the payment whose URL carried `request`. */
export function ipnParams(request: Record<string, string>, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    vnp_Amount: request.vnp_Amount!,
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14422574',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: request.vnp_OrderInfo!,
    vnp_PayDate: '20260302101112',
    vnp_ResponseCode: '00',
    vnp_TmnCode: request.vnp_TmnCode!,
    vnp_TransactionNo: '14422574',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: request.vnp_TxnRef!,
    ...overrides,
  };
}

export async function sendIpn(t: TestApp, query: string): Promise<{ RspCode: string; Message: string }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/ipn?${query}`, remoteAddress: '203.205.0.1' });
  expect(res.statusCode).toBe(200);
  return safeJson(res.body);
}

/** The parameters of a payment URL. */
export const urlParams = (url: string) => Object.fromEntries(new URL(url).searchParams) as Record<string, string>;

export async function count(t: TestApp, table: 'receipts' | 'auditLog' | 'payments' | 'paymentRefunds', where?: { action?: string; objectId?: string; paymentId?: string }): Promise<number> {
  let q = t.db.selectFrom(table as 'receipts').select((eb) => eb.fn.countAll<string>().as('n'));
  if (where?.action) q = q.where('action' as never, '=', where.action as never);
  if (where?.objectId) q = q.where('objectId' as never, '=', where.objectId as never);
  if (where?.paymentId) q = q.where('paymentId', '=', where.paymentId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Waits until `check` holds (the sandbox's IPN is sent asynchronously). */
export async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/** For the scopes test: a submitted dossier owing 50.000 ₫, and a payment settled in cash at the counter. */
export async function payableDossier(t: TestApp, citizen: Client, desk: Client): Promise<{ feeDossierId: string; paidPaymentId: string }> {
  const { buildProcedure } = await import('../factories.ts');
  const p = await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: [{ name: 'Lệ phí thử nghiệm', amountVnd: 50_000 }] });
  const feeDossierId = await submittedDossier(citizen, p.id);
  const other = await submittedDossier(citizen, p.id);
  const cash = await desk.post(`/api/v1/dossiers/${other}/payments/cash`, { amountVnd: 50_000 });
  expect(cash.statusCode, cash.body).toBe(201);
  return { feeDossierId, paidPaymentId: safeJson(cash.body).id };
}

/** The citizen starts a VNPay payment of every online-payable fee due on a new dossier of `procedureId`. */
export async function startVnpay(citizen: Client, procedureId: string) {
  const dossierId = await submittedDossier(citizen, procedureId);
  const res = await citizen.post(`/api/v1/dossiers/${dossierId}/payments/vnpay`, {});
  expect(res.statusCode, res.body).toBe(201);
  const b = safeJson(res.body);
  return { dossierId, paymentId: b.payment.id as string, url: new URL(b.redirectUrl as string) };
}

/** The tester's browser on the sandbox gateway: opens its page, presses a button, follows the redirect. */
export async function pressSandboxButton(t: TestApp, url: URL, outcome: 'paid' | 'failed' | 'paid_no_ipn' | 'paid_refund_lost') {
  const pageRes = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
  expect(pageRes.statusCode, pageRes.body).toBe(200);
  const q = /name="q" value="([^"]*)"/.exec(pageRes.body)![1]!.replace(/&amp;/g, '&');
  const post = await t.app.inject({
    method: 'POST', url: '/sandbox/vnpay/pay', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ q, outcome, bankCode: 'NCB' }).toString(),
  });
  return { page: pageRes.body, post };
}
