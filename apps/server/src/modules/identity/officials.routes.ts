import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { ApiError, OfficialRole, RoleGrant } from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { conflict, fieldError, forbidden, notFound, validationFailed } from '../../http/errors.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import { can, scopeRoots, type Actor } from '../policy/index.ts';
import { hashPassword } from './passwords.ts';
import { randomToken } from './secrets.ts';
import { revokeAllSessions } from './sessions.ts';
import { roleGrants } from './users.repository.ts';
import { normaliseEmail, normalisePhone } from './validators.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

const Official = z.object({
  id: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  totpEnrolled: z.boolean(),
  roles: z.array(RoleGrant),
});
type Official = z.infer<typeof Official>;

const RoleInput = z.strictObject({ role: OfficialRole, agencyId: z.uuid() });

const officialNotFound = () => notFound({ vi: 'Không tìm thấy cán bộ.', en: 'Official not found.' });

export function officialsRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function present(id: string): Promise<Official | undefined> {
    const u = await db.selectFrom('users').selectAll().where('id', '=', id).where('kind', '=', 'official').executeTakeFirst();
    if (!u) return undefined;
    return {
      id: u.id, fullName: u.fullName, email: u.email, phone: u.phone,
      disabled: u.disabledAt !== null, totpEnrolled: u.totpEnrolledAt !== null,
      roles: await roleGrants(db, u.id),
    };
  }

  /**
   * Every grant must fall in an agency the actor administers, and only a province admin may
   * hand out the province-admin or auditor roles.
   */
  async function checkGrants(actor: Actor, roles: { role: OfficialRole; agencyId: string }[]) {
    for (const [i, g] of roles.entries()) {
      const chain = await agencyChain(db, g.agencyId);
      if (chain.length === 0) throw fieldError(`body.roles.${i}.agencyId`, 'Cơ quan không tồn tại.', 'The agency does not exist.');
      if (!can(actor, 'official.create', chain)) throw forbidden();
      const elevated = g.role === 'province_admin' || g.role === 'auditor';
      if (elevated && !actor.roles.some((x) => x.role === 'province_admin' && chain.includes(x.agencyId))) throw forbidden();
    }
  }

  /** An agency admin may manage an official only if every role the official holds is within reach. */
  async function checkManageable(actor: Actor, target: Official) {
    if (target.roles.length === 0) {
      if (!can(actor, 'official.update') || !actor.roles.some((x) => x.role === 'province_admin')) throw forbidden();
      return;
    }
    for (const g of target.roles) if (!can(actor, 'official.update', await agencyChain(db, g.agencyId))) throw officialNotFound();
  }

  r.get('/api/v1/admin/officials', {
    schema: {
      tags: ['identity'], summary: 'Officials in the agencies I administer',
      querystring: z.object({
        agencyId: z.uuid().optional(),
        q: z.string().trim().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(Official), total: z.number() }), ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'official.list')) throw forbidden();
    reply.header('cache-control', 'no-store');
    let agencies = await subtreeIds(db, scopeRoots(actor, 'official.list'));
    if (req.query.agencyId) agencies = agencies.filter((a) => a === req.query.agencyId);
    if (agencies.length === 0) return { items: [], total: 0 };
    let q = db.selectFrom('users as u').where('u.kind', '=', 'official')
      .where((eb) => eb.exists(eb.selectFrom('officialRoles as r').select('r.userId').whereRef('r.userId', '=', 'u.id').where('r.agencyId', 'in', agencies)));
    if (req.query.q) {
      const term = `%${req.query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`lower(f_unaccent(u.full_name || ' ' || coalesce(u.email, ''))) LIKE lower(f_unaccent(${term}))`);
    }
    const [ids, count] = await Promise.all([
      q.select('u.id').orderBy('u.fullName').limit(req.query.limit).offset(req.query.offset).execute(),
      q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const items = (await Promise.all(ids.map((x) => present(x.id)))).filter((x): x is Official => !!x);
    return { items, total: count.n };
  });

  r.post('/api/v1/admin/officials', {
    schema: {
      tags: ['identity'], summary: 'Create an official (gets a one-time temporary password; enrols TOTP at first sign-in)',
      body: z.strictObject({
        fullName: z.string().trim().min(1).max(200),
        email: z.string().trim().max(254),
        phone: z.string().trim().max(20).nullable().optional(),
        roles: z.array(RoleInput).min(1).max(20),
      }),
      response: { 201: z.object({ official: Official, temporaryPassword: z.string() }), ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'official.create')) throw forbidden();
    const email = normaliseEmail(req.body.email);
    const phone = req.body.phone ? normalisePhone(req.body.phone) : null;
    const problems = [];
    if (!email) problems.push({ path: 'body.email', message: { vi: 'Email không hợp lệ.', en: 'Invalid email address.' } });
    if (req.body.phone && !phone) problems.push({ path: 'body.phone', message: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' } });
    if (problems.length) throw validationFailed(problems);
    await checkGrants(actor, req.body.roles);
    const temporaryPassword = randomToken(12);
    const passwordHash = await hashPassword(temporaryPassword);
    const id = await db.transaction().execute(async (tx) => {
      const u = await tx.insertInto('users')
        .values({ kind: 'official', fullName: req.body.fullName, email, phone, passwordHash, mustChangePassword: true })
        .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      if (!u) throw conflict('account_exists', { vi: 'Email hoặc số điện thoại đã được dùng.', en: 'The email or phone number is already in use.' });
      await tx.insertInto('officialRoles').values(req.body.roles.map((g) => ({ userId: u.id, ...g }))).onConflict((oc) => oc.doNothing()).execute();
      await writeAudit(tx, auditCtx(req), { action: 'official.created', objectType: 'user', objectId: u.id, details: { roles: req.body.roles } });
      return u.id;
    });
    return reply.status(201).send({ official: (await present(id))!, temporaryPassword });
  });

  r.patch('/api/v1/admin/officials/:id', {
    schema: {
      tags: ['identity'], summary: 'Disable/enable an official or replace their roles (disabling kills their sessions)',
      params: z.object({ id: z.string() }),
      body: z.strictObject({ disabled: z.boolean().optional(), roles: z.array(RoleInput).min(1).max(20).optional() }),
      response: { 200: Official, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'official.update')) throw forbidden();
    if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) throw officialNotFound();
    const target = await present(req.params.id);
    if (!target) throw officialNotFound();
    await checkManageable(actor, target);
    if (req.body.roles) await checkGrants(actor, req.body.roles);
    if (target.id === actor.userId && req.body.disabled)
      throw fieldError('body.disabled', 'Bạn không thể tự vô hiệu hóa tài khoản của mình.', 'You cannot disable your own account.');
    await db.transaction().execute(async (tx) => {
      if (req.body.disabled !== undefined) {
        await tx.updateTable('users').set({ disabledAt: req.body.disabled ? new Date() : null, updatedAt: new Date() }).where('id', '=', target.id).execute();
        if (req.body.disabled) await revokeAllSessions(tx, target.id);
      }
      if (req.body.roles) {
        await tx.deleteFrom('officialRoles').where('userId', '=', target.id).execute();
        await tx.insertInto('officialRoles').values(req.body.roles.map((g) => ({ userId: target.id, ...g }))).onConflict((oc) => oc.doNothing()).execute();
      }
      await writeAudit(tx, auditCtx(req), { action: req.body.disabled ? 'official.disabled' : 'official.updated', objectType: 'user', objectId: target.id, details: req.body });
    });
    return (await present(target.id))!;
  });
}
