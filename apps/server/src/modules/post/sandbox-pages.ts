import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sandboxFee, TRACKING_STATUSES, type SandboxPostOffice, type TrackingStatus } from '../../adapters/post/index.ts';
import { AppError } from '../../http/errors.ts';
import { acceptForms, assertSameSite, esc, sendPage } from '../notify/index.ts';
import { STATUS_WORDS } from './status.ts';

const Party = z.object({ name: z.string().min(1).max(200), phone: z.string().max(20).nullable(), address: z.string().min(5).max(500) });
const Order = z.object({
  orderCode: z.string().min(1).max(100), kind: z.enum(['pickup', 'delivery']), sender: Party, receiver: Party,
  weightGrams: z.number().int().min(1).max(30_000), note: z.string().max(500).optional(), callbackUrl: z.url(),
});

/**
 * The sandbox post office, served by this server: its VNPost-style API (`/sandbox/post/api/…`,
 * Bearer token) for our postal adapter, and a page where a tester plays tracking events, which go
 * out as signed webhooks. Registered only when POST_GATEWAY=sandbox.
 */
export function postSandboxRoutes(app: FastifyInstance, office: SandboxPostOffice, token: string) {
  const bearer = (req: FastifyRequest) => {
    if (req.headers.authorization !== `Bearer ${token}`) throw new AppError(401, 'unauthorized', { vi: 'Sai khóa API.', en: 'Bad API token.' });
  };
  app.post('/sandbox/post/api/quotes', { schema: { hide: true } }, async (req) => {
    bearer(req);
    const b = z.object({ kind: z.enum(['pickup', 'delivery']), weightGrams: z.number().int().min(1).max(30_000) }).parse(req.body);
    return { fee: sandboxFee(b.kind, b.weightGrams), etaDays: 2, service: 'Bưu chính công ích (sandbox)' };
  });
  app.post('/sandbox/post/api/orders', { schema: { hide: true } }, async (req, reply) => {
    bearer(req);
    const parsed = Order.safeParse(req.body);
    if (!parsed.success) return reply.status(400).send({ error: 'invalid_order' });
    const p = office.createOrder(parsed.data);
    return reply.status(201).send({ trackingCode: p.trackingCode, fee: p.fee });
  });
  app.post('/sandbox/post/api/orders/:tracking/cancel', { schema: { hide: true } }, async (req, reply) => {
    bearer(req);
    const r = office.cancel((req.params as { tracking: string }).tracking);
    if (r === 'not_found') return reply.status(404).send({ error: 'not_found' });
    if (r === 'not_cancellable') return reply.status(409).send({ error: 'not_cancellable' });
    return { ok: true };
  });

  app.register(async (scope) => {
    acceptForms(scope);
    scope.get('/sandbox/post/', { schema: { hide: true } }, async (_req, reply) => {
      const rows = office.parcels.slice(0, 200).map((p) => {
        const buttons = office.nextStatuses(p).map((s) => `<button name="status" value="${s}">${esc(STATUS_WORDS[s]?.vi ?? s)}</button>`).join('');
        const history = p.events.map((e) => `<li>${esc(new Date(e.at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }))}: ${esc(STATUS_WORDS[e.status]?.vi ?? e.status)} (webhook: ${e.webhookStatus ?? 'lỗi'})</li>`).join('');
        return `<tr><td>${esc(p.trackingCode)}<br><small>${esc(p.order.orderCode)}</small></td><td>${p.order.kind === 'pickup' ? 'Thu gom hồ sơ' : 'Giao kết quả'}</td>
          <td>${esc(p.order.receiver.name)}<br>${esc(p.order.receiver.address)}</td><td>${p.fee.toLocaleString('de-DE')} ₫</td>
          <td>${esc(STATUS_WORDS[p.status]?.vi ?? p.status)}${history ? `<ul>${history}</ul>` : ''}</td>
          <td>${buttons ? `<form method="post" action="/sandbox/post/play"><input type="hidden" name="trackingCode" value="${esc(p.trackingCode)}">
            <label>Ghi chú <input name="note" maxlength="200"></label> ${buttons}</form>` : '—'}</td></tr>`;
      }).join('\n');
      const body = `<p>Bưu cục thử nghiệm: nhận đơn hàng qua API và gửi sự kiện hành trình (webhook có chữ ký) khi bạn bấm nút.</p>
        <table><caption>Bưu gửi (mới nhất trước)</caption>
        <thead><tr><th scope="col">Mã vận đơn</th><th scope="col">Loại</th><th scope="col">Người nhận</th><th scope="col">Cước</th><th scope="col">Trạng thái</th><th scope="col">Phát sự kiện hành trình</th></tr></thead>
        <tbody>${rows || '<tr><td colspan="6">Chưa có bưu gửi nào.</td></tr>'}</tbody></table>`;
      return sendPage(reply, 'Bưu chính công ích (thử nghiệm)', body);
    });
    scope.post('/sandbox/post/play', { schema: { hide: true } }, async (req, reply) => {
      assertSameSite(req);
      const b = (req.body ?? {}) as { trackingCode?: string; status?: string; note?: string };
      if (b.trackingCode && TRACKING_STATUSES.includes(b.status as TrackingStatus)) await office.play(b.trackingCode, b.status as TrackingStatus, b.note?.slice(0, 200) || undefined);
      return reply.redirect('/sandbox/post/', 303);
    });
  });
}
