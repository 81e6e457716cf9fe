import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import smpp, { type Pdu, type Server, type Session } from 'smpp';
import { readConcatUdh } from './encoding.ts';
import { receiptText, STAT_TO_MESSAGE_STATE } from './receipts.ts';
import { DEDUPE_TLV_NAME, registerDedupeTlv } from './smpp-gateway.ts';

/** One submit_sm the sandbox accepted (one SMS part). */
export interface SmscPart {
  messageId: string;
  seq: number;
  total: number;
  text: string;
  submittedAt: Date;
  state: string;
}

/** A whole SMS as the phone would show it, joined from its parts. */
export interface SmscMessage {
  key: string;
  from: string;
  to: string;
  dataCoding: number;
  parts: SmscPart[];
  total: number;
  /** The joined text once every part has arrived. */
  text: string;
  complete: boolean;
  receivedAt: Date;
}

/** What the sandbox does with a submit (tests use this to throttle or to drop the link). */
export type SubmitAction = 'accept' | 'throttle' | 'reject_number' | 'drop_after_accept' | 'hold';

export interface SandboxSmscOptions {
  host?: string;
  port?: number;
  systemId: string;
  password: string;
  /** Send a DELIVRD receipt this long after each accepted part; null: only when asked. */
  autoReceiptMs?: number | null;
  /** Vendor TLV tag of the client's dedupe key (0: none, every submit is a new message). */
  dedupeTlv?: number;
  /** Messages kept for the page (oldest dropped first). */
  capacity?: number;
}

/**
 * A sandbox SMSC on loopback, built on the `smpp` package's server: it binds transceivers with the
 * configured credentials, accepts submit_sm, joins concatenated parts, remembers dedupe keys (a
 * repeated key gets the first message id and is not recorded again, like a gateway that honours
 * client references) and sends delivery receipts (deliver_sm) back over the bind.
 */
export class SandboxSmsc {
  private server: Server | null = null;
  private readonly sessions = new Set<Session>();
  private readonly byKey = new Map<string, SmscMessage>();
  private readonly order: SmscMessage[] = [];
  private readonly parts = new Map<string, { msg: SmscMessage; part: SmscPart; from: string; to: string }>();
  private readonly dedupe = new Map<string, string>();
  private readonly pendingReceipts: Pdu[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Decides what happens to each submit; accepts everything by default. */
  onSubmit: (info: { to: string; text: string; submitNumber: number; dedupeKey: string | null }) => SubmitAction = () => 'accept';
  /** Every submit_sm received, duplicates included. */
  submits = 0;
  duplicates = 0;
  port = 0;

  constructor(private readonly opts: SandboxSmscOptions) {
    registerDedupeTlv(opts.dedupeTlv ?? 0);
  }

  async start(): Promise<number> {
    const server = smpp.createServer({}, (session) => this.onSession(session));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Messages newest first. */
  get messages(): SmscMessage[] {
    return [...this.order].reverse();
  }

  /** How many distinct SMS parts were accepted (duplicates by dedupe key not counted). */
  get acceptedParts(): number {
    return this.parts.size;
  }

  /** Drops every client connection (the gateway "goes away"); clients reconnect. */
  dropConnections(): void {
    for (const s of this.sessions) s.destroy();
  }

  private onSession(session: Session) {
    let bound = false;
    session.on('bind_transceiver', (pdu: Pdu) => {
      if (pdu.system_id !== this.opts.systemId || pdu.password !== this.opts.password) {
        session.send(pdu.response({ command_status: 0x0e })); // ESME_RINVPASWD
        session.close();
        return;
      }
      bound = true;
      this.sessions.add(session);
      session.send(pdu.response({ system_id: 'motcua-sandbox' }));
      // Receipts that found no bound client are delivered now, as a real SMSC would.
      for (const r of this.pendingReceipts.splice(0)) session.send(r);
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm_resp', () => undefined);
    session.on('submit_sm', (pdu: Pdu) => {
      if (!bound) {
        session.send(pdu.response({ command_status: 0x04 })); // ESME_RINVBNDSTS
        return;
      }
      this.onSubmitSm(session, pdu);
    });
    session.on('error', () => undefined);
    session.on('close', () => this.sessions.delete(session));
  }

  private onSubmitSm(session: Session, pdu: Pdu) {
    this.submits++;
    const sm = pdu.short_message as { udh?: Buffer[]; message?: string | Buffer };
    const text = typeof sm?.message === 'string' ? sm.message : '';
    const dedupeKey = typeof pdu[DEDUPE_TLV_NAME] === 'string' ? (pdu[DEDUPE_TLV_NAME] as string) : null;
    const to = String(pdu.destination_addr);
    const action = this.onSubmit({ to, text, submitNumber: this.submits, dedupeKey });
    if (action === 'throttle') return void session.send(pdu.response({ command_status: 0x58 }));
    if (action === 'reject_number') return void session.send(pdu.response({ command_status: 0x0b }));
    const known = dedupeKey ? this.dedupe.get(dedupeKey) : undefined;
    let messageId = known;
    if (known) this.duplicates++;
    else {
      messageId = randomBytes(8).toString('hex');
      if (dedupeKey) this.dedupe.set(dedupeKey, messageId);
      this.record(messageId, pdu, text);
    }
    if (action === 'hold') return;
    if (action === 'drop_after_accept') {
      session.destroy();
      return;
    }
    session.send(pdu.response({ message_id: messageId }));
    if (!known && this.opts.autoReceiptMs != null) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.sendReceipt(messageId!, 'DELIVRD');
      }, this.opts.autoReceiptMs);
      this.timers.add(t);
    }
  }

  private record(messageId: string, pdu: Pdu, text: string) {
    const sm = pdu.short_message as { udh?: Buffer[] };
    const udh = sm?.udh?.length ? Buffer.concat([Buffer.from([sm.udh.reduce((n, b) => n + b.length, 0)]), ...sm.udh]) : null;
    const concat = udh ? readConcatUdh(udh) : null;
    const from = String(pdu.source_addr);
    const to = String(pdu.destination_addr);
    const key = concat ? `${from}|${to}|${concat.ref}|${concat.total}` : `single|${messageId}`;
    let msg = this.byKey.get(key);
    // A finished message with the same concatenation reference is a new message.
    if (msg && msg.complete) msg = undefined;
    if (!msg) {
      msg = { key, from, to, dataCoding: Number(pdu.data_coding), parts: [], total: concat?.total ?? 1, text: '', complete: false, receivedAt: new Date() };
      this.byKey.set(key, msg);
      this.order.push(msg);
      const cap = this.opts.capacity ?? 1000;
      while (this.order.length > cap) {
        const old = this.order.shift()!;
        if (this.byKey.get(old.key) === old) this.byKey.delete(old.key);
      }
    }
    const part: SmscPart = { messageId, seq: concat?.seq ?? 1, total: concat?.total ?? 1, text, submittedAt: new Date(), state: 'ENROUTE' };
    msg.parts.push(part);
    msg.parts.sort((a, b) => a.seq - b.seq);
    msg.complete = new Set(msg.parts.map((p) => p.seq)).size === msg.total;
    msg.text = msg.parts.map((p) => p.text).join('');
    this.parts.set(messageId, { msg, part, from, to });
  }

  /** Sends a delivery receipt for one part (`stat` as in Appendix B, e.g. DELIVRD, UNDELIV, ENROUTE). */
  sendReceipt(messageId: string, stat: string): boolean {
    const p = this.parts.get(messageId);
    if (!p) return false;
    p.part.state = stat;
    const receipt = new smpp.PDU('deliver_sm', {
      source_addr_ton: 1, source_addr_npi: 1, source_addr: p.to,
      dest_addr_ton: 5, dest_addr_npi: 0, destination_addr: p.from,
      esm_class: 0x04, data_coding: 0,
      short_message: receiptText({ id: messageId, stat, submitted: p.part.submittedAt, done: new Date(), text: p.part.text.normalize('NFD').replace(/[^\x20-\x7e]/g, '') }),
      receipted_message_id: messageId,
      message_state: STAT_TO_MESSAGE_STATE[stat] ?? 7,
    });
    const session = [...this.sessions][0];
    if (session) session.send(receipt);
    else this.pendingReceipts.push(receipt);
    return true;
  }

  /** Receipts for every part of a message, e.g. to play "delivered" from the page. */
  sendMessageReceipt(key: string, stat: string): number {
    const msg = this.order.find((m) => m.key === key);
    if (!msg) return 0;
    for (const p of msg.parts) this.sendReceipt(p.messageId, stat);
    return msg.parts.length;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sessions) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
