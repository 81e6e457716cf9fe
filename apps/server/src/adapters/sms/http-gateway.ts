import { MAX_SMS_PARTS, splitSms } from './encoding.ts';
import { GatewayError, type DeliveryReceipt, type ReceiptState, type SmsGateway, type SmsSent, type SmsToSend } from './port.ts';

export interface HttpSmsSettings {
  /** The vendor's send endpoint. */
  url: string;
  token: string;
  brandname: string;
  timeoutMs: number;
  /** Requests awaiting an answer at once (the contract's concurrency; default 10). */
  window?: number;
  /** Requests per second allowed by the contract (default: no limit). */
  sendRatePerSecond?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SMS through a vendor's HTTP API, for brandname vendors that offer no SMPP. The request is
 * JSON `{ from, to, text, unicode, clientRef }` with `Authorization: Bearer <token>` and
 * `Idempotency-Key: <clientRef>`; the vendor answers `{ messageId }` (the first one again for a
 * repeated clientRef). 5xx, 408, 429 and network errors are transient, and so are 401 and 403:
 * refused credentials say nothing about the message (a token being rotated must not fail every
 * queued message for good). Other 4xx (an invalid number, a refused brandname) are permanent.
 * Receipts arrive on our signed webhook (`POST /api/v1/notify/receipts/http`).
 */
export class HttpSmsGateway implements SmsGateway {
  readonly name = 'http';
  private receiptHandler: ((r: DeliveryReceipt) => Promise<void>) | null = null;
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  private nextSlot = 0;

  constructor(private readonly cfg: HttpSmsSettings) {}

  /** At most `window` requests at once, spaced at the contracted rate (as the SMPP transceiver). */
  private async acquire() {
    while (this.busy >= (this.cfg.window ?? 10)) await new Promise<void>((r) => this.waiting.push(r));
    this.busy++;
    const rate = this.cfg.sendRatePerSecond;
    if (!rate) return;
    const now = performance.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / rate;
    if (at - now >= 1) await sleep(at - now);
  }

  private release() {
    this.busy--;
    this.waiting.shift()?.();
  }

  onReceipt(handler: (r: DeliveryReceipt) => Promise<void>): void {
    this.receiptHandler = handler;
  }

  /** Called by the webhook route once the signature has been checked. */
  async receipt(r: DeliveryReceipt): Promise<void> {
    await this.receiptHandler?.(r);
  }

  async send(sms: SmsToSend): Promise<SmsSent> {
    const split = splitSms(sms.text);
    if (split.parts.length > MAX_SMS_PARTS) throw new GatewayError('permanent', 'too_long', `the text needs ${split.parts.length} SMS parts`);
    await this.acquire();
    try {
      return await this.post(sms, split);
    } finally {
      this.release();
    }
  }

  private async post(sms: SmsToSend, split: ReturnType<typeof splitSms>): Promise<SmsSent> {
    let res: Response;
    try {
      res = await fetch(this.cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.cfg.token}`, 'idempotency-key': sms.dedupeKey },
        body: JSON.stringify({ from: this.cfg.brandname, to: sms.to, text: sms.text.normalize('NFC'), unicode: split.encoding === 'ucs2', clientRef: sms.dedupeKey }),
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      });
    } catch (err) {
      throw new GatewayError('transient', 'network', `SMS gateway unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { messageId?: unknown; id?: unknown; error?: unknown };
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new GatewayError('transient', `http_${res.status}`, `SMS gateway answered ${res.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
    }
    if (res.status === 401 || res.status === 403) throw new GatewayError('transient', `http_${res.status}`, `SMS gateway refused our credentials (${res.status}): check SMS_HTTP_TOKEN`);
    if (res.status >= 400) throw new GatewayError('permanent', `http_${res.status}`, `SMS gateway refused the message (${res.status}${typeof body.error === 'string' ? `: ${body.error.slice(0, 200)}` : ''})`);
    const id = body.messageId ?? body.id;
    if (typeof id !== 'string' && typeof id !== 'number') throw new GatewayError('transient', 'bad_answer', 'SMS gateway answered without a message id');
    return { providerRefs: [String(id)], parts: split.parts.length, encoding: split.encoding };
  }

  async close(): Promise<void> {}
}

/** The HTTP vendor's receipt words → our states. */
export function httpReceiptState(status: string): ReceiptState | null {
  switch (status.toLowerCase()) {
    case 'delivered': return 'delivered';
    case 'enroute': case 'accepted': case 'sent': return 'sending';
    case 'expired': case 'failed_temporary': return 'temporary_failure';
    case 'failed': case 'rejected': case 'undeliverable': return 'permanent_failure';
    default: return null;
  }
}
