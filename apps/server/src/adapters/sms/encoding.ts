/**
 * Splitting a text into SMS parts. Vietnamese needs UCS-2 (data_coding 8): 70 UTF-16 units in a
 * single message, 67 per part once a concatenation header (UDH, 6 octets) is added. Text made
 * only of the GSM 03.38 basic alphabet goes as the SMSC default alphabet (data_coding 0): 160
 * characters, 153 per part. Pure functions.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSplit {
  encoding: SmsEncoding;
  /** SMPP data_coding: 0 (SMSC default alphabet) or 8 (UCS-2). */
  dataCoding: 0 | 8;
  parts: string[];
}

// The GSM 03.38 basic character set (no escape-table characters such as [ ] { } ~ ^ \ | €).
const GSM_BASIC = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

export const SMS_LIMITS = { gsm7: { single: 160, part: 153 }, ucs2: { single: 70, part: 67 } } as const;
/** More parts than this is a template mistake, not a message (and costs 10 SMS). */
export const MAX_SMS_PARTS = 10;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Splits `text` (normalised to NFC) into parts that each fit one SMS with a concatenation header. */
export function splitSms(text: string): SmsSplit {
  const t = text.normalize('NFC');
  const encoding: SmsEncoding = GSM_BASIC.test(t) ? 'gsm7' : 'ucs2';
  const limits = SMS_LIMITS[encoding];
  const dataCoding = encoding === 'gsm7' ? 0 : 8;
  if (t.length <= limits.single) return { encoding, dataCoding, parts: [t] };
  const parts: string[] = [];
  let i = 0;
  while (i < t.length) {
    let end = Math.min(i + limits.part, t.length);
    // Never split a surrogate pair (an emoji) across two parts.
    if (end < t.length && isHighSurrogate(t.charCodeAt(end - 1))) end -= 1;
    parts.push(t.slice(i, end));
    i = end;
  }
  return { encoding, dataCoding, parts };
}

/** The 8-bit concatenation UDH (IEI 0x00): reference, total parts, this part's number (1-based). */
export function concatUdh(ref: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}

/** Reads a concatenation UDH (8- or 16-bit reference) from the start of a short_message. */
export function readConcatUdh(udh: Buffer): { ref: number; total: number; seq: number } | null {
  let i = 1;
  while (i + 1 < udh.length) {
    const iei = udh[i]!;
    const len = udh[i + 1]!;
    if (iei === 0x00 && len === 3) return { ref: udh[i + 2]!, total: udh[i + 3]!, seq: udh[i + 4]! };
    if (iei === 0x08 && len === 4) return { ref: (udh[i + 2]! << 8) | udh[i + 3]!, total: udh[i + 4]!, seq: udh[i + 5]! };
    i += 2 + len;
  }
  return null;
}

/**
 * A Vietnamese mobile number in international form without '+', as SMS gateways want it
 * (0912345678 → 84912345678). Returns null for anything that is not a Vietnamese mobile number.
 */
export function toMsisdn(phone: string): string | null {
  const digits = phone.replace(/[\s.-]/g, '');
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(digits);
  return m ? `84${m[1]}` : null;
}
