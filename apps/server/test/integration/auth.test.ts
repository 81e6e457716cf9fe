import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_OFFICIALS } from '../../src/seed/demo-accounts.ts';
import { totpCode } from '../../src/modules/identity/totp.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_HOUR: '5' });
});
afterAll(() => t.close());

describe('citizen sign-up', () => {
  it('creates the account, signs in with a __Host- Secure HttpOnly SameSite cookie', async () => {
    const c = new Client(t.app);
    const res = await c.post('/api/v1/auth/signup', { fullName: 'Trần Văn Bảo', email: 'Bao@Example.vn', password: 'một câu thật dài' });
    expect(res.statusCode).toBe(201);
    const cookie = res.cookies.find((x) => x.name === '__Host-motcua_sid')!;
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, secure: true, sameSite: 'Lax' });
    expect(cookie.domain).toBeUndefined();
    const me = await c.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(safeJson(me.body)).toMatchObject({ kind: 'citizen', fullName: 'Trần Văn Bảo', email: 'bao@example.vn', roles: [] });
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('refuses short and common passwords with field messages in both languages, and writes nothing', async () => {
    const before = await t.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const password of ['short', '12345678', 'password', 'qwertyuiop']) {
      const res = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'A', phone: '0987654321', password });
      expect(res.statusCode).toBe(400);
      const err = safeJson(res.body).error;
      expect(err.code).toBe('validation_failed');
      expect(err.fields[0].path).toBe('body.password');
      expect(err.fields[0].message.vi).toBeTruthy();
      expect(err.fields[0].message.en).toBeTruthy();
    }
    const after = await t.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('accepts a 64+ character passphrase without composition rules', async () => {
    const res = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'B', phone: '0356000001', password: 'chữ thường '.repeat(8) });
    expect(res.statusCode).toBe(201);
  });

  it('refuses an invalid phone, and a phone already registered (409)', async () => {
    const bad = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'C', phone: '0123', password: 'mot cau dai de nho' });
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields[0].path).toBe('body.phone');
    const dup = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'C', phone: DEMO_CITIZEN.phone, password: 'mot cau dai de nho' });
    expect(dup.statusCode).toBe(409);
    expect(safeJson(dup.body).error.code).toBe('account_exists');
  });

  it('stores the password as argon2id', async () => {
    const u = await t.db.selectFrom('users').select('passwordHash').where('email', '=', 'bao@example.vn').executeTakeFirstOrThrow();
    expect(u.passwordHash).toMatch(/^\$argon2id\$/);
  });
});

describe('sessions', () => {
  it('gives a new session id at every sign-in and kills the old one', async () => {
    const c = await signInCitizen(t.app);
    const first = c.cookie;
    const again = await c.post('/api/v1/auth/login', { identifier: DEMO_CITIZEN.email, password: DEMO_CITIZEN.password });
    expect(again.statusCode).toBe(200);
    expect(c.cookie).not.toBe(first);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first! } });
    expect(old.statusCode).toBe(401);
  });

  it('is dead after logout', async () => {
    const c = await signInCitizen(t.app);
    const cookie = c.cookie!;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(safeJson(after.body).error.code).toBe('authentication_required');
  });

  it('expires after the idle timeout and after the absolute lifetime', async () => {
    const idle = await signInCitizen(t.app);
    await t.ownerDb.updateTable('sessions').set({ lastSeenAt: sql<Date>`now() - interval '31 minutes'` }).where('revokedAt', 'is', null).execute();
    expect((await idle.get('/api/v1/auth/me')).statusCode).toBe(401);
    const abs = await signInCitizen(t.app);
    await t.ownerDb.updateTable('sessions').set({ expiresAt: sql<Date>`now() - interval '1 second'` }).where('revokedAt', 'is', null).execute();
    expect((await abs.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses a state change without the CSRF token, and any cross-site POST', async () => {
    const c = await signInCitizen(t.app);
    const noToken = await t.app.inject({ method: 'PATCH', url: '/api/v1/me/profile', headers: { cookie: c.cookie! }, payload: { fullName: 'X' } });
    expect(noToken.statusCode).toBe(403);
    expect(safeJson(noToken.body).error.code).toBe('csrf_failed');
    const crossSite = await c.req('PATCH', '/api/v1/me/profile', { fullName: 'X' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: 'https://evil.example' }, payload: { identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password } });
    expect(login.statusCode).toBe(403);
    const p = await t.db.selectFrom('users').select('fullName').where('phone', '=', DEMO_CITIZEN.phone).executeTakeFirstOrThrow();
    expect(p.fullName).toBe(DEMO_CITIZEN.fullName);
  });

  it('changes no state on GET', async () => {
    const c = await signInCitizen(t.app);
    expect((await c.get('/api/v1/auth/logout')).statusCode).toBe(404);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('failed logins', () => {
  it('locks an account after the configured failures per hour, even for the right password', async () => {
    const { phone, password } = await signUpCitizen(t.app);
    for (let i = 0; i < 5; i++) {
      const r = await new Client(t.app, `10.1.0.${i + 1}`).post('/api/v1/auth/login', { identifier: phone, password: 'wrong password!' });
      expect(r.statusCode).toBe(401);
      expect(safeJson(r.body).error.code).toBe('invalid_credentials');
    }
    const locked = await new Client(t.app, '10.1.0.99').post('/api/v1/auth/login', { identifier: phone, password });
    expect(locked.statusCode).toBe(429);
    const err = safeJson(locked.body).error;
    expect(err.code).toBe('account_locked');
    expect(err.message.vi).toMatch(/tạm khóa/);
  });

  it('blocks a source address after the configured failures per hour', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 5; i++) await new Client(t.app, ip).post('/api/v1/auth/login', { identifier: `09000000${10 + i}`, password: 'nope nope nope' });
    const r = await new Client(t.app, ip).post('/api/v1/auth/login', { identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password });
    expect(r.statusCode).toBe(429);
    expect(safeJson(r.body).error.code).toBe('too_many_attempts');
    expect((await new Client(t.app, '10.2.0.2').post('/api/v1/auth/login', { identifier: DEMO_CITIZEN.phone, password: DEMO_CITIZEN.password })).statusCode).toBe(200);
  });

  it('answers the same for an unknown account as for a wrong password', async () => {
    const a = await new Client(t.app, '10.3.0.1').post('/api/v1/auth/login', { identifier: 'nobody@example.vn', password: 'whatever123' });
    const b = await new Client(t.app, '10.3.0.2').post('/api/v1/auth/login', { identifier: DEMO_CITIZEN.email, password: 'whatever123' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(safeJson(a.body).error.message).toEqual(safeJson(b.body).error.message);
  });
});

describe('officials and TOTP', () => {
  const officer = DEMO_OFFICIALS.find((o) => o.role === 'specialist')!;

  it('needs a TOTP code after the password; the password alone gives no session', async () => {
    const c = new Client(t.app, '10.4.0.1');
    const res = await c.post('/api/v1/auth/login', { identifier: officer.email, password: officer.password });
    expect(safeJson(res.body).status).toBe('totp_required');
    expect(c.cookie).toBeNull();
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('accepts a code once; a replayed code is refused', async () => {
    const a = new Client(t.app, '10.4.0.2');
    const ch1 = safeJson((await a.post('/api/v1/auth/login', { identifier: officer.email, password: officer.password })).body);
    const code = totpCode(officer.totpSecret, Date.now() + 30_000);
    expect((await a.post('/api/v1/auth/totp', { challengeId: ch1.challengeId, code })).statusCode).toBe(200);
    const me = safeJson((await a.get('/api/v1/auth/me')).body);
    expect(me.roles[0]).toMatchObject({ role: 'specialist', agencyCode: '000.00.12.H56' });
    const b = new Client(t.app, '10.4.0.3');
    const ch2 = safeJson((await b.post('/api/v1/auth/login', { identifier: officer.email, password: officer.password })).body);
    const replay = await b.post('/api/v1/auth/totp', { challengeId: ch2.challengeId, code });
    expect(replay.statusCode).toBe(401);
    expect(safeJson(replay.body).error.code).toBe('invalid_code');
  });

  it('refuses a wrong code and a made-up challenge', async () => {
    const c = new Client(t.app, '10.4.0.4');
    const ch = safeJson((await c.post('/api/v1/auth/login', { identifier: officer.email, password: officer.password })).body);
    expect((await c.post('/api/v1/auth/totp', { challengeId: ch.challengeId, code: '000000' })).statusCode).toBe(401);
    expect((await c.post('/api/v1/auth/totp', { challengeId: '00000000-0000-0000-0000-000000000000', code: '123456' })).statusCode).toBe(401);
  });

  it("kills a disabled official's sessions at once", async () => {
    const leader = await signInOfficial(t.app, 'agency_leader', '10.4.0.5');
    expect((await leader.get('/api/v1/auth/me')).statusCode).toBe(200);
    const admin = await signInOfficial(t.app, 'province_admin', '10.4.0.6');
    const id = safeJson((await leader.get('/api/v1/auth/me')).body).id;
    expect((await admin.patch(`/api/v1/admin/officials/${id}`, { disabled: true })).statusCode).toBe(200);
    expect((await leader.get('/api/v1/auth/me')).statusCode).toBe(401);
    const o = DEMO_OFFICIALS.find((x) => x.role === 'agency_leader')!;
    const again = await new Client(t.app, '10.4.0.7').post('/api/v1/auth/login', { identifier: o.email, password: o.password });
    expect(again.statusCode).toBe(403);
    expect(safeJson(again.body).error.code).toBe('account_disabled');
  });
});

describe('profile and personal data', () => {
  it('validates, encrypts and masks the personal ID number', async () => {
    const { client } = await signUpCitizen(t.app, '10.5.0.1');
    const bad = await client.patch('/api/v1/me/profile', { personalId: '12345' });
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields[0].path).toBe('body.personalId');
    const mismatch = await client.patch('/api/v1/me/profile', { dateOfBirth: '1990-05-01', personalId: '056203012345' });
    expect(mismatch.statusCode).toBe(400);
    const ok = await client.patch('/api/v1/me/profile', { dateOfBirth: '2003-05-01', personalId: '056203012345', address: '01 Trần Phú, Nha Trang' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const body = safeJson(ok.body);
    expect(body.personalIdMasked).toBe('056203******');
    expect(ok.body).not.toContain('056203012345');
    const row = await t.ownerDb.selectFrom('users').select(['personalIdEnc']).where('personalIdMasked', '=', '056203******').executeTakeFirstOrThrow();
    expect(row.personalIdEnc).toMatch(/^v1\./);
    expect(row.personalIdEnc).not.toContain('056203012345');
  });

  it('needs a session', async () => {
    expect((await new Client(t.app).get('/api/v1/me/profile')).statusCode).toBe(401);
  });
});
