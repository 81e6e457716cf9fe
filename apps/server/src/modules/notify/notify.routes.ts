import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  ApiError, InboxList, MessageDetail, MessageList, MessageQuery, NotificationPreferences, NotifyChannel, NotifyLocale,
  NotifyTemplateList, PreviewTemplateBody, SaveTemplateBody, StaffMessageBody, TemplateHistory, TemplatePreview,
} from '@motcua/contracts';
import { splitSms, toMsisdn, httpReceiptState } from '../../adapters/sms/index.ts';
import type { DbOrTx } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { assertCanView, loadDossier } from '../dossier/index.ts';
import { can, scopeRoots } from '../policy/index.ts';
import { applyReceipt } from './dispatch.ts';
import { EVENT_NAMES, EVENTS, eventChannels, LOCALES, SAMPLE_VARIABLES, type Channel, type EventName, type Locale } from './events.ts';
import { keepRawJson, rawBodyOf } from './raw-body.ts';
import { citizenRecipient, emit, type NotifyDeps } from './notify.service.ts';
import { defaultTemplate, loadTemplates, malformedBraces, pickTemplate, render, unknownPlaceholders } from './templates.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const isUuid = (s: string) => /^[0-9a-f-]{36}$/i.test(s);
const iso = (d: Date | null) => d?.toISOString() ?? null;

export interface NotifyServices {
  calendar: CalendarService;
  notify: NotifyDeps;
}

function messageRow(m: {
  id: string; event: string; channel: 'sms' | 'email' | 'in_app'; status: string; dossierId: string | null; dossierCode: string | null; recipient: string | null;
  recipientUserId: string | null; subject: string | null; body: string; provider: string | null; attempts: number; smsParts: number | null;
  error: string | null; createdAt: Date; sentAt: Date | null; doneAt: Date | null;
}) {
  return {
    id: m.id, event: m.event, channel: m.channel, status: m.status as never, dossierId: m.dossierId, dossierCode: m.dossierCode, recipient: m.recipient,
    recipientUserId: m.recipientUserId, subject: m.subject, body: m.body, provider: m.provider, attempts: m.attempts,
    smsParts: m.smsParts, error: m.error, createdAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt), doneAt: iso(m.doneAt),
  };
}

async function templateVersion(db: DbOrTx, event: string, channel: string, locale: string): Promise<number> {
  const r = await db.selectFrom('notifyTemplateHistory').select((eb) => eb.fn.max<number>('version').as('v'))
    .where('event', '=', event).where('channel', '=', channel).where('locale', '=', locale).executeTakeFirst();
  return Number(r?.v ?? 0);
}

function checkKey(event: string, channel: Channel): EventName {
  if (!(EVENT_NAMES as string[]).includes(event)) throw notFound({ vi: 'Không có loại thông báo này.', en: 'No such notification event.' });
  if (!eventChannels(event as EventName).includes(channel)) throw notFound({ vi: 'Loại thông báo này không gửi qua kênh đã chọn.', en: 'This event is not sent on that channel.' });
  return event as EventName;
}

export function notifyRoutes(app: FastifyInstance, deps: AppDeps, services: NotifyServices) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;

  // ---------------------------------------------------------------- my preferences and inbox

  r.get('/api/v1/me/notification-preferences', {
    schema: { tags: ['notifications'], summary: 'Channels I get news of my dossiers by', response: { 200: NotificationPreferences, 401: ApiError } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    reply.header('cache-control', 'no-store');
    const p = await db.selectFrom('notifyPreferences').select(['sms', 'email', 'inApp', 'locale']).where('userId', '=', actor.userId).executeTakeFirst();
    return p ?? { sms: true, email: true, inApp: true, locale: 'vi' as const };
  });

  r.put('/api/v1/me/notification-preferences', {
    schema: { tags: ['notifications'], summary: 'Choose the channels (SMS, email, in-app) and language of my notifications', body: NotificationPreferences, response: { 200: NotificationPreferences, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    const b = req.body;
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('notifyPreferences').values({ userId: actor.userId, ...b, updatedAt: new Date() })
        .onConflict((oc) => oc.column('userId').doUpdateSet({ ...b, updatedAt: new Date() })).execute();
      await writeAudit(tx, auditCtx(req), { action: 'notify.preferences_changed', objectType: 'user', objectId: actor.userId, details: b });
    });
    return b;
  });

  r.get('/api/v1/me/messages', {
    schema: {
      tags: ['notifications'], summary: 'My in-app messages, newest first (officials: news of their queues)',
      querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: InboxList, 401: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    reply.header('cache-control', 'no-store');
    let q = db.selectFrom('notifyMessages').where('recipientUserId', '=', actor.userId).where('channel', '=', 'in_app');
    if (req.query.unread === 'true') q = q.where('readAt', 'is', null);
    const [items, counts] = await Promise.all([
      q.select(['id', 'event', 'subject', 'body', 'dossierId', 'createdAt', 'readAt']).orderBy('createdAt', 'desc').orderBy('id').limit(req.query.limit).offset(req.query.offset).execute(),
      db.selectFrom('notifyMessages').where('recipientUserId', '=', actor.userId).where('channel', '=', 'in_app')
        .select([sql<number>`count(*)::int`.as('total'), sql<number>`count(*) FILTER (WHERE read_at IS NULL)::int`.as('unread')]).executeTakeFirstOrThrow(),
    ]);
    return {
      items: items.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), readAt: iso(m.readAt) })),
      total: req.query.unread === 'true' ? counts.unread : counts.total,
      unread: counts.unread,
    };
  });

  r.post('/api/v1/me/messages/:id/read', {
    schema: { tags: ['notifications'], summary: 'Mark one of my in-app messages read', params: z.object({ id: z.string() }), response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!isUuid(req.params.id)) throw notFound();
    const m = await db.updateTable('notifyMessages').set({ readAt: sql`coalesce(read_at, now())` as never })
      .where('id', '=', req.params.id).where('recipientUserId', '=', actor.userId).where('channel', '=', 'in_app').returning('id').executeTakeFirst();
    if (!m) throw notFound();
    return reply.status(204).send(null);
  });

  // ---------------------------------------------------------------- support staff: message history

  /** Agencies whose messages `actor` may read (their subtrees). */
  async function messageScope(actor: ReturnType<typeof requireActor>): Promise<string[]> {
    if (!can(actor, 'notify.messages.read')) throw forbidden();
    return subtreeIds(db, scopeRoots(actor, 'notify.messages.read'));
  }

  r.get('/api/v1/staff/messages', {
    schema: { tags: ['notifications'], summary: 'Message history (support staff): every SMS, email and in-app message with its status', querystring: MessageQuery, response: { 200: MessageList, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await messageScope(actor);
    reply.header('cache-control', 'no-store');
    if (scope.length === 0) return { items: [], total: 0 };
    const qy = req.query;
    if (qy.from && qy.to && qy.from > qy.to) throw fieldError('querystring.to', 'Ngày kết thúc phải sau ngày bắt đầu.', 'The last day must not be before the first.');
    let q = db.selectFrom('notifyMessages as m').leftJoin('dossiers as d', 'd.id', 'm.dossierId').where('m.agencyId', 'in', scope);
    if (qy.dossierId) q = q.where('m.dossierId', '=', qy.dossierId);
    if (qy.code) q = q.where('d.code', 'in', [...new Set([qy.code, qy.code.toUpperCase()])]);
    if (qy.status) q = q.where('m.status', '=', qy.status);
    if (qy.channel) q = q.where('m.channel', '=', qy.channel);
    if (qy.recipient) {
      const phone = toMsisdn(qy.recipient);
      q = q.where('m.recipient', '=', phone ?? qy.recipient.toLowerCase());
    }
    // Local days of the province: [from 00:00, the day after `to` 00:00).
    const dayStart = (d: string) => new Date(`${d}T00:00:00${config.WORK_UTC_OFFSET}`);
    if (qy.from) q = q.where('m.createdAt', '>=', dayStart(qy.from));
    if (qy.to) q = q.where('m.createdAt', '<', new Date(dayStart(qy.to).getTime() + 86_400_000));
    const [rows, count] = await Promise.all([
      q.selectAll('m').select('d.code as dossierCode').orderBy('m.createdAt', 'desc').orderBy('m.id').limit(qy.limit).offset(qy.offset).execute(),
      q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    // Support staff reading phone numbers and emails is a read of personal data: audited.
    await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), {
      action: 'notify.messages_listed', objectType: 'dossier', objectId: qy.dossierId ?? (qy.code ? (rows[0]?.dossierId ?? null) : null),
      details: { count: rows.length, ...(qy.code ? { code: qy.code } : {}) },
    }));
    return { items: rows.map(messageRow), total: count.n };
  });

  r.get('/api/v1/staff/messages/:id', {
    schema: { tags: ['notifications'], summary: 'One message with its history: attempts, hand-over, receipts, failures', params: z.object({ id: z.string() }), response: { 200: MessageDetail, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await messageScope(actor);
    if (!isUuid(req.params.id) || scope.length === 0) throw notFound();
    const m = await db.selectFrom('notifyMessages as m').leftJoin('dossiers as d', 'd.id', 'm.dossierId').selectAll('m').select('d.code as dossierCode')
      .where('m.id', '=', req.params.id).where('m.agencyId', 'in', scope).executeTakeFirst();
    if (!m) throw notFound();
    const events = await db.selectFrom('notifyMessageEvents').select(['at', 'status', 'detail']).where('messageId', '=', m.id).orderBy('id').execute();
    await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'notify.message_viewed', objectType: 'message', objectId: m.id }));
    reply.header('cache-control', 'no-store');
    return { ...messageRow(m), events: events.map((e) => ({ ...e, at: e.at.toISOString() })) };
  });

  // ---------------------------------------------------------------- officials write to an applicant

  r.post('/api/v1/dossiers/:id/messages', {
    config: {
      rateLimit: {
        max: config.NOTIFY_STAFF_MESSAGES_PER_MINUTE, timeWindow: '1 minute',
        keyGenerator: (req) => `staff-message:${req.actor?.userId ?? req.ip}`,
      },
    },
    schema: {
      tags: ['notifications'], summary: 'Write to the dossier\'s applicant by the channels they chose (officials handling it); 429 past the per-minute limit',
      params: z.object({ id: z.string() }), body: StaffMessageBody, response: { 202: z.object({ messages: z.number() }), ...errors, 429: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'official') throw forbidden();
    const l = await loadDossier(db, services.calendar, req.params.id);
    if (!l) throw notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });
    if ((await assertCanView(db, actor, l)) !== 'official') throw forbidden();
    const agency = await db.selectFrom('agencies').select('name').where('id', '=', l.row.receivingAgencyId).executeTakeFirst();
    const n = await db.transaction().execute(async (tx) => {
      const recipient = await citizenRecipient(tx, { userId: l.row.applicantUserId, phone: l.row.applicantPhone, email: l.row.applicantEmail });
      const count = await emit(tx, services.notify, {
        event: 'staff.message', cause: `staff:${req.id}`, dossierId: l.row.id, agencyId: l.row.receivingAgencyId,
        vars: { code: l.view.code ?? '', agency: agency?.name, message: req.body.message, applicant: l.row.applicantName }, recipients: [recipient],
      });
      await writeAudit(tx, auditCtx(req), { action: 'notify.staff_message', objectType: 'dossier', objectId: l.row.id, details: { messages: count } });
      return count;
    });
    return reply.status(202).send({ messages: n });
  });

  // ---------------------------------------------------------------- administrators: templates

  const Key = z.object({ event: z.string().max(60), channel: NotifyChannel, locale: NotifyLocale });
  const manage = (req: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(req);
    if (!can(actor, 'notify.templates.manage')) throw forbidden();
    return actor;
  };

  r.get('/api/v1/admin/notify/templates', {
    schema: { tags: ['notifications'], summary: 'Every message template in force (built-in or reworded), per event, channel and language', response: { 200: NotifyTemplateList, ...errors } },
  }, async (req) => {
    manage(req);
    const rows = await db.selectFrom('notifyTemplates').selectAll().execute();
    const versions = await db.selectFrom('notifyTemplateHistory').select(['event', 'channel', 'locale', (eb) => eb.fn.max<number>('version').as('v')]).groupBy(['event', 'channel', 'locale']).execute();
    const items = [];
    for (const event of EVENT_NAMES) {
      for (const channel of eventChannels(event)) {
        for (const locale of LOCALES) {
          const o = rows.find((x) => x.event === event && x.channel === channel && x.locale === locale);
          const d = defaultTemplate(event, channel, locale)!;
          const v = versions.find((x) => x.event === event && x.channel === channel && x.locale === locale);
          items.push({
            event, description: EVENTS[event].description, audience: EVENTS[event].audience, channel, locale,
            subject: o ? o.subject : d.subject, body: o ? o.body : d.body, isDefault: !o, version: Number(v?.v ?? 0),
            variables: [...EVENTS[event].variables], updatedAt: iso(o?.updatedAt ?? null),
          });
        }
      }
    }
    return { items };
  });

  r.put('/api/v1/admin/notify/templates/:event/:channel/:locale', {
    schema: { tags: ['notifications'], summary: 'Reword a template (placeholders from the event\'s list only); kept in its history', params: Key, body: SaveTemplateBody, response: { 200: z.object({ version: z.number() }), ...errors } },
  }, async (req) => {
    const actor = manage(req);
    const { channel, locale } = req.params;
    const event = checkKey(req.params.event, channel);
    const b = req.body;
    if (channel === 'sms' && b.subject !== undefined) throw fieldError('body.subject', 'Tin nhắn SMS không có tiêu đề.', 'SMS has no subject.');
    if (channel !== 'sms' && !b.subject) throw fieldError('body.subject', 'Cần tiêu đề.', 'A subject is required.');
    for (const [field, text] of [['body.body', b.body], ['body.subject', b.subject ?? '']] as const) {
      const unknown = unknownPlaceholders(event, text);
      if (unknown.length) throw fieldError(field, `Biến không có trong danh sách của loại thông báo này: ${unknown.join(', ')}.`, `Unknown variables for this event: ${unknown.join(', ')}.`);
      if (malformedBraces(text)) throw fieldError(field, 'Dấu ngoặc {{ }} chưa đúng.', 'Unbalanced {{ }} braces.');
    }
    if (channel === 'sms' && splitSms(render(b.body, SAMPLE_VARIABLES)).parts.length > 6)
      throw fieldError('body.body', 'Tin nhắn quá dài (quá 6 phần SMS với dữ liệu mẫu).', 'Too long: more than 6 SMS parts with the sample data.');
    const version = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${event}:${channel}:${locale}`}))`.execute(tx);
      const current = await templateVersion(tx, event, channel, locale);
      if (b.expectedVersion !== undefined && b.expectedVersion !== current)
        throw conflict('template_changed', { vi: 'Mẫu vừa được người khác sửa. Vui lòng tải lại.', en: 'Someone else has just changed this template. Reload it.' });
      const next = current + 1;
      const values = { subject: b.subject ?? null, body: b.body, version: next, updatedBy: actor.userId, updatedAt: new Date() };
      await tx.insertInto('notifyTemplates').values({ event, channel, locale, ...values }).onConflict((oc) => oc.columns(['event', 'channel', 'locale']).doUpdateSet(values)).execute();
      await tx.insertInto('notifyTemplateHistory').values({ event, channel, locale, version: next, subject: values.subject, body: b.body, changedBy: actor.userId }).execute();
      await writeAudit(tx, auditCtx(req), { action: 'notify.template_changed', objectType: 'notify_template', objectId: `${event}/${channel}/${locale}`, details: { version: next } });
      return next;
    });
    return { version };
  });

  r.delete('/api/v1/admin/notify/templates/:event/:channel/:locale', {
    schema: { tags: ['notifications'], summary: 'Go back to the built-in text (kept in the history)', params: Key, response: { 200: z.object({ version: z.number() }), ...errors } },
  }, async (req) => {
    const actor = manage(req);
    const { channel, locale } = req.params;
    const event = checkKey(req.params.event, channel);
    const version = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${event}:${channel}:${locale}`}))`.execute(tx);
      const gone = await tx.deleteFrom('notifyTemplates').where('event', '=', event).where('channel', '=', channel).where('locale', '=', locale).returning('version').executeTakeFirst();
      const current = await templateVersion(tx, event, channel, locale);
      if (!gone) return current;
      await tx.insertInto('notifyTemplateHistory').values({ event, channel, locale, version: current + 1, subject: null, body: null, changedBy: actor.userId }).execute();
      await writeAudit(tx, auditCtx(req), { action: 'notify.template_reset', objectType: 'notify_template', objectId: `${event}/${channel}/${locale}`, details: { version: current + 1 } });
      return current + 1;
    });
    return { version };
  });

  r.get('/api/v1/admin/notify/templates/:event/:channel/:locale/history', {
    schema: { tags: ['notifications'], summary: 'Every version of a template, newest first', params: Key, response: { 200: TemplateHistory, ...errors } },
  }, async (req) => {
    manage(req);
    const event = checkKey(req.params.event, req.params.channel);
    const rows = await db.selectFrom('notifyTemplateHistory as h').leftJoin('users as u', 'u.id', 'h.changedBy')
      .select(['h.version', 'h.subject', 'h.body', 'u.fullName as changedBy', 'h.changedAt'])
      .where('h.event', '=', event).where('h.channel', '=', req.params.channel).where('h.locale', '=', req.params.locale).orderBy('h.version', 'desc').execute();
    return { items: rows.map((x) => ({ ...x, changedAt: x.changedAt.toISOString() })) };
  });

  r.post('/api/v1/admin/notify/templates/preview', {
    schema: { tags: ['notifications'], summary: 'Render a template (saved or not) with sample data; for SMS, its encoding and number of parts', body: PreviewTemplateBody, response: { 200: TemplatePreview, ...errors } },
  }, async (req) => {
    manage(req);
    const b = req.body;
    const event = checkKey(b.event, b.channel);
    const inForce = pickTemplate(await loadTemplates(db, event), event, b.channel, b.locale as Locale)!;
    const subject = b.channel === 'sms' ? null : (b.subject ?? inForce.subject);
    const body = b.body ?? inForce.body;
    const unknown = unknownPlaceholders(event, `${subject ?? ''} ${body}`);
    if (unknown.length) throw fieldError('body.body', `Biến không có trong danh sách: ${unknown.join(', ')}.`, `Unknown variables: ${unknown.join(', ')}.`);
    const text = render(body, SAMPLE_VARIABLES);
    const split = b.channel === 'sms' ? splitSms(text) : null;
    return {
      subject: subject === null ? null : render(subject, SAMPLE_VARIABLES),
      body: text,
      sms: split ? { encoding: split.encoding, parts: split.parts.length, characters: text.length } : null,
    };
  });

  // ---------------------------------------------------------------- HTTP SMS gateway receipts

  app.register(async (scope) => {
    keepRawJson(scope);
    scope.withTypeProvider<ZodTypeProvider>().post('/api/v1/notify/receipts/http', {
      schema: {
        tags: ['notifications'], summary: 'Delivery receipts from an HTTP SMS gateway, signed: x-sms-signature = hex HMAC-SHA256(secret, raw body)',
        body: z.object({ messageId: z.string().min(1).max(100), status: z.string().min(1).max(40), detail: z.string().max(200).optional() }),
        response: { 200: z.object({ ok: z.boolean() }), 400: ApiError, 401: ApiError, 404: ApiError },
      },
    }, async (req) => {
      const secret = config.SMS_HTTP_WEBHOOK_SECRET;
      if (config.SMS_GATEWAY !== 'http' || !secret) throw notFound();
      const given = String(req.headers['x-sms-signature'] ?? '');
      const expected = createHmac('sha256', secret).update(rawBodyOf(req)).digest();
      const ok = /^[0-9a-f]{64}$/i.test(given) && timingSafeEqual(Buffer.from(given, 'hex'), expected);
      if (!ok) throw new AppError(401, 'bad_signature', { vi: 'Chữ ký không hợp lệ.', en: 'Invalid signature.' });
      const state = httpReceiptState(req.body.status);
      if (!state) return { ok: true };
      const outcome = await applyReceipt(db, 'http', { providerRef: req.body.messageId, state, detail: `status:${req.body.status}${req.body.detail ? ` ${req.body.detail}` : ''}` });
      if (outcome === 'unknown') req.log.warn({ providerRef: req.body.messageId }, 'receipt for an unknown message id kept aside');
      return { ok: true };
    });
  });
}
