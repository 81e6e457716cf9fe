/**
 * The sandbox gateway speaks VNPay: its page, the redirect to the return URL, the IPN with
 * VNPay-like retries, QueryDR (checked with the `vnpay` package over HTTP), and reconciliation
 * of a payment whose IPN never came (RELIABILITY 19). Receipts: the citizen and the agency, 404 for others.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VNPay, ignoreLogger } from 'vnpay';
import { VnpayGateway } from '../../src/adapters/payment/index.ts';
import { dailySweep, reconcilePending, type PaymentDeps } from '../../src/modules/payment/index.ts';
import { buildProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type Client, type TestApp } from '../helpers.ts';
import { count, eventually, FEES, pressSandboxButton, startVnpay, submittedDossier, urlParams } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let procedureId: string;

beforeAll(async () => {
  t = await createTestApp({ PAYMENT_SANDBOX_IPN_RETRY_MS: '40' });
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES })).id;
  citizen = await signInCitizen(t.app);
});
afterAll(() => t.close());

const start = (c = citizen) => startVnpay(c, procedureId);
const pressButton = (url: URL, outcome: 'paid' | 'failed' | 'paid_no_ipn') => pressSandboxButton(t, url, outcome);

const status = async (id: string) => (await t.db.selectFrom('payments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('sandbox payment page', () => {
  it('shows an accessible Vietnamese page with Pay and Fail; Pay redirects with a signed result and the IPN settles it', async () => {
    const { dossierId, paymentId, url } = await start();
    expect(url.pathname).toBe('/sandbox/vnpay/paymentv2/vpcpay.html');
    const { page, post } = await pressButton(url, 'paid');
    expect(page).toContain('<html lang="vi">');
    expect(page).toMatch(/<button[^>]*value="paid"[^>]*>Thanh toán <span lang="en">\(Pay\)<\/span><\/button>/);
    expect(page).toMatch(/<button[^>]*value="failed"[^>]*>Thất bại <span lang="en">\(Fail\)<\/span><\/button>/);
    expect(page).toContain('<label for="bank">');
    expect(page).toContain('120.000 ₫');
    expect(post.statusCode).toBe(303);
    const back = new URL(post.headers.location as string);
    expect(back.pathname).toBe('/thanh-toan/ket-qua');
    const params = Object.fromEntries(back.searchParams);
    // The vnpay package accepts what the sandbox signed.
    const oracle = new VNPay({ tmnCode: t.config.payment.vnpay!.tmnCode, secureSecret: t.config.payment.vnpay!.hashSecret, loggerFn: ignoreLogger });
    expect(oracle.verifyReturnUrl(params as never)).toMatchObject({ isVerified: true, isSuccess: true });
    await eventually(async () => (await status(paymentId)) === 'paid');
    const shown = safeJson((await t.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/return${back.search}` })).body);
    expect(shown).toMatchObject({ signatureValid: true, gatewayOutcome: 'success', status: 'paid', dossierId, amountVnd: 120_000 });
    expect(shown.receipt.url).toBe(`/api/v1/payments/${paymentId}/receipt`);
    const t0 = await t.db.selectFrom('paymentSandboxTransactions').select(['ipnAttempts', 'ipnAnswers', 'ipnNextAt']).where('txnRef', '=', params.vnp_TxnRef!).executeTakeFirstOrThrow();
    expect(t0).toMatchObject({ ipnAttempts: 1, ipnNextAt: null });
    expect(t0.ipnAnswers.map((a) => a.rspCode)).toEqual(['00']);
    // The same URL cannot be paid twice the same day.
    expect((await t.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(409);
  });

  it('Fail comes back failed, nothing is charged; a tampered or expired URL is refused', async () => {
    const { paymentId, url } = await start();
    const { post } = await pressButton(url, 'failed');
    expect(new URL(post.headers.location as string).searchParams.get('vnp_ResponseCode')).toBe('24');
    await eventually(async () => (await status(paymentId)) === 'failed');
    expect(await count(t, 'receipts', { paymentId })).toBe(0);
    const tampered = new URL(url);
    tampered.searchParams.set('vnp_Amount', '100');
    const bad = await t.app.inject({ method: 'GET', url: tampered.pathname + tampered.search });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('70');
  });
});

describe('the receipt', () => {
  it('is a PDF for the citizen and the agency, 404 for everyone else', async () => {
    const { paymentId, url } = await start();
    await pressButton(url, 'paid');
    await eventually(async () => (await status(paymentId)) === 'paid');
    const pdf = await citizen.get(`/api/v1/payments/${paymentId}/receipt`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="bien-lai-BL\d{4}-/);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-receipt-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
      expect(text).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
      expect(text).toContain('Một trăm hai mươi nghìn đồng');
      expect(text).toContain('120.000 ₫');
      expect(text).toContain('Lệ phí đăng ký hộ kinh doanh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const desk = await signInOfficial(t.app, 'reception_officer');
    expect((await desk.get(`/api/v1/payments/${paymentId}/receipt`)).statusCode).toBe(200);
    expect(await count(t, 'auditLog', { action: 'payment.receipt_downloaded', objectId: paymentId })).toBe(1);
    const stranger = (await signUpCitizen(t.app)).client;
    const res = await stranger.get(`/api/v1/payments/${paymentId}/receipt`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('%PDF');
    // Officials of another agency: a dossier of the Department of Finance is not the demo desk's.
    const elsewhere = await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES, agencyCode: '000.00.04.H56' });
    const d2 = await submittedDossier(citizen, elsewhere.id);
    const p2 = safeJson((await citizen.post(`/api/v1/dossiers/${d2}/payments/vnpay`, {})).body);
    await pressButton(new URL(p2.redirectUrl), 'paid');
    await eventually(async () => (await status(p2.payment.id)) === 'paid');
    expect((await citizen.get(`/api/v1/payments/${p2.payment.id}/receipt`)).statusCode).toBe(200);
    expect((await desk.get(`/api/v1/payments/${p2.payment.id}/receipt`)).statusCode).toBe(404);
    expect((await desk.get(`/api/v1/payments/${p2.payment.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/v1/payments/${paymentId}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}/receipt` })).statusCode).toBe(401);
  });
});

describe('IPN retries like VNPay', () => {
  let server: Server;
  let failFirst = 0;
  let hits = 0;
  let other: TestApp;
  beforeAll(async () => {
    // A merchant IPN endpoint that fails its first calls, then passes them on to the app.
    server = createServer((req, res) => {
      hits++;
      if (hits <= failFirst) {
        res.writeHead(hits % 2 ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ RspCode: '99', Message: 'down' }));
        return;
      }
      void other.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/ipn${req.url!.slice(req.url!.indexOf('?'))}` }).then((r) => res.writeHead(200).end(r.body));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    other = await createTestApp({ PAYMENT_SANDBOX_IPN_RETRY_MS: '30', PAYMENT_SANDBOX_IPN_ATTEMPTS: '10', PAYMENT_SANDBOX_IPN_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipn` });
    await buildProcedure(other.ownerDb, { requiredComponents: 0, fees: FEES }).then((p) => (procedureId2 = p.id));
  });
  let procedureId2 = '';
  afterAll(async () => {
    await other.close();
    server.close();
  });

  it('retries until 00 and stops; gives up after 10 attempts', async () => {
    const c = await signInCitizen(other.app);
    const startOn = async () => {
      const d = await submittedDossier(c, procedureId2);
      const b = safeJson((await c.post(`/api/v1/dossiers/${d}/payments/vnpay`, {})).body);
      const url = new URL(b.redirectUrl);
      const pageRes = await other.app.inject({ method: 'GET', url: url.pathname + url.search });
      const q = /name="q" value="([^"]*)"/.exec(pageRes.body)![1]!.replace(/&amp;/g, '&');
      await other.app.inject({ method: 'POST', url: '/sandbox/vnpay/pay', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ q, outcome: 'paid' }).toString() });
      return { id: b.payment.id as string, ref: urlParams(b.redirectUrl).vnp_TxnRef! };
    };
    const row = (ref: string) => other.db.selectFrom('paymentSandboxTransactions').selectAll().where('txnRef', '=', ref).executeTakeFirstOrThrow();
    failFirst = 3;
    hits = 0;
    const a = await startOn();
    await eventually(async () => (await row(a.ref)).ipnDoneAt !== null);
    const ra = await row(a.ref);
    expect(ra.ipnAttempts).toBe(4);
    expect(ra.ipnAnswers.map((x) => x.rspCode ?? 'error')).toEqual(['error', '99', 'error', '00']);
    expect((await other.db.selectFrom('payments').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('paid');
    failFirst = 1_000_000;
    hits = 0;
    const b = await startOn();
    await eventually(async () => (await row(b.ref)).ipnNextAt === null, 8000);
    const rb = await row(b.ref);
    expect(rb.ipnAttempts).toBe(10);
    expect(rb.ipnDoneAt).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect((await row(b.ref)).ipnAttempts).toBe(10);
    // Its IPN never came: still pending, for reconciliation to settle.
    expect((await other.db.selectFrom('payments').select('status').where('id', '=', b.id).executeTakeFirstOrThrow()).status).toBe('pending');
  });
});

describe('QueryDR and reconciliation (RELIABILITY 19)', () => {
  it('the sandbox answers QueryDR as VNPay does: the vnpay package verifies it over HTTP', async () => {
    const { url } = await start();
    await pressButton(url, 'paid');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const req = urlParams(url.toString());
    const oracle = new VNPay({
      tmnCode: t.config.payment.vnpay!.tmnCode, secureSecret: t.config.payment.vnpay!.hashSecret, loggerFn: ignoreLogger,
      vnpayHost: `${address}/sandbox/vnpay`, queryDrAndRefundHost: `${address}/sandbox/vnpay`,
    });
    const q = await oracle.queryDr({
      vnp_RequestId: 'REQ1234567890', vnp_IpAddr: '127.0.0.1', vnp_TxnRef: req.vnp_TxnRef!, vnp_OrderInfo: req.vnp_OrderInfo!,
      vnp_TransactionDate: Number(req.vnp_CreateDate), vnp_CreateDate: Number(req.vnp_CreateDate),
    } as never);
    expect(q).toMatchObject({ isVerified: true, isSuccess: true, vnp_TransactionStatus: '00', vnp_Amount: req.vnp_Amount });
    const missing = await oracle.queryDr({
      vnp_RequestId: 'REQ1234567891', vnp_IpAddr: '127.0.0.1', vnp_TxnRef: '11111111111111', vnp_OrderInfo: 'x',
      vnp_TransactionDate: Number(req.vnp_CreateDate), vnp_CreateDate: Number(req.vnp_CreateDate),
    } as never);
    expect(missing).toMatchObject({ isVerified: true, vnp_ResponseCode: '91' });
  });

  it('settles a payment whose IPN never came, closes one never paid, and sweeps once a day', async () => {
    const lost = await start();
    await pressButton(lost.url, 'paid_no_ipn');
    const abandoned = await start();
    await new Promise((r) => setTimeout(r, 150));
    expect([await status(lost.paymentId), await status(abandoned.paymentId)]).toEqual(['pending', 'pending']);
    // Not yet 15 minutes: nothing is asked.
    const early = safeJson((await (await signInOfficial(t.app, 'division_head')).post('/api/v1/staff/payments/reconcile')).body);
    expect(early.checked).toBe(0);
    // 16 minutes later (and past the 15-minute expiry), the job settles and closes them.
    const later = new Date(Date.now() + 16 * 60_000);
    const counts = await reconcilePending(appDeps(), later);
    expect(counts).toMatchObject({ checked: 2, settled: 1, unknown: 0 });
    expect(await status(lost.paymentId)).toBe('paid');
    expect((await t.db.selectFrom('payments').select('settledVia').where('id', '=', lost.paymentId).executeTakeFirstOrThrow()).settledVia).toBe('querydr');
    expect(await count(t, 'receipts', { paymentId: lost.paymentId })).toBe(1);
    // The abandoned one expires only once its URL has expired at the gateway too.
    await t.db.updateTable('payments').set({ expiresAt: new Date(Date.now() - 1000), lastQueryAt: null }).where('id', '=', abandoned.paymentId).execute();
    const again = await reconcilePending(appDeps(), new Date(later.getTime() + 10 * 60_000));
    expect(again.closed).toBe(1);
    expect(await status(abandoned.paymentId)).toBe('expired');
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setUTCHours(20, 0, 0, 0); // 03:00 GMT+7 the day after tomorrow's UTC date
    const sweep = await dailySweep(appDeps(), tomorrow);
    expect(sweep).not.toBeNull();
    expect(await dailySweep(appDeps(), tomorrow)).toBeNull();
  });
});

/** The payment module's dependencies as the app builds them: the sandbox gateway, called in process. */
function appDeps(): PaymentDeps {
  const v = t.config.payment.vnpay!;
  const gateway = new VnpayGateway({
    id: 'sandbox', ...v, timeoutMs: 5000,
    transport: async (url, init) => {
      const r = await t.app.inject({ method: 'POST', url: new URL(url).pathname, payload: init.body, headers: { 'content-type': 'application/json' } });
      return { status: r.statusCode, body: r.body };
    },
  });
  return { db: t.db, config: t.config, gateway, log: { warn: () => {}, error: () => {}, info: () => {} } };
}

describe('refunds through the gateway (VNPay refund API)', () => {
  let head: Client;
  beforeAll(async () => {
    head = await signInOfficial(t.app, 'division_head');
  });
  const sandboxRow = (ref: string) => t.db.selectFrom('paymentSandboxTransactions').select(['refunded', 'refunds']).where('txnRef', '=', ref).executeTakeFirstOrThrow();
  async function paid() {
    const s = await start();
    await pressButton(s.url, 'paid');
    await eventually(async () => (await status(s.paymentId)) === 'paid');
    return { ...s, ref: urlParams(s.url.toString()).vnp_TxnRef! };
  }

  it('refunds part, then the rest, never more than was paid; the gateway books each once', async () => {
    const { paymentId, ref } = await paid();
    const refund = (amountVnd: number, extra: Record<string, unknown> = {}) => head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd, reason: 'Hồ sơ bị từ chối, hoàn lệ phí', ...extra });
    // The payment was 120.000 ₫ (the two fees payable online).
    const first = await refund(40_000);
    expect(first.statusCode, first.body).toBe(201);
    expect(safeJson(first.body)).toMatchObject({ amountVnd: 40_000, gateway: { responseCode: '00', transactionNo: expect.stringMatching(/^\d+$/) } });
    expect(await sandboxRow(ref)).toMatchObject({ refunded: '4000000', refunds: [expect.objectContaining({ amount: '4000000' })] });
    const tooMuch = await refund(90_000);
    expect(tooMuch.statusCode).toBe(409);
    expect(safeJson(tooMuch.body).error.code).toBe('refund_too_large');
    expect((await sandboxRow(ref)).refunds).toHaveLength(1);
    expect((await refund(80_000)).statusCode).toBe(201);
    expect((await refund(1)).statusCode).toBe(409);
    expect(await sandboxRow(ref)).toMatchObject({ refunded: '12000000' });
    const pay = await t.db.selectFrom('payments').select('refundedVnd').where('id', '=', paymentId).executeTakeFirstOrThrow();
    expect(Number(pay.refundedVnd)).toBe(120_000);
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(2);
    expect(await count(t, 'auditLog', { action: 'payment.refunded', objectId: paymentId })).toBe(2);
    // Citizens and the counter may not refund.
    expect((await citizen.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd: 1, reason: 'tự hoàn tiền' })).statusCode).toBe(403);
  });

  it('a refund the gateway refuses records nothing and holds nothing; a refund made another way is recorded without the gateway', async () => {
    const { paymentId, ref } = await paid();
    // Money already given back at the gateway's side (its back office): it refuses with 02.
    await t.ownerDb.updateTable('paymentSandboxTransactions').set({ refunded: '12000000' }).where('txnRef', '=', ref).execute();
    const res = await head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd: 120_000, reason: 'Hồ sơ bị từ chối, hoàn lệ phí' });
    expect(res.statusCode).toBe(409);
    expect(safeJson(res.body).error).toMatchObject({ code: 'refund_refused', message: { vi: expect.stringContaining('mã 02') } });
    expect(await count(t, 'paymentRefunds', { paymentId })).toBe(0);
    const req = await t.db.selectFrom('paymentRefundRequests').select(['status', 'responseCode']).where('paymentId', '=', paymentId).executeTakeFirstOrThrow();
    expect(req).toEqual({ status: 'failed', responseCode: '02' });
    const manual = await head.post(`/api/v1/payments/${paymentId}/refunds`, { amountVnd: 120_000, reason: 'Đã hoàn tại quầy VNPay', reference: 'VNP-BO-1', viaGateway: false });
    expect(manual.statusCode, manual.body).toBe(201);
    expect(safeJson(manual.body)).toMatchObject({ reference: 'VNP-BO-1', gateway: null });
  });

  it('speaks VNPay\'s refund protocol: a refund signed by the vnpay package is accepted, a wrong checksum gets 97, a repeated request 94', async () => {
    const { ref, url } = await paid();
    const req = urlParams(url.toString());
    const addr = t.app.server.listening ? `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` : await t.app.listen({ port: 0, host: '127.0.0.1' });
    const options = { tmnCode: t.config.payment.vnpay!.tmnCode, loggerFn: ignoreLogger, vnpayHost: `${addr}/sandbox/vnpay`, queryDrAndRefundHost: `${addr}/sandbox/vnpay` };
    const oracle = new VNPay({ ...options, secureSecret: t.config.payment.vnpay!.hashSecret });
    const body = {
      vnp_RequestId: 'RF20260001', vnp_TransactionType: '03', vnp_TxnRef: ref, vnp_Amount: 25_000, vnp_OrderInfo: `Hoan tien ${ref}`,
      vnp_TransactionDate: Number(req.vnp_CreateDate), vnp_CreateBy: 'canbo01', vnp_CreateDate: Number(req.vnp_CreateDate), vnp_IpAddr: '127.0.0.1',
    };
    // (The package checks the answer's checksum over the amount it already divided by 100, so its
    // isVerified cannot be trusted here: our client checks the answer, tested above.)
    const ok = await oracle.refund(body as never);
    expect(ok).toMatchObject({ vnp_ResponseCode: '00', vnp_TxnRef: ref });
    expect((await sandboxRow(ref)).refunded).toBe('2500000');
    expect(await oracle.refund(body as never)).toMatchObject({ vnp_ResponseCode: '94' });
    const forged = new VNPay({ ...options, secureSecret: 'NOTTHESECRETNOTTHESECRET12345678' });
    expect(await forged.refund({ ...body, vnp_RequestId: 'RF20260002' } as never)).toMatchObject({ vnp_ResponseCode: '97' });
    expect((await sandboxRow(ref)).refunded).toBe('2500000');
  });
});
