/**
 * The staff payments page's API: the list found by reference, dossier code or applicant with its
 * refunds, the daily reconciliation exported as .xlsx and .csv (the same figures as the JSON
 * report), and the candidates an unmatched transfer may pay for, then resolving it.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProcedure } from '../factories.ts';
import { createTestApp, safeJson, signInCitizen, signInOfficial, type Client, type TestApp } from '../helpers.ts';
import { submittedDossier } from './payment-fixtures.ts';

const DEPT = '000.00.12.H56';
const FEE = 77_000;

let t: TestApp;
let citizen: Client;
let desk: Client;
let head: Client;
let procedureId: string;
/** Local (GMT+7) date of today, as the reports count days. */
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  procedureId = (await buildProcedure(t.ownerDb, { requiredComponents: 0, fees: [{ name: 'Lệ phí thử nghiệm', amountVnd: FEE }] })).id;
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
  head = await signInOfficial(t.app, 'division_head');
});
afterAll(() => t.close());

function uploadStatement(c: Client, name: string, bytes: Buffer) {
  const boundary = `----stm${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/api/v1/staff/bank-statements', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: c.cookie!, 'x-csrf-token': c.csrf! } });
}

async function cashPaid(): Promise<{ dossierId: string; payment: { id: string; reference: string } }> {
  const dossierId = await submittedDossier(citizen, procedureId);
  const res = await desk.post(`/api/v1/dossiers/${dossierId}/payments/cash`, { amountVnd: FEE }, { 'idempotency-key': `cash-${Math.random()}` });
  expect(res.statusCode, res.body).toBe(201);
  return { dossierId, payment: safeJson(res.body) };
}

describe('staff payment list', () => {
  it('finds a payment by reference, dossier code or applicant, with its refunds', async () => {
    const { dossierId, payment } = await cashPaid();
    const other = await cashPaid();
    const r1 = await head.post(`/api/v1/payments/${payment.id}/refunds`, { amountVnd: 5_000, reason: 'Thu thừa tiền sao y', reference: 'PC-01' });
    expect(r1.statusCode, r1.body).toBe(201);
    const r2 = await head.post(`/api/v1/payments/${payment.id}/refunds`, { amountVnd: 2_000, reason: 'Điều chỉnh lần hai' });
    expect(r2.statusCode, r2.body).toBe(201);

    const byRef = safeJson((await head.get(`/api/v1/staff/payments?q=${payment.reference}`)).body);
    expect(byRef.total).toBe(1);
    expect(byRef.items[0]).toMatchObject({ id: payment.id, refundedVnd: 7_000, method: 'cash', dossierId });
    expect(byRef.items[0].refunds.map((x: { amountVnd: number; reason: string; reference: string | null }) => [x.amountVnd, x.reason, x.reference]))
      .toEqual([[5_000, 'Thu thừa tiền sao y', 'PC-01'], [2_000, 'Điều chỉnh lần hai', null]]);
    expect(byRef.sums).toMatchObject({ amountVnd: FEE, paidVnd: FEE, refundedVnd: 7_000 });
    // The other payment has no refunds.
    const plain = safeJson((await head.get(`/api/v1/staff/payments?q=${other.payment.reference}`)).body);
    expect(plain.items).toHaveLength(1);
    expect(plain.items[0].refunds).toEqual([]);

    // The dossier code, once received; the applicant's name; wildcards are taken literally.
    const received = safeJson((await desk.post(`/api/v1/dossiers/${dossierId}/actions`, { type: 'receive' })).body);
    expect(received.code).toMatch(/^000\.00\.12\.H56-/);
    const byCode = safeJson((await head.get(`/api/v1/staff/payments?q=${encodeURIComponent(received.code)}`)).body);
    expect(byCode.items.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    const byName = safeJson((await head.get(`/api/v1/staff/payments?q=${encodeURIComponent('văn an')}`)).body);
    expect(byName.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([payment.id, other.payment.id]));
    expect(safeJson((await head.get(`/api/v1/staff/payments?q=${encodeURIComponent('%')}`)).body).total).toBe(0);
    expect(safeJson((await head.get('/api/v1/staff/payments?q=khong-co-ai')).body).total).toBe(0);
  });
});

describe('daily report export', () => {
  it('gives the JSON report\'s figures as .xlsx (summary and the day\'s payments) and as .csv', async () => {
    const { payment } = await cashPaid();
    await head.post(`/api/v1/payments/${payment.id}/refunds`, { amountVnd: 1_000, reason: 'Hoàn tiền thử nghiệm' });
    const date = today();
    const report = safeJson((await head.get(`/api/v1/staff/payments/report?date=${date}`)).body);
    const dept = report.agencies.find((a: { agencyCode: string }) => a.agencyCode === DEPT);
    expect(dept.paid.cash.count).toBeGreaterThanOrEqual(3);

    const xlsx = await head.get(`/api/v1/staff/payments/report/export?date=${date}&format=xlsx`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="doi-soat-thanh-toan-${date}.xlsx"`);
    expect(xlsx.headers['cache-control']).toBe('private, no-store');
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('Doi soat')!;
    const headers = (summary.getRow(4).values as unknown[]).slice(1);
    const col = (name: string) => headers.indexOf(name) + 1;
    expect(col('Tổng đã thu: số tiền (đồng)')).toBeGreaterThan(0);
    let deptRow: ExcelJS.Row | undefined;
    let totalRow: ExcelJS.Row | undefined;
    summary.eachRow((row) => {
      if (row.getCell(1).value === DEPT) deptRow = row;
      if (row.getCell(1).value === 'TỔNG CỘNG') totalRow = row;
    });
    expect(deptRow, 'a row for the department').toBeDefined();
    expect(deptRow!.getCell(col('Tiền mặt: số giao dịch')).value).toBe(dept.paid.cash.count);
    expect(deptRow!.getCell(col('Tổng đã thu: số tiền (đồng)')).value).toBe(dept.paid.total.amountVnd);
    expect(deptRow!.getCell(col('Hoàn tiền: số tiền (đồng)')).value).toBe(dept.refunds.amountVnd);
    expect(deptRow!.getCell(col('Thu tại quầy')).value).toBe(dept.settledVia.counter);
    expect(totalRow!.getCell(col('Tổng đã thu: số tiền (đồng)')).value).toBe(report.totals.paid.amountVnd);
    const list = wb.getWorksheet('Giao dich')!;
    let line: ExcelJS.Row | undefined;
    list.eachRow((row) => {
      if (row.getCell(1).value === payment.reference) line = row;
    });
    expect(line, 'the payment is listed').toBeDefined();
    const cells = [3, 4, 5, 6, 7, 8, 9].map((c) => line!.getCell(c).value);
    expect(cells).toEqual(['Nguyễn Văn An (demo)', expect.stringMatching(/^Thủ tục thử nghiệm/), DEPT, 'Tiền mặt', 'Không', 'Đã thanh toán', FEE]);
    expect(line!.getCell(10).value).toBe(1_000);
    expect(line!.getCell(13).value).toBe('Thu tại quầy');

    const csv = await head.get(`/api/v1/staff/payments/report/export?date=${date}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(csv.body, { bom: true }) as string[][];
    expect(rows[0]![0]).toBe('Mã cơ quan');
    const csvDept = rows.find((r) => r[0] === DEPT)!;
    expect(Number(csvDept[rows[0]!.indexOf('Tổng đã thu: số tiền (đồng)')])).toBe(dept.paid.total.amountVnd);
    expect(rows.at(-1)![0]).toBe('TỔNG CỘNG');
    expect(Number(rows.at(-1)![rows[0]!.indexOf('Chờ thanh toán cuối ngày: số giao dịch')])).toBe(report.totals.pendingAtEndOfDay.count);
    expect(rows).toHaveLength(report.agencies.length + 2);

    // One agency: its code in the name. Readers may export; others and other agencies may not.
    const deptId = dept.agencyId as string;
    const one = await desk.get(`/api/v1/staff/payments/report/export?date=${date}&agencyId=${deptId}&format=csv`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.headers['content-disposition']).toBe(`attachment; filename="doi-soat-thanh-toan-${date}-${DEPT}.csv"`);
    const province = await t.db.selectFrom('agencies').select('id').where('code', '=', '000.00.00.H56').executeTakeFirstOrThrow();
    expect((await head.get(`/api/v1/staff/payments/report/export?date=${date}&agencyId=${province.id}`)).statusCode).toBe(403);
    expect((await citizen.get(`/api/v1/staff/payments/report/export?date=${date}`)).statusCode).toBe(403);
    expect((await head.get(`/api/v1/staff/payments/report/export?date=${date}&format=pdf`)).statusCode).toBe(400);
    expect((await head.get('/api/v1/staff/payments/report/export?date=2026-13-01')).statusCode).toBe(400);
    const audits = await t.db.selectFrom('auditLog').select(['details']).where('action', '=', 'payment.report_exported').execute();
    expect(audits.map((a) => (a.details as { format: string }).format).sort()).toEqual(['csv', 'csv', 'xlsx']);
  });
});

describe('unmatched transfer candidates', () => {
  it('proposes open transfers and dossiers owing exactly the amount, narrows by search, and resolves', async () => {
    const owing = await submittedDossier(citizen, procedureId);
    const withQr = await submittedDossier(citizen, procedureId);
    const started = await citizen.post(`/api/v1/dossiers/${withQr}/payments/vietqr`, {}, { 'idempotency-key': `qr-${Math.random()}` });
    expect(started.statusCode, started.body).toBe(201);
    const qr = safeJson(started.body).payment;
    const csv = [
      'Ngày giao dịch;Số tham chiếu;Số tiền ghi có;Nội dung',
      '05/03/2026;FT-CAND-1;77.000;CK LE PHI KHONG GHI MA',
      '05/03/2026;FT-CAND-2;77.000;NOP TIEN HO SO CHO CON',
      '05/03/2026;FT-CAND-3;12.345;TIEN LE',
    ].join('\n');
    const imported = safeJson((await uploadStatement(head, 'saoke.csv', Buffer.from(csv))).body);
    expect(imported).toMatchObject({ total: 3, matched: 0, unmatched: 3 });
    const unmatched = safeJson((await head.get('/api/v1/staff/bank-statements/unmatched')).body).items as { id: string; bankRef: string }[];
    const row1 = unmatched.find((x) => x.bankRef === 'FT-CAND-1')!;
    const row2 = unmatched.find((x) => x.bankRef === 'FT-CAND-2')!;
    const row3 = unmatched.find((x) => x.bankRef === 'FT-CAND-3')!;

    const all = safeJson((await head.get(`/api/v1/staff/bank-statements/rows/${row1.id}/candidates`)).body).items as { kind: string; paymentId: string | null; dossierId: string; amountVnd: number; reference: string | null }[];
    expect(all.find((c) => c.kind === 'payment')).toMatchObject({ paymentId: qr.id, dossierId: withQr, amountVnd: FEE, reference: qr.reference });
    expect(all.filter((c) => c.kind === 'dossier').map((c) => c.dossierId)).toEqual(expect.arrayContaining([owing, withQr]));
    expect(all.every((c) => c.amountVnd === FEE)).toBe(true);
    // Nothing owes 12.345 ₫.
    expect(safeJson((await head.get(`/api/v1/staff/bank-statements/rows/${row3.id}/candidates`)).body).items).toEqual([]);
    // The search narrows to the payment with that reference (dossiers have no such reference).
    const narrowed = safeJson((await head.get(`/api/v1/staff/bank-statements/rows/${row1.id}/candidates?q=${qr.reference}`)).body).items;
    expect(narrowed).toHaveLength(1);
    expect(narrowed[0]).toMatchObject({ kind: 'payment', paymentId: qr.id });
    expect(safeJson((await head.get(`/api/v1/staff/bank-statements/rows/${row1.id}/candidates?q=khong-co-ai`)).body).items).toEqual([]);

    expect((await desk.get(`/api/v1/staff/bank-statements/rows/${row1.id}/candidates`)).statusCode).toBe(403);
    expect((await head.get('/api/v1/staff/bank-statements/rows/00000000-0000-4000-8000-000000000000/candidates')).statusCode).toBe(404);
    expect((await head.get('/api/v1/staff/bank-statements/rows/abc/candidates')).statusCode).toBe(404);

    // Resolve one with the dossier, the other with the open transfer.
    const byDossier = await head.post(`/api/v1/staff/bank-statements/rows/${row1.id}/resolve`, { action: 'match', dossierId: owing, note: 'Người nộp gọi điện xác nhận' });
    expect(byDossier.statusCode, byDossier.body).toBe(200);
    expect(safeJson(byDossier.body)).toMatchObject({ id: row1.id, status: 'resolved', amountVnd: FEE, bankRef: 'FT-CAND-1' });
    const owingNow = safeJson((await citizen.get(`/api/v1/dossiers/${owing}/payments`)).body);
    expect(owingNow.totals.dueVnd).toBe(0);
    expect(owingNow.payments[0]).toMatchObject({ method: 'vietqr', status: 'paid', settledVia: 'review' });
    expect(safeJson((await head.get(`/api/v1/staff/bank-statements/rows/${row1.id}/candidates`)).body).items).toEqual([]);

    const byPayment = await head.post(`/api/v1/staff/bank-statements/rows/${row2.id}/resolve`, { action: 'match', paymentId: qr.id, note: 'Khớp mã thanh toán' });
    expect(byPayment.statusCode, byPayment.body).toBe(200);
    expect(safeJson(byPayment.body)).toMatchObject({ status: 'resolved', paymentId: qr.id });
    expect(safeJson((await citizen.get(`/api/v1/payments/${qr.id}`)).body)).toMatchObject({ status: 'paid', settledVia: 'review' });
    // Both settled: the last row has nothing left to pay for.
    const left = safeJson((await head.get('/api/v1/staff/bank-statements/unmatched')).body);
    expect(left.items.map((x: { id: string }) => x.id)).toEqual([row3.id]);
  });
});
