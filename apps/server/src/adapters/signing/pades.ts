/**
 * PAdES signatures in PDFs: a signature field with a placeholder is added with pdf-lib, the
 * file is written once, and `@signpdf/signpdf` fills in /ByteRange and puts the CMS signature
 * into /Contents. Reading signatures back works on the raw bytes, so a damaged or tampered
 * file can still be examined.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFRef, PDFString, type PDFPage } from 'pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { buildCadesDetached } from './cms.ts';
import { elementLength } from './der.ts';
import type { SigningKey } from './port.ts';

export const SUBFILTER = 'ETSI.CAdES.detached';
const BYTE_RANGE_PLACEHOLDER = '**********';
const ANNOTATION_PRINT = 4;
const SIG_FLAGS = 1 | 2; // SignaturesExist | AppendOnly

export interface SignatureFieldOptions {
  /** Where the visible signature is (the page and [x1, y1, x2, y2]); a zero rectangle on page 1 when omitted. */
  widget?: { page: PDFPage; rect: [number, number, number, number] };
  signingTime: Date;
  /** Who signs (the certificate holder), why, where and how to reach them: shown by PDF readers. */
  name: string;
  reason: string;
  location: string;
  contactInfo?: string;
  /** Bytes reserved for the CMS signature. */
  reserve: number;
}

/** A PDF text string: UTF-16BE with a byte order mark, so Vietnamese survives. */
const text = (s: string) => PDFHexString.fromText(s.normalize('NFC'));

/** The names of the document's signature fields, to pick a new one. */
function fieldNames(doc: PDFDocument): string[] {
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const names: string[] = [];
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const f = fields!.lookup(i);
    const t = f instanceof PDFDict ? f.lookup(PDFName.of('T')) : undefined;
    if (t instanceof PDFString || t instanceof PDFHexString) names.push(t.decodeText());
  }
  return names;
}

/**
 * Adds an unsigned signature field to `doc` (ETSI.CAdES.detached): a signature dictionary with
 * a /ByteRange and /Contents placeholder, its widget on the given page, and the AcroForm flags.
 */
export function addSignatureField(doc: PDFDocument, o: SignatureFieldOptions): void {
  const page = o.widget?.page ?? doc.getPage(0);
  const rect = o.widget?.rect ?? [0, 0, 0, 0];
  const byteRange = PDFArray.withContext(doc.context);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));
  const signature = doc.context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER,
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(o.reserve * 2)),
    M: PDFString.fromDate(o.signingTime),
    Name: text(o.name),
    Reason: text(o.reason),
    Location: text(o.location),
    ...(o.contactInfo ? { ContactInfo: text(o.contactInfo) } : {}),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'motcua' } },
  });
  // Written as raw bytes so that pdf-lib never moves it into an object stream.
  const bytes = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(bytes, 0);
  const signatureRef = doc.context.register(PDFInvalidObject.of(bytes));

  const existing = new Set(fieldNames(doc));
  let n = existing.size + 1;
  while (existing.has(`Signature${n}`)) n++;
  const [x1, y1, x2, y2] = rect;
  const appearance = doc.context.formXObject([], { BBox: [0, 0, Math.abs(x2 - x1), Math.abs(y2 - y1)], Resources: {} });
  const widget = doc.context.register(doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: rect,
    V: signatureRef,
    T: PDFString.of(`Signature${n}`),
    F: ANNOTATION_PRINT,
    P: page.ref,
    AP: { N: doc.context.register(appearance) },
  }));
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray) ?? doc.context.obj([]);
  annots.push(widget);
  page.node.set(PDFName.of('Annots'), annots);

  let form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (!form) {
    form = doc.context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.register(form));
  }
  const flags = form.lookupMaybe(PDFName.of('SigFlags'), PDFNumber)?.asNumber() ?? 0;
  form.set(PDFName.of('SigFlags'), PDFNumber.of(flags | SIG_FLAGS));
  let fields = form.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) {
    fields = doc.context.obj([]);
    form.set(PDFName.of('Fields'), fields);
  }
  fields.push(widget);
}

class CadesSigner extends Signer {
  constructor(private readonly key: SigningKey) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return buildCadesDetached(content, this.key);
  }
}

/** Room for the CMS: the certificates it carries, the signature and the attributes, with a margin. */
export function reserveFor(key: SigningKey): number {
  return key.chain.reduce((n, c) => n + c.length, 0) + 2048;
}

/**
 * Adds a signature field, writes the document and signs it (PAdES, SHA-256).
 * @throws SigningKeyError from the key; Error from pdf-lib or @signpdf when the document cannot be written.
 */
export async function signPdf(doc: PDFDocument, key: SigningKey, field: Omit<SignatureFieldOptions, 'reserve'>): Promise<Buffer> {
  addSignatureField(doc, { ...field, reserve: reserveFor(key) });
  const unsigned = Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
  return new SignPdf().sign(unsigned, new CadesSigner(key), field.signingTime);
}

/** A signature as it sits in the file. */
export interface EmbeddedSignature {
  byteRange: [number, number, number, number];
  /** The CMS bytes from /Contents (zero padding removed); null when they could not be read. */
  cms: Buffer | null;
  /** The byte ranges are well formed: start at 0, the gap is exactly the hex /Contents string, inside the file. */
  wellFormed: boolean;
  /** The ranges reach the end of the file: nothing was appended after signing. */
  coversWholeFile: boolean;
  /** The bytes the signature covers. */
  signedBytes: Buffer;
  dictionary: { subFilter: string | null; name: string | null; reason: string | null; location: string | null; claimedTime: Date | null; fieldName: string | null };
}

const HEX = /^[0-9a-fA-F\s]*$/;
/** More signatures than any real document carries. */
const MAX_SIGNATURES = 50;

/**
 * Every signature of a PDF, in file order, found from its /ByteRange arrays. The dictionary
 * entries are read with pdf-lib when the file parses; the ranges and contents never depend on it.
 */
export async function findSignatures(pdf: Buffer): Promise<EmbeddedSignature[]> {
  const latin1 = pdf.toString('latin1');
  const found: EmbeddedSignature[] = [];
  for (const m of latin1.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    // Each signature hashes the whole file: a crafted file with thousands of them would cost that many passes.
    if (found.length === MAX_SIGNATURES) break;
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = br;
    const inFile = b >= 0 && c > b + 1 && c + d <= pdf.length;
    const gap = inFile ? latin1.slice(b, c) : '';
    const wellFormed = inFile && a === 0 && gap.startsWith('<') && gap.endsWith('>') && HEX.test(gap.slice(1, -1));
    let cms: Buffer | null = null;
    if (wellFormed) {
      const raw = Buffer.from(gap.slice(1, -1).replace(/\s+/g, ''), 'hex');
      try {
        cms = raw.subarray(0, elementLength(raw));
      } catch {
        cms = null;
      }
    }
    found.push({
      byteRange: br, cms, wellFormed, coversWholeFile: inFile && c + d === pdf.length,
      signedBytes: inFile ? Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]) : Buffer.alloc(0),
      dictionary: { subFilter: null, name: null, reason: null, location: null, claimedTime: null, fieldName: null },
    });
  }
  if (found.length > 0) await readDictionaries(pdf, found);
  return found;
}

async function readDictionaries(pdf: Buffer, found: EmbeddedSignature[]): Promise<void> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return;
  }
  const str = (d: PDFDict, k: string) => {
    const v = d.lookup(PDFName.of(k));
    return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : null;
  };
  const fieldOf = new Map<string, string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFDict && obj.get(PDFName.of('FT')) === PDFName.of('Sig')) {
      const v = obj.get(PDFName.of('V'));
      const t = str(obj, 'T');
      if (v instanceof PDFRef && t) fieldOf.set(v.toString(), t);
    }
  }
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    const br = obj.lookup(PDFName.of('ByteRange'));
    if (!(br instanceof PDFArray) || br.size() !== 4) continue;
    const key = br.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN)).join(' ');
    const target = found.find((f) => f.byteRange.join(' ') === key);
    if (!target) continue;
    const sub = obj.lookup(PDFName.of('SubFilter'));
    let claimedTime: Date | null = null;
    try {
      const m = obj.lookup(PDFName.of('M'));
      if (m instanceof PDFString || m instanceof PDFHexString) claimedTime = m.decodeDate();
    } catch {
      claimedTime = null;
    }
    target.dictionary = {
      subFilter: sub instanceof PDFName ? sub.decodeText() : null,
      name: str(obj, 'Name'), reason: str(obj, 'Reason'), location: str(obj, 'Location'), claimedTime,
      fieldName: fieldOf.get(ref.toString()) ?? null,
    };
  }
}
