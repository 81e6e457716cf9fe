import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const list = async (qs: string) => safeJson((await new Client(t.app).get(`/api/v1/agencies?${qs}`)).body);

describe('public agency list', () => {
  it('holds the demo province: People\'s Committee, ≥ 15 current departments, ≥ 20 communes', async () => {
    const all = await list('limit=500');
    const province = all.items.find((a: { level: string }) => a.level === 'province');
    expect(province.name).toMatch(/Ủy ban nhân dân tỉnh Khánh Hòa/);
    expect(province.name).toMatch(/demo/);
    expect(all.items.filter((a: { level: string }) => a.level === 'department').length).toBeGreaterThanOrEqual(15);
    expect(all.items.filter((a: { level: string }) => a.level === 'commune').length).toBeGreaterThanOrEqual(20);
    for (const a of all.items) expect(a.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H56$/);
  });

  it('finds without diacritics, and keeps dissolved agencies out unless asked', async () => {
    expect((await list('q=so%20thong%20tin')).items).toHaveLength(0);
    const dic = (await list('q=so%20thong%20tin&includeDissolved=true')).items;
    expect(dic).toHaveLength(1);
    expect(dic[0]).toMatchObject({ shortName: 'STTTT', validTo: '2025-02-28', successorCode: '000.00.12.H56', parentCode: '000.00.00.H56' });
    const skhcn = (await list('q=khoa%20hoc%20cong%20nghe')).items;
    expect(skhcn.map((a: { shortName: string }) => a.shortName)).toEqual(['SKHCN']);
    expect((await list('q=%C4%91ong%20hai')).items[0].name).toMatch(/Đông Hải/);
  });

  it('treats search input as text, not SQL or patterns', async () => {
    for (const q of ["'; DROP TABLE agencies; --", '%', '_', '\\', "' OR 1=1 --"]) {
      const res = await new Client(t.app).get(`/api/v1/agencies?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(safeJson(res.body).items).toHaveLength(0);
    }
    expect((await list('limit=1')).total).toBeGreaterThan(30);
  });

  it('answers 404 for an unknown id and 400 for a bad query', async () => {
    expect((await new Client(t.app).get('/api/v1/agencies/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await new Client(t.app).get('/api/v1/agencies/not-an-id')).statusCode).toBe(404);
    const bad = await new Client(t.app).get('/api/v1/agencies?limit=100000');
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields[0].path).toBe('querystring.limit');
  });
});

describe('agency administration', () => {
  const body = (code: string, parentId: string | null) => ({
    code, name: 'Ban Quản lý dự án (demo)', shortName: 'BQLDA', level: 'department', parentId, validFrom: '2026-01-01',
  });

  it('lets a province admin create and merge agencies, audited', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const province = (await list('level=province')).items[0];
    const created = await admin.post('/api/v1/admin/agencies', body('000.00.40.H56', province.id));
    expect(created.statusCode).toBe(201);
    const a = safeJson(created.body);
    expect(a).toMatchObject({ code: '000.00.40.H56', parentCode: '000.00.00.H56', validTo: null });
    const dup = await admin.post('/api/v1/admin/agencies', body('000.00.40.H56', province.id));
    expect(dup.statusCode).toBe(409);
    const succ = (await list('q=SKHCN')).items[0];
    const noEnd = await admin.patch(`/api/v1/admin/agencies/${a.id}`, { successorId: succ.id });
    expect(noEnd.statusCode).toBe(400);
    expect(safeJson(noEnd.body).error.fields[0].path).toBe('body.validTo');
    const merged = await admin.patch(`/api/v1/admin/agencies/${a.id}`, { validTo: '2026-06-30', successorId: succ.id });
    expect(merged.statusCode).toBe(200);
    expect(safeJson(merged.body).successorCode).toBe('000.00.12.H56');
    const events = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', a.id).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['agency.created', 'agency.updated']);
  });

  it('refuses bad codes, unknown parents and cycles with field messages', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const province = (await list('level=province')).items[0];
    const badCode = await admin.post('/api/v1/admin/agencies', body('H56', province.id));
    expect(badCode.statusCode).toBe(400);
    expect(safeJson(badCode.body).error.fields[0].path).toBe('body.code');
    const noParent = await admin.post('/api/v1/admin/agencies', body('000.00.41.H56', '00000000-0000-0000-0000-000000000000'));
    expect(noParent.statusCode).toBe(400);
    const dept = (await list('q=SKHCN')).items[0];
    const cycle = await admin.patch(`/api/v1/admin/agencies/${province.id}`, { parentId: dept.id });
    expect(cycle.statusCode).toBe(400);
  });

  it('lets an agency admin edit its own agency but not another, nor create agencies', async () => {
    const aa = await signInOfficial(t.app, 'agency_admin');
    const own = (await list('q=SKHCN')).items[0];
    const other = (await list('q=STP')).items[0];
    const r1 = await aa.patch(`/api/v1/admin/agencies/${own.id}`, { phone: '0258 3999 999' });
    expect(r1.statusCode).toBe(200);
    expect((await aa.patch(`/api/v1/admin/agencies/${other.id}`, { phone: '0258 3999 999' })).statusCode).toBe(403);
    expect((await aa.post('/api/v1/admin/agencies', body('000.00.42.H56', own.id))).statusCode).toBe(403);
  });
});
