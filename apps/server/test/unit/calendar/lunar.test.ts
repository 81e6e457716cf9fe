import { describe, it, expect } from 'vitest';
import {
  CalendarError,
  formatIsoDate,
  lunarMonthsOfYear,
  lunarNewYear,
  lunarToSolar,
  parseIsoDate,
  solarToLunar,
} from '../../../src/modules/calendar/index.ts';
import { newMoonJulianDate, sunLongitude } from '../../../src/modules/calendar/lunar.ts';

const iso = formatIsoDate;
const solar = parseIsoDate;

/** Days after an ISO date, as an ISO date. */
function plusDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

function expectCalendarError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).code).toBe(code);
    return;
  }
  throw new Error(`expected a CalendarError ${code}`);
}

const julianDate = (instant: string): number => Date.parse(instant) / 86_400_000 + 2440587.5;
const instantOf = (jd: number): number => (jd - 2440587.5) * 86_400_000;

describe('astronomy', () => {
  it.each([
    ['2024-01-11T11:57:00Z'],
    ['2025-01-29T12:36:00Z'], // Tết 2025
    ['2026-02-17T12:01:00Z'], // Tết 2026
    ['1985-01-21T02:28:00Z'],
  ])('finds the new moon of %s (published time) within a minute', (published) => {
    const k = Math.round((julianDate(published) - 2451550.09766) / 29.530588861);
    expect(Math.abs(instantOf(newMoonJulianDate(k)) - Date.parse(published))).toBeLessThan(60_000);
  });

  it('explains 2007 and 2030: a new moon between 23:00 and midnight in Vietnam', () => {
    for (const [published, vietnamDay] of [
      ['2007-02-17T16:14:00Z', '2007-02-17'],
      ['2030-02-02T16:07:00Z', '2030-02-02'],
    ] as const) {
      const k = Math.round((julianDate(published) - 2451550.09766) / 29.530588861);
      const vietnamTime = new Date(instantOf(newMoonJulianDate(k)) + 7 * 3_600_000).toISOString();
      expect(vietnamTime.slice(0, 10)).toBe(vietnamDay);
      expect(vietnamTime.slice(11, 13)).toBe('23'); // so it is already the next day at UTC+8
    }
  });

  it('puts the sun at 0° and 270° at the 2024 equinox and solstice (within 0.01°)', () => {
    const equinox = sunLongitude(julianDate('2024-03-20T03:06:00Z'));
    expect(Math.min(equinox, 360 - equinox)).toBeLessThan(0.01);
    expect(Math.abs(sunLongitude(julianDate('2024-12-21T09:20:00Z')) - 270)).toBeLessThan(0.01);
  });
});

describe('Tết Nguyên Đán (lunar 1/1)', () => {
  const known: Record<number, string> = {
    2019: '2019-02-05',
    2020: '2020-01-25',
    2021: '2021-02-12',
    2022: '2022-02-01',
    2023: '2023-01-22',
    2024: '2024-02-10',
    2025: '2025-01-29',
    2026: '2026-02-17',
    2027: '2027-02-06',
  };

  it.each(Object.entries(known))('falls in %s on %s', (year, date) => {
    expect(iso(lunarNewYear(Number(year)))).toBe(date);
    expect(solarToLunar(solar(date))).toEqual({ year: Number(year), month: 1, day: 1, leap: false });
  });

  // Tết 1990–2050 from Hồ Ngọc Đức's published year tables (an independent encoding of the same
  // rules; this code agrees with every month start of them from 1968 to 2053).
  const tet1990to2050 = [
    '1990-01-27', '1991-02-15', '1992-02-04', '1993-01-23', '1994-02-10', '1995-01-31', '1996-02-19',
    '1997-02-07', '1998-01-28', '1999-02-16', '2000-02-05', '2001-01-24', '2002-02-12', '2003-02-01',
    '2004-01-22', '2005-02-09', '2006-01-29', '2007-02-17', '2008-02-07', '2009-01-26', '2010-02-14',
    '2011-02-03', '2012-01-23', '2013-02-10', '2014-01-31', '2015-02-19', '2016-02-08', '2017-01-28',
    '2018-02-16', '2019-02-05', '2020-01-25', '2021-02-12', '2022-02-01', '2023-01-22', '2024-02-10',
    '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-02', '2031-01-23',
    '2032-02-11', '2033-01-31', '2034-02-19', '2035-02-08', '2036-01-28', '2037-02-15', '2038-02-04',
    '2039-01-24', '2040-02-12', '2041-02-01', '2042-01-22', '2043-02-10', '2044-01-30', '2045-02-17',
    '2046-02-06', '2047-01-26', '2048-02-14', '2049-02-02', '2050-01-23',
  ];

  it('matches the published dates for every year 1990–2050', () => {
    const computed = tet1990to2050.map((_, i) => iso(lunarNewYear(1990 + i)));
    expect(computed).toEqual(tet1990to2050);
  });

  it('always falls between 21 January and 20 February (1800–2199)', () => {
    for (let year = 1800; year <= 2199; year++) {
      const tet = iso(lunarNewYear(year)).slice(5);
      expect(tet >= '01-21' && tet <= '02-20', `${year}: ${tet}`).toBe(true);
    }
  });

  it('follows the previous Tết by 12 or 13 lunar months (354–355 or 383–385 days)', () => {
    for (let year = 1900; year < 2150; year++) {
      const days = (Date.parse(iso(lunarNewYear(year + 1))) - Date.parse(iso(lunarNewYear(year)))) / 86_400_000;
      const hasLeap = lunarMonthsOfYear(year).some((m) => m.leap);
      if (hasLeap) expect([383, 384, 385], `${year}`).toContain(days);
      else expect([353, 354, 355], `${year}`).toContain(days);
    }
  });
});

describe('Vietnam (UTC+7) against China (UTC+8)', () => {
  it.each([
    [1985, '1985-01-21', '1985-02-20'],
    [2007, '2007-02-17', '2007-02-18'],
    [2030, '2030-02-02', '2030-02-03'],
    [2053, '2053-02-18', '2053-02-19'],
  ])('Tết %i: %s in Vietnam, %s in China', (year, vietnam, china) => {
    expect(iso(lunarNewYear(year))).toBe(vietnam);
    expect(iso(lunarNewYear(year, 8))).toBe(china);
  });

  it('1985: Vietnam has a whole month more before Tết than China, its leap month comes later', () => {
    // China put the leap month (10) in 1984; Vietnam's computation puts it after Tết, in 1985.
    expect(lunarMonthsOfYear(1984, 8).find((m) => m.leap)?.month).toBe(10);
    expect(lunarMonthsOfYear(1984).some((m) => m.leap)).toBe(false);
    expect(lunarMonthsOfYear(1985).find((m) => m.leap)?.month).toBe(2);
  });

  it('agrees with China on the other years of 2008–2052', () => {
    for (let year = 2008; year <= 2052; year++) {
      if (year === 2030) continue;
      expect(iso(lunarNewYear(year)), `${year}`).toBe(iso(lunarNewYear(year, 8)));
    }
  });
});

describe("Hùng Kings' day (lunar 10/3)", () => {
  it.each([
    [2020, '2020-04-02'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
  ])('%i: %s', (year, date) => {
    expect(iso(lunarToSolar({ year, month: 3, day: 10 }))).toBe(date);
    expect(solarToLunar(solar(date))).toEqual({ year, month: 3, day: 10, leap: false });
  });

  it('2023 has a leap second month, so 10/3 comes late: 29 April', () => {
    expect(iso(lunarToSolar({ year: 2023, month: 3, day: 10 }))).toBe('2023-04-29');
    expect(iso(lunarToSolar({ year: 2023, month: 2, day: 10, leap: true }))).toBe('2023-03-31');
  });
});

describe('leap months', () => {
  const published: Record<number, number> = {
    1990: 5, 1993: 3, 1995: 8, 1998: 5, 2001: 4, 2004: 2, 2006: 7, 2009: 5, 2012: 4, 2014: 9,
    2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5, 2031: 3, 2033: 11, 2036: 6, 2039: 5, 2042: 2,
    2044: 7, 2047: 5, 2050: 3,
  };

  it('are the published ones in 1990–2050, and no other year has one', () => {
    for (let year = 1990; year <= 2050; year++) {
      const leap = lunarMonthsOfYear(year).find((m) => m.leap);
      expect(leap?.month, `${year}`).toBe(published[year]);
    }
  });

  it('number 7 in most 19-year cycles (never fewer than 6 or more than 8)', () => {
    const leapYears = new Set<number>();
    for (let year = 1900; year <= 2199; year++) {
      if (lunarMonthsOfYear(year).some((m) => m.leap)) leapYears.add(year);
    }
    let cyclesOfSeven = 0;
    for (let start = 1900; start + 18 <= 2199; start++) {
      let count = 0;
      for (let year = start; year < start + 19; year++) if (leapYears.has(year)) count++;
      expect(count).toBeGreaterThanOrEqual(6);
      expect(count).toBeLessThanOrEqual(8);
      if (count === 7) cyclesOfSeven++;
    }
    expect(cyclesOfSeven / (2199 - 18 - 1900 + 1)).toBeGreaterThan(0.95);
    expect(leapYears.size).toBe(Math.round((300 * 7) / 19));
  });

  it('2033: leap month 11 (Vietnam) spans the turn of the year', () => {
    const months = lunarMonthsOfYear(2033);
    expect(months.map((m) => `${m.month}${m.leap ? 'L' : ''}`)).toEqual([
      '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '11L', '12',
    ]);
    expect(solarToLunar(solar('2034-01-01'))).toEqual({ year: 2033, month: 11, day: 11, leap: true });
    expect(iso(lunarToSolar({ year: 2033, month: 11, day: 1, leap: true }))).toBe('2033-12-22');
  });

  it('2025: leap sixth month from 25 July', () => {
    expect(solarToLunar(solar('2025-07-25'))).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(solarToLunar(solar('2025-07-24'))).toEqual({ year: 2025, month: 6, day: 30, leap: false });
    expect(solarToLunar(solar('2025-08-23'))).toEqual({ year: 2025, month: 7, day: 1, leap: false });
  });
});

describe('months and days', () => {
  it('every month has 29 or 30 days and starts the day after the previous one ends (1900–2199)', () => {
    let previousEnd: string | undefined;
    for (let year = 1900; year <= 2199; year++) {
      const months = lunarMonthsOfYear(year);
      expect([12, 13]).toContain(months.length);
      for (const month of months) {
        expect([29, 30]).toContain(month.length);
        if (previousEnd !== undefined) expect(iso(month.start)).toBe(previousEnd);
        previousEnd = plusDays(iso(month.start), month.length);
      }
    }
  });

  it('crosses the Gregorian new year inside lunar month 11 or 12 of the previous lunar year', () => {
    expect(solarToLunar(solar('2025-12-31'))).toEqual({ year: 2025, month: 11, day: 12, leap: false });
    expect(solarToLunar(solar('2026-01-01'))).toEqual({ year: 2025, month: 11, day: 13, leap: false });
    // Tết 2026's eve is the 29th of the twelfth month (a 29-day month).
    expect(solarToLunar(solar('2026-02-16'))).toEqual({ year: 2025, month: 12, day: 29, leap: false });
  });

  it.each([1985, 2020, 2023, 2024, 2025, 2026, 2027, 2033, 2050])(
    'round-trips every day of %i and counts days up by one',
    (year) => {
      let day = `${year}-01-01`;
      let previous = solarToLunar(solar(plusDays(day, -1)));
      while (day.startsWith(String(year))) {
        const lunar = solarToLunar(solar(day));
        expect(iso(lunarToSolar(lunar))).toBe(day);
        if (lunar.day === 1) {
          expect(previous.day === 29 || previous.day === 30, day).toBe(true);
        } else {
          expect(lunar).toEqual({ ...previous, day: previous.day + 1 });
        }
        previous = lunar;
        day = plusDays(day, 1);
      }
    },
  );
});

describe('invalid input', () => {
  it('refuses a leap month the year does not have', () => {
    expectCalendarError(() => lunarToSolar({ year: 2026, month: 4, day: 1, leap: true }), 'calendar_invalid_lunar_date');
  });

  it('refuses day 30 of a 29-day month', () => {
    expectCalendarError(() => lunarToSolar({ year: 2025, month: 12, day: 30 }), 'calendar_invalid_lunar_date');
    expect(iso(lunarToSolar({ year: 2025, month: 12, day: 29 }))).toBe('2026-02-16');
  });

  it('refuses impossible dates and years outside 1800–2199', () => {
    expectCalendarError(() => solarToLunar({ y: 2026, m: 2, d: 29 }), 'calendar_invalid_date');
    expectCalendarError(() => lunarToSolar({ year: 2026, month: 13, day: 1 }), 'calendar_invalid_lunar_date');
    expectCalendarError(() => solarToLunar({ y: 1799, m: 6, d: 1 }), 'calendar_invalid_argument');
    expectCalendarError(() => lunarNewYear(2200), 'calendar_invalid_argument');
    expectCalendarError(() => solarToLunar({ y: 2026, m: 1, d: 1 }, 15), 'calendar_invalid_argument');
  });
});
