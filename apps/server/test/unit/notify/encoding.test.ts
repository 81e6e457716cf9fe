import { describe, expect, it } from 'vitest';
import { concatUdh, readConcatUdh, splitSms, toMsisdn } from '../../../src/adapters/sms/index.ts';

describe('SMS encoding and parts', () => {
  it('Vietnamese is UCS-2: 70 characters fit one SMS, 71 need two parts of at most 67', () => {
    expect(splitSms('ă'.repeat(70))).toMatchObject({ encoding: 'ucs2', dataCoding: 8, parts: ['ă'.repeat(70)] });
    const two = splitSms('ă'.repeat(71));
    expect(two.parts.map((p) => p.length)).toEqual([67, 4]);
    expect(splitSms('ệ'.repeat(200)).parts.map((p) => p.length)).toEqual([67, 67, 66]);
  });

  it('plain text uses the GSM alphabet: 160 characters, then parts of 153', () => {
    expect(splitSms('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', dataCoding: 0, parts: ['a'.repeat(160)] });
    expect(splitSms('a'.repeat(161)).parts.map((p) => p.length)).toEqual([153, 8]);
    expect(splitSms('Ma ho so [01]').encoding).toBe('ucs2'); // [ ] are escape characters: kept safe in UCS-2
  });

  it('normalises to NFC (decomposed input counts as composed) and never splits a surrogate pair', () => {
    const decomposed = 'Khánh Hòa'.normalize('NFD');
    expect(splitSms(decomposed).parts[0]).toBe('Khánh Hòa'.normalize('NFC'));
    const text = `${'a'.repeat(66)}😀${'b'.repeat(10)}ư`;
    const parts = splitSms(text).parts;
    expect(parts.join('')).toBe(text);
    expect(parts[0]!.endsWith('a')).toBe(true);
  });

  it('writes and reads the concatenation header', () => {
    const udh = concatUdh(200, 3, 2);
    expect([...udh]).toEqual([5, 0, 3, 200, 3, 2]);
    expect(readConcatUdh(udh)).toEqual({ ref: 200, total: 3, seq: 2 });
    expect(readConcatUdh(Buffer.from([6, 8, 4, 1, 2, 3, 1]))).toEqual({ ref: 258, total: 3, seq: 1 });
  });

  it('accepts Vietnamese mobile numbers only, in international form', () => {
    expect(toMsisdn('0912 345 678')).toBe('84912345678');
    expect(toMsisdn('+84912345678')).toBe('84912345678');
    expect(toMsisdn('0212345678')).toBeNull();
    expect(toMsisdn('12345')).toBeNull();
  });
});
