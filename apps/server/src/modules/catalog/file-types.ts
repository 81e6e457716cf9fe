/**
 * Recognises uploaded files by their content (magic bytes), never by the name or the type the
 * browser claims: a template is served back to citizens, so only document formats get in.
 */

export interface DetectedType {
  mime: string;
  ext: 'pdf' | 'docx' | 'xlsx' | 'doc';
}

export const TEMPLATE_TYPES: Record<DetectedType['ext'], string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
};

export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const OLE2 = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

/**
 * Lists a ZIP archive's entries from its central directory, or null when the bytes are not a
 * well-formed (non-ZIP64) archive. Reads headers only; nothing is decompressed.
 */
export function zipEntries(buf: Buffer): ZipEntry[] | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== ZIP_LOCAL) return null;
  // The end-of-central-directory record sits in the last 22 + up to 65,535 (comment) bytes.
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) return null;
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== ZIP_CENTRAL) return null;
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > end) return null;
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), compressedSize, uncompressedSize });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The Office Open XML kind of a ZIP archive, by the parts it holds. */
function officeKind(entries: ZipEntry[]): 'docx' | 'xlsx' | null {
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml')) return null;
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  return null;
}

/** Detects a template file: PDF, DOCX, XLSX or a Word 97-2003 DOC; anything else is null. */
export function detectTemplateType(buf: Buffer): DetectedType | null {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return { ext: 'pdf', mime: TEMPLATE_TYPES.pdf };
  if (buf.length >= 512 && buf.subarray(0, 8).equals(OLE2)) {
    // A compound file: Word keeps its text in a stream named "WordDocument" (UTF-16LE in the directory).
    if (buf.includes(Buffer.from('WordDocument', 'utf16le'))) return { ext: 'doc', mime: TEMPLATE_TYPES.doc };
    return null;
  }
  const entries = zipEntries(buf);
  const kind = entries ? officeKind(entries) : null;
  return kind ? { ext: kind, mime: TEMPLATE_TYPES[kind] } : null;
}

/** Is this an .xlsx workbook (by content)? */
export function isXlsx(buf: Buffer): boolean {
  const entries = zipEntries(buf);
  return !!entries && officeKind(entries) === 'xlsx';
}

/** Total size the archive claims once unpacked: refuses zip bombs before a parser inflates them. */
export function zipUnpackedSize(buf: Buffer): number {
  return (zipEntries(buf) ?? []).reduce((n, e) => n + e.uncompressedSize, 0);
}

/**
 * A safe download name: no path, no control characters, at most 200 characters, and the
 * extension of the detected type (a PDF named `form.docx` is served as `form.pdf`).
 */
export function safeFilename(name: string | undefined, ext: DetectedType['ext']): string {
  let base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  base = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  base = base.replace(/\.(pdf|docx?|xlsx?)$/i, '');
  if (!base || base === '.' || base === '..') base = 'mau';
  return `${base.slice(0, 190)}.${ext}`;
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback name and the exact name in RFC 5987
 * form (`filename*=UTF-8''...`), which every current browser prefers.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
