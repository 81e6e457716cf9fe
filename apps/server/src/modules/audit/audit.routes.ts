import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '@motcua/contracts';
import { requireActor, type AppDeps } from '../../http/context.ts';
import { forbidden } from '../../http/errors.ts';
import { can } from '../policy/index.ts';
import { verifyAuditChain } from './audit.ts';

const AuditEvent = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function auditRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/audit', {
    schema: {
      tags: ['audit'], summary: 'Audit events, newest first (auditors)',
      querystring: z.object({
        action: z.string().max(100).optional(),
        actorId: z.uuid().optional(),
        objectId: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(AuditEvent), total: z.number() }), 401: ApiError, 403: ApiError },
    },
  }, async (req, reply) => {
    if (!can(requireActor(req), 'audit.read')) throw forbidden();
    reply.header('cache-control', 'no-store');
    let q = db.selectFrom('auditLog');
    if (req.query.action) q = q.where('action', '=', req.query.action);
    if (req.query.actorId) q = q.where('actorId', '=', req.query.actorId);
    if (req.query.objectId) q = q.where('objectId', '=', req.query.objectId);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('seq', 'desc').limit(req.query.limit).offset(req.query.offset).execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((x) => ({
        id: Number(x.seq), at: x.at.toISOString(), actorId: x.actorId, actorName: x.actorName, action: x.action,
        objectType: x.objectType, objectId: x.objectId, ip: x.ip, requestId: x.requestId, details: x.details,
      })),
      total: Number(count.n),
    };
  });

  r.get('/api/v1/audit/verify', {
    schema: {
      tags: ['audit'], summary: 'Recompute the hash chain (auditors)',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), brokenAt: z.number().nullable() }), 401: ApiError, 403: ApiError },
    },
  }, async (req) => {
    if (!can(requireActor(req), 'audit.read')) throw forbidden();
    return verifyAuditChain(db);
  });
}
