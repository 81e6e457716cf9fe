/**
 * A small ASN.1 DER reader and writer: enough for X.509 certificates and CMS SignedData.
 *
 * The reader keeps the exact bytes and offsets of every element, because a signature covers
 * the bytes as they were received (re-encoding a parsed structure could change them). It also
 * reads BER indefinite lengths, which some signers use inside CMS.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One element: its identifier octet, where it sits in the input, and its parsed children. */
export interface Asn1 {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  tag: number;
  constructed: boolean;
  /** The whole element (header and content), as received. */
  bytes: Buffer;
  /** The content octets (for an indefinite length: without the end-of-contents marker). */
  content: Buffer;
  children: Asn1[];
}

const MAX_DEPTH = 64;

function readElement(buf: Buffer, offset: number, depth: number): Asn1 & { end: number } {
  if (depth > MAX_DEPTH) throw new DerError('nesting too deep');
  if (offset + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  const constructed = (tag & 0x20) !== 0;
  let pos = offset + 1;
  const first = buf[pos++]!;
  let length: number | null;
  if (first < 0x80) length = first;
  else if (first === 0x80) length = null;
  else {
    const n = first & 0x7f;
    if (n > 4 || pos + n > buf.length) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
  }
  const children: Asn1[] = [];
  if (length === null) {
    if (!constructed) throw new DerError('indefinite length on a primitive element');
    const start = pos;
    for (;;) {
      if (pos + 2 > buf.length) throw new DerError('missing end of contents');
      if (buf[pos] === 0 && buf[pos + 1] === 0) break;
      const child = readElement(buf, pos, depth + 1);
      children.push(child);
      pos = child.end;
    }
    const end = pos + 2;
    return { tag, constructed, bytes: buf.subarray(offset, end), content: buf.subarray(start, pos), children, end };
  }
  const end = pos + length;
  if (end > buf.length) throw new DerError('element runs past the end of its input');
  const content = buf.subarray(pos, end);
  if (constructed) {
    let p = pos;
    while (p < end) {
      const child = readElement(buf, p, depth + 1);
      if (child.end > end) throw new DerError('child runs past its parent');
      children.push(child);
      p = child.end;
    }
  }
  return { tag, constructed, bytes: buf.subarray(offset, end), content, children, end };
}

/**
 * Parses the element at the start of `buf`. Bytes after it are ignored (a PDF's /Contents is
 * padded with zeros after the signature).
 * @throws DerError when the bytes are not a well-formed element.
 */
export function parseDer(buf: Buffer): Asn1 {
  const { end: _end, ...el } = readElement(buf, 0, 0);
  return strip(el);
}

function strip(el: Asn1): Asn1 {
  return { tag: el.tag, constructed: el.constructed, bytes: el.bytes, content: el.content, children: el.children.map(strip) };
}

/** The length of the element at the start of `buf` (header included). */
export function elementLength(buf: Buffer): number {
  return readElement(buf, 0, 0).end;
}

/** The child at `index`, checked to carry `tag` when given. */
export function child(el: Asn1, index: number, tag?: number): Asn1 {
  const c = el.children[index];
  if (!c) throw new DerError(`missing element ${index}`);
  if (tag !== undefined && c.tag !== tag) throw new DerError(`element ${index}: expected tag 0x${tag.toString(16)}, got 0x${c.tag.toString(16)}`);
  return c;
}

/** A context-specific tag number ([n]) of an element, or null for other classes. */
export const contextTag = (el: Asn1): number | null => ((el.tag & 0xc0) === 0x80 ? el.tag & 0x1f : null);

export function readOid(el: Asn1): string {
  if (el.tag !== TAG.OID) throw new DerError('expected an object identifier');
  const b = el.content;
  if (b.length === 0) throw new DerError('empty object identifier');
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < b.length; i++) {
    value = value * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** An INTEGER as unsigned hex without leading zero octets (serial numbers). */
export function readIntegerHex(el: Asn1): string {
  if (el.tag !== TAG.INTEGER) throw new DerError('expected an integer');
  let b = el.content;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return b.toString('hex').toUpperCase();
}

export function readSmallInt(el: Asn1): number {
  if (el.tag !== TAG.INTEGER || el.content.length > 4) throw new DerError('expected a small integer');
  return el.content.readUIntBE(0, el.content.length);
}

/** Text of a directory string or time (UTF8, Printable, IA5, T61 as Latin-1, BMP as UTF-16BE). */
export function readString(el: Asn1): string {
  switch (el.tag) {
    case TAG.UTF8_STRING:
      return el.content.toString('utf8');
    case TAG.BMP_STRING: {
      const swapped = Buffer.from(el.content);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.UTC_TIME:
    case TAG.GENERALIZED_TIME:
      return el.content.toString('ascii');
    default:
      return el.content.toString('latin1');
  }
}

/** UTCTime (years 1950–2049) or GeneralizedTime, with seconds, in UTC ("Z"). */
export function readTime(el: Asn1): Date {
  const s = readString(el);
  const m = el.tag === TAG.UTC_TIME
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (!m) throw new DerError(`unsupported time ${JSON.stringify(s)}`);
  let year = Number(m[1]);
  if (el.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

// ---------------------------------------------------------------------------------------------
// Writing

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

/** One element from its identifier octet and content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(items));

/** A SET OF, with its members sorted as DER requires (signed attributes are hashed in this form). */
export const setOf = (...items: Buffer[]): Buffer => tlv(TAG.SET, Buffer.concat([...items].sort(Buffer.compare)));

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  if (parts.length < 2 || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new DerError(`bad object identifier ${dotted}`);
  const out: number[] = [];
  const push = (v: number) => {
    const bytes = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) bytes.unshift((x & 0x7f) | 0x80);
    out.push(...bytes);
  };
  push(parts[0]! * 40 + parts[1]!);
  for (const p of parts.slice(2)) push(p);
  return tlv(TAG.OID, Buffer.from(out));
}

/** A non-negative INTEGER from its big-endian magnitude (a zero octet is added when the top bit is set). */
export function unsignedInt(magnitude: Buffer): Buffer {
  let b = magnitude;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  if (b.length === 0) b = Buffer.from([0]);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(TAG.INTEGER, b);
}

export function smallInt(n: number): Buffer {
  const hex = n.toString(16);
  return unsignedInt(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}
export const octets = (b: Buffer): Buffer => tlv(TAG.OCTET_STRING, b);
export const bitString = (b: Buffer): Buffer => tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), b]));
export const nul = (): Buffer => Buffer.from([TAG.NULL, 0]);
export const bool = (v: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s.normalize('NFC'), 'utf8'));
export const printable = (s: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(s, 'ascii'));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** UTCTime until 2049, GeneralizedTime from 2050, as RFC 5280 requires of certificates. */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return y < 2050 ? tlv(TAG.UTC_TIME, Buffer.from(`${pad(y % 100)}${rest}`)) : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${y}${rest}`));
}

/** [n] EXPLICIT: a constructed context-specific element wrapping `inner`. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** [n] IMPLICIT: `el` with its identifier replaced (constructed elements stay constructed). */
export function implicit(n: number, el: Buffer): Buffer {
  const out = Buffer.from(el);
  out[0] = ((el[0]! & 0x20) !== 0 ? 0xa0 : 0x80) | n;
  return out;
}
