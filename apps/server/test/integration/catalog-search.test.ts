import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainSearch } from '../../src/modules/catalog/catalog.repository.ts';
import { parseSearch } from '../../src/modules/catalog/model.ts';
import { DEMO_FIELDS, DEMO_PROCEDURES, generateCatalog, loadDemoProcedures } from '../../src/seed/demo-procedures.ts';
import { createSealer } from '../../src/modules/identity/index.ts';
import { seedDemo } from '../../src/seed/seed.ts';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';

/** Search over the demo catalogue plus a generated 2,000-procedure one (province scale). */
let t: TestApp;
let anon: Client;
beforeAll(async () => {
  t = await createTestApp();
  expect(await loadDemoProcedures(t.db, generateCatalog(2000, 7))).toBe(2000);
  await sql`ANALYZE`.execute(t.ownerDb);
  anon = new Client(t.app);
}, 120_000);
afterAll(() => t.close());

interface Summary { id: string; code: string; name: string; field: { id: string; name: string }; agencies: { id: string; code: string; kind: string }[]; onlineLevel: string; feeTotal: number; published: boolean; methods: string[]; processingTime: { value: number; unit: string } }
const search = async (qs: string): Promise<{ items: Summary[]; total: number }> => {
  const res = await anon.get(`/api/v1/procedures?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return safeJson(res.body);
};
const q = (text: string, extra = '') => search(`q=${encodeURIComponent(text)}${extra}`);
const names = (r: { items: Summary[] }) => r.items.map((i) => i.name);

describe('the demo catalogue', () => {
  it('has at least 60 procedures over at least 8 fields, the Department of Information and Communications\' among them', () => {
    expect(DEMO_PROCEDURES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(DEMO_PROCEDURES.map((p) => p.field)).size).toBeGreaterThanOrEqual(8);
    const dic = DEMO_PROCEDURES.filter((p) => p.former?.agency === '000.00.13.H56');
    expect(dic.map((p) => p.name)).toEqual(expect.arrayContaining([
      'Cấp giấy phép hoạt động báo in', 'Cấp giấy phép xuất bản bản tin', 'Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp',
    ]));
    for (const p of dic) expect(p.resolving).toEqual(['000.00.12.H56']);
    for (const p of DEMO_PROCEDURES.filter((x) => x.onlineLevel !== 'none')) expect(p.onlineForm, p.name).not.toBeNull();
    expect(DEMO_PROCEDURES.some((p) => p.fees.length === 0)).toBe(true);
  });
  it('lists the fields with their published procedure counts', async () => {
    const res = safeJson((await anon.get('/api/v1/procedure-fields')).body);
    expect(res.items.length).toBe(DEMO_FIELDS.length);
    expect(res.items.find((f: { code: string }) => f.code === 'HO_TICH').procedureCount).toBeGreaterThanOrEqual(9);
  });
  it('is seeded once: seeding again changes nothing', async () => {
    const n = async () => Number((await t.db.selectFrom('procedures').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await n();
    expect(await seedDemo(t.db, createSealer(t.config.encryptionKey))).toEqual({ seeded: false });
    expect(await n()).toBe(before);
  });
  it('the generator is deterministic', () => {
    expect(generateCatalog(50, 3)).toEqual(generateCatalog(50, 3));
    expect(generateCatalog(50, 3)).not.toEqual(generateCatalog(50, 4));
    expect(new Set(generateCatalog(2000, 1).map((p) => p.code)).size).toBe(2000);
  });
});

describe('search', () => {
  it('finds "Đăng ký thành lập hộ kinh doanh" first for "dang ky kinh doanh", with its summary', async () => {
    const r = await q('dang ky kinh doanh');
    expect(r.items[0]!.name).toBe('Đăng ký thành lập hộ kinh doanh');
    expect(r.items[0]).toMatchObject({
      code: '1.001612', onlineLevel: 'full', feeTotal: 100_000, processingTime: { value: 3, unit: 'working_days' },
      field: { name: 'Đăng ký kinh doanh' }, methods: ['in_person', 'online', 'post'], published: true,
    });
    expect(r.items[0]!.agencies.filter((a) => a.kind === 'receiving').length).toBeGreaterThanOrEqual(20);
  });
  it('ignores accents and case either way', async () => {
    const plain = names(await q('cap giay phep'));
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((n) => /^cấp giấy phép/i.test(n) || /cấp.*giấy.*phép/i.test(n))).toBe(true);
    expect(names(await q('CẤP GIẤY PHÉP'))).toEqual(plain);
    expect(names(await q('Đăng ký khai sinh'))[0]).toBe('Đăng ký khai sinh');
    expect(names(await q('đăng ký khai sinh'.normalize('NFD')))[0]).toBe('Đăng ký khai sinh');
  });
  it('tolerates typos: a cut-off word, a misspelling, swapped letters', async () => {
    expect(names(await q('dang ky kinh doan')).slice(0, 3)).toContain('Đăng ký thành lập hộ kinh doanh');
    expect(names(await q('khai sihn'))[0]).toBe('Đăng ký khai sinh');
    expect(names(await q('giay phepp lao dong'))[0]).toMatch(/giấy phép lao động/);
    expect(names(await q('thủ tục đăng ký kinh doanh')).slice(0, 3)).toContain('Đăng ký thành lập hộ kinh doanh');
  });
  it('ranks an exact code first, and finds codes by their beginning', async () => {
    const r = await q('1.001612');
    expect(r.items[0]!.code).toBe('1.001612');
    expect(r.total).toBe(1);
    const prefix = await q('2.9000');
    expect(prefix.total).toBeGreaterThan(10);
    expect(prefix.items.every((i) => i.code.startsWith('2.9000'))).toBe(true);
  });
  it('searches field and agency names too', async () => {
    const byField = await q('ho tich');
    expect(byField.items.map((i) => i.field.name)).toContain('Hộ tịch');
    const byAgency = await q('khoa hoc cong nghe bao in');
    expect(byAgency.items[0]!.name).toBe('Cấp giấy phép hoạt động báo in');
  });
  it('filters by field, agency, online level and fee, and paginates', async () => {
    const fields = safeJson((await anon.get('/api/v1/procedure-fields')).body).items;
    const hoTich = fields.find((f: { code: string }) => f.code === 'HO_TICH').id;
    const inField = await search(`fieldId=${hoTich}&limit=100`);
    expect(inField.total).toBe(DEMO_PROCEDURES.filter((p) => p.field === 'HO_TICH' && p.published).length);
    expect(inField.items.every((i) => i.field.id === hoTich)).toBe(true);

    const skhcn = safeJson((await anon.get('/api/v1/agencies?q=SKHCN')).body).items[0].id;
    const byAgency = await search(`agencyId=${skhcn}&q=${encodeURIComponent('giấy phép')}&limit=100`);
    expect(byAgency.total).toBeGreaterThan(3);
    expect(byAgency.items.every((i) => i.agencies.some((a) => a.id === skhcn))).toBe(true);

    const full = await search('onlineLevel=full&limit=100');
    expect(full.items.every((i) => i.onlineLevel === 'full')).toBe(true);
    const free = await search(`hasFee=false&fieldId=${hoTich}&limit=100`);
    expect(free.items.every((i) => i.feeTotal === 0)).toBe(true);
    expect(free.items.map((i) => i.name)).toContain('Đăng ký khai sinh');
    const paid = await search('hasFee=true&limit=100');
    expect(paid.items.every((i) => i.feeTotal > 0)).toBe(true);

    const page1 = await search('q=giay%20phep&limit=7');
    const page2 = await search('q=giay%20phep&limit=7&offset=7');
    expect(page1.total).toBe(page2.total);
    expect(page1.items).toHaveLength(7);
    expect(page2.items.map((i) => i.id).some((id) => page1.items.map((i) => i.id).includes(id))).toBe(false);
    const beyond = await search('q=giay%20phep&limit=7&offset=5000');
    expect(beyond).toEqual({ items: [], total: page1.total });
  });
  it('never shows unpublished procedures to the public', async () => {
    const draft = DEMO_PROCEDURES.find((p) => !p.published)!;
    expect((await q(draft.code)).total).toBe(0);
    expect((await q('tro choi dien tu G1')).items.map((i) => i.code)).not.toContain(draft.code);
    const all = await search('limit=100&offset=0');
    expect(all.items.every((i) => i.published)).toBe(true);
  });
  it('treats search input as text, and answers 400 with field paths for bad parameters', async () => {
    for (const text of ["'; DROP TABLE procedures; --", '%', '_', '\\', "' OR 1=1 --", '🙂', '漢字']) {
      const res = await anon.get(`/api/v1/procedures?q=${encodeURIComponent(text)}`);
      expect(res.statusCode, text).toBe(200);
    }
    expect((await q('%')).total).toBe(0);
    for (const [qs, path] of [
      ['limit=0', 'querystring.limit'], ['limit=abc', 'querystring.limit'], ['offset=-1', 'querystring.offset'],
      ['agencyId=nope', 'querystring.agencyId'], ['onlineLevel=level4', 'querystring.onlineLevel'], ['hasFee=yes', 'querystring.hasFee'],
      [`q=${'a'.repeat(201)}`, 'querystring.q'],
    ]) {
      const res = await anon.get(`/api/v1/procedures?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      const e = safeJson(res.body).error;
      expect(e.fields[0].path).toBe(path);
      expect(e.fields[0].message.vi).toBeTruthy();
    }
  });
  it('uses the trigram index on the search text, and answers quickly at 2,000 procedures', async () => {
    const plan = await explainSearch(t.db, { terms: parseSearch('dang ky kinh doanh'), published: true, limit: 20, offset: 0 });
    expect(plan).toContain('procedures_search_idx');
    const started = performance.now();
    for (const text of ['dang ky kinh doanh', 'cap giay phep', 'khai sinh', 'giay phep lao dong', 'xay dung nha o']) await q(text);
    expect((performance.now() - started) / 5).toBeLessThan(250);
  });
});

describe('procedure detail', () => {
  it('shows everything a citizen needs', async () => {
    const id = (await q('1.001612')).items[0]!.id;
    const res = await anon.get(`/api/v1/procedures/${id}`);
    expect(res.statusCode).toBe(200);
    const d = safeJson(res.body);
    expect(d).toMatchObject({ code: '1.001612', levels: ['commune'], applicants: ['citizen'], processId: null });
    expect(d.steps).toMatch(/^Bước 1/);
    expect(d.components.length).toBeGreaterThanOrEqual(3);
    expect(d.components[0]).toMatchObject({ form: 'original', quantity: 1, required: true, template: null });
    expect(d.fees).toEqual([expect.objectContaining({ amountVnd: 100_000, payableOnline: true, when: 'before_reception' })]);
    expect(d.resultDocuments[0]).toEqual({ name: 'Giấy chứng nhận đăng ký hộ kinh doanh', paper: true, electronic: true });
    expect(d.onlineForm.schema.type).toBe('object');
  });
  it('answers 404 for unknown, malformed and unpublished ids (to the public)', async () => {
    expect((await anon.get('/api/v1/procedures/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await anon.get('/api/v1/procedures/not-an-id')).statusCode).toBe(404);
    const draft = await t.db.selectFrom('procedures').select('id').where('published', '=', false).where('code', 'like', '1.%').executeTakeFirstOrThrow();
    const res = await anon.get(`/api/v1/procedures/${draft.id}`);
    expect(res.statusCode).toBe(404);
    expect(safeJson(res.body).error.message.vi).toMatch(/thủ tục/);
    const admin = await signInOfficial(t.app, 'agency_admin');
    const seen = await admin.get(`/api/v1/procedures/${draft.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['cache-control']).toBe('no-store');
    const specialist = await signInOfficial(t.app, 'specialist');
    expect((await specialist.get(`/api/v1/procedures/${draft.id}`)).statusCode).toBe(404);
  });
});
