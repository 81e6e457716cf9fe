import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Registry, collectDefaultMetrics, Histogram, Gauge } from 'prom-client';
import type { AppDeps } from '../../http/context.ts';
import { migrations } from '../../db/migrations/index.ts';

/** Liveness, readiness and Prometheus metrics: what the data centre's monitoring scrapes. */
export function healthRoutes(app: FastifyInstance, { db }: AppDeps, pool?: { totalCount: number; idleCount: number; waitingCount: number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'motcua_' });
  const duration = new Histogram({
    name: 'motcua_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  if (pool) {
    new Gauge({
      name: 'motcua_db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'], registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const hide = { hide: true };
  app.get('/healthz', { schema: hide }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(db);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  app.get('/readyz', { schema: hide }, async (_req, reply) => {
    try {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(db);
      const expected = Object.keys(migrations).length;
      if (r.rows[0]!.n !== expected) return reply.status(503).send({ status: 'migrations_pending' });
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  app.get('/metrics', { schema: hide }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
