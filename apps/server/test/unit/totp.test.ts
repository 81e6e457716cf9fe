import { describe, expect, it } from 'vitest';
import { generateSync } from 'otplib';
import { base32Decode, base32Encode, hotp, newTotpSecret, totpCode, verifyTotp, totpStep } from '../../src/modules/identity/totp.ts';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 4226 test vectors', () => {
    const key = Buffer.from('12345678901234567890');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, i) => expect(hotp(key, i)).toBe(code));
  });

  it('agrees with an independent implementation (otplib) on fresh secrets', () => {
    for (let i = 0; i < 20; i++) {
      const secret = newTotpSecret();
      expect(totpCode(secret)).toBe(generateSync({ secret }));
    }
  });

  it('round-trips base32', () => {
    const buf = Buffer.from('motcua một cửa');
    expect(base32Decode(base32Encode(buf)).equals(buf)).toBe(true);
  });

  it('accepts a code once, and one step of clock drift either side', () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 10, 27, 3, 0, 10);
    const step = verifyTotp(secret, totpCode(secret, now), null, now);
    expect(step).toBe(totpStep(now));
    expect(verifyTotp(secret, totpCode(secret, now), step, now)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), null, now)).toBe(totpStep(now) - 1);
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), step, now)).toBe(totpStep(now) + 1);
  });

  it('refuses expired codes and non-codes', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    expect(verifyTotp(secret, totpCode(secret, now - 120_000), null, now)).toBeNull();
    expect(verifyTotp(secret, '12345', null, now)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', null, now)).toBeNull();
  });
});
