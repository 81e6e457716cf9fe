import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateLine,
  formatDateTime,
  formatDateTimeLong,
  formatTime,
  formatVnd,
} from '../../../src/modules/documents/index.ts';

describe('formatVnd', () => {
  it('groups thousands with dots and appends the đồng sign', () => {
    expect(formatVnd(1_250_000)).toBe('1.250.000 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
    expect(formatVnd(1000)).toBe('1.000 ₫');
    expect(formatVnd(1_000_000_000)).toBe('1.000.000.000 ₫');
    expect(formatVnd(-50_000)).toBe('-50.000 ₫');
  });

  it('rounds to the whole đồng and refuses non-finite amounts', () => {
    expect(formatVnd(12_345.6)).toBe('12.346 ₫');
    expect(formatVnd(-0.2)).toBe('0 ₫');
    expect(() => formatVnd(Number.NaN)).toThrow(RangeError);
    expect(() => formatVnd(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('dates in the province (UTC+7)', () => {
  it('prints dd/mm/yyyy and HH:mm seven hours ahead of UTC', () => {
    const d = new Date('2025-03-05T01:35:00Z');
    expect(formatDate(d)).toBe('05/03/2025');
    expect(formatTime(d)).toBe('08:35');
    expect(formatDateTime(d)).toBe('08:35 05/03/2025');
    expect(formatDateTimeLong(d)).toBe('08:35, ngày 05/03/2025');
  });

  it('moves to the next day after 17:00 UTC, whatever the machine time zone', () => {
    const d = new Date('2024-12-31T17:00:00Z');
    expect(formatDate(d)).toBe('01/01/2025');
    expect(formatTime(d)).toBe('00:00');
    expect(formatDate(new Date('2024-12-31T16:59:59Z'))).toBe('31/12/2024');
  });

  it('rejects an invalid Date', () => {
    expect(() => formatDate(new Date('nope'))).toThrow(RangeError);
  });
});

describe('formatDateLine (Decree 30/2020)', () => {
  const at = (iso: string) => new Date(`${iso}T03:00:00Z`);

  it('puts a leading zero on days below 10', () => {
    expect(formatDateLine('Khánh Hòa', at('2025-03-05'))).toBe('Khánh Hòa, ngày 05 tháng 3 năm 2025');
    expect(formatDateLine('Khánh Hòa', at('2025-11-20'))).toBe('Khánh Hòa, ngày 20 tháng 11 năm 2025');
  });

  it('puts a leading zero on January and February only', () => {
    expect(formatDateLine('Khánh Hòa', at('2025-01-01'))).toBe('Khánh Hòa, ngày 01 tháng 01 năm 2025');
    expect(formatDateLine('Khánh Hòa', at('2025-02-15'))).toBe('Khánh Hòa, ngày 15 tháng 02 năm 2025');
    expect(formatDateLine('Khánh Hòa', at('2025-09-02'))).toBe('Khánh Hòa, ngày 02 tháng 9 năm 2025');
    expect(formatDateLine('Khánh Hòa', at('2025-12-31'))).toBe('Khánh Hòa, ngày 31 tháng 12 năm 2025');
  });

  it('uses the date in UTC+7', () => {
    expect(formatDateLine('Nha Trang', new Date('2025-02-28T18:00:00Z'))).toBe('Nha Trang, ngày 01 tháng 3 năm 2025');
  });
});
