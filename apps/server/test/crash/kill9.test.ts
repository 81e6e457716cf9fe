/**
 * Durability under crashes (RELIABILITY 25): submit dossiers with papers under load, kill -9 the
 * server at random moments, restart it, and check that every acknowledged submission (HTTP 201)
 * and every acknowledged paper (by SHA-256) is there, and that no file reference dangles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.ts';
import { createSealer } from '../../src/modules/identity/index.ts';
import { DEMO_CITIZEN } from '../../src/seed/demo-accounts.ts';
import { seedDemo } from '../../src/seed/seed.ts';
import { buildProcedure, multipart } from '../factories.ts';
import { freshDatabase, TEST_KEY } from '../helpers.ts';

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

interface Acked {
  dossierId: string;
  files: { id: string; sha256: string }[];
  submitted: boolean;
}

describe('kill -9 under load', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  let dataDir: string;
  let port: number;
  let server: ChildProcess | null = null;
  let procedureId: string;
  let componentId: string;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb({ connectionString: database.url, max: 3 }).db;
    await seedDemo(db, createSealer(Buffer.from(TEST_KEY, 'hex')));
    const p = await buildProcedure(db, { requiredComponents: 1 });
    procedureId = p.id;
    componentId = p.componentIds[0]!;
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-crash-'));
    port = await freePort();
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start() {
    server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: TEST_KEY,
        DEMO_SEED: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', NODE_ENV: 'test',
      },
      stdio: 'ignore',
    });
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  }

  it('keeps every acknowledged dossier and paper', async () => {
    await start();
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = ((await login.json()) as { me: { csrfToken: string } }).me.csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf };
    const acked = new Map<string, Acked>();
    let stop = false;

    async function worker() {
      while (!stop) {
        try {
          const created = await fetch(`${base}/api/v1/dossiers`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ procedureId, formData: { businessName: 'Cửa hàng thử' } }) });
          if (created.status !== 201) continue;
          const d = (await created.json()) as { id: string };
          const entry: Acked = { dossierId: d.id, files: [], submitted: false };
          acked.set(d.id, entry);
          const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50_000 + Math.floor(Math.random() * 200_000))]);
          const m = multipart(body, 'giấy tờ.pdf', { componentId });
          const up = await fetch(`${base}/api/v1/dossiers/${d.id}/files`, { method: 'POST', headers: { ...headers, ...m.headers }, body: m.payload });
          if (up.status !== 201) continue;
          entry.files.push({ id: ((await up.json()) as { id: string }).id, sha256: createHash('sha256').update(body).digest('hex') });
          const sub = await fetch(`${base}/api/v1/dossiers/${d.id}/submit`, { method: 'POST', headers: { ...headers, 'idempotency-key': `crash-${d.id}` } });
          if (sub.status === 201) entry.submitted = true;
        } catch {
          await new Promise((r) => setTimeout(r, 50)); // the server is down: wait for it
        }
      }
    }

    const workers = Array.from({ length: 6 }, () => worker());
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, 700 + Math.random() * 1500));
      server!.kill('SIGKILL');
      await new Promise((r) => server!.once('exit', r));
      await start();
    }
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(workers);

    const submitted = [...acked.values()].filter((a) => a.submitted);
    expect(submitted.length).toBeGreaterThan(5);
    for (const a of acked.values()) {
      const res = await fetch(`${base}/api/v1/dossiers/${a.dossierId}`, { headers });
      expect(res.status, a.dossierId).toBe(200);
      const d = (await res.json()) as { status: string; files: { id: string }[] };
      if (a.submitted) expect(d.status).toBe('submitted');
      for (const f of a.files) {
        expect(d.files.map((x) => x.id)).toContain(f.id);
        const dl = await fetch(`${base}/api/v1/dossiers/${a.dossierId}/files/${f.id}`, { headers });
        expect(createHash('sha256').update(Buffer.from(await dl.arrayBuffer())).digest('hex')).toBe(f.sha256);
      }
    }
    // No reference to a file that is not on disk, and no half-written file left in place.
    const refs = await db.selectFrom('dossierFiles').select('blobSha256').distinct().execute();
    for (const r of refs) expect(existsSync(join(dataDir, 'blobs', r.blobSha256.slice(0, 2), r.blobSha256.slice(2, 4), r.blobSha256))).toBe(true);
  }, 120_000);
});
