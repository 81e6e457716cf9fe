/**
 * Cash at the counter, VietQR transfers confirmed by bank statements (.csv/.xlsx) with a review
 * of unmatched rows, refunds, the staff list by period and the daily reconciliation report.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QRPay } from 'vietnam-qr-pay';
import { crc16 } from '../../src/adapters/payment/index.ts';
import { buildProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';
import { FEES, submittedDossier } from './payment-fixtures.ts';

let t: TestApp;
let citizen: Client;
let desk: Client;
let head: Client;
let procedureId: string;

beforeAll(async () => {
  t = await createTestApp();
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: FEES })).id;
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
  head = await signInOfficial(t.app, 'division_head');
});
afterAll(() => t.close());

function upload(c: Client, name: string, bytes: Buffer, query = '') {
  const boundary = `----pay${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: `/api/v1/staff/bank-statements${query}`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
}

describe('cash at the counter', () => {
  it('takes exactly the amount due, issues a receipt, and is not an online payment', async () => {
    const id = await submittedDossier(citizen, procedureId);
    const wrong = await desk.post(`/api/v1/dossiers/${id}/payments/cash`, { amountVnd: 100_000 });
    expect(wrong.statusCode).toBe(400);
    expect(safeJson(wrong.body).error.fields[0].path).toBe('body.amountVnd');
    const key = `cash-${Math.random()}`;
    const [a, b] = await Promise.all([1, 2].map(() => desk.post(`/api/v1/dossiers/${id}/payments/cash`, { amountVnd: 150_000 }, { 'idempotency-key': key })));
    expect([a!.statusCode, b!.statusCode]).toEqual([201, 201]);
    expect(safeJson(a!.body).id).toBe(safeJson(b!.body).id);
    expect(safeJson(a!.body)).toMatchObject({ method: 'cash', status: 'paid', paidOnline: false, settledVia: 'counter', amountVnd: 150_000 });
    expect(safeJson(a!.body).receipt.code).toMatch(/^BL\d{4}-/);
    expect((await desk.post(`/api/v1/dossiers/${id}/payments/cash`, { amountVnd: 150_000 })).statusCode).toBe(409);
    expect((await citizen.post(`/api/v1/dossiers/${id}/payments/cash`, { amountVnd: 150_000 })).statusCode).toBe(403);
    expect((await desk.post(`/api/v1/dossiers/${id}/actions`, { type: 'receive' })).statusCode).toBe(200);
  });
});

describe('VietQR transfers and bank statements', () => {
  it('draws an EMVCo QR with bank, account, amount and the reference; the statement import settles it once', async () => {
    const id = await submittedDossier(citizen, procedureId);
    const res = await citizen.post(`/api/v1/dossiers/${id}/payments/vietqr`, {});
    expect(res.statusCode, res.body).toBe(201);
    const { payment, qr } = safeJson(res.body);
    expect(payment).toMatchObject({ method: 'vietqr', status: 'pending', amountVnd: 150_000, paidOnline: true });
    expect(qr.payload.slice(-4)).toBe(crc16(qr.payload.slice(0, -4)));
    const decoded = new QRPay(qr.payload);
    expect(decoded.isValid).toBe(true);
    expect(decoded.consumer).toMatchObject({ bankBin: t.config.payment.vietqr!.bankBin, bankNumber: t.config.payment.vietqr!.accountNo });
    expect(decoded.amount).toBe('150000');
    expect(decoded.additionalData.purpose).toBe(`HS ${payment.reference}`);
    expect(qr.svg).toMatch(/^<svg/);
    const csv = [
      'Sao kê tài khoản;;;;',
      'Ngày giao dịch;Số tham chiếu;Số tiền ghi có;Số tiền ghi nợ;Nội dung',
      `02/03/2026;FT2606100001;150.000;;NGUYEN VAN AN CHUYEN KHOAN HS ${payment.reference.slice(0, 8)} ${payment.reference.slice(8)}`,
      `02/03/2026;FT2606100002;99.000;;HS ${payment.reference}`,
      '02/03/2026;FT2606100003;;50.000;PHI NGAN HANG',
      '02/03/2026;FT2606100004;75.000;;ung ho quy',
    ].join('\n');
    const imported = await upload(head, 'saoke.csv', Buffer.from(`\uFEFF${csv}`));
    expect(imported.statusCode, imported.body).toBe(200);
    const r = safeJson(imported.body);
    expect(r).toMatchObject({ total: 4, matched: 1, unmatched: 2, duplicates: 0, ignored: 1 });
    expect(r.rows[0]).toMatchObject({ status: 'matched', paymentId: payment.id });
    const paid = safeJson((await citizen.get(`/api/v1/payments/${payment.id}`)).body);
    expect(paid).toMatchObject({ status: 'paid', settledVia: 'statement' });
    // The same statement again: nothing twice.
    const again = safeJson((await upload(head, 'saoke.csv', Buffer.from(csv))).body);
    expect(again).toMatchObject({ matched: 0, duplicates: 3 });
    expect(await t.db.selectFrom('receipts').select('id').where('paymentId', '=', payment.id).execute()).toHaveLength(1);
    // Review of what did not match.
    const list = safeJson((await head.get('/api/v1/staff/bank-statements/unmatched')).body);
    expect(list.total).toBe(2);
    const ungho = list.items.find((x: { amountVnd: number }) => x.amountVnd === 75_000);
    const dismissed = await head.post(`/api/v1/staff/bank-statements/rows/${ungho.id}/resolve`, { action: 'dismiss', note: 'Không phải phí hồ sơ' });
    expect(safeJson(dismissed.body).status).toBe('dismissed');
    expect((await head.post(`/api/v1/staff/bank-statements/rows/${ungho.id}/resolve`, { action: 'dismiss', note: 'lại' })).statusCode).toBe(409);
    expect((await desk.post(`/api/v1/staff/bank-statements/rows/${ungho.id}/resolve`, { action: 'dismiss', note: 'x x x' })).statusCode).toBe(403);
  });

  it('matches an .xlsx row on the dossier code and the exact amount', async () => {
    const id = await submittedDossier(citizen, procedureId);
    await desk.post(`/api/v1/dossiers/${id}/fee-exemptions`, { feeIds: [safeJson((await desk.get(`/api/v1/dossiers/${id}/payments`)).body).fees[2].id], reason: 'Miễn phí bản sao theo quy định' });
    const paidFirst = await desk.post(`/api/v1/dossiers/${id}/payments/cash`, { feeIds: [safeJson((await desk.get(`/api/v1/dossiers/${id}/payments`)).body).fees[0].id], amountVnd: 100_000 });
    expect(paidFirst.statusCode).toBe(201);
    const received = safeJson((await desk.post(`/api/v1/dossiers/${id}/actions`, { type: 'receive' })).body);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sao ke');
    ws.addRow(['Ngày', 'Diễn giải', 'Ghi có', 'Mã GD']);
    ws.addRow([new Date('2026-03-03T03:00:00Z'), `CK phi tham dinh ho so ${received.code.replace(/[.-]/g, ' ')}`, 30000, 'X1']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = safeJson((await upload(head, 'saoke.xlsx', bytes)).body);
    expect(r).toMatchObject({ total: 1, matched: 1, unmatched: 0 });
    expect(r.rows[0].dossierCode).toBe(received.code);
    const due = safeJson((await citizen.get(`/api/v1/dossiers/${id}/payments`)).body);
    expect(due.totals).toMatchObject({ dueVnd: 0, paidVnd: 130_000, exemptedVnd: 20_000 });
  });
});

describe('staff: list, refunds, daily report', () => {
  it('lists payments by agency and period with sums, records refunds within the amount, and reports the day', async () => {
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const list = safeJson((await head.get(`/api/v1/staff/payments?from=${today}&to=${today}&status=paid`)).body);
    expect(list.total).toBeGreaterThanOrEqual(3);
    expect(list.sums.paidVnd).toBe(list.items.reduce((s: number, p: { amountVnd: number }) => s + p.amountVnd, 0));
    const cash = list.items.find((p: { method: string }) => p.method === 'cash');
    expect((await head.post(`/api/v1/payments/${cash.id}/refunds`, { amountVnd: cash.amountVnd + 1, reason: 'Quá số tiền' })).statusCode).toBe(409);
    const refund = await head.post(`/api/v1/payments/${cash.id}/refunds`, { amountVnd: 10_000, reason: 'Hồ sơ bị từ chối một phần', reference: 'PC-001' });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(safeJson((await head.get(`/api/v1/payments/${cash.id}`)).body).refundedVnd).toBe(10_000);
    const report = safeJson((await head.get(`/api/v1/staff/payments/report?date=${today}`)).body);
    const dept = report.agencies.find((a: { agencyCode: string }) => a.agencyCode === '000.00.12.H56');
    expect(dept.paid.cash.count).toBeGreaterThanOrEqual(2);
    expect(dept.paid.vietqr.count).toBeGreaterThanOrEqual(2);
    expect(dept.paid.online.amountVnd).toBe(dept.paid.vietqr.amountVnd + dept.paid.vnpay.amountVnd);
    expect(dept.refunds).toEqual({ count: 1, amountVnd: 10_000 });
    expect(dept.receiptsIssued).toBe(dept.paid.total.count);
    expect(report.unmatchedTransfers.count).toBe(1);
    expect((await citizen.get(`/api/v1/staff/payments/report?date=${today}`)).statusCode).toBe(403);
  });
});
