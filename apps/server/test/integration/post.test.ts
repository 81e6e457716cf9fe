/**
 * Public postal service against the sandbox post office (its API and signed webhooks over real
 * HTTP on loopback): quotes, a delivery order booked in the background, a webhook with a bad
 * signature refused, tracking to delivered closing the dossier, a failed delivery back to the
 * counter, papers collected by post completing reception, cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, type SandboxPostOffice } from '../../src/adapters/post/index.ts';
import { buildProcedure, multipart, resultPdf, type BuiltProcedure } from '../factories.ts';
import { safeJson, signInCitizen, signInOfficial, type Client } from '../helpers.ts';
import { createMessagingApp, waitFor, type MessagingApp } from './notify.harness.ts';

let t: MessagingApp;
let proc: BuiltProcedure;
let office: SandboxPostOffice;
let citizen: Client;
const staff: Record<string, Client> = {};
const ADDRESS = '12 Lê Lợi, phường Xương Huân, Nha Trang, Khánh Hòa';

beforeAll(async () => {
  t = await createMessagingApp();
  office = t.app.sandboxes!.post!;
  proc = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
  citizen = await signInCitizen(t.app);
  for (const role of ['reception_officer', 'specialist', 'division_head', 'agency_leader'] as const) staff[role] = await signInOfficial(t.app, role);
});
afterAll(() => t.close());

const act = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/dossiers/${id}/actions`, body);
const shipments = async (id: string, c: Client = citizen) => safeJson((await c.get(`/api/v1/dossiers/${id}/shipments`)).body).items;
const booked = (id: string) => waitFor(async () => (await shipments(id)).find((s: { status: string }) => s.status === 'created'), 10_000, 'booking');

async function submitted(delivery?: { method: 'post'; address: string }, procedureId = proc.id): Promise<string> {
  const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId, formData: { businessName: 'Tạp hóa An Bình' }, ...(delivery ? { delivery } : {}), submit: true }, { 'idempotency-key': `post-${Math.random()}` })).body);
  expect(d.status).toBe('submitted');
  return d.id;
}

/** A dossier with its result ready; `delivery: null` when the applicant chose no postal delivery on filing. */
async function resultReady(delivery: { method: 'post'; address: string } | null = { method: 'post', address: ADDRESS }, procedureId = proc.id): Promise<string> {
  const id = await submitted(delivery ?? undefined, procedureId);
  const { reception_officer: desk, specialist, division_head: head, agency_leader: leader } = staff;
  const step = async (c: Client, body: Record<string, unknown>) => {
    const res = await act(c, id, body);
    expect(res.statusCode, `${JSON.stringify(body)} ${res.body.slice(0, 300)}`).toBe(200);
  };
  await step(desk!, { type: 'receive' });
  await step(desk!, { type: 'forward' });
  await step(specialist!, { type: 'claim' });
  await step(specialist!, { type: 'forward' });
  await step(head!, { type: 'forward' });
  const m = multipart(await resultPdf('kết quả'), 'ket-qua.pdf');
  const up = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files?kind=result`, payload: m.payload, headers: { ...m.headers, cookie: leader!.cookie!, 'x-csrf-token': leader!.csrf! } });
  expect(up.statusCode).toBe(201);
  await step(leader!, { type: 'approve' });
  expect((await act(desk!, id, { type: 'mark_result_ready' })).statusCode).toBe(200);
  return id;
}

async function webhook(body: object, secret = t.config.POST_WEBHOOK_SECRET) {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`${t.base}/api/v1/post/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-post-timestamp': String(ts), 'x-post-signature': signWebhook(secret, ts, raw) }, body: raw });
}

describe('postal service', () => {
  it('quotes postage', async () => {
    const q = await citizen.post('/api/v1/post/quote', { kind: 'delivery', address: ADDRESS, weightGrams: 1200 });
    expect(safeJson(q.body)).toMatchObject({ fee: 32_000, etaDays: 2 });
  });

  it('a result ready for postal delivery is booked; a bad signature is refused; tracking to delivered closes the dossier', async () => {
    const id = await resultReady();
    const s = await booked(id);
    expect(s).toMatchObject({ kind: 'delivery', address: ADDRESS, fee: 22_000, trackingCode: expect.stringMatching(/^EB\d{9}VN$/) });

    const forged = await webhook({ eventId: 'x1', orderCode: s.orderCode, trackingCode: s.trackingCode, status: 'delivered', at: new Date().toISOString() }, 'wrong-secret-wrong-secret');
    expect(forged.status).toBe(401);
    const stale = await fetch(`${t.base}/api/v1/post/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-post-timestamp': '1000000000', 'x-post-signature': 'ab'.repeat(32) }, body: '{}' });
    expect([400, 401]).toContain(stale.status);
    expect((await shipments(id))[0].status).toBe('created');
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).status).toBe('result_ready');

    // The tester plays "accepted" on the sandbox page (an HTML form), then the rest.
    const page = await fetch(`${t.base}/sandbox/post/`);
    expect(await page.text()).toContain(s.trackingCode);
    // Browsers send the page's Origin with its forms only under a policy that allows it.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const play = (origin: string) => fetch(`${t.base}/sandbox/post/play`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ trackingCode: s.trackingCode, status: 'accepted' }).toString(),
    });
    expect((await play('https://elsewhere.example')).status).toBe(403);
    expect(office.find(s.trackingCode)!.status).toBe('created');
    expect((await play(t.base)).status).toBe(303);
    expect((await office.play(s.trackingCode, 'in_transit')).webhookStatus).toBe(200);
    expect((await office.play(s.trackingCode, 'delivered')).webhookStatus).toBe(200);

    const d = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body);
    expect(d.status).toBe('returned');
    expect(d.timeline.at(-1)).toMatchObject({ type: 'return_result', payload: { method: 'post', trackingCode: s.trackingCode } });
    const after = (await shipments(id))[0];
    expect(after.status).toBe('delivered');
    expect(after.tracking.map((e: { status: string }) => e.status)).toEqual(['accepted', 'in_transit', 'delivered']);
    // The same webhook again, and a late one: nothing moves.
    const last = office.find(s.trackingCode)!.events.at(-1)!;
    expect(await (await webhook({ eventId: last.eventId, orderCode: s.orderCode, trackingCode: s.trackingCode, status: 'delivered', at: last.at })).json()).toEqual({ outcome: 'duplicate' });
    expect(await (await webhook({ eventId: 'late-1', orderCode: s.orderCode, trackingCode: s.trackingCode, status: 'in_transit', at: new Date().toISOString() })).json()).toEqual({ outcome: 'ignored' });
    const msgs = await t.db.selectFrom('notifyMessages').select(['event', 'channel']).where('dossierId', '=', id).where('event', 'in', ['post.shipment_status', 'dossier.result_returned']).execute();
    expect(msgs.filter((m) => m.event === 'post.shipment_status' && m.channel === 'sms')).toHaveLength(3);
    expect(msgs.filter((m) => m.event === 'dossier.result_returned')).toHaveLength(3);
  });

  it('a failed delivery goes back to the counter queue', async () => {
    const id = await resultReady();
    const s = await booked(id);
    for (const st of ['accepted', 'in_transit', 'failed'] as const) await office.play(s.trackingCode, st, st === 'failed' ? 'Người nhận vắng nhà' : undefined);
    expect((await shipments(id))[0].status).toBe('failed');
    expect(safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body).status).toBe('result_ready');
    const queue = safeJson((await staff.reception_officer!.get('/api/v1/staff/queues/ready_to_return')).body);
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(id);
    const inbox = safeJson((await staff.reception_officer!.get('/api/v1/me/messages')).body);
    expect(inbox.items.find((m: { dossierId: string; event: string }) => m.dossierId === id && m.event === 'queue.delivery_failed')?.body).toContain('Người nhận vắng nhà');
    // A new delivery can be ordered once the failed one is closed.
    await office.play(s.trackingCode, 'returned');
    expect((await staff.reception_officer!.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery' })).statusCode).toBe(201);
  });

  it('papers collected by post complete reception; a shipment not yet taken in can be cancelled', async () => {
    const id = await submitted();
    // Before the result is ready, the applicant cannot order its delivery.
    const early = await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery', address: ADDRESS });
    expect(early.statusCode).toBe(409);
    expect(safeJson(early.body).error.code).toBe('shipment_not_allowed');
    const created = await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'pickup', address: ADDRESS, weightGrams: 300 });
    expect(created.statusCode).toBe(201);
    expect((await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'pickup', address: ADDRESS })).statusCode).toBe(409);
    const s = await booked(id);
    expect(s.fee).toBe(27_000);
    for (const st of ['accepted', 'in_transit', 'delivered'] as const) await office.play(s.trackingCode, st);
    const d = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body);
    expect(d.status).toBe('processing');
    expect(d.code).toMatch(/^000\.00\.12\.H56-\d{6}-\d{4}$/);

    const other = await submitted();
    expect((await citizen.post(`/api/v1/dossiers/${other}/shipments`, { kind: 'pickup', address: ADDRESS })).statusCode).toBe(201);
    const o = await booked(other);
    const cancelled = await citizen.post(`/api/v1/dossiers/${other}/shipments/${o.id}/cancel`);
    expect(safeJson(cancelled.body).status).toBe('cancelled');
    expect(office.find(o.trackingCode)!.status).toBe('cancelled');
  });

  it('the applicant asks for a ready result by post (when the procedure offers it), with the phone the postman calls', async () => {
    // The factory's procedure is filed in person or online only: no postal return for it.
    const noPost = await resultReady(null);
    const refused = await citizen.post(`/api/v1/dossiers/${noPost}/shipments`, { kind: 'delivery', address: ADDRESS });
    expect(refused.statusCode).toBe(409);
    expect(safeJson(refused.body).error.code).toBe('post_not_offered');

    const postal = await buildProcedure(t.ownerDb, { requiredComponents: 0 });
    await t.ownerDb.updateTable('procedures').set({ methods: ['in_person', 'online', 'post'] }).where('id', '=', postal.id).execute();
    const id = await resultReady(null, postal.id);
    expect(await shipments(id)).toEqual([]);
    // An official other than the desk may not order it.
    expect((await staff.specialist!.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery', address: ADDRESS })).statusCode).toBe(403);
    const badPhone = await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery', address: ADDRESS, recipientPhone: '0123' });
    expect(badPhone.statusCode).toBe(400);
    expect(safeJson(badPhone.body).error.fields[0].path).toBe('body.recipientPhone');

    const created = await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery', address: ADDRESS, recipientPhone: '+84 905 123 456', note: 'Gọi trước khi giao' });
    expect(created.statusCode).toBe(201);
    expect(safeJson(created.body)).toMatchObject({ kind: 'delivery', status: 'requested', recipientPhone: '0905123456', address: ADDRESS, note: 'Gọi trước khi giao' });
    expect((await citizen.post(`/api/v1/dossiers/${id}/shipments`, { kind: 'delivery', address: ADDRESS })).statusCode).toBe(409);
    const s = await booked(id);
    expect(office.find(s.trackingCode)!.order.receiver).toMatchObject({ phone: '0905123456', address: ADDRESS });
    // A delivery is cancelled by the desk, not by the applicant.
    expect((await citizen.post(`/api/v1/dossiers/${id}/shipments/${s.id}/cancel`)).statusCode).toBe(403);
    for (const st of ['accepted', 'in_transit', 'delivered'] as const) await office.play(s.trackingCode, st);
    const d = safeJson((await citizen.get(`/api/v1/dossiers/${id}`)).body);
    expect(d.status).toBe('returned');
    expect(d.timeline.at(-1)).toMatchObject({ type: 'return_result', payload: { method: 'post', trackingCode: s.trackingCode } });
  });
});
