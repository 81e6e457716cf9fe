import { z } from 'zod';

/** Notifications (SMS, email, in-app) and the public postal service: API shapes. */

export const NotifyChannel = z.enum(['sms', 'email', 'in_app']);
export type NotifyChannel = z.infer<typeof NotifyChannel>;
export const NotifyLocale = z.enum(['vi', 'en']);
export type NotifyLocale = z.infer<typeof NotifyLocale>;

/** GOV.UK Notify's vocabulary: a message only moves forward. */
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'temporary_failure', 'permanent_failure', 'technical_failure']);
export type MessageStatus = z.infer<typeof MessageStatus>;

const Bilingual = z.object({ vi: z.string(), en: z.string() });

// ---------------------------------------------------------------- preferences and inbox

export const NotificationPreferences = z.strictObject({
  sms: z.boolean(),
  email: z.boolean(),
  inApp: z.boolean(),
  locale: NotifyLocale,
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const InboxMessage = z.object({
  id: z.string(),
  event: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  dossierId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxMessage = z.infer<typeof InboxMessage>;

export const InboxList = z.object({ items: z.array(InboxMessage), total: z.number(), unread: z.number() });
export type InboxList = z.infer<typeof InboxList>;

// ---------------------------------------------------------------- message history (support staff)

export const MessageEvent = z.object({ at: z.string(), status: z.string(), detail: z.string().nullable() });
export type MessageEvent = z.infer<typeof MessageEvent>;

export const MessageSummary = z.object({
  id: z.string(),
  event: z.string(),
  channel: NotifyChannel,
  status: MessageStatus,
  dossierId: z.string().nullable(),
  /** The dossier's code (null before reception or without a dossier). */
  dossierCode: z.string().nullable(),
  recipient: z.string().nullable(),
  recipientUserId: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  provider: z.string().nullable(),
  attempts: z.number(),
  smsParts: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const MessageList = z.object({ items: z.array(MessageSummary), total: z.number() });
export type MessageList = z.infer<typeof MessageList>;

export const MessageDetail = MessageSummary.extend({ events: z.array(MessageEvent) });
export type MessageDetail = z.infer<typeof MessageDetail>;

export const MessageQuery = z.object({
  dossierId: z.uuid().optional(),
  status: MessageStatus.optional(),
  channel: NotifyChannel.optional(),
  /** Phone (any form) or email of the recipient. */
  recipient: z.string().trim().min(3).max(254).optional(),
  /** Dossier code, exact (support staff are asked by code, not by internal id). */
  code: z.string().trim().min(3).max(60).optional(),
  /** First day written (local date, inclusive). */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
  /** Last day written (local date, inclusive). */
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type MessageQuery = z.infer<typeof MessageQuery>;

/** An official writes to a dossier's applicant (through the channels the applicant chose). */
export const StaffMessageBody = z.strictObject({ message: z.string().trim().min(1).max(1000) });
export type StaffMessageBody = z.infer<typeof StaffMessageBody>;

// ---------------------------------------------------------------- templates (administrators)

export const NotifyTemplate = z.object({
  event: z.string(),
  description: Bilingual,
  audience: z.enum(['citizen', 'official']),
  channel: NotifyChannel,
  locale: NotifyLocale,
  subject: z.string().nullable(),
  body: z.string(),
  /** True while the built-in text is in force. */
  isDefault: z.boolean(),
  /** Send back as `expectedVersion` when saving: a stale editor gets 409. */
  version: z.number(),
  variables: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type NotifyTemplate = z.infer<typeof NotifyTemplate>;

export const NotifyTemplateList = z.object({ items: z.array(NotifyTemplate) });
export type NotifyTemplateList = z.infer<typeof NotifyTemplateList>;

export const TemplateKey = z.object({ event: z.string().max(60), channel: NotifyChannel, locale: NotifyLocale });
export type TemplateKey = z.infer<typeof TemplateKey>;

export const SaveTemplateBody = z.strictObject({
  /** Email and in-app only. */
  subject: z.string().trim().min(1).max(300).optional(),
  body: z.string().trim().min(1).max(5000),
  expectedVersion: z.number().int().min(0).optional(),
});
export type SaveTemplateBody = z.infer<typeof SaveTemplateBody>;

export const TemplateHistoryEntry = z.object({
  version: z.number(),
  subject: z.string().nullable(),
  /** null: reset to the built-in text. */
  body: z.string().nullable(),
  changedBy: z.string().nullable(),
  changedAt: z.string(),
});
export const TemplateHistory = z.object({ items: z.array(TemplateHistoryEntry) });
export type TemplateHistory = z.infer<typeof TemplateHistory>;

export const PreviewTemplateBody = z.strictObject({
  event: z.string().max(60),
  channel: NotifyChannel,
  locale: NotifyLocale,
  /** Unsaved text to try; the template in force when absent. */
  subject: z.string().max(300).optional(),
  body: z.string().max(5000).optional(),
});
export type PreviewTemplateBody = z.infer<typeof PreviewTemplateBody>;

export const TemplatePreview = z.object({
  subject: z.string().nullable(),
  body: z.string(),
  /** For SMS: how the text will travel. */
  sms: z.object({ encoding: z.enum(['gsm7', 'ucs2']), parts: z.number(), characters: z.number() }).nullable(),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;

// ---------------------------------------------------------------- post (bưu chính công ích)

export const ShipmentKind = z.enum(['pickup', 'delivery']);
export type ShipmentKind = z.infer<typeof ShipmentKind>;
export const ShipmentStatus = z.enum(['requested', 'created', 'accepted', 'in_transit', 'delivered', 'failed', 'returned', 'cancelled', 'booking_failed']);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;
export const TrackingStatus = z.enum(['accepted', 'in_transit', 'delivered', 'failed', 'returned']);
export type TrackingStatus = z.infer<typeof TrackingStatus>;

export const Shipment = z.object({
  id: z.string(),
  dossierId: z.string(),
  kind: ShipmentKind,
  status: ShipmentStatus,
  orderCode: z.string(),
  trackingCode: z.string().nullable(),
  recipientName: z.string(),
  recipientPhone: z.string().nullable(),
  address: z.string(),
  weightGrams: z.number(),
  /** Postage in đồng, once booked. */
  fee: z.number().nullable(),
  note: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  statusAt: z.string(),
  tracking: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().nullable(), applied: z.boolean() })),
});
export type Shipment = z.infer<typeof Shipment>;

export const ShipmentList = z.object({ items: z.array(Shipment) });
export type ShipmentList = z.infer<typeof ShipmentList>;

export const CreateShipmentBody = z.strictObject({
  kind: ShipmentKind,
  /** Pickup: where the post office collects the papers; delivery: where the result goes. Default: the dossier's. */
  address: z.string().trim().min(5).max(500).optional(),
  weightGrams: z.number().int().min(1).max(30_000).default(500),
  note: z.string().trim().max(500).optional(),
  /** The phone the postman calls (a Vietnamese mobile number). Default: the applicant's. */
  recipientPhone: z.string().trim().max(20).optional(),
});
export type CreateShipmentBody = z.infer<typeof CreateShipmentBody>;

export const QuoteBody = z.strictObject({
  kind: ShipmentKind,
  address: z.string().trim().min(5).max(500),
  weightGrams: z.number().int().min(1).max(30_000).default(500),
});
export type QuoteBody = z.infer<typeof QuoteBody>;

export const Quote = z.object({ fee: z.number(), etaDays: z.number(), service: z.string() });
export type Quote = z.infer<typeof Quote>;

/** The postal provider's signed tracking webhook (`x-post-timestamp`, `x-post-signature`). */
export const TrackingWebhook = z.object({
  eventId: z.string().min(1).max(100),
  orderCode: z.string().min(1).max(100),
  trackingCode: z.string().min(1).max(100),
  status: TrackingStatus,
  at: z.iso.datetime({ offset: true }),
  note: z.string().max(500).optional(),
});
export type TrackingWebhook = z.infer<typeof TrackingWebhook>;
