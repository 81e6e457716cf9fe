// The ceiling: a bare Fastify + pg server doing the same database work as motcua's routes,
// with none of the application around it (no helmet, rate limit, cookie plugin, zod
// serialisation, metrics, request ids, Kysely). Started by bench/run.mjs as a child process.
//
// env: PORT, HOST (default 127.0.0.1), DATABASE_URL, DB_POOL_MAX (default 10),
//      DB_APP_ROLE (default motcua_app, empty for none), SESSION_IDLE_MINUTES (default 30),
//      BENCH_FIXTURE (the JSON bench/lib/prepare-fixture.mjs wrote: search statements and
//      notification templates; without it only healthz, whoami, lookup, ipn and reports are served)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { registerDossierCeiling } from './scenarios/dossiers.mjs';
import { ceilingIpn } from './scenarios/ipn.mjs';
import { registerReportCeiling } from './scenarios/reports.mjs';
import { registerSearchCeiling } from './scenarios/search.mjs';

const env = process.env;
const SESSION_COOKIE = '__Host-motcua_sid';
const IDLE_MINUTES = Number(env.SESSION_IDLE_MINUTES ?? 30);
const APP_ROLE = env.DB_APP_ROLE ?? 'motcua_app';

// Same pool settings as apps/server/src/db/database.ts.
const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DB_POOL_MAX ?? 10),
  application_name: 'motcua-bench-ceiling',
  connectionTimeoutMillis: 10_000,
  idleTimeoutMillis: 30_000,
});
if (APP_ROLE) {
  if (!/^[a-z_][a-z0-9_]*$/.test(APP_ROLE)) throw new Error('DB_APP_ROLE: invalid role name');
  pool.on('connect', (client) => {
    client.query(`SET ROLE ${APP_ROLE}`).catch((err) => client.emit('error', err));
  });
}

// The exact SQL Kysely (with CamelCasePlugin) generates for loadSession, findUserById and roleGrants.
const SESSION_SQL = `select "s"."csrf_token", "s"."last_seen_at", "u"."id" as "user_id", "u"."kind", "u"."full_name", "u"."email", "u"."phone", coalesce((SELECT json_agg(json_build_object('role', r.role, 'agencyId', r.agency_id, 'agencyCode', a.code, 'agencyName', a.name) ORDER BY a.code, r.role) FROM official_roles r JOIN agencies a ON a.id = r.agency_id WHERE r.user_id = u.id), '[]'::json) as "roles" from "sessions" as "s" inner join "users" as "u" on "u"."id" = "s"."user_id" where "s"."id_hash" = $1 and "s"."revoked_at" is null and "s"."expires_at" > now() and "s"."last_seen_at" > now() - make_interval(mins => $2) and "u"."disabled_at" is null`;
const TOUCH_SQL = `update "sessions" set "last_seen_at" = $1 where "id_hash" = $2`;

function cookieValue(header, name) {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const app = Fastify({ logger: false });

app.get('/healthz', async (_req, reply) => {
  try {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  } catch {
    return reply.status(503).send({ status: 'unavailable' });
  }
});

/** The request's session with its user and role grants, in one round trip (as loadSession); null when none. */
async function sessionOf(req) {
  const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (!cookie) return null;
  const idHash = createHash('sha256').update(cookie).digest();
  const s = (await pool.query(SESSION_SQL, [idHash, IDLE_MINUTES])).rows[0];
  if (!s) return null;
  if (Date.now() - s.last_seen_at.getTime() > 60_000) await pool.query(TOUCH_SQL, [new Date(), idHash]);
  return s;
}

app.get('/api/v1/auth/me', async (req, reply) => {
  const s = await sessionOf(req);
  if (!s) return reply.status(401).send({ error: { code: 'unauthenticated' } });
  reply.header('cache-control', 'no-store');
  return {
    id: s.user_id,
    kind: s.kind,
    fullName: s.full_name,
    email: s.email,
    phone: s.phone,
    roles: s.roles,
    csrfToken: s.csrf_token,
  };
});

// The scenarios' routes (bench/scenarios/*.mjs).
const fixture = env.BENCH_FIXTURE ? JSON.parse(readFileSync(env.BENCH_FIXTURE, 'utf8')) : null;
if (fixture) registerSearchCeiling(app, pool, fixture);
registerDossierCeiling(app, pool, fixture, { sessionOf });
app.get('/api/v1/payments/vnpay/ipn', async (req) => ceilingIpn(pool, String(req.query.vnp_TxnRef ?? ''), req.query));
registerReportCeiling(app, pool);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 10_000);
  try {
    await app.close();
    await pool.end();
  } finally {
    clearTimeout(timer);
    process.exit(0);
  }
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

await app.listen({ host: env.HOST ?? '127.0.0.1', port: Number(env.PORT ?? 0) });
