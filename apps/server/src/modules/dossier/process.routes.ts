import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { fieldError, forbidden, notFound } from '../../http/errors.ts';
import { agencyChain } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import { currentProcess, ProcessSchema, ProcessStepSchema, saveProcess } from './process.ts';

const ProcessOut = z.object({ id: z.string(), version: z.number(), steps: z.array(ProcessStepSchema) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };

/** Admins define each procedure's internal process; every change is a new version. */
export function processRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function authorize(actorId: ReturnType<typeof requireActor>, procedureId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(procedureId)) throw notFound();
    const agencies = await db.selectFrom('procedureAgencies').select('agencyId').where('procedureId', '=', procedureId).execute();
    if (agencies.length === 0) throw notFound({ vi: 'Không tìm thấy thủ tục.', en: 'Procedure not found.' });
    for (const a of agencies) if (can(actorId, 'procedure.manage', await agencyChain(db, a.agencyId))) return;
    throw forbidden();
  }

  r.get('/api/v1/admin/procedures/:id/process', {
    schema: { tags: ['dossiers'], summary: "A procedure's current internal process", params: z.object({ id: z.string() }), response: { 200: ProcessOut, ...errors } },
  }, async (req) => {
    await authorize(requireActor(req), req.params.id);
    return db.transaction().execute((tx) => currentProcess(tx, req.params.id));
  });

  r.put('/api/v1/admin/procedures/:id/process', {
    schema: {
      tags: ['dossiers'], summary: 'Define a new version of the internal process (dossiers keep the version they started with)',
      params: z.object({ id: z.string() }), body: z.strictObject({ steps: ProcessSchema }), response: { 200: ProcessOut, ...errors },
    },
  }, async (req) => {
    await authorize(requireActor(req), req.params.id);
    for (const [i, s] of req.body.steps.entries()) {
      if (s.agencyId && !(await db.selectFrom('agencies').select('id').where('id', '=', s.agencyId).executeTakeFirst()))
        throw fieldError(`body.steps.${i}.agencyId`, 'Cơ quan không tồn tại.', 'No such agency.');
    }
    return db.transaction().execute(async (tx) => {
      const saved = await saveProcess(tx, req.params.id, req.body.steps, req.actor!.userId);
      await writeAudit(tx, auditCtx(req), { action: 'procedure.process_saved', objectType: 'procedure', objectId: req.params.id, details: { version: saved.version } });
      return saved;
    });
  });
}
