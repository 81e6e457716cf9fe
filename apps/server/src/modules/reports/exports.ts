/**
 * Exports of the periodic report on procedure results (tình hình, kết quả giải quyết thủ tục
 * hành chính), in the layout provinces send up: one row per agency and field with the received,
 * resolved and in-progress columns; as .xlsx (exceljs) and PDF (the forms' Tinos fonts).
 * Long exports run as jobs: a row in report_export_jobs, run in this process, with progress.
 */
import ExcelJS from 'exceljs';
import type { ExportFormat, ExportJob, ReportFigures } from '@motcua/contracts';
import type { Db } from '../../db/database.ts';
import type { ReportExportJobsTable } from '../../db/schema.ts';
import { A4_LANDSCAPE, finishDocument, PT_PER_MM, startDocument, upper, type Column, type Rich, type Writer } from '../documents/index.ts';
import type { PeriodicReport, PeriodicRow, ReportsService, ScopeQuery } from './reports.service.ts';

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const percent = (x: number | null) => (x === null ? '' : `${(Math.round(x * 10000) / 100).toLocaleString('vi-VN')}%`);

/** The report's columns after STT and the row label, in the order of the provincial form, then ours. */
const COLUMNS: { key: string; label: string; value: (f: ReportFigures) => number | null; rate?: boolean }[] = [
  { key: 'toProcess', label: 'Tổng số', value: (f) => f.toProcess },
  { key: 'carriedOver', label: 'Kỳ trước chuyển qua', value: (f) => f.carriedOver },
  { key: 'receivedOnline', label: 'Mới tiếp nhận trực tuyến', value: (f) => f.receivedOnline },
  { key: 'receivedOther', label: 'Mới tiếp nhận trực tiếp, bưu chính', value: (f) => f.receivedInPerson + f.receivedByPost },
  { key: 'resolved', label: 'Tổng số', value: (f) => f.resolved },
  { key: 'resolvedEarly', label: 'Trước hạn', value: (f) => f.resolvedEarly },
  { key: 'resolvedOnTime', label: 'Đúng hạn', value: (f) => f.resolvedOnTime },
  { key: 'resolvedLate', label: 'Quá hạn', value: (f) => f.resolvedLate },
  { key: 'inProgress', label: 'Tổng số', value: (f) => f.inProgress },
  { key: 'inProgressOnTime', label: 'Trong hạn', value: (f) => f.inProgressOnTime },
  { key: 'inProgressOverdue', label: 'Quá hạn', value: (f) => f.inProgressOverdue },
  { key: 'withdrawn', label: 'Rút hồ sơ', value: (f) => f.withdrawn },
  { key: 'waitingSupplement', label: 'Chờ bổ sung', value: (f) => f.waitingSupplement },
  { key: 'refused', label: 'Từ chối, dừng', value: (f) => f.refused + f.stopped },
  { key: 'onTimeRate', label: 'Tỷ lệ đúng hạn', value: (f) => f.onTimeRate, rate: true },
  { key: 'lateRate', label: 'Tỷ lệ trễ hạn', value: (f) => f.lateRate, rate: true },
];

const TITLE = 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH';
const roman = (n: number) => {
  const t: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of t) while (n >= v) { out += s; n -= v; }
  return out;
};

/** Rows in print order: each agency's total (numbered I, II, …) then its fields (1, 2, …), then the grand total. */
function printRows(r: PeriodicReport): { stt: string; label: string; figures: ReportFigures; kind: 'agency' | 'field' | 'total' }[] {
  const out: { stt: string; label: string; figures: ReportFigures; kind: 'agency' | 'field' | 'total' }[] = [];
  r.agencies.forEach((a, i) => {
    out.push({ stt: roman(i + 1), label: `${a.total.agency.name} (${a.total.agency.code})`, figures: a.total.figures, kind: 'agency' });
    a.fields.forEach((f: PeriodicRow, j) => out.push({ stt: String(j + 1), label: f.field?.name ?? '(không rõ lĩnh vực)', figures: f.figures, kind: 'field' }));
  });
  out.push({ stt: '', label: 'TỔNG CỘNG', figures: r.total, kind: 'total' });
  return out;
}

/** The periodic report as an .xlsx workbook: the form's three header rows, a numbered column row, and the notes. */
export async function renderXlsx(r: PeriodicReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  wb.created = r.generatedAt;
  const ws = wb.addWorksheet('Bao cao', { views: [{ state: 'frozen', ySplit: 8, xSplit: 2 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const last = 2 + COLUMNS.length;
  const colLetter = (n: number) => ws.getColumn(n).letter;
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).value = upper(r.agency.name);
  ws.getCell(1, 1).font = { bold: true };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value = TITLE;
  ws.getCell(2, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(3, 1, 3, last);
  ws.getCell(3, 1).value = `Kỳ báo cáo: từ ngày ${dmy(r.period.from)} đến ngày ${dmy(r.period.to)}${r.includeChildren ? ' (gồm các cơ quan, đơn vị trực thuộc)' : ''}`;
  ws.getCell(3, 1).alignment = { horizontal: 'center' };
  ws.getCell(3, 1).font = { italic: true };
  ws.mergeCells(4, 1, 4, last);
  ws.getCell(4, 1).value = 'Đơn vị tính: số hồ sơ thủ tục hành chính';
  ws.getCell(4, 1).alignment = { horizontal: 'right' };

  // Header rows 5–7 as in the form, row 8 numbers the columns.
  const h = (row: number, c1: number, c2: number, text: string, rowTo = row) => {
    if (c1 !== c2 || row !== rowTo) ws.mergeCells(row, c1, rowTo, c2);
    ws.getCell(row, c1).value = text;
  };
  h(5, 1, 1, 'STT', 7);
  h(5, 2, 2, 'Cơ quan, lĩnh vực giải quyết', 7);
  h(5, 3, 6, 'Số hồ sơ nhận giải quyết');
  h(6, 3, 3, 'Tổng số', 7);
  h(6, 4, 6, 'Trong đó');
  h(5, 7, 13, 'Kết quả giải quyết');
  h(6, 7, 10, 'Số hồ sơ đã giải quyết');
  h(6, 11, 13, 'Số hồ sơ đang giải quyết');
  h(5, 14, 16, 'Khác');
  h(5, 17, 18, 'Tỷ lệ (theo cách tỉnh công bố)');
  COLUMNS.forEach((c, i) => {
    const col = 3 + i;
    if (col === 3) return;
    if (col >= 14) h(6, col, col, c.label, 7);
    else ws.getCell(7, col).value = c.label;
  });
  for (let c = 1; c <= last; c++) ws.getCell(8, c).value = `(${c})`;
  for (let row = 5; row <= 8; row++) {
    for (let c = 1; c <= last; c++) {
      const cell = ws.getCell(row, c);
      cell.font = { bold: row < 8, italic: row === 8 };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }
  }
  ws.getRow(7).height = 45;
  ws.getColumn(1).width = 6;
  ws.getColumn(2).width = 48;
  for (let c = 3; c <= last; c++) ws.getColumn(c).width = c >= 17 ? 11 : 10;

  for (const pr of printRows(r)) {
    const row = ws.addRow([pr.stt, pr.label, ...COLUMNS.map((c) => c.value(pr.figures))]);
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      if (pr.kind !== 'field') cell.font = { bold: true };
      if (c >= 3) cell.alignment = { horizontal: 'right' };
      if (c === 1) cell.alignment = { horizontal: 'center' };
      if (c >= 3 && COLUMNS[c - 3]?.rate) cell.numFmt = '0.00%';
    });
    row.getCell(2).alignment = { wrapText: true, indent: pr.kind === 'field' ? 1 : 0 };
  }
  const end = ws.rowCount + 2;
  ws.mergeCells(end, 1, end, last);
  ws.getCell(end, 1).value = `(3) = (4) + (5) + (6) = (7) + (11) + (14). Tỷ lệ trễ hạn = [(10) + (13)] ÷ (3); tỷ lệ đúng hạn = 100% − tỷ lệ trễ hạn. `
    + `Hồ sơ kết thúc là hồ sơ được phê duyệt, từ chối hoặc dừng (Quyết định 766/QĐ-TTg); thời gian chờ bổ sung không tính; yêu cầu bổ sung quá một lần tính là quá hạn. `
    + `Số liệu lập lúc ${r.generatedAt.toISOString()} (${colLetter(1)}–${colLetter(last)}).`;
  ws.getCell(end, 1).alignment = { wrapText: true };
  ws.getRow(end).height = 45;
  ws.getCell(end, 1).font = { italic: true, size: 9 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The periodic report as a landscape A4 PDF, header repeated on every page, "Trang i/n". */
export async function renderPdf(r: PeriodicReport): Promise<Uint8Array> {
  const period = `Từ ngày ${dmy(r.period.from)} đến ngày ${dmy(r.period.to)}`;
  const w = await startDocument(
    { title: `${TITLE} ${period.toLowerCase()}`, agency: { name: r.agency.name }, date: r.generatedAt },
    {
      pageSize: A4_LANDSCAPE,
      margins: { top: 18 * PT_PER_MM, bottom: 15 * PT_PER_MM, left: 15 * PT_PER_MM, right: 12 * PT_PER_MM },
      onPage: (page: Writer) => {
        page.paragraph(upper(r.agency.name), { size: 10, style: 'bold' });
        page.paragraph(TITLE, { size: 13, style: 'bold', align: 'center' });
        page.paragraph(`${period}${r.includeChildren ? ' (gồm các cơ quan, đơn vị trực thuộc)' : ''}`, { size: 10.5, style: 'italic', align: 'center' });
        page.space(4);
      },
    },
  );
  const headers = ['Phải giải quyết', 'Kỳ trước chuyển qua', 'Mới: trực tuyến', 'Mới: trực tiếp, bưu chính', 'Đã giải quyết', 'Trước hạn', 'Đúng hạn',
    'Quá hạn', 'Đang giải quyết', 'Trong hạn', 'Quá hạn', 'Rút', 'Chờ bổ sung', 'Từ chối, dừng', 'Đúng hạn (%)', 'Trễ hạn (%)'];
  const columns: Column[] = [
    { header: 'STT', weight: 3.5, align: 'center' },
    { header: 'Cơ quan, lĩnh vực', weight: 20 },
    ...headers.map((header) => ({ header, weight: 5.2, align: 'right' as const })),
  ];
  const rows: Rich[][] = printRows(r).map((pr) => {
    const cells = [pr.stt, pr.label, ...COLUMNS.map((c) => {
      const v = c.value(pr.figures);
      return c.rate ? percent(v) : String(v ?? '');
    })];
    return pr.kind === 'field' ? cells : cells.map((t) => [{ text: t, style: 'bold' as const }]);
  });
  w.table(columns, rows, { size: 8, headerSize: 7.5, numberRow: true, padding: 2 });
  w.space(6);
  w.paragraph('Tỷ lệ trễ hạn = (đã giải quyết quá hạn + đang giải quyết quá hạn) ÷ phải giải quyết; tỷ lệ đúng hạn = 100% − tỷ lệ trễ hạn. '
    + 'Hồ sơ kết thúc là hồ sơ được phê duyệt, từ chối hoặc dừng (Quyết định 766/QĐ-TTg); thời gian chờ bổ sung không tính; yêu cầu bổ sung quá một lần tính là quá hạn.', { size: 8.5, style: 'italic' });
  w.numberPages((i, n) => `Trang ${i + 1}/${n}`, 'right', 9);
  return finishDocument(w);
}

// ---------------------------------------------------------------------------------- jobs

const MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

type JobRow = Pick<ReportExportJobsTable, 'format' | 'status' | 'filename' | 'size' | 'error' | 'startedAt' | 'finishedAt'> & {
  id: string; progress: number; params: Record<string, unknown>; createdAt: Date;
};

export function presentJob(j: JobRow): ExportJob {
  const p = j.params as { agency: string; from: string; to: string; includeChildren: boolean };
  return {
    id: j.id, status: j.status, progress: j.progress, format: j.format,
    params: { agency: p.agency, from: p.from, to: p.to, includeChildren: p.includeChildren },
    filename: j.filename, size: j.size, error: j.error, createdAt: j.createdAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null,
    downloadUrl: j.status === 'succeeded' ? `/api/v1/reports/exports/${j.id}/file` : null,
  };
}

export const JOB_COLUMNS = ['id', 'format', 'status', 'progress', 'params', 'filename', 'size', 'error', 'createdAt', 'startedAt', 'finishedAt'] as const;

/**
 * Runs export jobs in this process, one after another. `kick` after creating a job; jobs left
 * queued or running by a process that stopped are picked up by `resume` (run with the jobs).
 */
export class ExportRunner {
  private queue: string[] = [];
  private current: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly reports: ReportsService, private readonly log: (err: unknown) => void) {}

  kick(id: string): void {
    this.queue.push(id);
    if (!this.current) this.current = this.drain().finally(() => (this.current = null));
  }

  /** Waits for the jobs in hand (at shutdown). */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  private async drain(): Promise<void> {
    for (let id = this.queue.shift(); id; id = this.queue.shift()) {
      try {
        await this.run(id);
      } catch (err) {
        this.log(err);
      }
    }
  }

  /** Jobs queued, or running for more than 10 minutes (their process died), are run again. */
  async resume(): Promise<void> {
    const stale = await this.db.selectFrom('reportExportJobs').select('id')
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('startedAt', '<', new Date(Date.now() - 10 * 60_000))])]))
      .where('createdAt', '<', new Date(Date.now() - 30_000)).orderBy('createdAt').limit(20).execute();
    for (const j of stale) if (!this.queue.includes(j.id)) this.kick(j.id);
  }

  private async run(id: string): Promise<void> {
    const claimed = await this.db.updateTable('reportExportJobs').set({ status: 'running', startedAt: new Date(), progress: 1 })
      .where('id', '=', id).where('status', 'in', ['queued', 'running']).returning(['params', 'format']).executeTakeFirst();
    if (!claimed) return;
    let last = 0;
    const progress = async (fraction: number) => {
      const pct = Math.max(1, Math.min(99, Math.round(fraction * 100)));
      if (pct - last < 5) return;
      last = pct;
      await this.db.updateTable('reportExportJobs').set({ progress: pct }).where('id', '=', id).execute();
    };
    try {
      const params = claimed.params as unknown as ScopeQuery;
      const report = await this.reports.periodic(params, progress);
      await progress(0.85);
      const bytes = claimed.format === 'xlsx' ? await renderXlsx(report) : Buffer.from(await renderPdf(report));
      const filename = `bao-cao-${params.agency}-${params.from}-${params.to}.${claimed.format}`;
      await this.db.updateTable('reportExportJobs').set({
        status: 'succeeded', progress: 100, content: bytes, size: bytes.length, mime: MIME[claimed.format], filename, finishedAt: new Date(),
      }).where('id', '=', id).execute();
    } catch (err) {
      const message = err instanceof Error && 'msg' in err ? (err as { msg: { en: string } }).msg.en : 'The export failed; try again.';
      await this.db.updateTable('reportExportJobs').set({ status: 'failed', error: message, finishedAt: new Date() }).where('id', '=', id).execute();
      throw err;
    }
  }
}
