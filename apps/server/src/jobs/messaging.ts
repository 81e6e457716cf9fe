import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/context.ts';
import { HttpPostalPort, SandboxPostOffice, type PostalPort } from '../adapters/post/index.ts';
import type { CalendarService } from '../modules/calendar/index.ts';
import type { DossierHooks } from '../modules/dossier/index.ts';
import { dossierNotifyHook, notifyRoutes, notifySandboxPages, type NotifyDeps } from '../modules/notify/index.ts';
import { bookShipment, postDossierHook, postRoutes, postSandboxRoutes, type PostDeps } from '../modules/post/index.ts';
import { createJobs, prepareJobSchema } from './boss.ts';
import { createGateways, startSandboxes, type Sandboxes } from './gateways.ts';
import { startWorker, type Worker } from './worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The sandbox SMSC, SMTP server and post office running in this process (demo, tests). */
    sandboxes: (Sandboxes & { post: SandboxPostOffice | null }) | null;
  }
}

export interface MessagingOptions {
  calendar: CalendarService;
  hooks: DossierHooks;
  /** Run the dispatcher (pg-boss workers) and the sandboxes in this process (`serve`). */
  jobs: boolean;
  /** The owner's connection string: pg-boss's schema is installed as the owner. */
  databaseUrl: string | undefined;
}

/**
 * Notifications and the postal service: the outbox hooks on dossier actions, their APIs, the
 * sandboxes' pages and, with `jobs`, the in-process dispatcher. Installs pg-boss's schema first
 * (as the owner), since every dossier action now enqueues in its own transaction.
 */
export async function messagingModule(app: FastifyInstance, deps: AppDeps, opts: MessagingOptions): Promise<void> {
  const { config, db } = deps;
  const ownerUrl = opts.databaseUrl ?? config.DATABASE_URL;
  if (!ownerUrl) throw new Error('the job queue needs the database URL of the owner role');
  await prepareJobSchema(ownerUrl, config);
  const jobs = createJobs(config);
  const notify: NotifyDeps = { config, jobs };

  const selfUrl = () => {
    const a = app.server.address();
    if (a && typeof a === 'object') return `http://127.0.0.1:${a.port}`;
    return `http://127.0.0.1:${config.PORT}`;
  };
  const office = config.POST_GATEWAY === 'sandbox'
    ? new SandboxPostOffice({ webhookSecret: config.POST_WEBHOOK_SECRET, autoplayMs: config.SANDBOX_POST_AUTOPLAY_SECONDS * 1000 || null, log: (msg, err) => app.log.warn({ err }, msg) })
    : null;
  const port: PostalPort | null = config.POST_GATEWAY === 'sandbox'
    ? new HttpPostalPort({ baseUrl: () => `${selfUrl()}/sandbox/post/api`, token: config.POST_API_TOKEN, timeoutMs: 10_000 })
    : config.POST_GATEWAY === 'http'
      ? new HttpPostalPort({ baseUrl: config.POST_API_URL!, token: config.POST_API_TOKEN, timeoutMs: 10_000 })
      : null;
  const post: PostDeps = {
    config, jobs, notify, calendar: opts.calendar, hooks: opts.hooks, port,
    callbackUrl: () => config.POST_WEBHOOK_URL ?? `${selfUrl()}/api/v1/post/webhook`,
  };

  opts.hooks.after.push(dossierNotifyHook(notify), postDossierHook(post));
  notifyRoutes(app, deps, { calendar: opts.calendar, notify });
  postRoutes(app, deps, post);
  if (office) postSandboxRoutes(app, office, config.POST_API_TOKEN);

  const sandboxes = opts.jobs ? await startSandboxes(config) : null;
  app.decorate('sandboxes', sandboxes ? { ...sandboxes, post: office } : office ? { smsc: null, smtp: null, post: office, stop: async () => {} } : null);
  if (sandboxes) notifySandboxPages(app, sandboxes);
  if (config.NODE_ENV === 'production' && [config.SMS_GATEWAY, config.EMAIL_GATEWAY, config.POST_GATEWAY].includes('sandbox'))
    app.log.warn('sandbox gateways are configured in production: nothing reaches real phones, mailboxes or post offices');

  let worker: Worker | null = null;
  if (opts.jobs) {
    app.addHook('onReady', async () => {
      const gateways = createGateways(config, app.log, sandboxes);
      worker = await startWorker({ config, db, url: ownerUrl, log: app.log, gateways, postBook: port ? (id, attempt) => bookShipment(db, post, id, attempt) : null });
    });
  }
  app.addHook('onClose', async () => {
    await worker?.stop();
    office?.stop();
    await sandboxes?.stop();
  });
}
