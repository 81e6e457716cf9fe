import { describe, expect, it } from 'vitest';
import { contentDisposition, detectTemplateType, safeFilename, zipEntries } from '../../../src/modules/catalog/file-types.ts';
import { fixtures, storedZip } from './fixtures.ts';

describe('template file types by magic bytes', () => {
  it('recognises PDF, DOCX, XLSX and DOC', async () => {
    expect(detectTemplateType(fixtures.pdf())?.ext).toBe('pdf');
    expect(detectTemplateType(fixtures.docx())?.ext).toBe('docx');
    expect(detectTemplateType(await fixtures.xlsx())?.ext).toBe('xlsx');
    expect(detectTemplateType(fixtures.doc())?.ext).toBe('doc');
  });
  it('refuses everything else, whatever it is called', () => {
    for (const b of [fixtures.png(), fixtures.exe(), fixtures.html(), fixtures.plainZip(), Buffer.alloc(0), Buffer.from('%PD')]) {
      expect(detectTemplateType(b)).toBeNull();
    }
    const ole = fixtures.doc();
    ole.fill(0, 1024);
    expect(detectTemplateType(ole)).toBeNull();
  });
  it('reads ZIP central directories and refuses truncated archives', () => {
    const z = storedZip({ 'a.txt': 'hello', 'b/c.xml': '<x/>' });
    expect(zipEntries(z)?.map((e) => e.name)).toEqual(['a.txt', 'b/c.xml']);
    expect(zipEntries(z.subarray(0, z.length - 30))).toBeNull();
  });
});

describe('download names', () => {
  it('cleans paths and control characters and fixes the extension', () => {
    expect(safeFilename('C:\\Users\\x\\Mẫu đơn.docx', 'pdf')).toBe('Mẫu đơn.pdf');
    expect(safeFilename('../../etc/passwd', 'doc')).toBe('passwd.doc');
    expect(safeFilename('a\u0000b"c\n.pdf', 'pdf')).toBe('abc.pdf');
    expect(safeFilename(undefined, 'xlsx')).toBe('mau.xlsx');
  });
  it('sends an ASCII fallback and the exact name in RFC 5987 form', () => {
    expect(contentDisposition('Tờ khai đăng ký (mẫu 01).pdf')).toBe(
      "attachment; filename=\"To khai dang ky (mau 01).pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20%28m%E1%BA%ABu%2001%29.pdf",
    );
  });
});
