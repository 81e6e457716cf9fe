import { z } from 'zod';

/*
 * The procedure catalogue (danh mục thủ tục hành chính): what the public search, the procedure
 * page and the admin screens exchange with the server.
 */

/** Online service level (mức độ dịch vụ công trực tuyến, Decree 42/2022): `full` = toàn trình, `partial` = một phần. */
export const OnlineLevel = z.enum(['full', 'partial', 'none']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;

/** How a dossier may be filed (cách thức thực hiện): at a counter, online, or through the public postal service. */
export const ProcedureMethod = z.enum(['in_person', 'online', 'post']);
export type ProcedureMethod = z.infer<typeof ProcedureMethod>;

/** Who may apply (đối tượng thực hiện). */
export const ApplicantType = z.enum(['citizen', 'business', 'organisation']);
export type ApplicantType = z.infer<typeof ApplicantType>;

/** Level of government that carries the procedure out (cấp thực hiện); `district` only for pre-2025 data. */
export const ProcedureLevel = z.enum(['central', 'province', 'district', 'commune']);
export type ProcedureLevel = z.infer<typeof ProcedureLevel>;

export const ProcessingUnit = z.enum(['working_days', 'working_hours']);
export type ProcessingUnit = z.infer<typeof ProcessingUnit>;

/** Statutory processing time (thời hạn giải quyết), counted in working time. */
export const ProcessingTime = z.object({
  value: z.number().int().min(1).max(1000),
  unit: ProcessingUnit,
});
export type ProcessingTime = z.infer<typeof ProcessingTime>;

/** When a fee item is paid. */
export const FeeWhen = z.enum(['before_reception', 'before_processing', 'before_result']);
export type FeeWhen = z.infer<typeof FeeWhen>;

/** Form of a dossier component (thành phần hồ sơ): bản chính, bản sao chứng thực, bản sao. */
export const ComponentForm = z.enum(['original', 'certified_copy', 'copy']);
export type ComponentForm = z.infer<typeof ComponentForm>;

export const ProcedureAgencyKind = z.enum(['receiving', 'resolving']);
export type ProcedureAgencyKind = z.infer<typeof ProcedureAgencyKind>;

/** Procedure code of the national database, e.g. `1.001612` or `2.000123.000.00.00.H56`. */
export const PROCEDURE_CODE_PATTERN = /^\d\.\d{6}(\.[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3})?$/;

/** Field (lĩnh vực) a procedure belongs to, e.g. Hộ tịch. */
export const ProcedureField = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  /** Published procedures in the field. */
  procedureCount: z.number().int(),
});
export type ProcedureField = z.infer<typeof ProcedureField>;

export const ProcedureFieldList = z.object({ items: z.array(ProcedureField) });
export type ProcedureFieldList = z.infer<typeof ProcedureFieldList>;

/** An agency that receives or resolves a procedure (one entry per agency and kind). */
export const ProcedureAgency = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  kind: ProcedureAgencyKind,
});
export type ProcedureAgency = z.infer<typeof ProcedureAgency>;

/** Result document (kết quả): the paper and/or electronic document the applicant receives. */
export const ResultDocument = z.strictObject({
  name: z.string().trim().min(1).max(500),
  paper: z.boolean(),
  electronic: z.boolean(),
});
export type ResultDocument = z.infer<typeof ResultDocument>;

/**
 * Online form: a JSON Schema (draft-07, object at the root) and UI hints for `@rjsf`.
 * The server refuses a schema that is not valid JSON Schema and validates submissions with Ajv.
 */
export const OnlineForm = z.strictObject({
  schema: z.record(z.string(), z.unknown()),
  uiSchema: z.record(z.string(), z.unknown()).default({}),
});
export type OnlineForm = z.infer<typeof OnlineForm>;

/** Fee or charge item (phí, lệ phí); amounts in whole VND. */
export const FeeItem = z.strictObject({
  name: z.string().trim().min(1).max(500),
  amountVnd: z.number().int().min(0).max(1_000_000_000_000),
  /** Who is exempt or pays less, as published. */
  exemptions: z.string().trim().max(2000).nullable().default(null),
  payableOnline: z.boolean(),
  when: FeeWhen,
});
export type FeeItem = z.infer<typeof FeeItem>;

/** A downloadable template form attached to a component. */
export const ComponentTemplate = z.object({
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  /** Path of the download, relative to the site root. */
  url: z.string(),
});
export type ComponentTemplate = z.infer<typeof ComponentTemplate>;

export const ProcedureComponent = z.object({
  id: z.string(),
  name: z.string(),
  form: ComponentForm,
  quantity: z.number().int(),
  required: z.boolean(),
  /** Can be reused from the applicant's earlier dossiers or the national databases. */
  reusable: z.boolean(),
  template: ComponentTemplate.nullable(),
});
export type ProcedureComponent = z.infer<typeof ProcedureComponent>;

/**
 * A component as sent by the admin screen. Send `id` to keep an existing component (and its
 * uploaded template); components without `id` are new; those left out are removed.
 */
export const ProcedureComponentInput = z.strictObject({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(1000),
  form: ComponentForm,
  quantity: z.number().int().min(1).max(100),
  required: z.boolean(),
  reusable: z.boolean().default(false),
});
export type ProcedureComponentInput = z.infer<typeof ProcedureComponentInput>;

export const ProcedureSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  field: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  agencies: z.array(ProcedureAgency),
  onlineLevel: OnlineLevel,
  processingTime: ProcessingTime,
  /** Sum of the fee items, in VND; 0 for a free procedure. */
  feeTotal: z.number().int(),
  methods: z.array(ProcedureMethod),
  published: z.boolean(),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

export const ProcedureList = z.object({ items: z.array(ProcedureSummary), total: z.number().int() });
export type ProcedureList = z.infer<typeof ProcedureList>;

export const ProcedureDetail = ProcedureSummary.extend({
  levels: z.array(ProcedureLevel),
  applicants: z.array(ApplicantType),
  /** Sequence of steps (trình tự thực hiện), plain text with line breaks. */
  steps: z.string(),
  /** Legal basis (căn cứ pháp lý), plain text with line breaks. */
  legalBasis: z.string(),
  resultDocuments: z.array(ResultDocument),
  onlineForm: OnlineForm.nullable(),
  /** Internal process (quy trình nội bộ), set by the dossier workflow. */
  processId: z.string().nullable(),
  components: z.array(ProcedureComponent),
  fees: z.array(FeeItem),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProcedureDetail = z.infer<typeof ProcedureDetail>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** Every editable field, none optional and none defaulted (zod would apply defaults inside `partial`). */
const procedureFields = {
  code: z.string().trim().regex(PROCEDURE_CODE_PATTERN),
  name: text(1000),
  fieldId: z.uuid(),
  receivingAgencyIds: z.array(z.uuid()).min(1).max(500),
  resolvingAgencyIds: z.array(z.uuid()).min(1).max(500),
  levels: z.array(ProcedureLevel).min(1).max(4),
  applicants: z.array(ApplicantType).min(1).max(3),
  steps: text(20_000),
  methods: z.array(ProcedureMethod).min(1).max(3),
  onlineLevel: OnlineLevel,
  processingTime: ProcessingTime,
  legalBasis: text(20_000),
  resultDocuments: z.array(ResultDocument).min(1).max(50),
  onlineForm: OnlineForm.nullable(),
  components: z.array(ProcedureComponentInput).max(100),
  fees: z.array(FeeItem).max(50),
};

/** Body of `POST /api/v1/admin/procedures`. */
export const ProcedureInput = z.strictObject({
  ...procedureFields,
  onlineForm: procedureFields.onlineForm.default(null),
  components: procedureFields.components.default([]),
  fees: procedureFields.fees.default([]),
  published: z.boolean().default(false),
});
export type ProcedureInput = z.infer<typeof ProcedureInput>;

/**
 * Body of `PATCH /api/v1/admin/procedures/{id}`: any subset; `components` and `fees` replace the
 * whole list. Publishing has its own endpoints.
 */
export const ProcedurePatch = z.strictObject(procedureFields).partial();
export type ProcedurePatch = z.infer<typeof ProcedurePatch>;

export const ProcedureHistoryAction = z.enum([
  'created', 'updated', 'published', 'unpublished', 'template_uploaded', 'imported',
]);
export type ProcedureHistoryAction = z.infer<typeof ProcedureHistoryAction>;

/** One change: `diff` maps each changed field to `{ from, to }` (`created` holds `{ to }` only). */
export const ProcedureHistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: ProcedureHistoryAction,
  diff: z.record(z.string(), z.unknown()),
});
export type ProcedureHistoryEntry = z.infer<typeof ProcedureHistoryEntry>;

export const ProcedureHistory = z.object({ items: z.array(ProcedureHistoryEntry), total: z.number().int() });
export type ProcedureHistory = z.infer<typeof ProcedureHistory>;

export const ImportAction = z.enum(['create', 'update', 'unchanged', 'reject']);
export type ImportAction = z.infer<typeof ImportAction>;

/** What an import would do (dry run) or did with one spreadsheet row. */
export const ImportRowResult = z.object({
  /** Sheet of the row: `procedures`, or `components`/`fees` for lines naming an unknown procedure. */
  sheet: z.enum(['procedures', 'components', 'fees']),
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: z.number().int(),
  code: z.string(),
  action: ImportAction,
  reasons: z.array(z.object({ vi: z.string(), en: z.string() })),
});
export type ImportRowResult = z.infer<typeof ImportRowResult>;

export const ImportCounts = z.object({
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  reject: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

/**
 * Answer of `POST /api/v1/admin/procedures/import?dryRun=true|false` (multipart field `file`,
 * .xlsx or .csv, the format `GET /api/v1/admin/procedures/export` writes; its `huong_dan` sheet
 * explains every column). A dry run (200) reports every row; a real run (201) writes all rows
 * or none: with any rejected row it answers 400 `import_rejected`, one field error per reason
 * with path `file.<sheet>.<row>`. An unreadable file answers 400 `import_file_invalid`.
 */
export const ImportReport = z.object({
  dryRun: z.boolean(),
  format: z.enum(['xlsx', 'csv']),
  counts: ImportCounts,
  rows: z.array(ImportRowResult),
  /** The tracked job of a real run; null for a dry run. */
  jobId: z.string().nullable(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportJobStatus = z.enum(['validating', 'writing', 'succeeded', 'rejected', 'failed']);
export type ImportJobStatus = z.infer<typeof ImportJobStatus>;

/** A real import run, polled for progress: `processed` of `total` procedure rows. */
export const ImportJob = z.object({
  id: z.string(),
  status: ImportJobStatus,
  filename: z.string(),
  format: z.enum(['xlsx', 'csv']),
  processed: z.number().int(),
  total: z.number().int(),
  counts: ImportCounts.nullable(),
  /** Row results (rejected rows and their reasons when the import was refused). */
  rows: z.array(ImportRowResult),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportJobList = z.object({ items: z.array(ImportJob) });
export type ImportJobList = z.infer<typeof ImportJobList>;

const flag = z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true'));

/** Query of `GET /api/v1/procedures` (public: published procedures only). */
export const ProcedureSearchQuery = z.object({
  /** Search box text: name, code, field or agency; accents and small typos do not matter. */
  q: z.string().trim().max(200).optional(),
  /** Received or resolved by this agency. */
  agencyId: z.uuid().optional(),
  fieldId: z.uuid().optional(),
  onlineLevel: OnlineLevel.optional(),
  /** `true`: some fee item is above 0; `false`: free. */
  hasFee: flag,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ProcedureSearchQuery = z.infer<typeof ProcedureSearchQuery>;

/** Query of `GET /api/v1/admin/procedures`: the same, over the procedures the official manages, published or not. */
export const AdminProcedureQuery = ProcedureSearchQuery.extend({ published: flag });
export type AdminProcedureQuery = z.infer<typeof AdminProcedureQuery>;
