import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Agency, AgencyLevel, AgencyList, ApiError } from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { writeAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import { agencyChain, findAgency, listAgencies } from './agencies.repository.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const AgencyCode = z.string().regex(/^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3}$/);

const AgencyInput = z.strictObject({
  code: AgencyCode,
  name: z.string().trim().min(1).max(300),
  nameEn: z.string().trim().max(300).nullable().optional(),
  shortName: z.string().trim().min(1).max(30),
  level: AgencyLevel,
  parentId: z.uuid().nullable(),
  address: z.string().trim().max(500).nullable().optional(),
  phone: z.string().trim().max(30).nullable().optional(),
  validFrom: isoDate,
  validTo: isoDate.nullable().optional(),
  successorId: z.uuid().nullable().optional(),
});
const AgencyPatch = AgencyInput.partial();

const agencyNotFound = () => notFound({ vi: 'Không tìm thấy cơ quan.', en: 'Agency not found.' });
const notFoundIfNotUuid = (id: string) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw agencyNotFound();
};

export function agenciesRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/agencies', {
    schema: {
      tags: ['agencies'],
      summary: 'List and search agencies (public)',
      querystring: z.object({
        q: z.string().trim().max(200).optional(),
        level: AgencyLevel.optional(),
        parentId: z.uuid().optional(),
        includeDissolved: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      response: { 200: AgencyList, 400: ApiError },
    },
  }, async (req) => listAgencies(db, req.query));

  r.get('/api/v1/agencies/:id', {
    schema: { tags: ['agencies'], summary: 'One agency (public)', params: z.object({ id: z.string() }), response: { 200: Agency, 404: ApiError } },
  }, async (req) => {
    notFoundIfNotUuid(req.params.id);
    const a = await findAgency(db, req.params.id);
    if (!a) throw agencyNotFound();
    return a;
  });

  /** Checks references and dates that the schema alone cannot; returns nothing or throws 400. */
  async function checkRefs(input: { parentId?: string | null; successorId?: string | null; validFrom?: string; validTo?: string | null }, selfId?: string) {
    if (input.parentId) {
      if (!(await findAgency(db, input.parentId))) throw fieldError('body.parentId', 'Cơ quan cấp trên không tồn tại.', 'The parent agency does not exist.');
      if (selfId && (await agencyChain(db, input.parentId)).includes(selfId))
        throw fieldError('body.parentId', 'Không thể đặt cơ quan cấp dưới làm cấp trên.', 'An agency cannot sit under its own descendant.');
    }
    if (input.successorId) {
      if (input.successorId === selfId || !(await findAgency(db, input.successorId)))
        throw fieldError('body.successorId', 'Cơ quan kế thừa không hợp lệ.', 'Invalid successor agency.');
      if (!input.validTo) throw fieldError('body.validTo', 'Cần ngày kết thúc khi có cơ quan kế thừa.', 'An end date is required when there is a successor.');
    }
    if (input.validFrom && input.validTo && input.validTo < input.validFrom)
      throw fieldError('body.validTo', 'Ngày kết thúc phải sau ngày bắt đầu.', 'The end date must not be before the start date.');
  }

  const codeTaken = () => conflict('agency_code_taken', { vi: 'Mã định danh cơ quan đã tồn tại.', en: 'This agency code already exists.' });

  r.post('/api/v1/admin/agencies', {
    schema: { tags: ['agencies'], summary: 'Create an agency (province admin)', body: AgencyInput, response: { 201: Agency, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'agency.create')) throw forbidden();
    await checkRefs(req.body);
    const allowed = req.body.parentId
      ? can(actor, 'agency.create', await agencyChain(db, req.body.parentId))
      : can(actor, 'agency.create');
    if (!allowed) throw forbidden();
    const id = await db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('agencies').values({
        ...req.body,
        nameEn: req.body.nameEn ?? null,
        address: req.body.address ?? null,
        phone: req.body.phone ?? null,
        validTo: req.body.validTo ?? null,
        successorId: req.body.successorId ?? null,
      }).onConflict((oc) => oc.column('code').doNothing()).returning('id').executeTakeFirst();
      if (!row) throw codeTaken();
      await writeAudit(tx, auditCtx(req), { action: 'agency.created', objectType: 'agency', objectId: row.id, details: { code: req.body.code } });
      return row.id;
    });
    return reply.status(201).send((await findAgency(db, id))!);
  });

  r.patch('/api/v1/admin/agencies/:id', {
    schema: { tags: ['agencies'], summary: 'Change an agency (province admin, or its agency admin)', params: z.object({ id: z.string() }), body: AgencyPatch, response: { 200: Agency, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    notFoundIfNotUuid(req.params.id);
    const current = await findAgency(db, req.params.id);
    if (!current) throw agencyNotFound();
    if (!can(actor, 'agency.update', await agencyChain(db, current.id))) throw forbidden();
    // Moving an agency in the tree or creating structure is for province admins only.
    if ((req.body.parentId !== undefined && req.body.parentId !== current.parentId) && !can(actor, 'agency.create')) throw forbidden();
    const merged = { ...current, ...req.body };
    await checkRefs(merged, current.id);
    await db.transaction().execute(async (tx) => {
      const changed = Object.fromEntries(Object.entries(req.body).filter(([k, v]) => (current as Record<string, unknown>)[k] !== v));
      if (req.body.code && req.body.code !== current.code) {
        const clash = await tx.selectFrom('agencies').select('id').where('code', '=', req.body.code).executeTakeFirst();
        if (clash) throw codeTaken();
      }
      await tx.updateTable('agencies').set({ ...req.body, updatedAt: new Date() }).where('id', '=', current.id).execute();
      await writeAudit(tx, auditCtx(req), { action: 'agency.updated', objectType: 'agency', objectId: current.id, details: { changed } });
    });
    return (await findAgency(db, current.id))!;
  });
}
