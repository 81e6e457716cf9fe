import { sql, type RawBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type {
  ApplicantType, ComponentForm, FeeItem, FeeWhen, ImportJob, ImportRowResult, OnlineForm, OnlineLevel, ProcedureAgency,
  ProcedureDetail, ProcedureField, ProcedureHistoryEntry, ProcedureLevel, ProcedureMethod, ProcedureSummary, ProcessingUnit,
  ResultDocument,
} from '@motcua/contracts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { chooseMatches, relaxedMinimum, type Candidate, type ProcedureSnapshot, type SearchTerms, type WordGroup } from './model.ts';

/*
 * SQL of the catalogue. Agencies belong to the agencies module: this file only reads their
 * code, names and tree for display and search; every decision about them goes through that
 * module's index.
 */

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const templateUrl = (procedureId: string, componentId: string) =>
  `/api/v1/procedures/${procedureId}/components/${componentId}/template`;

// ---------------------------------------------------------------------------------------------
// Fields

export async function listFields(db: DbOrTx): Promise<ProcedureField[]> {
  const rows = await db.selectFrom('procedureFields as f')
    .select(['f.id', 'f.code', 'f.name', 'f.nameEn'])
    .select((eb) => eb.selectFrom('procedures as p').whereRef('p.fieldId', '=', 'f.id').where('p.published', '=', true)
      .select(sql<number>`count(*)::int`.as('n')).as('procedureCount'))
    .orderBy('f.name').execute();
  return rows.map((r) => ({ ...r, procedureCount: r.procedureCount ?? 0 }));
}

export async function fieldsByCode(db: DbOrTx): Promise<Map<string, { id: string; code: string; name: string }>> {
  const rows = await db.selectFrom('procedureFields').select(['id', 'code', 'name']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

export async function findField(db: DbOrTx, id: string) {
  return db.selectFrom('procedureFields').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
}

/** Adds a field, or leaves an existing one with the same code as it is; returns its id. */
export async function ensureField(tx: DbOrTx, f: { code: string; name: string; nameEn: string | null }): Promise<string> {
  await tx.insertInto('procedureFields').values(f).onConflict((oc) => oc.column('code').doNothing()).execute();
  return (await tx.selectFrom('procedureFields').select('id').where('code', '=', f.code).executeTakeFirstOrThrow()).id;
}

// ---------------------------------------------------------------------------------------------
// Agencies, read for display and validation

export interface AgencyRef {
  id: string;
  code: string;
  name: string;
  validTo: string | null;
}

/** Every agency (including dissolved ones), by code and by id. */
export async function agencyDirectory(db: DbOrTx): Promise<{ byCode: Map<string, AgencyRef>; byId: Map<string, AgencyRef> }> {
  const rows = await db.selectFrom('agencies').select(['id', 'code', 'name', 'validTo']).execute();
  return { byCode: new Map(rows.map((r) => [r.code, r])), byId: new Map(rows.map((r) => [r.id, r])) };
}

// ---------------------------------------------------------------------------------------------
// Reading procedures

export interface ProcedureHead {
  id: string;
  code: string;
  published: boolean;
  agencyIds: string[];
}

/** The few facts access decisions need: code, publication and every agency attached. */
export async function findHead(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<ProcedureHead | undefined> {
  let q = db.selectFrom('procedures').select(['id', 'code', 'published']).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const p = await q.executeTakeFirst();
  if (!p) return undefined;
  const agencies = await db.selectFrom('procedureAgencies').select('agencyId').distinct().where('procedureId', '=', id).execute();
  return { ...p, agencyIds: agencies.map((a) => a.agencyId) };
}

export async function findIdByCode(db: DbOrTx, code: string): Promise<string | undefined> {
  return (await db.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

function agenciesOf(procedureId: RawBuilder<string> | string) {
  return sql<ProcedureAgency[]>`(
    SELECT coalesce(json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'shortName', a.short_name, 'kind', pa.kind)
                             ORDER BY pa.kind, a.code), '[]'::json)
    FROM procedure_agencies pa JOIN agencies a ON a.id = pa.agency_id WHERE pa.procedure_id = ${procedureId})`;
}

interface SummaryRow {
  id: string;
  code: string;
  name: string;
  fieldId: string;
  fieldCode: string;
  fieldName: string;
  fieldNameEn: string | null;
  agencies: ProcedureAgency[];
  onlineLevel: string;
  processingValue: number;
  processingUnit: string;
  feeTotal: string;
  methods: string[];
  published: boolean;
}

function toSummary(r: SummaryRow): ProcedureSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    field: { id: r.fieldId, code: r.fieldCode, name: r.fieldName, nameEn: r.fieldNameEn },
    agencies: r.agencies,
    onlineLevel: r.onlineLevel as OnlineLevel,
    processingTime: { value: r.processingValue, unit: r.processingUnit as ProcessingUnit },
    feeTotal: Number(r.feeTotal),
    methods: r.methods as ProcedureMethod[],
    published: r.published,
  };
}

/** Full detail of one procedure, published or not (callers decide who may see it). */
export async function findDetail(db: DbOrTx, id: string): Promise<ProcedureDetail | undefined> {
  const r = await db.selectFrom('procedures as p')
    .innerJoin('procedureFields as f', 'f.id', 'p.fieldId')
    .selectAll('p')
    .select(['f.code as fieldCode', 'f.name as fieldName', 'f.nameEn as fieldNameEn'])
    .select(sql<string>`(SELECT coalesce(sum(amount_vnd), 0) FROM procedure_fees WHERE procedure_id = p.id)`.as('feeTotal'))
    .select(agenciesOf(sql.ref('p.id')).as('agencies'))
    .select((eb) => jsonArrayFrom(eb.selectFrom('procedureComponents as c')
      .select(['c.id', 'c.name', 'c.form', 'c.quantity', 'c.required', 'c.reusable', 'c.templateSha256', 'c.templateFilename'])
      .select((e) => e.selectFrom('procedureTemplates as t').whereRef('t.sha256', '=', 'c.templateSha256').select('t.mime').as('templateMime'))
      .select((e) => e.selectFrom('procedureTemplates as t').whereRef('t.sha256', '=', 'c.templateSha256').select('t.size').as('templateSize'))
      .whereRef('c.procedureId', '=', 'p.id').orderBy('c.sortOrder')).as('components'))
    .select((eb) => jsonArrayFrom(eb.selectFrom('procedureFees as fe')
      .select(['fe.name', 'fe.amountVnd', 'fe.exemptions', 'fe.payableOnline', 'fe.payableWhen'])
      .whereRef('fe.procedureId', '=', 'p.id').orderBy('fe.sortOrder')).as('fees'))
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    ...toSummary(r),
    levels: r.levels as ProcedureLevel[],
    applicants: r.applicants as ApplicantType[],
    steps: r.steps,
    legalBasis: r.legalBasis,
    resultDocuments: r.resultDocuments as ResultDocument[],
    onlineForm: r.onlineForm as OnlineForm | null,
    processId: r.processId,
    components: r.components.map((c) => ({
      id: c.id, name: c.name, form: c.form as ComponentForm, quantity: c.quantity, required: c.required, reusable: c.reusable,
      template: c.templateSha256 && c.templateFilename
        ? { sha256: c.templateSha256, filename: c.templateFilename, mime: c.templateMime ?? 'application/octet-stream', size: c.templateSize ?? 0, url: templateUrl(r.id, c.id) }
        : null,
    })),
    fees: r.fees.map((f) => ({
      name: f.name, amountVnd: Number(f.amountVnd), exemptions: f.exemptions, payableOnline: f.payableOnline, when: f.payableWhen as FeeWhen,
    })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export interface StoredComponent {
  id: string;
  name: string;
  templateSha256: string | null;
  templateFilename: string | null;
}

export interface StoredProcedure {
  id: string;
  snapshot: ProcedureSnapshot;
  components: StoredComponent[];
}

/**
 * Snapshots of many procedures in four queries, keyed by code: for exports, import
 * comparisons and history diffs. `codes`/`ids` narrow the set; `within` keeps only procedures
 * whose every agency is in that list.
 */
export async function loadSnapshots(db: DbOrTx, where: { ids?: string[]; codes?: string[]; within?: string[] } = {}): Promise<Map<string, StoredProcedure>> {
  let q = db.selectFrom('procedures as p').innerJoin('procedureFields as f', 'f.id', 'p.fieldId').selectAll('p').select('f.code as fieldCode');
  if (where.ids) q = q.where('p.id', 'in', where.ids.length ? where.ids : ['00000000-0000-0000-0000-000000000000']);
  if (where.codes) q = q.where('p.code', 'in', where.codes.length ? where.codes : ['']);
  if (where.within) q = q.where(allAgenciesWithin(where.within));
  const rows = await q.orderBy('p.code').execute();
  const out = new Map<string, StoredProcedure>();
  if (rows.length === 0) return out;
  const ids = rows.map((r) => r.id);
  const [agencies, components, fees] = await Promise.all([
    db.selectFrom('procedureAgencies as pa').innerJoin('agencies as a', 'a.id', 'pa.agencyId')
      .select(['pa.procedureId', 'pa.kind', 'a.code']).where('pa.procedureId', 'in', ids).orderBy('a.code').execute(),
    db.selectFrom('procedureComponents').selectAll().where('procedureId', 'in', ids).orderBy('procedureId').orderBy('sortOrder').execute(),
    db.selectFrom('procedureFees').selectAll().where('procedureId', 'in', ids).orderBy('procedureId').orderBy('sortOrder').execute(),
  ]);
  const byId = new Map<string, StoredProcedure>();
  for (const r of rows) {
    const stored: StoredProcedure = {
      id: r.id,
      components: [],
      snapshot: {
        code: r.code, name: r.name, fieldCode: r.fieldCode, receivingAgencies: [], resolvingAgencies: [],
        levels: r.levels as ProcedureLevel[], applicants: r.applicants as ApplicantType[], steps: r.steps,
        methods: r.methods as ProcedureMethod[], onlineLevel: r.onlineLevel as OnlineLevel,
        processingTime: { value: r.processingValue, unit: r.processingUnit as ProcessingUnit }, legalBasis: r.legalBasis,
        resultDocuments: r.resultDocuments as ResultDocument[], onlineForm: r.onlineForm as OnlineForm | null,
        components: [], fees: [], published: r.published,
      },
    };
    byId.set(r.id, stored);
    out.set(r.code, stored);
  }
  for (const a of agencies) {
    const s = byId.get(a.procedureId)!.snapshot;
    (a.kind === 'receiving' ? s.receivingAgencies : s.resolvingAgencies).push(a.code);
  }
  for (const c of components) {
    const p = byId.get(c.procedureId)!;
    p.components.push({ id: c.id, name: c.name, templateSha256: c.templateSha256, templateFilename: c.templateFilename });
    p.snapshot.components.push({
      name: c.name, form: c.form as ComponentForm, quantity: c.quantity, required: c.required, reusable: c.reusable,
      template: c.templateSha256 && c.templateFilename ? { sha256: c.templateSha256, filename: c.templateFilename } : null,
    });
  }
  for (const f of fees) {
    byId.get(f.procedureId)!.snapshot.fees.push({
      name: f.name, amountVnd: Number(f.amountVnd), exemptions: f.exemptions, payableOnline: f.payableOnline, when: f.payableWhen as FeeWhen,
    });
  }
  return out;
}

/** Every agency attached to the procedure is in `within` (a procedure an agency admin may manage). */
function allAgenciesWithin(within: string[]) {
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM procedure_agencies pa WHERE pa.procedure_id = p.id AND NOT (pa.agency_id = ANY(${within}::uuid[])))`;
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchParams {
  terms: SearchTerms | null;
  agencyId?: string;
  fieldId?: string;
  onlineLevel?: OnlineLevel;
  hasFee?: boolean;
  /** true: published only (the public); undefined: both. */
  published?: boolean;
  /** Only procedures every agency of which is in this list (an official's scope). */
  within?: string[];
  limit: number;
  offset: number;
}

/**
 * Splits the query into words exactly as the indexed text was split (accents removed, lower
 * case, `[a-z0-9.]` runs) and looks each word up in the lexicon: the word itself and the words
 * it starts (a primary-key range). Only words found neither way get a second, fuzzier lookup:
 * the nearest spellings by trigram similarity and the word with two neighbouring letters
 * swapped ("sihn" → "sinh", which trigrams miss).
 */
export async function expandQuery(db: DbOrTx, raw: string): Promise<WordGroup[]> {
  const r = await sql<{ w: string; word: string | null; kind: Candidate['kind'] | null }>`
    WITH q AS (
      SELECT min(n)::int AS i, w FROM (
        SELECT btrim(x, '.') AS w, n FROM regexp_split_to_table(lower(f_unaccent(${raw})), '[^a-z0-9.]+') WITH ORDINALITY AS t(x, n)
      ) s WHERE w ~ '[a-z0-9]' AND length(w) <= 60 GROUP BY w ORDER BY 1 LIMIT 10
    )
    SELECT q.w, e.word, e.kind FROM q LEFT JOIN LATERAL (
      (SELECT s.word, 'exact' AS kind FROM procedure_search_words s WHERE s.word = (q.w COLLATE "C"))
      UNION ALL
      (SELECT s.word, 'prefix' FROM procedure_search_words s
        WHERE length(q.w) >= 2 AND s.word > (q.w COLLATE "C") AND s.word < ((q.w || '~') COLLATE "C")
        ORDER BY length(s.word), s.word LIMIT 8)
    ) e ON true
    ORDER BY q.i, e.kind, length(e.word), e.word`.execute(db);
  const byWord = new Map<string, Candidate[]>();
  for (const row of r.rows) {
    const list = byWord.get(row.w) ?? [];
    if (row.word && row.kind) list.push({ word: row.word, kind: row.kind, similarity: row.kind === 'exact' ? 1 : 0 });
    byWord.set(row.w, list);
  }
  const unknown = [...byWord].filter(([w, list]) => list.length === 0 && w.length >= 3).map(([w]) => w);
  if (unknown.length) {
    const f = await sql<{ w: string; word: string; similarity: number }>`
      SELECT q.w, e.word, e.similarity FROM unnest(${unknown}::text[]) AS q(w) CROSS JOIN LATERAL (
        (SELECT s.word, similarity(s.word, q.w) AS similarity FROM procedure_search_words s
          WHERE s.word % q.w ORDER BY 2 DESC, s.word LIMIT 5)
        UNION
        (SELECT s.word, 1::real FROM procedure_search_words s WHERE s.word IN (
          SELECT overlay(q.w placing substr(q.w, k + 1, 1) || substr(q.w, k, 1) from k for 2) COLLATE "C" FROM generate_series(1, length(q.w) - 1) k))
      ) e`.execute(db);
    for (const row of f.rows) byWord.get(row.w)!.push({ word: row.word, kind: 'fuzzy', similarity: Number(row.similarity) });
  }
  const words = [...byWord.keys()];
  return words.map((word, i) => ({ word, matches: chooseMatches(word, i === words.length - 1, byWord.get(word)!) }));
}

const wordPattern = (w: string) => `% ${w} %`;

/** The procedure's indexed words include one of the group's words. */
function groupFound(g: WordGroup) {
  if (g.matches.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(g.matches.map((w) => sql`p.search_text LIKE ${wordPattern(w)}`), sql` OR `)})`;
}

/** The procedure's name (not only its field or agencies) has one of the group's words. */
function groupInName(g: WordGroup) {
  if (g.matches.length === 0) return sql<number>`0`;
  const exact = g.matches.includes(g.word) ? sql`CASE WHEN p.search_name LIKE ${wordPattern(g.word)} THEN 0.25 ELSE 0 END` : sql`0`;
  return sql<number>`(CASE WHEN ${sql.join(g.matches.map((w) => sql`p.search_name LIKE ${wordPattern(w)}`), sql` OR `)} THEN 1 ELSE 0 END + ${exact})`;
}

interface Plan {
  match: RawBuilder<boolean>;
  rank: RawBuilder<number>;
}

/**
 * What a procedure must match and how it ranks. Every query word must be found among the
 * procedure's words (through the trigram index on `search_text`); `relaxed` accepts two thirds
 * of them. Rank, highest first: the exact code; a code prefix; the whole query as a phrase at
 * the start of the name or inside it; then one point per query word found in the name itself,
 * a quarter more when spelt exactly; shorter names break ties (the plain procedure before its
 * variants). Each part is a LIKE on short padded text: cheap for every match.
 */
function searchPlan(t: SearchTerms, groups: WordGroup[], relaxed: boolean): Plan {
  const code = t.raw.toUpperCase();
  const codeRank = sql<number>`(CASE WHEN p.code = ${code} THEN 1000 ELSE 0 END + CASE WHEN p.code LIKE ${escapeLike(code) + '%'} THEN 100 ELSE 0 END)`;
  if (t.codeLike) {
    return { match: sql<boolean>`p.search_text LIKE ${'% ' + escapeLike(t.raw.toLowerCase()) + '%'}`, rank: codeRank };
  }
  const phrase = groups.map((g) => g.word.replace(/\./g, ' ')).join(' ');
  const found = groups.map(groupFound);
  const inName = groups.map(groupInName);
  const count = sql<number>`(${sql.join(found.map((f) => sql`(CASE WHEN ${f} THEN 1 ELSE 0 END)`), sql` + `)})`;
  const match = relaxed
    ? sql<boolean>`((${sql.join(found, sql` OR `)}) AND ${count} >= ${relaxedMinimum(groups.length)})`
    : sql<boolean>`(${sql.join(found, sql` AND `)})`;
  const rank = sql<number>`(${codeRank}
    + CASE WHEN p.search_name LIKE ${' ' + phrase + ' %'} THEN 3 WHEN p.search_name LIKE ${'% ' + phrase + ' %'} THEN 2 ELSE 0 END
    + ${sql.join(inName, sql` + `)}
    ${relaxed ? sql`+ ${count}` : sql``})`;
  return { match, rank };
}

function filters(p: SearchParams) {
  const conds = [];
  if (p.published !== undefined) conds.push(sql<boolean>`p.published = ${p.published}`);
  if (p.fieldId) conds.push(sql<boolean>`p.field_id = ${p.fieldId}`);
  if (p.onlineLevel) conds.push(sql<boolean>`p.online_level = ${p.onlineLevel}`);
  if (p.agencyId) conds.push(sql<boolean>`EXISTS (SELECT 1 FROM procedure_agencies pa WHERE pa.procedure_id = p.id AND pa.agency_id = ${p.agencyId})`);
  if (p.hasFee !== undefined) {
    const has = sql`EXISTS (SELECT 1 FROM procedure_fees fe WHERE fe.procedure_id = p.id AND fe.amount_vnd > 0)`;
    conds.push(p.hasFee ? sql<boolean>`${has}` : sql<boolean>`NOT ${has}`);
  }
  if (p.within) conds.push(allAgenciesWithin(p.within));
  return conds;
}

function searchQuery(p: SearchParams, plan: Plan | null) {
  const conds = filters(p);
  if (plan) conds.push(plan.match);
  const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const rank = plan ? plan.rank : sql<number>`0`;
  // Rank and count over the matches, then build the page's summaries for its rows only.
  const page = sql<SummaryRow & { total: string }>`
    WITH hits AS (
      SELECT p.id, ${rank} AS rank, length(p.search_name) AS len, p.search_name, p.code, count(*) OVER () AS total
      FROM procedures p
      ${where}
      ORDER BY rank DESC, len, p.search_name, p.code
      LIMIT ${p.limit} OFFSET ${p.offset}
    )
    SELECT p.id, p.code, p.name, p.field_id AS "fieldId", f.code AS "fieldCode", f.name AS "fieldName", f.name_en AS "fieldNameEn",
      ${agenciesOf(sql.ref('p.id'))} AS agencies,
      p.online_level AS "onlineLevel", p.processing_value AS "processingValue", p.processing_unit AS "processingUnit",
      (SELECT coalesce(sum(amount_vnd), 0) FROM procedure_fees WHERE procedure_id = p.id) AS "feeTotal",
      p.methods, p.published, h.total
    FROM hits h JOIN procedures p ON p.id = h.id JOIN procedure_fields f ON f.id = p.field_id
    ORDER BY h.rank DESC, h.len, h.search_name, h.code`;
  return { page, count: sql<{ n: string }>`SELECT count(*) AS n FROM procedures p ${where}` };
}

async function runSearch(db: DbOrTx, p: SearchParams, plan: Plan | null): Promise<{ items: ProcedureSummary[]; total: number }> {
  const q = searchQuery(p, plan);
  const r = await q.page.execute(db);
  let total = r.rows.length ? Number(r.rows[0]!.total) : 0;
  if (!r.rows.length && p.offset > 0) total = Number((await q.count.execute(db)).rows[0]!.n);
  return { items: r.rows.map(toSummary), total };
}

/** The plan PostgreSQL chooses for a (strict) search, as EXPLAIN prints it: for tests and tuning. */
export async function explainSearch(db: DbOrTx, p: SearchParams, analyze = false): Promise<string> {
  const groups = p.terms && !p.terms.codeLike ? await expandQuery(db, p.terms.raw) : [];
  const q = searchQuery(p, p.terms ? searchPlan(p.terms, groups, false) : null);
  const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${analyze ? sql`(ANALYZE, BUFFERS)` : sql``} ${q.page}`.execute(db);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

/**
 * Searches the catalogue: accents and case aside, with the last word taken as a prefix and
 * misspelt words resolved to their nearest indexed words. A query of three or more words that
 * finds nothing is tried again needing only two thirds of its words ("thủ tục đăng ký kinh
 * doanh" still finds the household business procedures).
 */
export async function searchProcedures(db: DbOrTx, p: SearchParams): Promise<{ items: ProcedureSummary[]; total: number }> {
  if (!p.terms) return runSearch(db, p, null);
  const groups = p.terms.codeLike ? [] : await expandQuery(db, p.terms.raw);
  if (!p.terms.codeLike && groups.length === 0) return { items: [], total: 0 };
  const strict = await runSearch(db, p, searchPlan(p.terms, groups, false));
  if (strict.total > 0 || p.terms.codeLike || groups.length < 3) return strict;
  return runSearch(db, p, searchPlan(p.terms, groups, true));
}

// ---------------------------------------------------------------------------------------------
// Writing procedures

/** What is stored for a procedure; agencies and field by id. */
export interface ProcedureWrite {
  code: string;
  name: string;
  fieldId: string;
  receivingAgencyIds: string[];
  resolvingAgencyIds: string[];
  levels: ProcedureLevel[];
  applicants: ApplicantType[];
  steps: string;
  methods: ProcedureMethod[];
  onlineLevel: OnlineLevel;
  processingTime: { value: number; unit: ProcessingUnit };
  legalBasis: string;
  resultDocuments: ResultDocument[];
  onlineForm: OnlineForm | null;
  components: ComponentWrite[];
  fees: FeeItem[];
  published: boolean;
}

export interface ComponentWrite {
  /** An existing component to keep (with its template); absent for a new one. */
  id?: string;
  name: string;
  form: ComponentForm;
  quantity: number;
  required: boolean;
  reusable: boolean;
  templateSha256?: string | null;
  templateFilename?: string | null;
}

function columns(w: Partial<ProcedureWrite>) {
  return {
    ...(w.code !== undefined && { code: w.code }),
    ...(w.name !== undefined && { name: w.name }),
    ...(w.fieldId !== undefined && { fieldId: w.fieldId }),
    ...(w.levels !== undefined && { levels: w.levels }),
    ...(w.applicants !== undefined && { applicants: w.applicants }),
    ...(w.steps !== undefined && { steps: w.steps }),
    ...(w.methods !== undefined && { methods: w.methods }),
    ...(w.onlineLevel !== undefined && { onlineLevel: w.onlineLevel }),
    ...(w.processingTime !== undefined && { processingValue: w.processingTime.value, processingUnit: w.processingTime.unit }),
    ...(w.legalBasis !== undefined && { legalBasis: w.legalBasis }),
    ...(w.resultDocuments !== undefined && { resultDocuments: JSON.stringify(w.resultDocuments) }),
    ...(w.onlineForm !== undefined && { onlineForm: w.onlineForm === null ? null : JSON.stringify(w.onlineForm) }),
  };
}

/** Splits rows into batches that keep one statement under PostgreSQL's 65,535 parameters. */
function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Inserts procedures with their agencies, components and fees in a few multi-row statements
 * (imports and seeds write thousands); returns their ids by code.
 */
export async function insertProcedures(tx: Tx, ws: readonly ProcedureWrite[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const batch of chunks(ws, 1000)) {
    const rows = await tx.insertInto('procedures').values(batch.map((w) => ({
      code: w.code, name: w.name, fieldId: w.fieldId, levels: w.levels, applicants: w.applicants, steps: w.steps,
      methods: w.methods, onlineLevel: w.onlineLevel, processingValue: w.processingTime.value, processingUnit: w.processingTime.unit,
      legalBasis: w.legalBasis, resultDocuments: JSON.stringify(w.resultDocuments),
      onlineForm: w.onlineForm === null ? null : JSON.stringify(w.onlineForm),
      published: w.published, publishedAt: w.published ? new Date() : null,
    }))).returning(['id', 'code']).execute();
    for (const r of rows) ids.set(r.code, r.id);
  }
  const agencies = ws.flatMap((w) => [
    ...[...new Set(w.receivingAgencyIds)].map((agencyId) => ({ procedureId: ids.get(w.code)!, agencyId, kind: 'receiving' as const })),
    ...[...new Set(w.resolvingAgencyIds)].map((agencyId) => ({ procedureId: ids.get(w.code)!, agencyId, kind: 'resolving' as const })),
  ]);
  for (const batch of chunks(agencies, 15_000)) await tx.insertInto('procedureAgencies').values(batch).execute();
  const components = ws.flatMap((w) => w.components.map((c, i) => ({
    procedureId: ids.get(w.code)!, sortOrder: i, name: c.name, form: c.form, quantity: c.quantity, required: c.required, reusable: c.reusable,
    templateSha256: c.templateSha256 ?? null, templateFilename: c.templateFilename ?? null,
  })));
  for (const batch of chunks(components, 5_000)) await tx.insertInto('procedureComponents').values(batch).execute();
  const fees = ws.flatMap((w) => w.fees.map((f, i) => ({
    procedureId: ids.get(w.code)!, sortOrder: i, name: f.name, amountVnd: f.amountVnd, exemptions: f.exemptions, payableOnline: f.payableOnline, payableWhen: f.when,
  })));
  for (const batch of chunks(fees, 6_000)) await tx.insertInto('procedureFees').values(batch).execute();
  return ids;
}

/** Inserts one procedure with its agencies, components and fees; returns its id. */
export async function insertProcedure(tx: Tx, w: ProcedureWrite): Promise<string> {
  return (await insertProcedures(tx, [w])).get(w.code)!;
}

/** Changes the given parts of a procedure; lists given are replaced whole. */
export async function updateProcedure(tx: Tx, id: string, w: Partial<ProcedureWrite>): Promise<void> {
  await tx.updateTable('procedures').set({ ...columns(w), updatedAt: new Date() }).where('id', '=', id).execute();
  if (w.receivingAgencyIds || w.resolvingAgencyIds) {
    const current = await tx.selectFrom('procedureAgencies').select(['agencyId', 'kind']).where('procedureId', '=', id).execute();
    const of = (k: string) => current.filter((c) => c.kind === k).map((c) => c.agencyId);
    await replaceAgencies(tx, id, w.receivingAgencyIds ?? of('receiving'), w.resolvingAgencyIds ?? of('resolving'));
  }
  if (w.components) await replaceComponents(tx, id, w.components);
  if (w.fees) await replaceFees(tx, id, w.fees);
  if (w.published !== undefined) await setPublished(tx, id, w.published);
}

async function replaceAgencies(tx: Tx, id: string, receiving: string[], resolving: string[]) {
  await tx.deleteFrom('procedureAgencies').where('procedureId', '=', id).execute();
  const rows = [
    ...[...new Set(receiving)].map((agencyId) => ({ procedureId: id, agencyId, kind: 'receiving' as const })),
    ...[...new Set(resolving)].map((agencyId) => ({ procedureId: id, agencyId, kind: 'resolving' as const })),
  ];
  if (rows.length) await tx.insertInto('procedureAgencies').values(rows).execute();
}

/** Keeps the components named by id (updated in place), adds the new ones, removes the rest. */
async function replaceComponents(tx: Tx, id: string, comps: ComponentWrite[]) {
  const keep = comps.map((c) => c.id).filter((x): x is string => !!x);
  let del = tx.deleteFrom('procedureComponents').where('procedureId', '=', id);
  if (keep.length) del = del.where('id', 'not in', keep);
  await del.execute();
  const fresh = [];
  for (const [i, c] of comps.entries()) {
    const values = { sortOrder: i, name: c.name, form: c.form, quantity: c.quantity, required: c.required, reusable: c.reusable };
    if (c.id) {
      await tx.updateTable('procedureComponents').set({
        ...values,
        ...(c.templateSha256 !== undefined && { templateSha256: c.templateSha256, templateFilename: c.templateFilename ?? null }),
      }).where('id', '=', c.id).where('procedureId', '=', id).execute();
    } else {
      fresh.push({ ...values, procedureId: id, templateSha256: c.templateSha256 ?? null, templateFilename: c.templateFilename ?? null });
    }
  }
  if (fresh.length) await tx.insertInto('procedureComponents').values(fresh).execute();
}

async function replaceFees(tx: Tx, id: string, fees: FeeItem[]) {
  await tx.deleteFrom('procedureFees').where('procedureId', '=', id).execute();
  if (fees.length) {
    await tx.insertInto('procedureFees').values(fees.map((f, i) => ({
      procedureId: id, sortOrder: i, name: f.name, amountVnd: f.amountVnd, exemptions: f.exemptions, payableOnline: f.payableOnline, payableWhen: f.when,
    }))).execute();
  }
}

/** Sets publication; the publication time changes only when the state does. */
export async function setPublished(tx: Tx, id: string, published: boolean): Promise<void> {
  await tx.updateTable('procedures')
    .set({
      published,
      publishedAt: sql<Date | null>`CASE WHEN published = ${published} THEN published_at WHEN ${published} THEN now() ELSE NULL END`,
      updatedAt: new Date(),
    })
    .where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// History

export interface HistoryWrite {
  procedureId: string;
  actorId: string | null;
  actorName: string | null;
  action: ProcedureHistoryEntry['action'];
  diff: Record<string, unknown>;
  /** Only for seeded history; normally the transaction's time. */
  at?: Date;
}

/** Appends history rows (one or many). */
export async function insertHistory(tx: Tx, h: HistoryWrite | readonly HistoryWrite[]): Promise<void> {
  const rows = (Array.isArray(h) ? h : [h]) as readonly HistoryWrite[];
  for (const batch of chunks(rows, 5_000)) {
    if (!batch.length) continue;
    await tx.insertInto('procedureHistory').values(batch.map((x) => ({
      procedureId: x.procedureId, actorId: x.actorId, actorName: x.actorName, action: x.action,
      diff: JSON.stringify(x.diff), ...(x.at && { at: x.at }),
    }))).execute();
  }
}

export async function listHistory(db: DbOrTx, procedureId: string, limit: number, offset: number): Promise<{ items: ProcedureHistoryEntry[]; total: number }> {
  const q = db.selectFrom('procedureHistory').where('procedureId', '=', procedureId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id), at: r.at.toISOString(), actorId: r.actorId, actorName: r.actorName,
      action: r.action as ProcedureHistoryEntry['action'], diff: r.diff,
    })),
    total: count.n,
  };
}

// ---------------------------------------------------------------------------------------------
// Templates

export async function storeTemplate(tx: Tx, t: { sha256: string; content: Buffer; mime: string }): Promise<void> {
  await tx.insertInto('procedureTemplates').values({ ...t, size: t.content.length })
    .onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

export async function findComponent(db: DbOrTx, procedureId: string, componentId: string) {
  return db.selectFrom('procedureComponents').select(['id', 'name', 'templateSha256', 'templateFilename'])
    .where('procedureId', '=', procedureId).where('id', '=', componentId).executeTakeFirst();
}

export async function setComponentTemplate(tx: Tx, componentId: string, sha256: string, filename: string): Promise<void> {
  await tx.updateTable('procedureComponents').set({ templateSha256: sha256, templateFilename: filename }).where('id', '=', componentId).execute();
}

export async function touchProcedure(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('procedures').set({ updatedAt: new Date() }).where('id', '=', id).execute();
}

export async function findTemplate(db: DbOrTx, procedureId: string, componentId: string) {
  return db.selectFrom('procedureComponents as c')
    .innerJoin('procedureTemplates as t', 't.sha256', 'c.templateSha256')
    .select(['c.templateFilename as filename', 't.mime', 't.content', 't.sha256', 't.size'])
    .where('c.procedureId', '=', procedureId).where('c.id', '=', componentId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Import jobs

export async function createImportJob(db: DbOrTx, j: { filename: string; format: 'xlsx' | 'csv'; total: number; createdBy: string | null }): Promise<string> {
  const row = await db.insertInto('importJobs').values({ ...j, status: 'validating' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateImportJob(db: DbOrTx, id: string, set: { status?: ImportJob['status']; processed?: number; result?: { counts: unknown; rows: ImportRowResult[] }; finished?: boolean }): Promise<void> {
  await db.updateTable('importJobs').set({
    ...(set.status && { status: set.status }),
    ...(set.processed !== undefined && { processed: set.processed }),
    ...(set.result && { result: JSON.stringify(set.result) }),
    ...(set.finished && { finishedAt: new Date() }),
  }).where('id', '=', id).execute();
}

function toJob(r: { id: string; status: string; filename: string; format: string; processed: number; total: number; result: Record<string, unknown> | null; createdBy: string | null; createdAt: Date; finishedAt: Date | null }): ImportJob {
  const result = (r.result ?? {}) as { counts?: ImportJob['counts']; rows?: ImportRowResult[] };
  return {
    id: r.id, status: r.status as ImportJob['status'], filename: r.filename, format: r.format as ImportJob['format'],
    processed: r.processed, total: r.total, counts: result.counts ?? null, rows: result.rows ?? [],
    createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export async function findImportJob(db: DbOrTx, id: string): Promise<ImportJob | undefined> {
  const r = await db.selectFrom('importJobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toJob(r) : undefined;
}

export async function listImportJobs(db: DbOrTx, createdBy: string | null, limit: number): Promise<ImportJob[]> {
  let q = db.selectFrom('importJobs').selectAll();
  if (createdBy) q = q.where('createdBy', '=', createdBy);
  return (await q.orderBy('createdAt', 'desc').limit(limit).execute()).map(toJob);
}
