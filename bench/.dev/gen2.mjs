import pg from 'pg';
import * as m from '/work/main/bench/scenarios/dossiers.mjs';
const url = process.env.DATABASE_URL;
const info = await m.prepareSubmitProcedure(url);
const c = new pg.Client(url); await c.connect();
await c.query('SET session_replication_role = replica'); await c.query('SET synchronous_commit = off');
for (const [name, f] of [['dossiers', m.dossierBatch], ['actions', m.actionBatch]]) {
  const t = Date.now(); const q = f(info, 1, 200000); const r = await c.query(q.text, q.values);
  console.log(name, r.rowCount, (Date.now() - t) / 1000, 's');
}
await c.end();
