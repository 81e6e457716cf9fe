/** Plain Kysely functions over the feedback tables: the only place their SQL lives. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { FeedbackItemsTable } from '../../db/schema.ts';
import type { FeedbackEvent, FeedbackEventType, FeedbackView } from './state.ts';

export type FeedbackRow = Selectable<FeedbackItemsTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The next feedback code for a local day: PAKN-{yyMMdd}-{4-digit sequence}. One atomic upsert
 * bumps the day's counter, so concurrent filings never share a number.
 */
export async function nextFeedbackCode(tx: DbOrTx, localDate: string): Promise<string> {
  const row = await tx.insertInto('feedbackCodeCounters').values({ day: localDate, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ last: eb('feedbackCodeCounters.last', '+', 1) })))
    .returning('last').executeTakeFirstOrThrow();
  const [y, m, d] = localDate.split('-') as [string, string, string];
  return `PAKN-${y.slice(2)}${m}${d}-${String(row.last).padStart(4, '0')}`;
}

/** The projection columns of a derived view. */
export function projection(v: FeedbackView) {
  return {
    status: v.status,
    receivedAt: v.receivedAt!,
    acceptedAt: v.acceptedAt,
    rejectDueAt: v.rejectDueAt!,
    infoDueAt: v.infoDueAt!,
    answerDueAt: v.answerDueAt!,
    publishDueAt: v.publishDueAt,
    infoRequestedAt: v.infoRequestedAt,
    infoRequests: v.infoRequests,
    pausedSince: v.pausedSince,
    rejectedAt: v.rejectedAt,
    answeredAt: v.answeredAt,
    publishedAt: v.publishedAt,
    rejectReason: v.rejectReason,
    answer: v.answer,
    publicContent: v.publicContent,
    dueAt: v.dueAt,
    timeliness: v.timeliness,
    lastSeq: v.lastSeq,
    updatedAt: new Date(),
  };
}

export async function insertItem(tx: Tx, values: Insertable<FeedbackItemsTable>): Promise<FeedbackRow> {
  return tx.insertInto('feedbackItems').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateProjection(tx: Tx, id: string, v: FeedbackView): Promise<void> {
  await tx.updateTable('feedbackItems').set(projection(v)).where('id', '=', id).execute();
}

export async function insertEvent(tx: Tx, feedbackId: string, e: FeedbackEvent, actorName: string | null): Promise<void> {
  await tx.insertInto('feedbackEvents').values({
    feedbackId, seq: e.seq, type: e.type, at: e.at, actorId: e.actorId, actorName, text: e.text, payload: JSON.stringify(e.payload),
  }).execute();
}

/** An item by id; `lock` takes the row lock that serialises events on it. */
export async function findItem(db: DbOrTx, id: string, lock = false): Promise<FeedbackRow | undefined> {
  if (!UUID.test(id)) return undefined;
  let q = db.selectFrom('feedbackItems').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function loadEvents(db: DbOrTx, feedbackId: string): Promise<(FeedbackEvent & { actorName: string | null })[]> {
  const rows = await db.selectFrom('feedbackEvents').selectAll().where('feedbackId', '=', feedbackId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, type: r.type as FeedbackEventType, at: r.at, actorId: r.actorId, actorName: r.actorName, text: r.text, payload: r.payload }));
}

/** Names shown beside an item: its agency, procedure and dossier. */
export async function findLinks(db: DbOrTx, row: Pick<FeedbackRow, 'agencyId' | 'procedureId' | 'dossierId'>) {
  const [agency, procedure, dossier] = await Promise.all([
    db.selectFrom('agencies').select(['id', 'name', 'nameEn']).where('id', '=', row.agencyId).executeTakeFirstOrThrow(),
    row.procedureId ? db.selectFrom('procedures').select(['id', 'code', 'name']).where('id', '=', row.procedureId).executeTakeFirst() : undefined,
    row.dossierId ? db.selectFrom('dossiers').select(['id', 'code']).where('id', '=', row.dossierId).executeTakeFirst() : undefined,
  ]);
  return { agency, procedure: procedure ?? null, dossier: dossier ?? null };
}

// ------------------------------------------------------------ what an item may link to

export async function findDossierForFeedback(db: DbOrTx, id: string) {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('dossiers').select(['id', 'code', 'status', 'applicantUserId', 'receivingAgencyId', 'procedureId']).where('id', '=', id).executeTakeFirst();
}

export async function findPublishedProcedure(db: DbOrTx, id: string) {
  const p = await db.selectFrom('procedures').select(['id', 'name']).where('id', '=', id).where('published', '=', true).executeTakeFirst();
  if (!p) return undefined;
  const agencies = await db.selectFrom('procedureAgencies').select(['agencyId', 'kind']).where('procedureId', '=', id).execute();
  return { ...p, agencies };
}

export async function agencyExists(db: DbOrTx, id: string): Promise<boolean> {
  return !!(await db.selectFrom('agencies').select('id').where('id', '=', id).executeTakeFirst());
}

/** The province: the root of the agency tree still in force. */
export async function rootAgencyId(db: DbOrTx): Promise<string | undefined> {
  const r = await db.selectFrom('agencies').select('id').where('parentId', 'is', null).where('validTo', 'is', null).orderBy('validFrom').executeTakeFirst();
  return r?.id;
}

export async function findUser(db: DbOrTx, id: string) {
  return db.selectFrom('users').select(['id', 'fullName', 'phone', 'email']).where('id', '=', id).executeTakeFirstOrThrow();
}

// ------------------------------------------------------------ lists

export interface ListFilter {
  authorUserId?: string;
  agencyIds?: string[];
  statuses?: FeedbackView['status'][];
  kind?: 'complaint' | 'feedback';
  /** Code or words of the subject. */
  q?: string;
}

function filtered(db: DbOrTx, f: ListFilter) {
  let q = db.selectFrom('feedbackItems as f')
    .innerJoin('agencies as a', 'a.id', 'f.agencyId')
    .leftJoin('dossiers as d', 'd.id', 'f.dossierId')
    .leftJoin('procedures as p', 'p.id', 'f.procedureId');
  if (f.authorUserId) q = q.where('f.authorUserId', '=', f.authorUserId);
  if (f.agencyIds) q = q.where('f.agencyId', 'in', f.agencyIds.length ? f.agencyIds : ['00000000-0000-0000-0000-000000000000']);
  if (f.statuses) q = q.where('f.status', 'in', f.statuses);
  if (f.kind) q = q.where('f.kind', '=', f.kind);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('f.code', 'ilike', like), eb('f.subject', 'ilike', like)]));
  }
  return q;
}

/**
 * Items of a list. `urgency`: open items past their deadline first, then by deadline (the
 * staff queue); `recent`: newest first.
 */
export async function listItems(db: DbOrTx, f: ListFilter, order: 'urgency' | 'recent', limit: number, offset: number, now: Date) {
  const base = filtered(db, f);
  let rows = base.select([
    'f.id', 'f.code', 'f.kind', 'f.topic', 'f.channel', 'f.subject', 'f.status', 'a.name as agencyName', 'd.code as dossierCode',
    'f.senderName', 'f.senderPhone', 'f.receivedAt', 'f.dueAt', 'f.rejectDueAt', 'f.infoDueAt', 'f.answerDueAt', 'f.publishDueAt',
    'f.infoRequestedAt', 'f.pausedSince', 'f.rejectedAt', 'f.answeredAt', 'f.publishedAt',
  ]);
  rows = order === 'urgency'
    ? rows.orderBy(sql`CASE WHEN f.due_at < ${now} THEN 0 ELSE 1 END`).orderBy(sql`f.due_at ASC NULLS LAST`).orderBy('f.receivedAt').orderBy('f.id')
    : rows.orderBy('f.receivedAt', 'desc').orderBy('f.id');
  const [items, count] = await Promise.all([
    rows.limit(limit).offset(offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}

/** Published answers, newest first: never the sender, the phone or the dossier. */
export async function listPublished(db: DbOrTx, f: { agencyId?: string; q?: string }, limit: number, offset: number) {
  let base = db.selectFrom('feedbackItems as f')
    .innerJoin('agencies as a', 'a.id', 'f.agencyId')
    .leftJoin('procedures as p', 'p.id', 'f.procedureId')
    .where('f.status', '=', 'published');
  if (f.agencyId) base = base.where('f.agencyId', '=', f.agencyId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb('f.code', 'ilike', like), eb('f.subject', 'ilike', like), eb('f.answer', 'ilike', like)]));
  }
  const [items, count] = await Promise.all([
    base.select([
      'f.id', 'f.code', 'f.kind', 'f.topic', 'f.subject', 'f.content', 'f.publicContent', 'f.answer', 'a.id as agencyId', 'a.name as agencyName',
      'a.nameEn as agencyNameEn', 'p.name as procedureName', 'f.receivedAt', 'f.answeredAt', 'f.publishedAt',
    ]).orderBy('f.publishedAt', 'desc').orderBy('f.id').limit(limit).offset(offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}

// ------------------------------------------------------------ the index

/**
 * The items that matter to a period [start, end): received before its end and not handled
 * (rejected or answered) before its start. Optionally only those of some agencies.
 */
export async function itemsForPeriod(db: DbOrTx, period: { start: Date; end: Date }, agencyIds?: readonly string[]) {
  let q = db.selectFrom('feedbackItems').select([
    'agencyId', 'kind', 'dossierId', 'status', 'receivedAt', 'rejectDueAt', 'infoDueAt', 'answerDueAt', 'publishDueAt',
    'infoRequestedAt', 'pausedSince', 'rejectedAt', 'answeredAt', 'publishedAt',
  ])
    .where('receivedAt', '<', period.end)
    .where((eb) => eb.or([
      eb.and([eb('rejectedAt', 'is', null), eb('answeredAt', 'is', null)]),
      eb('rejectedAt', '>=', period.start),
      eb('answeredAt', '>=', period.start),
    ]));
  if (agencyIds) {
    if (agencyIds.length === 0) return [];
    q = q.where('agencyId', 'in', [...agencyIds]);
  }
  return q.execute();
}
