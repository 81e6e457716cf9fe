import type { NotifyStatus } from '../../db/schema.ts';

/**
 * A message only moves forward: queued → sending → one final state. Receipts that repeat a
 * state, arrive out of order or contradict a final state change nothing (RELIABILITY 23).
 */
const RANK: Record<NotifyStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  temporary_failure: 3,
  permanent_failure: 3,
  technical_failure: 3,
};

export const FINAL: readonly NotifyStatus[] = ['sent', 'delivered', 'temporary_failure', 'permanent_failure', 'technical_failure'];

export function canMove(from: NotifyStatus, to: NotifyStatus): boolean {
  return RANK[to] > RANK[from];
}

export type PartState = 'sending' | 'delivered' | 'temporary_failure' | 'permanent_failure';
const PART_RANK: Record<PartState, number> = { sending: 1, delivered: 2, temporary_failure: 2, permanent_failure: 2 };

/** The part's next state, or null when the receipt changes nothing (repeat, late, contradicting). */
export function nextPartState(from: PartState, reported: PartState): PartState | null {
  return PART_RANK[reported] > PART_RANK[from] ? reported : null;
}

/** A message of several parts: failed if any part failed, delivered once every part is. */
export function messageStateFromParts(parts: readonly PartState[]): NotifyStatus {
  if (parts.includes('permanent_failure')) return 'permanent_failure';
  if (parts.includes('temporary_failure')) return 'temporary_failure';
  if (parts.length > 0 && parts.every((p) => p === 'delivered')) return 'delivered';
  return 'sending';
}
