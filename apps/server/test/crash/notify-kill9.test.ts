/**
 * Exactly once across a crash (RELIABILITY 21): a `worker` process is killed with SIGKILL after
 * the SMSC has accepted part of a message and before the worker could record it. A new worker
 * retries the message with the same dedupe keys: the SMSC still holds exactly one message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxSmsc } from '../../src/adapters/sms/index.ts';
import { createDb, type Db } from '../../src/db/database.ts';
import { prepareJobSchema } from '../../src/jobs/index.ts';
import { freshDatabase, TEST_KEY, testConfig } from '../helpers.ts';
import { enqueueMessage, messageStatus, VIETNAMESE_200, waitFor } from '../integration/notify.harness.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MAIN = resolve(ROOT, 'apps/server/src/main.ts');

describe('kill -9 of the worker between send and record', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  let dataDir: string;
  let smsc: SandboxSmsc;
  let config: ReturnType<typeof testConfig>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    // A job's expiry and retry delay are fixed when it is enqueued: short here, so the crashed attempt is retried soon.
    config = testConfig({ DATABASE_URL: database.url, NOTIFY_JOB_EXPIRE_SECONDS: '2', NOTIFY_RETRY_DELAY_SECONDS: '0', NOTIFY_RETRY_BACKOFF: 'false' });
    await prepareJobSchema(database.url, config);
    db = createDb({ connectionString: database.url, max: 3, appRole: config.DB_APP_ROLE }).db;
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-worker-'));
    smsc = new SandboxSmsc({ systemId: 'motcua', password: 'sandbox', dedupeTlv: 0x1401, autoReceiptMs: null });
    await smsc.start();
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await smsc.stop();
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(): ChildProcess {
    const w = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker'], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: TEST_KEY, NODE_ENV: 'test', LOG_LEVEL: process.env.DEBUG_WORKER ? 'debug' : 'silent',
        SMS_GATEWAY: 'smpp', SMPP_HOST: '127.0.0.1', SMPP_PORT: String(smsc.port), EMAIL_GATEWAY: 'off', POST_GATEWAY: 'off',
        NOTIFY_JOB_EXPIRE_SECONDS: '2', NOTIFY_MAINTENANCE_SECONDS: '1', NOTIFY_POLL_SECONDS: '0.5',
        NOTIFY_RETRY_DELAY_SECONDS: '0', NOTIFY_RETRY_BACKOFF: 'false', SMPP_RECONNECT_MIN_MS: '50',
      },
      stdio: process.env.DEBUG_WORKER ? 'inherit' : 'ignore',
    });
    workers.push(w);
    return w;
  }

  it('still exactly one message', async () => {
    const id = await enqueueMessage(db, config, { to: '84912345678', body: VIETNAMESE_200 });
    let victim: ChildProcess | null = null;
    // The SMSC accepts part 2 and, before answering, the worker dies.
    smsc.onSubmit = ({ submitNumber }) => {
      if (submitNumber === 2 && victim) {
        victim.kill('SIGKILL');
        return 'hold';
      }
      return 'accept';
    };
    victim = startWorker();
    await new Promise((r) => victim!.once('exit', r));
    expect(smsc.acceptedParts).toBe(2);
    expect((await messageStatus(db, id)).status).toBe('queued');

    startWorker();
    const m = await waitFor(async () => {
      const x = await messageStatus(db, id);
      return x.status === 'sending' ? x : undefined;
    }, 40_000, 'the second worker to record the message');
    expect(m.smsParts).toBe(3);
    const atSmsc = smsc.messages.filter((x) => x.to === '84912345678');
    expect(atSmsc).toHaveLength(1);
    expect(atSmsc[0]).toMatchObject({ complete: true, text: VIETNAMESE_200, total: 3 });
    expect(smsc.acceptedParts).toBe(3);
    expect(smsc.duplicates).toBe(2);
    const refs = await db.selectFrom('notifyProviderRefs').select('providerRef').where('messageId', '=', id).orderBy('part').execute();
    expect(refs.map((r) => r.providerRef)).toEqual(atSmsc[0]!.parts.map((p) => p.messageId));
  }, 60_000);
});
