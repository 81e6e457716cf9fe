import smpp, { type Pdu, type Session } from 'smpp';
import { concatUdh, MAX_SMS_PARTS, splitSms } from './encoding.ts';
import { parseReceipt } from './receipts.ts';
import { GatewayError, type DeliveryReceipt, type SmsGateway, type SmsSent, type SmsToSend } from './port.ts';

/** What the adapters log through (pino's shape). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  /** Alphanumeric sender (tên định danh, brandname), at most 11 characters. */
  brandname: string;
  /** submit_sm per second allowed by the contract with the gateway. */
  sendRatePerSecond: number;
  /** Requests awaiting an answer at once (SMPP window). */
  window: number;
  enquireLinkSeconds: number;
  submitTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Vendor TLV tag carrying our dedupe key (0 = the gateway offers none). */
  dedupeTlv: number;
}

export const DEDUPE_TLV_NAME = 'motcua_client_ref';
let registeredTlv = 0;
/** Registers the vendor TLV that carries the dedupe key (the smpp package keeps TLVs globally). */
export function registerDedupeTlv(id: number): void {
  if (!id || registeredTlv === id) return;
  smpp.addTLV(DEDUPE_TLV_NAME, { id, type: smpp.types.tlv.cstring });
  registeredTlv = id;
}

// command_status values (SMPP 3.4, 5.1.3) worth retrying: the SMSC is busy, throttling or failing.
const TRANSIENT = new Set([0x08, 0x14, 0x45, 0x58, 0x64, 0xfe, 0xff]);
// Retrying cannot help: the number, the sender, the coding or the content is refused.
const PERMANENT = new Set([0x01, 0x0a, 0x0b, 0x33, 0x40, 0x43, 0x48, 0x49, 0x50, 0x51, 0x62, 0x65, 0x66, 0x101, 0x104]);

export function classifyStatus(status: number): GatewayError {
  const code = `smpp_0x${status.toString(16).padStart(2, '0')}`;
  if (status === 0x58) return new GatewayError('transient', code, 'SMSC throttling (ESME_RTHROTTLED)', 1000);
  if (status === 0x14) return new GatewayError('transient', code, 'SMSC queue full (ESME_RMSGQFUL)', 1000);
  if (PERMANENT.has(status)) return new GatewayError('permanent', code, `refused by the SMSC (command_status ${code})`);
  // Unknown codes are retried: when the retries run out the message is visibly failed.
  return new GatewayError('transient', code, `SMSC error (command_status ${code})${TRANSIENT.has(status) ? '' : ', unknown'}`);
}

interface Inflight {
  fail(err: GatewayError): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SMS over SMPP 3.4 as a transceiver: one bind that submits and receives delivery receipts.
 * Reconnects with exponential back-off and jitter, checks the link with enquire_link, keeps to
 * the contracted send rate and window, and sends Vietnamese as UCS-2 split into concatenated
 * parts. Every submit carries the message's dedupe key in a vendor TLV when the gateway offers one.
 */
export class SmppGateway implements SmsGateway {
  readonly name = 'smpp';
  private session: Session | null = null;
  private bound = false;
  private closing = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private enquirePending = false;
  private readonly readyWaiters = new Set<{ resolve: () => void }>();
  private readonly inflight = new Set<Inflight>();
  private nextSlot = 0;
  private windowUsed = 0;
  private readonly windowWaiters: (() => void)[] = [];
  private receiptHandler: ((r: DeliveryReceipt) => Promise<void>) | null = null;

  constructor(private readonly cfg: SmppSettings, private readonly log: Logger) {
    registerDedupeTlv(cfg.dedupeTlv);
  }

  /** Connects and binds in the background; sends wait for the bind (up to the submit timeout). */
  start(): this {
    this.connect();
    return this;
  }

  get isBound(): boolean {
    return this.bound;
  }

  onReceipt(handler: (r: DeliveryReceipt) => Promise<void>): void {
    this.receiptHandler = handler;
  }

  private connect() {
    if (this.closing) return;
    const s = smpp.connect({ host: this.cfg.host, port: this.cfg.port });
    this.session = s;
    s.on('connect', () => {
      s.bind_transceiver({ system_id: this.cfg.systemId, password: this.cfg.password, system_type: this.cfg.systemType, interface_version: 0x34 }, (pdu) => {
        if (this.session !== s) return;
        if (pdu.command_status !== 0) {
          this.log.error({ status: pdu.command_status }, 'smpp: bind refused (check SMPP_SYSTEM_ID / SMPP_PASSWORD)');
          this.attempt = Math.max(this.attempt, 6);
          s.destroy();
          return;
        }
        this.bound = true;
        this.attempt = 0;
        this.log.info({ host: this.cfg.host, port: this.cfg.port }, 'smpp: bound as transceiver');
        this.startEnquireLink(s);
        for (const w of this.readyWaiters) w.resolve();
        this.readyWaiters.clear();
      });
    });
    s.on('deliver_sm', (pdu: Pdu) => void this.onDeliver(s, pdu));
    s.on('enquire_link', (pdu: Pdu) => s.send(pdu.response()));
    s.on('unbind', (pdu: Pdu) => {
      s.send(pdu.response());
      s.close();
    });
    s.on('error', (err: Error) => this.log.warn({ err: err.message }, 'smpp: connection error'));
    s.on('close', () => this.onClose(s));
  }

  private onClose(s: Session) {
    if (this.session !== s) return;
    this.session = null;
    this.bound = false;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    // Submits without an answer may or may not have been accepted: they fail as transient and
    // are retried with the same dedupe key.
    for (const f of this.inflight) f.fail(new GatewayError('transient', 'connection_lost', 'SMPP connection lost before the answer'));
    this.inflight.clear();
    if (this.closing) return;
    const base = Math.min(this.cfg.reconnectMaxMs, this.cfg.reconnectMinMs * 2 ** this.attempt);
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.attempt++;
    this.log.warn({ inMs: delay, attempt: this.attempt }, 'smpp: disconnected, reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** An enquire_link without an answer by the next tick means a dead link: drop it and reconnect. */
  private startEnquireLink(s: Session) {
    this.enquirePending = false;
    this.enquireTimer = setInterval(() => {
      if (this.session !== s) return;
      if (this.enquirePending) {
        this.log.warn({}, 'smpp: enquire_link unanswered, dropping the link');
        s.destroy();
        return;
      }
      this.enquirePending = true;
      s.enquire_link({}, () => {
        this.enquirePending = false;
      });
    }, this.cfg.enquireLinkSeconds * 1000);
    this.enquireTimer.unref();
  }

  private async onDeliver(s: Session, pdu: Pdu) {
    const esm = Number(pdu.esm_class ?? 0);
    const sm = pdu.short_message as { message?: unknown } | Buffer | undefined;
    const text = sm && !Buffer.isBuffer(sm) && typeof sm.message === 'string' ? sm.message : Buffer.isBuffer(sm) ? sm.toString('latin1') : '';
    if ((esm & 0x3c) !== 0x04) {
      // A message from a phone (MO): not used by the centre; acknowledged so the SMSC does not resend.
      s.send(pdu.response());
      return;
    }
    const parsed = parseReceipt(text, { receiptedMessageId: pdu.receipted_message_id, messageState: pdu.message_state });
    if (!parsed) {
      this.log.warn({ text: text.slice(0, 120) }, 'smpp: unreadable delivery receipt ignored');
      s.send(pdu.response());
      return;
    }
    try {
      await this.receiptHandler?.({ providerRef: parsed.providerRef, state: parsed.state, detail: `stat:${parsed.stat}${parsed.err ? ` err:${parsed.err}` : ''}` });
      s.send(pdu.response());
    } catch (err) {
      // Not recorded: a temporary error makes the SMSC deliver the receipt again later.
      this.log.error({ err }, 'smpp: could not record a delivery receipt');
      s.send(pdu.response({ command_status: 0x64 }));
    }
  }

  private waitBound(): Promise<void> {
    if (this.bound) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(w);
        reject(new GatewayError('transient', 'not_connected', 'not bound to the SMSC'));
      }, this.cfg.submitTimeoutMs);
      this.readyWaiters.add(w);
    });
  }

  private async acquire() {
    while (this.windowUsed >= this.cfg.window) await new Promise<void>((r) => this.windowWaiters.push(r));
    this.windowUsed++;
  }

  private release() {
    this.windowUsed--;
    this.windowWaiters.shift()?.();
  }

  /**
   * Spaces submits evenly at the contracted rate: each takes the next slot, 1/rate after the
   * previous one. Slots less than a millisecond ahead go at once (a timer cannot wait less), so
   * the rate holds on average and no submit is ever early by a millisecond or more.
   */
  private async pace() {
    const now = performance.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / this.cfg.sendRatePerSecond;
    if (at - now >= 1) await sleep(at - now);
  }

  private async submit(params: Record<string, unknown>): Promise<string> {
    await this.acquire();
    try {
      await this.waitBound();
      await this.pace();
      await this.waitBound();
      const s = this.session;
      if (!s || !this.bound) throw new GatewayError('transient', 'not_connected', 'not bound to the SMSC');
      return await new Promise<string>((resolve, reject) => {
        const entry: Inflight = {
          fail: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        const timer = setTimeout(() => {
          this.inflight.delete(entry);
          reject(new GatewayError('transient', 'timeout', 'no answer from the SMSC in time'));
        }, this.cfg.submitTimeoutMs);
        this.inflight.add(entry);
        const written = s.submit_sm(params, (pdu) => {
          clearTimeout(timer);
          if (!this.inflight.delete(entry)) return;
          if (pdu.command_status === 0) resolve(String(pdu.message_id));
          else reject(classifyStatus(pdu.command_status));
        });
        if (!written) {
          this.inflight.delete(entry);
          entry.fail(new GatewayError('transient', 'not_connected', 'the SMPP connection is not writable'));
        }
      });
    } finally {
      this.release();
    }
  }

  /** Sends every part; a retry after a failure sends them all again with the same dedupe keys. */
  async send(sms: SmsToSend): Promise<SmsSent> {
    const split = splitSms(sms.text);
    const total = split.parts.length;
    if (total > MAX_SMS_PARTS) throw new GatewayError('permanent', 'too_long', `the text needs ${total} SMS parts (at most ${MAX_SMS_PARTS})`);
    const refs: string[] = [];
    for (let i = 0; i < total; i++) {
      const part = split.parts[i]!;
      const params: Record<string, unknown> = {
        source_addr_ton: 5, // alphanumeric brandname
        source_addr_npi: 0,
        source_addr: this.cfg.brandname,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: sms.to,
        registered_delivery: 1,
        esm_class: 0,
        data_coding: split.dataCoding,
        short_message: total > 1 ? { udh: concatUdh(sms.concatRef, total, i + 1), message: part } : { message: part },
      };
      if (this.cfg.dedupeTlv) params[DEDUPE_TLV_NAME] = `${sms.dedupeKey}:${i + 1}`;
      refs.push(await this.submit(params));
    }
    return { providerRefs: refs, parts: total, encoding: split.encoding };
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    for (const w of this.readyWaiters) w.resolve();
    this.readyWaiters.clear();
    const s = this.session;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => s.destroy(), 2000);
      s.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.bound) s.unbind({}, () => s.close());
      else s.destroy();
    });
  }
}
