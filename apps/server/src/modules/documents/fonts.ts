/**
 * The typeface of every form: Tinos, the metric-compatible equivalent of Times New Roman
 * (the face Decree 30/2020/NĐ-CP prescribes), as complete TrueType files shipped by the npm
 * package `@expo-google-fonts/tinos` (Google Fonts' static builds, 3,209 glyphs with every
 * Vietnamese letter and ₫). Nothing is downloaded at run time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { alignGlyphRecords } from './truetype.ts';

const require = createRequire(import.meta.url);

// @pdf-lib/fontkit is a UMD bundle: an ESM namespace import does not expose `create`.
const fontkit = require('@pdf-lib/fontkit') as typeof Fontkit;

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** The four faces of one document. */
export type FontSet = Record<FontStyle, PDFFont>;

const FILES: Record<FontStyle, string> = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
  italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
};

const STYLES = Object.keys(FILES) as FontStyle[];

// Font files are immutable: read and repaired once per process.
let cached: Promise<Record<FontStyle, Uint8Array>> | undefined;

/** The font files, with glyph records aligned so that pdf-lib's subsets render (see truetype.ts). */
export function loadFontFiles(): Promise<Record<FontStyle, Uint8Array>> {
  cached ??= Promise.all(
    STYLES.map(async (style) => {
      const bytes = await readFile(require.resolve(FILES[style]));
      return [style, alignGlyphRecords(new Uint8Array(bytes))] as const;
    }),
  ).then(
    (entries) => Object.fromEntries(entries) as Record<FontStyle, Uint8Array>,
    (err: unknown) => {
      cached = undefined;
      throw err;
    },
  );
  return cached;
}

type PdfFontkit = Parameters<PDFDocument['registerFontkit']>[0];

// Parsing the four faces costs fontkit about 100 ms, so one parsed font serves every document
// (each document keeps its own subset). One catch: fontkit caches a glyph object per glyph id
// with the characters of its first request, and pdf-lib writes the ToUnicode map from those
// characters. Subsetting requests the components of accented glyphs (the "U" inside "Ủ")
// without characters, so a later document drawing "U" would extract it as nothing. Asking
// for every mapped character once, up front, gives each glyph its character before anything
// else can.
const parsedFonts = new WeakMap<Uint8Array, Fontkit.Font>();
const cachingFontkit = {
  create(bytes: Uint8Array, postscriptName?: string): Fontkit.Font {
    let font = parsedFonts.get(bytes);
    if (!font) {
      font = fontkit.create(bytes, postscriptName);
      for (const cp of font.characterSet) font.glyphForCodePoint(cp);
      parsedFonts.set(bytes, font);
    }
    return font;
  },
} as unknown as PdfFontkit;

/**
 * OpenType features switched off. pdf-lib draws glyphs at their advance widths, so kerning
 * would only cost time; without ligatures every glyph maps back to one character, which keeps
 * copy-paste and text extraction exact. Text is NFC, so no mark composition is needed.
 */
const FEATURES_OFF = Object.fromEntries(
  ['ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern', 'dlig', 'hlig'].map((f) => [
    f,
    false,
  ]),
);

/** Embeds the four faces as subsets (only the glyphs drawn end up in the file). */
export async function embedFonts(doc: PDFDocument): Promise<FontSet> {
  const files = await loadFontFiles();
  doc.registerFontkit(cachingFontkit);
  const entries = await Promise.all(
    STYLES.map(
      async (style) => [style, await doc.embedFont(files[style], { subset: true, features: FEATURES_OFF })] as const,
    ),
  );
  return Object.fromEntries(entries) as FontSet;
}
