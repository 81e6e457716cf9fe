import {
  ApplicantType, ComponentForm, FeeWhen, OnlineLevel, PROCEDURE_CODE_PATTERN, ProcedureLevel, ProcedureMethod, ProcessingUnit,
  type FeeItem, type ImportCounts, type ImportReport, type ImportRowResult, type OnlineForm, type ResultDocument,
} from '@motcua/contracts';
import type { Db, DbOrTx } from '../../db/database.ts';
import { AppError, type Msg } from '../../http/errors.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import {
  agencyDirectory, createImportJob, fieldsByCode, insertHistory, insertProcedures, loadSnapshots, updateImportJob, updateProcedure,
  type AgencyRef, type ComponentWrite, type HistoryWrite, type ProcedureWrite, type StoredProcedure,
} from './catalog.repository.ts';
import { inScope, onlineConsistency, rethrowUnique } from './catalog.service.ts';
import {
  canonicalSnapshot, creationDiff, diffSnapshots, IMPORT_KEYS, normaliseText, withoutTemplates,
  type ComponentSnapshot, type ProcedureSnapshot,
} from './model.ts';
import { checkFormSchema } from './online-form.ts';
import { decodeList, FileProblem, readCatalogFile, splitCodes, type ParsedSheets, type SheetRow } from './spreadsheet.ts';

/** What the import will write for one procedure row. */
export interface PlannedWrite {
  row: number;
  code: string;
  action: 'create' | 'update';
  write: ProcedureWrite;
  after: ProcedureSnapshot;
}

export interface ImportPlan {
  rows: ImportRowResult[];
  counts: ImportCounts;
  writes: PlannedWrite[];
}

// ---------------------------------------------------------------------------------------------
// Cell parsing

/** Lower case, no accents (đ → d), single spaces: how spreadsheet words are compared. */
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().trim().replace(/[\s-]+/g, ' ');

/** Vietnamese words officials write in these columns, besides the codes themselves. */
const ALIASES: Record<string, Record<string, string>> = {
  method: { 'truc tiep': 'in_person', 'truc tuyen': 'online', 'buu chinh': 'post', 'dich vu buu chinh': 'post', 'buu chinh cong ich': 'post' },
  onlineLevel: { 'toan trinh': 'full', 'mot phan': 'partial', khong: 'none', '': 'none' },
  unit: { 'ngay lam viec': 'working_days', ngay: 'working_days', 'gio lam viec': 'working_hours', gio: 'working_hours' },
  level: { 'trung uong': 'central', tinh: 'province', 'cap tinh': 'province', huyen: 'district', 'cap huyen': 'district', xa: 'commune', 'cap xa': 'commune' },
  applicant: { 'cong dan': 'citizen', 'ca nhan': 'citizen', 'doanh nghiep': 'business', 'to chuc': 'organisation', organization: 'organisation' },
  form: { 'ban chinh': 'original', 'ban sao chung thuc': 'certified_copy', 'ban sao co chung thuc': 'certified_copy', 'ban sao': 'copy' },
  when: { 'truoc khi tiep nhan': 'before_reception', 'truoc khi xu ly': 'before_processing', 'truoc khi giai quyet': 'before_processing', 'truoc khi tra ket qua': 'before_result', 'khi nhan ket qua': 'before_result' },
};

const TRUE = new Set(['true', '1', 'x', 'yes', 'co', 'y']);
const FALSE = new Set(['false', '0', 'no', 'khong', 'n', '']);

class RowReasons {
  readonly list: Msg[] = [];
  constructor(private readonly where: Msg = { vi: '', en: '' }) {}
  add(column: string, vi: string, en: string) {
    this.list.push({ vi: `${this.where.vi}Cột ${column}: ${vi}`, en: `${this.where.en}Column ${column}: ${en}` });
  }
  raw(m: Msg) {
    this.list.push(m);
  }
}

function parseEnum<T extends string>(r: RowReasons, column: string, cell: string, options: readonly T[], aliases: Record<string, string>): T | undefined {
  const key = fold(cell);
  const v = (options as readonly string[]).includes(key.replace(/ /g, '_')) ? key.replace(/ /g, '_') : aliases[key];
  if (v && (options as readonly string[]).includes(v)) return v as T;
  r.add(column, `"${cell}" không hợp lệ (dùng: ${options.join(', ')}).`, `"${cell}" is not valid (use: ${options.join(', ')}).`);
  return undefined;
}

function parseEnumList<T extends string>(r: RowReasons, column: string, cell: string, options: readonly T[], aliases: Record<string, string>): T[] {
  const parts = splitCodes(cell);
  if (parts.length === 0) r.add(column, 'cần ít nhất một giá trị.', 'at least one value is needed.');
  const out: T[] = [];
  for (const p of parts) {
    const v = parseEnum(r, column, p, options, aliases);
    if (v && !out.includes(v)) out.push(v);
  }
  return options.filter((o) => out.includes(o));
}

function parseBool(r: RowReasons, column: string, cell: string): boolean {
  const k = fold(cell);
  if (TRUE.has(k)) return true;
  if (FALSE.has(k)) return false;
  r.add(column, `"${cell}" không phải true/false.`, `"${cell}" is not true/false.`);
  return false;
}

function parseWhole(r: RowReasons, column: string, cell: string, min: number, max: number): number {
  // Amounts are often written with thousands separators and a currency: "100.000 ₫".
  const cleaned = cell.trim().replace(/(₫|đ|vnd|vnđ)$/i, '').trim().replace(/[.,\s](?=\d{3}(\D|$))/g, '');
  if (/^\d+$/.test(cleaned)) {
    const n = Number(cleaned);
    if (n >= min && n <= max) return n;
  }
  r.add(column, `phải là số nguyên từ ${min} đến ${max.toLocaleString('vi-VN')}.`, `must be a whole number from ${min} to ${max.toLocaleString('en')}.`);
  return min;
}

function parseText(r: RowReasons, column: string, cell: string, max: number, required = true): string {
  const t = normaliseText(cell);
  if (required && !t) r.add(column, 'không được để trống.', 'must not be empty.');
  if (t.length > max) r.add(column, `tối đa ${max} ký tự.`, `${max} characters at most.`);
  return t;
}

function parseResults(r: RowReasons, cell: string): ResultDocument[] {
  const items = decodeList(cell);
  if (items.length === 0) r.add('results', 'cần ít nhất một kết quả (tên|paper|electronic).', 'at least one result is needed (name|paper|electronic).');
  return items.map((f) => ({
    name: parseText(r, 'results', f[0] ?? '', 500),
    paper: parseBool(r, 'results', f[1] ?? ''),
    electronic: parseBool(r, 'results', f[2] ?? ''),
  }));
}

function parseOnlineForm(r: RowReasons, cell: string): OnlineForm | null {
  if (!cell.trim()) return null;
  let v: unknown;
  try {
    v = JSON.parse(cell);
  } catch {
    r.add('online_form', 'không phải JSON hợp lệ.', 'is not valid JSON.');
    return null;
  }
  const o = v as Record<string, unknown>;
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isObj(o) || !isObj(o.schema) || (o.uiSchema !== undefined && !isObj(o.uiSchema)) || Object.keys(o).some((k) => k !== 'schema' && k !== 'uiSchema')) {
    r.add('online_form', 'cần dạng {"schema": {...}, "uiSchema": {...}}.', 'must be {"schema": {...}, "uiSchema": {...}}.');
    return null;
  }
  for (const p of checkFormSchema(o.schema, 'online_form')) r.raw({ vi: `Cột online_form: ${p.message.vi}`, en: `Column online_form: ${p.message.en}` });
  return { schema: o.schema as Record<string, unknown>, uiSchema: (o.uiSchema ?? {}) as Record<string, unknown> };
}

function where(sheet: 'components' | 'fees', row: SheetRow): Msg {
  return row.item
    ? { vi: `Cột ${sheet}, mục ${row.item}: `, en: `Column ${sheet}, item ${row.item}: ` }
    : { vi: `Trang ${sheet}, dòng ${row.row}: `, en: `Sheet ${sheet}, row ${row.row}: ` };
}

function parseComponent(row: SheetRow, reasons: RowReasons): ComponentSnapshot {
  const r = new RowReasons(where('components', row));
  const c = row.cells;
  const out: ComponentSnapshot = {
    name: parseText(r, 'name', c.name ?? '', 1000),
    form: parseEnum(r, 'form', c.form ?? '', ComponentForm.options, ALIASES.form!) ?? 'copy',
    quantity: parseWhole(r, 'quantity', c.quantity || '1', 1, 100),
    required: parseBool(r, 'required', c.required ?? ''),
    reusable: parseBool(r, 'reusable', c.reusable ?? ''),
    template: null,
  };
  r.list.forEach((m) => reasons.raw(m));
  return out;
}

function parseFee(row: SheetRow, reasons: RowReasons): FeeItem {
  const r = new RowReasons(where('fees', row));
  const c = row.cells;
  const exemptions = parseText(r, 'exemptions', c.exemptions ?? '', 2000, false);
  const out: FeeItem = {
    name: parseText(r, 'name', c.name ?? '', 500),
    amountVnd: parseWhole(r, 'amount_vnd', c.amount_vnd ?? '', 0, 1_000_000_000_000),
    exemptions: exemptions || null,
    payableOnline: parseBool(r, 'payable_online', c.payable_online ?? ''),
    when: parseEnum(r, 'when', c.when ?? '', FeeWhen.options, ALIASES.when!) ?? 'before_reception',
  };
  r.list.forEach((m) => reasons.raw(m));
  return out;
}

const normaliseCode = (s: string) => s.trim().toUpperCase();

// ---------------------------------------------------------------------------------------------
// Planning (the dry run)

function groupByCode(rows: SheetRow[] | null): Map<string, SheetRow[]> | null {
  if (!rows) return null;
  const m = new Map<string, SheetRow[]>();
  for (const r of rows) {
    const code = normaliseCode(r.cells.procedure_code ?? '');
    m.set(code, [...(m.get(code) ?? []), r]);
  }
  return m;
}

/** Agency codes to ids, with a reason for each unknown, dissolved (newly attached) or out-of-scope one. */
function resolveAgencies(r: RowReasons, column: string, cell: string, byCode: Map<string, AgencyRef>, attached: Set<string>, scope: Set<string>, today: string): string[] {
  const codes = [...new Set(splitCodes(cell).map(normaliseCode))];
  if (codes.length === 0) r.add(column, 'cần ít nhất một mã cơ quan.', 'at least one agency code is needed.');
  const ids: string[] = [];
  for (const code of codes) {
    const a = byCode.get(code);
    if (!a) {
      r.add(column, `không có cơ quan mã ${code}.`, `no agency has code ${code}.`);
      continue;
    }
    if (a.validTo && a.validTo < today && !attached.has(a.id)) {
      r.add(column, `${a.name} (${code}) đã giải thể hoặc sáp nhập; hãy dùng cơ quan kế thừa.`, `${a.name} (${code}) has been dissolved or merged; use its successor.`);
      continue;
    }
    if (!scope.has(a.id)) {
      r.add(column, `cơ quan ${code} ngoài phạm vi bạn quản lý.`, `agency ${code} is outside the agencies you manage.`);
      continue;
    }
    ids.push(a.id);
  }
  return ids;
}

/**
 * Works out, row by row, what importing `sheets` would do, without writing anything: create,
 * update, unchanged, or reject with every reason found. Codes, references, the actor's scope
 * and form schemas are all checked here, so the real run only writes.
 */
export async function planImport(db: DbOrTx, scope: Set<string>, sheets: ParsedSheets, onProgress?: (processed: number) => Promise<void>): Promise<ImportPlan> {
  const [dir, fields] = await Promise.all([agencyDirectory(db), fieldsByCode(db)]);
  const codes = sheets.procedures.map((p) => normaliseCode(p.cells.code ?? ''));
  const existing = await loadSnapshots(db, { codes: [...new Set(codes)].filter((c) => PROCEDURE_CODE_PATTERN.test(c)) });
  const componentsByCode = groupByCode(sheets.components);
  const feesByCode = groupByCode(sheets.fees);
  const seen = new Map<string, number>();
  for (const c of codes) seen.set(c, (seen.get(c) ?? 0) + 1);
  const today = new Date().toISOString().slice(0, 10);
  const rows: ImportRowResult[] = [];
  const writes: PlannedWrite[] = [];

  for (const [i, pr] of sheets.procedures.entries()) {
    const code = codes[i]!;
    const r = new RowReasons();
    const c = pr.cells;
    const has = (col: string) => sheets.columns.has(col);
    if (!PROCEDURE_CODE_PATTERN.test(code)) r.add('code', `"${c.code ?? ''}" không đúng dạng mã thủ tục (ví dụ 1.001612).`, `"${c.code ?? ''}" is not a procedure code (e.g. 1.001612).`);
    if ((seen.get(code) ?? 0) > 1) r.add('code', 'mã thủ tục xuất hiện nhiều lần trong tệp.', 'the procedure code appears more than once in the file.');
    const current: StoredProcedure | undefined = existing.get(code);
    const attached = new Set<string>();
    if (current) {
      const currentIds = [...current.snapshot.receivingAgencies, ...current.snapshot.resolvingAgencies].map((x) => dir.byCode.get(x)?.id ?? '');
      currentIds.forEach((id) => attached.add(id));
      if (!inScope(scope, currentIds))
        r.raw({ vi: 'Thủ tục đã có và thuộc cơ quan ngoài phạm vi bạn quản lý.', en: 'The procedure exists and belongs to agencies outside those you manage.' });
    }
    const field = fields.get((c.field_code ?? '').trim());
    if (!field) r.add('field_code', `không có lĩnh vực mã "${c.field_code ?? ''}".`, `no field has code "${c.field_code ?? ''}".`);
    const receiving = resolveAgencies(r, 'receiving_agency_codes', c.receiving_agency_codes ?? '', dir.byCode, attached, scope, today);
    const resolving = resolveAgencies(r, 'resolving_agency_codes', c.resolving_agency_codes ?? '', dir.byCode, attached, scope, today);
    const methods = parseEnumList(r, 'methods', c.methods ?? '', ProcedureMethod.options, ALIASES.method!);
    const onlineLevel = parseEnum(r, 'online_level', c.online_level ?? '', OnlineLevel.options, ALIASES.onlineLevel!) ?? 'none';
    if (methods.length) {
      const bad = onlineConsistency(methods, onlineLevel);
      if (bad) r.raw({ vi: `Cột online_level: ${bad.vi}`, en: `Column online_level: ${bad.en}` });
    }
    const componentRows = componentsByCode?.get(code);
    const feeRows = feesByCode?.get(code);
    const components = componentsByCode ? (componentRows ?? []).map((x) => parseComponent(x, r)) : current?.snapshot.components ?? [];
    const fees = feesByCode ? (feeRows ?? []).map((x) => parseFee(x, r)) : current?.snapshot.fees ?? [];
    if (components.length > 100) r.raw({ vi: 'Tối đa 100 thành phần hồ sơ.', en: '100 components at most.' });
    if (fees.length > 50) r.raw({ vi: 'Tối đa 50 khoản phí, lệ phí.', en: '50 fee items at most.' });

    const candidate = canonicalSnapshot({
      code,
      name: parseText(r, 'name', c.name ?? '', 1000),
      fieldCode: field?.code ?? '',
      receivingAgencies: receiving.map((id) => dir.byId.get(id)!.code),
      resolvingAgencies: resolving.map((id) => dir.byId.get(id)!.code),
      levels: parseEnumList(r, 'levels', c.levels ?? '', ProcedureLevel.options, ALIASES.level!),
      applicants: parseEnumList(r, 'applicants', c.applicants ?? '', ApplicantType.options, ALIASES.applicant!),
      steps: parseText(r, 'steps', c.steps ?? '', 20_000),
      methods,
      onlineLevel,
      processingTime: {
        value: parseWhole(r, 'processing_value', c.processing_value ?? '', 1, 1000),
        unit: parseEnum(r, 'processing_unit', c.processing_unit ?? '', ProcessingUnit.options, ALIASES.unit!) ?? 'working_days',
      },
      legalBasis: parseText(r, 'legal_basis', c.legal_basis ?? '', 20_000),
      resultDocuments: parseResults(r, c.results ?? ''),
      onlineForm: has('online_form') ? parseOnlineForm(r, c.online_form ?? '') : current?.snapshot.onlineForm ?? null,
      components,
      fees,
      published: has('published') ? parseBool(r, 'published', c.published ?? '') : current?.snapshot.published ?? false,
    });

    let action: ImportRowResult['action'];
    if (r.list.length) action = 'reject';
    else if (!current) action = 'create';
    else {
      const diff = diffSnapshots(canonicalSnapshot(withoutTemplates(current.snapshot)), withoutTemplates(candidate), IMPORT_KEYS);
      action = Object.keys(diff).length ? 'update' : 'unchanged';
    }
    rows.push({ sheet: 'procedures', row: pr.row, code: code || (c.code ?? ''), action, reasons: r.list });
    if (action === 'create' || action === 'update') {
      writes.push({ row: pr.row, code, action, after: candidate, write: toWrite(candidate, field!.id, receiving, resolving, current) });
    }
    if (onProgress && (i + 1) % 200 === 0) await onProgress(i + 1);
  }

  // Components and fees naming a procedure that is not in the procedures sheet.
  const inFile = new Set(codes);
  for (const [sheet, groups] of [['components', componentsByCode], ['fees', feesByCode]] as const) {
    for (const [code, lines] of groups ?? []) {
      if (inFile.has(code)) continue;
      for (const line of lines) {
        rows.push({
          sheet, row: line.row, code, action: 'reject',
          reasons: [{ vi: `Mã thủ tục "${code}" không có trong trang procedures.`, en: `Procedure code "${code}" is not in the procedures sheet.` }],
        });
      }
    }
  }
  const counts: ImportCounts = { create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const row of rows) counts[row.action]++;
  return { rows, counts, writes };
}

/**
 * The write for a planned row. Components keep their identity (and uploaded template) when an
 * existing component has the same name, so re-importing a catalogue does not drop templates.
 */
function toWrite(s: ProcedureSnapshot, fieldId: string, receiving: string[], resolving: string[], current: StoredProcedure | undefined): ProcedureWrite {
  const pool = [...(current?.components ?? [])];
  const components: ComponentWrite[] = s.components.map((c) => {
    const i = pool.findIndex((x) => normaliseText(x.name) === c.name);
    const keep = i >= 0 ? pool.splice(i, 1)[0] : undefined;
    return { ...(keep && { id: keep.id }), name: c.name, form: c.form, quantity: c.quantity, required: c.required, reusable: c.reusable };
  });
  return {
    code: s.code, name: s.name, fieldId, receivingAgencyIds: receiving, resolvingAgencyIds: resolving, levels: s.levels,
    applicants: s.applicants, steps: s.steps, methods: s.methods, onlineLevel: s.onlineLevel, processingTime: s.processingTime,
    legalBasis: s.legalBasis, resultDocuments: s.resultDocuments, onlineForm: s.onlineForm, components, fees: s.fees, published: s.published,
  };
}

// ---------------------------------------------------------------------------------------------
// Applying (the real run)

/**
 * Writes a plan with no rejected rows in ONE transaction: new procedures in bulk, changed ones
 * one by one, a history row for each and one audit event naming them all, or nothing.
 * `onProgress` is called as procedures are written; the caller commits progress outside this
 * transaction so that it can be watched.
 * Throws a unique violation (23505) when another writer created one of the codes meanwhile.
 */
export async function applyImport(db: Db, ctx: AuditContext, plan: ImportPlan, meta: { jobId: string; filename: string }, onProgress?: (written: number) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const history: HistoryWrite[] = [];
    const entry = (procedureId: string, diff: Record<string, unknown>): HistoryWrite =>
      ({ procedureId, actorId: ctx.actorId, actorName: ctx.actorName, action: 'imported', diff: { ...diff, importJob: { to: meta.jobId } } });
    const creates = plan.writes.filter((w) => w.action === 'create');
    const updates = plan.writes.filter((w) => w.action === 'update');
    const ids = await insertProcedures(tx, creates.map((w) => w.write));
    for (const w of creates) history.push(entry(ids.get(w.code)!, creationDiff(w.after)));
    if (onProgress && creates.length) await onProgress(creates.length);
    const before = await loadSnapshots(tx, { codes: updates.map((w) => w.code) });
    for (const [i, w] of updates.entries()) {
      const current = before.get(w.code);
      if (!current) throw new Error(`import: procedure ${w.code} disappeared during the import`);
      await updateProcedure(tx, current.id, w.write);
      history.push(entry(current.id, diffSnapshots(canonicalSnapshot(withoutTemplates(current.snapshot)), withoutTemplates(w.after), IMPORT_KEYS)));
      if (onProgress && (i + 1) % 50 === 0) await onProgress(creates.length + i + 1);
    }
    await insertHistory(tx, history);
    await writeAudit(tx, ctx, {
      action: 'procedure.import', objectType: 'import_job', objectId: meta.jobId,
      details: { filename: meta.filename, counts: plan.counts, created: creates.map((w) => w.code), updated: updates.map((w) => w.code) },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The whole import, as the route runs it

const importRefused = (fields: { path: string; message: Msg }[]) =>
  new AppError(400, 'import_rejected', { vi: 'Tệp nhập có dòng không hợp lệ; chưa có gì được ghi.', en: 'The import file has invalid rows; nothing was written.' }, fields);

/**
 * Imports an uploaded catalogue file. A dry run only reports. A real run is tracked as an
 * import job (progress committed apart, so it can be polled) and writes everything in one
 * transaction, or nothing: any rejected row answers 400 `import_rejected` listing every reason
 * as a field error `file.<sheet>.<row>`.
 * Throws 400 (unreadable file, rejected rows), 409 (a code created meanwhile by someone else).
 */
export async function importCatalog(
  db: Db,
  ctx: AuditContext,
  opts: { scope: Set<string>; actorId: string; file: { content: Buffer; filename: string | undefined }; dryRun: boolean },
): Promise<ImportReport> {
  let sheets: ParsedSheets;
  try {
    sheets = await readCatalogFile(opts.file.content);
  } catch (err) {
    if (err instanceof FileProblem) throw new AppError(400, 'import_file_invalid', err.msg, [{ path: err.path, message: err.msg }]);
    throw err;
  }
  if (opts.dryRun) {
    const plan = await planImport(db, opts.scope, sheets);
    return { dryRun: true, format: sheets.format, counts: plan.counts, rows: plan.rows, jobId: null };
  }
  const filename = (opts.file.filename ?? `import.${sheets.format}`).slice(0, 200);
  const total = sheets.procedures.length;
  const jobId = await createImportJob(db, { filename, format: sheets.format, total, createdBy: opts.actorId });
  const progress = (processed: number) => updateImportJob(db, jobId, { processed });
  try {
    const plan = await planImport(db, opts.scope, sheets, progress);
    const rejected = plan.rows.filter((x) => x.action === 'reject');
    if (rejected.length) {
      await updateImportJob(db, jobId, { status: 'rejected', processed: total, result: { counts: plan.counts, rows: rejected }, finished: true });
      throw importRefused(rejected.flatMap((x) => x.reasons.map((message) => ({ path: `file.${x.sheet}.${x.row}`, message }))));
    }
    await updateImportJob(db, jobId, { status: 'writing', processed: 0 });
    await applyImport(db, ctx, plan, { jobId, filename }, progress).catch(rethrowUnique);
    await updateImportJob(db, jobId, { status: 'succeeded', processed: plan.writes.length, result: { counts: plan.counts, rows: plan.rows }, finished: true });
    return { dryRun: false, format: sheets.format, counts: plan.counts, rows: plan.rows, jobId };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'import_rejected')) await updateImportJob(db, jobId, { status: 'failed', finished: true }).catch(() => undefined);
    throw err;
  }
}
