import { describe, expect, it } from 'vitest';
import { checkPersonalId, maskPersonalId, normaliseEmail, normalisePhone, passwordProblems } from '../../src/modules/identity/validators.ts';

describe('passwords (ASVS 5.0)', () => {
  it('refuses fewer than 8 characters, counting Vietnamese letters as one each', () => {
    expect(passwordProblems('1234567')).toHaveLength(1);
    expect(passwordProblems('mậtkhẩu')).toHaveLength(1); // 7 characters
    expect(passwordProblems('mậtkhẩuu')).toHaveLength(0);
  });
  it('accepts 64 and more characters and has no composition rules', () => {
    expect(passwordProblems('a'.repeat(40) + ' trời hôm nay thật đẹp ')).toHaveLength(0);
    expect(passwordProblems('x'.repeat(128))).toHaveLength(0);
    expect(passwordProblems('chỉtoànchữthường')).toHaveLength(0);
  });
  it('refuses common passwords whatever their case, and the account name itself', () => {
    expect(passwordProblems('password')).toHaveLength(1);
    expect(passwordProblems('PASSWORD')).toHaveLength(1);
    expect(passwordProblems('12345678')).toHaveLength(1);
    expect(passwordProblems('iloveyou')).toHaveLength(1);
    expect(passwordProblems('0912345678', 'body.password', ['0912345678'])).toHaveLength(1);
  });
  it('gives the message in Vietnamese and English on the field', () => {
    const [p] = passwordProblems('short');
    expect(p!.path).toBe('body.password');
    expect(p!.message.vi).toMatch(/ít nhất 8 ký tự/);
    expect(p!.message.en).toMatch(/at least 8/);
  });
});

describe('personal ID number (CCCD)', () => {
  it('needs 12 digits and a real province code', () => {
    expect(checkPersonalId('07920301234')).toBe('format');
    expect(checkPersonalId('0792030123a4')).toBe('format');
    expect(checkPersonalId('000203012345')).toBe('province');
    expect(checkPersonalId('999203012345')).toBe('province');
    expect(checkPersonalId('056203012345')).toBe('ok');
  });
  it('checks century/gender digit and birth year against the date of birth', () => {
    expect(checkPersonalId('056090012345', '1990-05-01')).toBe('ok'); // male, 1900s, 90
    expect(checkPersonalId('056190012345', '1990-05-01')).toBe('ok'); // female, 1900s
    expect(checkPersonalId('056203012345', '2003-01-01')).toBe('ok'); // male, 2000s
    expect(checkPersonalId('056303012345', '2003-01-01')).toBe('ok'); // female, 2000s
    expect(checkPersonalId('056203012345', '1903-01-01')).toBe('birth');
    expect(checkPersonalId('056204012345', '2003-01-01')).toBe('birth');
  });
  it('masks the random part', () => {
    expect(maskPersonalId('056203012345')).toBe('056203******');
  });
});

describe('contact details', () => {
  it('normalises Vietnamese mobile numbers', () => {
    expect(normalisePhone('0912 345 678')).toBe('0912345678');
    expect(normalisePhone('+84912345678')).toBe('0912345678');
    expect(normalisePhone('0312345678')).toBe('0312345678');
    expect(normalisePhone('0212345678')).toBeNull();
    expect(normalisePhone('091234567')).toBeNull();
  });
  it('normalises email', () => {
    expect(normaliseEmail(' An@Example.VN ')).toBe('an@example.vn');
    expect(normaliseEmail('not-an-email')).toBeNull();
  });
});
