/**
 * Bank statements of the VietQR account (.csv or .xlsx as banks export them): credits are
 * matched to payments on the reference or dossier code in the transfer text and the exact
 * amount; the rest waits for an official's review. Importing the same statement twice credits
 * nothing twice (each row's fingerprint is unique).
 */
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { AuditContext } from '../audit/index.ts';
import { ensureFees, isDue, vndOf } from './fees.ts';
import { createPayment, nextReference, settlePayment, type PaymentRow } from './payment.service.ts';

export interface StatementLine {
  rowNo: number;
  bookedOn: string | null;
  /** Whole VND; null when the cell is not an amount; negative for debits. */
  amountVnd: number | null;
  description: string;
  bankRef: string | null;
}

export class StatementError extends Error {}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();

/** Upper-case letters and digits only: banks drop or change punctuation and spaces in transfer texts. */
export const squash = (s: string) => fold(s).toUpperCase().replace(/[^A-Z0-9]/g, '');

const HEADERS: Record<'amount' | 'debit' | 'description' | 'date' | 'ref', string[]> = {
  amount: ['so tien ghi co', 'ghi co', 'phat sinh co', 'credit', 'so tien', 'amount', 'tien vao'],
  debit: ['so tien ghi no', 'ghi no', 'phat sinh no', 'debit', 'tien ra'],
  description: ['noi dung giao dich', 'noi dung', 'dien giai', 'mo ta', 'chi tiet', 'description', 'remark', 'narrative'],
  date: ['ngay giao dich', 'ngay hach toan', 'ngay', 'thoi gian', 'date', 'transaction date', 'value date'],
  ref: ['so tham chieu', 'ma giao dich', 'so but toan', 'ma gd', 'reference', 'ref', 'transaction id', 'so ct'],
};

function findColumns(header: string[]): Record<keyof typeof HEADERS, number> | null {
  const cells = header.map((h) => fold(h));
  const pick = (names: string[], taken: number[]) => {
    for (const n of names) {
      const i = cells.findIndex((c, idx) => !taken.includes(idx) && (c === n || c.startsWith(`${n} `) || c.startsWith(`${n}(`)));
      if (i >= 0) return i;
    }
    return -1;
  };
  const taken: number[] = [];
  const col = {} as Record<keyof typeof HEADERS, number>;
  for (const key of ['debit', 'amount', 'description', 'date', 'ref'] as const) {
    col[key] = pick(HEADERS[key], taken);
    if (col[key] >= 0) taken.push(col[key]);
  }
  return col.amount >= 0 && col.description >= 0 ? col : null;
}

/** "100.000", "100,000", "100000", "100.000 VND", 100000 → 100000; "-100.000" or "(100.000)" → -100000. */
export function parseAmount(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : Number.isFinite(v) && Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v) : null;
  if (typeof v !== 'string') return null;
  let s = v.replace(/\s|vnd|đ|₫/gi, '');
  let sign = 1;
  if (/^\(.*\)$/.test(s)) {
    sign = -1;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  if (/^\d{1,3}([.,]\d{3})+$/.test(s) && !/^\d{1,3}[.,]\d{3}[.,]\d{1,2}$/.test(s)) s = s.replace(/[.,]/g, '');
  else if (/^\d+[.,]0{1,2}$/.test(s)) s = s.replace(/[.,]0+$/, '');
  if (!/^\d{1,15}$/.test(s)) return null;
  return sign * Number(s);
}

function parseDate(v: unknown): string | null {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string') return null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/.exec(v.trim());
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
  }
  return String(v);
};

/** Rows of the first sheet (xlsx) or of the CSV (`,` `;` or tab, UTF-8 with or without BOM). */
export async function readStatement(bytes: Buffer): Promise<{ format: 'csv' | 'xlsx'; lines: StatementLine[] }> {
  let rows: unknown[][];
  let format: 'csv' | 'xlsx';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    format = 'xlsx';
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw new StatementError('not a readable .xlsx workbook');
    }
    const sheet = wb.worksheets[0];
    if (!sheet) throw new StatementError('the workbook has no sheet');
    rows = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = row.values as unknown[];
      rows.push(values.slice(1).map((v) => (typeof v === 'object' && v !== null && !(v instanceof Date) && 'result' in (v as object) ? (v as { result: unknown }).result : v)));
    });
  } else {
    format = 'csv';
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD') || bytes.includes(0)) throw new StatementError('not a UTF-8 text file');
    try {
      rows = parseCsv(text, { bom: true, delimiter: [',', ';', '\t'], relax_column_count: true, skip_empty_lines: true, relax_quotes: true }) as string[][];
    } catch {
      throw new StatementError('not a readable CSV file');
    }
  }
  if (rows.length > 20_001) throw new StatementError('more than 20,000 rows');
  let headerAt = -1;
  let col: ReturnType<typeof findColumns> = null;
  for (let i = 0; i < Math.min(rows.length, 20) && !col; i++) {
    col = findColumns(rows[i]!.map(cellText));
    if (col) headerAt = i;
  }
  if (!col) throw new StatementError('no header row with an amount column and a description column');
  const lines: StatementLine[] = [];
  for (let i = headerAt + 1; i < rows.length; i++) {
    const r = rows[i]!;
    const description = cellText(r[col.description]).trim().slice(0, 1000);
    let amount = parseAmount(typeof r[col.amount] === 'number' ? r[col.amount] : cellText(r[col.amount]));
    const debit = col.debit >= 0 ? parseAmount(typeof r[col.debit] === 'number' ? r[col.debit] : cellText(r[col.debit])) : null;
    if ((amount === null || amount === 0) && debit) amount = -Math.abs(debit);
    if (!description && amount === null) continue;
    lines.push({
      rowNo: i + 1, description, amountVnd: amount,
      bookedOn: col.date >= 0 ? parseDate(r[col.date] instanceof Date ? r[col.date] : cellText(r[col.date])) : null,
      bankRef: col.ref >= 0 ? cellText(r[col.ref]).trim().slice(0, 100) || null : null,
    });
  }
  return { format, lines };
}

export function fingerprint(line: StatementLine, occurrence: number): string {
  if (line.bankRef) return `ref:${line.bankRef}`;
  return `h:${createHash('sha256').update(`${line.bookedOn ?? ''}|${line.amountVnd}|${line.description}|${occurrence}`).digest('hex')}`;
}

export type MatchResult =
  | { ok: true; payment: PaymentRow; dossierCode: string | null }
  | { ok: false; reason: { vi: string; en: string }; dossierCode: string | null };

/**
 * Finds what a credit pays for, within the agencies `scope`: a VietQR payment whose reference is
 * in the text and whose amount is exactly the credit; else a dossier whose code is in the text,
 * with an open VietQR payment of that amount, or due items adding up to exactly that amount.
 * Settles it (the dossier's items or the open payment) when found.
 */
export async function matchCredit(tx: Tx, line: StatementLine & { amountVnd: number }, scope: string[], ctx: AuditContext, actorId: string | null): Promise<MatchResult> {
  const text = squash(line.description);
  const refs = [...new Set(text.match(/QR\d{14}/g) ?? [])];
  if (refs.length > 0) {
    const found = await tx.selectFrom('payments').selectAll().where('reference', 'in', refs).where('method', '=', 'vietqr').execute();
    const inScope = found.filter((p) => scope.includes(p.agencyId));
    const exact = inScope.filter((p) => vndOf(p.amountVnd) === line.amountVnd && (p.status === 'pending' || p.status === 'cancelled'));
    if (exact.length === 1) {
      const s = await settlePayment(tx, exact[0]!, { via: 'statement', gatewayTxnNo: line.bankRef }, ctx, ['pending', 'cancelled']);
      if (s) return { ok: true, payment: s.payment, dossierCode: null };
    }
    if (inScope.some((p) => p.status === 'paid')) return { ok: false, reason: { vi: 'Giao dịch mang mã đã được thanh toán trước đó.', en: 'The reference was already paid.' }, dossierCode: null };
    if (inScope.length > 0) return { ok: false, reason: { vi: 'Số tiền không khớp với giao dịch mang mã này.', en: 'The amount does not match the payment with this reference.' }, dossierCode: null };
  }
  if (text.length < 6) return { ok: false, reason: { vi: 'Nội dung không chứa mã hồ sơ hay mã thanh toán.', en: 'No dossier code or payment reference in the text.' }, dossierCode: null };
  const dossiers = await sql<{ id: string; code: string; procedureId: string; receivingAgencyId: string }>`
    SELECT DISTINCT d.id, d.code, d.procedure_id, d.receiving_agency_id
    FROM dossiers d
    WHERE d.code IS NOT NULL AND d.receiving_agency_id = ANY(${scope}::uuid[])
      AND length(regexp_replace(upper(d.code), '[^A-Z0-9]', '', 'g')) >= 6
      AND position(regexp_replace(upper(d.code), '[^A-Z0-9]', '', 'g') IN ${text}) > 0
      AND (EXISTS (SELECT 1 FROM dossier_fees f WHERE f.dossier_id = d.id AND f.payment_id IS NULL AND f.exempted_at IS NULL AND f.amount_vnd > 0)
        OR EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id AND p.method = 'vietqr' AND p.status = 'pending'))
    LIMIT 3`.execute(tx);
  if (dossiers.rows.length === 0) return { ok: false, reason: { vi: 'Không tìm thấy hồ sơ có khoản phí chờ nộp khớp với nội dung chuyển khoản.', en: 'No dossier with fees due matches the transfer text.' }, dossierCode: null };
  if (dossiers.rows.length > 1) return { ok: false, reason: { vi: 'Nội dung chứa nhiều mã hồ sơ.', en: 'The text names several dossiers.' }, dossierCode: null };
  const d = dossiers.rows[0]!;
  const open = await tx.selectFrom('payments').selectAll().where('dossierId', '=', d.id).where('method', '=', 'vietqr').where('status', '=', 'pending').execute();
  const sameAmount = open.filter((p) => vndOf(p.amountVnd) === line.amountVnd);
  if (sameAmount.length === 1) {
    const s = await settlePayment(tx, sameAmount[0]!, { via: 'statement', gatewayTxnNo: line.bankRef }, ctx);
    if (s) return { ok: true, payment: s.payment, dossierCode: d.code };
  }
  const fees = (await ensureFees(tx, { id: d.id, procedureId: d.procedureId })).filter(isDue);
  const due = fees.reduce((s, f) => s + vndOf(f.amountVnd), 0);
  if (fees.length === 0 || due !== line.amountVnd)
    return { ok: false, reason: { vi: `Số tiền không khớp số phí còn phải nộp của hồ sơ (${due}).`, en: `The amount does not match what the dossier owes (${due}).` }, dossierCode: d.code };
  const p = await createPayment(tx, { dossierId: d.id, agencyId: d.receivingAgencyId, method: 'vietqr', reference: await nextReference(tx, 'QR'), fees, createdBy: actorId });
  const s = await settlePayment(tx, p, { via: 'statement', gatewayTxnNo: line.bankRef }, ctx);
  return s ? { ok: true, payment: s.payment, dossierCode: d.code } : { ok: false, reason: { vi: 'Không ghi nhận được.', en: 'Could not be recorded.' }, dossierCode: d.code };
}
