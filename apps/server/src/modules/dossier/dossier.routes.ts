import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import {
  ActionBody, ApiError, AssignableOfficialList, CounterDossierBody, CreateDossierBody, DossierDetail, DossierFile, DossierList,
  StaffQueue, UpdateDraftBody,
} from '@motcua/contracts';
import { BlobRejected, EXTENSION, type BlobStore } from '../../adapters/storage/index.ts';
import type { Db, Tx } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound, validationFailed, type FieldError } from '../../http/errors.ts';
import { idempotent } from '../../http/idempotency.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { compileFormSchema } from '../catalog/online-form.ts';
import { checkPersonalId, maskPersonalId, normaliseEmail, normalisePhone } from '../identity/validators.ts';
import type { Actor } from '../policy/index.ts';
import { assertCanView, authorizeOfficialAction, rolesCovering } from './access.ts';
import { appendAction, dossierNotFound, loadDossier, projection, type DossierHooks, type Loaded } from './dossier.service.ts';
import { applicantMaySee, presentDossier, presentSummary } from './presenter.ts';
import { currentProcess } from './process.ts';
import { deriveDossier, type ActionType, type ProcessStep } from './state.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError };
const Id = z.object({ id: z.string() });
const EDITABLE = ['draft'];
const UPLOADABLE = ['draft', 'awaiting_supplement_before_reception', 'waiting_supplement'];
const uploadAgain = () => conflict('upload_again', { vi: 'Chưa lưu được tệp, vui lòng tải lên lại.', en: 'The file could not be stored; please upload it again.' });

interface Services {
  calendar: CalendarService;
  blobs: BlobStore;
  /** Other modules' reactions to dossier actions (payments, signing, notifications). */
  hooks?: DossierHooks;
}

export function dossierRoutes(app: FastifyInstance, deps: AppDeps, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config, sealer } = deps;
  const { calendar, blobs } = services;
  const svc = { calendar, config, hooks: services.hooks };

  async function load(id: string, lock = false, tx: Db | Tx = db): Promise<Loaded> {
    const l = await loadDossier(tx, calendar, id, lock);
    if (!l) throw dossierNotFound();
    return l;
  }

  async function detail(l: Loaded, viewer: 'owner' | 'official') {
    return presentDossier(db, l, viewer);
  }

  /**
   * The procedure a dossier is for, checked to be published and offered through `channel`, in one
   * query with what creating and submitting the dossier needs of it: its receiving agencies, its
   * current process and its required components; with `applicantUserId`, that user's details too.
   */
  async function procedureFor(procedureId: string, channel: 'online' | 'in_person' | 'post', agencyId?: string, applicantUserId?: string) {
    const p = await db.selectFrom('procedures as p').leftJoin('processes as pr', 'pr.id', 'p.processId')
      .$if(!!applicantUserId, (q) => q.leftJoin('users as u', (j) => j.on('u.id', '=', applicantUserId!))
        .select(['u.fullName as applicantName', 'u.phone as applicantPhone', 'u.email as applicantEmail', 'u.address as applicantAddress', 'u.personalIdEnc as applicantIdEnc']))
      .selectAll('p')
      .select(['pr.steps as processSteps'])
      .select((eb) => [
        jsonArrayFrom(eb.selectFrom('procedureAgencies as pa').innerJoin('agencies as a', 'a.id', 'pa.agencyId')
          .select(['a.id', 'a.code', 'a.name', 'a.nameEn']).whereRef('pa.procedureId', '=', 'p.id').where('pa.kind', '=', 'receiving')).as('receiving'),
        jsonArrayFrom(eb.selectFrom('procedureComponents as c').select(['c.id', 'c.name'])
          .whereRef('c.procedureId', '=', 'p.id').where('c.required', '=', true)).as('required'),
      ])
      .where('p.id', '=', procedureId).where('p.published', '=', true).executeTakeFirst();
    if (!p) throw fieldError('body.procedureId', 'Thủ tục không tồn tại hoặc chưa được công bố.', 'The procedure does not exist or is not published.');
    if (channel === 'online' && (p.onlineLevel === 'none' || !p.methods.includes('online')))
      throw fieldError('body.procedureId', 'Thủ tục này không nhận hồ sơ trực tuyến.', 'This procedure is not offered online.');
    const ids = p.receiving.map((x) => x.id);
    let agency = agencyId;
    if (!agency) {
      if (ids.length !== 1) throw fieldError('body.agencyId', 'Vui lòng chọn cơ quan tiếp nhận.', 'Choose the receiving agency.');
      agency = ids[0]!;
    } else if (!ids.includes(agency)) throw fieldError('body.agencyId', 'Cơ quan này không tiếp nhận thủ tục đã chọn.', 'This agency does not receive the chosen procedure.');
    const process = p.processId && p.processSteps ? { id: p.processId, steps: p.processSteps as ProcessStep[] } : undefined;
    const applicant = p.applicantName ? { name: p.applicantName, phone: p.applicantPhone ?? null, email: p.applicantEmail ?? null, address: p.applicantAddress ?? null, idEnc: p.applicantIdEnc ?? null } : null;
    return { procedure: p, agencyId: agency, agency: p.receiving.find((a) => a.id === agency)!, process, applicant };
  }

  /**
   * Form data against the procedure's JSON Schema, and every required component present.
   * `known`: the procedure's form and required components, and the dossier's papers, when the
   * caller has them (a dossier created in this transaction has none).
   */
  async function checkComplete(tx: Db | Tx, l: Loaded, known?: {
    onlineForm: unknown; required: readonly { id: string; name: string }[]; files: readonly { componentId: string | null }[];
  }): Promise<void> {
    const p = known ?? await tx.selectFrom('procedures').select(['onlineForm']).where('id', '=', l.row.procedureId).executeTakeFirstOrThrow();
    const problems: FieldError[] = [];
    const form = p.onlineForm as { schema?: Record<string, unknown> } | null;
    if (form?.schema && l.row.channel === 'online') {
      const validate = compileFormSchema(form.schema);
      if (!validate(l.row.formData)) {
        for (const e of (validate.errors ?? []).slice(0, 30)) {
          const missing = e.keyword === 'required' ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : '';
          problems.push({
            path: `formData${(e.instancePath + missing).replaceAll('/', '.')}`,
            message: { vi: `Thông tin chưa hợp lệ: ${e.message ?? e.keyword}`, en: `Invalid: ${e.message ?? e.keyword}` },
          });
        }
      }
    }
    if (l.row.delivery.method === 'post' && !l.row.delivery.address)
      problems.push({ path: 'delivery.address', message: { vi: 'Cần địa chỉ nhận kết quả qua bưu chính.', en: 'A postal address is required.' } });
    const required = known?.required ?? await tx.selectFrom('procedureComponents').select(['id', 'name']).where('procedureId', '=', l.row.procedureId).where('required', '=', true).execute();
    const files = known?.files ?? await tx.selectFrom('dossierFiles').select('componentId').where('dossierId', '=', l.row.id).where('removedAt', 'is', null).execute();
    const have = new Set(files.map((f) => f.componentId));
    if (l.row.channel === 'online')
      for (const c of required) if (!have.has(c.id)) problems.push({ path: `components.${c.id}`, message: { vi: `Thiếu giấy tờ: ${c.name}`, en: `Missing paper: ${c.name}` } });
    if (problems.length) throw validationFailed(problems);
  }

  /**
   * Creates a draft inside `tx`: snapshot of the statutory time and the process version (the
   * procedure's current one, or `process` when the caller read it). Returns it as `load` would
   * (its row is this transaction's own: no lock is needed).
   */
  async function createDraft(tx: Tx, actor: Actor, input: {
    procedureId: string; agencyId: string; channel: 'online' | 'in_person' | 'post'; formData?: Record<string, unknown>;
    delivery?: { method: 'counter' | 'post' | 'online'; address?: string };
    applicant: { userId: string | null; name: string; phone: string | null; email: string | null; idNumber: string | null; address: string | null };
    durationValue: number; durationUnit: 'working_days' | 'working_hours';
    submitting?: boolean;
    process?: { id: string; steps: ProcessStep[] };
  }): Promise<Loaded> {
    const process = input.process ?? await currentProcess(tx, input.procedureId);
    const facts = { receivingAgencyId: input.agencyId, duration: { value: input.durationValue, unit: input.durationUnit }, steps: process.steps };
    const view = deriveDossier(facts, [], await calendar.calendar(), new Date());
    const row = await tx.insertInto('dossiers').values({
      procedureId: input.procedureId, processId: process.id, durationValue: input.durationValue, durationUnit: input.durationUnit,
      channel: input.channel, receivingAgencyId: input.agencyId, applicantUserId: input.applicant.userId, createdBy: actor.userId,
      applicantName: input.applicant.name, applicantPhone: input.applicant.phone, applicantEmail: input.applicant.email,
      applicantIdEnc: input.applicant.idNumber ? sealer.seal(input.applicant.idNumber) : null,
      applicantIdMasked: input.applicant.idNumber ? maskPersonalId(input.applicant.idNumber) : null,
      applicantAddress: input.applicant.address,
      formData: JSON.stringify(input.formData ?? {}), delivery: JSON.stringify(input.delivery ?? { method: input.channel === 'online' ? 'online' : 'counter' }),
      ...projection(view), code: null,
    }).returningAll().executeTakeFirstOrThrow();
    // A dossier created and submitted in one call is audited once, by its `submit` action.
    if (!input.submitting) await writeAudit(tx, { actorId: actor.userId, actorName: actor.fullName, ip: null, requestId: null }, { action: 'dossier.created', objectType: 'dossier', objectId: row.id, details: { channel: input.channel } });
    return { row, facts, actions: [], steps: process.steps, view };
  }

  // ---------------------------------------------------------------- citizens

  r.post('/api/v1/dossiers', {
    schema: {
      tags: ['dossiers'], summary: 'Start an online dossier (draft), or create and submit it at once (send an Idempotency-Key)',
      headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      body: CreateDossierBody, response: { 201: DossierDetail, 200: DossierDetail, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'citizen') throw forbidden();
    const b = req.body;
    const { procedure, agencyId, agency, process, applicant: me } = await procedureFor(b.procedureId, 'online', b.agencyId, actor.userId);
    if (!me) throw new Error('the signed-in citizen has no user row');
    const ctx = auditCtx(req);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'], route: 'POST /api/v1/dossiers', body: b }, async (tx) => {
      let l = await createDraft(tx, actor, {
        procedureId: procedure.id, agencyId, channel: 'online', formData: b.formData, delivery: b.delivery ?? { method: 'online' },
        applicant: { userId: actor.userId, name: me.name, phone: me.phone, email: me.email, idNumber: me.idEnc ? sealer.open(me.idEnc) : null, address: me.address },
        durationValue: procedure.processingValue, durationUnit: procedure.processingUnit as 'working_days', submitting: !!b.submit, process,
      });
      // A dossier created in this transaction has no papers yet, and every action on it is this request's.
      if (b.submit) {
        await checkComplete(tx, l, { onlineForm: procedure.onlineForm, required: procedure.required, files: [] });
        l = await appendAction(tx, svc, ctx, l.row.id, { type: 'submit' }, () => undefined, l);
      }
      return {
        status: 201,
        body: await presentDossier(tx, l, 'owner', {
          procedure, agencies: [agency], files: [], actors: l.actions.map((a) => ({ seq: a.seq, actorName: ctx.actorName, comment: null })),
        }),
      };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  r.get('/api/v1/me/dossiers', {
    schema: {
      tags: ['dossiers'], summary: 'My dossiers',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: DossierList, 401: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    reply.header('cache-control', 'no-store');
    return listDossiers((q) => q.where('d.applicantUserId', '=', actor.userId), req.query.limit, req.query.offset, 'd.createdAt desc');
  });

  r.get('/api/v1/dossiers/:id', {
    schema: { tags: ['dossiers'], summary: 'A dossier: status, timeline, files (its applicant or the officials handling it)', params: Id, response: { 200: DossierDetail, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    const viewer = await assertCanView(db, actor, l);
    reply.header('cache-control', 'no-store');
    if (viewer === 'official') {
      // Officials' reads of personal data are audited.
      await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'dossier.viewed', objectType: 'dossier', objectId: l.row.id }));
    }
    return detail(l, viewer);
  });

  r.patch('/api/v1/dossiers/:id', {
    schema: { tags: ['dossiers'], summary: 'Save a draft (form data, delivery)', params: Id, body: UpdateDraftBody, response: { 200: DossierDetail, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    const l = await db.transaction().execute(async (tx) => {
      const l = await load(req.params.id, true, tx);
      if ((await assertCanView(tx, actor, l)) !== 'owner' && l.row.createdBy !== actor.userId) throw dossierNotFound();
      if (!EDITABLE.includes(l.view.status)) throw conflict('not_a_draft', { vi: 'Hồ sơ đã nộp, không sửa được nữa.', en: 'The dossier has been submitted and can no longer be edited.' });
      const set: Record<string, unknown> = { updatedAt: new Date() };
      if (req.body.formData !== undefined) {
        if (JSON.stringify(req.body.formData).length > 200_000) throw fieldError('body.formData', 'Dữ liệu biểu mẫu quá lớn.', 'The form data is too large.');
        set.formData = JSON.stringify(req.body.formData);
      }
      if (req.body.delivery !== undefined) set.delivery = JSON.stringify(req.body.delivery);
      if (req.body.applicantAddress !== undefined) set.applicantAddress = req.body.applicantAddress;
      await tx.updateTable('dossiers').set(set).where('id', '=', l.row.id).execute();
      return load(l.row.id, false, tx);
    });
    return detail(l, 'owner');
  });

  r.delete('/api/v1/dossiers/:id', {
    schema: {
      tags: ['dossiers'], summary: 'Delete my online draft before it is submitted: its papers go, and their bytes unless another dossier holds the same file',
      params: Id, response: { 204: z.null(), ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    // Officials never delete dossiers; only citizens start online drafts.
    if (actor.kind !== 'citizen') throw forbidden();
    await db.transaction().execute(async (tx) => {
      const l = await load(req.params.id, true, tx);
      // Someone else's draft looks exactly like a missing one.
      if (l.row.applicantUserId !== actor.userId && l.row.createdBy !== actor.userId) throw dossierNotFound();
      if (l.view.status !== 'draft' || l.actions.length > 0)
        throw conflict('not_a_draft', { vi: 'Hồ sơ đã nộp nên không xóa được; bạn có thể rút hồ sơ khi hồ sơ chưa được giải quyết.', en: 'The dossier has been submitted and cannot be deleted; you may withdraw it while it is not yet resolved.' });
      if (l.row.channel !== 'online' || l.row.createdBy !== actor.userId)
        throw conflict('draft_not_deletable', { vi: 'Bản nháp này do cán bộ lập tại bộ phận một cửa; bạn không xóa được.', en: 'This draft was started by an official at the one-stop desk; you cannot delete it.' });
      await discardDraft(tx, l.row.id);
      await writeAudit(tx, auditCtx(req), { action: 'dossier.draft_deleted', objectType: 'dossier', objectId: l.row.id, details: { procedureId: l.row.procedureId } });
    });
    return reply.status(204).send(null);
  });

  /**
   * Removes a draft (locked by the caller) with its papers and fee copies. The audit rows about
   * it stay. Blobs are shared by content: bytes no other file row holds are erased, the others
   * stay. The bytes go before the commit, while the `blobs` rows are locked: an upload of the
   * same bytes either committed first (its row keeps the blob) or waits and then finds them gone
   * (the upload route checks and asks for the file again).
   */
  async function discardDraft(tx: Tx, dossierId: string): Promise<void> {
    await sql`SELECT discard_draft_fees(${dossierId}::uuid)`.execute(tx);
    // Papers of other dossiers reused from this draft's papers now point where those came from.
    await sql`
      UPDATE dossier_files o SET reused_from = CASE WHEN src.dossier_id = ${dossierId}::uuid THEN NULL ELSE src.id END
      FROM dossier_files f LEFT JOIN dossier_files src ON src.id = f.reused_from
      WHERE f.dossier_id = ${dossierId}::uuid AND o.reused_from = f.id AND o.dossier_id <> ${dossierId}::uuid`.execute(tx);
    const papers = await tx.deleteFrom('dossierFiles').where('dossierId', '=', dossierId).returning('blobSha256').execute();
    try {
      await tx.deleteFrom('dossiers').where('id', '=', dossierId).execute();
    } catch (err) {
      if ((err as { code?: string }).code === '23503')
        throw conflict('draft_in_use', { vi: 'Bản nháp đã gắn với việc khác (như yêu cầu thu gom hồ sơ qua bưu chính) nên không xóa được.', en: 'The draft is tied to something else (a postal pickup, for instance) and cannot be deleted.' });
      throw err;
    }
    const shas = [...new Set(papers.map((p) => p.blobSha256))].sort();
    if (shas.length === 0) return;
    await tx.selectFrom('blobs').select('sha256').where('sha256', 'in', shas).orderBy('sha256').forUpdate().execute();
    const used = await tx.selectFrom('dossierFiles').select('blobSha256').distinct().where('blobSha256', 'in', shas).execute();
    const orphans = shas.filter((sha) => !used.some((u) => u.blobSha256 === sha));
    if (orphans.length === 0) return;
    await tx.deleteFrom('blobs').where('sha256', 'in', orphans).execute();
    for (const sha of orphans) await blobs.remove(sha);
  }

  r.post('/api/v1/dossiers/:id/submit', {
    schema: { tags: ['dossiers'], summary: 'Submit a draft (send an Idempotency-Key)', params: Id, response: { 200: DossierDetail, 201: DossierDetail, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'] as string | undefined, route: `POST /api/v1/dossiers/${req.params.id}/submit`, body: {} }, async (tx) => {
      const l = await appendAction(tx, svc, auditCtx(req), req.params.id, { type: 'submit' }, async (l) => {
        if (l.row.applicantUserId !== actor.userId && !(l.row.createdBy === actor.userId && actor.kind === 'official')) throw dossierNotFound();
        if (actor.kind === 'official') await authorizeOfficialAction(tx, actor, 'submit', l);
        if (l.view.status === 'draft') await checkComplete(tx, l);
      });
      return { status: 201, body: await presentDossier(tx, l, 'owner') };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  /** Citizen-side actions: supply what was asked, withdraw, rate. */
  for (const [path, type] of [['supplement', 'supplement'], ['withdraw', 'withdraw'], ['rate', 'rate']] as const) {
    r.post(`/api/v1/dossiers/:id/${path}`, {
      schema: {
        tags: ['dossiers'], summary: { supplement: 'Supply the papers asked for (upload them first)', withdraw: 'Withdraw my dossier', rate: 'Rate the service after the result' }[path],
        params: Id,
        body: z.strictObject({
          comment: z.string().trim().max(2000).optional(),
          score: z.enum(['satisfied', 'neutral', 'dissatisfied']).optional(),
          expectedSeq: z.number().int().min(0).optional(),
        }),
        response: { 200: DossierDetail, ...errors },
      },
    }, async (req) => {
      const actor = requireActor(req);
      if (type === 'rate' && !req.body.score) throw fieldError('body.score', 'Vui lòng chọn mức độ hài lòng.', 'Choose a rating.');
      const l = await db.transaction().execute((tx) => appendAction(tx, svc, auditCtx(req), req.params.id, {
        type, comment: req.body.comment ?? null, expectedSeq: req.body.expectedSeq,
        payload: type === 'rate' ? { score: req.body.score, comment: req.body.comment ?? null } : {},
      }, (l) => {
        if (l.row.applicantUserId !== actor.userId) throw dossierNotFound();
      }));
      return detail(l, 'owner');
    });
  }

  // ---------------------------------------------------------------- files

  r.post('/api/v1/dossiers/:id/files', {
    schema: {
      tags: ['dossiers'], summary: 'Upload a paper (multipart: field componentId, then file). PDF, JPEG, PNG, TIFF, DOC(X), XLSX, ODT. Officials: ?kind=result|action',
      params: Id, querystring: z.object({ kind: z.enum(['result', 'action']).optional() }), response: { 201: DossierFile, ...errors, 413: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    const viewer = await assertCanView(db, actor, l).catch(() => null);
    if (!viewer) throw dossierNotFound();
    const isOwner = viewer === 'owner' || l.row.createdBy === actor.userId;
    // Officials handling a dossier attach working papers and the result while it is processed.
    const officialKind = req.query.kind;
    if (officialKind) {
      if (actor.kind !== 'official') throw forbidden();
      const atStep = await rolesCovering(db, actor, l.row.currentAgencyId);
      const atDesk = await rolesCovering(db, actor, l.row.receivingAgencyId);
      const handles = l.view.assigneeId === actor.userId || atStep.has('division_head') || atStep.has('agency_leader') || atDesk.has('reception_officer');
      if (!handles) throw forbidden();
      if (!['processing', 'waiting_supplement', 'approved', 'result_ready'].includes(l.view.status))
        throw conflict('not_accepting_files', { vi: 'Hồ sơ hiện không nhận thêm tài liệu.', en: 'The dossier is not accepting documents now.' });
    } else {
      if (!isOwner && !(await rolesCovering(db, actor, l.row.receivingAgencyId)).has('reception_officer')) throw forbidden();
      if (!UPLOADABLE.includes(l.view.status)) throw conflict('not_accepting_files', { vi: 'Hồ sơ hiện không nhận thêm giấy tờ.', en: 'The dossier is not accepting papers now.' });
    }
    const part = await req.file();
    if (!part) throw fieldError('body.file', 'Chưa có tệp.', 'No file was sent.');
    const componentId = (part.fields.componentId as { value?: string } | undefined)?.value ?? null;
    let component: { id: string; name: string } | undefined;
    if (componentId) {
      component = await db.selectFrom('procedureComponents').select(['id', 'name']).where('id', '=', componentId).where('procedureId', '=', l.row.procedureId).executeTakeFirst();
      if (!component) {
        part.file.resume();
        throw fieldError('body.componentId', 'Thành phần hồ sơ không thuộc thủ tục này.', 'The component does not belong to this procedure.');
      }
    }
    const used = await db.selectFrom('dossierFiles').select(sql<string>`coalesce(sum(size), 0)`.as('n')).where('dossierId', '=', l.row.id).where('removedAt', 'is', null).executeTakeFirstOrThrow();
    const dossierRemaining = config.UPLOAD_MAX_DOSSIER_MB * 1024 * 1024 - Number(used.n);
    const maxBytes = Math.min(config.UPLOAD_MAX_FILE_MB * 1024 * 1024, dossierRemaining);
    let info;
    try {
      if (maxBytes <= 0) throw new BlobRejected('too_large', 'dossier full');
      info = await blobs.put(part.file, { maxBytes });
      if (part.file.truncated) throw new BlobRejected('too_large', 'truncated');
    } catch (err) {
      if (err instanceof BlobRejected) {
        if (err.reason === 'too_large')
          throw new AppError(413, 'file_too_large', {
            vi: `Tệp quá lớn (tối đa ${config.UPLOAD_MAX_FILE_MB} MB mỗi tệp, ${config.UPLOAD_MAX_DOSSIER_MB} MB mỗi hồ sơ).`,
            en: `File too large (at most ${config.UPLOAD_MAX_FILE_MB} MB per file, ${config.UPLOAD_MAX_DOSSIER_MB} MB per dossier).`,
          }, [{ path: 'body.file', message: { vi: 'Tệp quá lớn.', en: 'File too large.' } }]);
        throw fieldError('body.file', err.reason === 'empty' ? 'Tệp rỗng.' : 'Loại tệp không được chấp nhận (chỉ PDF, ảnh JPEG/PNG/TIFF, Word, Excel, ODT).',
          err.reason === 'empty' ? 'The file is empty.' : 'File type not accepted (PDF, JPEG/PNG/TIFF images, Word, Excel, ODT only).');
      }
      throw err;
    }
    const filename = cleanFilename(part.filename, info.mime);
    const kind = officialKind ?? (l.view.status === 'draft' ? 'component' : 'supplement');
    const row = await db.transaction().execute(async (tx) => {
      await tx.insertInto('blobs').values({ sha256: info.sha256, size: info.size, mime: info.mime }).onConflict((oc) => oc.doNothing()).execute();
      const f = await tx.insertInto('dossierFiles').values({
        dossierId: l.row.id, componentId: component?.id ?? null, componentName: component?.name ?? null, kind,
        blobSha256: info.sha256, filename, mime: info.mime, size: info.size, uploadedBy: actor.userId,
      }).returning(['id', 'componentId', 'componentName', 'kind', 'filename', 'mime', 'size', 'createdAt']).executeTakeFirstOrThrow();
      // The row now holds the blob; a draft deleted meanwhile may have erased the same bytes just before.
      if (!(await blobs.exists(info.sha256))) throw uploadAgain();
      await writeAudit(tx, auditCtx(req), { action: 'dossier.file_uploaded', objectType: 'dossier', objectId: l.row.id, details: { fileId: f.id, sha256: info.sha256, size: info.size } });
      return f;
    }).catch((err: unknown) => {
      // The blob row went with a deleted draft between our two inserts.
      throw (err as { code?: string }).code === '23503' ? uploadAgain() : err;
    });
    return reply.status(201).send({ ...row, size: Number(row.size), createdAt: row.createdAt.toISOString() });
  });

  r.post('/api/v1/dossiers/:id/files/reuse', {
    schema: {
      tags: ['dossiers'], summary: 'Reuse a paper from one of my earlier dossiers (where the component allows it)',
      params: Id, body: z.strictObject({ componentId: z.uuid(), fileId: z.uuid() }), response: { 201: DossierFile, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    if ((await assertCanView(db, actor, l)) !== 'owner') throw dossierNotFound();
    if (!UPLOADABLE.includes(l.view.status)) throw conflict('not_accepting_files', { vi: 'Hồ sơ hiện không nhận thêm giấy tờ.', en: 'The dossier is not accepting papers now.' });
    const component = await db.selectFrom('procedureComponents').select(['id', 'name', 'reusable']).where('id', '=', req.body.componentId).where('procedureId', '=', l.row.procedureId).executeTakeFirst();
    if (!component) throw fieldError('body.componentId', 'Thành phần hồ sơ không thuộc thủ tục này.', 'The component does not belong to this procedure.');
    if (!component.reusable) throw fieldError('body.componentId', 'Giấy tờ này không được dùng lại.', 'This paper cannot be reused.');
    const row = await db.transaction().execute(async (tx) => {
      // Locked so that a draft deleted at the same time cannot take the source away under us.
      const source = await tx.selectFrom('dossierFiles as f').innerJoin('dossiers as d', 'd.id', 'f.dossierId')
        .select(['f.id', 'f.blobSha256', 'f.filename', 'f.mime', 'f.size'])
        .where('f.id', '=', req.body.fileId).where('d.applicantUserId', '=', actor.userId).where('f.removedAt', 'is', null)
        .forKeyShare('f').executeTakeFirst();
      if (!source) throw fieldError('body.fileId', 'Không tìm thấy tệp trong các hồ sơ trước của bạn.', 'No such file among your earlier dossiers.');
      const f = await tx.insertInto('dossierFiles').values({
        dossierId: l.row.id, componentId: component.id, componentName: component.name, kind: l.view.status === 'draft' ? 'component' : 'supplement',
        blobSha256: source.blobSha256, filename: source.filename, mime: source.mime, size: Number(source.size), reusedFrom: source.id, uploadedBy: actor.userId,
      }).returning(['id', 'componentId', 'componentName', 'kind', 'filename', 'mime', 'size', 'createdAt']).executeTakeFirstOrThrow();
      await writeAudit(tx, auditCtx(req), { action: 'dossier.file_reused', objectType: 'dossier', objectId: l.row.id, details: { fileId: f.id, from: source.id } });
      return f;
    });
    return reply.status(201).send({ ...row, size: Number(row.size), createdAt: row.createdAt.toISOString() });
  });

  r.delete('/api/v1/dossiers/:id/files/:fileId', {
    schema: { tags: ['dossiers'], summary: 'Remove a paper from a draft', params: z.object({ id: z.string(), fileId: z.string() }), response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    if ((await assertCanView(db, actor, l)) !== 'owner' && l.row.createdBy !== actor.userId) throw dossierNotFound();
    if (!UPLOADABLE.includes(l.view.status)) throw conflict('not_accepting_files', { vi: 'Hồ sơ đã nộp, không gỡ được giấy tờ.', en: 'Papers cannot be removed from a submitted dossier.' });
    if (!/^[0-9a-f-]{36}$/i.test(req.params.fileId)) throw notFound();
    const gone = await db.transaction().execute(async (tx) => {
      const f = await tx.updateTable('dossierFiles').set({ removedAt: new Date() })
        .where('id', '=', req.params.fileId).where('dossierId', '=', l.row.id).where('removedAt', 'is', null)
        .where('createdAt', '>', l.row.submittedAt ?? new Date(0)).returning('id').executeTakeFirst();
      if (f) await writeAudit(tx, auditCtx(req), { action: 'dossier.file_removed', objectType: 'dossier', objectId: l.row.id, details: { fileId: f.id } });
      return f;
    });
    if (!gone) throw notFound();
    return reply.status(204).send(null);
  });

  r.get('/api/v1/dossiers/:id/files/:fileId', {
    schema: { tags: ['dossiers'], summary: 'Download a paper (its applicant or the officials handling the dossier)', params: z.object({ id: z.string(), fileId: z.string() }) },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    const viewer = await assertCanView(db, actor, l);
    if (!/^[0-9a-f-]{36}$/i.test(req.params.fileId)) throw notFound();
    const f = await db.selectFrom('dossierFiles').selectAll().where('id', '=', req.params.fileId).where('dossierId', '=', l.row.id).executeTakeFirst();
    if (!f || (viewer === 'owner' && !applicantMaySee(f.kind, l.view.status))) throw notFound();
    if (viewer === 'official') await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'dossier.file_downloaded', objectType: 'dossier', objectId: l.row.id, details: { fileId: f.id } }));
    return sendAttachment(reply, blobs.open(f.blobSha256), f.filename, f.mime, Number(f.size));
  });

  // ---------------------------------------------------------------- public lookup

  r.get('/api/v1/dossiers/lookup', {
    config: { rateLimit: { max: config.LOOKUP_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      tags: ['dossiers'], summary: 'Public status lookup: code + last 4 digits of the applicant\'s phone (or ID number); no personal data',
      querystring: z.object({ code: z.string().trim().min(3).max(60), phone4: z.string().regex(/^\d{4}$/).optional(), id4: z.string().regex(/^\d{4}$/).optional() }),
      response: { 200: DossierDetail, 400: ApiError, 404: ApiError, 429: ApiError },
    },
  }, async (req, reply) => {
    const { code, phone4, id4 } = req.query;
    if (!phone4 && !id4) throw fieldError('querystring.phone4', 'Cần 4 số cuối của điện thoại hoặc số định danh.', 'Give the last 4 digits of the phone or the ID number.');
    const row = await db.selectFrom('dossiers').select(['id', 'applicantPhone', 'applicantIdEnc']).where('code', '=', code).executeTakeFirst();
    const match = row && ((phone4 && row.applicantPhone?.endsWith(phone4)) || (id4 && row.applicantIdEnc && sealer.open(row.applicantIdEnc).endsWith(id4)));
    // A wrong pair looks exactly like an unknown code.
    if (!row || !match) throw dossierNotFound();
    reply.header('cache-control', 'no-store');
    return presentDossier(db, await load(row.id), 'public');
  });

  // ---------------------------------------------------------------- officials

  r.post('/api/v1/staff/dossiers', {
    schema: { tags: ['dossiers'], summary: 'Record a dossier at the counter (or arrived by post) for a citizen, with or without an account', body: CounterDossierBody, response: { 201: DossierDetail, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const b = req.body;
    const { procedure, agencyId, process } = await procedureFor(b.procedureId, b.channel, b.agencyId);
    if (!(await rolesCovering(db, actor, agencyId)).has('reception_officer')) throw forbidden();
    const problems: FieldError[] = [];
    const phone = b.applicant.phone ? normalisePhone(b.applicant.phone) : null;
    if (b.applicant.phone && !phone) problems.push({ path: 'body.applicant.phone', message: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' } });
    const email = b.applicant.email ? normaliseEmail(b.applicant.email) : null;
    if (b.applicant.email && !email) problems.push({ path: 'body.applicant.email', message: { vi: 'Email không hợp lệ.', en: 'Invalid email.' } });
    const idNumber = b.applicant.idNumber?.replace(/\s/g, '') || null;
    if (idNumber && checkPersonalId(idNumber) !== 'ok' && !/^\d{10}(\d{3})?$/.test(idNumber))
      problems.push({ path: 'body.applicant.idNumber', message: { vi: 'Số định danh (12 số) hoặc mã số thuế (10/13 số) không hợp lệ.', en: 'Invalid personal ID (12 digits) or tax number (10/13 digits).' } });
    if (problems.length) throw validationFailed(problems);
    const owner = phone ? await db.selectFrom('users').select('id').where('phone', '=', phone).where('kind', '=', 'citizen').executeTakeFirst() : undefined;
    const l = await db.transaction().execute((tx) => createDraft(tx, actor, {
      procedureId: procedure.id, agencyId, channel: b.channel, formData: b.formData, delivery: b.delivery,
      applicant: { userId: owner?.id ?? null, name: b.applicant.name, phone, email, idNumber, address: b.applicant.address ?? null },
      durationValue: procedure.processingValue, durationUnit: procedure.processingUnit as 'working_days', process,
    }));
    return reply.status(201).send(await detail(l, 'official'));
  });

  r.post('/api/v1/dossiers/:id/actions', {
    schema: { tags: ['dossiers'], summary: 'An official acts on a dossier (receive, claim, forward, approve, ...)', params: Id, body: ActionBody, response: { 200: DossierDetail, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    const b = req.body;
    if (b.type === 'supplement' || b.type === 'rate') throw forbidden();
    const payload: Record<string, unknown> = {};
    if (b.type === 'assign') {
      if (!b.assigneeId) throw fieldError('body.assigneeId', 'Chọn cán bộ được giao.', 'Choose the official to assign.');
      payload.assigneeId = b.assigneeId;
    }
    if (b.type === 'return_step') {
      if (!b.toStep) throw fieldError('body.toStep', 'Chọn bước trả lại.', 'Choose the step to return to.');
      payload.toStep = b.toStep;
    }
    if (b.type === 'transfer') {
      if (!b.toAgencyId) throw fieldError('body.toAgencyId', 'Chọn cơ quan chuyển đến.', 'Choose the agency to transfer to.');
      payload.toAgencyId = b.toAgencyId;
    }
    if (b.type === 'extend') {
      if (!b.newDueAt) throw fieldError('body.newDueAt', 'Cần ngày hẹn mới.', 'A new appointment is required.');
      if (!b.comment) throw fieldError('body.comment', 'Cần nêu lý do chậm trễ (phiếu xin lỗi).', 'Give the reason for the delay (apology).');
      payload.newDueAt = new Date(b.newDueAt).toISOString();
    }
    if (['refuse', 'stop', 'request_supplement', 'request_supplement_before_reception'].includes(b.type)) {
      if (!b.reasons?.length && !b.comment) throw fieldError('body.reasons', 'Cần nêu lý do.', 'Reasons are required.');
      payload.reasons = b.reasons ?? [b.comment];
    }
    if (b.type === 'return_result') payload.method = b.method ?? 'counter';
    const l = await db.transaction().execute(async (tx) => {
      if (b.type === 'assign') {
        const target = await load(req.params.id, false, tx);
        if (!(await assignableOfficials(tx, target)).some((o) => o.id === b.assigneeId))
          throw fieldError('body.assigneeId', 'Cán bộ không có vai trò xử lý tại cơ quan đang giữ hồ sơ.', 'This official has no processing role in the agency holding the dossier.');
      }
      if (b.type === 'transfer') {
        const ok = await tx.selectFrom('agencies').select('id').where('id', '=', b.toAgencyId!).executeTakeFirst();
        if (!ok) throw fieldError('body.toAgencyId', 'Cơ quan không tồn tại.', 'No such agency.');
      }
      return appendAction(tx, svc, auditCtx(req), req.params.id, { type: b.type, payload, comment: b.comment ?? null, expectedSeq: b.expectedSeq },
        (l) => authorizeOfficialAction(tx, actor, b.type as ActionType, l));
    });
    return detail(l, 'official');
  });

  /** Enabled officials with a processing role over `agencyId` (a role covers its agency's subtree). */
  async function assignableOfficials(tx: Db | Tx, l: Loaded): Promise<AssignableOfficialList['items']> {
    const agencyId = l.row.currentAgencyId ?? l.row.receivingAgencyId;
    const chain = await agencyChain(tx, agencyId);
    const rows = await tx.selectFrom('officialRoles as r').innerJoin('users as u', 'u.id', 'r.userId').innerJoin('agencies as a', 'a.id', 'r.agencyId')
      .select(['u.id', 'u.fullName', 'r.role', 'a.id as agencyId', 'a.name as agencyName'])
      .where('r.agencyId', 'in', chain).where('r.role', 'in', ['specialist', 'division_head', 'agency_leader'])
      .where('u.kind', '=', 'official').where('u.disabledAt', 'is', null)
      .orderBy('u.fullName').orderBy('u.id').execute();
    const step = l.view.stepIndex !== null ? l.steps[l.view.stepIndex] : undefined;
    const byUser = new Map<string, AssignableOfficialList['items'][number]>();
    for (const r of rows) {
      const o = byUser.get(r.id) ?? { id: r.id, fullName: r.fullName, roles: [], agency: { id: r.agencyId, name: r.agencyName }, fitsStep: false };
      if (!o.roles.includes(r.role)) o.roles.push(r.role);
      o.fitsStep ||= !step || step.role === r.role;
      byUser.set(r.id, o);
    }
    return [...byUser.values()].sort((a, b) => Number(b.fitsStep) - Number(a.fitsStep));
  }

  r.get('/api/v1/dossiers/:id/assignees', {
    schema: {
      tags: ['dossiers'], summary: 'Officials a division head or leader of the current step may assign the dossier to (those holding the step\'s role first)',
      params: Id, response: { 200: AssignableOfficialList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    await authorizeOfficialAction(db, actor, 'assign', l);
    reply.header('cache-control', 'no-store');
    return { items: await assignableOfficials(db, l) };
  });

  r.get('/api/v1/staff/queues/:queue', {
    schema: {
      tags: ['dossiers'], summary: 'Work queues of my agencies; overdue and due-soon dossiers first',
      params: z.object({ queue: StaffQueue }),
      querystring: z.object({
        agencyId: z.uuid().optional(), procedureId: z.uuid().optional(), dueBefore: z.iso.datetime({ offset: true }).optional(),
        /** Only the dossiers I hold at their current step (claimed or assigned to me). */
        mine: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
        limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: DossierList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (actor.kind !== 'official') throw forbidden();
    reply.header('cache-control', 'no-store');
    let scope = await subtreeIds(db, actor.roles.filter((x) => x.role !== 'auditor' && x.role !== 'support_agent').map((x) => x.agencyId));
    if (req.query.agencyId) scope = scope.filter((a) => a === req.query.agencyId);
    if (scope.length === 0) return { items: [], total: 0 };
    const cal = await calendar.calendar();
    const now = new Date();
    const soon = cal.addWorkingMinutes(now, cal.minutesPerDay);
    const q = req.query;
    return listDossiers((x) => {
      let w = x;
      switch (req.params.queue) {
        case 'to_receive': w = w.where('d.status', 'in', ['submitted']).where('d.receivingAgencyId', 'in', scope); break;
        case 'in_progress': w = w.where('d.status', '=', 'processing').where('d.currentAgencyId', 'in', scope); break;
        case 'due_soon': w = w.where('d.status', 'in', ['processing', 'waiting_supplement']).where('d.currentAgencyId', 'in', scope).where('d.dueAt', '>=', now).where('d.dueAt', '<=', soon); break;
        case 'overdue': w = w.where('d.status', 'in', ['processing', 'waiting_supplement', 'approved', 'result_ready']).where('d.currentAgencyId', 'in', scope).where('d.dueAt', '<', now); break;
        case 'waiting_supplement': w = w.where('d.status', 'in', ['waiting_supplement', 'awaiting_supplement_before_reception']).where((eb) => eb.or([eb('d.currentAgencyId', 'in', scope), eb('d.receivingAgencyId', 'in', scope)])); break;
        case 'ready_to_return': w = w.where('d.status', 'in', ['approved', 'result_ready']).where('d.receivingAgencyId', 'in', scope); break;
        case 'all': w = w.where('d.status', '!=', 'draft').where((eb) => eb.or([eb('d.currentAgencyId', 'in', scope), eb('d.receivingAgencyId', 'in', scope)])); break;
      }
      if (q.procedureId) w = w.where('d.procedureId', '=', q.procedureId);
      if (q.dueBefore) w = w.where('d.dueAt', '<=', new Date(q.dueBefore));
      if (q.mine) w = w.where('d.assigneeId', '=', actor.userId);
      return w;
    }, q.limit, q.offset, 'urgency', { now, soon });
  });

  type ListQuery = ReturnType<typeof baseList>;
  function baseList() {
    return db.selectFrom('dossiers as d').innerJoin('procedures as p', 'p.id', 'd.procedureId');
  }
  async function listDossiers(filter: (q: ListQuery) => ListQuery, limit: number, offset: number, order: 'd.createdAt desc' | 'urgency', times?: { now: Date; soon: Date }) {
    const now = times?.now ?? new Date();
    const cal = times ? null : await calendar.calendar();
    const soon = times?.soon ?? cal!.addWorkingMinutes(now, cal!.minutesPerDay);
    const q = filter(baseList());
    let rows = q.select([
      'd.id', 'd.code', 'd.procedureId', 'p.name as procedureName', 'd.applicantName', 'd.status', 'd.portalStatus', 'd.channel',
      'd.submittedAt', 'd.receivedAt', 'd.dueAt', 'd.stepDueAt', 'd.assigneeId',
    ]);
    rows = order === 'urgency'
      ? rows.orderBy(sql`CASE d.urgency WHEN 'overdue' THEN 0 WHEN 'due_soon' THEN 1 ELSE 2 END`).orderBy(sql`d.due_at ASC NULLS LAST`).orderBy('d.submittedAt')
      : rows.orderBy('d.createdAt', 'desc');
    const [items, count] = await Promise.all([
      rows.limit(limit).offset(offset).execute(),
      q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: items.map((d) => presentSummary(d, now, soon)),
      total: count.n,
    };
  }
}

/** Display names only: strips paths and control characters, keeps the extension the bytes justify. */
export function cleanFilename(raw: string | undefined, mime: string): string {
  const base = [...((raw ?? '').split(/[\\/]/).pop() ?? '')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'"<>|:*?'.includes(ch))
    .join('').normalize('NFC').trim().slice(0, 200);
  const ext = EXTENSION[mime] ?? 'bin';
  const stem = base.replace(/\.[^.]*$/, '') || 'tep';
  return `${stem}.${ext}`;
}

/** Downloads always as attachments, never sniffed, with an RFC 5987 encoded name. */
export function sendAttachment(reply: FastifyReply, stream: NodeJS.ReadableStream, filename: string, mime: string, size?: number) {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  reply.header('content-type', mime);
  reply.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'private, no-store');
  if (size !== undefined) reply.header('content-length', String(size));
  return reply.send(stream);
}

