import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';

/** A ZIP archive with stored (uncompressed) entries: enough for DOCX-like fixtures. */
export function storedZip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(entries)) {
    const data = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

export const fixtures = {
  pdf: () => Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n'), randomBytes(64), Buffer.from('\n%%EOF\n')]),
  docx: () => storedZip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>', '_rels/.rels': '<Relationships/>' }),
  doc: () => {
    const b = Buffer.alloc(1536);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(b, 0);
    Buffer.from('WordDocument', 'utf16le').copy(b, 1024);
    return b;
  },
  xlsx: async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('to_khai').addRow(['Họ và tên', 'Ngày sinh']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  },
  png: () => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(100)]),
  exe: () => Buffer.concat([Buffer.from('MZ'), randomBytes(200)]),
  html: () => Buffer.from('<!doctype html><script>alert(1)</script>'),
  plainZip: () => storedZip({ 'payload.exe': 'MZ...' }),
};

/** A multipart/form-data body with one file part (and optional text fields). */
export function multipart(file: { field?: string; filename: string; content: Buffer; type?: string }, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----motcua${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface SheetRows {
  procedures: Record<string, string | number>[];
  components?: Record<string, string | number>[];
  fees?: Record<string, string | number>[];
}

/** Builds an import workbook the way an official's spreadsheet program would. */
export async function workbook(rows: SheetRows): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, list] of Object.entries(rows) as [string, Record<string, string | number>[] | undefined][]) {
    if (!list) continue;
    const ws = wb.addWorksheet(name);
    const columns = [...new Set(list.flatMap((r) => Object.keys(r)))];
    ws.addRow(columns);
    for (const r of list) ws.addRow(columns.map((c) => r[c] ?? ''));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A valid procedures-sheet row, to vary in tests. */
export function procedureRow(code: string, over: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    code,
    name: `Cấp giấy phép thử nghiệm nhập khẩu ${code}`,
    field_code: 'KHCN',
    receiving_agency_codes: '000.00.12.H56',
    resolving_agency_codes: '000.00.12.H56',
    levels: 'province',
    applicants: 'business;organisation',
    methods: 'in_person;online',
    online_level: 'partial',
    processing_value: 10,
    processing_unit: 'working_days',
    steps: 'Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.',
    legal_basis: 'Nghị định thử nghiệm số 01/2026/NĐ-CP.',
    results: 'Giấy phép thử nghiệm|true|true',
    published: 'true',
    ...over,
  };
}
