import { z } from 'zod';

/**
 * Feedback and complaints (phản ánh, kiến nghị — PAKN): what citizens and businesses say about a
 * dossier, a procedure, an agency or the service in general, and how the agency concerned
 * handles it within the statutory deadlines (Decision 766, component 5.2).
 */

/** complaint: reports a problem (phản ánh); feedback: a suggestion or request (kiến nghị). */
export const FeedbackKind = z.enum(['complaint', 'feedback']);
export type FeedbackKind = z.infer<typeof FeedbackKind>;

/** What the item is about. */
export const FeedbackTopic = z.enum(['dossier', 'procedure', 'agency', 'general']);
export type FeedbackTopic = z.infer<typeof FeedbackTopic>;

/** online: filed by a signed-in citizen; the others are recorded by an official. */
export const FeedbackChannel = z.enum(['online', 'counter', 'phone', 'letter', 'email']);
export type FeedbackChannel = z.infer<typeof FeedbackChannel>;

export const FeedbackStatus = z.enum(['received', 'accepted', 'info_requested', 'rejected', 'answered', 'published']);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;

/** The append-only log of an item. */
export const FeedbackEventType = z.enum(['received', 'accepted', 'info_requested', 'info_supplied', 'rejected', 'answered', 'published']);
export type FeedbackEventType = z.infer<typeof FeedbackEventType>;

/** What an official may do to an item. */
export const FeedbackActionType = z.enum(['accept', 'request_info', 'reject', 'answer', 'publish']);
export type FeedbackActionType = z.infer<typeof FeedbackActionType>;

const Subject = z.string().trim().min(5).max(300);
const Content = z.string().trim().min(10).max(5000);

export const CreateFeedbackBody = z.strictObject({
  kind: FeedbackKind,
  topic: FeedbackTopic,
  subject: Subject,
  content: Content,
  /** topic `dossier`: one of my dossiers. */
  dossierId: z.uuid().optional(),
  /** topic `procedure`: a published procedure. */
  procedureId: z.uuid().optional(),
  /** The agency concerned: required for topic `agency`; chosen among the procedure's receiving agencies; the province by default for `general`. */
  agencyId: z.uuid().optional(),
});
export type CreateFeedbackBody = z.infer<typeof CreateFeedbackBody>;

/** An item received at the counter, by phone, letter or email, recorded by an official. */
export const StaffCreateFeedbackBody = z.strictObject({
  kind: FeedbackKind,
  topic: FeedbackTopic.exclude(['dossier']),
  channel: FeedbackChannel.exclude(['online']),
  subject: Subject,
  content: Content,
  procedureId: z.uuid().optional(),
  agencyId: z.uuid(),
  /** Left out for an anonymous sender. */
  sender: z.strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().max(20).optional(),
  }).optional(),
});
export type StaffCreateFeedbackBody = z.infer<typeof StaffCreateFeedbackBody>;

export const FeedbackActionBody = z.strictObject({
  type: FeedbackActionType,
  /** request_info: what is needed; reject: the reason; answer: the answer. */
  text: z.string().trim().max(10000).optional(),
  /** publish: the text shown publicly instead of the content (personal details taken out). */
  publicContent: z.string().trim().min(10).max(5000).optional(),
  /** The last event the official saw: a stale view gets 409. */
  expectedSeq: z.number().int().min(0).optional(),
});
export type FeedbackActionBody = z.infer<typeof FeedbackActionBody>;

export const SupplyFeedbackInfoBody = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  expectedSeq: z.number().int().min(0).optional(),
});
export type SupplyFeedbackInfoBody = z.infer<typeof SupplyFeedbackInfoBody>;

const Timeliness = z.enum(['on_time', 'late']);

export const FeedbackEvent = z.object({
  seq: z.number(),
  type: FeedbackEventType,
  at: z.string(),
  actorName: z.string().nullable(),
  text: z.string().nullable(),
});
export type FeedbackEvent = z.infer<typeof FeedbackEvent>;

export const FeedbackDetail = z.object({
  id: z.string(),
  code: z.string(),
  kind: FeedbackKind,
  topic: FeedbackTopic,
  channel: FeedbackChannel,
  subject: z.string(),
  content: z.string(),
  dossier: z.object({ id: z.string(), code: z.string().nullable() }).nullable(),
  procedure: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  agency: z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  /** Null name: anonymous. */
  sender: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
  status: FeedbackStatus,
  receivedAt: z.string(),
  acceptedAt: z.string().nullable(),
  /** Latest time to reject (not within competence, invalid): 2 working days, waiting for information excluded. */
  rejectDueAt: z.string(),
  /** Latest time to ask for more information: 5 working days. */
  infoDueAt: z.string(),
  /** Latest time to answer: 15 working days, waiting for information excluded. */
  answerDueAt: z.string(),
  /** Latest time to publish the answer: 2 working days after answering. */
  publishDueAt: z.string().nullable(),
  pausedSince: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  answer: z.string().nullable(),
  publicContent: z.string().nullable(),
  /** The deadline the item is working towards now (answer, then publication); null when paused or closed. */
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  /** On time or late by the 766 rules, once known (closed, or a deadline already missed). */
  timeliness: Timeliness.nullable(),
  lastSeq: z.number(),
  allowedActions: z.array(FeedbackActionType),
  events: z.array(FeedbackEvent),
});
export type FeedbackDetail = z.infer<typeof FeedbackDetail>;

export const FeedbackSummary = z.object({
  id: z.string(),
  code: z.string(),
  kind: FeedbackKind,
  topic: FeedbackTopic,
  channel: FeedbackChannel,
  subject: z.string(),
  status: FeedbackStatus,
  agencyName: z.string(),
  dossierCode: z.string().nullable(),
  senderName: z.string().nullable(),
  /** Masked: 091****678. */
  senderPhone: z.string().nullable(),
  receivedAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  timeliness: Timeliness.nullable(),
});
export type FeedbackSummary = z.infer<typeof FeedbackSummary>;

export const FeedbackList = z.object({ items: z.array(FeedbackSummary), total: z.number() });
export type FeedbackList = z.infer<typeof FeedbackList>;

/** A published answer: no name, phone or dossier of the sender. */
export const PublishedFeedback = z.object({
  id: z.string(),
  code: z.string(),
  kind: FeedbackKind,
  topic: FeedbackTopic,
  subject: z.string(),
  content: z.string(),
  answer: z.string(),
  agency: z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  procedureName: z.string().nullable(),
  receivedAt: z.string(),
  answeredAt: z.string(),
  publishedAt: z.string(),
});
export type PublishedFeedback = z.infer<typeof PublishedFeedback>;

export const PublishedFeedbackList = z.object({ items: z.array(PublishedFeedback), total: z.number() });
export type PublishedFeedbackList = z.infer<typeof PublishedFeedbackList>;

/** The staff queue's filters. */
export const FeedbackQueueStatus = z.enum(['open', 'received', 'accepted', 'info_requested', 'answered', 'closed', 'all']);
export type FeedbackQueueStatus = z.infer<typeof FeedbackQueueStatus>;
