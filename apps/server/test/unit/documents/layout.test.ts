import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedFonts } from '../../../src/modules/documents/fonts.ts';
import { A4_PORTRAIT, upper, Writer } from '../../../src/modules/documents/layout.ts';
import type { Rich } from '../../../src/modules/documents/layout.ts';
import { pdfText, pdfTextRaw, tempDir } from './pdf-tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());

let w: Writer;
beforeAll(async () => {
  const doc = await PDFDocument.create();
  w = new Writer(doc, await embedFonts(doc), A4_PORTRAIT, { top: 50, right: 50, bottom: 50, left: 50 });
  w.addPage();
});

const lines = (rich: Rich, width: number, size = 12) =>
  w.wrap(rich, width, size).map((l) => l.pieces.map((p) => p.text).join(''));

describe('Writer.wrap', () => {
  it('breaks between words, never wider than the box', () => {
    const text = 'Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà/Tổ chức.';
    const out = w.wrap(text, 150, 12);
    expect(out.length).toBeGreaterThan(2);
    for (const l of out) expect(l.width).toBeLessThanOrEqual(150.01);
    expect(out.map((l) => l.pieces.map((p) => p.text).join('')).join(' ')).toBe(text);
  });

  it('keeps an amount with its đồng sign', () => {
    const out = lines('Phí, lệ phí phải nộp: 1.250.000 ₫ (đã nộp)', w.measure('Phí, lệ phí phải nộp: 1.250.000', 'regular', 12) + 2);
    expect(out.some((l) => l.startsWith('1.250.000 ₫'))).toBe(true);
    expect(out.some((l) => l.endsWith('1.250.000'))).toBe(false);
  });

  it('breaks a long code or URL after "-" or "/" before breaking inside a word', () => {
    const code = '000.00.01.H56-250305-0001';
    const width = w.measure('000.00.01.H56-2503', 'regular', 12);
    expect(lines(code, width)).toEqual(['000.00.01.H56-', '250305-0001']);
    const url = 'https://dichvucong.khanhhoa.example.vn/tra-cuu/ho-so/000.00.01.H56-250305-0001';
    const out = lines(url, 120);
    expect(out.join('')).toBe(url);
    for (const l of out) expect(w.measure(l, 'regular', 12)).toBeLessThanOrEqual(120.01);
    // With no break opportunity at all, a word is cut between letters (never between a letter
    // and its marks: the text is NFC and cut by grapheme).
    const word = 'Nghiêngnghiêngnghiêngnghiêngnghiêngnghiêng';
    const cut = lines(word, 60);
    expect(cut.length).toBeGreaterThan(2);
    expect(cut.join('')).toBe(word);
  });

  it('honours explicit line breaks and keeps runs of different faces on one line', () => {
    expect(lines('KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH', 400)).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    const rich = w.wrap([{ text: 'Mã hồ sơ: ' }, { text: '000.00.01.H56-250305-0001', style: 'bold' }, { text: '.' }], 400, 12);
    expect(rich).toHaveLength(1);
    expect(rich[0]!.pieces.map((p) => [p.text, p.style])).toEqual([
      ['Mã hồ sơ: ', 'regular'],
      ['000.00.01.H56-250305-0001', 'bold'],
      ['.', 'regular'],
    ]);
  });

  it('balances a centred heading over the lines it needs', () => {
    const p = { size: 12, align: 'center' as const };
    const name = upper('Ủy ban nhân dân tỉnh Khánh Hòa');
    const width = w.measure('ỦY BAN NHÂN DÂN TỈNH', 'regular', 12) + 5;
    const greedy = w.wrap(name, width, 12).map((l) => l.pieces.map((x) => x.text).join(''));
    expect(greedy).toEqual(['ỦY BAN NHÂN DÂN TỈNH', 'KHÁNH HÒA']);
    expect(w.measureBlock(name, width, { ...p, balanced: true })).toBe(w.measureBlock(name, width, p));
  });
});

describe('text cleaning', () => {
  it('uppercases Vietnamese with its marks', () => {
    expect(upper('Ủy ban nhân dân phường Bắc Nha Trang')).toBe('ỦY BAN NHÂN DÂN PHƯỜNG BẮC NHA TRANG');
    expect(upper('đường'.normalize('NFD'))).toBe('ĐƯỜNG');
  });

  it('draws NFC, tabs as spaces, and "?" for characters the font lacks', async () => {
    expect(w.clean('Nguyễn\tVăn'.normalize('NFD'), 'regular')).toBe('Nguyễn Văn');
    expect(w.clean('Hộ kinh doanh 🏪 福', 'regular')).toBe('Hộ kinh doanh ? ?');
    w.paragraph('Hộ kinh doanh 🏪 Phúc Lộc\tThọ');
    const file = dir.write('clean.pdf', await w.doc.save());
    expect(pdfText(file)).toContain('Hộ kinh doanh ? Phúc Lộc Thọ');
  });
});

describe('fonts shared between documents', () => {
  it('still map every glyph to its character after an earlier document used accented capitals', async () => {
    // Subsetting "Ủ" reaches the glyph "U" as a component, without its character. Were that
    // glyph object reused as is, "U" would extract as nothing in every later document.
    const render = async (text: string) => {
      const doc = await PDFDocument.create();
      const fonts = await embedFonts(doc);
      doc.addPage().drawText(text, { x: 40, y: 700, size: 12, font: fonts.regular });
      return dir.write(`shared-${text.length}.pdf`, await doc.save());
    };
    await render('Ủy ban nhân dân ỦY BAN Ở Ừ Ặ Ệ');
    const later = await render('UBND U O A E Y');
    expect(pdfTextRaw(later).trim()).toBe('UBND U O A E Y');
  });
});
