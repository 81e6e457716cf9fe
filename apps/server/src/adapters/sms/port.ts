/**
 * The SMS port: every SMS vendor (SMPP brandname gateways, HTTP gateways, the sandbox SMSC)
 * sits behind this interface, so swapping one for another is configuration.
 */

export interface SmsToSend {
  /** Mobile number in international form without '+', e.g. 84912345678. */
  to: string;
  text: string;
  /**
   * Stable for the message across every attempt: a gateway that has already accepted it
   * answers with the first reference instead of sending it again (exactly once after a crash).
   */
  dedupeKey: string;
  /** Concatenation reference (0–255), stable across attempts so that parts of two attempts still join. */
  concatRef: number;
}

export interface SmsSent {
  /** The gateway's reference for each part, in order (one for HTTP gateways that split themselves). */
  providerRefs: string[];
  parts: number;
  encoding: 'gsm7' | 'ucs2';
}

/** Delivery state a receipt reports, in our vocabulary. */
export type ReceiptState = 'sending' | 'delivered' | 'temporary_failure' | 'permanent_failure';

export interface DeliveryReceipt {
  providerRef: string;
  state: ReceiptState;
  /** The gateway's own words (e.g. `stat:UNDELIV err:001`), for the message history. */
  detail: string;
}

/** A failed hand-over. `transient` ones are retried with back-off; `permanent` ones are not. */
export class GatewayError extends Error {
  constructor(
    readonly kind: 'transient' | 'permanent',
    readonly code: string,
    message: string,
    /** When the gateway asked us to slow down (throttling): retry no sooner than this. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface SmsGateway {
  readonly name: string;
  send(sms: SmsToSend): Promise<SmsSent>;
  /** Receipts are handed to `handler`; the gateway acknowledges them once it resolves. */
  onReceipt(handler: (r: DeliveryReceipt) => Promise<void>): void;
  close(): Promise<void>;
}
