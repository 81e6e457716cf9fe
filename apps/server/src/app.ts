import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { AppDeps } from './http/context.ts';
import { installErrorHandler, installNotFound } from './http/error-handler.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { agenciesRoutes } from './modules/agencies/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { CalendarService, calendarRoutes } from './modules/calendar/index.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { dossierDocumentRoutes, dossierRoutes, noHooks, processRoutes, scheduleDeadlineSweep } from './modules/dossier/index.ts';
import { diskBlobStore } from './adapters/storage/index.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { authRoutes, createSealer, officialsRoutes, sessionPlugin } from './modules/identity/index.ts';
import { reportsRoutes } from './modules/reports/index.ts';
import { paymentModule } from './modules/payment/index.ts';
import { messagingModule } from './jobs/messaging.ts';
import { formSigner, signResultsHook, signingRoutes } from './modules/signing/index.ts';
import { generateResultHook, resultsRoutes } from './modules/results/index.ts';
import { feedbackRoutes } from './modules/feedback/index.ts';

export interface BuildOptions {
  config: Config;
  db: Db;
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** Run the periodic jobs in this process (the deadline sweep). */
  jobs?: boolean;
  /** Connection string of the database owner (pg-boss installs its schema as the owner); default DATABASE_URL. */
  databaseUrl?: string;
  /** Pino logger options, or false to silence (tests). */
  logger?: boolean | object;
}

/** Paths whose values never reach a log line. */
const REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

/**
 * One access line per request instead of Fastify's two, without the query string: queries may
 * carry personal data (a phone searched for, the last digits of a lookup).
 */
class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { method: req.method, path: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

/** Builds the whole application; the caller decides whether to listen (tests use `inject`). */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.LOG_LEVEL, redact: REDACT, ...(typeof opts.logger === 'object' ? opts.logger : {}) },
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    ajv: undefined,
    logController: new AccessLog(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const deps: AppDeps = { config, db, sealer: createSealer(config.encryptionKey) };

  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
    hsts: config.NODE_ENV === 'production',
  });
  await app.register(rateLimit, { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' });
  await app.register(cookie);
  // Streaming uploads for every module; each route enforces its own size and type limits.
  await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 100_000, fileSize: Math.max(config.UPLOAD_MAX_FILE_MB, 5) * 1024 * 1024, parts: 30 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'motcua API',
        version: '1.0.0',
        description:
          'Public and internal API of the motcua online public-service centre. Errors share one shape: ' +
          '`{ error: { code, message: { vi, en }, fields?, requestId } }`. Cookie-authenticated state changes need `x-csrf-token`.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: '__Host-motcua_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(sessionPlugin, deps);
  installErrorHandler(app);
  healthRoutes(app, deps, opts.pool);
  authRoutes(app, deps);
  officialsRoutes(app, deps);
  agenciesRoutes(app, deps);
  auditRoutes(app, deps);
  catalogRoutes(app, deps);
  const calendar = new CalendarService(db, config);
  calendarRoutes(app, deps, calendar);
  processRoutes(app, deps);
  const signForm = formSigner(deps);
  dossierDocumentRoutes(app, deps, calendar, signForm);
  app.addHook('onReady', async () => {
    await calendar.calendar();
  });
  if (opts.jobs) {
    const stop = scheduleDeadlineSweep(db, calendar, 60_000, (err) => app.log.error({ err }, 'deadline sweep failed'));
    app.addHook('onClose', async () => stop());
  }
  const blobs = diskBlobStore(resolve(config.DATA_DIR, 'blobs'));
  // Modules that react to dossier actions register here (payments, signing, notifications).
  const dossierHooks = noHooks();
  paymentModule(app, deps, { calendar, hooks: dossierHooks, jobs: opts.jobs === true, signForm });
  await messagingModule(app, deps, { calendar, hooks: dossierHooks, jobs: opts.jobs === true, databaseUrl: opts.databaseUrl });
  // Results are signed with the agency's certificate on approval (after the other modules' checks).
  // Procedures with a result template get their result generated first, then signed like any other.
  dossierHooks.before.push(generateResultHook(blobs), signResultsHook(deps, blobs));
  signingRoutes(app, deps, { calendar });
  resultsRoutes(app, deps, { calendar });
  dossierRoutes(app, deps, { calendar, blobs, hooks: dossierHooks });
  reportsRoutes(app, deps, { calendar, jobs: opts.jobs === true });
  feedbackRoutes(app, deps, { calendar });

  const webDist = resolve(config.WEB_DIST ?? resolve(import.meta.dirname, '../../web/dist'));
  if (existsSync(resolve(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
    installNotFound(app, (reply) => reply.sendFile('index.html'));
  } else {
    installNotFound(app);
  }
  return app;
}
