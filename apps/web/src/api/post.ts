import { useQuery } from '@tanstack/react-query';
import type { CreateShipmentBody, Quote, QuoteBody, Shipment, ShipmentKind, ShipmentList, ShipmentStatus } from '@motcua/contracts';
import { api } from './client';

/** Postal pickups and deliveries of a dossier (bưu chính công ích). */
export const dossierShipmentsKey = (id: string) => ['dossier', id, 'shipments'] as const;

/** Shipments the post office is still working on. */
export const OPEN_SHIPMENT: readonly ShipmentStatus[] = ['requested', 'created', 'accepted', 'in_transit'];
/** Shipments that may still be cancelled: the post office has not taken the parcel in. */
export const CANCELLABLE_SHIPMENT: readonly ShipmentStatus[] = ['requested', 'created'];

/** Dossier states in which the server accepts an order (apps/server/src/modules/post/post.routes.ts). */
export const PICKUP_DOSSIER_STATES: readonly string[] = ['draft', 'submitted', 'awaiting_supplement_before_reception', 'waiting_supplement'];
export const DESK_DELIVERY_DOSSIER_STATES: readonly string[] = ['approved', 'result_ready'];
export const APPLICANT_DELIVERY_DOSSIER_STATES: readonly string[] = ['result_ready'];

export function useDossierShipments(dossierId: string) {
  return useQuery({
    queryKey: dossierShipmentsKey(dossierId),
    queryFn: () => api.get<ShipmentList>(`/dossiers/${encodeURIComponent(dossierId)}/shipments`, undefined, { cache: 'no-store' }),
    // Bookings are made in the background (seconds); tracking comes from the post office (hours).
    refetchInterval: (query) => {
      const items = query.state.data?.items ?? [];
      if (items.some((s) => s.status === 'requested')) return 2_000;
      if (items.some((s) => OPEN_SHIPMENT.includes(s.status))) return 30_000;
      return false;
    },
  });
}

/** The body as the client sends it (the server defaults the weight to 500 g). */
export type NewShipment = Omit<CreateShipmentBody, 'weightGrams'> & { weightGrams?: number };

export const quotePostage = (body: Omit<QuoteBody, 'weightGrams'> & { weightGrams?: number }) => api.post<Quote>('/post/quote', body);

export const createShipment = (dossierId: string, body: NewShipment) =>
  api.post<Shipment>(`/dossiers/${encodeURIComponent(dossierId)}/shipments`, body);

export const cancelShipment = (dossierId: string, shipmentId: string) =>
  api.post<Shipment>(`/dossiers/${encodeURIComponent(dossierId)}/shipments/${encodeURIComponent(shipmentId)}/cancel`);

export type { Quote, Shipment, ShipmentKind };
