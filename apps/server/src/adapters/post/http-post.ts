import { GatewayError, type PostalBooked, type PostalOrder, type PostalPort, type PostalQuote, type ShipmentKind } from './port.ts';

export interface HttpPostSettings {
  /** Base URL of the postal API, or a function giving it (the sandbox on our own port). */
  baseUrl: string | (() => string);
  token: string;
  timeoutMs: number;
}

/**
 * The postal API over HTTPS/JSON (`POST /quotes`, `POST /orders`, `POST /orders/{tracking}/cancel`,
 * Bearer token). Orders are idempotent by `orderCode`. 5xx, 429 and network errors are transient.
 */
export class HttpPostalPort implements PostalPort {
  readonly name = 'post-http';
  constructor(private readonly cfg: HttpPostSettings) {}

  private async call<T>(path: string, body: unknown): Promise<T> {
    const base = typeof this.cfg.baseUrl === 'function' ? this.cfg.baseUrl() : this.cfg.baseUrl;
    let res: Response;
    try {
      res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.cfg.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      });
    } catch (err) {
      throw new GatewayError('transient', 'network', `postal API unreachable: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 429 || res.status >= 500) throw new GatewayError('transient', `http_${res.status}`, `postal API answered ${res.status}`);
    if (res.status >= 400) throw new GatewayError('permanent', typeof json.error === 'string' ? json.error : `http_${res.status}`, `postal API refused (${res.status})`);
    return json as T;
  }

  async quote(q: { kind: ShipmentKind; from: string; to: string; weightGrams: number }): Promise<PostalQuote> {
    const r = await this.call<{ fee?: unknown; etaDays?: unknown; service?: unknown }>('/quotes', q);
    if (typeof r.fee !== 'number') throw new GatewayError('transient', 'bad_answer', 'postal API answered without a fee');
    return { fee: r.fee, etaDays: Number(r.etaDays ?? 0), service: String(r.service ?? '') };
  }

  async createOrder(order: PostalOrder): Promise<PostalBooked> {
    const r = await this.call<{ trackingCode?: unknown; fee?: unknown }>('/orders', order);
    if (typeof r.trackingCode !== 'string') throw new GatewayError('transient', 'bad_answer', 'postal API answered without a tracking code');
    return { trackingCode: r.trackingCode, fee: Number(r.fee ?? 0) };
  }

  async cancel(trackingCode: string): Promise<void> {
    await this.call(`/orders/${encodeURIComponent(trackingCode)}/cancel`, {});
  }
}
