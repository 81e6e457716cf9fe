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

export interface ProcedureSearchWordsTable {
  word: string;
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

type Money = ColumnType<string, number | string, number | string>;
type Json<T> = ColumnType<T, string, string>;

export interface PaymentsTable {
  id: Generated<string>;
  dossierId: string;
  agencyId: string;
  method: 'vnpay' | 'vietqr' | 'cash';
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
  amountVnd: Money;
  paidOnline: boolean;
  reference: string;
  gateway: 'vnpay' | 'sandbox' | null;
  terminalCode: string | null;
  gatewayCreateDate: string | null;
  /** A JSON string: VNPay's signed query string, or the VietQR purpose. */
  request: ColumnType<string | null, string | null, string | null>;
  expiresAt: Date | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
  paidAt: Date | null;
  settledVia: 'ipn' | 'querydr' | 'counter' | 'statement' | 'review' | null;
  gatewayTxnNo: string | null;
  bankCode: string | null;
  responseCode: string | null;
  transactionStatus: string | null;
  overpaidVnd: ColumnType<string, number | string | undefined, number | string>;
  refundedVnd: ColumnType<string, number | string | undefined, number | string>;
  lastQueryAt: Date | null;
  queryCount: Generated<number>;
  updatedAt: Generated<Date>;
}

export interface DossierFeeSnapshotsTable {
  dossierId: string;
  takenAt: Generated<Date>;
}

export interface DossierFeesTable {
  id: Generated<string>;
  dossierId: string;
  procedureFeeId: string | null;
  sortOrder: number;
  name: string;
  amountVnd: Money;
  payableOnline: boolean;
  payableWhen: 'before_reception' | 'before_processing' | 'before_result';
  paymentId: string | null;
  settledAt: Date | null;
  exemptedAt: Date | null;
  exemptedBy: string | null;
  exemptionReason: string | null;
}

export interface PaymentItemsTable {
  paymentId: string;
  dossierFeeId: string;
  amountVnd: Money;
}

export interface ReceiptCountersTable {
  agencyId: string;
  year: number;
  last: number;
}

export interface ReceiptsTable {
  id: Generated<string>;
  paymentId: string;
  agencyId: string;
  year: number;
  number: number;
  code: string;
  issuedAt: Generated<Date>;
  payerName: string;
  amountVnd: Money;
  method: string;
  items: Json<{ name: string; amountVnd: number }[]>;
}

export interface PaymentRefundsTable {
  id: Generated<string>;
  paymentId: string;
  amountVnd: Money;
  reason: string;
  reference: string | null;
  refundedBy: string | null;
  refundedAt: Generated<Date>;
}

export interface PaymentGatewayEventsTable {
  id: Generated<string>;
  paymentId: string | null;
  reference: string;
  kind: 'ipn' | 'querydr';
  answer: string;
  params: Json<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface BankStatementImportsTable {
  id: Generated<string>;
  agencyId: string;
  filename: string;
  format: 'csv' | 'xlsx';
  importedBy: string | null;
  importedAt: Generated<Date>;
  total: number;
  matched: number;
  unmatched: number;
  duplicates: number;
}

export interface BankStatementRowsTable {
  id: Generated<string>;
  importId: string;
  rowNo: number;
  fingerprint: string;
  bookedOn: string | null;
  amountVnd: Money;
  description: string;
  bankRef: string | null;
  status: 'matched' | 'unmatched' | 'resolved' | 'dismissed';
  paymentId: string | null;
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
}

export interface PaymentReconciliationRunsTable {
  id: Generated<string>;
  kind: 'pending' | 'daily' | 'manual';
  day: string | null;
  startedAt: Generated<Date>;
  finishedAt: Date | null;
  checked: Generated<number>;
  settled: Generated<number>;
  closed: Generated<number>;
  unknown: Generated<number>;
}

export interface PaymentSandboxTransactionsTable {
  id: Generated<string>;
  terminalCode: string;
  txnRef: string;
  payDay: string;
  transactionNo: ColumnType<string, string, never>;
  amount: string;
  orderInfo: string;
  createDate: string;
  outcome: 'paid' | 'failed';
  responseCode: string;
  transactionStatus: string;
  bankCode: string;
  payDate: string;
  returnQuery: Json<string>;
  ipnAttempts: Generated<number>;
  ipnNextAt: Date | null;
  ipnDoneAt: Date | null;
  ipnAnswers: ColumnType<{ at: string; rspCode?: string; error?: string }[], string | undefined, string>;
  /** VND × 100, like amount. */
  refunded: ColumnType<string, string | undefined, string>;
  refunds: ColumnType<{ requestId: string; amount: string; transactionNo: string; at: string; type?: '02' | '03'; status?: string }[], string | undefined, string>;
  /** Tester switch: `lose` books refunds but answers 504. */
  refundAnswers: ColumnType<'send' | 'lose', 'send' | 'lose' | undefined, 'send' | 'lose'>;
  createdAt: Generated<Date>;
}

export interface ProcedureResultTemplatesTable {
  procedureId: string;
  title: string;
  body: string;
  signerTitle: string;
  numberSuffix: string | null;
  version: Generated<number>;
  updatedBy: string | null;
  updatedAt: Generated<Date>;
}

export interface ProcedureResultTemplateHistoryTable {
  id: Generated<string>;
  procedureId: string;
  version: number;
  title: string;
  body: string;
  signerTitle: string;
  numberSuffix: string | null;
  changedBy: string | null;
  changedAt: Generated<Date>;
}

export interface PaymentRefundRequestsTable {
  id: Generated<string>;
  paymentId: string;
  amountVnd: Money;
  reason: string;
  requestId: string;
  status: 'requested' | 'confirmed' | 'failed' | 'unknown' | 'expired';
  responseCode: string | null;
  gatewayTransactionNo: string | null;
  message: string | null;
  refundId: string | null;
  requestedBy: string | null;
  requestedAt: Generated<Date>;
  answeredAt: Date | null;
  settledVia: ColumnType<'refund_api' | 'querydr' | 'official' | null, 'refund_api' | 'querydr' | 'official' | null | undefined>;
  checkCount: Generated<number>;
  lastCheckAt: ColumnType<Date | null, Date | null | undefined>;
  nextCheckAt: ColumnType<Date | null, Date | null | undefined>;
  lastCheckOutcome: ColumnType<RefundCheckOutcome | null, RefundCheckOutcome | null | undefined>;
  lastCheckDetail: ColumnType<string | null, string | null | undefined>;
}

/** What an automatic QueryDR check of an unanswered refund request concluded. */
export type RefundCheckOutcome = 'no_answer' | 'no_refund' | 'accepted' | 'refused' | 'mismatch' | 'ambiguous' | 'not_found';

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
  procedureSearchWords: ProcedureSearchWordsTable;
  importJobs: ImportJobsTable;
  payments: PaymentsTable;
  dossierFeeSnapshots: DossierFeeSnapshotsTable;
  dossierFees: DossierFeesTable;
  paymentItems: PaymentItemsTable;
  receiptCounters: ReceiptCountersTable;
  receipts: ReceiptsTable;
  paymentRefunds: PaymentRefundsTable;
  paymentGatewayEvents: PaymentGatewayEventsTable;
  bankStatementImports: BankStatementImportsTable;
  bankStatementRows: BankStatementRowsTable;
  paymentReconciliationRuns: PaymentReconciliationRunsTable;
  paymentSandboxTransactions: PaymentSandboxTransactionsTable;
  procedureResultTemplates: ProcedureResultTemplatesTable;
  procedureResultTemplateHistory: ProcedureResultTemplateHistoryTable;
  paymentRefundRequests: PaymentRefundRequestsTable;
  notifyTemplates: NotifyTemplatesTable;
  notifyTemplateHistory: NotifyTemplateHistoryTable;
  notifyPreferences: NotifyPreferencesTable;
  notifyMessages: NotifyMessagesTable;
  notifyMessageEvents: NotifyMessageEventsTable;
  notifyProviderRefs: NotifyProviderRefsTable;
  notifyPendingReceipts: NotifyPendingReceiptsTable;
  postShipments: PostShipmentsTable;
  postTrackingEvents: PostTrackingEventsTable;
  reportDirty: ReportDirtyTable;
  reportDossiers: ReportDossiersTable;
  reportDailyFacts: ReportDailyFactsTable;
  reportMonthlyFacts: ReportMonthlyFactsTable;
  reportStepFacts: ReportStepFactsTable;
  reportMonthlyStepFacts: ReportMonthlyStepFactsTable;
  reportExportJobs: ReportExportJobsTable;
  signingTrustAnchors: SigningTrustAnchorsTable;
  agencyCertificates: AgencyCertificatesTable;
  signedDocuments: SignedDocumentsTable;
  feedbackItems: FeedbackItemsTable;
  feedbackEvents: FeedbackEventsTable;
  feedbackCodeCounters: FeedbackCodeCountersTable;
}

// Notifications and post (issue 7)

export interface NotifyTemplatesTable {
  event: string;
  channel: 'sms' | 'email' | 'in_app';
  locale: 'vi' | 'en';
  subject: string | null;
  body: string;
  version: number;
  updatedBy: string | null;
  updatedAt: Generated<Date>;
}

export interface NotifyTemplateHistoryTable {
  id: Generated<string>;
  event: string;
  channel: string;
  locale: string;
  version: number;
  subject: string | null;
  body: string | null;
  changedBy: string | null;
  changedAt: Generated<Date>;
}

export interface NotifyPreferencesTable {
  userId: string;
  sms: Generated<boolean>;
  email: Generated<boolean>;
  inApp: Generated<boolean>;
  locale: Generated<'vi' | 'en'>;
  updatedAt: Generated<Date>;
}

export type NotifyStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'temporary_failure' | 'permanent_failure' | 'technical_failure';

export interface NotifyMessagesTable {
  id: Generated<string>;
  event: string;
  channel: 'sms' | 'email' | 'in_app';
  dedupeKey: string;
  dossierId: string | null;
  agencyId: string | null;
  recipientUserId: string | null;
  recipient: string | null;
  locale: 'vi' | 'en';
  subject: string | null;
  body: string;
  status: NotifyStatus;
  provider: string | null;
  attempts: Generated<number>;
  smsParts: number | null;
  smsEncoding: 'gsm7' | 'ucs2' | null;
  concatRef: Generated<number>;
  error: string | null;
  createdAt: Generated<Date>;
  sentAt: Date | null;
  doneAt: Date | null;
  readAt: Date | null;
  updatedAt: Generated<Date>;
}

export interface NotifyMessageEventsTable {
  id: Generated<string>;
  messageId: string;
  at: Generated<Date>;
  status: string;
  detail: string | null;
}

export interface NotifyProviderRefsTable {
  provider: string;
  providerRef: string;
  messageId: string;
  part: number;
  state: Generated<'sending' | 'delivered' | 'temporary_failure' | 'permanent_failure'>;
  updatedAt: Generated<Date>;
}

export interface NotifyPendingReceiptsTable {
  provider: string;
  providerRef: string;
  state: string;
  detail: string | null;
  receivedAt: Generated<Date>;
}

export type ShipmentStatus = 'requested' | 'created' | 'accepted' | 'in_transit' | 'delivered' | 'failed' | 'returned' | 'cancelled' | 'booking_failed';

export interface PostShipmentsTable {
  id: Generated<string>;
  dossierId: string;
  kind: 'pickup' | 'delivery';
  provider: string;
  orderCode: string;
  trackingCode: string | null;
  status: ShipmentStatus;
  recipientName: string;
  recipientPhone: string | null;
  address: string;
  weightGrams: number;
  fee: ColumnType<string | null, number | null | undefined, number | null>;
  note: string | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  statusAt: Generated<Date>;
}

export interface PostTrackingEventsTable {
  id: Generated<string>;
  shipmentId: string;
  eventId: string;
  status: string;
  at: Timestamp;
  note: string | null;
  applied: boolean;
  receivedAt: Generated<Date>;
}

// Reports (issue 8)

export interface ReportDirtyTable {
  dossierId: string;
  version: ColumnType<string, string | undefined, string>;
  markedAt: Generated<Date>;
}

export interface ReportDossiersTable {
  dossierId: string;
  agencyId: string;
  procedureId: string;
  channel: 'in_person' | 'online' | 'post';
  receivedAt: Date;
  receivedDay: DateCol;
  dueAt: Date | null;
  exitAt: Date | null;
  exitDay: ColumnType<string | null, string | null, string | null>;
  exitKind: 'approved' | 'refused' | 'stopped' | 'withdrawn' | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  supplementRequests: number;
  /** tstzrange / tstzmultirange literals. */
  active: string;
  waiting: string;
  overdue: string;
  resolutionMinutes: number | null;
  statutoryMinutes: number;
  feeBearing: boolean;
  paidOnline: boolean;
  reuseExpected: boolean;
  reused: boolean;
  resultExpected: boolean;
  electronicResult: boolean;
  digitised: boolean;
  dissatisfied: boolean;
  visits: ColumnType<unknown[], string, string>;
  refreshedAt: Generated<Date>;
}

export interface ReportDailyFactsTable {
  agencyId: string;
  day: DateCol;
  procedureId: string;
  channel: string;
  received: number;
  feeBearing: number;
  paidOnline: number;
  reuseExpected: number;
  reused: number;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  refused: number;
  stopped: number;
  withdrawn: number;
  resolutionMinutes: ColumnType<string, number | string, number | string>;
  statutoryMinutes: ColumnType<string, number | string, number | string>;
  slow: number;
  resultExpected: number;
  electronicResult: number;
  digitised: number;
  dissatisfied: number;
}

export type ReportMonthlyFactsTable = Omit<ReportDailyFactsTable, 'day'> & { month: DateCol };

export interface ReportStepFactsTable {
  agencyId: string;
  day: DateCol;
  procedureId: string;
  stepKey: string;
  visits: number;
  late: number;
  spentMinutes: ColumnType<string, number | string, number | string>;
  allowedMinutes: ColumnType<string, number | string, number | string>;
}

export type ReportMonthlyStepFactsTable = Omit<ReportStepFactsTable, 'day'> & { month: DateCol };

export interface ReportExportJobsTable {
  id: Generated<string>;
  createdBy: string;
  agencyId: string;
  params: ColumnType<Record<string, unknown>, string, string>;
  format: 'xlsx' | 'pdf';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: Generated<number>;
  filename: string | null;
  mime: string | null;
  content: Buffer | null;
  size: number | null;
  error: string | null;
  createdAt: Generated<Date>;
  startedAt: Date | null;
  finishedAt: Date | null;
}

// Signing (issue 6)

export interface SigningTrustAnchorsTable {
  id: Generated<string>;
  name: string;
  source: 'demo';
  certificate: Buffer;
  sha256: string;
  subject: string;
  notAfter: Date;
  keyEnc: string | null;
  createdAt: Generated<Date>;
}

export interface AgencyCertificatesTable {
  id: Generated<string>;
  agencyId: string;
  status: 'active' | 'retired';
  source: 'upload' | 'demo';
  provider: Generated<'local'>;
  subject: string;
  subjectCn: string | null;
  issuer: string;
  issuerCn: string | null;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  sha256: string;
  certificate: Buffer;
  chain: Buffer;
  keyAlgorithm: 'rsa' | 'ec';
  keyEnc: string | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
  retiredAt: Date | null;
  retiredBy: string | null;
}

export interface SignedDocumentsTable {
  id: string;
  kind: 'result' | 'receipt_slip' | 'e_receipt' | 'document';
  agencyId: string;
  certificateId: string;
  dossierId: string | null;
  fileId: string | null;
  sourceFileId: string | null;
  reference: string | null;
  sha256: string;
  size: ColumnType<number, number, number>;
  signerName: string | null;
  signedAt: Date;
  createdBy: string | null;
  createdAt: Generated<Date>;
}

// Feedback and complaints (phản ánh, kiến nghị)

export interface FeedbackItemsTable {
  id: Generated<string>;
  code: string;
  kind: 'complaint' | 'feedback';
  topic: 'dossier' | 'procedure' | 'agency' | 'general';
  channel: 'online' | 'counter' | 'phone' | 'letter' | 'email';
  subject: string;
  content: string;
  dossierId: string | null;
  procedureId: string | null;
  agencyId: string;
  authorUserId: string | null;
  senderName: string | null;
  senderPhone: string | null;
  recordedBy: string | null;
  status: 'received' | 'accepted' | 'info_requested' | 'rejected' | 'answered' | 'published';
  receivedAt: Date;
  acceptedAt: Date | null;
  rejectDueAt: Date;
  infoDueAt: Date;
  answerDueAt: Date;
  publishDueAt: Date | null;
  infoRequestedAt: Date | null;
  infoRequests: Generated<number>;
  pausedSince: Date | null;
  rejectedAt: Date | null;
  answeredAt: Date | null;
  publishedAt: Date | null;
  rejectReason: string | null;
  answer: string | null;
  publicContent: string | null;
  dueAt: Date | null;
  timeliness: 'on_time' | 'late' | null;
  lastSeq: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface FeedbackEventsTable {
  feedbackId: string;
  seq: number;
  type: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  text: string | null;
  payload: ColumnType<Record<string, unknown>, string, never>;
}

export interface FeedbackCodeCountersTable {
  day: DateCol;
  last: number;
}
