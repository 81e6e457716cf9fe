import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';
import { fixtures, multipart, procedureRow, workbook } from '../unit/catalog/fixtures.ts';

let t: TestApp;
let province: Client;
let agencyAdmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  province = await signInOfficial(t.app, 'province_admin');
  agencyAdmin = await signInOfficial(t.app, 'agency_admin');
});
afterAll(() => t.close());

const upload = (c: Client, content: Buffer, filename: string, dryRun: boolean) => {
  const m = multipart({ filename, content });
  return c.req('POST', `/api/v1/admin/procedures/import?dryRun=${dryRun}`, m.payload, m.headers);
};
const counts = async () => {
  const n = async (table: 'procedures' | 'auditLog' | 'procedureHistory' | 'procedureComponents' | 'procedureFees') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { procedures: await n('procedures'), audit: await n('auditLog'), history: await n('procedureHistory'), components: await n('procedureComponents'), fees: await n('procedureFees') };
};
const exportFile = async (c: Client, format: 'xlsx' | 'csv') => {
  const res = await c.get(`/api/v1/admin/procedures/export?format=${format}`);
  expect(res.statusCode).toBe(200);
  return res;
};
const rowsOf = (body: string) => safeJson(body).rows as { sheet: string; row: number; code: string; action: string; reasons: { vi: string; en: string }[] }[];

describe('export', () => {
  it('exports the catalogue an official manages, as xlsx with its three sheets, or as CSV', async () => {
    const x = await exportFile(province, 'xlsx');
    expect(x.headers['content-type']).toMatch(/spreadsheetml/);
    expect(x.headers['content-disposition']).toMatch(/^attachment; filename="danh-muc-thu-tuc-\d{8}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['procedures', 'components', 'fees', 'huong_dan']);
    expect(wb.getWorksheet('procedures')!.rowCount).toBeGreaterThan(60);
    const csv = await exportFile(agencyAdmin, 'csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = csv.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFFcode,name,field_code')).toBe(true);
    expect(text).toContain('Cấp giấy phép xuất bản bản tin');
    expect(text).not.toContain('Đăng ký thành lập hộ kinh doanh');
  });

  it('round-trips: importing an export (dry run) changes nothing, for xlsx and CSV', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const file = await exportFile(province, format);
      const res = await upload(province, file.rawPayload, `export.${format}`, true);
      expect(res.statusCode, res.body).toBe(200);
      const report = safeJson(res.body);
      expect(report.counts.create + report.counts.update + report.counts.reject, format).toBe(0);
      expect(report.counts.unchanged).toBeGreaterThan(60);
      expect(report.jobId).toBeNull();
    }
  });
});

describe('import: dry run', () => {
  it('reports row by row what would be created, changed, left alone or rejected, and writes nothing', async () => {
    const before = await counts();
    const file = await workbook({
      procedures: [
        procedureRow('1.950001'),
        procedureRow('1.003725', { name: 'Cấp giấy phép xuất bản bản tin', field_code: 'TTTT', processing_value: 15 }),
        procedureRow('1.950002', { field_code: 'KHONG_CO', online_level: 'toàn trình', methods: 'Trực tiếp', processing_value: 'ba' }),
        procedureRow('1.950003', { receiving_agency_codes: '000.00.13.H56', resolving_agency_codes: '000.00.99.H56' }),
      ],
      components: [
        { procedure_code: '1.950001', name: 'Đơn đề nghị', form: 'bản chính', quantity: 1, required: 'có', reusable: 'không' },
        { procedure_code: '1.950001', name: 'Bản sao giấy phép', form: 'certified_copy', quantity: 'hai', required: 'true', reusable: 'true' },
        { procedure_code: '1.959999', name: 'Mồ côi', form: 'copy', quantity: 1, required: 'true', reusable: 'false' },
      ],
      fees: [{ procedure_code: '1.950001', name: 'Phí thẩm định', amount_vnd: '1.500.000 ₫', payable_online: 'x', when: 'Trước khi xử lý', exemptions: '' }],
    });
    const res = await upload(province, file, 'danh-muc.xlsx', true);
    expect(res.statusCode, res.body).toBe(200);
    const rows = rowsOf(res.body);
    const by = (code: string) => rows.find((r) => r.code === code && r.sheet === 'procedures')!;
    expect(by('1.950001')).toMatchObject({ row: 2, action: 'reject' });
    expect(by('1.950001').reasons.map((r) => r.en)).toEqual(['Sheet components, row 3: Column quantity: must be a whole number from 1 to 100.']);
    const update = by('1.003725');
    expect(update.action).toBe('update');
    const bad = by('1.950002');
    expect(bad.action).toBe('reject');
    expect(bad.reasons.map((r) => r.en)).toEqual(expect.arrayContaining([
      'Column field_code: no field has code "KHONG_CO".',
      'Column online_level: An online level needs "online" among the methods.',
      'Column processing_value: must be a whole number from 1 to 1,000.',
    ]));
    expect(bad.reasons.every((r) => r.vi.startsWith('Cột '))).toBe(true);
    expect(by('1.950003').reasons.map((r) => r.en)).toEqual([
      expect.stringMatching(/^Column receiving_agency_codes: .*\(000\.00\.13\.H56\) has been dissolved or merged/),
      'Column resolving_agency_codes: no agency has code 000.00.99.H56.',
    ]);
    expect(rows.find((r) => r.sheet === 'components')).toMatchObject({ row: 4, code: '1.959999', action: 'reject' });
    expect(safeJson(res.body).counts).toEqual({ create: 0, update: 1, unchanged: 0, reject: 4 });
    expect(await counts()).toEqual(before);
  });

  it('understands Vietnamese words and formatted amounts', async () => {
    const file = await workbook({
      procedures: [procedureRow('1.950010', { methods: 'Trực tiếp; Trực tuyến; Bưu chính', online_level: 'Một phần', levels: 'Cấp tỉnh', applicants: 'Doanh nghiệp', processing_unit: 'ngày làm việc' })],
      components: [{ procedure_code: '1.950010', name: 'Đơn đề nghị', form: 'Bản sao chứng thực', quantity: 2, required: 'Có', reusable: '' }],
      fees: [{ procedure_code: '1.950010', name: 'Lệ phí', amount_vnd: '100.000 ₫', payable_online: 'có', when: 'Trước khi tiếp nhận', exemptions: 'Miễn cho hộ nghèo' }],
    });
    const res = await upload(province, file, 'vi.xlsx', true);
    expect(rowsOf(res.body)[0], res.body).toMatchObject({ action: 'create', reasons: [] });
  });
});

describe('import: real run', () => {
  it('is all or nothing: one bad row refuses the whole file with every problem listed, nothing written', async () => {
    const before = await counts();
    const file = await workbook({
      procedures: [procedureRow('1.960001'), procedureRow('1.960002'), procedureRow('1.960003', { results: '' }), procedureRow('1.960002')],
    });
    const res = await upload(province, file, 'co-loi.xlsx', false);
    expect(res.statusCode).toBe(400);
    const e = safeJson(res.body).error;
    expect(e.code).toBe('import_rejected');
    expect(e.message.vi).toMatch(/chưa có gì được ghi/);
    expect(e.fields.map((f: { path: string }) => f.path)).toEqual(['file.procedures.3', 'file.procedures.4', 'file.procedures.5']);
    expect(e.fields[1].message.en).toMatch(/results/);
    expect(await counts()).toEqual({ ...before, audit: before.audit });
    const jobs = safeJson((await province.get('/api/v1/admin/procedures/import')).body).items;
    expect(jobs[0]).toMatchObject({ status: 'rejected', filename: 'co-loi.xlsx', total: 4, processed: 4, counts: { reject: 3, create: 1 } });
    expect(jobs[0].rows).toHaveLength(3);
  });

  it('writes every row in one go, with history, one audit event and a finished job', async () => {
    const before = await counts();
    const file = await workbook({
      procedures: [procedureRow('1.970001'), procedureRow('1.970002', { online_level: 'none', methods: 'in_person;post', published: 'false' })],
      components: [
        { procedure_code: '1.970001', name: 'Đơn đề nghị', form: 'original', quantity: 1, required: 'true', reusable: 'false' },
        { procedure_code: '1.970001', name: 'Bản sao quyết định thành lập', form: 'certified_copy', quantity: 1, required: 'true', reusable: 'true' },
      ],
      fees: [{ procedure_code: '1.970001', name: 'Phí thẩm định', amount_vnd: 750000, payable_online: 'true', when: 'before_processing', exemptions: '' }],
    });
    const res = await upload(agencyAdmin, file, 'moi.xlsx', false);
    expect(res.statusCode, res.body).toBe(201);
    const report = safeJson(res.body);
    expect(report.counts).toEqual({ create: 2, update: 0, unchanged: 0, reject: 0 });
    const after = await counts();
    expect(after).toEqual({ procedures: before.procedures + 2, audit: before.audit + 1, history: before.history + 2, components: before.components + 2, fees: before.fees + 1 });
    const job = safeJson((await agencyAdmin.get(`/api/v1/admin/procedures/import/${report.jobId}`)).body);
    expect(job).toMatchObject({ status: 'succeeded', processed: 2, total: 2, format: 'xlsx', counts: report.counts });
    expect(job.finishedAt).toBeTruthy();
    const p = safeJson((await new Client(t.app).get('/api/v1/procedures?q=1.970001')).body).items[0];
    expect(p).toMatchObject({ feeTotal: 750_000, onlineLevel: 'partial' });
    const h = safeJson((await agencyAdmin.get(`/api/v1/admin/procedures/${p.id}/history`)).body).items;
    expect(h[0]).toMatchObject({ action: 'imported' });
    expect(h[0].diff.importJob).toEqual({ to: report.jobId });
    const audit = await t.db.selectFrom('auditLog').select(['action', 'details']).where('objectId', '=', report.jobId).execute();
    expect(audit).toEqual([{ action: 'procedure.import', details: expect.objectContaining({ created: ['1.970001', '1.970002'], updated: [] }) }]);
    expect((await new Client(t.app).get('/api/v1/procedures?q=1.970002')).body).toContain('"total":0');
    expect((await province.get(`/api/v1/admin/procedures/import/${report.jobId}`)).statusCode).toBe(200);
    expect((await agencyAdmin.get('/api/v1/admin/procedures/import/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });

  it('updates existing procedures, keeping the templates of components it keeps by name', async () => {
    const id = (await t.db.selectFrom('procedures').select('id').where('code', '=', '1.970001').executeTakeFirstOrThrow()).id;
    const comp = safeJson((await agencyAdmin.get(`/api/v1/procedures/${id}`)).body).components[1];
    const m = multipart({ filename: 'quyet-dinh.pdf', content: fixtures.pdf() });
    expect((await agencyAdmin.req('PUT', `/api/v1/admin/procedures/${id}/components/${comp.id}/template`, m.payload, m.headers)).statusCode).toBe(200);
    const file = await workbook({
      procedures: [procedureRow('1.970001', { processing_value: 5 }), procedureRow('1.970002', { online_level: 'none', methods: 'in_person;post', published: 'false' })],
      components: [
        { procedure_code: '1.970001', name: 'Bản sao quyết định thành lập', form: 'certified_copy', quantity: 1, required: 'true', reusable: 'true' },
        { procedure_code: '1.970001', name: 'Đơn đề nghị (mẫu mới)', form: 'original', quantity: 1, required: 'true', reusable: 'false' },
      ],
      fees: [{ procedure_code: '1.970001', name: 'Phí thẩm định', amount_vnd: 750000, payable_online: 'true', when: 'before_processing', exemptions: '' }],
    });
    const dry = rowsOf((await upload(agencyAdmin, file, 'sua.xlsx', true)).body);
    expect(dry.map((r) => r.action)).toEqual(['update', 'unchanged']);
    const res = await upload(agencyAdmin, file, 'sua.xlsx', false);
    expect(res.statusCode, res.body).toBe(201);
    const d = safeJson((await agencyAdmin.get(`/api/v1/procedures/${id}`)).body);
    expect(d.processingTime.value).toBe(5);
    expect(d.components.map((c: { name: string }) => c.name)).toEqual(['Bản sao quyết định thành lập', 'Đơn đề nghị (mẫu mới)']);
    expect(d.components[0]).toMatchObject({ id: comp.id, template: { filename: 'quyet-dinh.pdf' } });
    const h = safeJson((await agencyAdmin.get(`/api/v1/admin/procedures/${id}/history`)).body).items[0];
    expect(h.action).toBe('imported');
    expect(Object.keys(h.diff).sort()).toEqual(['components', 'importJob', 'processingTime']);
  });

  it('imports the CSV format with components and fees in columns', async () => {
    const header = 'code,name,field_code,receiving_agency_codes,resolving_agency_codes,levels,applicants,methods,online_level,processing_value,processing_unit,steps,legal_basis,results,published,components,fees';
    const line = '1.980001,"Cấp giấy xác nhận thử nghiệm, bản CSV",KHCN,000.00.12.H56,000.00.12.H56,province,business,in_person;online,full,4,working_hours,"Bước 1: Nộp.\nBước 2: Nhận.",Luật thử nghiệm,Giấy xác nhận|false|true,true,' +
      '"Tờ khai \\| mẫu 01|original|1|true|false;;Bản sao|copy|2|false|true","Lệ phí|50000|true|before_reception|Miễn cho người khuyết tật"';
    const res = await upload(agencyAdmin, Buffer.from(`\uFEFF${header}\n${line}\n`), 'thu.csv', false);
    expect(res.statusCode, res.body).toBe(201);
    expect(safeJson(res.body).format).toBe('csv');
    const id = safeJson((await new Client(t.app).get('/api/v1/procedures?q=1.980001')).body).items[0].id;
    const d = safeJson((await new Client(t.app).get(`/api/v1/procedures/${id}`)).body);
    expect(d.processingTime).toEqual({ value: 4, unit: 'working_hours' });
    expect(d.components.map((c: { name: string; quantity: number }) => [c.name, c.quantity])).toEqual([['Tờ khai | mẫu 01', 1], ['Bản sao', 2]]);
    expect(d.fees).toEqual([{ name: 'Lệ phí', amountVnd: 50_000, exemptions: 'Miễn cho người khuyết tật', payableOnline: true, when: 'before_reception' }]);
    expect(d.steps).toBe('Bước 1: Nộp.\nBước 2: Nhận.');
  });

  it('keeps agency admins to their own agencies', async () => {
    const file = await workbook({ procedures: [procedureRow('1.990001', { resolving_agency_codes: '000.00.15.H56' }), procedureRow('1.001612', { field_code: 'HO_KINH_DOANH' })] });
    const res = await upload(agencyAdmin, file, 'ngoai.xlsx', true);
    const rows = rowsOf(res.body);
    expect(rows[0]!.reasons.map((r) => r.en)).toEqual(['Column resolving_agency_codes: agency 000.00.15.H56 is outside the agencies you manage.']);
    expect(rows[1]!.reasons.map((r) => r.en)).toContain('The procedure exists and belongs to agencies outside those you manage.');
  });

  it('handles a large file and reports its progress on the job', async () => {
    const many = Array.from({ length: 450 }, (_, i) => procedureRow(`1.99${String(1000 + i).padStart(4, '0')}`, { name: `Thủ tục thử nghiệm số ${i}` }));
    const started = Date.now();
    const res = await upload(province, await workbook({ procedures: many }), 'lon.xlsx', false);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    expect(Date.now() - started).toBeLessThan(20_000);
    const job = safeJson((await province.get(`/api/v1/admin/procedures/import/${safeJson(res.body).jobId}`)).body);
    expect(job).toMatchObject({ status: 'succeeded', processed: 450, total: 450 });
    expect(safeJson((await new Client(t.app).get('/api/v1/procedures?q=th%E1%BB%AD%20nghi%E1%BB%87m%20s%E1%BB%91%20449')).body).items[0].name).toBe('Thủ tục thử nghiệm số 449');
  });
});

describe('import: bad files', () => {
  it('answers 400 with a clear reason for every malformed upload', async () => {
    const before = await counts();
    const cases: [string, () => Promise<{ statusCode: number; body: string }>, string][] = [
      ['no file', () => province.post('/api/v1/admin/procedures/import?dryRun=false', {}), 'body.file'],
      ['an image', () => upload(province, fixtures.png(), 'a.xlsx', false), 'file'],
      ['a Word file', () => upload(province, fixtures.docx(), 'a.xlsx', false), 'file'],
      ['a workbook without a procedures sheet', async () => upload(province, await workbook({ thu_tuc: [procedureRow('1.900001')] } as never), 'a.xlsx', false), 'file'],
      ['missing columns', async () => upload(province, await workbook({ procedures: [{ code: '1.900001', name: 'X' }] }), 'a.xlsx', false), 'file.procedures'],
      ['an unknown column', async () => upload(province, await workbook({ procedures: [procedureRow('1.900001', { ghi_chu: 'x' })] }), 'a.xlsx', false), 'file.procedures.ghi_chu'],
      ['a bad dryRun flag', () => upload(province, Buffer.from('code\n'), 'a.csv', 'maybe' as never), 'querystring.dryRun'],
    ];
    for (const [what, call, path] of cases) {
      const res = await call();
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      const e = safeJson(res.body).error;
      expect(e.fields[0].path, what).toBe(path);
      expect(e.message.vi).toBeTruthy();
    }
    expect(await counts()).toEqual(before);
  });
});
