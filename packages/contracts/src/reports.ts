import { z } from 'zod';

/*
 * Reports (báo cáo thống kê): dossier statistics as provinces publish them, the service-quality
 * index of Decision 766/QĐ-TTg, the leaders' dashboard and exports. Every figure of a period is
 * computed the same way everywhere (API, .xlsx, PDF); the formulas are in the server's
 * modules/reports/README.md.
 */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Bilingual = z.object({ vi: z.string(), en: z.string() });

/** The scope and period every report takes: `agency` is the agency code (QCVN 102:2016). */
export const ReportQuery = z.object({
  agency: z.string().trim().min(1).max(40),
  /** First day of the period (local date, inclusive). */
  from: IsoDate,
  /** Last day of the period (local date, inclusive); a period at most 5 years long. */
  to: IsoDate,
  /** Count the agencies below it too (divisions, communes of a district, …). Default true. */
  includeChildren: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export const ReportAgency = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.string(),
  /** Last day of a dissolved agency: its history stays reportable under itself. */
  validTo: z.string().nullable(),
});
export type ReportAgency = z.infer<typeof ReportAgency>;

export const ReportPeriod = z.object({
  from: IsoDate,
  to: IsoDate,
  /** The instant stocks (carried over, in progress, overdue) are measured at the end: the period's end, or now while it runs. */
  measuredAt: z.string(),
});
export type ReportPeriod = z.infer<typeof ReportPeriod>;

/** Freshness of the facts the figures come from (they follow dossier changes within seconds). */
export const ReportFreshness = z.object({
  generatedAt: z.string(),
  /** Dossiers changed but not yet reflected in the figures. */
  pendingChanges: z.number().int(),
});
export type ReportFreshness = z.infer<typeof ReportFreshness>;

/**
 * The figures of one scope and period. Rates are fractions (0–1) or null when their denominator
 * is 0. Identity: carriedOver + received = toProcess = resolved + withdrawn + inProgress.
 */
export const ReportFigures = z.object({
  /** In hand at the start of the period (received before it, not finished nor withdrawn). */
  carriedOver: z.number().int(),
  /** Received in the period, and by channel (1 in person, 2 online, 3 public postal service). */
  received: z.number().int(),
  receivedInPerson: z.number().int(),
  receivedOnline: z.number().int(),
  receivedByPost: z.number().int(),
  /** carriedOver + received (tổng số hồ sơ phải giải quyết). */
  toProcess: z.number().int(),
  /** Finished in the period: first of approved, refused, stopped (Decision 766). */
  resolved: z.number().int(),
  resolvedEarly: z.number().int(),
  resolvedOnTime: z.number().int(),
  resolvedLate: z.number().int(),
  /** Of the resolved: refused and stopped. */
  refused: z.number().int(),
  stopped: z.number().int(),
  /** Withdrawn at the applicant's request after reception, in the period. */
  withdrawn: z.number().int(),
  /** In hand at the end of the period, within time and overdue. */
  inProgress: z.number().int(),
  inProgressOnTime: z.number().int(),
  inProgressOverdue: z.number().int(),
  /** Of those in hand at the end: waiting for the applicant's supplement. */
  waitingSupplement: z.number().int(),
  /** Received in the period with a fee to pay, and of those paid online. */
  feeBearing: z.number().int(),
  onlinePaid: z.number().int(),
  /** Approved in the period whose procedure returns a result document, and of those returned electronically. */
  resultExpected: z.number().int(),
  electronicResults: z.number().int(),
  /** Average resolution time of the resolved, in working days, supplement pauses excluded. */
  averageResolutionDays: z.number().nullable(),
  /** As provinces publish it: 1 − lateRate. */
  onTimeRate: z.number().nullable(),
  /** (resolvedLate + inProgressOverdue) ÷ toProcess. */
  lateRate: z.number().nullable(),
  /** (resolvedEarly + resolvedOnTime) ÷ resolved. */
  resolvedOnTimeRate: z.number().nullable(),
  /** receivedOnline ÷ received. */
  onlineRate: z.number().nullable(),
});
export type ReportFigures = z.infer<typeof ReportFigures>;

export const ReportSummary = z.object({
  agency: ReportAgency,
  includeChildren: z.boolean(),
  period: ReportPeriod,
  figures: ReportFigures,
  freshness: ReportFreshness,
});
export type ReportSummary = z.infer<typeof ReportSummary>;

/** Breakdowns: `procedure` is for officials; the others are public. */
export const ReportDimension = z.enum(['agency', 'field', 'channel', 'month', 'procedure']);
export type ReportDimension = z.infer<typeof ReportDimension>;

export const ReportBreakdownQuery = ReportQuery.extend({ by: ReportDimension });
export type ReportBreakdownQuery = z.infer<typeof ReportBreakdownQuery>;

export const ReportBreakdownRow = z.object({
  /** Agency code, field id, channel, month (YYYY-MM) or procedure id: pass it back to narrow a drill-down. */
  key: z.string(),
  label: z.string(),
  labelEn: z.string().nullable(),
  /** Procedure code, agency code or field code when the row has one. */
  code: z.string().nullable(),
  figures: ReportFigures,
});
export type ReportBreakdownRow = z.infer<typeof ReportBreakdownRow>;

export const ReportBreakdown = z.object({
  agency: ReportAgency,
  includeChildren: z.boolean(),
  period: ReportPeriod,
  by: ReportDimension,
  rows: z.array(ReportBreakdownRow),
  total: ReportFigures,
  freshness: ReportFreshness,
});
export type ReportBreakdown = z.infer<typeof ReportBreakdown>;

/** What a drill-down lists: every figure above, and the dossiers that lowered each index component. */
export const DrillMetric = z.enum([
  'carriedOver', 'received', 'receivedInPerson', 'receivedOnline', 'receivedByPost', 'toProcess',
  'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'refused', 'stopped', 'withdrawn',
  'inProgress', 'inProgressOnTime', 'inProgressOverdue', 'waitingSupplement', 'feeBearing', 'onlinePaid',
  'resultExpected', 'electronicResults', 'late',
  'idx21', 'idx22', 'idx33', 'idx36', 'idx41', 'idx42', 'idx43', 'idx54',
]);
export type DrillMetric = z.infer<typeof DrillMetric>;

export const DrillQuery = ReportQuery.extend({
  metric: DrillMetric,
  procedureId: z.uuid().optional(),
  fieldId: z.uuid().optional(),
  channel: z.enum(['in_person', 'online', 'post']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type DrillQuery = z.infer<typeof DrillQuery>;

/** A dossier behind a figure: no personal data (open the dossier itself for that, which is audited). */
export const DrillItem = z.object({
  id: z.string(),
  code: z.string().nullable(),
  procedure: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  agencyCode: z.string(),
  channel: z.enum(['in_person', 'online', 'post']),
  status: z.string(),
  receivedAt: z.string(),
  /** Current appointment (after pauses and extensions). */
  dueAt: z.string().nullable(),
  /** When it left the work in hand (finished or withdrawn). */
  exitAt: z.string().nullable(),
  exitKind: z.enum(['approved', 'refused', 'stopped', 'withdrawn']).nullable(),
  timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  supplementRequests: z.number().int(),
});
export type DrillItem = z.infer<typeof DrillItem>;

export const DrillList = z.object({ metric: DrillMetric, items: z.array(DrillItem), total: z.number().int() });
export type DrillList = z.infer<typeof DrillList>;

/** Where a component's figure comes from. */
export const IndexSource = z.enum([
  'computed', // from this system's own data
  'external', // published by the national portal or another system: entered from outside
  'not_available', // would come from this system, but the module it needs does not exist yet
]);
export type IndexSource = z.infer<typeof IndexSource>;

export const ProcedureRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
export type ProcedureRef = z.infer<typeof ProcedureRef>;

export const IndexComponent = z.object({
  /** Component number in Decision 766, e.g. `2.1`. */
  code: z.string(),
  group: z.number().int().min(1).max(5),
  name: Bilingual,
  source: IndexSource,
  maxPoints: z.number(),
  /** Rate at or above which the component earns its full points; below it, points = rate × max ÷ threshold. */
  threshold: z.number(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  /** Null when not computed (external, not available, or nothing to measure in the period). */
  points: z.number().nullable(),
  /** What the rate measures. */
  note: Bilingual.nullable(),
  /**
   * Why there are no points when `points` is null: provided from outside (national portal), not
   * computable yet (5.2: no feedback module), or nothing to measure in the period. Null otherwise.
   */
  reason: Bilingual.nullable(),
  /** Officials only: what lowered the rate, as a drill-down metric (dossiers) or a list (procedures). */
  lowering: z
    .object({
      count: z.number().int(),
      metric: DrillMetric.nullable(),
      procedures: z.array(ProcedureRef).nullable(),
    })
    .nullable(),
});
export type IndexComponent = z.infer<typeof IndexComponent>;

export const IndexGroup = z.object({
  group: z.number().int(),
  name: Bilingual,
  maxPoints: z.number(),
  /** Sum of the computed components' points, and of their maxima. */
  points: z.number(),
  computedMaxPoints: z.number(),
});
export type IndexGroup = z.infer<typeof IndexGroup>;

export const IndexTotal = z.object({
  points: z.number(),
  /** Sum of the maxima of the components computed here (external ones are added by the national portal). */
  computedMaxPoints: z.number(),
  /** points ÷ computedMaxPoints, as a percentage: what agencies are ranked on. */
  percent: z.number().nullable(),
});
export type IndexTotal = z.infer<typeof IndexTotal>;

export const QualityIndex = z.object({
  agency: ReportAgency,
  includeChildren: z.boolean(),
  period: ReportPeriod,
  components: z.array(IndexComponent),
  groups: z.array(IndexGroup),
  total: IndexTotal,
  freshness: ReportFreshness,
});
export type QualityIndex = z.infer<typeof QualityIndex>;

export const IndexRankingRow = z.object({
  rank: z.number().int(),
  agency: ReportAgency,
  received: z.number().int(),
  total: IndexTotal,
  /** Component code → points (null when not computed). */
  points: z.record(z.string(), z.number().nullable()),
});
export type IndexRankingRow = z.infer<typeof IndexRankingRow>;

export const IndexRanking = z.object({
  agency: ReportAgency,
  period: ReportPeriod,
  rows: z.array(IndexRankingRow),
  freshness: ReportFreshness,
});
export type IndexRanking = z.infer<typeof IndexRanking>;

export const DashboardQuery = z.object({
  agency: z.string().trim().min(1).max(40),
  includeChildren: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Window for the slowest procedures and steps and the ranking; default: 1 January of this year to today. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const SlowProcedure = z.object({
  procedure: ProcedureRef,
  resolved: z.number().int(),
  resolvedLate: z.number().int(),
  averageDays: z.number(),
  statutoryDays: z.number(),
  /** averageDays ÷ statutoryDays: above 1 is slower than the law allows. */
  ratio: z.number(),
});
export type SlowProcedure = z.infer<typeof SlowProcedure>;

export const SlowStep = z.object({
  procedure: ProcedureRef,
  stepKey: z.string(),
  stepName: Bilingual.nullable(),
  visits: z.number().int(),
  late: z.number().int(),
  lateShare: z.number(),
  /** Average working hours spent at the step, and allowed by its share of the statutory time. */
  averageHours: z.number(),
  allowedHours: z.number(),
});
export type SlowStep = z.infer<typeof SlowStep>;

export const Dashboard = z.object({
  agency: ReportAgency,
  includeChildren: z.boolean(),
  period: ReportPeriod,
  now: z.string(),
  overdueNow: z.object({ count: z.number().int(), items: z.array(DrillItem) }),
  dueThisWeek: z.object({ count: z.number().int(), until: z.string(), items: z.array(DrillItem) }),
  slowestProcedures: z.array(SlowProcedure),
  slowestSteps: z.array(SlowStep),
  ranking: z.array(IndexRankingRow),
  freshness: ReportFreshness,
});
export type Dashboard = z.infer<typeof Dashboard>;

export const ExportFormat = z.enum(['xlsx', 'pdf']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportRequest = z.strictObject({
  agency: z.string().trim().min(1).max(40),
  from: IsoDate,
  to: IsoDate,
  includeChildren: z.boolean().default(true),
  format: ExportFormat,
});
export type ExportRequest = z.infer<typeof ExportRequest>;

export const ExportJob = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  /** 0–100. */
  progress: z.number().int(),
  format: ExportFormat,
  params: z.object({ agency: z.string(), from: z.string(), to: z.string(), includeChildren: z.boolean() }),
  filename: z.string().nullable(),
  size: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Set once succeeded: GET it (same session) to download. */
  downloadUrl: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;

export const ExportJobList = z.object({ items: z.array(ExportJob) });
export type ExportJobList = z.infer<typeof ExportJobList>;
