import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createDb, type Db } from '../src/db/database.ts';
import { createSealer } from '../src/modules/identity/index.ts';
import { totpCode } from '../src/modules/identity/totp.ts';
import { DEMO_CITIZEN, DEMO_OFFICIALS } from '../src/seed/demo-accounts.ts';
import { seedDemo } from '../src/seed/seed.ts';
import type { OfficialRole } from '@motcua/contracts';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template; dropped by `close`. */
export async function freshDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('adminUrl');
  const template = inject('templateDb');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    name,
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const TEST_KEY = randomBytes(32).toString('hex');

export function testConfig(overrides: Record<string, string> = {}): Config {
  const DATA_DIR = mkdtempSync(join(tmpdir(), 'motcua-test-data-'));
  return loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: TEST_KEY, LOG_LEVEL: 'silent', DATA_DIR, ...overrides } as NodeJS.ProcessEnv, { cwd: '/nonexistent' });
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Database as its owner (not the app role): for tests that inspect or tamper. */
  ownerDb: Db;
  config: Config;
  close: () => Promise<void>;
}

/** The whole application on its own fresh database with the demo province loaded. */
export async function createTestApp(overrides: Record<string, string> = {}, opts: { seed?: boolean } = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...overrides });
  const { db } = createDb({ connectionString: database.url, max: 5, appRole: config.DB_APP_ROLE });
  const owner = createDb({ connectionString: database.url, max: 2 });
  if (opts.seed !== false) await seedDemo(db, createSealer(config.encryptionKey));
  const app = await buildApp({ config, db, logger: false });
  await app.ready();
  return {
    app, db, ownerDb: owner.db, config,
    async close() {
      await app.close();
      await db.destroy();
      await owner.db.destroy();
      await database.drop();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps the session cookie and sends the CSRF token. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(readonly app: FastifyInstance, readonly ip = '127.0.0.1') {}

  async req(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method, url, remoteAddress: this.ip,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const set = res.cookies.find((c) => c.name === '__Host-motcua_sid');
    if (set) this.cookie = set.value ? `__Host-motcua_sid=${set.value}` : null;
    const json = safeJson(res.body);
    const me = json?.me ?? (url === '/api/v1/auth/me' && res.statusCode === 200 ? json : undefined);
    if (me?.csrfToken) this.csrf = me.csrfToken;
    return res;
  }
  get = (url: string, headers?: Record<string, string>) => this.req('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.req('POST', url, body ?? {}, headers);
  patch = (url: string, body?: unknown) => this.req('PATCH', url, body ?? {});
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function safeJson(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export async function signInCitizen(app: FastifyInstance, ip?: string): Promise<Client> {
  const c = new Client(app, ip);
  const res = await c.post('/api/v1/auth/login', { identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password });
  if (res.statusCode !== 200) throw new Error(`citizen login failed: ${res.body}`);
  return c;
}

/** Signs in as the demo official holding `role`, through password and TOTP. */
export async function signInOfficial(app: FastifyInstance, role: OfficialRole, ip?: string): Promise<Client> {
  const o = DEMO_OFFICIALS.find((x) => x.role === role)!;
  const c = new Client(app, ip);
  const res = await c.post('/api/v1/auth/login', { identifier: o.email, password: o.password });
  const body = safeJson(res.body);
  if (body?.status !== 'totp_required') throw new Error(`official login: ${res.body}`);
  // A code works once: a second sign-in in the same 30 s uses the next step's code (within the drift window).
  let t = await c.post('/api/v1/auth/totp', { challengeId: body.challengeId, code: totpCode(o.totpSecret) });
  if (t.statusCode === 401) t = await c.post('/api/v1/auth/totp', { challengeId: body.challengeId, code: totpCode(o.totpSecret, Date.now() + 30_000) });
  if (t.statusCode !== 200) throw new Error(`totp failed: ${t.body}`);
  return c;
}

export async function signUpCitizen(app: FastifyInstance, ip?: string): Promise<{ client: Client; phone: string; password: string }> {
  const phone = `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const password = `mot cau dai de nho ${randomBytes(3).toString('hex')}`;
  const client = new Client(app, ip);
  const res = await client.post('/api/v1/auth/signup', { fullName: 'Công dân thử nghiệm', phone, password });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.body}`);
  return { client, phone, password };
}
