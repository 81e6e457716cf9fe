/**
 * A TrueType repair that makes a font safe for pdf-lib's subsetting.
 *
 * `@pdf-lib/fontkit` (1.1.x) builds a subset by concatenating the chosen glyph records as
 * they are, and writes the short `loca` format (offsets divided by two) whenever the subset's
 * `glyf` table is under 64 KiB, which is always the case for a form. When a glyph record has an
 * odd length, every later offset is rounded down and those glyphs come out as garbage or
 * nothing: with Tinos (1,084 odd-length glyphs out of 3,209) most Vietnamese letters vanished,
 * while the text still extracted correctly (the ToUnicode map is right), so only a rendered
 * page shows the damage. Padding each glyph record to a multiple of four bytes, as the
 * OpenType spec recommends, makes every subset offset even.
 */

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

const HEAD_CHECKSUM_ADJUSTMENT = 8;
const HEAD_INDEX_TO_LOC_FORMAT = 50;
const MAXP_NUM_GLYPHS = 4;
const CHECKSUM_MAGIC = 0xb1b0afba;

/**
 * Returns the font with every glyph record in `glyf` padded to a multiple of 4 bytes and a
 * long-format `loca`; table checksums and `head.checkSumAdjustment` are recomputed. A font
 * whose glyph records are already aligned is returned unchanged (same object).
 * @throws Error when the bytes are not a TrueType (glyf-based) font.
 */
export function alignGlyphRecords(font: Uint8Array): Uint8Array {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const version = view.getUint32(0);
  if (version !== 0x00010000 && version !== 0x74727565 /* 'true' */) {
    throw new Error('not a TrueType font');
  }
  const numTables = view.getUint16(4);
  const tables: TableRecord[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    tables.push({
      tag: String.fromCharCode(font[at]!, font[at + 1]!, font[at + 2]!, font[at + 3]!),
      offset: view.getUint32(at + 8),
      length: view.getUint32(at + 12),
    });
  }
  const find = (tag: string): TableRecord => {
    const t = tables.find((x) => x.tag === tag);
    if (!t) throw new Error(`TrueType font without a ${tag} table`);
    return t;
  };
  const head = find('head');
  const loca = find('loca');
  const glyf = find('glyf');
  const maxp = find('maxp');
  const longLoca = view.getInt16(head.offset + HEAD_INDEX_TO_LOC_FORMAT) === 1;
  const numGlyphs = view.getUint16(maxp.offset + MAXP_NUM_GLYPHS);

  const offsets: number[] = [];
  for (let i = 0; i <= numGlyphs; i++) {
    offsets.push(longLoca ? view.getUint32(loca.offset + i * 4) : view.getUint16(loca.offset + i * 2) * 2);
  }
  let aligned = true;
  for (let i = 0; i < numGlyphs; i++) {
    if ((offsets[i + 1]! - offsets[i]!) % 4 !== 0 || offsets[i]! % 4 !== 0) aligned = false;
  }
  if (aligned) return font;

  // New glyf: each record copied and zero-padded to 4 bytes (the padding is never read:
  // a glyph's own header says how long its data is).
  const newOffsets: number[] = [0];
  let size = 0;
  for (let i = 0; i < numGlyphs; i++) {
    size += pad4(offsets[i + 1]! - offsets[i]!);
    newOffsets.push(size);
  }
  const newGlyf = new Uint8Array(size);
  for (let i = 0; i < numGlyphs; i++) {
    newGlyf.set(font.subarray(glyf.offset + offsets[i]!, glyf.offset + offsets[i + 1]!), newOffsets[i]!);
  }
  const newLoca = new Uint8Array((numGlyphs + 1) * 4);
  const locaView = new DataView(newLoca.buffer);
  newOffsets.forEach((o, i) => locaView.setUint32(i * 4, o));
  const newHead = font.slice(head.offset, head.offset + head.length);
  const headView = new DataView(newHead.buffer);
  headView.setInt16(HEAD_INDEX_TO_LOC_FORMAT, 1);
  headView.setUint32(HEAD_CHECKSUM_ADJUSTMENT, 0);

  const data = new Map<string, Uint8Array>();
  for (const t of tables) data.set(t.tag, font.subarray(t.offset, t.offset + t.length));
  data.set('glyf', newGlyf);
  data.set('loca', newLoca);
  data.set('head', newHead);

  // Same table order as the original directory (which is sorted by tag, as required).
  const headerSize = 12 + numTables * 16;
  let total = headerSize;
  for (const t of tables) total += pad4(data.get(t.tag)!.length);
  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  out.set(font.subarray(0, 12), 0);
  let at = headerSize;
  let headAt = 0;
  tables.forEach((t, i) => {
    const bytes = data.get(t.tag)!;
    out.set(bytes, at);
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[rec + k] = t.tag.charCodeAt(k);
    outView.setUint32(rec + 4, checksum(out, at, bytes.length));
    outView.setUint32(rec + 8, at);
    outView.setUint32(rec + 12, bytes.length);
    if (t.tag === 'head') headAt = at;
    at += pad4(bytes.length);
  });
  outView.setUint32(headAt + HEAD_CHECKSUM_ADJUSTMENT, (CHECKSUM_MAGIC - checksum(out, 0, out.length)) >>> 0);
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** The OpenType table checksum: the sum of big-endian uint32 words, zero-padded, modulo 2^32. */
export function checksum(bytes: Uint8Array, offset: number, length: number): number {
  let sum = 0;
  const end = offset + pad4(length);
  for (let i = offset; i < end; i += 4) {
    const word =
      (((i < offset + length ? bytes[i]! : 0) << 24) |
        ((i + 1 < offset + length ? bytes[i + 1]! : 0) << 16) |
        ((i + 2 < offset + length ? bytes[i + 2]! : 0) << 8) |
        (i + 3 < offset + length ? bytes[i + 3]! : 0)) >>>
      0;
    sum = (sum + word) >>> 0;
  }
  return sum;
}
