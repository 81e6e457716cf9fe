import type { ReceiptState } from './port.ts';

/**
 * SMPP delivery receipts (deliver_sm with esm_class 0x04) carry the submitted message's id and
 * its final state, in the `receipted_message_id` and `message_state` TLVs (SMPP 3.4) and in the
 * de facto text format of Appendix B: `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`.
 */

/** `stat:` words → our states. ENROUTE and ACCEPTD say nothing new: the message is still on its way. */
const STAT: Record<string, ReceiptState> = {
  DELIVRD: 'delivered',
  ENROUTE: 'sending',
  ACCEPTD: 'sending',
  EXPIRED: 'temporary_failure', // the phone stayed off or out of reach for the validity period
  DELETED: 'temporary_failure',
  UNKNOWN: 'temporary_failure',
  UNDELIV: 'permanent_failure', // the network could not deliver to this number
  REJECTD: 'permanent_failure',
};

/** message_state TLV values (SMPP 3.4, 5.2.28). */
const MESSAGE_STATE: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };

export interface ParsedReceipt {
  providerRef: string;
  stat: string;
  err: string | null;
  state: ReceiptState;
}

/** Reads a receipt; null when it is not one we can understand (logged and ignored by the caller). */
export function parseReceipt(text: string, tlv: { receiptedMessageId?: unknown; messageState?: unknown } = {}): ParsedReceipt | null {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1] ?? null;
  const providerRef = typeof tlv.receiptedMessageId === 'string' && tlv.receiptedMessageId ? tlv.receiptedMessageId : field('id');
  const stat = (typeof tlv.messageState === 'number' ? MESSAGE_STATE[tlv.messageState] : undefined) ?? field('stat')?.toUpperCase() ?? null;
  if (!providerRef || !stat) return null;
  const state = STAT[stat];
  if (!state) return null;
  return { providerRef, stat, err: field('err'), state };
}

const two = (n: number) => String(n).padStart(2, '0');
/** SMPP receipt date: YYMMDDhhmm (UTC here). */
export const receiptDate = (d: Date) =>
  `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;

/** Builds the Appendix B receipt text (used by the sandbox SMSC). */
export function receiptText(o: { id: string; stat: string; err?: string; submitted: Date; done: Date; text?: string }): string {
  const delivered = o.stat === 'DELIVRD' ? '001' : '000';
  return `id:${o.id} sub:001 dlvrd:${delivered} submit date:${receiptDate(o.submitted)} done date:${receiptDate(o.done)} stat:${o.stat} err:${o.err ?? '000'} text:${(o.text ?? '').slice(0, 20)}`;
}

export const STAT_TO_MESSAGE_STATE: Record<string, number> = Object.fromEntries(Object.entries(MESSAGE_STATE).map(([k, v]) => [v, Number(k)]));
