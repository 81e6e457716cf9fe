import { describe, expect, it } from 'vitest';
import { decodeList, encodeList, FileProblem, readCatalogFile, writeCsv, writeXlsx } from '../../../src/modules/catalog/spreadsheet.ts';
import type { ProcedureSnapshot } from '../../../src/modules/catalog/model.ts';
import { fixtures, procedureRow, storedZip, workbook } from './fixtures.ts';

const snap: ProcedureSnapshot = {
  code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh', fieldCode: 'HO_KINH_DOANH',
  receivingAgencies: ['000.01.01.H56', '000.01.02.H56'], resolvingAgencies: ['000.01.01.H56'], levels: ['commune'], applicants: ['citizen'],
  steps: 'Bước 1: nộp; "đủ" hồ sơ\nBước 2: nhận, kết quả', methods: ['in_person', 'online'], onlineLevel: 'full',
  processingTime: { value: 3, unit: 'working_days' }, legalBasis: 'Nghị định 168/2025/NĐ-CP',
  resultDocuments: [{ name: 'Giấy chứng nhận | bản điện tử; số 1', paper: true, electronic: true }],
  onlineForm: { schema: { type: 'object', properties: { a: { type: 'string' } } }, uiSchema: {} },
  components: [{ name: 'Giấy đề nghị;; theo mẫu \\ 01', form: 'original', quantity: 1, required: true, reusable: false, template: null }],
  fees: [{ name: 'Lệ phí', amountVnd: 100_000, exemptions: 'Miễn | khi nộp trực tuyến', payableOnline: true, when: 'before_reception' }],
  published: true,
};

describe('lists inside a cell', () => {
  it('round-trips separators and backslashes', () => {
    const items = [['a|b', 'c;d', 'e\\f'], ['x;;y', '', 'z']];
    expect(decodeList(encodeList(items))).toEqual(items);
    expect(decodeList('Tờ khai|original|1|true|false;; Bản sao |copy|2|false|true')).toEqual([
      ['Tờ khai', 'original', '1', 'true', 'false'], ['Bản sao', 'copy', '2', 'false', 'true'],
    ]);
    expect(decodeList('')).toEqual([]);
  });
});

describe('reading catalogue files', () => {
  it('reads back what it writes, as xlsx and as CSV', async () => {
    const x = await readCatalogFile(await writeXlsx([snap]));
    expect(x.format).toBe('xlsx');
    expect(x.procedures[0]!.cells).toMatchObject({ code: '1.001612', receiving_agency_codes: '000.01.01.H56;000.01.02.H56', processing_value: '3' });
    expect(x.components![0]!.cells.name).toBe('Giấy đề nghị;; theo mẫu \\ 01');
    expect(x.fees![0]!.cells).toMatchObject({ amount_vnd: '100000', exemptions: 'Miễn | khi nộp trực tuyến' });
    const c = await readCatalogFile(writeCsv([snap]));
    expect(c.format).toBe('csv');
    expect(c.procedures[0]!.cells.steps).toBe(snap.steps);
    expect(c.components![0]!.cells).toMatchObject({ procedure_code: '1.001612', name: 'Giấy đề nghị;; theo mẫu \\ 01', form: 'original' });
    expect(c.fees![0]!.cells.exemptions).toBe('Miễn | khi nộp trực tuyến');
    expect(decodeList(c.procedures[0]!.cells.results!)[0]![0]).toBe('Giấy chứng nhận | bản điện tử; số 1');
  });
  it('accepts a semicolon-separated CSV with a byte-order mark', async () => {
    const csv = '\uFEFFcode;name;field_code;receiving_agency_codes;resolving_agency_codes;levels;applicants;methods;online_level;processing_value;processing_unit;steps;legal_basis;results\n' +
      '1.000001;Thủ tục;KHCN;000.00.12.H56;000.00.12.H56;province;citizen;in_person;none;5;working_days;Bước 1;Luật;Kết quả|true|false\n';
    const r = await readCatalogFile(Buffer.from(csv));
    expect(r.procedures).toHaveLength(1);
    expect(r.procedures[0]!.cells.name).toBe('Thủ tục');
    expect(r.components).toBeNull();
  });
  it.each([
    ['an empty file', Buffer.alloc(0), /empty/],
    ['a binary file', fixtures.png(), /xlsx or \.csv|UTF-8/],
    ['a zip that is not a workbook', storedZip({ 'a.txt': 'x' }), /xlsx or \.csv/],
    ['a Windows-1258 CSV', Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xd0, 0xe3]), /UTF-8/],
    ['a CSV missing columns', Buffer.from('code,name\n1.000001,x\n'), /lacks columns: field_code/],
    ['a CSV with an unknown column', Buffer.from('code,name,ghi_chu\n'), /unknown column "ghi_chu"/],
    ['a broken quote', Buffer.from('code,name\n"1.000001,x\n'), /malformed/],
    ['a header without rows', Buffer.from('code,name,field_code,receiving_agency_codes,resolving_agency_codes,levels,applicants,methods,online_level,processing_value,processing_unit,steps,legal_basis,results\n'), /no procedure rows/],
    ['three bytes', Buffer.from('PK\u0003'), /unknown column/],
  ])('refuses %s with a bilingual reason', async (_n, buf, en) => {
    const err = await readCatalogFile(buf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileProblem);
    expect((err as FileProblem).msg.en).toMatch(en);
    expect((err as FileProblem).msg.vi.length).toBeGreaterThan(5);
  });
  it('refuses a workbook without a procedures sheet, naming the sheets it has', async () => {
    const err = await readCatalogFile(await workbook({ thu_tuc: [procedureRow('1.000001')] } as never)).catch((e: unknown) => e);
    expect((err as FileProblem).msg.en).toMatch(/needs a "procedures" sheet \(found: thu_tuc\)/);
  });
});
