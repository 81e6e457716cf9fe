/** Reading rendered PDFs back with poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export interface TempDir {
  path: string;
  write(name: string, bytes: Uint8Array): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'motcua-documents-'));
  return {
    path,
    write(name, bytes) {
      const file = join(path, name);
      writeFileSync(file, bytes);
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** `pdftotext -layout` of the whole file or of one page (1-based). */
export function pdfText(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return run('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-']);
}

/** `pdftotext -raw`: text in drawing order, so a wrapped table cell reads as one run. */
export function pdfTextRaw(file: string): string {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
}

/** Whitespace collapsed to single spaces, for sentences that wrap across lines. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function pdfInfo(file: string): { pages: number; width: number; height: number; raw: string } {
  const raw = run('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(raw)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(raw);
  return { pages, width: Number(size?.[1]), height: Number(size?.[2]), raw };
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  unicode: boolean;
}

export function pdfFonts(file: string): FontRow[] {
  // Columns: name, type (may hold spaces), encoding, emb, sub, uni, object number, generation.
  const lines = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const t = line.trim().split(/\s+/);
    return {
      name: t[0]!,
      type: t.slice(1, -6).join(' '),
      embedded: t[t.length - 5] === 'yes',
      unicode: t[t.length - 3] === 'yes',
    };
  });
}

export interface WordBox {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box in points (origin top left), from `pdftotext -bbox`. */
export function wordBoxes(file: string): WordBox[] {
  const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const words: WordBox[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) {
      words.push({
        page,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
      });
    }
  }
  return words;
}

/** One page rasterised with pdftoppm, as RGBA pixels; `heightPx` keeps only the top of it. */
export function rasterise(file: string, page: number, dpi: number, dir: TempDir, heightPx?: number): PNG {
  const prefix = join(dir.path, `raster-${page}-${dpi}-${Math.random().toString(36).slice(2)}`);
  const crop = heightPx ? ['-x', '0', '-y', '0', '-W', '0', '-H', String(heightPx)] : [];
  run('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), ...crop, '-singlefile', file, prefix]);
  return PNG.sync.read(readFileSync(`${prefix}.png`));
}

/** The text of the QR code found in the top half of a page (rasterised at 150 dpi), or undefined. */
export function decodeQr(file: string, page: number, dir: TempDir): string | undefined {
  const png = rasterise(file, page, 150, dir, 880);
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  return code?.data;
}
