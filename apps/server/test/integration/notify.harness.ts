import { randomInt, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/database.ts';
import { createJobs, QUEUES } from '../../src/jobs/index.ts';
import { createSealer } from '../../src/modules/identity/index.ts';
import { seedDemo } from '../../src/seed/seed.ts';
import { freshDatabase, testConfig } from '../helpers.ts';

/** Settings that make dispatch fast in tests: immediate retries, short polls, quick reconnects. */
export const FAST: Record<string, string> = {
  SMS_GATEWAY: 'sandbox', EMAIL_GATEWAY: 'sandbox', POST_GATEWAY: 'sandbox',
  NOTIFY_POLL_SECONDS: '0.5', NOTIFY_RETRY_LIMIT: '3', NOTIFY_RETRY_DELAY_SECONDS: '0', NOTIFY_RETRY_BACKOFF: 'false',
  NOTIFY_MAINTENANCE_SECONDS: '1', SMPP_RECONNECT_MIN_MS: '50', SMPP_RECONNECT_MAX_MS: '200', SMPP_SEND_RATE: '500',
  SMPP_SUBMIT_TIMEOUT_MS: '3000', SANDBOX_SMSC_RECEIPT_MS: '0', RATE_LIMIT_PER_MINUTE: '100000',
};

export interface MessagingApp {
  app: FastifyInstance;
  db: Db;
  ownerDb: Db;
  config: Config;
  url: string;
  base: string;
  close(): Promise<void>;
}

/**
 * The whole application with its dispatcher and sandboxes running in-process (as `serve` runs it),
 * listening on a random loopback port (the sandbox post office calls back over HTTP).
 */
export async function createMessagingApp(overrides: Record<string, string> = {}): Promise<MessagingApp> {
  const database = await freshDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...FAST, ...overrides });
  const { db } = createDb({ connectionString: database.url, max: 5, appRole: config.DB_APP_ROLE });
  const owner = createDb({ connectionString: database.url, max: 2 });
  await seedDemo(db, createSealer(config.encryptionKey));
  const app = await buildApp({ config, db, logger: false, jobs: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    app, db, ownerDb: owner.db, config, url: database.url, base: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await db.destroy();
      await owner.db.destroy();
      await database.drop();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** Puts one SMS (or email) straight into the outbox, as `emit` does, and returns its id. */
export async function enqueueMessage(db: Db, config: Config, m: { channel?: 'sms' | 'email'; to: string; body: string; subject?: string }): Promise<string> {
  const jobs = createJobs(config);
  const id = randomUUID();
  const channel = m.channel ?? 'sms';
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('notifyMessages').values({
      id, event: 'staff.message', channel, dedupeKey: `test:${id}`, recipient: m.to, locale: 'vi', subject: m.subject ?? null,
      body: m.body, status: 'queued', concatRef: randomInt(256),
    }).execute();
    await jobs.enqueue(tx, channel === 'sms' ? QUEUES.sms : QUEUES.email, [{ id, data: { messageId: id } }]);
  });
  return id;
}

/** Polls until `check` returns a truthy value. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function messageStatus(db: Db, id: string) {
  return db.selectFrom('notifyMessages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** 200 characters of Vietnamese, every letter with its diacritics. */
export const VIETNAMESE_200 = (() => {
  const s = 'Hồ sơ của ông/bà đã được tiếp nhận. Ngày hẹn trả kết quả: thứ Năm, 15/01/2026. Xin cảm ơn và chúc ông/bà mạnh khỏe! Ấp ủ, ước mơ, ngưỡng cửa, đường xưa, Đà Nẵng, Huế, Khánh Hòa, Nha Trang — ỹ ỵ ữ ự ẵ ặ ';
  return (s + s).slice(0, 200).normalize('NFC');
})();
