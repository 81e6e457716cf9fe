import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RoleGrant } from '@motcua/contracts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import { randomToken, sha256 } from './secrets.ts';
import type { Actor } from '../policy/index.ts';

export const SESSION_COOKIE = '__Host-motcua_sid';

export interface LoadedSession {
  idHash: Buffer;
  csrfToken: string;
  actor: Actor;
  /** What "who am I" answers, loaded with the session in the same query. */
  email: string | null;
  phone: string | null;
  grants: RoleGrant[];
}

/** Creates a session row and returns the cookie value (only its hash is stored). */
export async function createSession(
  db: DbOrTx,
  config: Config,
  userId: string,
  req: FastifyRequest,
): Promise<{ id: string; csrfToken: string }> {
  const id = randomToken(32);
  const csrfToken = randomToken(24);
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      idHash: sha256(id),
      userId,
      csrfToken,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config.SESSION_ABSOLUTE_HOURS * 3600_000),
      ip: req.ip,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 300),
    })
    .execute();
  return { id, csrfToken };
}

export function setSessionCookie(reply: FastifyReply, config: Config, id: string): void {
  reply.setCookie(SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    maxAge: config.SESSION_ABSOLUTE_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
}

/**
 * Loads the live session for a cookie value in one query: not revoked, within the absolute
 * lifetime and the idle timeout, user not disabled. Touches `last_seen_at` at most once a minute.
 */
export async function loadSession(db: Db, config: Config, cookieValue: string): Promise<LoadedSession | null> {
  const idHash = sha256(cookieValue);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select([
      's.csrfToken',
      's.lastSeenAt',
      'u.id as userId',
      'u.kind',
      'u.fullName',
      'u.email',
      'u.phone',
      sql<RoleGrant[]>`coalesce((SELECT json_agg(json_build_object('role', r.role, 'agencyId', r.agency_id, 'agencyCode', a.code, 'agencyName', a.name) ORDER BY a.code, r.role) FROM official_roles r JOIN agencies a ON a.id = r.agency_id WHERE r.user_id = u.id), '[]'::json)`.as(
        'roles',
      ),
    ])
    .where('s.idHash', '=', idHash)
    .where('s.revokedAt', 'is', null)
    .where('s.expiresAt', '>', sql<Date>`now()`)
    .where('s.lastSeenAt', '>', sql<Date>`now() - make_interval(mins => ${config.SESSION_IDLE_MINUTES})`)
    .where('u.disabledAt', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db.updateTable('sessions').set({ lastSeenAt: new Date() }).where('idHash', '=', idHash).execute();
  }
  return {
    idHash,
    csrfToken: row.csrfToken,
    actor: { userId: row.userId, kind: row.kind, fullName: row.fullName, roles: row.roles.map((r) => ({ role: r.role, agencyId: r.agencyId })) },
    email: row.email,
    phone: row.phone,
    grants: row.roles,
  };
}

export async function revokeSession(db: DbOrTx, idHash: Buffer): Promise<void> {
  await db.updateTable('sessions').set({ revokedAt: new Date() }).where('idHash', '=', idHash).where('revokedAt', 'is', null).execute();
}

export async function revokeAllSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.updateTable('sessions').set({ revokedAt: new Date() }).where('userId', '=', userId).where('revokedAt', 'is', null).execute();
}
