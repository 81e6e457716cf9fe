import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, CreateShipmentBody, Quote, QuoteBody, Shipment, ShipmentList, TrackingWebhook } from '@motcua/contracts';
import { GatewayError, verifyWebhook } from '../../adapters/post/index.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { writeAudit } from '../audit/index.ts';
import { assertCanView, loadDossier, rolesCovering } from '../dossier/index.ts';
import { normalisePhone } from '../identity/validators.ts';
import { keepRawJson, rawBodyOf } from '../notify/index.ts';
import { applyTracking, requestShipment, shipmentsOf, type PostDeps } from './post.service.ts';
import { OPEN_SHIPMENT } from './status.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const PICKUP_STATES = ['draft', 'submitted', 'awaiting_supplement_before_reception', 'waiting_supplement'];
const DELIVERY_STATES = ['approved', 'result_ready'];
/** The applicant asks for the result by post once it is ready for handover. */
const APPLICANT_DELIVERY_STATES = ['result_ready'];

const postUnavailable = () => new AppError(503, 'post_unavailable', { vi: 'Dịch vụ bưu chính tạm thời không liên lạc được, vui lòng thử lại sau.', en: 'The postal service cannot be reached; try again later.' });

export function postRoutes(app: FastifyInstance, deps: AppDeps, post: PostDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  async function dossierFor(req: Parameters<typeof requireActor>[0], id: string) {
    const actor = requireActor(req);
    const l = await loadDossier(db, post.calendar, id);
    if (!l) throw notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });
    const viewer = await assertCanView(db, actor, l);
    const desk = viewer === 'official' && (await rolesCovering(db, actor, l.row.receivingAgencyId)).has('reception_officer');
    return { actor, l, viewer, desk };
  }

  r.post('/api/v1/post/quote', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['post'], summary: 'Postage for a pickup or a delivery by public post (bưu chính công ích)', body: QuoteBody, response: { 200: Quote, 400: ApiError, 429: ApiError, 503: ApiError } },
  }, async (req) => {
    if (!post.port) throw postUnavailable();
    try {
      const from = req.body.kind === 'pickup' ? req.body.address : deps.config.POST_CENTRE_ADDRESS;
      const to = req.body.kind === 'pickup' ? deps.config.POST_CENTRE_ADDRESS : req.body.address;
      return await post.port.quote({ kind: req.body.kind, from, to, weightGrams: req.body.weightGrams });
    } catch (err) {
      if (err instanceof GatewayError) throw postUnavailable();
      throw err;
    }
  });

  r.get('/api/v1/dossiers/:id/shipments', {
    schema: { tags: ['post'], summary: 'The dossier\'s postal shipments and their tracking (its applicant or the officials handling it)', params: z.object({ id: z.string() }), response: { 200: ShipmentList, ...errors } },
  }, async (req, reply) => {
    const { l } = await dossierFor(req, req.params.id);
    reply.header('cache-control', 'no-store');
    return { items: await shipmentsOf(db, l.row.id) };
  });

  r.post('/api/v1/dossiers/:id/shipments', {
    schema: {
      tags: ['post'],
      summary: 'Order a pickup of the papers (applicant or desk, before processing) or a delivery of the result (desk once approved; the applicant once the result is ready, when the procedure offers the post); booked in the background',
      params: z.object({ id: z.string() }), body: CreateShipmentBody, response: { 201: Shipment, ...errors },
    },
  }, async (req, reply) => {
    const { actor, l, viewer, desk } = await dossierFor(req, req.params.id);
    if (!post.port) throw postUnavailable();
    const b = req.body;
    if (viewer !== 'owner' && !desk) throw forbidden();
    const allowed = b.kind === 'pickup' ? PICKUP_STATES : desk ? DELIVERY_STATES : APPLICANT_DELIVERY_STATES;
    if (!allowed.includes(l.view.status))
      throw conflict('shipment_not_allowed', {
        vi: b.kind === 'pickup' ? 'Chỉ đặt thu gom hồ sơ trước khi hồ sơ được xử lý.' : 'Chỉ gửi kết quả khi hồ sơ đã có kết quả.',
        en: b.kind === 'pickup' ? 'Papers can be collected only before processing.' : 'The result can be sent only once it is ready.',
      });
    if (b.kind === 'delivery' && !desk) {
      const procedure = await db.selectFrom('procedures').select('methods').where('id', '=', l.row.procedureId).executeTakeFirst();
      if (!procedure?.methods.includes('post'))
        throw conflict('post_not_offered', { vi: 'Thủ tục này không trả kết quả qua bưu điện; vui lòng nhận tại bộ phận một cửa.', en: 'This procedure does not return results by post; please collect it at the counter.' });
    }
    let phone = l.row.applicantPhone;
    if (b.recipientPhone) {
      phone = normalisePhone(b.recipientPhone);
      if (!phone) throw fieldError('body.recipientPhone', 'Số điện thoại không hợp lệ.', 'Invalid phone number.');
    }
    const address = b.address ?? (b.kind === 'delivery' ? (l.row.delivery.address ?? l.row.applicantAddress) : l.row.applicantAddress);
    if (!address) throw new AppError(400, 'validation_failed', { vi: 'Cần địa chỉ.', en: 'An address is required.' }, [{ path: 'body.address', message: { vi: 'Cần địa chỉ.', en: 'An address is required.' } }]);
    const row = await db.transaction().execute(async (tx) => {
      const open = await tx.selectFrom('postShipments').select('id').where('dossierId', '=', l.row.id).where('kind', '=', b.kind).where('status', 'in', [...OPEN_SHIPMENT]).executeTakeFirst();
      if (open) throw conflict('shipment_open', { vi: 'Hồ sơ đã có một bưu gửi loại này đang thực hiện.', en: 'The dossier already has a shipment of this kind under way.' });
      const s = await requestShipment(tx, post, {
        dossierId: l.row.id, kind: b.kind, recipientName: l.row.applicantName, recipientPhone: phone, address,
        weightGrams: b.weightGrams, note: b.note ?? null, createdBy: actor.userId, provider: post.port!.name,
      });
      await writeAudit(tx, auditCtx(req), { action: 'post.shipment_requested', objectType: 'dossier', objectId: l.row.id, details: { shipmentId: s.id, kind: b.kind } });
      return s;
    });
    const [s] = (await shipmentsOf(db, l.row.id)).filter((x) => x.id === row.id);
    return reply.status(201).send(s!);
  });

  r.post('/api/v1/dossiers/:id/shipments/:shipmentId/cancel', {
    schema: { tags: ['post'], summary: 'Cancel a shipment the post office has not taken in yet', params: z.object({ id: z.string(), shipmentId: z.string() }), response: { 200: Shipment, ...errors, 503: ApiError } },
  }, async (req) => {
    const { l, viewer, desk } = await dossierFor(req, req.params.id);
    if (!/^[0-9a-f-]{36}$/i.test(req.params.shipmentId)) throw notFound();
    const s = await db.selectFrom('postShipments').selectAll().where('id', '=', req.params.shipmentId).where('dossierId', '=', l.row.id).executeTakeFirst();
    if (!s) throw notFound();
    if (!desk && !(viewer === 'owner' && s.kind === 'pickup')) throw forbidden();
    const notCancellable = () => conflict('not_cancellable', { vi: 'Bưu gửi đã được bưu điện nhận, không hủy được nữa.', en: 'The post office has taken the parcel in: it can no longer be cancelled.' });
    if (!['requested', 'created'].includes(s.status)) throw notCancellable();
    if (s.status === 'created' && s.trackingCode) {
      if (!post.port) throw postUnavailable();
      try {
        await post.port.cancel(s.trackingCode);
      } catch (err) {
        if (err instanceof GatewayError && err.kind === 'permanent') throw notCancellable();
        if (err instanceof GatewayError) throw postUnavailable();
        throw err;
      }
    }
    await db.transaction().execute(async (tx) => {
      const done = await tx.updateTable('postShipments').set({ status: 'cancelled', updatedAt: new Date(), statusAt: new Date() })
        .where('id', '=', s.id).where('status', 'in', ['requested', 'created']).returning('id').executeTakeFirst();
      if (!done) throw notCancellable();
      await writeAudit(tx, auditCtx(req), { action: 'post.shipment_cancelled', objectType: 'dossier', objectId: l.row.id, details: { shipmentId: s.id } });
    });
    return (await shipmentsOf(db, l.row.id)).find((x) => x.id === s.id)!;
  });

  app.register(async (scope) => {
    keepRawJson(scope);
    scope.withTypeProvider<ZodTypeProvider>().post('/api/v1/post/webhook', {
      schema: {
        tags: ['post'], summary: 'Tracking webhook of the postal provider, signed: x-post-timestamp and x-post-signature = hex HMAC-SHA256(secret, "<timestamp>.<raw body>")',
        body: TrackingWebhook, response: { 200: z.object({ outcome: z.enum(['applied', 'ignored', 'duplicate', 'unknown']) }), 400: ApiError, 401: ApiError, 404: ApiError },
      },
    }, async (req) => {
      if (!post.port) throw notFound();
      const ok = verifyWebhook(deps.config.POST_WEBHOOK_SECRET, { timestamp: req.headers['x-post-timestamp'], signature: req.headers['x-post-signature'] }, rawBodyOf(req));
      if (!ok) {
        req.log.warn({ trackingCode: req.body.trackingCode }, 'postal webhook with a bad signature refused');
        throw new AppError(401, 'bad_signature', { vi: 'Chữ ký không hợp lệ.', en: 'Invalid signature.' });
      }
      const ctx = { ...auditCtx(req), actorName: 'Bưu chính công ích' };
      const outcome = await applyTracking(db, post, ctx, req.body, (msg, obj) => req.log.warn(obj ?? {}, msg));
      if (outcome === 'unknown') req.log.warn({ trackingCode: req.body.trackingCode }, 'tracking event for an unknown shipment ignored');
      return { outcome };
    });
  });
}
