import type PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../adapters/sms/index.ts';
import { applyReceipt, dispatchMessage, sweepMessages, type Attempt } from '../modules/notify/index.ts';
import { QUEUES, startWorkerBoss, type QueueName } from './boss.ts';
import type { Gateways } from './gateways.ts';

export interface WorkerDeps {
  config: Config;
  /** The app-role database. */
  db: Db;
  /** Connection string (the pool switches to the app role). */
  url: string;
  log: Logger;
  gateways: Gateways;
  /** Books a postal order (the post module); null when the postal service is off. */
  postBook: ((shipmentId: string, attempt: Attempt) => Promise<void>) | null;
}

export interface Worker {
  stop(): Promise<void>;
}

/**
 * The dispatcher: pg-boss workers for the outbox queues (SMS, email, postal bookings), delivery
 * receipts from the SMS gateway, and the periodic sweep. `serve` runs one in-process; `worker`
 * runs one alone, for deployments that scale dispatch apart from the web processes.
 */
export async function startWorker(d: WorkerDeps): Promise<Worker> {
  const { config, db, log, gateways } = d;
  const wb = await startWorkerBoss(d.url, config, (err) => log.error({ err: err.message }, 'pg-boss error'));
  const boss = wb.boss;
  const emailDomain = /@([^>\s]+)>?\s*$/.exec(config.SMTP_FROM)?.[1] ?? 'motcua.local';

  async function work<T extends object>(queue: QueueName, batchSize: number, handle: (job: PgBoss.JobWithMetadata<T>) => Promise<void>) {
    await boss.work<T>(queue, { batchSize, includeMetadata: true, pollingIntervalSeconds: config.NOTIFY_POLL_SECONDS }, async (jobs) => {
      await Promise.all(jobs.map(async (job) => {
        try {
          await handle(job);
        } catch (err) {
          // Only this job goes back for a retry; the rest of the batch completes.
          await boss.fail(queue, job.id, { message: (err as Error).message }).catch((e: Error) => log.error({ err: e.message }, 'could not fail a job'));
        }
      }));
    });
  }

  const dispatch = (job: PgBoss.JobWithMetadata<{ messageId: string }>) =>
    dispatchMessage(db, { sms: gateways.sms, email: gateways.email, emailDomain }, job.data.messageId, job).then(() => undefined);

  if (gateways.sms) {
    const provider = gateways.sms.name;
    gateways.sms.onReceipt(async (r) => {
      const outcome = await applyReceipt(db, provider, r);
      if (outcome === 'unknown') log.warn({ providerRef: r.providerRef }, 'receipt for an unknown message id kept aside');
    });
    await work(QUEUES.sms, Math.max(20, config.SMPP_WINDOW * 4), dispatch);
  }
  if (gateways.email) await work(QUEUES.email, 20, dispatch);
  if (d.postBook) {
    const book = d.postBook;
    await work<{ shipmentId: string }>(QUEUES.postBook, 5, (job) => book(job.data.shipmentId, job));
  }

  const sweep = () => sweepMessages(db, { sendingTimeoutHours: config.NOTIFY_SENDING_TIMEOUT_HOURS })
    .then((r) => {
      if (r.timedOut || r.lost) log.warn(r, 'notify sweep: messages marked failed');
    })
    .catch((err: Error) => log.error({ err: err.message }, 'notify sweep failed'));
  const timer = setInterval(sweep, config.NOTIFY_SWEEP_SECONDS * 1000);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await wb.close();
      await gateways.close();
    },
  };
}
