/**
 * A small flowing-layout engine over pdf-lib: wrapped rich text, bordered tables that break
 * across pages (repeating their header), fixed-position blocks for the two-column parts of a
 * form, and page numbers. pdf-lib only draws glyphs at coordinates; everything about lines and
 * pages is here.
 */
import { rgb } from 'pdf-lib';
import type { PDFDocument, PDFPage } from 'pdf-lib';
import type { FontSet, FontStyle } from './fonts.ts';

export const PT_PER_MM = 72 / 25.4;
/** A4 portrait in points. */
export const A4_PORTRAIT: [number, number] = [595.28, 841.89];
/** A4 landscape in points. */
export const A4_LANDSCAPE: [number, number] = [841.89, 595.28];

export type Align = 'left' | 'center' | 'right';

/** A piece of text in one face. */
export interface Run {
  text: string;
  style?: FontStyle;
}

/** Plain text (in the default face) or a sequence of runs. `\n` forces a line break. */
export type Rich = string | Run[];

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface TextOptions {
  size?: number;
  /** Face of plain-string text (runs carry their own). Default regular. */
  style?: FontStyle;
  align?: Align;
  /** Extra left offset of the first line (thụt đầu dòng). */
  indent?: number;
  /** Left offset of every line but the first (hanging indent for numbered items). */
  hanging?: number;
  /** Line height as a multiple of the size. */
  leading?: number;
  /** Left edge; default the left margin. */
  x?: number;
  /** Width of the text box; default up to the right margin (less `Writer.inset`). */
  width?: number;
  /** Narrow the box as far as the line count allows, so that wrapped lines come out even. */
  balanced?: boolean;
}

export interface Column {
  header: Rich;
  /** Relative width; the columns share the table's width in these proportions. */
  weight: number;
  align?: Align;
}

export interface TableOptions {
  size?: number;
  headerSize?: number;
  /** Print a row "(1) (2) (3) …" under the header, as registers do. */
  numberRow?: boolean;
  padding?: number;
}

interface Piece {
  text: string;
  style: FontStyle;
}

interface Line {
  pieces: Piece[];
  width: number;
}

type Token = { kind: 'word'; pieces: Piece[] } | { kind: 'space'; style: FontStyle } | { kind: 'break' };

const BLACK = rgb(0, 0, 0);
const WHITE = rgb(1, 1, 1);
// Tinos' vertical metrics (hhea ascender/descender over unitsPerEm 2048).
const ASCENT = 1825 / 2048;
const DESCENT = 443 / 2048;

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** A word cut after each character that may end a line inside a long word. */
function softParts(pieces: Piece[]): Piece[] {
  return pieces.flatMap((p) =>
    p.text
      .split(/(?<=[-/?&=])/)
      .filter((t) => t !== '')
      .map((text) => ({ text, style: p.style })),
  );
}

/** NFC, with uppercase done the Vietnamese way (`toLocaleUpperCase('vi')` keeps the marks). */
export function upper(text: string): string {
  return text.normalize('NFC').toLocaleUpperCase('vi').normalize('NFC');
}

export class Writer {
  page!: PDFPage;
  /** Top of the free space on the current page. */
  y = 0;
  /** Space kept free at the right of flowing text (beside a floated box such as a QR code). */
  inset = 0;
  readonly defaultSize: number;
  readonly leading: number;
  private readonly widths = new Map<string, number>();
  private readonly charsets = new Map<FontStyle, Set<number>>();

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: FontSet,
    readonly pageSize: [number, number],
    readonly margins: Margins,
    options: { size?: number; leading?: number; onPage?: (w: Writer) => void } = {},
  ) {
    this.defaultSize = options.size ?? 12;
    this.leading = options.leading ?? 1.25;
    this.onPage = options.onPage;
  }

  /** Called on every new page before anything else is drawn (running headers). */
  onPage: ((w: Writer) => void) | undefined;

  get left(): number {
    return this.margins.left;
  }
  get right(): number {
    return this.pageSize[0] - this.margins.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return this.pageSize[1] - this.margins.top;
  }
  get bottom(): number {
    return this.margins.bottom;
  }

  addPage(): void {
    this.page = this.doc.addPage(this.pageSize);
    this.y = this.top;
    this.onPage?.(this);
  }

  /** Moves down; never below the bottom margin (the next drawing starts a page if needed). */
  space(h: number): void {
    this.y = Math.max(this.bottom, this.y - h);
  }

  /** Starts a new page unless `h` points still fit on this one. */
  ensure(h: number): void {
    if (this.y - h < this.bottom - 0.01) this.addPage();
  }

  lineHeight(size = this.defaultSize, leading = this.leading): number {
    return size * leading;
  }

  /** Text cleaned for drawing: NFC, tabs as spaces, no CR, characters the font lacks as "?". */
  clean(text: string, style: FontStyle): string {
    let charset = this.charsets.get(style);
    if (!charset) {
      charset = new Set(this.fonts[style].getCharacterSet());
      this.charsets.set(style, charset);
    }
    let out = '';
    for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
      const cp = ch.codePointAt(0)!;
      out += ch === '\n' || charset.has(cp) ? ch : '?';
    }
    return out;
  }

  measure(text: string, style: FontStyle, size: number): number {
    const key = `${style}\u0000${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.fonts[style].widthOfTextAtSize(text, size);
      this.widths.set(key, w);
    }
    return w;
  }

  /** Breaks rich text into lines no wider than `width` (the first line `firstWidth`). */
  wrap(rich: Rich, width: number, size: number, style: FontStyle = 'regular', firstWidth = width): Line[] {
    const tokens = this.tokenize(rich, style);
    const lines: Line[] = [];
    let cur: Piece[] = [];
    let curW = 0;
    let pendingSpace: FontStyle | null = null;
    const avail = () => (lines.length === 0 ? firstWidth : width);
    const pushLine = () => {
      lines.push(this.finishLine(cur, size));
      cur = [];
      curW = 0;
    };
    const wordWidth = (pieces: Piece[]) => pieces.reduce((s, p) => s + this.measure(p.text, p.style, size), 0);

    for (const tok of tokens) {
      if (tok.kind === 'break') {
        pushLine();
        pendingSpace = null;
        continue;
      }
      if (tok.kind === 'space') {
        if (cur.length > 0) pendingSpace = tok.style;
        continue;
      }
      const ww = wordWidth(tok.pieces);
      const sw = pendingSpace ? this.measure(' ', pendingSpace, size) : 0;
      if (cur.length > 0 && curW + sw + ww <= avail() + 0.01) {
        if (pendingSpace) cur.push({ text: ' ', style: pendingSpace });
        cur.push(...tok.pieces);
        curW += sw + ww;
      } else {
        if (cur.length > 0) pushLine();
        if (ww <= avail() + 0.01) {
          cur.push(...tok.pieces);
          curW = ww;
        } else {
          // A word wider than a whole line (a URL, a long code): break after "-", "/", "?",
          // "&" or "=" where possible, else between graphemes.
          for (const part of softParts(tok.pieces)) {
            const pw = this.measure(part.text, part.style, size);
            if (cur.length > 0 && curW + pw > avail() + 0.01) pushLine();
            if (pw <= avail() + 0.01) {
              cur.push(part);
              curW += pw;
              continue;
            }
            for (const { segment } of graphemes.segment(part.text)) {
              const gw = this.measure(segment, part.style, size);
              if (cur.length > 0 && curW + gw > avail() + 0.01) pushLine();
              cur.push({ text: segment, style: part.style });
              curW += gw;
            }
          }
        }
      }
      pendingSpace = null;
    }
    if (cur.length > 0 || lines.length === 0) pushLine();
    return lines;
  }

  private tokenize(rich: Rich, style: FontStyle): Token[] {
    const runs: Run[] = typeof rich === 'string' ? [{ text: rich, style }] : rich;
    const tokens: Token[] = [];
    for (const run of runs) {
      const runStyle = run.style ?? style;
      const text = this.clean(run.text, runStyle);
      // A word keeps a following " ₫" so that an amount never breaks before its sign.
      for (const m of text.matchAll(/\n| +|[^\s]+(?: ₫)?/g)) {
        const s = m[0];
        if (s === '\n') tokens.push({ kind: 'break' });
        else if (s.startsWith(' ')) tokens.push({ kind: 'space', style: runStyle });
        else {
          const last = tokens[tokens.length - 1];
          // Text continuing across runs with no space between stays one word.
          if (last?.kind === 'word' && m.index === 0) last.pieces.push({ text: s, style: runStyle });
          else tokens.push({ kind: 'word', pieces: [{ text: s, style: runStyle }] });
        }
      }
    }
    return tokens;
  }

  private finishLine(pieces: Piece[], size: number): Line {
    const merged: Piece[] = [];
    for (const p of pieces) {
      const last = merged[merged.length - 1];
      if (last && last.style === p.style) last.text += p.text;
      else merged.push({ ...p });
    }
    const width = merged.reduce((s, p) => s + this.measure(p.text, p.style, size), 0);
    return { pieces: merged, width };
  }

  /** Draws one line whose box starts at `top`. */
  private drawLine(line: Line, x: number, top: number, size: number, lh: number): void {
    const baseline = top - (lh - size * (ASCENT + DESCENT)) / 2 - size * ASCENT;
    let cx = x;
    for (const p of line.pieces) {
      this.page.drawText(p.text, { x: cx, y: baseline, size, font: this.fonts[p.style], color: BLACK });
      cx += this.measure(p.text, p.style, size);
    }
  }

  private lineX(line: Line, x: number, width: number, align: Align, offset: number): number {
    if (align === 'center') return x + (width - line.width) / 2;
    if (align === 'right') return x + width - line.width;
    return x + offset;
  }

  /** Flowing text at the cursor: lines go on to the next page when the page is full. */
  paragraph(rich: Rich, o: TextOptions = {}): void {
    const size = o.size ?? this.defaultSize;
    const lh = this.lineHeight(size, o.leading);
    const x = o.x ?? this.left;
    const width = o.width ?? this.right - this.inset - x;
    const lines = this.layoutText(rich, width, size, o);
    lines.forEach((line, i) => {
      this.ensure(lh);
      const offset = i === 0 ? (o.indent ?? 0) : (o.hanging ?? 0);
      this.drawLine(line, this.lineX(line, x, width, o.align ?? 'left', offset), this.y, size, lh);
      this.y -= lh;
    });
  }

  private layoutText(rich: Rich, width: number, size: number, o: TextOptions): Line[] {
    const at = (w: number) => this.wrap(rich, w - (o.hanging ?? 0), size, o.style, w - (o.indent ?? 0));
    const lines = at(width);
    if (!o.balanced || lines.length < 2) return lines;
    let lo = width / 2;
    let hi = width;
    let best = lines;
    for (let k = 0; k < 12; k++) {
      const mid = (lo + hi) / 2;
      const trial = at(mid);
      if (trial.length === lines.length) {
        best = trial;
        hi = mid;
      } else lo = mid;
    }
    return best;
  }

  /** Height that `block` would take. */
  measureBlock(rich: Rich, width: number, o: TextOptions = {}): number {
    const size = o.size ?? this.defaultSize;
    return this.layoutText(rich, width, size, o).length * this.lineHeight(size, o.leading);
  }

  /**
   * Text in a fixed box whose top is at `top` (no page break: check the height with
   * `measureBlock` and `ensure` first). Returns the height used.
   */
  block(rich: Rich, x: number, top: number, width: number, o: TextOptions = {}): number {
    const size = o.size ?? this.defaultSize;
    const lh = this.lineHeight(size, o.leading);
    const lines = this.layoutText(rich, width, size, o);
    lines.forEach((line, i) => {
      const offset = i === 0 ? (o.indent ?? 0) : (o.hanging ?? 0);
      this.drawLine(line, this.lineX(line, x, width, o.align ?? 'left', offset), top - i * lh, size, lh);
    });
    return lines.length * lh;
  }

  /** Width of the widest line of `rich` when unwrapped. */
  naturalWidth(rich: Rich, size = this.defaultSize, style: FontStyle = 'regular'): number {
    return Math.max(...this.wrap(rich, Number.POSITIVE_INFINITY, size, style).map((l) => l.width));
  }

  hline(x1: number, x2: number, y: number, thickness = 0.6): void {
    this.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness, color: BLACK });
  }

  /**
   * A bordered table across the content width. The header row is repeated on every page the
   * table reaches; a row taller than a whole page is split between pages.
   */
  table(columns: Column[], rows: Rich[][], o: TableOptions = {}): void {
    const size = o.size ?? this.defaultSize - 1;
    const headerSize = o.headerSize ?? size;
    const pad = o.padding ?? 3;
    const totalWeight = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => (c.weight / totalWeight) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));

    const layoutRow = (cells: Rich[], cellSize: number, style: FontStyle) =>
      cells.map((cell, i) => this.wrap(cell, widths[i]! - 2 * pad, cellSize, style));
    const header = layoutRow(
      columns.map((c) => c.header),
      headerSize,
      'bold',
    );
    const numbers = o.numberRow ? layoutRow(columns.map((_, i) => `(${i + 1})`), size - 1, 'italic') : undefined;
    const rowHeight = (cells: Line[][], s: number) =>
      Math.max(...cells.map((l) => l.length)) * this.lineHeight(s, 1.2) + 2 * pad;
    const headerHeight = rowHeight(header, headerSize) + (numbers ? rowHeight(numbers, size - 1) : 0);

    const drawHeader = () => {
      this.drawRow(header, xs, widths, headerSize, pad, columns.map(() => 'center'));
      if (numbers) this.drawRow(numbers, xs, widths, size - 1, pad, columns.map(() => 'center'));
    };

    const body = rows.map((r) => layoutRow(r, size, 'regular'));
    const firstHeight = body[0] ? rowHeight(body[0], size) : 0;
    this.ensure(headerHeight + Math.min(firstHeight, this.top - this.bottom - headerHeight));
    drawHeader();
    const aligns = columns.map((c) => c.align ?? 'left');
    for (const cells of body) {
      let remaining = cells;
      for (;;) {
        const h = rowHeight(remaining, size);
        if (h <= this.y - this.bottom + 0.01) {
          this.drawRow(remaining, xs, widths, size, pad, aligns);
          break;
        }
        const fresh = this.top - this.bottom - headerHeight;
        const lh = this.lineHeight(size, 1.2);
        const fit = Math.floor((this.y - this.bottom - 2 * pad) / lh);
        if (h <= fresh || fit < 1) {
          this.addPage();
          drawHeader();
          continue;
        }
        // Taller than a whole page: draw what fits, continue on the next page.
        this.drawRow(
          remaining.map((l) => l.slice(0, fit)),
          xs,
          widths,
          size,
          pad,
          aligns,
          true,
        );
        remaining = remaining.map((l) => l.slice(fit));
        this.addPage();
        drawHeader();
      }
    }
  }

  private drawRow(
    cells: Line[][],
    xs: number[],
    widths: number[],
    size: number,
    pad: number,
    aligns: Align[],
    topAligned = false,
  ): void {
    const lh = this.lineHeight(size, 1.2);
    const height = Math.max(...cells.map((l) => l.length)) * lh + 2 * pad;
    const top = this.y;
    cells.forEach((lines, i) => {
      const x = xs[i]!;
      const w = widths[i]!;
      this.page.drawRectangle({
        x,
        y: top - height,
        width: w,
        height,
        borderColor: BLACK,
        borderWidth: 0.6,
      });
      const offset = topAligned ? 0 : (height - 2 * pad - lines.length * lh) / 2;
      lines.forEach((line, k) => {
        const lx = this.lineX(line, x + pad, w - 2 * pad, aligns[i] ?? 'left', 0);
        this.drawLine(line, lx, top - pad - offset - k * lh, size, lh);
      });
    });
    this.y = top - height;
  }

  /** A white square with the dark modules of a QR code drawn as one vector path. */
  qr(modules: { size: number; get(row: number, col: number): number | boolean }, x: number, top: number, side: number): void {
    const quiet = 4;
    const n = modules.size;
    const unit = side / (n + 2 * quiet);
    this.page.drawRectangle({ x, y: top - side, width: side, height: side, color: WHITE });
    let path = '';
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!modules.get(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && modules.get(r, c)) c++;
        path += `M${start + quiet} ${r + quiet}h${c - start}v1h${start - c}z`;
      }
    }
    // drawSvgPath measures y downwards from the given origin.
    this.page.drawSvgPath(path, { x, y: top, scale: unit, color: BLACK, borderWidth: 0 });
  }

  /** Writes page numbers once all pages exist. */
  numberPages(format: (index: number, total: number) => string | undefined, align: Align = 'center', size = 11): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const label = format(i, pages.length);
      if (!label) return;
      const text = this.clean(label, 'regular');
      const w = this.measure(text, 'regular', size);
      const x = align === 'center' ? (this.pageSize[0] - w) / 2 : align === 'right' ? this.right - w : this.left;
      page.drawText(text, { x, y: this.pageSize[1] - this.margins.top / 2 - size / 3, size, font: this.fonts.regular, color: BLACK });
    });
  }
}
