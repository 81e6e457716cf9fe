/**
 * The postal port (bưu chính công ích): a VNPost-style API for pickup orders (the post office
 * collects the citizen's papers and brings them to the centre) and delivery orders (the result
 * to the citizen's address), price quotes, cancellation, and signed tracking webhooks.
 */
export { GatewayError } from '../sms/port.ts';

export type ShipmentKind = 'pickup' | 'delivery';
/** What tracking webhooks report. */
export type TrackingStatus = 'accepted' | 'in_transit' | 'delivered' | 'failed' | 'returned';
export const TRACKING_STATUSES: readonly TrackingStatus[] = ['accepted', 'in_transit', 'delivered', 'failed', 'returned'];

export interface PostalParty {
  name: string;
  phone: string | null;
  address: string;
}

export interface PostalOrder {
  /** Our reference for the order: the same on every attempt, so a retried booking is one order. */
  orderCode: string;
  kind: ShipmentKind;
  sender: PostalParty;
  receiver: PostalParty;
  weightGrams: number;
  note?: string;
  /** Where tracking webhooks go. */
  callbackUrl: string;
}

export interface PostalBooked {
  trackingCode: string;
  /** Postage in đồng. */
  fee: number;
}

export interface PostalQuote {
  fee: number;
  etaDays: number;
  service: string;
}

export interface TrackingEvent {
  /** The provider's id for this event: a repeated webhook carries the same one. */
  eventId: string;
  orderCode: string;
  trackingCode: string;
  status: TrackingStatus;
  /** ISO time the event happened at the post office. */
  at: string;
  note?: string;
}

export interface PostalPort {
  readonly name: string;
  quote(q: { kind: ShipmentKind; from: string; to: string; weightGrams: number }): Promise<PostalQuote>;
  createOrder(order: PostalOrder): Promise<PostalBooked>;
  /** @throws GatewayError permanent `not_cancellable` once the parcel has been taken in. */
  cancel(trackingCode: string): Promise<void>;
}
