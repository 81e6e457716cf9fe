export { GatewayError, TRACKING_STATUSES, type PostalBooked, type PostalOrder, type PostalParty, type PostalPort, type PostalQuote, type ShipmentKind, type TrackingEvent, type TrackingStatus } from './port.ts';
export { signWebhook, verifyWebhook } from './signature.ts';
export { HttpPostalPort, type HttpPostSettings } from './http-post.ts';
export { SandboxPostOffice, sandboxFee, type SandboxParcel } from './sandbox-post.ts';
