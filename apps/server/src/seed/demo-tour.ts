/**
 * The demo tour: on a fresh demo database, the demo citizen's account is given two dossiers made
 * through the real API (the same routes, checks, hooks, sandbox gateway and signing as a user's):
 * one resolved with a signed result generated from its procedure's template and returned online,
 * and one whose fee was paid through the sandbox VNPay page, with its signed e-receipt, now in the
 * specialists' queue; with a published answer to a suggestion and a complaint waiting in the
 * department's feedback queue. A new user signing in sees a finished dossier and a paid one at once.
 *
 * The officials act through sessions opened for the tour (no TOTP code is used up, so the demo
 * accounts can sign in right away) and closed at the end. It runs once: when the demo citizen
 * already has a dossier it does nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { renderResultDocument } from '../modules/documents/index.ts';
import { DEMO_CITIZEN, DEMO_OFFICIALS } from './demo-accounts.ts';

const COOKIE = '__Host-motcua_sid';

interface TourSession {
  id: string;
  csrf: string;
}

export interface TourResult {
  resolvedDossierId: string;
  paidDossierId: string;
  paymentId: string;
  /** A suggestion answered and published; a complaint waiting in the department's queue. */
  publishedFeedbackId: string;
  openComplaintId: string;
}

/** Opens a session for `userId` the way sign-in does (the tour's own, revoked at the end). */
async function openSession(db: Db, userId: string): Promise<TourSession & { hash: Buffer }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const hash = createHash('sha256').update(id).digest();
  await db.insertInto('sessions').values({
    idHash: hash, userId, csrfToken: csrf, lastSeenAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), ip: '127.0.0.1', userAgent: 'motcua demo tour',
  }).execute();
  return { id, csrf, hash };
}

/** A one-page paper for the demo dossiers, clearly marked as such. */
async function demoPaper(title: string): Promise<Buffer> {
  return Buffer.from(await renderResultDocument({
    agency: { name: 'Công ty TNHH Ánh Dương (demo)' }, issuedAt: new Date(), title,
    body: 'Giấy tờ mẫu của dữ liệu trình diễn (demo), không có giá trị pháp lý.', signer: { title: 'Người lập', name: DEMO_CITIZEN.fullName },
  }));
}

function multipart(file: Buffer, filename: string, fields: Record<string, string>) {
  const boundary = `----motcua-tour-${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  const payload = Buffer.concat([
    Buffer.from(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
    file, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Runs the tour when the demo citizen has no dossier yet; returns what it made, or null when it
 * had nothing to do. Throws (with the failing call) if a step is refused: the caller logs it.
 */
export async function runDemoTour(app: FastifyInstance, db: Db): Promise<TourResult | null> {
  const citizen = await db.selectFrom('users').select('id').where('phone', '=', DEMO_CITIZEN.phone).where('kind', '=', 'citizen').executeTakeFirst();
  if (!citizen) return null;
  const has = await db.selectFrom('dossiers').select('id').where('applicantUserId', '=', citizen.id).limit(1).executeTakeFirst();
  if (has) return null;
  const byRole = new Map<string, string>();
  for (const o of DEMO_OFFICIALS) {
    const u = await db.selectFrom('users').select('id').where('email', '=', o.email).executeTakeFirst();
    if (u) byRole.set(o.role, u.id);
  }
  const roles = ['reception_officer', 'specialist', 'division_head', 'agency_leader'] as const;
  if (roles.some((r) => !byRole.has(r))) return null;

  const opened: Buffer[] = [];
  const session = async (userId: string) => {
    const s = await openSession(db, userId);
    opened.push(s.hash);
    return s;
  };
  try {
    const me = await session(citizen.id);
    const desk = await session(byRole.get('reception_officer')!);
    const specialist = await session(byRole.get('specialist')!);
    const head = await session(byRole.get('division_head')!);
    const leader = await session(byRole.get('agency_leader')!);

    const call = async <T = Record<string, unknown>>(s: TourSession, method: 'GET' | 'POST', url: string, payload?: unknown, contentType?: string): Promise<T> => {
      const res = await app.inject({
        method, url, remoteAddress: '127.0.0.1',
        headers: { cookie: `${COOKIE}=${s.id}`, ...(method !== 'GET' ? { 'x-csrf-token': s.csrf } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
      if (res.statusCode >= 400) throw new Error(`demo tour: ${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return (res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : res.body) as T;
    };
    const act = (s: TourSession, id: string, body: Record<string, unknown>) => call(s, 'POST', `/api/v1/dossiers/${id}/actions`, body);
    const procedure = async (code: string) => {
      const p = await db.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      return call<{ id: string; components: { id: string; name: string; required: boolean }[] }>(me, 'GET', `/api/v1/procedures/${p.id}`);
    };
    const submit = async (code: string, formData: Record<string, unknown>) => {
      const p = await procedure(code);
      const d = await call<{ id: string }>(me, 'POST', '/api/v1/dossiers', { procedureId: p.id, formData, delivery: { method: 'online' } });
      for (const c of p.components.filter((x) => x.required)) {
        const m = multipart(await demoPaper(c.name), 'giay-to-demo.pdf', { componentId: c.id });
        await call(me, 'POST', `/api/v1/dossiers/${d.id}/files`, m.payload, m.contentType);
      }
      await call(me, 'POST', `/api/v1/dossiers/${d.id}/submit`, {});
      return d.id;
    };
    const person = { applicantName: DEMO_CITIZEN.fullName, personalId: '056090001234', phone: DEMO_CITIZEN.phone, email: DEMO_CITIZEN.email, address: 'Phường Nha Trang, tỉnh Khánh Hòa' };

    // 1. Resolved: its result is generated from the template at approval, signed, returned online.
    const resolved = await submit('2.001176', { ...person, request: 'Đăng ký kết quả đề tài "Ứng dụng cảm biến đo mặn cho ao nuôi tôm" (dữ liệu demo).' });
    await act(desk, resolved, { type: 'receive' });
    await act(desk, resolved, { type: 'forward' });
    await act(specialist, resolved, { type: 'claim' });
    await act(specialist, resolved, { type: 'forward', comment: 'Hồ sơ đầy đủ, đề nghị cấp giấy chứng nhận.' });
    await act(head, resolved, { type: 'forward' });
    await act(leader, resolved, { type: 'approve' });
    await act(desk, resolved, { type: 'mark_result_ready' });
    await act(desk, resolved, { type: 'return_result', method: 'online' });

    // 2. Paid online: the fee due before processing, through the sandbox VNPay page.
    const paid = await submit('1.008388', {
      businessName: 'Phòng khám Ánh Dương (demo)', taxCode: '4201234567', representative: DEMO_CITIZEN.fullName, phone: DEMO_CITIZEN.phone,
      address: 'Phường Nha Trang, tỉnh Khánh Hòa', request: 'Cấp giấy phép sử dụng thiết bị X-quang chẩn đoán (dữ liệu demo).',
    });
    await act(desk, paid, { type: 'receive' });
    const started = await call<{ payment: { id: string }; redirectUrl: string }>(me, 'POST', `/api/v1/dossiers/${paid}/payments/vnpay`, {});
    const url = new URL(started.redirectUrl);
    const page = await app.inject({ method: 'GET', url: url.pathname + url.search });
    const q = /name="q" value="([^"]*)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    if (page.statusCode !== 200 || !q) throw new Error(`demo tour: the sandbox payment page answered ${page.statusCode}`);
    const pay = await app.inject({
      method: 'POST', url: url.pathname.replace(/paymentv2\/vpcpay\.html$/, 'pay'), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ q, outcome: 'paid', bankCode: 'NCB' }).toString(),
    });
    if (pay.statusCode !== 303) throw new Error(`demo tour: the sandbox payment answered ${pay.statusCode}`);
    // The sandbox calls the IPN on its own, as VNPay does: wait for the payment to settle.
    for (let i = 0; i < 100; i++) {
      const row = await db.selectFrom('payments').select('status').where('id', '=', started.payment.id).executeTakeFirstOrThrow();
      if (row.status === 'paid') break;
      if (i === 99) throw new Error('demo tour: the sandbox IPN did not settle the payment');
      await new Promise((r) => setTimeout(r, 100));
    }
    await act(desk, paid, { type: 'forward' });

    // 3. Feedback (PAKN): a suggestion about the resolved dossier, answered and published; a
    //    complaint about the paid one, waiting for the department.
    const suggestion = await call<{ id: string }>(me, 'POST', '/api/v1/feedback', {
      kind: 'feedback', topic: 'dossier', dossierId: resolved, subject: 'Đề nghị gửi kèm bản giấy của giấy chứng nhận',
      content: 'Tôi đã nhận giấy chứng nhận điện tử. Đề nghị Sở cho phép nhận thêm một bản giấy tại bộ phận một cửa khi cần (dữ liệu demo).',
    });
    await call(desk, 'POST', `/api/v1/staff/feedback/${suggestion.id}/actions`, { type: 'accept' });
    await call(desk, 'POST', `/api/v1/staff/feedback/${suggestion.id}/actions`, {
      type: 'answer', text: 'Giấy chứng nhận điện tử có giá trị như bản giấy. Khi cần bản giấy, ông/bà đề nghị tại bộ phận một cửa; bản giấy được cấp trong ngày, không thu phí.',
    });
    await call(head, 'POST', `/api/v1/staff/feedback/${suggestion.id}/actions`, {
      type: 'publish', publicContent: 'Công dân đề nghị được nhận thêm bản giấy của giấy chứng nhận đã cấp điện tử.',
    });
    const complaint = await call<{ id: string }>(me, 'POST', '/api/v1/feedback', {
      kind: 'complaint', topic: 'dossier', dossierId: paid, subject: 'Chưa nhận được tin nhắn xác nhận nộp phí',
      content: 'Tôi đã nộp phí thẩm định qua VNPay nhưng chưa thấy tin nhắn xác nhận, đề nghị kiểm tra (dữ liệu demo).',
    });
    return { resolvedDossierId: resolved, paidDossierId: paid, paymentId: started.payment.id, publishedFeedbackId: suggestion.id, openComplaintId: complaint.id };
  } finally {
    if (opened.length) await db.updateTable('sessions').set({ revokedAt: new Date() }).where('idHash', 'in', opened).execute();
  }
}
