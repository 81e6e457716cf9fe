import type { ShipmentStatus } from '../../db/schema.ts';

/**
 * Shipments move forward only: requested → created (booked) → accepted → in transit → delivered,
 * or failed → returned; cancelled before pickup. Late or repeated tracking events change nothing.
 */
const RANK: Record<ShipmentStatus, number> = {
  requested: 0, booking_failed: 0, created: 1, accepted: 2, in_transit: 3, failed: 4, delivered: 5, returned: 5, cancelled: 5,
};
const FINAL: readonly ShipmentStatus[] = ['delivered', 'returned', 'cancelled', 'booking_failed'];

export function canMoveShipment(from: ShipmentStatus, to: ShipmentStatus): boolean {
  if (FINAL.includes(from)) return false;
  return RANK[to] > RANK[from];
}

export const OPEN_SHIPMENT: readonly ShipmentStatus[] = ['requested', 'created', 'accepted', 'in_transit'];

export const STATUS_WORDS: Record<string, { vi: string; en: string }> = {
  created: { vi: 'đã được đặt', en: 'was booked' },
  accepted: { vi: 'đã được bưu điện nhận', en: 'was taken in by the post office' },
  in_transit: { vi: 'đang được vận chuyển', en: 'is on its way' },
  delivered: { vi: 'đã được giao thành công', en: 'was delivered' },
  failed: { vi: 'giao không thành công', en: 'could not be delivered' },
  returned: { vi: 'đã được chuyển hoàn', en: 'was returned' },
  cancelled: { vi: 'đã bị hủy', en: 'was cancelled' },
};
