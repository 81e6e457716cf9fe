/**
 * A result document generated from a procedure's template (kết quả giải quyết: a simple
 * certificate or decision), laid out as an administrative document of Decree 30/2020/NĐ-CP:
 * agency and number, national motto and date line, title, body, recipients and signature.
 * The body arrives with its placeholders already filled (see modules/results).
 */
import { documentHeader, finishDocument, numberPagesFromSecond, signOff, startDocument, title } from './common.ts';
import type { FormBase, Signer } from './types.ts';

export interface ResultDocumentData extends FormBase {
  /** E.g. "Giấy chứng nhận đăng ký hộ kinh doanh". */
  title: string;
  /** Lines centred under the title, e.g. "Mã hồ sơ: …". */
  subtitles?: string[];
  /**
   * The text: paragraphs separated by blank lines; a line starting with "- " is an item, a
   * line "Label: value" keeps its label regular and its value bold.
   */
  body: string;
  signer: Signer;
  copiesTo?: string[];
  /** Sets the PDF's metadata. */
  procedureName?: string;
}

const INDENT = 28;

/**
 * Renders the result document.
 * @throws RangeError when the body is empty or a date is invalid.
 */
export async function renderResultDocument(d: ResultDocumentData): Promise<Uint8Array> {
  const body = d.body.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!body) throw new RangeError('body must not be empty');
  const w = await startDocument({ title: d.title, subject: d.procedureName ?? d.title, agency: d.agency, date: d.issuedAt });
  documentHeader(w, d);
  title(w, d.title, d.subtitles ?? []);
  for (const block of body.split(/\n\s*\n/)) {
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('- ')) {
        w.paragraph([{ text: '- ' }, { text: line.slice(2) }], { x: w.left + INDENT, hanging: w.measure('- ', 'regular', w.defaultSize) });
        continue;
      }
      const label = /^([^:]{2,60}):\s+(.+)$/.exec(line);
      if (label) w.paragraph([{ text: `${label[1]}: ` }, { text: label[2]!, style: 'bold' }], { x: w.left + INDENT });
      else w.paragraph(line, { indent: INDENT });
    }
    w.space(4);
  }
  signOff(w, d.signer, d.copiesTo ?? ['Như trên;', 'Lưu: VT.'], '(Ký số)');
  numberPagesFromSecond(w);
  return finishDocument(w);
}
