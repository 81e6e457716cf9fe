import { describe, it, expect } from 'vitest';
import {
  CalendarError,
  applyOverrides,
  dayLookupFrom,
  defaultHolidays,
  vietnamDayLookup,
  type Holiday,
} from '../../../src/modules/calendar/index.ts';

/** `date` for a holiday, `date*` for a compensatory day. */
function summary(holidays: readonly Holiday[]): string[] {
  return holidays.map((h) => (h.kind === 'compensatory' ? `${h.date}*` : h.date));
}

function weekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
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

describe('defaultHolidays', () => {
  it('2026: no holiday on a weekday except Hùng Kings (Sunday 26/4), made up on Monday 27/4', () => {
    expect(summary(defaultHolidays(2026))).toEqual([
      '2026-01-01',
      // Tết: 29 tháng Chạp (the lunar year's last day) and mùng 1–4, Monday to Friday.
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-27*',
      '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02',
    ]);
  });

  it('names each day in Vietnamese and English', () => {
    const holidays = defaultHolidays(2026);
    expect(holidays.find((h) => h.date === '2026-02-16')?.name).toEqual({
      vi: 'Tết Âm lịch (ngày cuối năm)',
      en: "Lunar New Year (New Year's Eve)",
    });
    expect(holidays.find((h) => h.date === '2026-02-17')?.name.vi).toBe('Tết Âm lịch (mùng 1)');
    expect(holidays.find((h) => h.date === '2026-04-27')).toEqual({
      date: '2026-04-27',
      kind: 'compensatory',
      name: {
        vi: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)',
        en: "Compensatory day off: Hùng Kings' Commemoration Day",
      },
    });
  });

  it('2024: Tết Saturday and Sunday give Wednesday 14 and Thursday 15 Feb; 1 Sept Sunday gives 3 Sept', () => {
    expect(summary(defaultHolidays(2024))).toEqual([
      '2024-01-01',
      '2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14*', '2024-02-15*',
      '2024-04-18',
      '2024-04-30', '2024-05-01',
      '2024-09-01', '2024-09-02', '2024-09-03*',
    ]);
  });

  it('2025: mùng 4 Tết on Saturday 1 Feb gives Monday 3 Feb', () => {
    const holidays = defaultHolidays(2025);
    expect(summary(holidays).slice(0, 7)).toEqual([
      '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-03*',
    ]);
    expect(holidays).toHaveLength(12);
  });

  it('2027: Tết weekend and 1 May on Saturday', () => {
    expect(summary(defaultHolidays(2027))).toEqual([
      '2027-01-01',
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10*', '2027-02-11*',
      '2027-04-16',
      '2027-04-30', '2027-05-01', '2027-05-03*',
      '2027-09-01', '2027-09-02',
    ]);
  });

  it('1 January on a weekend: the next Monday (2022 Saturday, 2023 Sunday)', () => {
    expect(summary(defaultHolidays(2022)).slice(0, 2)).toEqual(['2022-01-01', '2022-01-03*']);
    expect(summary(defaultHolidays(2023)).slice(0, 2)).toEqual(['2023-01-01', '2023-01-02*']);
  });

  it('takes 3 September instead of 1 September when asked', () => {
    const holidays = summary(defaultHolidays(2026, { nationalDayAdjacent: 'after' }));
    expect(holidays.slice(-2)).toEqual(['2026-09-02', '2026-09-03']);
    // 2029: 2 September is a Sunday, 3 September a Monday: the compensatory day is Tuesday 4.
    expect(summary(defaultHolidays(2029, { nationalDayAdjacent: 'after' })).slice(-3)).toEqual([
      '2029-09-02', '2029-09-03', '2029-09-04*',
    ]);
    // With 1 September (Saturday) and 2 September (Sunday) both on the weekend: Monday and Tuesday.
    expect(summary(defaultHolidays(2029)).slice(-4)).toEqual([
      '2029-09-01', '2029-09-02', '2029-09-03*', '2029-09-04*',
    ]);
  });

  it('gives a compensatory day when Hùng Kings falls on 30 April (1947)', () => {
    const holidays = defaultHolidays(1947);
    const april30 = holidays.filter((h) => h.date === '1947-04-30');
    expect(april30).toHaveLength(1);
    expect(april30[0]?.name.en).toBe("Hùng Kings' Commemoration Day");
    // 30 April 1947 was a Wednesday, 1 May a holiday: the day owed is Friday 2 May.
    expect(holidays.find((h) => h.date === '1947-05-02')).toMatchObject({
      kind: 'compensatory',
      name: { en: 'Compensatory day off: Reunification Day (30 April)' },
    });
  });

  it('honours other rest days (a six-day week resting only on Sunday)', () => {
    // 2024: Tết's Saturday is then a working day; only Sunday 11 Feb needs making up.
    expect(summary(defaultHolidays(2024, { restDays: [7] })).slice(1, 7)).toEqual([
      '2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14*',
    ]);
  });

  it('holds for every year 1990–2100: 11 law days, one compensatory day per law day on a weekend', () => {
    for (let year = 1990; year <= 2100; year++) {
      const holidays = defaultHolidays(year);
      const dates = holidays.map((h) => h.date);
      expect(new Set(dates).size, `${year}`).toBe(dates.length);
      expect([...dates].sort()).toEqual(dates);
      expect(dates.every((d) => d.startsWith(`${year}-`))).toBe(true);
      const law = holidays.filter((h) => h.kind === 'holiday');
      const compensatory = holidays.filter((h) => h.kind === 'compensatory');
      expect(law, `${year}`).toHaveLength(11);
      expect(compensatory, `${year}`).toHaveLength(law.filter((h) => weekday(h.date) >= 6).length);
      for (const day of compensatory) expect(weekday(day.date), day.date).toBeLessThanOrEqual(5);
    }
  });
});

describe('applyOverrides', () => {
  it('Tết 2020 as the government announced it: 23 to 29 January, a day before Tết instead of after', () => {
    // The notice gave civil servants Thursday 23/1 (29 Chạp) to Wednesday 29/1 (mùng 5).
    // The law alone gives 24–28/1 with Saturday 25 and Sunday 26 made up on 29 and 30.
    const defaults = defaultHolidays(2020);
    expect(summary(defaults).slice(1, 8)).toEqual([
      '2020-01-24', '2020-01-25', '2020-01-26', '2020-01-27', '2020-01-28', '2020-01-29*', '2020-01-30*',
    ]);
    const days = applyOverrides(defaults, [
      { date: '2020-01-23', kind: 'day_off', name: { vi: 'Nghỉ Tết (29 tháng Chạp)', en: 'Tết (29th of the 12th month)' } },
      { date: '2020-01-30', kind: 'remove' },
    ]);
    const tet = days.daysOff.filter((d) => d.date.startsWith('2020-01-2') || d.date.startsWith('2020-01-3'));
    expect(tet.map((d) => `${d.date}:${d.kind}`)).toEqual([
      '2020-01-23:day_off',
      '2020-01-24:holiday', '2020-01-25:holiday', '2020-01-26:holiday', '2020-01-27:holiday',
      '2020-01-28:holiday', '2020-01-29:compensatory',
    ]);
    expect(days.workingDays).toEqual([]);
  });

  it('a swapped Saturday: a weekday off, a Saturday worked', () => {
    const days = applyOverrides(defaultHolidays(2026), [
      { date: '2026-02-21', kind: 'working_day' },
      { date: '2026-02-13', kind: 'day_off' },
    ]);
    expect(days.workingDays).toEqual([
      { date: '2026-02-21', name: { vi: 'Ngày làm việc bù', en: 'Make-up working day' } },
    ]);
    expect(days.daysOff.find((d) => d.date === '2026-02-13')).toEqual({
      date: '2026-02-13',
      kind: 'day_off',
      name: { vi: 'Ngày nghỉ theo thông báo', en: 'Day off by official notice' },
    });
  });

  it('a working_day on a computed day removes it from the days off', () => {
    const days = applyOverrides(defaultHolidays(2026), [{ date: '2026-04-27', kind: 'working_day' }]);
    expect(days.daysOff.some((d) => d.date === '2026-04-27')).toBe(false);
    expect(days.workingDays.map((d) => d.date)).toEqual(['2026-04-27']);
  });

  it('a day_off on a computed day keeps its kind and takes the new name', () => {
    const name = { vi: 'Tết Dương lịch', en: 'New Year' };
    const days = applyOverrides(defaultHolidays(2026), [{ date: '2026-01-01', kind: 'day_off', name }]);
    expect(days.daysOff[0]).toEqual({ date: '2026-01-01', kind: 'holiday', name });
  });

  it('does not change the defaults it was given', () => {
    const defaults = defaultHolidays(2026);
    const copy = structuredClone(defaults);
    applyOverrides(defaults, [{ date: '2026-01-01', kind: 'day_off', name: { vi: 'x', en: 'x' } }]);
    expect(defaults).toEqual(copy);
  });

  it('refuses two overrides for one date, removing nothing, and malformed dates', () => {
    const defaults = defaultHolidays(2026);
    expectCalendarError(
      () => applyOverrides(defaults, [
        { date: '2026-02-21', kind: 'working_day' },
        { date: '2026-02-21', kind: 'day_off' },
      ]),
      'calendar_override_conflict',
    );
    expectCalendarError(() => applyOverrides(defaults, [{ date: '2026-04-28', kind: 'remove' }]), 'calendar_override_nothing_to_remove');
    expectCalendarError(() => applyOverrides(defaults, [{ date: '2026-02-30', kind: 'day_off' }]), 'calendar_invalid_date');
    expectCalendarError(() => applyOverrides(defaults, [{ date: '21/02/2026', kind: 'day_off' }]), 'calendar_invalid_date');
  });
});

describe('day lookups', () => {
  it('dayLookupFrom answers for listed days only', () => {
    const lookup = dayLookupFrom({
      daysOff: [{ date: '2026-02-13', kind: 'day_off', name: { vi: 'a', en: 'a' } }],
      workingDays: [{ date: '2026-02-21', name: { vi: 'b', en: 'b' } }],
    });
    expect(lookup('2026-02-13')).toBe('day_off');
    expect(lookup('2026-02-21')).toBe('working_day');
    expect(lookup('2026-02-12')).toBeUndefined();
  });

  it('vietnamDayLookup computes any year and applies each override to its own year', () => {
    const lookup = vietnamDayLookup({
      overrides: [
        { date: '2026-02-21', kind: 'working_day' },
        { date: '2027-02-10', kind: 'remove' },
      ],
    });
    expect(lookup('2026-02-17')).toBe('day_off');
    expect(lookup('2026-02-21')).toBe('working_day');
    expect(lookup('2027-02-10')).toBeUndefined();
    expect(lookup('2027-02-11')).toBe('day_off');
    expect(lookup('2031-01-23')).toBe('day_off'); // Tết 2031
    expect(lookup('2026-03-10')).toBeUndefined();
  });

  it('vietnamDayLookup rejects a bad notice when built, not when first used', () => {
    expectCalendarError(
      () => vietnamDayLookup({ overrides: [{ date: '2030-03-03', kind: 'remove' }] }),
      'calendar_override_nothing_to_remove',
    );
  });
});
