import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../../http/errors.ts';

/** Vietnamese mobile number: 10 digits starting 03/05/07/08/09, or +84 without the 0. Returns the 0-form. */
export function normalisePhone(raw: string): string | null {
  const s = raw.replace(/[\s.-]/g, '');
  const m = /^(?:\+84|84|0)([35789]\d{8})$/.exec(s);
  return m ? `0${m[1]}` : null;
}

export function normaliseEmail(raw: string): string | null {
  const s = raw.trim().toLowerCase();
  return s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : null;
}

/**
 * Personal identification number (CCCD), 12 digits: 3-digit province code, 1 digit for gender
 * and century, 2 digits of birth year, 6 random digits. Checks the structure (and, when the
 * birth date is known, that century and year agree with it).
 */
export function checkPersonalId(id: string, dateOfBirth?: string | null): 'ok' | 'format' | 'province' | 'birth' {
  if (!/^\d{12}$/.test(id)) return 'format';
  const province = Number(id.slice(0, 3));
  if (province < 1 || province > 96) return 'province';
  const centuryDigit = Number(id[3]);
  if (dateOfBirth) {
    const year = Number(dateOfBirth.slice(0, 4));
    const century = Math.floor(year / 100); // 19 → 0/1, 20 → 2/3, 21 → 4/5 ...
    const expected = (century - 19) * 2;
    if (centuryDigit !== expected && centuryDigit !== expected + 1) return 'birth';
    if (id.slice(4, 6) !== String(year % 100).padStart(2, '0')) return 'birth';
  }
  return 'ok';
}

/** `079203******` style: province, gender/century and birth year visible, the random part hidden. */
export const maskPersonalId = (id: string): string => `${id.slice(0, 6)}******`;

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
for (const p of ['motcua123', 'matkhau123', 'matkhau', '12345678a', 'password1', 'khanhhoa123']) COMMON.add(p);

/** ASVS 5.0 password rules: ≥ 8 characters, at least 64 accepted, no composition rules, common ones refused. */
export function passwordProblems(password: string, path = 'body.password', context: string[] = []): FieldError[] {
  const len = [...password].length;
  if (len < 8)
    return [{ path, message: { vi: 'Mật khẩu cần ít nhất 8 ký tự.', en: 'The password needs at least 8 characters.' } }];
  if (len > 128)
    return [{ path, message: { vi: 'Mật khẩu tối đa 128 ký tự.', en: 'The password may have at most 128 characters.' } }];
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || context.some((c) => c && lower === c.toLowerCase()))
    return [
      {
        path,
        message: {
          vi: 'Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác (một câu dài dễ nhớ là lựa chọn tốt).',
          en: 'This password is too common and easy to guess. Choose another (a long, memorable phrase is a good choice).',
        },
      },
    ];
  return [];
}
