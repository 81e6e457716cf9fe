import { sql } from 'kysely';
import type { RoleGrant, OfficialRole } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';

export async function findUserByIdentifier(db: DbOrTx, by: { email?: string; phone?: string }) {
  let q = db.selectFrom('users').selectAll();
  if (by.email) q = q.where(sql<string>`lower(email)`, '=', by.email);
  else if (by.phone) q = q.where('phone', '=', by.phone);
  else return undefined;
  return q.executeTakeFirst();
}

export const findUserById = (db: DbOrTx, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function roleGrants(db: DbOrTx, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('officialRoles as r')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .select(['r.role', 'r.agencyId', 'a.code as agencyCode', 'a.name as agencyName'])
    .where('r.userId', '=', userId)
    .orderBy('a.code')
    .orderBy('r.role')
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as OfficialRole }));
}

/** Failed logins in the last hour, for an account and for a source address. */
export async function recentFailures(db: DbOrTx, userId: string | null, ip: string) {
  const row = await db
    .selectFrom('loginAttempts')
    .select([
      sql<number>`count(*) FILTER (WHERE user_id = ${userId})::int`.as('byUser'),
      sql<number>`count(*) FILTER (WHERE ip = ${ip})::int`.as('byIp'),
    ])
    .where('succeeded', '=', false)
    .where('at', '>', sql<Date>`now() - interval '1 hour'`)
    .where((eb) => eb.or([eb('ip', '=', ip), ...(userId ? [eb('userId', '=', userId)] : [])]))
    .executeTakeFirstOrThrow();
  return row;
}

export const recordAttempt = (db: DbOrTx, userId: string | null, ip: string, succeeded: boolean) =>
  db.insertInto('loginAttempts').values({ userId, ip, succeeded }).execute();
