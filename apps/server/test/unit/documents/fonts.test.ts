import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type * as Fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { embedFonts, loadFontFiles } from '../../../src/modules/documents/fonts.ts';
import { alignGlyphRecords, checksum } from '../../../src/modules/documents/truetype.ts';
import { rasterise, tempDir } from './pdf-tools.ts';

const require = createRequire(import.meta.url);
const fontkit = require('@pdf-lib/fontkit') as typeof Fontkit;
const TINOS = require.resolve('@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf');

const VIETNAMESE_LOWER = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
const VIETNAMESE = VIETNAMESE_LOWER + VIETNAMESE_LOWER.toLocaleUpperCase('vi');

const dir = tempDir();
afterAll(() => dir.remove());

describe('the font package', () => {
  it('covers every Vietnamese letter and the đồng sign in all four faces', async () => {
    const files = await loadFontFiles();
    for (const bytes of Object.values(files)) {
      const font = fontkit.create(bytes);
      const missing = [...`${VIETNAMESE}₫–“”`].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
      expect(missing).toEqual([]);
    }
  });
});

describe('alignGlyphRecords', () => {
  const original = new Uint8Array(readFileSync(TINOS));
  const aligned = alignGlyphRecords(original);

  it('pads every glyph record to 4 bytes with a long loca', () => {
    const font = fontkit.create(aligned) as Fontkit.Font & { loca: { offsets: number[] }; head: { indexToLocFormat: number } };
    expect(font.head.indexToLocFormat).toBe(1);
    expect(font.loca.offsets.every((o) => o % 4 === 0)).toBe(true);
    // The whole-file checksum rule of the OpenType spec.
    expect(checksum(aligned, 0, aligned.length)).toBe(0xb1b0afba);
  });

  it('keeps every outline and metric', () => {
    const before = fontkit.create(original);
    const after = fontkit.create(aligned);
    expect(after.numGlyphs).toBe(before.numGlyphs);
    for (const ch of VIETNAMESE) {
      const a = before.glyphForCodePoint(ch.codePointAt(0)!);
      const b = after.glyphForCodePoint(ch.codePointAt(0)!);
      expect(b.id).toBe(a.id);
      expect(b.path.toSVG()).toBe(a.path.toSVG());
      expect(b.advanceWidth).toBe(a.advanceWidth);
    }
  });

  it('returns an already aligned font unchanged and refuses what is not TrueType', () => {
    expect(alignGlyphRecords(aligned)).toBe(aligned);
    expect(() => alignGlyphRecords(new Uint8Array(64))).toThrow(/TrueType/);
  });

  it('makes subset text render exactly like the whole font', async () => {
    // The bug this guards against leaves text extraction intact: only pixels show it.
    const sample = 'Nguyễn Thị Ngọc Ánh · Ủy ban nhân dân phường Bắc Nha Trang · 1.250.000 ₫ · ỳỵỷỹ ữựửừứ ậẫẩầấ ặẵẳằắ';
    const render = async (subset: boolean) => {
      const doc = await PDFDocument.create();
      let font;
      if (subset) font = (await embedFonts(doc)).regular;
      else {
        doc.registerFontkit(fontkit);
        font = await doc.embedFont(original, { subset: false });
      }
      const page = doc.addPage([595.28, 200]);
      page.drawText(sample, { x: 20, y: 120, size: 11, font });
      page.drawText(VIETNAMESE_LOWER, { x: 20, y: 80, size: 11, font });
      page.drawText(VIETNAMESE_LOWER.toLocaleUpperCase('vi').slice(0, 60), { x: 20, y: 40, size: 11, font });
      return dir.write(`sample-${subset}.pdf`, await doc.save());
    };
    const subsetFile = await render(true);
    const fullFile = await render(false);
    expect(readFileSync(subsetFile).length).toBeLessThan(readFileSync(fullFile).length / 5);
    const a = rasterise(subsetFile, 1, 100, dir);
    const b = rasterise(fullFile, 1, 100, dir);
    expect(a.width).toBe(b.width);
    let inked = 0;
    let differing = 0;
    for (let i = 0; i < a.data.length; i += 4) {
      if (b.data[i]! < 128) inked++;
      if (Math.abs(a.data[i]! - b.data[i]!) > 32) differing++;
    }
    expect(inked).toBeGreaterThan(1000);
    expect(differing).toBe(0);
  });
});
