import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { Msg } from '../../http/errors.ts';
import { isXlsx, zipUnpackedSize } from './file-types.ts';
import type { ProcedureSnapshot } from './model.ts';
import { canonicalJson } from '../audit/index.ts';

/*
 * The catalogue spreadsheet format (import and export).
 *
 * .xlsx: three sheets, each with a header row of the column names below (other sheets, such as
 * the `huong_dan` guide the export adds, are ignored):
 *   procedures  one row per procedure: PROCEDURE_COLUMNS
 *   components  one row per dossier component, in order: COMPONENT_COLUMNS
 *   fees        one row per fee item, in order: FEE_COLUMNS
 * .csv (UTF-8, comma-separated; a byte-order mark is fine): the procedures sheet only, with two
 * more columns holding the lists, items separated by `;;` and fields by `|`:
 *   components  name|form|quantity|required|reusable;;name|form|...
 *   fees        name|amount_vnd|payable_online|when|exemptions;;...
 * Lists inside one cell use the same convention: `results` is `name|paper|electronic;;...`, and
 * codes (agencies, levels, applicants, methods) are separated by `;`. Inside an item, a literal
 * `|`, `;` or `\` is written `\|`, `\;`, `\\`.
 * Booleans: true/false (also 1/0, x, yes/no, có/không; empty is false).
 * `online_form` holds the form as JSON ({"schema": ..., "uiSchema": ...}), empty for none.
 * Missing optional columns (`published`, `online_form`, and in CSV `components`, `fees`) and a
 * missing components or fees sheet leave those parts of existing procedures as they are.
 */

export const PROCEDURE_COLUMNS = [
  'code', 'name', 'field_code', 'receiving_agency_codes', 'resolving_agency_codes', 'levels', 'applicants', 'methods',
  'online_level', 'processing_value', 'processing_unit', 'steps', 'legal_basis', 'results', 'published', 'online_form',
] as const;
export const OPTIONAL_PROCEDURE_COLUMNS = new Set(['published', 'online_form', 'components', 'fees']);
export const CSV_LIST_COLUMNS = ['components', 'fees'] as const;
export const COMPONENT_COLUMNS = ['procedure_code', 'name', 'form', 'quantity', 'required', 'reusable'] as const;
export const FEE_COLUMNS = ['procedure_code', 'name', 'amount_vnd', 'payable_online', 'when', 'exemptions'] as const;

/** Limits that keep one import within memory and time. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
const MAX_ROWS = 20_000;

export interface SheetRow {
  /** Row number as the spreadsheet shows it (header = 1). */
  row: number;
  cells: Record<string, string>;
  /** CSV: position (from 1) of the item in the row's `components` or `fees` cell. */
  item?: number;
}

export interface ParsedSheets {
  format: 'xlsx' | 'csv';
  procedures: SheetRow[];
  /** Null when the file has no such sheet (CSV: no such column). */
  components: SheetRow[] | null;
  fees: SheetRow[] | null;
  /** Procedure columns present in the file. */
  columns: Set<string>;
}

/** A problem with the file as a whole (not one row): the import answers 400 with these. */
export class FileProblem extends Error {
  constructor(readonly path: string, readonly msg: Msg) {
    super(msg.en);
  }
}

// ---------------------------------------------------------------------------------------------
// Lists inside a cell

const escapeItem = (s: string) => s.replace(/[\\|;]/g, (c) => `\\${c}`);

/** Joins items of fields into one cell: `a|b;;c|d`, escaping separators inside fields. */
export function encodeList(items: readonly (readonly string[])[]): string {
  return items.map((fields) => fields.map(escapeItem).join('|')).join(';;');
}

/** Splits a cell written by `encodeList` (or by hand) back into items of fields. */
export function decodeList(cell: string): string[][] {
  const items: string[][] = [];
  let fields: string[] = [];
  let cur = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) {
      cur += cell[++i];
    } else if (c === '|') {
      fields.push(cur);
      cur = '';
    } else if (c === ';' && cell[i + 1] === ';') {
      fields.push(cur);
      items.push(fields);
      fields = [];
      cur = '';
      i++;
    } else {
      cur += c;
    }
  }
  fields.push(cur);
  items.push(fields);
  return items.map((f) => f.map((x) => x.trim())).filter((f) => f.some((x) => x !== ''));
}

/** Splits a `;`-separated list of codes. */
export const splitCodes = (cell: string) => cell.split(/[;,\n]/).map((s) => s.trim()).filter(Boolean);

// ---------------------------------------------------------------------------------------------
// Reading

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('hyperlink' in v) return String((v as { text?: unknown }).text ?? '');
    if ('error' in v) return '';
  }
  return String(v);
}

function headerKey(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, '_');
}

/** Turns a header and data rows into keyed rows, refusing unknown or repeated columns. */
function keyed(sheet: string, header: string[], data: { row: number; values: string[] }[], allowed: readonly string[]): { rows: SheetRow[]; columns: Set<string> } {
  const keys = header.map(headerKey);
  const columns = new Set<string>();
  for (const [i, k] of keys.entries()) {
    if (!k) continue;
    if (!allowed.includes(k))
      throw new FileProblem(`file.${sheet}.${k}`, { vi: `Trang ${sheet}: cột "${header[i]}" không được hỗ trợ (các cột: ${allowed.join(', ')}).`, en: `Sheet ${sheet}: unknown column "${header[i]}" (columns: ${allowed.join(', ')}).` });
    if (columns.has(k)) throw new FileProblem(`file.${sheet}.${k}`, { vi: `Trang ${sheet}: cột "${k}" bị lặp.`, en: `Sheet ${sheet}: column "${k}" appears twice.` });
    columns.add(k);
  }
  const rows: SheetRow[] = [];
  for (const d of data) {
    if (d.values.every((v) => v.trim() === '')) continue;
    const cells: Record<string, string> = {};
    keys.forEach((k, i) => {
      if (k) cells[k] = (d.values[i] ?? '').normalize('NFC');
    });
    rows.push({ row: d.row, cells });
  }
  if (rows.length > MAX_ROWS) throw new FileProblem(`file.${sheet}`, { vi: `Trang ${sheet} có quá nhiều dòng (tối đa ${MAX_ROWS}).`, en: `Sheet ${sheet} has too many rows (${MAX_ROWS} at most).` });
  return { rows, columns };
}

function requireColumns(sheet: string, columns: Set<string>, required: readonly string[]) {
  const missing = required.filter((c) => !columns.has(c));
  if (missing.length)
    throw new FileProblem(`file.${sheet}`, { vi: `Trang ${sheet} thiếu cột: ${missing.join(', ')}.`, en: `Sheet ${sheet} lacks columns: ${missing.join(', ')}.` });
}

async function readXlsx(buf: Buffer): Promise<ParsedSheets> {
  if (zipUnpackedSize(buf) > MAX_UNPACKED_BYTES)
    throw new FileProblem('file', { vi: 'Tệp Excel giải nén ra quá lớn.', en: 'The workbook is too large once unpacked.' });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new FileProblem('file', { vi: 'Không đọc được tệp Excel (.xlsx).', en: 'The .xlsx file cannot be read.' });
  }
  const sheet = (name: string) => wb.worksheets.find((w) => w.name.trim().toLowerCase() === name);
  const read = (ws: ExcelJS.Worksheet, name: string, allowed: readonly string[]) => {
    const width = ws.actualColumnCount > 0 ? ws.columnCount : 0;
    const values = (r: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(r.getCell(i + 1).value));
    const header = values(ws.getRow(1));
    const data: { row: number; values: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      if (n > 1) data.push({ row: n, values: values(r) });
    });
    return keyed(name, header, data, allowed);
  };
  const procedures = sheet('procedures');
  if (!procedures) {
    const names = wb.worksheets.map((w) => w.name).join(', ');
    throw new FileProblem('file', { vi: `Tệp Excel cần trang "procedures" (có: ${names}).`, en: `The workbook needs a "procedures" sheet (found: ${names}).` });
  }
  const p = read(procedures, 'procedures', PROCEDURE_COLUMNS);
  requireColumns('procedures', p.columns, PROCEDURE_COLUMNS.filter((c) => !OPTIONAL_PROCEDURE_COLUMNS.has(c)));
  const cs = sheet('components');
  const fs = sheet('fees');
  const components = cs ? read(cs, 'components', COMPONENT_COLUMNS) : null;
  const fees = fs ? read(fs, 'fees', FEE_COLUMNS) : null;
  if (components) requireColumns('components', components.columns, COMPONENT_COLUMNS);
  if (fees) requireColumns('fees', fees.columns, FEE_COLUMNS.filter((c) => c !== 'exemptions'));
  return { format: 'xlsx', procedures: p.rows, components: components?.rows ?? null, fees: fees?.rows ?? null, columns: p.columns };
}

function readCsv(buf: Buffer): ParsedSheets {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new FileProblem('file', { vi: 'Tệp CSV phải dùng bảng mã UTF-8.', en: 'The CSV file must be UTF-8 encoded.' });
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new FileProblem('file', { vi: `Tệp CSV sai cú pháp: ${detail}`, en: `The CSV file is malformed: ${detail}` });
  }
  if (records.length === 0) throw new FileProblem('file', { vi: 'Tệp CSV trống.', en: 'The CSV file is empty.' });
  const [header, ...rest] = records;
  const allowed = [...PROCEDURE_COLUMNS, ...CSV_LIST_COLUMNS];
  const p = keyed('procedures', header!, rest.map((values, i) => ({ row: i + 2, values })), allowed);
  requireColumns('procedures', p.columns, PROCEDURE_COLUMNS.filter((c) => !OPTIONAL_PROCEDURE_COLUMNS.has(c)));
  const list = (column: 'components' | 'fees', fields: readonly string[]): SheetRow[] | null => {
    if (!p.columns.has(column)) return null;
    return p.rows.flatMap((r) => decodeList(r.cells[column] ?? '').map((item, i) => ({
      row: r.row,
      item: i + 1,
      cells: { procedure_code: r.cells.code ?? '', ...Object.fromEntries(fields.map((f, j) => [f, item[j] ?? ''])) },
    })));
  };
  return {
    format: 'csv',
    procedures: p.rows,
    components: list('components', ['name', 'form', 'quantity', 'required', 'reusable']),
    fees: list('fees', ['name', 'amount_vnd', 'payable_online', 'when', 'exemptions']),
    columns: p.columns,
  };
}

/** Reads an uploaded catalogue: .xlsx by its content, anything else as CSV. Throws FileProblem. */
export async function readCatalogFile(buf: Buffer): Promise<ParsedSheets> {
  if (buf.length === 0) throw new FileProblem('file', { vi: 'Tệp trống.', en: 'The file is empty.' });
  if (buf.length > MAX_IMPORT_BYTES) throw new FileProblem('file', { vi: 'Tệp nhập tối đa 10 MB.', en: 'An import file is 10 MB at most.' });
  const notAccepted = () => new FileProblem('file', { vi: 'Chỉ nhận tệp .xlsx hoặc .csv.', en: 'Only .xlsx or .csv files are accepted.' });
  let sheets: ParsedSheets;
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) {
    if (!isXlsx(buf)) throw notAccepted();
    sheets = await readXlsx(buf);
  } else {
    if (buf.includes(0)) throw notAccepted();
    sheets = readCsv(buf);
  }
  if (sheets.procedures.length === 0)
    throw new FileProblem('file.procedures', { vi: 'Trang procedures không có dòng thủ tục nào.', en: 'The procedures sheet has no procedure rows.' });
  return sheets;
}

// ---------------------------------------------------------------------------------------------
// Writing

const bool = (b: boolean) => (b ? 'true' : 'false');

/** The cells of one procedure row (list columns for CSV included when `csv`). */
function procedureCells(s: ProcedureSnapshot, csv: boolean): Record<string, string | number> {
  return {
    code: s.code,
    name: s.name,
    field_code: s.fieldCode,
    receiving_agency_codes: s.receivingAgencies.join(';'),
    resolving_agency_codes: s.resolvingAgencies.join(';'),
    levels: s.levels.join(';'),
    applicants: s.applicants.join(';'),
    methods: s.methods.join(';'),
    online_level: s.onlineLevel,
    processing_value: s.processingTime.value,
    processing_unit: s.processingTime.unit,
    steps: s.steps,
    legal_basis: s.legalBasis,
    results: encodeList(s.resultDocuments.map((r) => [r.name, bool(r.paper), bool(r.electronic)])),
    published: bool(s.published),
    online_form: s.onlineForm ? canonicalJson(s.onlineForm) : '',
    ...(csv && {
      components: encodeList(s.components.map((c) => [c.name, c.form, String(c.quantity), bool(c.required), bool(c.reusable)])),
      fees: encodeList(s.fees.map((f) => [f.name, String(f.amountVnd), bool(f.payableOnline), f.when, f.exemptions ?? ''])),
    }),
  };
}

const GUIDE: [string, string][] = [
  ['procedures', 'Một dòng cho mỗi thủ tục. One row per procedure.'],
  ['code', 'Mã thủ tục, ví dụ 1.001612 hoặc 2.000123.000.00.00.H56.'],
  ['field_code', 'Mã lĩnh vực (xem GET /api/v1/procedure-fields).'],
  ['receiving_agency_codes / resolving_agency_codes', 'Mã định danh cơ quan, cách nhau bởi dấu ; (ví dụ 000.00.12.H56;000.01.01.H56).'],
  ['levels', 'central; province; district; commune'],
  ['applicants', 'citizen; business; organisation'],
  ['methods', 'in_person; online; post'],
  ['online_level', 'full (toàn trình), partial (một phần), none'],
  ['processing_value / processing_unit', 'Số nguyên; working_days hoặc working_hours.'],
  ['results', 'tên|paper|electronic;;tên|paper|electronic (true/false).'],
  ['published', 'true/false'],
  ['online_form', 'JSON {"schema": ..., "uiSchema": ...}; để trống nếu không có.'],
  ['components', 'procedure_code, name, form (original/certified_copy/copy), quantity, required, reusable; theo thứ tự.'],
  ['fees', 'procedure_code, name, amount_vnd, payable_online, when (before_reception/before_processing/before_result), exemptions.'],
  ['\\ | ;', 'Trong một ô danh sách, viết \\| \\; \\\\ cho các ký tự này.'],
];

/** The catalogue as an .xlsx workbook (sheets procedures, components, fees, and a guide). */
export async function writeXlsx(snapshots: readonly ProcedureSnapshot[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  const add = (name: string, columns: readonly string[], rows: Record<string, string | number>[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c, key: c, width: Math.min(60, Math.max(12, c.length + 2)), style: c === 'code' || c === 'procedure_code' ? { numFmt: '@' } : {} }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
  };
  add('procedures', PROCEDURE_COLUMNS, snapshots.map((s) => procedureCells(s, false)));
  add('components', COMPONENT_COLUMNS, snapshots.flatMap((s) => s.components.map((c) => ({
    procedure_code: s.code, name: c.name, form: c.form, quantity: c.quantity, required: bool(c.required), reusable: bool(c.reusable),
  }))));
  add('fees', FEE_COLUMNS, snapshots.flatMap((s) => s.fees.map((f) => ({
    procedure_code: s.code, name: f.name, amount_vnd: f.amountVnd, payable_online: bool(f.payableOnline), when: f.when, exemptions: f.exemptions ?? '',
  }))));
  const guide = wb.addWorksheet('huong_dan');
  guide.columns = [{ header: 'cột / column', key: 'k', width: 45 }, { header: 'cách ghi / format', key: 'v', width: 100 }];
  guide.getRow(1).font = { bold: true };
  for (const [k, v] of GUIDE) guide.addRow({ k, v });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The catalogue as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the accents). */
export function writeCsv(snapshots: readonly ProcedureSnapshot[]): Buffer {
  const columns = [...PROCEDURE_COLUMNS, ...CSV_LIST_COLUMNS];
  const body = stringifyCsv(snapshots.map((s) => procedureCells(s, true)), { header: true, columns: [...columns], quoted_string: false });
  return Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(body, 'utf8')]);
}
