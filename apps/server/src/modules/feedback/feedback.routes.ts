import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError, CreateFeedbackBody, FeedbackActionBody, FeedbackDetail, FeedbackKind, FeedbackList, FeedbackQueueStatus, PublishedFeedbackList,
  StaffCreateFeedbackBody, SupplyFeedbackInfoBody,
} from '@motcua/contracts';
import type { Db, Tx } from '../../db/database.ts';
import { createJobs } from '../../jobs/boss.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { fieldError, forbidden, validationFailed, type FieldError } from '../../http/errors.ts';
import { idempotent } from '../../http/idempotency.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { normalisePhone } from '../identity/validators.ts';
import type { NotifyDeps } from '../notify/index.ts';
import { can, scopeRoots, type Actor } from '../policy/index.ts';
import {
  agencyExists, findDossierForFeedback, findPublishedProcedure, findUser, listItems, listPublished, rootAgencyId,
} from './feedback.repository.ts';
import {
  actionsFor, appendFeedbackEvent, assertCanView, authorizeAction, eventOf, feedbackNotFound, fileFeedback, loadFeedback,
  type LoadedFeedback, type Viewer,
} from './feedback.service.ts';
import { presentFeedback, presentPublished, presentSummary } from './presenter.ts';
import { allowedActions, type FeedbackStatus } from './state.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError };
const Id = z.object({ id: z.string() });
const Page = { limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).default(0) };

const QUEUE_STATUSES: Record<z.infer<typeof FeedbackQueueStatus>, FeedbackStatus[] | undefined> = {
  open: ['received', 'accepted', 'info_requested', 'answered'],
  received: ['received'],
  accepted: ['accepted'],
  info_requested: ['info_requested'],
  answered: ['answered'],
  closed: ['rejected', 'published'],
  all: undefined,
};

export interface FeedbackServices {
  calendar: CalendarService;
  /** Where messages to the sender go; by default the notify outbox of this app. */
  notify?: NotifyDeps | null;
}

/**
 * Feedback and complaints (phản ánh, kiến nghị): citizens file them and supply information,
 * officials of the agency concerned handle them (accept, ask for information, reject, answer,
 * publish), anyone reads the published answers.
 */
export function feedbackRoutes(app: FastifyInstance, deps: AppDeps, services: FeedbackServices) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const { calendar } = services;
  const notify = services.notify === undefined ? { config, jobs: createJobs(config) } : services.notify;
  const svc = { calendar, notify };

  async function load(id: string, tx: Db | Tx = db): Promise<LoadedFeedback> {
    const l = await loadFeedback(tx, calendar, id);
    if (!l) throw feedbackNotFound();
    return l;
  }

  async function present(tx: Db | Tx, actor: Actor, l: LoadedFeedback, viewer: Viewer) {
    const actions = viewer === 'official' ? await actionsFor(tx, actor, l, allowedActions(l.view.status)) : [];
    return presentFeedback(tx, l, viewer, actions);
  }

  /** Checks what a citizen's item links to and works out the agency concerned. */
  async function linksOf(actor: Actor, b: z.infer<typeof CreateFeedbackBody>) {
    const problems: FieldError[] = [];
    const only = (field: 'dossierId' | 'procedureId', topic: string) =>
      problems.push({ path: `body.${field}`, message: { vi: `Chỉ dùng khi phản ánh về ${topic}.`, en: `Only for feedback about a ${field === 'dossierId' ? 'dossier' : 'procedure'}.` } });
    if (b.dossierId && b.topic !== 'dossier') only('dossierId', 'hồ sơ');
    if (b.procedureId && b.topic !== 'procedure') only('procedureId', 'thủ tục');
    if (problems.length) throw validationFailed(problems);
    switch (b.topic) {
      case 'dossier': {
        if (!b.dossierId) throw fieldError('body.dossierId', 'Chọn hồ sơ được phản ánh.', 'Choose the dossier concerned.');
        const d = await findDossierForFeedback(db, b.dossierId);
        // Someone else's dossier looks exactly like a missing one.
        if (!d || d.applicantUserId !== actor.userId || d.status === 'draft')
          throw fieldError('body.dossierId', 'Không tìm thấy hồ sơ đã nộp của bạn.', 'No submitted dossier of yours was found.');
        return { dossierId: d.id, procedureId: d.procedureId, agencyId: d.receivingAgencyId };
      }
      case 'procedure': {
        if (!b.procedureId) throw fieldError('body.procedureId', 'Chọn thủ tục được phản ánh.', 'Choose the procedure concerned.');
        const p = await findPublishedProcedure(db, b.procedureId);
        if (!p) throw fieldError('body.procedureId', 'Thủ tục không tồn tại hoặc chưa được công bố.', 'The procedure does not exist or is not published.');
        const ids = [...new Set(p.agencies.map((a) => a.agencyId))];
        const receiving = [...new Set(p.agencies.filter((a) => a.kind === 'receiving').map((a) => a.agencyId))];
        let agencyId = b.agencyId;
        if (agencyId && !ids.includes(agencyId)) throw fieldError('body.agencyId', 'Cơ quan này không thực hiện thủ tục đã chọn.', 'This agency does not handle the chosen procedure.');
        if (!agencyId) {
          if (receiving.length !== 1) throw fieldError('body.agencyId', 'Vui lòng chọn cơ quan được phản ánh.', 'Choose the agency concerned.');
          agencyId = receiving[0]!;
        }
        return { dossierId: null, procedureId: p.id, agencyId };
      }
      case 'agency':
      case 'general': {
        let agencyId = b.agencyId;
        if (!agencyId && b.topic === 'general') agencyId = await rootAgencyId(db);
        if (!agencyId) throw fieldError('body.agencyId', 'Vui lòng chọn cơ quan được phản ánh.', 'Choose the agency concerned.');
        if (!(await agencyExists(db, agencyId))) throw fieldError('body.agencyId', 'Cơ quan không tồn tại.', 'No such agency.');
        return { dossierId: null, procedureId: null, agencyId };
      }
    }
  }

  // ---------------------------------------------------------------- citizens

  r.post('/api/v1/feedback', {
    schema: {
      tags: ['feedback'], summary: 'File feedback or a complaint (signed-in citizen; send an Idempotency-Key)',
      headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      body: CreateFeedbackBody, response: { 201: FeedbackDetail, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'citizen') throw forbidden();
    const b = req.body;
    const links = await linksOf(actor, b);
    const me = await findUser(db, actor.userId);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'], route: 'POST /api/v1/feedback', body: b }, async (tx) => {
      const l = await fileFeedback(tx, calendar, auditCtx(req), {
        kind: b.kind, topic: b.topic, channel: 'online', subject: b.subject, content: b.content, ...links,
        authorUserId: actor.userId, sender: { name: me.fullName, phone: me.phone }, recordedBy: null,
      });
      return { status: 201, body: await presentFeedback(tx, l, 'author') };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  r.get('/api/v1/me/feedback', {
    schema: {
      tags: ['feedback'], summary: 'My feedback and complaints, newest first',
      querystring: z.object(Page), response: { 200: FeedbackList, 401: ApiError, 403: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'citizen') throw forbidden();
    reply.header('cache-control', 'no-store');
    const now = new Date();
    const { items, total } = await listItems(db, { authorUserId: actor.userId }, 'recent', req.query.limit, req.query.offset, now);
    const cal = await calendar.calendar();
    const soon = cal.addWorkingMinutes(now, cal.minutesPerDay);
    return { items: items.map((x) => presentSummary(x, now, soon)), total };
  });

  r.get('/api/v1/feedback/published', {
    schema: {
      tags: ['feedback'], summary: 'Published answers to feedback and complaints (public; nothing about the sender)',
      querystring: z.object({ agencyId: z.uuid().optional(), q: z.string().trim().max(100).optional(), ...Page }),
      response: { 200: PublishedFeedbackList, 400: ApiError },
    },
  }, async (req, reply) => {
    const { items, total } = await listPublished(db, { agencyId: req.query.agencyId, q: req.query.q || undefined }, req.query.limit, req.query.offset);
    reply.header('cache-control', 'no-cache');
    return { items: items.map(presentPublished), total };
  });

  r.get('/api/v1/feedback/:id', {
    schema: { tags: ['feedback'], summary: 'A feedback item with its events (its author, or officials of its agency)', params: Id, response: { 200: FeedbackDetail, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    const viewer = await assertCanView(db, actor, l.row);
    reply.header('cache-control', 'no-store');
    // Officials' reads of personal data are audited.
    if (viewer === 'official') await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'feedback.viewed', objectType: 'feedback', objectId: l.row.id }));
    return present(db, actor, l, viewer);
  });

  r.post('/api/v1/feedback/:id/info', {
    schema: {
      tags: ['feedback'], summary: 'Supply the information asked for (the author)', params: Id, body: SupplyFeedbackInfoBody,
      response: { 200: FeedbackDetail, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    return db.transaction().execute(async (tx) => {
      const l = await appendFeedbackEvent(tx, svc, auditCtx(req), req.params.id, { type: 'info_supplied', text: req.body.text, expectedSeq: req.body.expectedSeq }, (row) => {
        if (actor.kind !== 'citizen' || row.authorUserId !== actor.userId) throw feedbackNotFound();
      });
      return presentFeedback(tx, l, 'author');
    });
  });

  // ---------------------------------------------------------------- officials

  /** The agencies whose items this official handles or publishes (their subtrees). */
  async function staffScope(actor: Actor): Promise<string[]> {
    if (actor.kind !== 'official') throw forbidden();
    const roots = [...new Set([...scopeRoots(actor, 'feedback.handle'), ...scopeRoots(actor, 'feedback.publish')])];
    if (roots.length === 0) throw forbidden();
    return subtreeIds(db, roots);
  }

  r.get('/api/v1/staff/feedback', {
    schema: {
      tags: ['feedback'], summary: 'Feedback and complaints of my agencies: overdue first, then by deadline',
      querystring: z.object({
        status: FeedbackQueueStatus.default('open'), agencyId: z.uuid().optional(), kind: FeedbackKind.optional(),
        q: z.string().trim().max(100).optional(), ...Page,
      }),
      response: { 200: FeedbackList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    let scope = await staffScope(actor);
    if (req.query.agencyId) scope = scope.filter((a) => a === req.query.agencyId);
    reply.header('cache-control', 'no-store');
    const now = new Date();
    const cal = await calendar.calendar();
    const soon = cal.addWorkingMinutes(now, cal.minutesPerDay);
    const { items, total } = await listItems(db, {
      agencyIds: scope, statuses: QUEUE_STATUSES[req.query.status], kind: req.query.kind, q: req.query.q || undefined,
    }, 'urgency', req.query.limit, req.query.offset, now);
    return { items: items.map((x) => presentSummary(x, now, soon)), total };
  });

  r.post('/api/v1/staff/feedback', {
    schema: {
      tags: ['feedback'], summary: 'Record feedback received at the counter, by phone, letter or email (anonymous allowed)',
      body: StaffCreateFeedbackBody, response: { 201: FeedbackDetail, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const b = req.body;
    if (actor.kind !== 'official') throw forbidden();
    if (!(await agencyExists(db, b.agencyId))) throw fieldError('body.agencyId', 'Cơ quan không tồn tại.', 'No such agency.');
    if (!can(actor, 'feedback.handle', await agencyChain(db, b.agencyId))) throw forbidden();
    const problems: FieldError[] = [];
    const phone = b.sender?.phone ? normalisePhone(b.sender.phone) : null;
    if (b.sender?.phone && !phone) problems.push({ path: 'body.sender.phone', message: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' } });
    if (b.topic === 'procedure' && !b.procedureId) problems.push({ path: 'body.procedureId', message: { vi: 'Chọn thủ tục được phản ánh.', en: 'Choose the procedure concerned.' } });
    if (b.procedureId && !(await findPublishedProcedure(db, b.procedureId)))
      problems.push({ path: 'body.procedureId', message: { vi: 'Thủ tục không tồn tại hoặc chưa được công bố.', en: 'The procedure does not exist or is not published.' } });
    if (problems.length) throw validationFailed(problems);
    const body = await db.transaction().execute(async (tx) => {
      const l = await fileFeedback(tx, calendar, auditCtx(req), {
        kind: b.kind, topic: b.topic, channel: b.channel, subject: b.subject, content: b.content, dossierId: null,
        procedureId: b.procedureId ?? null, agencyId: b.agencyId, authorUserId: null,
        sender: { name: b.sender?.name ?? null, phone }, recordedBy: actor.userId,
      });
      return present(tx, actor, l, 'official');
    });
    return reply.status(201).send(body);
  });

  r.post('/api/v1/staff/feedback/:id/actions', {
    schema: {
      tags: ['feedback'], summary: 'An official handles an item: accept, ask for information, reject (reason), answer, publish',
      params: Id, body: FeedbackActionBody, response: { 200: FeedbackDetail, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const b = req.body;
    if (['request_info', 'reject', 'answer'].includes(b.type) && !b.text) {
      const [vi, en] = b.type === 'reject' ? ['Cần nêu lý do từ chối.', 'Give the reason for rejecting.']
        : b.type === 'answer' ? ['Cần nội dung trả lời.', 'The answer is required.']
          : ['Cần nêu thông tin cần bổ sung.', 'Say what information is needed.'];
      throw fieldError('body.text', vi, en);
    }
    if (b.type === 'answer' && b.text!.length < 10) throw fieldError('body.text', 'Nội dung trả lời quá ngắn (tối thiểu 10 ký tự).', 'The answer is too short (at least 10 characters).');
    if (b.publicContent && b.type !== 'publish') throw fieldError('body.publicContent', 'Chỉ dùng khi công khai.', 'Only when publishing.');
    return db.transaction().execute(async (tx) => {
      const l = await appendFeedbackEvent(tx, svc, auditCtx(req), req.params.id, {
        type: eventOf(b.type),
        text: b.type === 'accept' || b.type === 'publish' ? null : b.text,
        payload: b.type === 'publish' && b.publicContent ? { publicContent: b.publicContent } : {},
        expectedSeq: b.expectedSeq,
      }, (row) => authorizeAction(tx, actor, b.type, row));
      return present(tx, actor, l, 'official');
    });
  });
}
