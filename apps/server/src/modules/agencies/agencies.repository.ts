import { sql } from 'kysely';
import type { Agency } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';

const columns = [
  'a.id', 'a.code', 'a.name', 'a.nameEn', 'a.shortName', 'a.level', 'a.parentId', 'a.address', 'a.phone',
  'a.validFrom', 'a.validTo', 'a.successorId', 'p.code as parentCode', 's.code as successorCode',
] as const;

function base(db: DbOrTx) {
  return db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parentId')
    .leftJoin('agencies as s', 's.id', 'a.successorId')
    .select(columns);
}

export interface AgencyQuery {
  q?: string;
  level?: string;
  parentId?: string;
  includeDissolved?: boolean;
  /** Only agencies in these subtrees (for scoped lists). */
  within?: string[];
  limit: number;
  offset: number;
}

/** Diacritic-insensitive search over name, short name and code ("so thong tin" finds "Sở Thông tin"). */
export async function listAgencies(db: DbOrTx, q: AgencyQuery): Promise<{ items: Agency[]; total: number }> {
  let query = base(db);
  // Every word must appear somewhere, accents and case aside: "khoa hoc cong nghe" finds "Khoa học và Công nghệ".
  for (const word of (q.q ?? '').split(/\s+/).filter(Boolean).slice(0, 10)) {
    const term = `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(f_unaccent(a.name || ' ' || coalesce(a.name_en, '') || ' ' || a.short_name || ' ' || a.code)) LIKE lower(f_unaccent(${term}))`);
  }
  if (q.level) query = query.where('a.level', '=', q.level);
  if (q.parentId) query = query.where('a.parentId', '=', q.parentId);
  if (!q.includeDissolved) query = query.where((eb) => eb.or([eb('a.validTo', 'is', null), eb('a.validTo', '>=', sql<string>`current_date`)]));
  if (q.within) {
    const roots = q.within;
    if (roots.length === 0) return { items: [], total: 0 };
    query = query.where(sql<boolean>`a.id IN ${subtreeOf(roots)}`);
  }
  const [items, count] = await Promise.all([
    query.orderBy('a.code').limit(q.limit).offset(q.offset).execute(),
    query.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as Agency[], total: count.n };
}

function subtreeOf(roots: string[]) {
  return sql<{ id: string }>`(
    WITH RECURSIVE t(id) AS (
      SELECT id FROM agencies WHERE id = ANY(${roots}::uuid[])
      UNION SELECT c.id FROM agencies c JOIN t ON c.parent_id = t.id
    ) SELECT id FROM t)`;
}

/** Ids of every agency in the subtrees under `roots` (roots included). */
export async function subtreeIds(db: DbOrTx, roots: string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const r = await sql<{ id: string }>`
    WITH RECURSIVE t(id) AS (
      SELECT id FROM agencies WHERE id = ANY(${roots}::uuid[])
      UNION SELECT c.id FROM agencies c JOIN t ON c.parent_id = t.id
    ) SELECT id FROM t`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function findAgency(db: DbOrTx, id: string): Promise<Agency | undefined> {
  return (await base(db).where('a.id', '=', id).executeTakeFirst()) as Agency | undefined;
}

/** The agency itself, then its parent, up to the root: what the policy checks roles against. */
export async function agencyChain(db: DbOrTx, id: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM agencies WHERE id = ${id}::uuid
      UNION ALL SELECT a.id, a.parent_id, up.depth + 1 FROM agencies a JOIN up ON a.id = up.parent_id WHERE up.depth < 20
    ) SELECT id FROM up ORDER BY depth`.execute(db);
  return r.rows.map((x) => x.id);
}
