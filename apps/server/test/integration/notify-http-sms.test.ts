/**
 * The HTTP SMS gateway adapter against an independent fake vendor on loopback. The vendor is
 * written here from the protocol the adapter documents, not from its code: `POST` JSON
 * `{ from, to, text, unicode, clientRef }` with `Authorization: Bearer <token>` and
 * `Idempotency-Key: <clientRef>`, answered `{ messageId }` (the first id again for a repeated
 * clientRef); delivery receipts `POST /api/v1/notify/receipts/http` `{ messageId, status, detail }`
 * signed `x-sms-signature: hex HMAC-SHA256(secret, raw body)`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMessagingApp, enqueueMessage, messageStatus, VIETNAMESE_200, waitFor, type MessagingApp } from './notify.harness.ts';

const TOKEN = 'vendor-token-7f3a9c';
const SECRET = 'receipt-secret-1b2c3d4e5f60718293';
const BRANDNAME = 'UBND TINH';

interface VendorRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: { from?: unknown; to?: unknown; text?: unknown; unicode?: unknown; clientRef?: unknown };
}

/** What the vendor does with a send request: answer normally, answer with an error, or hold it. */
type Behaviour = { kind: 'accept' } | { kind: 'error'; status: number; error: string } | { kind: 'hold'; ms: number } | { kind: 'receipt_first'; status: string };

/** A brandname SMS vendor's HTTP API, as the adapter's documentation describes it. */
class FakeVendor {
  readonly requests: VendorRequest[] = [];
  /** clientRef → our message id for it: a repeated clientRef is the same message. */
  readonly accepted = new Map<string, string>();
  /** Send requests under way at once, and the most seen. */
  open = 0;
  maxOpen = 0;
  behave: (req: VendorRequest, attempt: number) => Behaviour = () => ({ kind: 'accept' });
  callbackBase = '';
  private server: Server | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      this.maxOpen = Math.max(this.maxOpen, ++this.open);
      res.on('close', () => this.open--);
      req.on('end', () => void this.handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/v1/sms`;
  }

  requestsFor(clientRef: string) {
    return this.requests.filter((r) => r.body.clientRef === clientRef);
  }

  private async handle(method: string, path: string, headers: IncomingHttpHeaders, raw: Buffer, res: ServerResponse) {
    const reply = (status: number, body: object) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    let body: VendorRequest['body'] = {};
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(400, { error: 'malformed JSON' });
    }
    const request: VendorRequest = { method, path, headers, raw, body };
    this.requests.push(request);
    if (method !== 'POST' || path !== '/v1/sms') return reply(404, { error: 'not found' });
    if (headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { error: 'bad token' });
    if (!String(headers['content-type']).startsWith('application/json')) return reply(415, { error: 'JSON only' });
    const clientRef = String(body.clientRef ?? '');
    if (!clientRef || headers['idempotency-key'] !== clientRef) return reply(400, { error: 'Idempotency-Key must equal clientRef' });
    const attempt = this.requestsFor(clientRef).length;
    const b = this.behave(request, attempt);
    if (b.kind === 'error') return reply(b.status, { error: b.error });
    // The vendor takes the message on arrival (a retry with the same clientRef gets the same id).
    let id = this.accepted.get(clientRef);
    if (!id) {
      id = `vnd-${++this.seq}-${randomBytes(3).toString('hex')}`;
      this.accepted.set(clientRef, id);
    }
    if (b.kind === 'hold') {
      const t = setTimeout(() => {
        this.timers.delete(t);
        reply(200, { messageId: id });
      }, b.ms);
      this.timers.add(t);
      return;
    }
    if (b.kind === 'receipt_first') {
      // Delivered so fast that the receipt overtakes the answer to the send request.
      const r = await this.receipt({ messageId: id, status: b.status });
      if (r.status !== 200) return reply(500, { error: `our own receipt was refused: ${r.status}` });
    }
    return reply(200, { messageId: id });
  }

  /** Posts a delivery receipt to the centre, signed with `secret` over the exact bytes sent. */
  async receipt(payload: object, opts: { secret?: string | null; tamper?: (raw: string) => string } = {}): Promise<{ status: number; body: string }> {
    const raw = JSON.stringify(payload);
    const secret = opts.secret === undefined ? SECRET : opts.secret;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null) headers['x-sms-signature'] = createHmac('sha256', secret).update(raw).digest('hex');
    const res = await fetch(`${this.callbackBase}/api/v1/notify/receipts/http`, { method: 'POST', headers, body: opts.tamper ? opts.tamper(raw) : raw });
    return { status: res.status, body: await res.text() };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

let t: MessagingApp;
const vendor = new FakeVendor();

beforeAll(async () => {
  await vendor.start();
  t = await createMessagingApp({
    SMS_GATEWAY: 'http', SMS_HTTP_URL: vendor.url, SMS_HTTP_TOKEN: TOKEN, SMS_HTTP_WEBHOOK_SECRET: SECRET, SMS_BRANDNAME: BRANDNAME,
    // The adapter's request timeout.
    SMPP_SUBMIT_TIMEOUT_MS: '1000',
  });
  vendor.callbackBase = t.base;
});
afterAll(async () => {
  await t?.close();
  await vendor.stop();
});
beforeEach(() => {
  vendor.behave = () => ({ kind: 'accept' });
});

const clientRefOf = (id: string) => `motcua-${id}`;
const settled = (id: string) => waitFor(async () => {
  const m = await messageStatus(t.db, id);
  return m.status !== 'queued' ? m : undefined;
}, 15_000, `message ${id} dispatched`);
const events = (id: string) => t.db.selectFrom('notifyMessageEvents').select(['status', 'detail']).where('messageId', '=', id).orderBy('id').execute();
const refsOf = (id: string) => t.db.selectFrom('notifyProviderRefs').select(['provider', 'providerRef', 'part', 'state']).where('messageId', '=', id).execute();

describe('sending through the vendor', () => {
  it('a Vietnamese message reaches the vendor exactly as sent: token, brandname, number, UTF-8 text, unicode flag, idempotency key', async () => {
    // Written decomposed (NFD): the vendor must still get the composed (NFC) text, intact.
    const id = await enqueueMessage(t.db, t.config, { to: '84912345678', body: VIETNAMESE_200.normalize('NFD') });
    const m = await settled(id);
    const reqs = vendor.requestsFor(clientRefOf(id));
    expect(reqs).toHaveLength(1);
    const r = reqs[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v1/sms');
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['idempotency-key']).toBe(clientRefOf(id));
    expect(r.body).toEqual({ from: BRANDNAME, to: '84912345678', text: VIETNAMESE_200, unicode: true, clientRef: clientRefOf(id) });
    // UTF-8 on the wire, not escapes: the bytes of "Đà Nẵng", "ỹ ỵ ữ ự ẵ", "ngưỡng cửa" are in the raw body.
    for (const word of ['Đà Nẵng', 'ỹ ỵ ữ ự ẵ', 'ngưỡng cửa']) expect(r.raw.includes(Buffer.from(word.normalize('NFC'), 'utf8'))).toBe(true);
    expect(r.raw.includes(Buffer.from('\\u'))).toBe(false);
    expect(m).toMatchObject({ status: 'sending', provider: 'http', smsParts: 3, smsEncoding: 'ucs2', attempts: 1 });
    expect(await refsOf(id)).toEqual([{ provider: 'http', providerRef: vendor.accepted.get(clientRefOf(id)), part: 1, state: 'sending' }]);
  });

  it('plain ASCII goes with unicode=false', async () => {
    const id = await enqueueMessage(t.db, t.config, { to: '84987654321', body: 'Ma ho so 000.00.12.H56-260105-0001' });
    expect(await settled(id)).toMatchObject({ status: 'sending', smsParts: 1, smsEncoding: 'gsm7' });
    expect(vendor.requestsFor(clientRefOf(id))[0]!.body).toMatchObject({ text: 'Ma ho so 000.00.12.H56-260105-0001', unicode: false });
  });

  it('many messages at once: never more requests under way than the contract window, each message once', async () => {
    vendor.behave = (req) => (String(req.body.to).startsWith('8498') ? { kind: 'hold', ms: 150 } : { kind: 'accept' });
    vendor.maxOpen = 0;
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => enqueueMessage(t.db, t.config, { to: `8498${String(1000000 + i).slice(-7)}`, body: `Tin số ${i + 1}` })));
    for (const id of ids) expect(await settled(id)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(vendor.maxOpen).toBeGreaterThan(1);
    expect(vendor.maxOpen).toBeLessThanOrEqual(t.config.SMPP_WINDOW);
    for (const id of ids) expect(vendor.requestsFor(clientRefOf(id))).toHaveLength(1);
  });

  it('a vendor 5xx is a temporary failure: retried with the same idempotency key, then sent once', async () => {
    vendor.behave = (req, attempt) => (req.body.to === '84911111111' && attempt <= 2 ? { kind: 'error', status: attempt === 1 ? 503 : 500, error: 'maintenance' } : { kind: 'accept' });
    const id = await enqueueMessage(t.db, t.config, { to: '84911111111', body: 'Thử lỗi tạm thời của nhà mạng' });
    const m = await waitFor(async () => {
      const x = await messageStatus(t.db, id);
      return x.status === 'sending' ? x : undefined;
    }, 15_000, 'sent after the retries');
    expect(m.attempts).toBe(3);
    const reqs = vendor.requestsFor(clientRefOf(id));
    expect(reqs).toHaveLength(3);
    expect(new Set(reqs.map((r) => r.headers['idempotency-key']))).toEqual(new Set([clientRefOf(id)]));
    const history = await events(id);
    expect(history.map((e) => e.status)).toEqual(['retry', 'retry', 'sending']);
    expect(history[0]!.detail).toContain('http_503');
    expect(history[1]!.detail).toContain('http_500');
  });

  it('a vendor that does not answer in time is a temporary failure; the retry gets the first message id back, so one SMS', async () => {
    vendor.behave = (req, attempt) => (req.body.to === '84922222222' && attempt === 1 ? { kind: 'hold', ms: 2500 } : { kind: 'accept' });
    const id = await enqueueMessage(t.db, t.config, { to: '84922222222', body: 'Thử nhà mạng trả lời chậm' });
    const m = await waitFor(async () => {
      const x = await messageStatus(t.db, id);
      return x.status === 'sending' ? x : undefined;
    }, 15_000, 'sent after the timeout');
    expect(m.attempts).toBe(2);
    expect(vendor.requestsFor(clientRefOf(id))).toHaveLength(2);
    const history = await events(id);
    expect(history.map((e) => e.status)).toEqual(['retry', 'sending']);
    expect(history[0]!.detail).toMatch(/^attempt 1: network: /);
    expect((await refsOf(id)).map((r) => r.providerRef)).toEqual([vendor.accepted.get(clientRefOf(id))]);
  });

  it('refused credentials (401) are retried, not held against the message', async () => {
    vendor.behave = (req, attempt) => (req.body.to === '84977777777' && attempt === 1 ? { kind: 'error', status: 401, error: 'token expired' } : { kind: 'accept' });
    const id = await enqueueMessage(t.db, t.config, { to: '84977777777', body: 'Thử khóa truy cập hết hạn' });
    const m = await waitFor(async () => {
      const x = await messageStatus(t.db, id);
      return x.status === 'sending' ? x : undefined;
    }, 15_000, 'sent after the retry');
    expect(m.attempts).toBe(2);
    expect((await events(id)).map((e) => e.status)).toEqual(['retry', 'sending']);
  });

  it('a vendor 4xx "invalid number" is a permanent failure, not retried', async () => {
    vendor.behave = (req) => (req.body.to === '84900000000' ? { kind: 'error', status: 400, error: 'invalid phone number' } : { kind: 'accept' });
    const id = await enqueueMessage(t.db, t.config, { to: '84900000000', body: 'Số không tồn tại' });
    const m = await settled(id);
    expect(m).toMatchObject({ status: 'permanent_failure', attempts: 1 });
    expect(m.error).toContain('http_400');
    expect(m.error).toContain('invalid phone number');
    // Polls and retries come and go: still one request.
    await new Promise((r) => setTimeout(r, 1500));
    expect(vendor.requestsFor(clientRefOf(id))).toHaveLength(1);
    expect((await messageStatus(t.db, id)).status).toBe('permanent_failure');
    expect((await events(id)).map((e) => e.status)).toEqual(['permanent_failure']);
  });
});

describe('delivery receipts from the vendor', () => {
  async function sentMessage(to: string) {
    const id = await enqueueMessage(t.db, t.config, { to, body: 'Hồ sơ của ông/bà đã có kết quả.' });
    await settled(id);
    return { id, vendorId: vendor.accepted.get(clientRefOf(id))! };
  }

  it('a receipt without a valid signature is refused and changes nothing', async () => {
    const { id, vendorId } = await sentMessage('84933333333');
    const delivered = { messageId: vendorId, status: 'delivered' };
    expect((await vendor.receipt(delivered, { secret: null })).status).toBe(401);
    expect((await vendor.receipt(delivered, { secret: 'not-the-secret' })).status).toBe(401);
    // Signed, then altered on the way.
    expect((await vendor.receipt({ messageId: vendorId, status: 'failed' }, { tamper: (raw) => raw.replace('failed', 'delivered') })).status).toBe(401);
    expect((await messageStatus(t.db, id)).status).toBe('sending');
    expect((await refsOf(id))[0]!.state).toBe('sending');
  });

  it('a signed receipt updates the status; late, repeated and contradicting receipts never move it backwards', async () => {
    const { id, vendorId } = await sentMessage('84944444444');
    expect((await vendor.receipt({ messageId: vendorId, status: 'enroute' })).status).toBe(200);
    expect((await messageStatus(t.db, id)).status).toBe('sending');
    const ok = await vendor.receipt({ messageId: vendorId, status: 'delivered', detail: 'handset' });
    expect(ok).toEqual({ status: 200, body: JSON.stringify({ ok: true }) });
    const m = await messageStatus(t.db, id);
    expect(m.status).toBe('delivered');
    expect(m.doneAt).not.toBeNull();
    for (const status of ['failed', 'enroute', 'delivered', 'expired']) expect((await vendor.receipt({ messageId: vendorId, status })).status).toBe(200);
    expect((await messageStatus(t.db, id)).status).toBe('delivered');
    expect((await refsOf(id))[0]!.state).toBe('delivered');
    const history = await events(id);
    expect(history.filter((e) => e.status === 'delivered')).toHaveLength(1);
    expect(history.find((e) => e.status === 'delivered')!.detail).toBe('status:delivered handset');
  });

  it('an undeliverable report is a permanent failure', async () => {
    const { id, vendorId } = await sentMessage('84955555555');
    expect((await vendor.receipt({ messageId: vendorId, status: 'undeliverable' })).status).toBe(200);
    expect((await messageStatus(t.db, id)).status).toBe('permanent_failure');
  });

  it('a receipt that overtakes the answer to the send request is kept and applied when the hand-over is recorded', async () => {
    vendor.behave = (req) => (req.body.to === '84966666666' ? { kind: 'receipt_first', status: 'delivered' } : { kind: 'accept' });
    const id = await enqueueMessage(t.db, t.config, { to: '84966666666', body: 'Báo nhận đến trước' });
    const m = await waitFor(async () => {
      const x = await messageStatus(t.db, id);
      return x.status === 'delivered' ? x : undefined;
    }, 15_000, 'delivered');
    expect(m.provider).toBe('http');
    expect((await events(id)).map((e) => e.status)).toEqual(['sending', 'delivered']);
    const vendorId = vendor.accepted.get(clientRefOf(id))!;
    expect(await t.db.selectFrom('notifyPendingReceipts').selectAll().where('providerRef', '=', vendorId).execute()).toHaveLength(0);
  });
});
