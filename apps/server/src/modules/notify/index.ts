export { EVENTS, EVENT_NAMES, eventChannels, type Channel, type EventName, type Locale } from './events.ts';
export { citizenRecipient, dossierNotifyHook, emit, formatLocalTime, formatMoney, officialRecipients, type Emission, type NotifyDeps, type Recipient } from './notify.service.ts';
export {
  applyReceipt, applyReceipts, dedupeKeyOf, loadMessages, recordResults, sendMessage, sweepMessages,
  type Attempt, type DispatchGateways, type DispatchJob, type DispatchOutcome, type DispatchResult, type JobSettlement, type OutboxMessage,
  type ReceiptOutcome, type SettleJobs,
} from './dispatch.ts';
export { canMove, messageStateFromParts, nextPartState } from './status.ts';
export { render, unknownPlaceholders } from './templates.ts';
export { notifyRoutes, type NotifyServices } from './notify.routes.ts';
export { notifySandboxPages } from './sandbox-pages.ts';
export { acceptForms, assertSameSite, esc, sendPage } from './html.ts';
export { keepRawJson, rawBodyOf } from './raw-body.ts';
