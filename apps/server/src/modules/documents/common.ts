/**
 * Parts shared by the forms, laid out as Decree 30/2020/NĐ-CP (Appendix I) sets out an
 * administrative document: agency top left, national motto top right, number and date line
 * under them, a centred bold title, the body, then "Nơi nhận" on the left and the signature on
 * the right.
 */
import { PDFDocument } from 'pdf-lib';
import { embedFonts } from './fonts.ts';
import { formatDate, formatDateLine, formatTime } from './format.ts';
import { A4_PORTRAIT, PT_PER_MM, upper, Writer } from './layout.ts';
import type { Margins, Rich, Run } from './layout.ts';
import type { AgencyHeader, Applicant, FormBase, Signer } from './types.ts';

export const DEFAULT_PLACE = 'Khánh Hòa';

/** Decree 30 margins: top and bottom 20 mm, left 30 mm, right 15 mm. */
export const PORTRAIT_MARGINS: Margins = {
  top: 20 * PT_PER_MM,
  bottom: 20 * PT_PER_MM,
  left: 30 * PT_PER_MM,
  right: 15 * PT_PER_MM,
};

export interface DocumentMeta {
  title: string;
  agency: AgencyHeader;
  /** Sets the PDF's creation and modification dates, so that the same input gives the same file. */
  date: Date;
  subject?: string;
}

export interface PageSetup {
  pageSize?: [number, number];
  margins?: Margins;
  /** Line height of body text as a multiple of its size. */
  leading?: number;
  /** Draws the running header of every page. */
  onPage?: (w: Writer) => void;
}

/** A new PDF with the fonts embedded and a writer on its first page (A4 portrait by default). */
export async function startDocument(meta: DocumentMeta, setup: PageSetup = {}): Promise<Writer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(meta.title.normalize('NFC'), { showInWindowTitleBar: true });
  doc.setAuthor(meta.agency.name.normalize('NFC'));
  if (meta.subject) doc.setSubject(meta.subject.normalize('NFC'));
  doc.setLanguage('vi-VN');
  doc.setCreator('motcua');
  doc.setProducer('motcua (pdf-lib)');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  const fonts = await embedFonts(doc);
  const w = new Writer(doc, fonts, setup.pageSize ?? A4_PORTRAIT, setup.margins ?? PORTRAIT_MARGINS, {
    size: 12,
    leading: setup.leading ?? 1.3,
    onPage: setup.onPage,
  });
  w.addPage();
  return w;
}

export function finishDocument(w: Writer): Promise<Uint8Array> {
  return w.doc.save();
}

/**
 * Agency name and number on the left, national motto and date line on the right.
 * The caller is at the top of a page.
 */
export function documentHeader(w: Writer, base: FormBase): void {
  const size = 12;
  // The motto column is as wide as its longest line; the agency gets the rest.
  const rightWidth = w.measure('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'bold', size) + 8;
  const leftWidth = w.width - rightWidth;
  const rightX = w.left + leftWidth;
  const top = w.y;

  let ly = top;
  const left = { size, align: 'center', leading: 1.2, balanced: true } as const;
  if (base.agency.parentName) ly -= w.block(upper(base.agency.parentName), w.left, ly, leftWidth, left);
  const name = upper(base.agency.name);
  const nameHeight = w.block(name, w.left, ly, leftWidth, { ...left, style: 'bold' });
  const nameWidth = Math.min(w.naturalWidth(name, size, 'bold'), leftWidth);
  ly -= nameHeight;
  const ruleLength = nameWidth * 0.4;
  w.hline(w.left + (leftWidth - ruleLength) / 2, w.left + (leftWidth + ruleLength) / 2, ly - 2);
  ly -= 8;

  let ry = top;
  ry -= w.block('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, ry, rightWidth, {
    size,
    style: 'bold',
    align: 'center',
    leading: 1.2,
  });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  const mottoWidth = w.measure(motto, 'bold', 13);
  ry -= w.block(motto, rightX, ry, rightWidth, { size: 13, style: 'bold', align: 'center', leading: 1.2 });
  w.hline(rightX + (rightWidth - mottoWidth) / 2, rightX + (rightWidth + mottoWidth) / 2, ry - 2);
  ry -= 8;

  const rowTop = Math.min(ly, ry) - 4;
  const numberHeight = base.number
    ? w.block(`Số: ${base.number}`, w.left, rowTop, leftWidth, { size: 13, align: 'center' })
    : 0;
  const dateHeight = w.block(formatDateLine(base.place ?? DEFAULT_PLACE, base.issuedAt), rightX, rowTop, rightWidth, {
    size: 13,
    style: 'italic',
    align: 'center',
  });
  w.y = rowTop - Math.max(numberHeight, dateHeight);
}

/** The centred bold title and the lines under it. */
export function title(w: Writer, text: string, subtitles: Rich[] = []): void {
  w.space(18);
  w.paragraph(upper(text), { size: 14, style: 'bold', align: 'center', leading: 1.25 });
  for (const s of subtitles) w.paragraph(s, { size: 12.5, align: 'center' });
  w.space(10);
}

/** A "Label: value" line, wrapped with the value following the label. */
export function field(w: Writer, label: string, value: string | undefined, o: { bold?: boolean; indent?: number } = {}): void {
  if (value === undefined || value.trim() === '') return;
  w.paragraph([{ text: `${label}: ` }, { text: value, style: o.bold ? 'bold' : 'regular' }], {
    x: w.left + (o.indent ?? 0),
  });
}

/** Items numbered "1.", "2." with a hanging indent. */
export function numbered(w: Writer, items: string[], o: { indent?: number } = {}): void {
  const indent = o.indent ?? 14;
  items.forEach((item, i) => {
    const label = `${i + 1}. `;
    w.paragraph([{ text: label }, { text: item }], {
      x: w.left + indent,
      hanging: w.measure(label, 'regular', w.defaultSize),
    });
  });
}

/** Name, ID, address and contacts of the applicant, each on its line; empty ones skipped. */
export function applicantFields(w: Writer, a: Applicant, nameLabel: string): void {
  field(w, nameLabel, a.name, { bold: true });
  field(w, 'Số định danh cá nhân/Mã số thuế', a.idNumber);
  field(w, 'Địa chỉ', a.address);
  const contacts = [a.phone ? `Số điện thoại: ${a.phone}` : '', a.email ? `Email: ${a.email}` : ''].filter(Boolean);
  if (contacts.length > 0) w.paragraph(contacts.join('; '));
}

export interface SignatureBlock {
  title: string;
  /** Italic line under the title; default "(Ký và ghi rõ họ tên)". */
  note?: string;
  name?: string;
}

/** Room left for the handwritten signature (and the seal). */
const SIGNATURE_SPACE = 62;

function signatureHeight(w: Writer, b: SignatureBlock, width: number, space = SIGNATURE_SPACE): number {
  return (
    w.measureBlock(upper(b.title), width, { size: 12.5, style: 'bold' }) +
    w.measureBlock(b.note ?? '(Ký và ghi rõ họ tên)', width, { style: 'italic' }) +
    space +
    (b.name ? w.measureBlock(b.name, width, { size: 12.5, style: 'bold' }) : 0)
  );
}

function drawSignature(w: Writer, b: SignatureBlock, x: number, top: number, width: number, space = SIGNATURE_SPACE): void {
  let y = top;
  y -= w.block(upper(b.title), x, y, width, { size: 12.5, style: 'bold', align: 'center' });
  y -= w.block(b.note ?? '(Ký và ghi rõ họ tên)', x, y, width, { style: 'italic', align: 'center' });
  y -= space;
  if (b.name) w.block(b.name, x, y, width, { size: 12.5, style: 'bold', align: 'center' });
}

/** Two signatures side by side (left and right halves), kept together on one page. */
export function signaturePair(w: Writer, left: SignatureBlock, right: SignatureBlock, space = SIGNATURE_SPACE): void {
  const half = w.width / 2;
  const h = Math.max(signatureHeight(w, left, half, space), signatureHeight(w, right, half, space));
  w.space(10);
  w.ensure(h);
  drawSignature(w, left, w.left, w.y, half, space);
  drawSignature(w, right, w.left + half, w.y, half, space);
  w.y -= h;
}

/** "Nơi nhận:" on the left and one signature on the right, kept together on one page. */
export function signOff(w: Writer, signer: Signer, copiesTo: string[] | undefined, note?: string): void {
  const leftWidth = w.width * 0.45;
  const rightX = w.left + leftWidth;
  const rightWidth = w.width - leftWidth;
  const block: SignatureBlock = { title: signer.title, name: signer.name, note };
  const recipients: Run[] = copiesTo?.length
    ? [{ text: 'Nơi nhận:\n', style: 'boldItalic' }, ...copiesTo.map((c, i) => ({ text: `- ${c}${i < copiesTo.length - 1 ? '\n' : ''}` }))]
    : [];
  const leftHeight = recipients.length ? w.measureBlock(recipients, leftWidth, { size: 11, leading: 1.2 }) : 0;
  const h = Math.max(leftHeight, signatureHeight(w, block, rightWidth));
  w.space(12);
  w.ensure(h);
  if (recipients.length) w.block(recipients, w.left, w.y, leftWidth, { size: 11, leading: 1.2 });
  drawSignature(w, block, rightX, w.y, rightWidth);
  w.y -= h;
}

/** Decree 30 page numbers: from the second page, centred in the top margin. */
export function numberPagesFromSecond(w: Writer): void {
  w.numberPages((i) => (i === 0 ? undefined : String(i + 1)), 'center', 12);
}

/** An instant in a narrow table cell: the time, then the date on the next line. */
export function cellDateTime(d: Date | undefined): string {
  return d ? `${formatTime(d)}\n${formatDate(d)}` : '';
}
