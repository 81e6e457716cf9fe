// Catalogue search (issue 3): GET /api/v1/procedures?q=… over a 2,000-procedure catalogue
// (generateCatalog(2000) from apps/server/src/seed/demo-procedures.ts, on top of the demo one),
// with what citizens type: no accents, a typo, a "thủ tục …" prefix that only the relaxed retry
// finds. The requests cycle through SEARCH_QUERIES.
//
// The ceiling runs, for each query, the statements our catalogue search sends for it (lexicon
// lookup, fuzzy lookup when a word is unknown, ranked page, relaxed retry when the strict one finds
// nothing), captured once from searchProcedures by bench/lib/prepare-fixture.mjs (the SQL text
// Kysely compiles, with its parameters), in the same order, then maps the page rows to the same
// JSON. So the ceiling does the same round trips and the same SQL, without Fastify's schema
// validation and serialisation, the rate limiter, helmet, the request logger or Kysely.

/** What the search box receives (accents left out, as most people type on a phone). */
export const SEARCH_QUERIES = [
  'dang ky kinh doanh',
  'cap giay phep',
  'ho tich khai sinh',
  'cap lai giay chung nhan',
  'giay phep hoat dong karaoke',
  'chung chi hanh nghe',
  'gia han giay phep khai thac nuoc duoi dat',
  'thu tuc dang ky kinh doanh',
  'dang ky kihn doanh',
  'giay phep xay dung',
  'cua hang xang dau',
  'dang ky ket hon',
];

/** The measured scenario: one query after another, in order, over every connection. */
export function searchScenario(fixture) {
  const paths = SEARCH_QUERIES.map((q) => `/api/v1/procedures?q=${encodeURIComponent(q)}`);
  let next = 0;
  return {
    name: 'search',
    path: paths[0],
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
    description: `GET /api/v1/procedures?q=… over ${fixture.catalog.procedures.toLocaleString('en')} published and unpublished procedures, `
      + `${SEARCH_QUERIES.length} queries in turn (one with a typo, one that needs the relaxed retry): `
      + `${Math.min(...Object.values(fixture.search).map((s) => s.statements.length))}–${Math.max(...Object.values(fixture.search).map((s) => s.statements.length))} round trips each`,
    target: { ratioPercent: 50, p99Ms: 15 },
  };
}

const toSummary = (r) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  field: { id: r.fieldId, code: r.fieldCode, name: r.fieldName, nameEn: r.fieldNameEn },
  agencies: r.agencies,
  onlineLevel: r.onlineLevel,
  processingTime: { value: r.processingValue, unit: r.processingUnit },
  feeTotal: Number(r.feeTotal),
  methods: r.methods,
  published: r.published,
});

/** The ceiling's route: the captured statements of the query, in order, on the pool. */
export function registerSearchCeiling(app, pool, fixture) {
  app.get('/api/v1/procedures', async (req, reply) => {
    const q = String(req.query.q ?? '').trim();
    const plan = fixture.search[q];
    if (!plan) return reply.status(400).send({ error: { code: 'not_in_fixture' } });
    let rows = [];
    for (const s of plan.statements) rows = (await pool.query(s.text, s.params)).rows;
    return { items: rows.map(toSummary), total: rows.length ? Number(rows[0].total) : 0 };
  });
}

const canonical = (v) => (Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object'
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);

/** Every query gives the same answer from both servers (and finds something). */
export async function checkSearchAgree(oursBaseUrl, ceilingBaseUrl) {
  const totals = {};
  for (const q of SEARCH_QUERIES) {
    const [ours, ceiling] = await Promise.all([oursBaseUrl, ceilingBaseUrl].map(async (base) => {
      const res = await fetch(`${base}/api/v1/procedures?q=${encodeURIComponent(q)}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${base} search "${q}": ${res.status} ${body}`);
      return canonical(JSON.parse(body));
    }));
    if (JSON.stringify(ours) !== JSON.stringify(ceiling))
      throw new Error(`ours and the ceiling disagree on the search "${q}":\n${JSON.stringify({ ours, ceiling }).slice(0, 3000)}`);
    if (ours.total === 0) throw new Error(`the search "${q}" finds nothing: the query list no longer fits the catalogue`);
    totals[q] = ours.total;
  }
  return totals;
}
