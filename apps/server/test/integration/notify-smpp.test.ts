/**
 * SMS over real SMPP 3.4 to the sandbox SMSC (the `smpp` package's server on loopback): Vietnamese
 * intact in UCS-2 parts, delivery receipts that never move a message backwards, a gateway that
 * drops the link mid-batch, throttling, permanent refusals, retries running out, the 72-hour rule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxSmsc } from '../../src/adapters/sms/index.ts';
import { applyReceipt, sweepMessages } from '../../src/modules/notify/index.ts';
import { createMessagingApp, enqueueMessage, messageStatus, VIETNAMESE_200, waitFor, type MessagingApp } from './notify.harness.ts';

let t: MessagingApp;
let smsc: SandboxSmsc;
const PHONE = '84912345678';

beforeAll(async () => {
  t = await createMessagingApp();
  smsc = t.app.sandboxes!.smsc!;
});
afterAll(() => t.close());
beforeEach(() => {
  smsc.onSubmit = () => 'accept';
});

const sent = (id: string) => waitFor(async () => {
  const m = await messageStatus(t.db, id);
  return m.status !== 'queued' ? m : undefined;
}, 15_000, `message ${id} dispatched`);
const refs = (id: string) => t.db.selectFrom('notifyProviderRefs').select(['providerRef', 'part', 'state']).where('messageId', '=', id).orderBy('part').execute();
const events = (id: string) => t.db.selectFrom('notifyMessageEvents').select(['status', 'detail']).where('messageId', '=', id).orderBy('id').execute();

describe('SMPP round trip', () => {
  it('a 200-character Vietnamese message arrives intact, in three concatenated UCS-2 parts, from the brandname', async () => {
    expect(VIETNAMESE_200).toHaveLength(200);
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: VIETNAMESE_200 });
    const m = await sent(id);
    expect(m).toMatchObject({ status: 'sending', provider: 'smpp', smsParts: 3, smsEncoding: 'ucs2', attempts: 1 });
    const got = await waitFor(async () => smsc.messages.find((x) => x.to === PHONE && x.text === VIETNAMESE_200 && x.complete), 5000, 'SMSC message');
    expect(got).toMatchObject({ from: 'MOTCUA', dataCoding: 8, total: 3 });
    expect(got.parts.map((p) => p.text.length)).toEqual([67, 67, 66]);
    expect((await refs(id)).map((r) => r.providerRef)).toEqual(got.parts.map((p) => p.messageId));
  });

  it('a short message is one part; plain ASCII goes in the GSM alphabet', async () => {
    const vi = await enqueueMessage(t.db, t.config, { to: '84987654321', body: 'Hồ sơ đã được tiếp nhận.' });
    const ascii = await enqueueMessage(t.db, t.config, { to: '84987654322', body: 'Ma ho so 000.00.12.H56-260105-0001' });
    expect(await sent(vi)).toMatchObject({ smsParts: 1, smsEncoding: 'ucs2' });
    expect(await sent(ascii)).toMatchObject({ smsParts: 1, smsEncoding: 'gsm7' });
    const m = smsc.messages.find((x) => x.to === '84987654322')!;
    expect(m).toMatchObject({ text: 'Ma ho so 000.00.12.H56-260105-0001', dataCoding: 0 });
    expect(smsc.messages.find((x) => x.to === '84987654321')!.text).toBe('Hồ sơ đã được tiếp nhận.');
  });
});

describe('delivery receipts (deliver_sm)', () => {
  it('update the status; duplicates and out-of-order receipts never move a message backwards', async () => {
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: VIETNAMESE_200 });
    await sent(id);
    const [p1, p2, p3] = await refs(id);
    smsc.sendReceipt(p1!.providerRef, 'DELIVRD');
    await waitFor(async () => (await refs(id))[0]!.state === 'delivered', 5000, 'part 1 delivered');
    expect((await messageStatus(t.db, id)).status).toBe('sending');
    smsc.sendReceipt(p2!.providerRef, 'DELIVRD');
    smsc.sendReceipt(p3!.providerRef, 'DELIVRD');
    await waitFor(async () => (await messageStatus(t.db, id)).status === 'delivered', 5000, 'delivered');
    // Late ENROUTE, a repeated DELIVRD and a contradicting UNDELIV change nothing.
    smsc.sendReceipt(p1!.providerRef, 'ENROUTE');
    smsc.sendReceipt(p2!.providerRef, 'DELIVRD');
    smsc.sendReceipt(p3!.providerRef, 'UNDELIV');
    await new Promise((r) => setTimeout(r, 400));
    expect((await messageStatus(t.db, id)).status).toBe('delivered');
    expect((await refs(id)).map((r) => r.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect((await events(id)).filter((e) => e.status === 'delivered')).toHaveLength(1);
  });

  it('an undeliverable number becomes a permanent failure; a receipt for an unknown id is kept aside once', async () => {
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: 'Tin thử báo không gửi được' });
    await sent(id);
    smsc.sendReceipt((await refs(id))[0]!.providerRef, 'UNDELIV');
    await waitFor(async () => (await messageStatus(t.db, id)).status === 'permanent_failure', 5000, 'permanent failure');
    expect(await applyReceipt(t.db, 'smpp', { providerRef: 'nobody-knows', state: 'delivered', detail: 'stat:DELIVRD' })).toBe('unknown');
    expect(await applyReceipt(t.db, 'smpp', { providerRef: 'nobody-knows', state: 'delivered', detail: 'stat:DELIVRD' })).toBe('unknown');
    const pending = await t.db.selectFrom('notifyPendingReceipts').selectAll().where('providerRef', '=', 'nobody-knows').execute();
    expect(pending).toHaveLength(1);
  });
});

describe('failures and retries', () => {
  it('the gateway dropping the connection mid-batch loses nothing and sends nothing twice', async () => {
    const before = smsc.acceptedParts;
    let dropped = 0;
    smsc.onSubmit = ({ submitNumber }) => {
      if (dropped < 2 && submitNumber % 7 === 0) {
        dropped++;
        return 'drop_after_accept';
      }
      return 'accept';
    };
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => enqueueMessage(t.db, t.config, { to: `8490${String(1000000 + i).slice(-7)}`, body: `Tin nhắn số ${i + 1} của lô thử nghiệm` })));
    for (const id of ids) expect(await sent(id)).toMatchObject({ status: 'sending' });
    expect(dropped).toBe(2);
    // Every message once at the SMSC, although the dropped ones were handed over twice.
    expect(smsc.acceptedParts - before).toBe(20);
    for (let i = 0; i < 20; i++) expect(smsc.messages.filter((m) => m.text === `Tin nhắn số ${i + 1} của lô thử nghiệm`)).toHaveLength(1);
    expect(smsc.duplicates).toBeGreaterThanOrEqual(2);
  });

  it('throttling (ESME_RTHROTTLED) is retried, then sent', async () => {
    let n = 0;
    smsc.onSubmit = () => (n++ < 2 ? 'throttle' : 'accept');
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: 'Thử điều tiết' });
    const m = await sent(id);
    expect(m).toMatchObject({ status: 'sending', attempts: 3 });
    expect((await events(id)).map((e) => e.status)).toEqual(['retry', 'retry', 'sending']);
  });

  it('a refused number (ESME_RINVDSTADR) is a permanent failure, not retried', async () => {
    let n = 0;
    smsc.onSubmit = () => {
      n++;
      return 'reject_number';
    };
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: 'Số không hợp lệ' });
    expect(await sent(id)).toMatchObject({ status: 'permanent_failure', attempts: 1 });
    await new Promise((r) => setTimeout(r, 800));
    expect(n).toBe(1);
  });

  it('when retries run out the message is visibly a technical failure', async () => {
    smsc.onSubmit = () => 'throttle';
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: 'Luôn bị điều tiết' });
    const m = await sent(id);
    expect(m.status).toBe('technical_failure');
    expect(m.attempts).toBe(4); // the first try and NOTIFY_RETRY_LIMIT=3 retries
    expect(m.error).toContain('smpp_0x58');
  });

  it('a message still sending after 72 hours becomes a temporary failure', async () => {
    const id = await enqueueMessage(t.db, t.config, { to: PHONE, body: 'Không bao giờ có báo nhận' });
    await sent(id);
    await t.ownerDb.updateTable('notifyMessages').set({ sentAt: new Date(Date.now() - 73 * 3600_000) }).where('id', '=', id).execute();
    const r = await sweepMessages(t.db, { sendingTimeoutHours: 72 });
    expect(r.timedOut).toBeGreaterThanOrEqual(1);
    expect(await messageStatus(t.db, id)).toMatchObject({ status: 'temporary_failure' });
    // A receipt arriving after that changes nothing.
    smsc.sendReceipt((await refs(id))[0]!.providerRef, 'DELIVRD');
    await new Promise((r) => setTimeout(r, 300));
    expect((await messageStatus(t.db, id)).status).toBe('temporary_failure');
  });
});
