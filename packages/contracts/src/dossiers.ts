import { z } from 'zod';

/** Where the dossier stands (internal); `portalStatus` is the national portal's vocabulary. */
export const DossierStatus = z.enum([
  'draft', 'submitted', 'awaiting_supplement_before_reception', 'processing', 'waiting_supplement',
  'approved', 'result_ready', 'returned', 'refused', 'stopped', 'withdrawn',
]);
export type DossierStatus = z.infer<typeof DossierStatus>;

export const DossierActionType = z.enum([
  'submit', 'request_supplement_before_reception', 'receive', 'supplement', 'claim', 'assign', 'forward',
  'return_step', 'transfer', 'request_supplement', 'extend', 'refuse', 'stop', 'approve', 'mark_result_ready',
  'return_result', 'withdraw', 'rate',
]);
export type DossierActionType = z.infer<typeof DossierActionType>;

export const Delivery = z.strictObject({
  /** How the result is received: at the counter, by post (address required), or online. */
  method: z.enum(['counter', 'post', 'online']),
  address: z.string().trim().min(5).max(500).optional(),
});
export type Delivery = z.infer<typeof Delivery>;

const Bilingual = z.object({ vi: z.string(), en: z.string() });
const AgencyRef = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable() });

export const DossierFile = z.object({
  id: z.string(),
  componentId: z.string().nullable(),
  componentName: z.string().nullable(),
  kind: z.enum(['component', 'supplement', 'result', 'action']),
  filename: z.string(),
  mime: z.string(),
  size: z.number(),
  createdAt: z.string(),
});
export type DossierFile = z.infer<typeof DossierFile>;

export const DossierDetail = z.object({
  id: z.string(),
  code: z.string().nullable(),
  procedure: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  channel: z.enum(['in_person', 'online', 'post']),
  receivingAgency: AgencyRef,
  currentAgency: AgencyRef.nullable(),
  applicant: z.object({
    name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(),
    idNumberMasked: z.string().nullable(), address: z.string().nullable(),
  }),
  formData: z.record(z.string(), z.unknown()),
  delivery: z.object({ method: z.enum(['counter', 'post', 'online']), address: z.string().optional() }),
  status: DossierStatus,
  portalStatus: z.string(),
  step: z.object({ index: z.number(), key: z.string(), name: Bilingual, role: z.string() }).nullable(),
  /** Officials: the earlier steps of the dossier's own process version it may be returned to (return_step). */
  returnSteps: z.array(z.object({ key: z.string(), name: Bilingual })).optional(),
  assigneeId: z.string().nullable(),
  /** Officials: who holds the dossier at its current step (claimed or assigned). */
  assignee: z.object({ id: z.string(), fullName: z.string() }).nullable().optional(),
  submittedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  /** Appointment time (ngày hẹn trả). */
  dueAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  pausedSince: z.string().nullable(),
  supplementRequests: z.number(),
  finishedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  rating: z.object({ score: z.enum(['satisfied', 'neutral', 'dissatisfied']), comment: z.string().nullable() }).nullable(),
  /** Send back as `expectedSeq` with an action, so a stale page gets 409 instead of acting blindly. */
  lastSeq: z.number(),
  allowedActions: z.array(DossierActionType),
  timeline: z.array(z.object({
    seq: z.number(), type: DossierActionType, at: z.string(), actorName: z.string().nullable(),
    comment: z.string().nullable(), payload: z.record(z.string(), z.unknown()),
  })),
  visits: z.array(z.object({
    stepIndex: z.number(), stepName: Bilingual.nullable(), agencyId: z.string(), startedAt: z.string(), dueAt: z.string(),
    endedAt: z.string().nullable(), endedBy: z.string().nullable(), timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  })),
  files: z.array(DossierFile),
});
export type DossierDetail = z.infer<typeof DossierDetail>;

/** A line of a dossier list (my dossiers, work queues). */
export const DossierSummary = z.object({
  id: z.string(),
  code: z.string().nullable(),
  procedureId: z.string(),
  procedureName: z.string(),
  applicantName: z.string(),
  status: DossierStatus,
  portalStatus: z.string(),
  channel: z.enum(['in_person', 'online', 'post']),
  submittedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  assigneeId: z.string().nullable(),
});
export type DossierSummary = z.infer<typeof DossierSummary>;

export const DossierList = z.object({ items: z.array(DossierSummary), total: z.number() });
export type DossierList = z.infer<typeof DossierList>;

export const CreateDossierBody = z.strictObject({
  procedureId: z.uuid(),
  /** Receiving agency, when the procedure has several (e.g. any ward of the province). */
  agencyId: z.uuid().optional(),
  formData: z.record(z.string(), z.unknown()).optional(),
  delivery: Delivery.optional(),
  /** Create and submit in one call (an Idempotency-Key makes retries safe). */
  submit: z.boolean().optional(),
});
export type CreateDossierBody = z.infer<typeof CreateDossierBody>;

export const UpdateDraftBody = z.strictObject({
  formData: z.record(z.string(), z.unknown()).optional(),
  delivery: Delivery.optional(),
  applicantAddress: z.string().trim().max(500).nullable().optional(),
});
export type UpdateDraftBody = z.infer<typeof UpdateDraftBody>;

export const CounterDossierBody = z.strictObject({
  procedureId: z.uuid(),
  agencyId: z.uuid().optional(),
  channel: z.enum(['in_person', 'post']).default('in_person'),
  applicant: z.strictObject({
    name: z.string().trim().min(1).max(200),
    phone: z.string().trim().max(20).optional(),
    email: z.string().trim().max(254).optional(),
    idNumber: z.string().trim().max(20).optional(),
    address: z.string().trim().max(500).optional(),
  }),
  formData: z.record(z.string(), z.unknown()).optional(),
  delivery: Delivery.optional(),
});
export type CounterDossierBody = z.infer<typeof CounterDossierBody>;

export const ActionBody = z.strictObject({
  type: DossierActionType,
  comment: z.string().trim().max(5000).optional(),
  expectedSeq: z.number().int().min(0).optional(),
  /** assign: assigneeId; return_step: toStep; transfer: toAgencyId; extend: newDueAt (ISO) and reason; refuse/stop/request_supplement: reasons[]; return_result: method. */
  assigneeId: z.uuid().optional(),
  toStep: z.string().max(40).optional(),
  toAgencyId: z.uuid().optional(),
  newDueAt: z.iso.datetime({ offset: true }).optional(),
  reasons: z.array(z.string().trim().min(1).max(1000)).max(30).optional(),
  method: z.enum(['counter', 'post', 'online']).optional(),
});
export type ActionBody = z.infer<typeof ActionBody>;

export const StaffQueue = z.enum(['to_receive', 'in_progress', 'due_soon', 'overdue', 'waiting_supplement', 'ready_to_return', 'all']);
export type StaffQueue = z.infer<typeof StaffQueue>;

/** `GET /api/v1/dossiers/{id}/assignees`: officials a head or leader may hand the dossier's current step to. */
export const AssignableOfficial = z.object({
  id: z.string(),
  fullName: z.string(),
  /** Their processing roles over the dossier's current agency (specialist, division_head, agency_leader). */
  roles: z.array(z.string()),
  agency: z.object({ id: z.string(), name: z.string() }),
  /** Holds the role the current step asks for. */
  fitsStep: z.boolean(),
});
export type AssignableOfficial = z.infer<typeof AssignableOfficial>;
export const AssignableOfficialList = z.object({ items: z.array(AssignableOfficial) });
export type AssignableOfficialList = z.infer<typeof AssignableOfficialList>;
