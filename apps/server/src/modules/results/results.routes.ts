import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiError, ResultTemplateInput, ResultTemplateState, type ResultPlaceholder } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { forbidden, notFound, validationFailed } from '../../http/errors.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { findProcedureHead, inScope, manageScope } from '../catalog/index.ts';
import { assertCanView, loadDossier, sendAttachment } from '../dossier/index.ts';
import { can, type Actor } from '../policy/index.ts';
import { BASE_PLACEHOLDERS, formPlaceholders, unknownPlaceholders } from './template.ts';
import { findTemplate, presentTemplate, renderResultFor } from './results.service.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const Id = z.object({ id: z.string() });
const isUuid = (s: string) => /^[0-9a-f-]{36}$/i.test(s);
const procedureNotFound = () => notFound({ vi: 'Không tìm thấy thủ tục hành chính.', en: 'Procedure not found.' });
const noTemplate = () => notFound({ vi: 'Thủ tục này chưa có mẫu kết quả.', en: 'This procedure has no result template.' });

/** Sample data for the admin's preview: a made-up dossier, clearly labelled. */
const SAMPLE = {
  code: 'MAU-000000-0001', applicantName: 'Nguyễn Văn Mẫu', applicantIdMasked: '0560****1234', applicantAddress: 'Phường Nha Trang, tỉnh Khánh Hòa',
  applicantPhone: '0900000000', receivedAt: new Date(),
};

/** Result templates: kept per procedure by its admins, previewed, used at approval; officials preview a dossier's result. */
export function resultsRoutes(app: FastifyInstance, { db }: AppDeps, s: { calendar: CalendarService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** The procedure, if `actor` manages it (procedure.manage over every agency it belongs to). */
  async function managed(tx: DbOrTx, actor: Actor, id: string) {
    if (!can(actor, 'procedure.manage')) throw forbidden();
    if (!isUuid(id)) throw procedureNotFound();
    const head = await findProcedureHead(tx, id);
    if (!head) throw procedureNotFound();
    if (!inScope(await manageScope(tx, actor), head.agencyIds)) throw forbidden();
    return head;
  }

  async function placeholdersOf(tx: DbOrTx, procedureId: string): Promise<ResultPlaceholder[]> {
    const p = await tx.selectFrom('procedures').select('onlineForm').where('id', '=', procedureId).executeTakeFirstOrThrow();
    return [...BASE_PLACEHOLDERS, ...formPlaceholders(p.onlineForm)];
  }

  async function state(tx: DbOrTx, procedureId: string) {
    const [t, placeholders, history] = await Promise.all([
      findTemplate(tx, procedureId),
      placeholdersOf(tx, procedureId),
      tx.selectFrom('procedureResultTemplateHistory as h').leftJoin('users as u', 'u.id', 'h.changedBy')
        .select(['h.procedureId', 'h.title', 'h.body', 'h.signerTitle', 'h.numberSuffix', 'h.version', 'h.changedAt as updatedAt', 'u.fullName as changedBy'])
        .where('h.procedureId', '=', procedureId).orderBy('h.version', 'desc').limit(50).execute(),
    ]);
    return {
      template: t ? presentTemplate(t) : null,
      placeholders,
      history: history.map((h) => ({ ...presentTemplate(h), changedBy: h.changedBy })),
    };
  }

  /** 400 naming every placeholder the template uses that does not exist. */
  function checkPlaceholders(b: ResultTemplateInput, known: ResultPlaceholder[]) {
    const issues = (['title', 'body'] as const).flatMap((f) => {
      const bad = unknownPlaceholders(b[f], known);
      return bad.length ? [{
        path: `body.${f}`,
        message: { vi: `Trường thay thế không tồn tại: ${bad.map((x) => `{{${x}}}`).join(', ')}.`, en: `Unknown placeholder: ${bad.map((x) => `{{${x}}}`).join(', ')}.` },
      }] : [];
    });
    if (issues.length) throw validationFailed(issues);
  }

  r.get('/api/v1/admin/procedures/:id/result-template', {
    schema: { tags: ['catalog'], summary: 'The result template of a procedure, the placeholders it may use and its versions (procedure.manage)', params: Id, response: { 200: ResultTemplateState, ...errors } },
  }, async (req, reply) => {
    const head = await managed(db, requireActor(req), req.params.id);
    reply.header('cache-control', 'no-store');
    return state(db, head.id);
  });

  r.put('/api/v1/admin/procedures/:id/result-template', {
    schema: {
      tags: ['catalog'], summary: 'Set the result template: from now on approval generates and signs the result when no official attached one (procedure.manage)',
      params: Id, body: ResultTemplateInput, response: { 200: ResultTemplateState, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const b = req.body;
    return db.transaction().execute(async (tx) => {
      const head = await managed(tx, actor, req.params.id);
      checkPlaceholders(b, await placeholdersOf(tx, head.id));
      await tx.selectFrom('procedures').select('id').where('id', '=', head.id).forUpdate().execute();
      const prev = await findTemplate(tx, head.id);
      const version = (prev?.version ?? (await tx.selectFrom('procedureResultTemplateHistory').select((eb) => eb.fn.max('version').as('v')).where('procedureId', '=', head.id).executeTakeFirst())?.v ?? 0) + 1;
      const row = { title: b.title, body: b.body.replace(/\r\n?/g, '\n'), signerTitle: b.signerTitle, numberSuffix: b.numberSuffix || null, version, updatedBy: actor.userId, updatedAt: new Date() };
      await tx.insertInto('procedureResultTemplates').values({ procedureId: head.id, ...row })
        .onConflict((oc) => oc.column('procedureId').doUpdateSet(row)).execute();
      await tx.insertInto('procedureResultTemplateHistory').values({
        procedureId: head.id, version, title: row.title, body: row.body, signerTitle: row.signerTitle, numberSuffix: row.numberSuffix, changedBy: actor.userId,
      }).execute();
      await writeAudit(tx, auditCtx(req), { action: 'procedure.result_template_saved', objectType: 'procedure', objectId: head.id, details: { version, title: row.title } });
      return state(tx, head.id);
    });
  });

  r.delete('/api/v1/admin/procedures/:id/result-template', {
    schema: { tags: ['catalog'], summary: 'Remove the result template: results are uploaded by the officials again; the versions stay (procedure.manage)', params: Id, response: { 200: ResultTemplateState, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    return db.transaction().execute(async (tx) => {
      const head = await managed(tx, actor, req.params.id);
      const gone = await tx.deleteFrom('procedureResultTemplates').where('procedureId', '=', head.id).returning('version').executeTakeFirst();
      if (!gone) throw noTemplate();
      await writeAudit(tx, auditCtx(req), { action: 'procedure.result_template_removed', objectType: 'procedure', objectId: head.id, details: { version: gone.version } });
      return state(tx, head.id);
    });
  });

  r.post('/api/v1/admin/procedures/:id/result-template/preview', {
    schema: {
      tags: ['catalog'], summary: 'A PDF of the template filled with a made-up dossier (nothing is saved) (procedure.manage)',
      params: Id, body: ResultTemplateInput, response: { ...errors },
    },
  }, async (req, reply) => {
    const head = await managed(db, requireActor(req), req.params.id);
    checkPlaceholders(req.body, await placeholdersOf(db, head.id));
    const agencyId = head.agencyIds[0]!;
    const pdf = await renderResultFor(db, {
      template: { ...req.body, numberSuffix: req.body.numberSuffix || null }, agencyId, issuedAt: new Date(), signerName: 'Người ký (mẫu)',
      dossier: { ...SAMPLE, procedureId: head.id, formData: {} },
    });
    reply.header('cache-control', 'no-store');
    return sendAttachment(reply, Readable.from([Buffer.from(pdf)]), 'mau-ket-qua.pdf', 'application/pdf', pdf.length);
  });

  r.get('/api/v1/dossiers/:id/result-preview.pdf', {
    schema: {
      tags: ['dossiers'], summary: 'Officials of the dossier: the result its procedure\'s template would generate now (unsigned, not stored)',
      params: Id, response: { ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const notFoundDossier = () => notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });
    if (!isUuid(req.params.id)) throw notFoundDossier();
    const l = await loadDossier(db, s.calendar, req.params.id);
    if (!l) throw notFoundDossier();
    if ((await assertCanView(db, actor, l)) !== 'official') throw forbidden();
    const template = await findTemplate(db, l.row.procedureId);
    if (!template) throw noTemplate();
    const pdf = await renderResultFor(db, {
      template, dossier: l.row, agencyId: l.row.currentAgencyId ?? l.row.receivingAgencyId, issuedAt: new Date(), signerName: null,
    });
    reply.header('cache-control', 'no-store');
    return sendAttachment(reply, Readable.from([Buffer.from(pdf)]), `du-thao-ket-qua-${l.row.code ?? 'ho-so'}.pdf`, 'application/pdf', pdf.length);
  });
}
