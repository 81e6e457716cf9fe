// Preparation that needs our TypeScript sources, run by bench/run.mjs as
//
//   DATABASE_URL=… node --import tsx bench/lib/prepare-fixture.mjs <out.json>
//
// on the bench database once our server has migrated and seeded it:
//  1. loads the benchmark catalogue with the server's own generator and loader
//     (generateCatalog(BENCH_CATALOG_SIZE, 1) → loadDemoProcedures: procedures, agencies,
//     components, fees, history rows, lexicon through the triggers);
//  2. captures, for each query of scenarios/search.mjs, the statements searchProcedures sends
//     (SQL text as Kysely compiles it, and parameters), in order: the ceiling replays them;
//  3. copies the built-in notification templates that a submission renders (the ceiling of
//     `submit` writes the same messages).
// Writes them as JSON to <out.json>; progress goes to stderr.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { SEARCH_QUERIES } from '../scenarios/search.mjs';

const out = process.argv[2];
const databaseUrl = process.env.DATABASE_URL;
if (!out || !databaseUrl) {
  console.error('usage: DATABASE_URL=… node --import tsx bench/lib/prepare-fixture.mjs <out.json>');
  process.exit(2);
}
const size = Number(process.env.BENCH_CATALOG_SIZE ?? 2000);
if (!Number.isInteger(size) || size < 0 || size > 99_999) throw new Error('BENCH_CATALOG_SIZE: a whole number from 0 (none) to 99,999');

const server = new URL('../../apps/server/src/', import.meta.url);
const load = (path) => import(new URL(path, server).href);
const { createDb } = await load('db/database.ts');
const { generateCatalog, loadDemoProcedures } = await load('seed/demo-procedures.ts');
const { searchProcedures } = await load('modules/catalog/catalog.repository.ts');
const { parseSearch } = await load('modules/catalog/model.ts');
const { defaultTemplate } = await load('modules/notify/templates.ts');
const { ProcedureSearchQuery } = await import(new URL('../../packages/contracts/src/index.ts', import.meta.url).href);

// Statements of every pg client in this process while `capture` is set.
let capture = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  if (capture) {
    const text = typeof config === 'string' ? config : config.text;
    const params = typeof config === 'object' && config.values ? config.values : Array.isArray(values) ? values : [];
    capture.push({ text, params });
  }
  return originalQuery.call(this, config, values, callback);
};

const { db, pool } = createDb({ connectionString: databaseUrl, max: 2, applicationName: 'motcua-bench-fixture' });
try {
  const t0 = Date.now();
  const written = size > 0 ? await loadDemoProcedures(db, generateCatalog(size, 1)) : 0;
  await pool.query('ANALYZE procedures, procedure_agencies, procedure_fees, procedure_search_words');
  const catalog = {
    generated: size,
    written,
    procedures: Number((await db.selectFrom('procedures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
  console.error(`fixture: catalogue of ${catalog.procedures} procedures (${written} generated) in ${catalog.seconds} s`);

  // What the route does: `const { q, ...rest } = req.query; searchProcedures(db, { ...rest, terms: parseSearch(q), published: true })`.
  const search = {};
  for (const q of SEARCH_QUERIES) {
    const { q: raw, ...rest } = ProcedureSearchQuery.parse({ q });
    capture = [];
    const answer = await searchProcedures(db, { ...rest, terms: parseSearch(raw), published: true });
    search[q] = { statements: capture, total: answer.total };
    capture = null;
  }

  const templates = {};
  for (const [event, channels] of [['dossier.submitted', ['sms', 'email', 'in_app']], ['queue.new_dossier', ['in_app']]]) {
    templates[event] = Object.fromEntries(channels.map((c) => [c, defaultTemplate(event, c, 'vi')]));
  }
  writeFileSync(out, JSON.stringify({ catalog, search, templates }));
} finally {
  await db.destroy();
}
