/**
 * Working time (thời gian làm việc) of an agency: the clock behind processing deadlines.
 *
 * Every instant is a `Date` (an absolute UTC time) in and out. The province's legal time is a
 * fixed offset from UTC (Vietnam: +07:00, no daylight saving), so "local" here is simply
 * UTC + offset; nothing depends on the server's own time zone.
 *
 * Durations are measured in working minutes: the part of a span that falls inside the daily
 * schedule of a working day. Intervals are half-open: 07:00 is inside the morning, 11:30 is not.
 */
import { epochDayToIso, isoToEpochDay, isoWeekdayOfEpochDay, type IsoDate } from './dates.ts';
import { CalendarError } from './errors.ts';
import { vietnamDayLookup, type DayStatusLookup } from './holidays.ts';

/** One stretch of the working day in local time, `HH:MM` (end may be `24:00`). */
export interface ScheduleInterval {
  start: string;
  end: string;
}

export interface WorkingCalendarOptions {
  /** ISO weekdays worked (1 = Monday … 7 = Sunday). Monday to Friday by default. */
  workingWeekdays?: readonly number[];
  /** The daily schedule, in order. By default Khánh Hòa's 07:00–11:30 and 13:30–17:00. */
  schedule?: readonly ScheduleInterval[];
  /** The province's offset from UTC, `+HH:MM` or `-HH:MM`. `+07:00` by default. */
  utcOffset?: string;
  /** Holidays and swapped days. By default Vietnam's computed holidays with no override. */
  days?: DayStatusLookup;
}

export interface WorkingCalendar {
  /** Offset of local time from UTC, in minutes. */
  readonly utcOffsetMinutes: number;
  /** Length of a full working day, in minutes (480 with the default schedule). */
  readonly minutesPerDay: number;
  /** The local calendar date of an instant. */
  localDate(instant: Date): IsoDate;
  /** Whether a local date is worked: a working weekday that is no day off, or an extra working day. */
  isWorkingDay(date: IsoDate): boolean;
  /** Whether an instant falls inside the schedule of a working day. */
  isWorkingTime(instant: Date): boolean;
  /** The instant itself when it is working time, else the next opening of a working interval. */
  nextWorkingStart(instant: Date): Date;
  /**
   * The appointment time (ngày hẹn trả) of a procedure that takes n working days.
   *
   * Rule: a dossier received during working hours on working day D is due at the closing time of
   * the nth working day after D (D + n). One received outside working hours (evening, lunch break,
   * weekend, holiday) counts from the next working start, so D is the day of that start: received
   * Friday 16:59 with n = 1 → Monday 17:00; received Friday 17:00 → D is Monday → Tuesday 17:00.
   * n = 0 gives the closing time of D (a procedure resolved "within the day").
   * @throws CalendarError `calendar_invalid_argument` unless n is a whole number ≥ 0.
   */
  addWorkingDays(start: Date, n: number): Date;
  /**
   * The earliest instant at which `hours` of working time have passed since `start`, skipping
   * lunch, nights, rest days and holidays. A result that exactly uses up a morning ends at 11:30,
   * not 13:30.
   * @throws CalendarError `calendar_invalid_argument` for a negative or non-finite amount.
   */
  addWorkingHours(start: Date, hours: number): Date;
  /** As `addWorkingHours`, in minutes. */
  addWorkingMinutes(start: Date, minutes: number): Date;
  /** Working minutes from a to b; negative when b is before a. */
  workingTimeBetween(a: Date, b: Date): number;
  /** Working minutes left before `due` (positive), or overdue by (negative). */
  remaining(due: Date, now: Date): number;
  /**
   * The deadline after a pause (e.g. waiting for the applicant to supplement the dossier): the
   * working minutes between pauseStart and pauseEnd are added back to `due`, so a pause of two
   * full working days moves a 17:00 deadline to 17:00 two working days later.
   * @throws CalendarError `calendar_invalid_argument` when pauseEnd is before pauseStart.
   */
  extendForPause(due: Date, pauseStart: Date, pauseEnd: Date): Date;
}

export const DEFAULT_SCHEDULE: readonly ScheduleInterval[] = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];
const DEFAULT_WORKING_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** How far to look for the next working day before concluding the configuration has none. */
const MAX_DAYS_WITHOUT_WORK = 366;

/** An interval of a local day, in milliseconds since local midnight. */
interface DayInterval {
  start: number;
  end: number;
}

function invalid(message: string): CalendarError {
  return new CalendarError('calendar_invalid_config', message);
}

const CLOCK_TIME = /^(\d{2}):(\d{2})$/;

function parseClockTime(text: string): number {
  const match = CLOCK_TIME.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    throw invalid(`Expected a time HH:MM between 00:00 and 24:00, got "${text}"`);
  }
  return (hours * 60 + minutes) * MS_PER_MINUTE;
}

function parseSchedule(schedule: readonly ScheduleInterval[]): DayInterval[] {
  if (schedule.length === 0) throw invalid('The daily schedule has no interval');
  const intervals = schedule.map((i) => ({ start: parseClockTime(i.start), end: parseClockTime(i.end) }));
  intervals.forEach((interval, index) => {
    const previous = intervals[index - 1];
    if (interval.end <= interval.start) {
      throw invalid(`Interval ${index + 1} of the schedule ends before it starts`);
    }
    if (previous && interval.start < previous.end) {
      throw invalid(`Interval ${index + 1} of the schedule overlaps or precedes the one before`);
    }
  });
  return intervals;
}

const UTC_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

function parseUtcOffset(text: string): number {
  const match = UTC_OFFSET.exec(text);
  const minutes = Number(match?.[2]) * 60 + Number(match?.[3]);
  if (!match || Number(match[3]) > 59 || minutes > 14 * 60) {
    throw invalid(`Expected a UTC offset like +07:00, got "${text}"`);
  }
  return match[1] === '-' ? -minutes : minutes;
}

function parseWeekdays(weekdays: readonly number[]): Set<number> {
  if (weekdays.length === 0 || !weekdays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    throw invalid(`Working weekdays must be ISO weekdays 1–7, got ${JSON.stringify(weekdays)}`);
  }
  return new Set(weekdays);
}

function instantMs(instant: Date, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new CalendarError('calendar_invalid_argument', `${what} is not a valid Date`);
  }
  return ms;
}

function nonNegativeAmount(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new CalendarError('calendar_invalid_argument', `${what} must be a finite number ≥ 0, got ${value}`);
  }
  return value;
}

/**
 * Builds the working calendar of an agency.
 * @throws CalendarError `calendar_invalid_config` for a malformed schedule, weekday list or offset.
 */
export function createWorkingCalendar(options: WorkingCalendarOptions = {}): WorkingCalendar {
  const schedule = parseSchedule(options.schedule ?? DEFAULT_SCHEDULE);
  const weekdays = parseWeekdays(options.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS);
  const utcOffsetMinutes = parseUtcOffset(options.utcOffset ?? '+07:00');
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const days = options.days ?? vietnamDayLookup();
  const msPerDay = schedule.reduce((sum, i) => sum + i.end - i.start, 0);
  const closingMs = Math.max(...schedule.map((i) => i.end));

  /** Local day number (days since 1970-01-01 in local time) of a UTC instant. */
  const localDay = (ms: number): number => Math.floor((ms + offsetMs) / MS_PER_DAY);

  const isWorkingEpochDay = (day: number): boolean => {
    const status = days(epochDayToIso(day));
    if (status === 'day_off') return false;
    if (status === 'working_day') return true;
    return weekdays.has(isoWeekdayOfEpochDay(day));
  };

  /** The working intervals of a local day, as UTC milliseconds; none on a day off. */
  const intervalsOf = (day: number): DayInterval[] => {
    if (!isWorkingEpochDay(day)) return [];
    const midnight = day * MS_PER_DAY - offsetMs;
    return schedule.map((i) => ({ start: midnight + i.start, end: midnight + i.end }));
  };

  const noWorkingTime = (from: number): CalendarError =>
    new CalendarError(
      'calendar_no_working_time',
      `No working day within ${MAX_DAYS_WITHOUT_WORK} days after ${epochDayToIso(from)}`,
    );

  const nextWorkingStartMs = (ms: number): number => {
    const first = localDay(ms);
    for (let day = first; day <= first + MAX_DAYS_WITHOUT_WORK; day++) {
      for (const interval of intervalsOf(day)) {
        if (ms < interval.end) return Math.max(ms, interval.start);
      }
    }
    throw noWorkingTime(first);
  };

  const nextWorkingDay = (after: number): number => {
    for (let day = after + 1; day <= after + MAX_DAYS_WITHOUT_WORK; day++) {
      if (isWorkingEpochDay(day)) return day;
    }
    throw noWorkingTime(after);
  };

  /** Working milliseconds in [from, to), from ≤ to. */
  const workingMs = (from: number, to: number): number => {
    let total = 0;
    for (let day = localDay(from); day <= localDay(to); day++) {
      for (const interval of intervalsOf(day)) {
        total += Math.max(0, Math.min(to, interval.end) - Math.max(from, interval.start));
      }
    }
    return total;
  };

  const addWorkingMs = (from: number, amount: number): number => {
    if (amount === 0) return from;
    let left = amount;
    let cursor = nextWorkingStartMs(from);
    for (;;) {
      const day = localDay(cursor);
      for (const interval of intervalsOf(day)) {
        if (cursor >= interval.end) continue;
        const start = Math.max(cursor, interval.start);
        if (interval.end - start >= left) return start + left;
        left -= interval.end - start;
      }
      cursor = nextWorkingStartMs((day + 1) * MS_PER_DAY - offsetMs);
    }
  };

  const calendar: WorkingCalendar = {
    utcOffsetMinutes,
    minutesPerDay: msPerDay / MS_PER_MINUTE,

    localDate: (instant) => epochDayToIso(localDay(instantMs(instant, 'instant'))),

    isWorkingDay: (date) => isWorkingEpochDay(isoToEpochDay(date)),

    isWorkingTime: (instant) => {
      const ms = instantMs(instant, 'instant');
      return intervalsOf(localDay(ms)).some((i) => ms >= i.start && ms < i.end);
    },

    nextWorkingStart: (instant) => new Date(nextWorkingStartMs(instantMs(instant, 'instant'))),

    addWorkingDays: (start, n) => {
      if (!Number.isInteger(n) || n < 0) {
        throw new CalendarError(
          'calendar_invalid_argument',
          `Working days must be a whole number ≥ 0, got ${n}`,
        );
      }
      let day = localDay(nextWorkingStartMs(instantMs(start, 'start')));
      for (let i = 0; i < n; i++) day = nextWorkingDay(day);
      return new Date(day * MS_PER_DAY - offsetMs + closingMs);
    },

    addWorkingHours: (start, hours) => {
      const amount = Math.round(nonNegativeAmount(hours, 'hours') * 60 * MS_PER_MINUTE);
      return new Date(addWorkingMs(instantMs(start, 'start'), amount));
    },

    addWorkingMinutes: (start, minutes) => {
      const amount = Math.round(nonNegativeAmount(minutes, 'minutes') * MS_PER_MINUTE);
      return new Date(addWorkingMs(instantMs(start, 'start'), amount));
    },

    workingTimeBetween: (a, b) => {
      const from = instantMs(a, 'a');
      const to = instantMs(b, 'b');
      const ms = to >= from ? workingMs(from, to) : -workingMs(to, from);
      return ms === 0 ? 0 : ms / MS_PER_MINUTE; // never -0
    },

    remaining: (due, now) => calendar.workingTimeBetween(now, due),

    extendForPause: (due, pauseStart, pauseEnd) => {
      const from = instantMs(pauseStart, 'pauseStart');
      const to = instantMs(pauseEnd, 'pauseEnd');
      if (to < from) throw new CalendarError('calendar_invalid_argument', 'The pause ends before it starts');
      return new Date(addWorkingMs(instantMs(due, 'due'), workingMs(from, to)));
    },
  };
  return calendar;
}
