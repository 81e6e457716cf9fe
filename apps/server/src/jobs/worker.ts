import type PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { DeliveryReceipt, Logger } from '../adapters/sms/index.ts';
import {
  applyReceipts, loadMessages, recordResults, sendMessage, sweepMessages, type Attempt, type DispatchGateways, type DispatchResult, type SettleJobs,
} from '../modules/notify/index.ts';
import { QUEUES, startWorkerBoss, txExecutor, type QueueName } from './boss.ts';
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

/** Results recorded in one transaction at most. */
const RECORD_MAX = 500;
/**
 * Record transactions under way at once per queue: while one waits on the database (its commit's
 * flush above all), another gathers and records what came back meanwhile.
 */
const RECORDERS = 2;
/**
 * Claims under way at once per queue while it is busy: pg-boss's fetch sorts every due job, so it
 * takes a while on a long queue, and one claim would not keep the gateway's window full.
 */
const CLAIMERS = 2;
/** Receipts applied in one transaction at most. */
const RECEIPT_BATCH_MAX = 500;

export interface StreamLimits {
  /** Jobs claimed per fetch. */
  batchSize: number;
  /** Messages claimed and not yet recorded, at most. */
  maxInFlight: number;
}

/**
 * SMS: claims of four SMPP windows (pg-boss's fetch sorts every due job, so few large claims cost
 * the database less than many small ones), up to ten windows claimed ahead, but never more than a
 * quarter of the job expiry's worth at the contracted rate (a claimed message must be sent and
 * recorded long before its job expires and is handed to another worker).
 */
export function smsStreamLimits(config: Pick<Config, 'SMPP_WINDOW' | 'SMPP_SEND_RATE' | 'NOTIFY_JOB_EXPIRE_SECONDS'>): StreamLimits {
  const byExpiry = Math.max(1, Math.floor((config.SMPP_SEND_RATE * config.NOTIFY_JOB_EXPIRE_SECONDS) / 4));
  const maxInFlight = Math.max(1, Math.min(500, config.SMPP_WINDOW * 10, byExpiry));
  return { batchSize: Math.max(1, Math.min(250, config.SMPP_WINDOW * 4, maxInFlight)), maxInFlight };
}
/** Email: the SMTP transport keeps a small pool of connections. */
const EMAIL_LIMITS: StreamLimits = { batchSize: 10, maxInFlight: 20 };

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  if (signal.aborted) return resolve();
  const t = setTimeout(done, ms);
  function done() {
    clearTimeout(t);
    signal.removeEventListener('abort', done);
    resolve();
  }
  signal.addEventListener('abort', done, { once: true });
});

/**
 * The dispatcher: a claim-send-record pipeline per outbox queue (SMS, email), pg-boss workers for
 * postal bookings, delivery receipts from the SMS gateway applied in batches, and the periodic sweep.
 * `serve` runs one in-process; `worker` runs one alone, for deployments that scale dispatch apart
 * from the web processes.
 */
export async function startWorker(d: WorkerDeps): Promise<Worker> {
  const { config, db, log, gateways } = d;
  const wb = await startWorkerBoss(d.url, config, (err) => log.error({ err: err.message }, 'pg-boss error'));
  const boss = wb.boss;
  const emailDomain = /@([^>\s]+)>?\s*$/.exec(config.SMTP_FROM)?.[1] ?? 'motcua.local';
  const dispatchGateways: DispatchGateways = { sms: gateways.sms, email: gateways.email, emailDomain };
  const stopping = new AbortController();
  const pollMs = config.NOTIFY_POLL_SECONDS * 1000;

  // pg-boss 10 takes (name, ids, data, options); its typings omit `data` beside an id array.
  type Fail = (name: string, ids: string[], data: object | null, options: PgBoss.ConnectionOptions) => Promise<unknown>;
  const fail = boss.fail.bind(boss) as unknown as Fail;

  /**
   * Settles a batch's jobs in the transaction that records the batch. A job whose message is
   * recorded (sent, failed for good, or found already past `queued`) is deleted rather than kept
   * as `completed`: the message's own history is the record, and a delete costs the database a
   * fraction of an update (no new row version, no index entries). Retries go back to the queue.
   */
  const settleIn = (queue: QueueName): SettleJobs => async (tx, s) => {
    const executor = txExecutor(tx);
    if (s.complete.length) await boss.deleteJob(queue, s.complete, { db: executor });
    const byError = new Map<string, string[]>();
    for (const r of s.retry) byError.set(r.error, [...(byError.get(r.error) ?? []), r.jobId]);
    for (const [message, ids] of byError) await fail(queue, ids, { message }, { db: executor });
  };

  /**
   * One queue's dispatch as a pipeline, so that the gateway never waits for the database:
   * - claim: pg-boss takes due jobs (`FOR UPDATE SKIP LOCKED`, the attempt counted in the same
   *   committed statement) while fewer than `maxInFlight` messages are claimed and unrecorded;
   *   their messages are read in one statement and handed to the gateway at once (the SMPP
   *   transceiver keeps its window of submits outstanding at the contracted rate);
   * - record: results are recorded as they come back, everything that arrived during the previous
   *   record in one transaction (group commit), together with the end of their jobs.
   * A crash anywhere leaves claimed jobs to expire and be retried with the same dedupe keys.
   */
  async function stream(queue: QueueName, limits: StreamLimits): Promise<void> {
    const settle = settleIn(queue);
    /** Messages claimed (or being claimed) and not yet recorded. */
    let inFlight = 0;
    const done: DispatchResult[] = [];
    let recording = 0;
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of waiters) w();
      waiters.clear();
    };
    const waitProgress = () => new Promise<void>((resolve) => waiters.add(resolve));
    const release = (n: number) => {
      inFlight -= n;
      wake();
    };
    const record = () => {
      if (recording >= RECORDERS || done.length === 0) return;
      recording++;
      const group = done.splice(0, RECORD_MAX);
      void recordResults(db, group, settle)
        .catch(async (err: Error) => {
          log.error({ err: err.message, queue, messages: group.length }, 'could not record dispatched messages; their jobs go back to the queue');
          // Retried with the same dedupe keys: nothing is sent twice. If this fails too, the jobs expire and are retried then.
          await fail(queue, group.map((r) => r.job.jobId), { message: err.message }, {}).catch(() => undefined);
        })
        .finally(() => {
          recording--;
          release(group.length);
          record();
        });
    };
    /** Whether the last claim came back full: the other claimers join in only then (one poller when idle). */
    let busy = false;
    const claim = async (_: unknown, claimer: number) => {
      while (!stopping.signal.aborted) {
        if (claimer > 0 && !busy) {
          await sleep(pollMs, stopping.signal);
          continue;
        }
        if (inFlight + limits.batchSize > limits.maxInFlight) {
          await waitProgress();
          continue;
        }
        const started = Date.now();
        inFlight += limits.batchSize;
        let jobs: PgBoss.JobWithMetadata<{ messageId: string }>[] = [];
        try {
          jobs = await boss.fetch<{ messageId: string }>(queue, { batchSize: limits.batchSize, includeMetadata: true });
          busy = jobs.length === limits.batchSize;
          release(limits.batchSize - jobs.length);
          if (jobs.length) {
            const claimed = jobs.map((j) => ({ jobId: j.id, messageId: j.data.messageId, retryCount: j.retryCount, retryLimit: j.retryLimit }));
            let messages;
            try {
              messages = await loadMessages(db, claimed);
            } catch (err) {
              release(claimed.length);
              throw err;
            }
            for (const job of claimed) {
              void sendMessage(dispatchGateways, job, messages.get(job.messageId)).then((r) => {
                done.push(r);
                record();
              });
            }
          }
        } catch (err) {
          if (!jobs.length) release(limits.batchSize);
          log.error({ err: (err as Error).message, queue, jobs: jobs.length }, 'dispatch claim failed; its jobs go back to the queue');
          if (jobs.length) await fail(queue, jobs.map((j) => j.id), { message: (err as Error).message }, {}).catch(() => undefined);
          await sleep(pollMs, stopping.signal);
          continue;
        }
        if (jobs.length < limits.batchSize) await sleep(Math.max(0, pollMs - (Date.now() - started)), stopping.signal);
      }
    };
    const onStop = () => wake();
    stopping.signal.addEventListener('abort', onStop);
    await Promise.all(Array.from({ length: CLAIMERS }, claim));
    stopping.signal.removeEventListener('abort', onStop);
    // Messages under way are sent (bounded by the submit timeout) and recorded before the pool closes.
    while (inFlight > 0) await waitProgress();
  }

  const streams: Promise<void>[] = [];
  if (gateways.sms) {
    const provider = gateways.sms.name;
    const receipts = receiptBatcher(async (batch) => {
      const outcomes = await applyReceipts(db, provider, batch);
      const unknown = outcomes.filter((o) => o === 'unknown').length;
      if (unknown) log.warn({ receipts: unknown }, 'receipts for unknown message ids kept aside');
    });
    gateways.sms.onReceipt(receipts);
    streams.push(stream(QUEUES.sms, smsStreamLimits(config)));
  }
  if (gateways.email) streams.push(stream(QUEUES.email, EMAIL_LIMITS));
  if (d.postBook) {
    const book = d.postBook;
    await boss.work<{ shipmentId: string }>(QUEUES.postBook, { batchSize: 5, includeMetadata: true, pollingIntervalSeconds: config.NOTIFY_POLL_SECONDS }, async (jobs) => {
      await Promise.all(jobs.map(async (job) => {
        try {
          await book(job.data.shipmentId, job);
        } catch (err) {
          // Only this job goes back for a retry; the rest of the batch completes.
          await boss.fail(QUEUES.postBook, job.id, { message: (err as Error).message }).catch((e: Error) => log.error({ err: e.message }, 'could not fail a job'));
        }
      }));
    });
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
      stopping.abort();
      // Messages under way are sent (each part bounded by the submit timeout) and recorded; any
      // still unrecorded after that are retried when their jobs expire, with the same dedupe keys.
      const timeout = new AbortController();
      await Promise.race([Promise.allSettled(streams), sleep(config.SMPP_SUBMIT_TIMEOUT_MS * 2 + 5000, timeout.signal)]);
      timeout.abort();
      await wb.close();
      await gateways.close();
    },
  };
}

/**
 * Gathers receipts as they arrive and applies them in one transaction per batch: a batch starts
 * as soon as the previous one is committed and takes every receipt that arrived meanwhile. Each
 * caller's promise settles when its batch is committed (or failed), so the gateway acknowledges a
 * receipt only once it is recorded.
 */
export function receiptBatcher(apply: (batch: DeliveryReceipt[]) => Promise<void>): (r: DeliveryReceipt) => Promise<void> {
  let queue: { r: DeliveryReceipt; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (queue.length) {
      const batch = queue.slice(0, RECEIPT_BATCH_MAX);
      queue = queue.slice(batch.length);
      try {
        await apply(batch.map((b) => b.r));
        for (const b of batch) b.resolve();
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // One receipt that cannot be recorded must not hold back the others: each on its own.
        else for (const b of batch) await apply([b.r]).then(b.resolve, b.reject);
      }
    }
    running = false;
  };
  return (r) => new Promise<void>((resolve, reject) => {
    queue.push({ r, resolve, reject });
    // Receipts that arrive in the same turn of the event loop go together.
    if (!running) {
      running = true;
      setImmediate(() => void drain());
    }
  });
}
