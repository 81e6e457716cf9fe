import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminProcedureQuery, ApiError, ImportJob, ImportJobList, ImportReport, ProcedureDetail, ProcedureFieldList, ProcedureHistory,
  ProcedureInput, ProcedureList, ProcedurePatch, ProcedureSearchQuery,
} from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { can } from '../policy/index.ts';
import { importCatalog } from './catalog.import.ts';
import {
  findDetail, findHead, findImportJob, findTemplate, listFields, listHistory, listImportJobs, loadSnapshots, searchProcedures,
} from './catalog.repository.ts';
import {
  MAX_TEMPLATE_BYTES, createProcedure, getVisibleDetail, inScope, isUuid, manageScope, patchProcedure, procedureNotFound,
  setPublication, uploadTemplate,
} from './catalog.service.ts';
import { contentDisposition } from './file-types.ts';
import { parseSearch } from './model.ts';
import { MAX_IMPORT_BYTES, writeCsv, writeXlsx } from './spreadsheet.ts';
import { readUpload } from './upload.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const IdParams = z.object({ id: z.string().max(100) });
const ComponentParams = z.object({ id: z.string().max(100), componentId: z.string().max(100) });
const File = z.unknown().describe('The file (binary)');

export function catalogRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // -------------------------------------------------------------------------------------------
  // Public

  r.get('/api/v1/procedure-fields', {
    schema: { tags: ['catalog'], summary: 'Fields (lĩnh vực) of the catalogue, with their published procedure counts (public)', response: { 200: ProcedureFieldList } },
  }, async () => ({ items: await listFields(db) }));

  r.get('/api/v1/procedures', {
    schema: {
      tags: ['catalog'],
      summary: 'Search published procedures (public): accent-insensitive, typo-tolerant, ranked',
      querystring: ProcedureSearchQuery,
      response: { 200: ProcedureList, 400: ApiError },
    },
  }, async (req) => {
    const { q, ...rest } = req.query;
    return searchProcedures(db, { ...rest, terms: parseSearch(q), published: true });
  });

  r.get('/api/v1/procedures/:id', {
    schema: {
      tags: ['catalog'],
      summary: 'One procedure with everything a citizen needs (public; unpublished ones only for the officials who manage them)',
      params: IdParams,
      response: { 200: ProcedureDetail, 404: ApiError },
    },
  }, async (req, reply) => {
    const d = await getVisibleDetail(db, req.actor, req.params.id);
    if (!d.published) reply.header('cache-control', 'no-store');
    return d;
  });

  r.get('/api/v1/procedures/:id/components/:componentId/template', {
    schema: {
      tags: ['catalog'],
      summary: 'Download the template form of a dossier component (public for published procedures)',
      params: ComponentParams,
      response: { 200: File, 404: ApiError },
    },
  }, async (req, reply) => {
    const gone = () => notFound({ vi: 'Không tìm thấy mẫu đơn, tờ khai.', en: 'Template not found.' });
    const { id, componentId } = req.params;
    if (!isUuid(id) || !isUuid(componentId)) throw gone();
    const head = await findHead(db, id);
    if (!head) throw gone();
    if (!head.published && !inScope(await manageScope(db, req.actor), head.agencyIds)) throw gone();
    const t = await findTemplate(db, id, componentId);
    if (!t) throw gone();
    return reply
      .header('content-type', t.mime)
      .header('content-length', String(t.size))
      .header('content-disposition', contentDisposition(t.filename ?? `mau.${t.mime === 'application/pdf' ? 'pdf' : 'bin'}`))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', head.published ? 'public, max-age=300' : 'no-store')
      .header('etag', `"${t.sha256}"`)
      .send(t.content);
  });

  // -------------------------------------------------------------------------------------------
  // Administration (procedure.manage, scoped to the agencies an official administers)

  async function requireScope(req: Parameters<typeof requireActor>[0]) {
    const actor = requireActor(req);
    if (!can(actor, 'procedure.manage')) throw forbidden();
    const scope = await manageScope(db, actor);
    if (!scope) throw forbidden();
    return { actor, scope };
  }

  r.get('/api/v1/admin/procedures', {
    schema: {
      tags: ['catalog'], summary: 'Procedures I manage, published or not (procedure.manage)',
      querystring: AdminProcedureQuery, response: { 200: ProcedureList, ...errors },
    },
  }, async (req, reply) => {
    const { scope } = await requireScope(req);
    reply.header('cache-control', 'no-store');
    const { q, ...rest } = req.query;
    return searchProcedures(db, { ...rest, terms: parseSearch(q), within: [...scope] });
  });

  r.post('/api/v1/admin/procedures', {
    schema: { tags: ['catalog'], summary: 'Create a procedure (procedure.manage)', body: ProcedureInput, response: { 201: ProcedureDetail, ...errors } },
  }, async (req, reply) => {
    const id = await createProcedure(db, requireActor(req), auditCtx(req), req.body);
    return reply.status(201).send((await findDetail(db, id))!);
  });

  r.patch('/api/v1/admin/procedures/:id', {
    schema: {
      tags: ['catalog'], summary: 'Change a procedure; components and fees are replaced as whole lists (procedure.manage)',
      params: IdParams, body: ProcedurePatch, response: { 200: ProcedureDetail, ...errors },
    },
  }, async (req) => {
    await patchProcedure(db, requireActor(req), auditCtx(req), req.params.id, req.body);
    return (await findDetail(db, req.params.id))!;
  });

  for (const [path, published] of [['publish', true], ['unpublish', false]] as const) {
    r.post(`/api/v1/admin/procedures/:id/${path}`, {
      schema: { tags: ['catalog'], summary: `${published ? 'Publish' : 'Unpublish'} a procedure (procedure.manage)`, params: IdParams, response: { 200: ProcedureDetail, ...errors } },
    }, async (req) => {
      await setPublication(db, requireActor(req), auditCtx(req), req.params.id, published);
      return (await findDetail(db, req.params.id))!;
    });
  }

  r.get('/api/v1/admin/procedures/:id/history', {
    schema: {
      tags: ['catalog'], summary: 'Change history of a procedure, newest first (procedure.manage)',
      params: IdParams,
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: ProcedureHistory, ...errors },
    },
  }, async (req, reply) => {
    const { scope } = await requireScope(req);
    if (!isUuid(req.params.id)) throw procedureNotFound();
    const head = await findHead(db, req.params.id);
    if (!head) throw procedureNotFound();
    if (!inScope(scope, head.agencyIds)) throw forbidden();
    reply.header('cache-control', 'no-store');
    return listHistory(db, head.id, req.query.limit, req.query.offset);
  });

  r.put('/api/v1/admin/procedures/:id/components/:componentId/template', {
    schema: {
      tags: ['catalog'],
      summary: 'Upload the template form of a component: multipart field `file`, PDF, DOC, DOCX or XLSX up to 5 MB (procedure.manage)',
      params: ComponentParams,
      consumes: ['multipart/form-data'],
      response: { 200: ProcedureDetail, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'procedure.manage')) throw forbidden();
    const upload = await readUpload(req, MAX_TEMPLATE_BYTES + 1);
    await uploadTemplate(db, actor, auditCtx(req), req.params.id, req.params.componentId, upload);
    return (await findDetail(db, req.params.id))!;
  });

  // -------------------------------------------------------------------------------------------
  // Import and export

  r.post('/api/v1/admin/procedures/import', {
    schema: {
      tags: ['catalog'],
      summary: 'Import a catalogue (.xlsx or .csv in multipart field `file`). dryRun=true (default) reports row by row; ' +
        'dryRun=false writes all rows in one transaction, or nothing if any row is rejected (procedure.manage)',
      querystring: z.object({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }),
      consumes: ['multipart/form-data'],
      response: { 200: ImportReport, 201: ImportReport, ...errors },
    },
  }, async (req, reply) => {
    const { actor, scope } = await requireScope(req);
    const upload = await readUpload(req, MAX_IMPORT_BYTES);
    const report = await importCatalog(db, auditCtx(req), { scope, actorId: actor.userId, file: upload, dryRun: req.query.dryRun });
    return reply.status(req.query.dryRun ? 200 : 201).send(report);
  });

  r.get('/api/v1/admin/procedures/import', {
    schema: { tags: ['catalog'], summary: 'My recent import runs, newest first (all runs for a province admin)', response: { 200: ImportJobList, ...errors } },
  }, async (req, reply) => {
    const { actor } = await requireScope(req);
    reply.header('cache-control', 'no-store');
    const all = actor.roles.some((x) => x.role === 'province_admin');
    return { items: await listImportJobs(db, all ? null : actor.userId, 20) };
  });

  r.get('/api/v1/admin/procedures/import/:jobId', {
    schema: {
      tags: ['catalog'], summary: 'Status and progress of an import run (its author, or a province admin)',
      params: z.object({ jobId: z.string().max(100) }), response: { 200: ImportJob, ...errors },
    },
  }, async (req, reply) => {
    const { actor } = await requireScope(req);
    const gone = () => notFound({ vi: 'Không tìm thấy lượt nhập.', en: 'Import run not found.' });
    if (!isUuid(req.params.jobId)) throw gone();
    const job = await findImportJob(db, req.params.jobId);
    if (!job || (job.createdBy !== actor.userId && !actor.roles.some((x) => x.role === 'province_admin'))) throw gone();
    reply.header('cache-control', 'no-store');
    return job;
  });

  r.get('/api/v1/admin/procedures/export', {
    schema: {
      tags: ['catalog'], summary: 'Export the procedures I manage in the import format (.xlsx or .csv)',
      querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      response: { 200: File, ...errors },
    },
  }, async (req, reply) => {
    const { scope } = await requireScope(req);
    const snapshots = [...(await loadSnapshots(db, { within: [...scope] })).values()].map((s) => s.snapshot);
    const body = req.query.format === 'xlsx' ? await writeXlsx(snapshots) : writeCsv(snapshots);
    const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return reply
      .header('content-type', req.query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(`danh-muc-thu-tuc-${stamp}.${req.query.format}`))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(body);
  });
}
