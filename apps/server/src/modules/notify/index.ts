export { EVENTS, EVENT_NAMES, eventChannels, type Channel, type EventName, type Locale } from './events.ts';
export { citizenRecipient, dossierNotifyHook, emit, formatLocalTime, formatMoney, officialRecipients, type Emission, type NotifyDeps, type Recipient } from './notify.service.ts';
export { applyReceipt, dedupeKeyOf, dispatchMessage, sweepMessages, type Attempt, type DispatchOutcome } from './dispatch.ts';
export { canMove, messageStateFromParts, nextPartState } from './status.ts';
export { render, unknownPlaceholders } from './templates.ts';
export { notifyRoutes, type NotifyServices } from './notify.routes.ts';
export { notifySandboxPages } from './sandbox-pages.ts';
export { acceptForms, assertSameSite, esc, sendPage } from './html.ts';
export { keepRawJson, rawBodyOf } from './raw-body.ts';
