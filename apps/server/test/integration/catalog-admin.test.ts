import { OfficialRole } from '@motcua/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/modules/policy/index.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, type TestApp } from '../helpers.ts';
import { fixtures, multipart, workbook, procedureRow } from '../unit/catalog/fixtures.ts';

let t: TestApp;
let province: Client;
let agencyAdmin: Client;
const anon = () => new Client(t.app);
const agency = new Map<string, string>();
const field = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  province = await signInOfficial(t.app, 'province_admin');
  agencyAdmin = await signInOfficial(t.app, 'agency_admin');
  for (const a of safeJson((await anon().get('/api/v1/agencies?limit=500&includeDissolved=true')).body).items) {
    agency.set(a.code, a.id);
    if (a.level === 'department') agency.set(a.shortName, a.id);
  }
  for (const f of safeJson((await anon().get('/api/v1/procedure-fields')).body).items) field.set(f.code, f.id);
});
afterAll(() => t.close());

const idOf = async (code: string): Promise<string> =>
  (await t.db.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
const count = async (table: 'procedures' | 'auditLog' | 'procedureHistory') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

function body(code: string, over: Record<string, unknown> = {}) {
  return {
    code,
    name: 'Cấp giấy phép tổ chức hội thảo khoa học có yếu tố nước ngoài',
    fieldId: field.get('KHCN'),
    receivingAgencyIds: [agency.get('SKHCN')],
    resolvingAgencyIds: [agency.get('SKHCN')],
    levels: ['province'],
    applicants: ['organisation'],
    steps: 'Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.',
    methods: ['in_person', 'online'],
    onlineLevel: 'partial',
    processingTime: { value: 10, unit: 'working_days' },
    legalBasis: 'Quyết định số 06/2020/QĐ-TTg.',
    resultDocuments: [{ name: 'Văn bản chấp thuận', paper: true, electronic: true }],
    onlineForm: { schema: { type: 'object', properties: { topic: { type: 'string', title: 'Chủ đề' } }, required: ['topic'] }, uiSchema: {} },
    components: [
      { name: 'Tờ trình đề nghị', form: 'original', quantity: 1, required: true },
      { name: 'Chương trình hội thảo', form: 'copy', quantity: 1, required: true, reusable: false },
    ],
    fees: [{ name: 'Phí thẩm định', amountVnd: 500_000, payableOnline: true, when: 'before_processing' }],
    ...over,
  };
}

describe('creating a procedure', () => {
  it('a province admin creates one: 201, history and audit in the same change', async () => {
    const res = await province.post('/api/v1/admin/procedures', body('1.900001'));
    expect(res.statusCode, res.body).toBe(201);
    const d = safeJson(res.body);
    expect(d).toMatchObject({ code: '1.900001', published: false, onlineLevel: 'partial', feeTotal: 500_000 });
    expect(d.components.map((c: { name: string; reusable: boolean }) => [c.name, c.reusable])).toEqual([['Tờ trình đề nghị', false], ['Chương trình hội thảo', false]]);
    expect(d.fees[0]).toEqual({ name: 'Phí thẩm định', amountVnd: 500_000, exemptions: null, payableOnline: true, when: 'before_processing' });
    const history = safeJson((await province.get(`/api/v1/admin/procedures/${d.id}/history`)).body);
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ action: 'created', actorName: expect.stringContaining('Đặng Văn Hùng') });
    expect(history.items[0].diff.fees.to[0].amountVnd).toBe(500_000);
    const audit = await t.db.selectFrom('auditLog').select('action').where('objectId', '=', d.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['procedure.created']);
    expect((await anon().get(`/api/v1/procedures/${d.id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with field messages in Vietnamese and English, and writes nothing', async () => {
    const before = [await count('procedures'), await count('auditLog'), await count('procedureHistory')];
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ code: '1.23' }, 'body.code'],
      [{ name: '' }, 'body.name'],
      [{ fieldId: '00000000-0000-0000-0000-000000000000' }, 'body.fieldId'],
      [{ receivingAgencyIds: ['00000000-0000-0000-0000-000000000000'] }, 'body.receivingAgencyIds.0'],
      [{ resolvingAgencyIds: [] }, 'body.resolvingAgencyIds'],
      [{ methods: ['in_person'], onlineLevel: 'full' }, 'body.onlineLevel'],
      [{ methods: ['fax'] }, 'body.methods.0'],
      [{ processingTime: { value: 0, unit: 'working_days' } }, 'body.processingTime.value'],
      [{ processingTime: { value: 3, unit: 'days' } }, 'body.processingTime.unit'],
      [{ fees: [{ name: 'Phí', amountVnd: -1, payableOnline: true, when: 'before_reception' }] }, 'body.fees.0.amountVnd'],
      [{ fees: [{ name: 'Phí', amountVnd: 1.5, payableOnline: true, when: 'before_reception' }] }, 'body.fees.0.amountVnd'],
      [{ components: [{ name: 'Đơn', form: 'scan', quantity: 1, required: true }] }, 'body.components.0.form'],
      [{ onlineForm: { schema: { type: 'object', properties: { a: { type: 'strin' } } } } }, 'body.onlineForm.schema'],
      [{ onlineForm: { schema: { type: 'object', requried: ['a'] } } }, 'body.onlineForm.schema'],
      [{ onlineForm: { schema: { type: 'array' } } }, 'body.onlineForm.schema'],
      [{ extra: 1 }, ''],
    ];
    for (const [over, path] of cases) {
      const res = await province.post('/api/v1/admin/procedures', body('1.900002', over));
      expect(res.statusCode, `${JSON.stringify(over)} → ${res.body}`).toBe(400);
      const e = safeJson(res.body).error;
      expect(e.code).toBe('validation_failed');
      if (path) expect(e.fields.map((f: { path: string }) => f.path), JSON.stringify(over)).toContain(path);
      for (const f of e.fields) {
        expect(f.message.vi).toBeTruthy();
        expect(f.message.en).toBeTruthy();
      }
    }
    const dissolved = await province.post('/api/v1/admin/procedures', body('1.900002', { resolvingAgencyIds: [agency.get('000.00.13.H56')] }));
    expect(dissolved.statusCode).toBe(400);
    expect(safeJson(dissolved.body).error.fields[0]).toMatchObject({ path: 'body.resolvingAgencyIds.0', message: { en: expect.stringMatching(/dissolved or merged/) } });
    const taken = await province.post('/api/v1/admin/procedures', body('1.001612'));
    expect(taken.statusCode).toBe(409);
    expect(safeJson(taken.body).error.code).toBe('procedure_code_taken');
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/admin/procedures', headers: { cookie: province.cookie!, 'x-csrf-token': province.csrf!, 'content-type': 'application/json' }, payload: '{"code":' });
    expect(malformed.statusCode).toBe(400);
    expect([await count('procedures'), await count('auditLog'), await count('procedureHistory')]).toEqual(before);
  });

  it('an agency admin creates within their agency, and nowhere else', async () => {
    const own = await agencyAdmin.post('/api/v1/admin/procedures', body('1.900003'));
    expect(own.statusCode, own.body).toBe(201);
    const other = await agencyAdmin.post('/api/v1/admin/procedures', body('1.900004', { receivingAgencyIds: [agency.get('SYT')] }));
    expect(other.statusCode).toBe(403);
    expect(await t.db.selectFrom('procedures').select('id').where('code', '=', '1.900004').executeTakeFirst()).toBeUndefined();
  });
});

describe('changing a procedure', () => {
  it('replaces components and fees as whole lists, keeps templates of kept components, records the diff', async () => {
    const id = await idOf('1.900001');
    const d = safeJson((await province.get(`/api/v1/procedures/${id}`)).body);
    const first = d.components[0];
    const up = multipart({ filename: 'Tờ trình (mẫu).pdf', content: fixtures.pdf() });
    const put = await province.req('PUT', `/api/v1/admin/procedures/${id}/components/${first.id}/template`, up.payload, up.headers);
    expect(put.statusCode, put.body).toBe(200);
    const res = await province.patch(`/api/v1/admin/procedures/${id}`, {
      processingTime: { value: 7, unit: 'working_days' },
      components: [{ id: first.id, name: 'Tờ trình đề nghị (bản chính)', form: 'original', quantity: 2, required: true }, { name: 'Danh sách đại biểu', form: 'copy', quantity: 1, required: false }],
      fees: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = safeJson(res.body);
    expect(after.processingTime).toEqual({ value: 7, unit: 'working_days' });
    expect(after.feeTotal).toBe(0);
    expect(after.fees).toEqual([]);
    expect(after.components.map((c: { name: string }) => c.name)).toEqual(['Tờ trình đề nghị (bản chính)', 'Danh sách đại biểu']);
    expect(after.components[0].id).toBe(first.id);
    expect(after.components[0].template).toMatchObject({ filename: 'Tờ trình (mẫu).pdf', mime: 'application/pdf' });
    const h = safeJson((await province.get(`/api/v1/admin/procedures/${id}/history`)).body).items[0];
    expect(h.action).toBe('updated');
    expect(Object.keys(h.diff).sort()).toEqual(['components', 'fees', 'processingTime']);
    expect(h.diff.processingTime).toEqual({ from: { value: 10, unit: 'working_days' }, to: { value: 7, unit: 'working_days' } });
  });

  it('writes no history for a change that changes nothing, and refuses foreign component ids', async () => {
    const id = await idOf('1.900001');
    const before = await count('procedureHistory');
    expect((await province.patch(`/api/v1/admin/procedures/${id}`, { processingTime: { value: 7, unit: 'working_days' } })).statusCode).toBe(200);
    expect(await count('procedureHistory')).toBe(before);
    const other = safeJson((await province.get(`/api/v1/procedures/${await idOf('1.001612')}`)).body).components[0].id;
    const res = await province.patch(`/api/v1/admin/procedures/${id}`, { components: [{ id: other, name: 'X', form: 'copy', quantity: 1, required: true }] });
    expect(res.statusCode).toBe(400);
    expect(safeJson(res.body).error.fields[0].path).toBe('body.components.0.id');
    const bad = await province.patch(`/api/v1/admin/procedures/${id}`, { onlineForm: { schema: { type: 'object', properties: { x: { $ref: '#/nope' } } } } });
    expect(bad.statusCode).toBe(400);
    expect(safeJson(bad.body).error.fields[0].path).toBe('body.onlineForm.schema');
    expect(await count('procedureHistory')).toBe(before);
  });

  it('scopes agency admins to procedures whose every agency they administer', async () => {
    const own = await idOf('1.003725');
    const commune = await idOf('1.001612');
    expect((await agencyAdmin.patch(`/api/v1/admin/procedures/${own}`, { processingTime: { value: 12, unit: 'working_days' } })).statusCode).toBe(200);
    expect((await agencyAdmin.patch(`/api/v1/admin/procedures/${commune}`, { processingTime: { value: 2, unit: 'working_days' } })).statusCode).toBe(403);
    expect((await agencyAdmin.patch(`/api/v1/admin/procedures/${own}`, { resolvingAgencyIds: [agency.get('SYT')] })).statusCode).toBe(403);
    expect((await province.patch(`/api/v1/admin/procedures/${commune}`, { processingTime: { value: 3, unit: 'working_days' } })).statusCode).toBe(200);
    expect((await province.patch('/api/v1/admin/procedures/00000000-0000-0000-0000-000000000000', { name: 'X' })).statusCode).toBe(404);
    expect((await province.patch('/api/v1/admin/procedures/nope', { name: 'X' })).statusCode).toBe(404);
    const list = safeJson((await agencyAdmin.get('/api/v1/admin/procedures?limit=100')).body);
    expect(list.total).toBeGreaterThan(5);
    expect(list.items.every((p: { agencies: { id: string }[] }) => p.agencies.every((a) => a.id === agency.get('SKHCN')))).toBe(true);
    expect(list.items.some((p: { published: boolean }) => !p.published)).toBe(true);
    const drafts = safeJson((await agencyAdmin.get('/api/v1/admin/procedures?published=false&limit=100')).body);
    expect(drafts.total).toBeGreaterThan(0);
    expect(drafts.items.every((p: { published: boolean }) => !p.published)).toBe(true);
    const found = safeJson((await province.get(`/api/v1/admin/procedures?q=${encodeURIComponent('hội thảo khoa học')}`)).body);
    expect(found.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['1.900001', '1.900003']));
  });
});

describe('search text upkeep', () => {
  it('follows agency renames: the triggers refresh every procedure of the agency', async () => {
    const before = safeJson((await anon().get('/api/v1/procedures?q=Vingulmark')).body);
    expect(before.total).toBe(0);
    const res = await province.patch(`/api/v1/admin/agencies/${agency.get('SKHCN')}`, { name: 'Sở Khoa học, Công nghệ và Đổi mới Vingulmark (demo)' });
    expect(res.statusCode, res.body).toBe(200);
    const after = safeJson((await anon().get('/api/v1/procedures?q=vingulmark%20bao%20in')).body);
    expect(after.items[0].name).toBe('Cấp giấy phép hoạt động báo in');
  });
});

describe('publishing', () => {
  it('publishes and unpublishes (never deletes), each with a history row', async () => {
    const id = await idOf('1.900001');
    const pub = await province.post(`/api/v1/admin/procedures/${id}/publish`);
    expect(pub.statusCode).toBe(200);
    expect(safeJson(pub.body).published).toBe(true);
    expect((await anon().get(`/api/v1/procedures/${id}`)).statusCode).toBe(200);
    expect(safeJson((await anon().get('/api/v1/procedures?q=1.900001')).body).total).toBe(1);
    expect((await province.post(`/api/v1/admin/procedures/${id}/publish`)).statusCode).toBe(200);
    expect((await province.post(`/api/v1/admin/procedures/${id}/unpublish`)).statusCode).toBe(200);
    expect((await anon().get(`/api/v1/procedures/${id}`)).statusCode).toBe(404);
    const actions = safeJson((await province.get(`/api/v1/admin/procedures/${id}/history`)).body).items.map((h: { action: string }) => h.action);
    expect(actions.slice(0, 2)).toEqual(['unpublished', 'published']);
    expect(actions.filter((a: string) => a === 'published')).toHaveLength(1);
    expect((await province.req('DELETE', `/api/v1/admin/procedures/${id}`)).statusCode).toBe(404);
    await expect(t.db.deleteFrom('procedures').where('id', '=', id).execute()).rejects.toThrow(/permission denied/);
    await expect(t.db.updateTable('procedureHistory').set({ action: 'created' }).execute()).rejects.toThrow(/permission denied/);
  });

  it('keeps the history of the Department of Information and Communications\' procedures', async () => {
    const id = await idOf('1.003835');
    const h = safeJson((await agencyAdmin.get(`/api/v1/admin/procedures/${id}/history`)).body).items;
    const moved = h.find((x: { action: string; at: string }) => x.action === 'updated' && x.at.startsWith('2025-03'));
    expect(moved.diff.resolvingAgencies).toEqual({ from: ['000.00.13.H56'], to: ['000.00.12.H56'] });
    expect(h.at(-1)).toMatchObject({ action: 'created', actorName: 'Sở Thông tin và Truyền thông (demo)' });
  });
});

describe('templates', () => {
  it('accepts PDF, DOCX, XLSX and DOC by their bytes, and serves them as attachments', async () => {
    const id = await idOf('1.003725');
    const d = safeJson((await agencyAdmin.get(`/api/v1/procedures/${id}`)).body);
    const comp = d.components[0];
    for (const [name, content, mime] of [
      ['to-khai.docx', fixtures.docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['to-khai.xlsx', await fixtures.xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['to-khai.doc', fixtures.doc(), 'application/msword'],
      ['Tờ khai đề nghị.pdf', fixtures.pdf(), 'application/pdf'],
    ] as const) {
      const up = multipart({ filename: name, content, type: 'text/html' });
      const res = await agencyAdmin.req('PUT', `/api/v1/admin/procedures/${id}/components/${comp.id}/template`, up.payload, up.headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(safeJson(res.body).components[0].template).toMatchObject({ filename: name, mime, size: content.length });
    }
    const dl = await anon().get(`/api/v1/procedures/${id}/components/${comp.id}/template`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="To khai de nghi.pdf"; filename*=UTF-8''${encodeURIComponent('Tờ khai đề nghị.pdf')}`);
    expect(dl.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const uploads = await t.db.selectFrom('procedureHistory').select('action').where('procedureId', '=', id).where('action', '=', 'template_uploaded').execute();
    expect(uploads).toHaveLength(4);
  });

  it('refuses other files, oversized files and malformed requests with a 400 on body.file', async () => {
    const id = await idOf('1.003725');
    const comp = safeJson((await agencyAdmin.get(`/api/v1/procedures/${id}`)).body).components[1];
    const url = `/api/v1/admin/procedures/${id}/components/${comp.id}/template`;
    const before = await count('procedureHistory');
    const attempts: [string, { payload: Buffer | string; headers: Record<string, string> }][] = [
      ['an executable named .pdf', multipart({ filename: 'mau.pdf', content: fixtures.exe(), type: 'application/pdf' })],
      ['a PNG', multipart({ filename: 'mau.png', content: fixtures.png() })],
      ['HTML', multipart({ filename: 'mau.html', content: fixtures.html() })],
      ['a plain zip', multipart({ filename: 'mau.docx', content: fixtures.plainZip() })],
      ['an empty file', multipart({ filename: 'mau.pdf', content: Buffer.alloc(0) })],
      ['a file over 5 MB', multipart({ filename: 'mau.pdf', content: Buffer.concat([fixtures.pdf(), Buffer.alloc(5 * 1024 * 1024)]) })],
      ['another field name', multipart({ field: 'upload', filename: 'mau.pdf', content: fixtures.pdf() })],
      ['JSON instead of multipart', { payload: JSON.stringify({ file: 'x' }), headers: { 'content-type': 'application/json' } }],
      ['a multipart body cut short', (() => { const m = multipart({ filename: 'mau.pdf', content: fixtures.pdf() }); return { payload: m.payload.subarray(0, 120), headers: m.headers }; })()],
      ['multipart without a boundary', { payload: 'x', headers: { 'content-type': 'multipart/form-data' } }],
      ['a text field only', (() => { const m = multipart({ field: 'note', filename: '', content: Buffer.from('') }); return m; })()],
    ];
    for (const [what, { payload, headers }] of attempts) {
      const res = await agencyAdmin.req('PUT', url, payload, headers);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      const e = safeJson(res.body).error;
      expect(e.fields[0].path, what).toBe('body.file');
      expect(e.fields[0].message.vi).toBeTruthy();
    }
    expect(await count('procedureHistory')).toBe(before);
    const up = multipart({ filename: 'a.pdf', content: fixtures.pdf() });
    expect((await agencyAdmin.req('PUT', `/api/v1/admin/procedures/${id}/components/00000000-0000-0000-0000-000000000000/template`, up.payload, up.headers)).statusCode).toBe(404);
    expect((await anon().get(`/api/v1/procedures/${id}/components/${comp.id}/template`)).statusCode).toBe(404);
  });

  it('hides the templates of unpublished procedures from the public', async () => {
    const id = await idOf('1.900003');
    const comp = safeJson((await agencyAdmin.get(`/api/v1/procedures/${id}`)).body).components[0];
    const up = multipart({ filename: 'a.pdf', content: fixtures.pdf() });
    expect((await agencyAdmin.req('PUT', `/api/v1/admin/procedures/${id}/components/${comp.id}/template`, up.payload, up.headers)).statusCode).toBe(200);
    expect((await anon().get(`/api/v1/procedures/${id}/components/${comp.id}/template`)).statusCode).toBe(404);
    const own = await agencyAdmin.get(`/api/v1/procedures/${id}/components/${comp.id}/template`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
  });
});

describe('scopes: every role that must be refused is refused', () => {
  it('procedure.manage: create, change, publish, unpublish, history, templates, import, export', async () => {
    const allowed: readonly string[] = ACTIONS['procedure.manage'];
    const id = await idOf('1.003725');
    const comp = safeJson((await province.get(`/api/v1/procedures/${id}`)).body).components[0].id;
    const file = multipart({ filename: 'a.pdf', content: fixtures.pdf() });
    const sheet = multipart({ filename: 'a.xlsx', content: await workbook({ procedures: [procedureRow('1.900099')] }) });
    const calls: [string, (c: Client) => Promise<{ statusCode: number }>][] = [
      ['list', (c) => c.get('/api/v1/admin/procedures')],
      ['create', (c) => c.post('/api/v1/admin/procedures', body('1.900098'))],
      ['update', (c) => c.patch(`/api/v1/admin/procedures/${id}`, { name: 'Đổi tên' })],
      ['publish', (c) => c.post(`/api/v1/admin/procedures/${id}/publish`)],
      ['unpublish', (c) => c.post(`/api/v1/admin/procedures/${id}/unpublish`)],
      ['history', (c) => c.get(`/api/v1/admin/procedures/${id}/history`)],
      ['template', (c) => c.req('PUT', `/api/v1/admin/procedures/${id}/components/${comp}/template`, file.payload, file.headers)],
      ['import', (c) => c.req('POST', '/api/v1/admin/procedures/import?dryRun=false', sheet.payload, sheet.headers)],
      ['import jobs', (c) => c.get('/api/v1/admin/procedures/import')],
      ['export', (c) => c.get('/api/v1/admin/procedures/export?format=csv')],
    ];
    const clients = new Map<string, Client>();
    for (const role of OfficialRole.options) if (!allowed.includes(role)) clients.set(role, await signInOfficial(t.app, role));
    clients.set('citizen', await signInCitizen(t.app));
    clients.set('anonymous', anon());
    const before = [await count('procedures'), await count('auditLog'), await count('procedureHistory')];
    for (const [name, call] of calls) {
      for (const [who, client] of clients) {
        const res = await call(client);
        expect(who === 'anonymous' ? [401] : [403, 404], `${name} by ${who} → ${res.statusCode}`).toContain(res.statusCode);
      }
    }
    expect([await count('procedures'), await count('auditLog'), await count('procedureHistory')]).toEqual(before);
    expect(safeJson((await anon().get(`/api/v1/procedures/${id}`)).body).published).toBe(true);
  });
});
