import { randomBytes } from 'node:crypto';
import { signWebhook } from './signature.ts';
import type { PostalOrder, ShipmentKind, TrackingEvent, TrackingStatus } from './port.ts';

export interface SandboxParcel {
  order: PostalOrder;
  trackingCode: string;
  fee: number;
  status: 'created' | TrackingStatus | 'cancelled';
  createdAt: Date;
  events: (TrackingEvent & { webhookStatus: number | null })[];
}

/** Postage as the sandbox prices it: 22.000 ₫ up to 500 g, then 5.000 ₫ per 500 g; collection adds 5.000 ₫. */
export function sandboxFee(kind: ShipmentKind, weightGrams: number): number {
  return 22_000 + Math.max(0, Math.ceil((weightGrams - 500) / 500)) * 5_000 + (kind === 'pickup' ? 5_000 : 0);
}

const NEXT: Record<SandboxParcel['status'], TrackingStatus[]> = {
  created: ['accepted'],
  accepted: ['in_transit'],
  in_transit: ['delivered', 'failed'],
  failed: ['returned'],
  delivered: [],
  returned: [],
  cancelled: [],
};

/**
 * A sandbox post office: accepts orders (idempotent by order code), prices them, and plays
 * tracking events as signed webhooks, on a schedule or when a tester asks. State is in memory.
 */
export class SandboxPostOffice {
  private readonly byCode = new Map<string, SandboxParcel>();
  private readonly byTracking = new Map<string, SandboxParcel>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;

  constructor(private readonly opts: { webhookSecret: string; autoplayMs: number | null; log?: (msg: string, err?: unknown) => void }) {}

  get parcels(): SandboxParcel[] {
    return [...this.byCode.values()].reverse();
  }

  find(trackingCode: string): SandboxParcel | undefined {
    return this.byTracking.get(trackingCode);
  }

  createOrder(order: PostalOrder): SandboxParcel {
    const seen = this.byCode.get(order.orderCode);
    if (seen) return seen;
    this.seq++;
    const parcel: SandboxParcel = {
      order,
      trackingCode: `EB${String(100000000 + this.seq * 7919).slice(-9)}VN`,
      fee: sandboxFee(order.kind, order.weightGrams),
      status: 'created',
      createdAt: new Date(),
      events: [],
    };
    this.byCode.set(order.orderCode, parcel);
    this.byTracking.set(parcel.trackingCode, parcel);
    if (this.opts.autoplayMs) this.schedule(parcel);
    return parcel;
  }

  private schedule(parcel: SandboxParcel) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      const next = this.nextStatuses(parcel)[0];
      if (!next) return;
      void this.play(parcel.trackingCode, next).then(() => this.schedule(parcel));
    }, this.opts.autoplayMs!);
    t.unref();
    this.timers.add(t);
  }

  nextStatuses(parcel: SandboxParcel): TrackingStatus[] {
    return NEXT[parcel.status];
  }

  cancel(trackingCode: string): 'ok' | 'not_found' | 'not_cancellable' {
    const p = this.byTracking.get(trackingCode);
    if (!p) return 'not_found';
    if (p.status === 'cancelled') return 'ok';
    if (p.status !== 'created') return 'not_cancellable';
    p.status = 'cancelled';
    return 'ok';
  }

  /** Records a tracking event and sends it, signed, to the order's callback URL. */
  async play(trackingCode: string, status: TrackingStatus, note?: string): Promise<{ ok: boolean; webhookStatus: number | null }> {
    const p = this.byTracking.get(trackingCode);
    if (!p || !NEXT[p.status].includes(status)) return { ok: false, webhookStatus: null };
    p.status = status;
    const event: TrackingEvent = {
      eventId: randomBytes(8).toString('hex'), orderCode: p.order.orderCode, trackingCode, status, at: new Date().toISOString(),
      ...(note ? { note } : {}),
    };
    const entry = { ...event, webhookStatus: null as number | null };
    p.events.push(entry);
    entry.webhookStatus = await this.deliver(p.order.callbackUrl, event);
    return { ok: true, webhookStatus: entry.webhookStatus };
  }

  /** Sends one event; retried a few times like a real provider. Returns the last HTTP status. */
  async deliver(url: string, event: TrackingEvent, opts: { secret?: string; attempts?: number } = {}): Promise<number | null> {
    const body = JSON.stringify(event);
    let last: number | null = null;
    for (let i = 0; i < (opts.attempts ?? 3); i++) {
      const ts = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-post-timestamp': String(ts), 'x-post-signature': signWebhook(opts.secret ?? this.opts.webhookSecret, ts, body) },
          body,
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        last = res.status;
        if (res.status < 500) return last;
      } catch (err) {
        this.opts.log?.('sandbox post: webhook failed', err);
      }
      await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    }
    return last;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
