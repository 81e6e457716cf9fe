/**
 * The visible signature (chữ ký số hiển thị): a framed block with the agency, the signer, the
 * time, the certificate and a QR code of the public verification page.
 *
 * An uploaded result may use every part of its pages, so the block never goes on top of the
 * content: the last page is made taller by the block's height (its boxes extended downwards)
 * and the block fills the new strip. A rotated last page gets a new page for the block instead.
 */
import { create as createQr } from 'qrcode';
import { EncryptedPDFError, PDFDocument, PDFName, PDFArray, PDFNumber, rgb, type PDFPage } from 'pdf-lib';
import { embedFonts, formatDateTimeLong, LayoutWriter, PT_PER_MM, upper } from '../documents/index.ts';
import { findSignatures } from '../../adapters/signing/index.ts';
import { UNSIGNABLE } from './errors.ts';

export interface StampData {
  agencyName: string;
  /** The official who approved or issued it; the certificate is the agency's. */
  signerName: string | null;
  signedAt: Date;
  certificate: { commonName: string | null; issuerCommonName: string | null; serialNumber: string };
  /** The public verification page, and the link to this document on it (the QR code). */
  verifyPage: string;
  verifyUrl: string;
  documentId: string;
}

export class Unsignable extends Error {
  constructor(readonly why: (typeof UNSIGNABLE)[keyof typeof UNSIGNABLE]) {
    super(why.en);
    this.name = 'Unsignable';
  }
}

const PDF = 'application/pdf';
const IMAGES = ['image/jpeg', 'image/png'];
export const SIGNABLE_TYPES = [PDF, ...IMAGES];

/**
 * Opens what is to be signed: a PDF as it is, a JPEG or PNG placed on an A4 page.
 * @throws Unsignable for other types, damaged or encrypted PDFs, and PDFs that already carry a
 * signature (rewriting the file would break it).
 */
export async function openForSigning(bytes: Uint8Array, mime: string): Promise<PDFDocument> {
  if (IMAGES.includes(mime)) return imageDocument(bytes, mime);
  if (mime !== PDF) throw new Unsignable(UNSIGNABLE.notPdf);
  if ((await findSignatures(Buffer.from(bytes))).length > 0) throw new Unsignable(UNSIGNABLE.alreadySigned);
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    if (doc.getPageCount() === 0) throw new Unsignable(UNSIGNABLE.damaged);
    return doc;
  } catch (err) {
    if (err instanceof Unsignable) throw err;
    throw new Unsignable(err instanceof EncryptedPDFError ? UNSIGNABLE.encrypted : UNSIGNABLE.damaged);
  }
}

async function imageDocument(bytes: Uint8Array, mime: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  let image;
  try {
    image = mime === 'image/png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  } catch {
    throw new Unsignable(UNSIGNABLE.damaged);
  }
  const landscape = image.width > image.height;
  const [w, h] = landscape ? [841.89, 595.28] : [595.28, 841.89];
  const margin = 10 * PT_PER_MM;
  const scale = Math.min((w - 2 * margin) / image.width, (h - 2 * margin) / image.height, 1);
  const page = doc.addPage([w, h]);
  page.drawImage(image, { x: (w - image.width * scale) / 2, y: h - margin - image.height * scale, width: image.width * scale, height: image.height * scale });
  return doc;
}

const BLUE = rgb(0.05, 0.22, 0.55);
const QR_SIDE = 64;
const PAD = 6;
const SIDE_MARGIN = 15 * PT_PER_MM;
const BOXES = ['CropBox', 'BleedBox', 'TrimBox', 'ArtBox'];

function lines(d: StampData): { text: string; style: 'bold' | 'regular' | 'italic'; size: number }[] {
  const cert = d.certificate;
  return [
    { text: 'ĐÃ KÝ SỐ — DIGITALLY SIGNED', style: 'bold', size: 8.5 },
    { text: `Cơ quan ký: ${upper(d.agencyName)}`, style: 'bold', size: 8.5 },
    ...(d.signerName ? [{ text: `Người ký: ${d.signerName}`, style: 'regular' as const, size: 8.5 }] : []),
    { text: `Thời gian ký: ${formatDateTimeLong(d.signedAt)} (GMT+7)`, style: 'regular', size: 8.5 },
    {
      text: `Chứng thư số: ${cert.commonName ?? '—'}; tổ chức cấp: ${cert.issuerCommonName ?? '—'}; số hiệu: ${cert.serialNumber}`,
      style: 'regular', size: 7.5,
    },
    { text: `Kiểm tra chữ ký: quét mã QR hoặc truy cập ${d.verifyPage} (mã văn bản ${d.documentId})`, style: 'italic', size: 7.5 },
  ];
}

/**
 * Draws the visible signature on `doc` and returns where it is, for the signature widget.
 * Text is Tinos (every Vietnamese letter), so it extracts exactly with pdftotext.
 */
export async function stamp(doc: PDFDocument, d: StampData): Promise<{ page: PDFPage; rect: [number, number, number, number] }> {
  const fonts = await embedFonts(doc);
  let page = doc.getPage(doc.getPageCount() - 1);
  const rotated = page.getRotation().angle % 360 !== 0;
  if (rotated) page = doc.addPage([595.28, 841.89]);
  const box = page.getMediaBox();
  const width = Math.max(box.width - 2 * SIDE_MARGIN, 240);
  const x = box.x + (box.width - width) / 2;
  const w = new LayoutWriter(doc, fonts, [box.width, box.height], { top: 0, bottom: 0, left: 0, right: 0 });
  w.page = page;
  const textWidth = width - QR_SIDE - 3 * PAD;
  const items = lines(d);
  const textHeight = items.reduce((h, l) => h + w.measureBlock(l.text, textWidth, { size: l.size, style: l.style, leading: 1.25 }), 0);
  const height = Math.max(QR_SIDE, textHeight) + 2 * PAD;
  let bottom: number;
  if (rotated) {
    bottom = box.y + box.height - SIDE_MARGIN - height;
  } else {
    // Extend the page downwards by the block's height plus a small gap.
    const extra = height + 4 * PT_PER_MM;
    const newBottom = box.y - extra;
    page.setMediaBox(box.x, newBottom, box.width, box.height + extra);
    for (const name of BOXES) {
      const b = page.node.lookupMaybe(PDFName.of(name), PDFArray);
      if (!b || b.size() !== 4) continue;
      const [bx, , bx2, by2] = b.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) as [number, number, number, number];
      page.node.set(PDFName.of(name), doc.context.obj([bx, newBottom, bx2, by2]));
    }
    bottom = newBottom + 2 * PT_PER_MM;
  }
  const top = bottom + height;
  page.drawRectangle({ x, y: bottom, width, height, borderColor: BLUE, borderWidth: 0.9, color: rgb(1, 1, 1) });
  const qr = createQr(d.verifyUrl, { errorCorrectionLevel: 'M' });
  w.qr(qr.modules, x + PAD, top - PAD - (height - 2 * PAD - QR_SIDE) / 2, QR_SIDE);
  let y = top - PAD - Math.max(0, (height - 2 * PAD - textHeight) / 2);
  for (const l of items) y -= w.block(l.text, x + QR_SIDE + 2 * PAD, y, textWidth, { size: l.size, style: l.style, leading: 1.25 });
  return { page, rect: [x, bottom, x + width, top] };
}
