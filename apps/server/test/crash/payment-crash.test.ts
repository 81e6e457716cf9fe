/**
 * kill -9 just before and just after an IPN's commit (RELIABILITY 18): the sandbox gateway's
 * retries (its books survive the restarts) end in 00 then 02, never a double payment: one paid
 * transition, one receipt, one audit event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.ts';
import { createSealer } from '../../src/modules/identity/index.ts';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { seedDemo } from '../../src/seed/seed.ts';
import { buildProcedure } from '../factories.ts';
import { freshDatabase, TEST_KEY } from '../helpers.ts';
import { FEES } from '../integration/payment-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MAIN = resolve(ROOT, 'apps/server/src/main.ts');

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

describe('kill -9 around the IPN commit', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  let dataDir: string;
  let port: number;
  let server: ChildProcess | null = null;
  let procedureId: string;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb({ connectionString: database.url, max: 3 }).db;
    await seedDemo(db, createSealer(Buffer.from(TEST_KEY, 'hex')));
    procedureId = (await buildProcedure(db, { requiredComponents: 0, fees: FEES })).id;
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-paycrash-'));
    port = await freePort();
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the server; resolves once it answers (or has already died at a failpoint), with its exit. */
  async function start(failpoint?: 'ipn_before_commit' | 'ipn_after_commit'): Promise<{ exited: Promise<void> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: TEST_KEY,
        DEMO_SEED: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', NODE_ENV: 'test', PUBLIC_URL: `http://127.0.0.1:${port}`,
        PAYMENT_SANDBOX_IPN_RETRY_MS: '300', ...(failpoint ? { PAYMENT_FAILPOINT: failpoint } : {}),
      },
      stdio: 'ignore',
    });
    server = child;
    let gone = false;
    const exited = new Promise<void>((ok) => child.once('exit', () => {
      gone = true;
      ok();
    }));
    // A restarted server may take the gateway's retry (and die at the failpoint) before it listens.
    for (let i = 0; i < 600 && !gone; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) return { exited };
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (gone) return { exited };
    throw new Error('server did not start');
  }

  const state = async (paymentId: string) => {
    const p = await db.selectFrom('payments').select(['status']).where('id', '=', paymentId).executeTakeFirstOrThrow();
    const receipts = await db.selectFrom('receipts').select('id').where('paymentId', '=', paymentId).execute();
    const audit = await db.selectFrom('auditLog').select('seq').where('action', '=', 'payment.paid').where('objectId', '=', paymentId).execute();
    return { status: p.status, receipts: receipts.length, audit: audit.length };
  };

  it('retries end in 00 then 02, with exactly one paid transition', async () => {
    const base = `http://127.0.0.1:${port}`;
    let died = (await start('ipn_before_commit')).exited;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = ((await login.json()) as { me: { csrfToken: string } }).me.csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/v1/dossiers`, { method: 'POST', headers, body: JSON.stringify({ procedureId, formData: { businessName: 'Cửa hàng thử' }, submit: true }) });
    expect(created.status).toBe(201);
    const dossierId = ((await created.json()) as { id: string }).id;
    const startRes = await fetch(`${base}/api/v1/dossiers/${dossierId}/payments/vnpay`, { method: 'POST', headers, body: '{}' });
    const started = (await startRes.json()) as { payment: { id: string }; redirectUrl: string };
    expect(startRes.status, JSON.stringify(started)).toBe(201);
    const paymentId = started.payment.id;
    const page = await (await fetch(started.redirectUrl)).text();
    const q = /name="q" value="([^"]*)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    const paid = await fetch(`${base}/sandbox/vnpay/pay`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q, outcome: 'paid' }).toString() });
    expect(paid.status).toBe(303);
    const txnRef = new URL(started.redirectUrl).searchParams.get('vnp_TxnRef')!;
    const sandboxRow = () => db.selectFrom('paymentSandboxTransactions').selectAll().where('txnRef', '=', txnRef).executeTakeFirstOrThrow();

    // 1. The first IPN dies just before its commit: nothing was paid.
    await died;
    expect(await state(paymentId)).toEqual({ status: 'pending', receipts: 0, audit: 0 });
    expect((await sandboxRow()).ipnAttempts).toBe(1);

    // 2. The gateway retries; this time the process dies just after the commit, before answering.
    died = (await start('ipn_after_commit')).exited;
    await died;
    expect(await state(paymentId)).toEqual({ status: 'paid', receipts: 1, audit: 1 });
    expect((await sandboxRow()).ipnDoneAt).toBeNull();

    // 3. A healthy process: the next retry is told 02, and the gateway stops.
    await start();
    for (let i = 0; i < 100 && !(await sandboxRow()).ipnDoneAt; i++) await new Promise((r) => setTimeout(r, 100));
    const row = await sandboxRow();
    expect(row.ipnDoneAt).not.toBeNull();
    expect(row.ipnAttempts).toBe(3);
    expect(row.ipnAnswers.map((a) => a.rspCode)).toEqual(['02']);
    expect(await state(paymentId)).toEqual({ status: 'paid', receipts: 1, audit: 1 });
    const events = await db.selectFrom('paymentGatewayEvents').select('answer').where('paymentId', '=', paymentId).orderBy('id').execute();
    expect(events.map((e) => e.answer)).toEqual(['00', '02']);
    const fees = await db.selectFrom('dossierFees').select('paymentId').where('dossierId', '=', dossierId).orderBy('sortOrder').execute();
    expect(fees.map((f) => f.paymentId)).toEqual([paymentId, null, paymentId]);
  }, 150_000);
});
