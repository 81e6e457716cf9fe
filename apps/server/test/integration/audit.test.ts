import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.ts';
import { Client, createTestApp, safeJson, signInOfficial, signUpCitizen, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records sign-ups, logins, failed logins and logouts with who, when, where', async () => {
    const { client, phone } = await signUpCitizen(t.app, '10.7.0.1');
    await client.post('/api/v1/auth/logout');
    await new Client(t.app, '10.7.0.2').post('/api/v1/auth/login', { identifier: phone, password: 'wrong password' });
    const auditor = await signInOfficial(t.app, 'auditor');
    const res = await auditor.get('/api/v1/audit?limit=20');
    expect(res.statusCode).toBe(200);
    const actions = safeJson(res.body).items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.signup', 'auth.login', 'auth.logout', 'auth.login_failed']));
    const failed = safeJson(res.body).items.find((e: { action: string }) => e.action === 'auth.login_failed');
    expect(failed.ip).toBe('10.7.0.2');
    expect(new Date(failed.at).toISOString()).toBe(failed.at);
    expect(JSON.stringify(safeJson(res.body))).not.toContain('wrong password');
  });

  it('cannot be changed or deleted by the app role, nor by the owner through SQL', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
  });

  it('is hash-chained: the verifier finds a row altered behind the triggers', async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, brokenAt: null });
    const auditor = await signInOfficial(t.app, 'auditor');
    const before = safeJson((await auditor.get('/api/v1/audit/verify')).body);
    expect(before.ok).toBe(true);
    expect(before.checked).toBeGreaterThan(3);
    const victim = await t.db.selectFrom('auditLog').select('seq').orderBy('seq').offset(2).limit(1).executeTakeFirstOrThrow();
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.ownerDb);
    await sql`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ${victim.seq}`.execute(t.ownerDb);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.ownerDb);
    const after = await verifyAuditChain(t.db);
    expect(after.ok).toBe(false);
    expect(after.brokenAt).toBe(Number(victim.seq));
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    const t2 = await createTestApp();
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => signUpCitizen(t2.app, `10.8.0.${i + 1}`)));
      const r = await verifyAuditChain(t2.db);
      expect(r.ok).toBe(true);
      expect(r.checked).toBeGreaterThanOrEqual(25);
    } finally {
      await t2.close();
    }
  });
});
