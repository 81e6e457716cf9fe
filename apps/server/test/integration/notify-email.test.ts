/**
 * The demo flow end to end: dossier actions write their messages in the same transaction, the
 * in-process dispatcher sends them, the sandbox SMTP server catches the email (subject and body
 * right) and the sandbox SMSC the SMS; officials get in-app messages for their queues; the
 * citizen's channel choices are honoured; administrators reword templates with preview and history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { buildProcedure, multipart, pdfBytes, type BuiltProcedure } from '../factories.ts';
import { safeJson, signInCitizen, signInOfficial, type Client } from '../helpers.ts';
import { createMessagingApp, enqueueMessage, waitFor, type MessagingApp } from './notify.harness.ts';

let t: MessagingApp;
let proc: BuiltProcedure;
let citizen: Client;
let desk: Client;

beforeAll(async () => {
  t = await createMessagingApp();
  proc = await buildProcedure(t.ownerDb);
  citizen = await signInCitizen(t.app);
  desk = await signInOfficial(t.app, 'reception_officer');
});
afterAll(() => t.close());

async function submitted(): Promise<string> {
  const d = safeJson((await citizen.post('/api/v1/dossiers', { procedureId: proc.id, formData: { businessName: 'Tạp hóa An Bình' } })).body);
  for (const c of proc.componentIds) {
    const m = multipart(pdfBytes(c), 'giay.pdf', { componentId: c });
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/files`, payload: m.payload, headers: { ...m.headers, cookie: citizen.cookie!, 'x-csrf-token': citizen.csrf! } });
    expect(up.statusCode).toBe(201);
  }
  expect((await citizen.post(`/api/v1/dossiers/${d.id}/submit`)).statusCode).toBe(201);
  return d.id;
}

describe('dossier actions notify the applicant and the officials', () => {
  it('reception: an email with the code and appointment is caught by the sandbox SMTP server, and an SMS reaches the SMSC', async () => {
    const id = await submitted();
    const inbox = safeJson((await desk.get('/api/v1/me/messages?unread=true')).body);
    expect(inbox.items.map((m: { subject: string }) => m.subject)).toContain('Hồ sơ mới chờ tiếp nhận');
    const received = safeJson((await desk.post(`/api/v1/dossiers/${id}/actions`, { type: 'receive' })).body);
    const code: string = received.code;
    const mail = await waitFor(async () => t.app.sandboxes!.smtp!.mails.find((m) => m.subject === `Đã tiếp nhận hồ sơ ${code}`), 10_000, 'email');
    expect(mail.to).toEqual([DEMO_CITIZEN.email]);
    expect(mail.text).toContain(`Mã hồ sơ: ${code}`);
    expect(mail.text).toMatch(/Ngày hẹn trả kết quả: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(mail.text).toContain(`Kính gửi ${DEMO_CITIZEN.fullName}`);
    expect(mail.text).toContain('Trung tâm Phục vụ hành chính công');
    const sms = await waitFor(async () => t.app.sandboxes!.smsc!.messages.find((m) => m.text.includes(`Hồ sơ ${code}`) && m.complete), 10_000, 'SMS');
    expect(sms.to).toBe(`84${DEMO_CITIZEN.phone.slice(1)}`);
    expect(sms.text).toContain('đã được tiếp nhận. Hẹn trả kết quả:');
    const rows = await t.db.selectFrom('notifyMessages').select(['event', 'channel', 'status']).where('dossierId', '=', id).execute();
    expect(rows.filter((r) => r.event === 'dossier.received').map((r) => r.channel).sort()).toEqual(['email', 'in_app', 'sms']);
    const mine = safeJson((await citizen.get('/api/v1/me/messages')).body);
    expect(mine.items.some((m: { subject: string }) => m.subject === `Đã tiếp nhận hồ sơ ${code}`)).toBe(true);
    const read = mine.items[0].id;
    expect((await citizen.post(`/api/v1/me/messages/${read}/read`)).statusCode).toBe(204);
    expect((await desk.post(`/api/v1/me/messages/${read}/read`)).statusCode).toBe(404);
  });

  it('the citizen\'s channel choices are honoured', async () => {
    const put = await citizen.req('PUT', '/api/v1/me/notification-preferences', { sms: false, email: false, inApp: true, locale: 'en' });
    expect(put.statusCode).toBe(200);
    const id = await submitted();
    await desk.post(`/api/v1/dossiers/${id}/actions`, { type: 'request_supplement_before_reception', reasons: ['Thiếu bản sao CCCD'] });
    const rows = await t.db.selectFrom('notifyMessages').select(['event', 'channel', 'subject']).where('dossierId', '=', id).where('event', '=', 'dossier.supplement_requested').execute();
    expect(rows).toEqual([{ event: 'dossier.supplement_requested', channel: 'in_app', subject: expect.stringContaining('needs papers') }]);
    await citizen.req('PUT', '/api/v1/me/notification-preferences', { sms: true, email: true, inApp: true, locale: 'vi' });
  });
});

describe('templates and message history', () => {
  it('administrators reword a template with preview and history; unknown variables are refused; the new words are used', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const url = '/api/v1/admin/notify/templates/dossier.received/sms/vi';
    const bad = await admin.req('PUT', url, { body: 'Hồ sơ {{ma_ho_so}} đã nhận' });
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields[0].path).toBe('body.body');
    const preview = safeJson((await admin.post('/api/v1/admin/notify/templates/preview', { event: 'dossier.received', channel: 'sms', locale: 'vi', body: 'TTHCC: hồ sơ {{code}} hẹn trả {{appointment}}.' })).body);
    expect(preview).toMatchObject({ body: 'TTHCC: hồ sơ 000.00.12.H56-260105-0001 hẹn trả 15/01/2026 16:00.', sms: { encoding: 'ucs2', parts: 1 } });
    const saved = await admin.req('PUT', url, { body: 'TTHCC: hồ sơ {{code}} hẹn trả {{appointment}}.', expectedVersion: 0 });
    expect(safeJson(saved.body)).toEqual({ version: 1 });
    expect((await admin.req('PUT', url, { body: 'Cũ', expectedVersion: 0 })).statusCode).toBe(409);
    const list = safeJson((await admin.get('/api/v1/admin/notify/templates')).body);
    expect(list.items.find((x: { event: string; channel: string; locale: string }) => x.event === 'dossier.received' && x.channel === 'sms' && x.locale === 'vi')).toMatchObject({ isDefault: false, version: 1 });
    const id = await submitted();
    const code = safeJson((await desk.post(`/api/v1/dossiers/${id}/actions`, { type: 'receive' })).body).code;
    const sms = await t.db.selectFrom('notifyMessages').select('body').where('dossierId', '=', id).where('event', '=', 'dossier.received').where('channel', '=', 'sms').executeTakeFirstOrThrow();
    expect(sms.body).toMatch(new RegExp(`^TTHCC: hồ sơ ${code.replace(/\./g, '\\.')} hẹn trả \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\.$`));
    expect(safeJson((await admin.req('DELETE', url)).body)).toEqual({ version: 2 });
    const history = safeJson((await admin.get(`${url}/history`)).body);
    expect(history.items.map((h: { version: number; body: string | null }) => [h.version, h.body === null])).toEqual([[2, true], [1, false]]);
    const audit = await t.db.selectFrom('auditLog').select('action').where('action', 'like', 'notify.template%').execute();
    expect(audit.map((a) => a.action)).toEqual(['notify.template_changed', 'notify.template_reset']);
  });

  it('support staff see every message with its history; citizens and other officials do not', async () => {
    const support = await signInOfficial(t.app, 'support_agent');
    const list = safeJson((await support.get(`/api/v1/staff/messages?recipient=${DEMO_CITIZEN.phone}&channel=sms`)).body);
    expect(list.total).toBeGreaterThan(0);
    const detail = safeJson((await support.get(`/api/v1/staff/messages/${list.items[0].id}`)).body);
    expect(detail.events.map((e: { status: string }) => e.status)).toContain('queued');
    expect((await citizen.get('/api/v1/staff/messages')).statusCode).toBe(403);
    expect((await desk.get(`/api/v1/staff/messages/${list.items[0].id}`)).statusCode).toBe(403);
  });

  it('an official writing to applicants is limited per minute: 429, and nothing is written past the limit', async () => {
    const id = await submitted();
    const before = await t.db.selectFrom('notifyMessages').select((eb) => eb.fn.countAll<string>().as('n')).where('event', '=', 'staff.message').executeTakeFirstOrThrow();
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push((await desk.post(`/api/v1/dossiers/${id}/messages`, { message: `Tin nhắn ${i}` })).statusCode);
    expect(answers.filter((s) => s === 202)).toHaveLength(10);
    expect(answers.slice(10)).toEqual([429, 429]);
    const after = await t.db.selectFrom('notifyMessages').select((eb) => eb.fn.countAll<string>().as('n')).where('event', '=', 'staff.message').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(10 * 3);
  });

  it('an email goes out once over SMTP with its Vietnamese subject and body, under its own Message-ID', async () => {
    const id = await enqueueMessage(t.db, t.config, { channel: 'email', to: 'congdan@demo.motcua.vn', subject: 'Thử thư', body: 'Nội dung thư thử nghiệm có dấu: Khánh Hòa' });
    const m = await waitFor(async () => {
      const x = await t.db.selectFrom('notifyMessages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return x.status !== 'queued' ? x : undefined;
    }, 10_000, 'email sent');
    expect(m.status).toBe('sent');
    const caught = t.app.sandboxes!.smtp!.mails.find((x) => x.messageId === `<${id}@motcua.local>`)!;
    expect(caught).toMatchObject({ subject: 'Thử thư', text: 'Nội dung thư thử nghiệm có dấu: Khánh Hòa' });
  });
});
