import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/modules/identity/totp.ts';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';

let t: TestApp;
let agencies: { id: string; shortName: string; level: string }[];
beforeAll(async () => {
  t = await createTestApp();
  agencies = safeJson((await new Client(t.app).get('/api/v1/agencies?limit=500')).body).items;
});
afterAll(() => t.close());
const agency = (short: string) => agencies.find((a) => a.shortName === short)!.id;

describe('officials', () => {
  it('a province admin creates an official, who enrols TOTP at first sign-in', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const res = await admin.post('/api/v1/admin/officials', {
      fullName: 'Ngô Thị Hoa', email: 'hoa@stp.example.vn', roles: [{ role: 'reception_officer', agencyId: agency('STP') }],
    });
    expect(res.statusCode).toBe(201);
    const { official, temporaryPassword } = safeJson(res.body);
    expect(official).toMatchObject({ fullName: 'Ngô Thị Hoa', totpEnrolled: false, disabled: false });
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);

    const c = new Client(t.app, '10.9.0.1');
    const login = safeJson((await c.post('/api/v1/auth/login', { identifier: 'hoa@stp.example.vn', password: temporaryPassword })).body);
    expect(login.status).toBe('totp_enrolment_required');
    expect(login.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect((await c.post('/api/v1/auth/totp/enrol', { challengeId: login.challengeId, code: '000000' })).statusCode).toBe(401);
    const ok = await c.post('/api/v1/auth/totp/enrol', { challengeId: login.challengeId, code: totpCode(login.secret) });
    expect(ok.statusCode).toBe(200);
    expect(safeJson(ok.body).me.roles[0]).toMatchObject({ role: 'reception_officer' });

    const next = new Client(t.app, '10.9.0.2');
    const second = safeJson((await next.post('/api/v1/auth/login', { identifier: 'hoa@stp.example.vn', password: temporaryPassword })).body);
    expect(second.status).toBe('totp_required');
    const listed = safeJson((await admin.get(`/api/v1/admin/officials?agencyId=${agency('STP')}`)).body);
    expect(listed.items.map((o: { fullName: string }) => o.fullName)).toContain('Ngô Thị Hoa');
    expect(listed.items.find((o: { fullName: string }) => o.fullName === 'Ngô Thị Hoa').totpEnrolled).toBe(true);
  });

  it('an agency admin manages only its own agency and cannot hand out elevated roles', async () => {
    const aa = await signInOfficial(t.app, 'agency_admin');
    const own = await aa.post('/api/v1/admin/officials', { fullName: 'Lý Văn Tâm', email: 'tam@skhcn.example.vn', roles: [{ role: 'specialist', agencyId: agency('SKHCN') }] });
    expect(own.statusCode).toBe(201);
    const other = await aa.post('/api/v1/admin/officials', { fullName: 'X', email: 'x@stp.example.vn', roles: [{ role: 'specialist', agencyId: agency('STP') }] });
    expect(other.statusCode).toBe(403);
    const elevated = await aa.post('/api/v1/admin/officials', { fullName: 'Y', email: 'y@skhcn.example.vn', roles: [{ role: 'province_admin', agencyId: agency('SKHCN') }] });
    expect(elevated.statusCode).toBe(403);
    const names = safeJson((await aa.get('/api/v1/admin/officials?limit=500')).body).items.map((o: { fullName: string }) => o.fullName);
    expect(names).toContain('Lý Văn Tâm');
    expect(names).not.toContain('Ngô Thị Hoa');
    expect(names.some((n: string) => n.startsWith('Đặng Văn Hùng'))).toBe(false); // the province admin
  });

  it('refuses bad input with field messages and writes nothing', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const r = await admin.post('/api/v1/admin/officials', { fullName: 'Z', email: 'not-an-email', roles: [{ role: 'specialist', agencyId: agency('STP') }] });
    expect(r.statusCode).toBe(400);
    expect(safeJson(r.body).error.fields[0].path).toBe('body.email');
    const badRole = await admin.post('/api/v1/admin/officials', { fullName: 'Z', email: 'z@example.vn', roles: [{ role: 'king', agencyId: agency('STP') }] });
    expect(badRole.statusCode).toBe(400);
    const n = await t.db.selectFrom('users').select('id').where('email', 'in', ['not-an-email', 'z@example.vn']).execute();
    expect(n).toHaveLength(0);
  });
});
