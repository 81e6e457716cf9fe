import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;

export interface AgenciesTable {
  id: Generated<string>;
  code: string;
  name: string;
  nameEn: string | null;
  shortName: string;
  level: string;
  parentId: string | null;
  address: string | null;
  phone: string | null;
  validFrom: DateCol;
  validTo: ColumnType<string | null, string | null | undefined, string | null>;
  successorId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  kind: 'citizen' | 'official';
  fullName: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  mustChangePassword: Generated<boolean>;
  totpSecretEnc: string | null;
  totpEnrolledAt: Date | null;
  totpLastStep: ColumnType<string | null, string | null | undefined, string | null>;
  dateOfBirth: string | null;
  personalIdEnc: string | null;
  personalIdMasked: string | null;
  address: string | null;
  disabledAt: Date | null;
  lockedUntil: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface OfficialRolesTable {
  userId: string;
  agencyId: string;
  role: string;
  createdAt: Generated<Date>;
}

export interface SessionsTable {
  idHash: Buffer;
  userId: string;
  csrfToken: string;
  createdAt: Generated<Date>;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

export interface LoginChallengesTable {
  id: Generated<string>;
  userId: string;
  kind: 'totp' | 'totp_enrol';
  pendingSecretEnc: string | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  consumedAt: Date | null;
  failures: Generated<number>;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  userId: string | null;
  ip: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface AuditLogTable {
  seq: Generated<string>;
  at: Timestamp;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

export interface CalendarOverridesTable {
  id: Generated<string>;
  date: string;
  kind: 'day_off' | 'working_day' | 'remove';
  nameVi: string | null;
  nameEn: string | null;
  note: string | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
}

export interface ProcedureFieldsTable {
  id: Generated<string>;
  code: string;
  name: string;
  nameEn: string | null;
  createdAt: Generated<Date>;
}

export interface ProceduresTable {
  id: Generated<string>;
  code: string;
  name: string;
  fieldId: string;
  levels: string[];
  applicants: string[];
  steps: string;
  methods: string[];
  onlineLevel: string;
  processingValue: number;
  processingUnit: string;
  legalBasis: string;
  resultDocuments: ColumnType<unknown[], string, string>;
  onlineForm: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  processId: string | null;
  published: Generated<boolean>;
  publishedAt: Date | null;
  /** Maintained by triggers. */
  searchText: Generated<string>;
  searchName: Generated<string>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ProcedureAgenciesTable {
  procedureId: string;
  agencyId: string;
  kind: 'receiving' | 'resolving';
}

export interface ProcedureTemplatesTable {
  sha256: string;
  content: Buffer;
  mime: string;
  size: number;
  createdAt: Generated<Date>;
}

export interface ProcedureComponentsTable {
  id: Generated<string>;
  procedureId: string;
  sortOrder: number;
  name: string;
  form: string;
  quantity: number;
  required: boolean;
  reusable: boolean;
  templateSha256: string | null;
  templateFilename: string | null;
}

export interface ProcedureFeesTable {
  id: Generated<string>;
  procedureId: string;
  sortOrder: number;
  name: string;
  amountVnd: ColumnType<string, number | string, number | string>;
  exemptions: string | null;
  payableOnline: boolean;
  payableWhen: string;
}

export interface ProcedureHistoryTable {
  id: Generated<string>;
  procedureId: string;
  at: Timestamp;
  actorId: string | null;
  actorName: string | null;
  action: string;
  diff: ColumnType<Record<string, unknown>, string, never>;
}

export interface ImportJobsTable {
  id: Generated<string>;
  status: string;
  filename: string;
  format: string;
  processed: Generated<number>;
  total: Generated<number>;
  result: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  createdBy: string | null;
  createdAt: Generated<Date>;
  finishedAt: Date | null;
}

export interface ProcessesTable {
  id: Generated<string>;
  procedureId: string;
  version: number;
  steps: ColumnType<unknown, string, never>;
  createdBy: string | null;
  createdAt: Generated<Date>;
}

export interface DossiersTable {
  id: Generated<string>;
  code: string | null;
  procedureId: string;
  processId: string;
  durationValue: number;
  durationUnit: 'working_days' | 'working_hours';
  channel: 'in_person' | 'online' | 'post';
  receivingAgencyId: string;
  applicantUserId: string | null;
  createdBy: string | null;
  applicantName: string;
  applicantPhone: string | null;
  applicantEmail: string | null;
  applicantIdEnc: string | null;
  applicantIdMasked: string | null;
  applicantAddress: string | null;
  formData: ColumnType<Record<string, unknown>, string | undefined, string>;
  delivery: ColumnType<{ method: 'counter' | 'post' | 'online'; address?: string }, string | undefined, string>;
  status: string;
  portalStatus: string;
  stepIndex: number | null;
  currentAgencyId: string | null;
  assigneeId: string | null;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  stepDueAt: Date | null;
  pausedSince: Date | null;
  supplementRequests: Generated<number>;
  finishedAt: Date | null;
  returnedAt: Date | null;
  timeliness: string | null;
  rating: string | null;
  urgency: 'due_soon' | 'overdue' | null;
  urgencyAt: Date | null;
  lastSeq: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface DossierActionsTable {
  dossierId: string;
  seq: number;
  type: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  comment: string | null;
  payload: ColumnType<Record<string, unknown>, string, never>;
}

export interface BlobsTable {
  sha256: string;
  size: ColumnType<number, number, number>;
  mime: string;
  createdAt: Generated<Date>;
}

export interface DossierFilesTable {
  id: Generated<string>;
  dossierId: string;
  componentId: string | null;
  componentName: string | null;
  kind: 'component' | 'supplement' | 'result' | 'action';
  blobSha256: string;
  filename: string;
  mime: string;
  size: ColumnType<number, number, number>;
  reusedFrom: string | null;
  uploadedBy: string | null;
  removedAt: Date | null;
  createdAt: Generated<Date>;
}

export interface DossierCodeCountersTable {
  agencyId: string;
  day: string;
  last: number;
}

export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  route: string;
  requestHash: string;
  status: number;
  response: ColumnType<unknown, string, string>;
  createdAt: Generated<Date>;
}

export interface Database {
  agencies: AgenciesTable;
  users: UsersTable;
  officialRoles: OfficialRolesTable;
  sessions: SessionsTable;
  loginChallenges: LoginChallengesTable;
  loginAttempts: LoginAttemptsTable;
  auditLog: AuditLogTable;
  calendarOverrides: CalendarOverridesTable;
  processes: ProcessesTable;
  dossiers: DossiersTable;
  dossierActions: DossierActionsTable;
  blobs: BlobsTable;
  dossierFiles: DossierFilesTable;
  dossierCodeCounters: DossierCodeCountersTable;
  idempotencyKeys: IdempotencyKeysTable;
  procedureFields: ProcedureFieldsTable;
  procedures: ProceduresTable;
  procedureAgencies: ProcedureAgenciesTable;
  procedureTemplates: ProcedureTemplatesTable;
  procedureComponents: ProcedureComponentsTable;
  procedureFees: ProcedureFeesTable;
  procedureHistory: ProcedureHistoryTable;
  importJobs: ImportJobsTable;
}
