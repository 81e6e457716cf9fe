import { describe, it, expect } from 'vitest';
import {
  CalendarError,
  createWorkingCalendar,
  vietnamDayLookup,
} from '../../../src/modules/calendar/index.ts';

/** An instant written in Vietnam's local time, `YYYY-MM-DD HH:MM`. */
function vn(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+07:00`);
}

/** The local time of an instant, `YYYY-MM-DD HH:MM`. */
function local(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
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

// Default: Monday–Friday, 07:00–11:30 and 13:30–17:00, UTC+7, Vietnam's computed holidays.
// 2026 landmarks: Tết Mon 16 – Fri 20 Feb; Hùng Kings Sun 26 Apr made up Mon 27 Apr;
// 30 Apr Thu and 1 May Fri; 1 Jan Thu.
const calendar = createWorkingCalendar();

describe('the instants themselves', () => {
  it('are UTC Dates in and out, local time only in the rules', () => {
    const due = calendar.addWorkingDays(vn('2026-03-16 09:00'), 1);
    expect(due.toISOString()).toBe('2026-03-17T10:00:00.000Z');
    expect(calendar.localDate(new Date('2026-02-16T18:00:00Z'))).toBe('2026-02-17');
    expect(calendar.utcOffsetMinutes).toBe(420);
    expect(calendar.minutesPerDay).toBe(480);
  });

  it('knows working days and working time', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // Tết
    expect(calendar.isWorkingDay('2026-02-21')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-04-27')).toBe(false); // compensatory
    expect(calendar.isWorkingTime(vn('2026-03-16 07:00'))).toBe(true);
    expect(calendar.isWorkingTime(vn('2026-03-16 11:30'))).toBe(false);
    expect(calendar.isWorkingTime(vn('2026-03-16 13:30'))).toBe(true);
    expect(calendar.isWorkingTime(vn('2026-03-16 17:00'))).toBe(false);
    expect(calendar.isWorkingTime(vn('2026-03-14 09:00'))).toBe(false);
  });

  it('finds the next working start', () => {
    expect(local(calendar.nextWorkingStart(vn('2026-03-16 09:15')))).toBe('2026-03-16 09:15');
    expect(local(calendar.nextWorkingStart(vn('2026-03-16 12:00')))).toBe('2026-03-16 13:30');
    expect(local(calendar.nextWorkingStart(vn('2026-03-13 17:00')))).toBe('2026-03-16 07:00');
    expect(local(calendar.nextWorkingStart(vn('2026-02-13 18:00')))).toBe('2026-02-23 07:00');
  });
});

describe('addWorkingDays: due at the closing time of working day D + n', () => {
  it.each([
    // [received, n, due]
    ['2026-03-16 09:00', 1, '2026-03-17 17:00'], // Monday → Tuesday
    ['2026-03-13 10:00', 1, '2026-03-16 17:00'], // Friday → over the weekend → Monday
    ['2026-03-13 16:59', 1, '2026-03-16 17:00'], // last minute of Friday still counts as Friday
    ['2026-03-13 17:00', 1, '2026-03-17 17:00'], // closing time: counted from Monday
    ['2026-03-14 09:00', 1, '2026-03-17 17:00'], // Saturday (online): counted from Monday
    ['2026-03-16 06:59', 1, '2026-03-17 17:00'], // before opening: counted from that Monday
    ['2026-03-11 12:00', 2, '2026-03-13 17:00'], // lunch break: counted from that afternoon
    ['2026-03-16 09:00', 5, '2026-03-23 17:00'], // a full week
    ['2026-03-16 09:00', 0, '2026-03-16 17:00'], // within the day
    ['2026-03-14 09:00', 0, '2026-03-16 17:00'], // within the day, received on Saturday
  ])('received %s, %i day(s) → %s', (received, n, due) => {
    expect(local(calendar.addWorkingDays(vn(received), n))).toBe(due);
  });

  it.each([
    ['2026-02-12 10:00', 1, '2026-02-13 17:00'],
    ['2026-02-12 10:00', 3, '2026-02-24 17:00'], // Fri 13, then Tết and two weekends, Mon 23, Tue 24
    ['2026-02-13 10:00', 1, '2026-02-23 17:00'],
    ['2026-02-13 10:00', 5, '2026-02-27 17:00'],
    ['2026-02-18 10:00', 1, '2026-02-24 17:00'], // received online on mùng 2 Tết: D is Monday 23
    ['2026-02-02 08:00', 15, '2026-03-02 17:00'], // 15 working days across Tết
  ])('across Tết 2026: received %s, %i day(s) → %s', (received, n, due) => {
    expect(local(calendar.addWorkingDays(vn(received), n))).toBe(due);
  });

  it.each([
    ['2026-04-23 10:00', 1, '2026-04-24 17:00'],
    ['2026-04-24 10:00', 1, '2026-04-28 17:00'], // weekend, then Monday 27 (Hùng Kings, made up)
    ['2026-04-24 10:00', 5, '2026-05-06 17:00'], // Tue 28, Wed 29, [30/4, 1/5, weekend], Mon 4, Tue 5, Wed 6
    ['2026-04-29 15:00', 1, '2026-05-04 17:00'],
    ['2026-04-30 09:00', 1, '2026-05-05 17:00'], // received on the holiday: D is Monday 4 May
  ])('across 26/4–3/5 2026: received %s, %i day(s) → %s', (received, n, due) => {
    expect(local(calendar.addWorkingDays(vn(received), n))).toBe(due);
  });

  it.each([
    ['2025-12-31 10:00', 1, '2026-01-02 17:00'], // 1 January is a holiday
    ['2025-12-30 10:00', 2, '2026-01-02 17:00'],
    ['2026-01-30 10:00', 2, '2026-02-03 17:00'], // end of January, over a weekend
    ['2026-08-31 10:00', 1, '2026-09-03 17:00'], // 1–2 September
    ['2024-02-08 10:00', 1, '2024-02-16 17:00'], // Tết 2024 with two compensatory days (14, 15)
  ])('across month and year ends: received %s, %i day(s) → %s', (received, n, due) => {
    expect(local(calendar.addWorkingDays(vn(received), n))).toBe(due);
  });

  it('closes at the end of the last interval of the schedule', () => {
    const hanoi = createWorkingCalendar({
      schedule: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
    });
    expect(local(hanoi.addWorkingDays(vn('2026-03-13 07:30'), 1))).toBe('2026-03-16 17:30');
  });
});

describe('addWorkingHours', () => {
  it.each([
    ['2026-03-16 10:00', 2, '2026-03-16 14:00'], // 1h30 before lunch, 30 min after
    ['2026-03-16 07:00', 4.5, '2026-03-16 11:30'], // a full morning ends at 11:30, not 13:30
    ['2026-03-16 07:00', 8, '2026-03-16 17:00'],
    ['2026-03-16 12:15', 1, '2026-03-16 14:30'], // from the lunch break
    ['2026-03-13 16:00', 2, '2026-03-16 08:00'], // over the weekend
    ['2026-03-14 10:00', 1, '2026-03-16 08:00'], // from Saturday
    ['2026-02-13 16:00', 2, '2026-02-23 08:00'], // over Tết 2026
    ['2026-04-29 15:00', 4, '2026-05-04 09:00'], // over 30/4–1/5
    ['2025-12-31 16:30', 1, '2026-01-02 07:30'], // over New Year
    ['2026-03-16 10:00', 0.25, '2026-03-16 10:15'],
  ])('%s + %s h → %s', (start, hours, end) => {
    expect(local(calendar.addWorkingHours(vn(start), hours))).toBe(end);
  });

  it('adds nothing for zero, even outside working hours', () => {
    const saturday = vn('2026-03-14 10:00');
    expect(calendar.addWorkingHours(saturday, 0).getTime()).toBe(saturday.getTime());
  });

  it('addWorkingMinutes and workingTimeBetween are inverse (pseudo-random instants of 2025–2027)', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const from = vn('2025-01-01 00:00').getTime();
    for (let i = 0; i < 300; i++) {
      const start = new Date(from + Math.floor(random() * 3 * 365 * 1440) * 60_000);
      const minutes = Math.floor(random() * 20 * 480);
      const end = calendar.addWorkingMinutes(start, minutes);
      expect(calendar.workingTimeBetween(start, end)).toBe(minutes);
      // Earliest such instant: a minute less of working time is not enough.
      if (minutes > 0) expect(calendar.isWorkingTime(new Date(end.getTime() - 60_000))).toBe(true);
    }
  });
});

describe('workingTimeBetween and remaining', () => {
  it.each([
    ['2026-03-16 07:00', '2026-03-16 17:00', 480],
    ['2026-03-16 11:00', '2026-03-16 14:00', 60], // lunch excluded
    ['2026-03-13 16:00', '2026-03-16 08:00', 120], // weekend excluded
    ['2026-02-16 00:00', '2026-02-23 00:00', 0], // the whole Tết week
    ['2025-12-31 16:00', '2026-01-02 08:00', 120], // across the year, 1 January excluded
    ['2026-03-01 00:00', '2026-04-01 00:00', 22 * 480], // March 2026: 22 working days
    ['2026-04-01 00:00', '2026-05-01 00:00', 20 * 480], // April 2026: 22 weekdays − 27/4 − 30/4
    ['2026-01-01 00:00', '2027-01-01 00:00', 250 * 480], // 2026: 261 weekdays − 11 days off
  ])('%s → %s: %i working minutes', (a, b, minutes) => {
    expect(calendar.workingTimeBetween(vn(a), vn(b))).toBe(minutes);
    expect(calendar.workingTimeBetween(vn(b), vn(a))).toBe(minutes === 0 ? 0 : -minutes);
  });

  it('counts what is left before the appointment, then how late it is', () => {
    const due = vn('2026-02-13 17:00');
    expect(calendar.remaining(due, vn('2026-02-13 15:00'))).toBe(120);
    expect(calendar.remaining(due, vn('2026-02-12 15:00'))).toBe(120 + 480);
    expect(calendar.remaining(due, vn('2026-02-13 17:00'))).toBe(0);
    expect(calendar.remaining(due, vn('2026-02-18 10:00'))).toBe(0); // Tết: not late yet
    expect(calendar.remaining(due, vn('2026-02-23 08:00'))).toBe(-60);
    expect(calendar.remaining(due, vn('2026-02-24 14:00'))).toBe(-(480 + 270 + 30)); // Mon 23 + Tue 07:00–14:00
  });

  it('counts fractions of a minute', () => {
    expect(calendar.workingTimeBetween(vn('2026-03-16 09:00'), new Date(vn('2026-03-16 09:00').getTime() + 90_000))).toBe(1.5);
  });
});

describe('extendForPause', () => {
  it('adds back two full working days of waiting for a supplement', () => {
    const due = vn('2026-03-20 17:00');
    const extended = calendar.extendForPause(due, vn('2026-03-17 10:00'), vn('2026-03-19 10:00'));
    expect(local(extended)).toBe('2026-03-24 17:00');
  });

  it('adds back partial days minute by minute', () => {
    const due = vn('2026-03-20 17:00');
    expect(local(calendar.extendForPause(due, vn('2026-03-16 10:00'), vn('2026-03-16 11:30')))).toBe('2026-03-23 08:30');
  });

  it('adds nothing for a pause over a weekend or a holiday', () => {
    const due = vn('2026-03-20 17:00');
    expect(calendar.extendForPause(due, vn('2026-03-14 08:00'), vn('2026-03-15 20:00'))).toEqual(due);
    expect(calendar.extendForPause(due, vn('2026-02-16 07:00'), vn('2026-02-20 17:00'))).toEqual(due);
  });

  it('moves a deadline across Tết 2026', () => {
    // Paused Thu 12 Feb 10:00 → Mon 23 Feb 10:00: 300 + 480 + 180 = 960 minutes, two days.
    const due = vn('2026-02-24 17:00');
    expect(calendar.workingTimeBetween(vn('2026-02-12 10:00'), vn('2026-02-23 10:00'))).toBe(960);
    expect(local(calendar.extendForPause(due, vn('2026-02-12 10:00'), vn('2026-02-23 10:00')))).toBe('2026-02-26 17:00');
  });

  it('refuses a pause that ends before it starts', () => {
    expectCalendarError(
      () => calendar.extendForPause(vn('2026-03-20 17:00'), vn('2026-03-17 10:00'), vn('2026-03-16 10:00')),
      'calendar_invalid_argument',
    );
  });
});

describe('configuration', () => {
  it('works a swapped Saturday and rests on an extra day off', () => {
    const withNotice = createWorkingCalendar({
      days: vietnamDayLookup({
        overrides: [
          { date: '2026-03-14', kind: 'working_day' },
          { date: '2026-03-18', kind: 'day_off' },
        ],
      }),
    });
    expect(local(withNotice.addWorkingDays(vn('2026-03-13 10:00'), 1))).toBe('2026-03-14 17:00');
    expect(local(withNotice.addWorkingDays(vn('2026-03-13 10:00'), 4))).toBe('2026-03-19 17:00');
    expect(withNotice.workingTimeBetween(vn('2026-03-14 00:00'), vn('2026-03-15 00:00'))).toBe(480);
  });

  it('supports a six-day week and another time zone', () => {
    const saturdays = createWorkingCalendar({ workingWeekdays: [1, 2, 3, 4, 5, 6], days: () => undefined });
    expect(local(saturdays.addWorkingDays(vn('2026-03-13 10:00'), 1))).toBe('2026-03-14 17:00');

    const utc = createWorkingCalendar({
      utcOffset: '+00:00',
      schedule: [{ start: '09:00', end: '17:00' }],
      days: () => undefined,
    });
    expect(utc.addWorkingDays(new Date('2026-03-13T10:00:00Z'), 1).toISOString()).toBe('2026-03-16T17:00:00.000Z');
    expect(utc.localDate(new Date('2026-03-13T23:30:00Z'))).toBe('2026-03-13');
  });

  it.each([
    [{ schedule: [] }],
    [{ schedule: [{ start: '11:00', end: '09:00' }] }],
    [{ schedule: [{ start: '07:00', end: '12:00' }, { start: '11:30', end: '17:00' }] }],
    [{ schedule: [{ start: '7:00', end: '11:30' }] }],
    [{ schedule: [{ start: '07:00', end: '24:30' }] }],
    [{ workingWeekdays: [0, 1] }],
    [{ workingWeekdays: [] }],
    [{ utcOffset: '+7' }],
    [{ utcOffset: '+15:00' }],
  ])('refuses %j', (options) => {
    expectCalendarError(() => createWorkingCalendar(options), 'calendar_invalid_config');
  });

  it('refuses invalid arguments', () => {
    expectCalendarError(() => calendar.addWorkingDays(vn('2026-03-16 09:00'), 1.5), 'calendar_invalid_argument');
    expectCalendarError(() => calendar.addWorkingDays(vn('2026-03-16 09:00'), -1), 'calendar_invalid_argument');
    expectCalendarError(() => calendar.addWorkingHours(vn('2026-03-16 09:00'), -1), 'calendar_invalid_argument');
    expectCalendarError(() => calendar.addWorkingHours(new Date('nope'), 1), 'calendar_invalid_argument');
    expectCalendarError(() => calendar.isWorkingDay('2026-13-01'), 'calendar_invalid_date');
  });

  it('fails rather than loops when nothing is ever worked', () => {
    const never = createWorkingCalendar({ days: () => 'day_off' });
    expectCalendarError(() => never.addWorkingDays(vn('2026-03-16 09:00'), 1), 'calendar_no_working_time');
    expectCalendarError(() => never.addWorkingHours(vn('2026-03-16 09:00'), 1), 'calendar_no_working_time');
  });
});
