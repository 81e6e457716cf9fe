/**
 * Public holidays (ngày nghỉ lễ, tết) of civil servants, and the government's yearly overrides.
 *
 * Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), Article 112:
 * - 1 January; Tết Âm lịch, 5 days; Hùng Kings' day (10/3 lunar); 30 April; 1 May;
 *   National Day, 2 days (2 September and the day before or after it).
 * - A holiday that falls on the weekly rest day gives a compensatory day off (nghỉ bù) on the
 *   next working day.
 * The Labour Code lets the Prime Minister fix the exact Tết and National Day days each year, and
 * the Ministry's yearly notice for civil servants often moves days around (a day off before Tết
 * swapped for a working Saturday, a compensatory day placed elsewhere). `defaultHolidays` computes
 * what the law alone gives; `applyOverrides` layers the notice on top.
 */
import {
  epochDayToIso,
  isoWeekdayOfEpochDay,
  parseIsoDate,
  toEpochDay,
  type IsoDate,
} from './dates.ts';
import { CalendarError } from './errors.ts';
import { lunarToSolar, VIETNAM_TIME_ZONE } from './lunar.ts';

export interface LocalizedText {
  vi: string;
  en: string;
}

/** `holiday`: a day the law names; `compensatory`: nghỉ bù for a holiday on a rest day. */
export type HolidayKind = 'holiday' | 'compensatory';

export interface Holiday {
  date: IsoDate;
  name: LocalizedText;
  kind: HolidayKind;
}

export interface HolidayOptions {
  /**
   * Which day joins 2 September: `before` (1 September, what the government has chosen in most
   * recent years) or `after` (3 September).
   */
  nationalDayAdjacent?: 'before' | 'after';
  /** ISO weekdays (1 = Monday … 7 = Sunday) of the weekly rest; Saturday and Sunday by default. */
  restDays?: readonly number[];
}

const DEFAULT_REST_DAYS: readonly number[] = [6, 7];

const TET_DAY_NAMES: readonly LocalizedText[] = [
  { vi: 'Tết Âm lịch (ngày cuối năm)', en: "Lunar New Year (New Year's Eve)" },
  { vi: 'Tết Âm lịch (mùng 1)', en: 'Lunar New Year (day 1)' },
  { vi: 'Tết Âm lịch (mùng 2)', en: 'Lunar New Year (day 2)' },
  { vi: 'Tết Âm lịch (mùng 3)', en: 'Lunar New Year (day 3)' },
  { vi: 'Tết Âm lịch (mùng 4)', en: 'Lunar New Year (day 4)' },
];

interface LawHoliday {
  day: number;
  name: LocalizedText;
}

/**
 * The holidays of a Gregorian year as the Labour Code gives them, with their compensatory days,
 * sorted by date. Every date returned lies inside `year`.
 *
 * Compensatory days: each holiday on a rest day, taken in date order, gets the first later day
 * that is neither a rest day, a holiday, nor an already-assigned compensatory day. Tết 2024
 * (Sat 10 and Sun 11 February inside it) thus gives Wednesday 14 and Thursday 15 February.
 * Two holidays on the same date (Hùng Kings' day can fall on 30 April or 1 May in a year with a
 * leap month) are treated the same way: the second one gets a compensatory day. The law does
 * not say; this keeps the number of days off the law promises.
 * @throws CalendarError `calendar_invalid_argument` for a year outside 1800–2199.
 */
export function defaultHolidays(year: number, options: HolidayOptions = {}): Holiday[] {
  if (!Number.isInteger(year)) throw new CalendarError('calendar_invalid_argument', `Not a year: ${year}`);
  const restDays = new Set(options.restDays ?? DEFAULT_REST_DAYS);
  const day = (m: number, d: number): number => toEpochDay({ y: year, m, d });

  const tet = toEpochDay(lunarToSolar({ year, month: 1, day: 1 }, VIETNAM_TIME_ZONE));
  const hungKings = toEpochDay(lunarToSolar({ year, month: 3, day: 10 }, VIETNAM_TIME_ZONE));
  const nationalDay = day(9, 2);
  const law: LawHoliday[] = [
    { day: day(1, 1), name: { vi: 'Tết Dương lịch', en: "New Year's Day" } },
    ...TET_DAY_NAMES.map((name, i) => ({ day: tet - 1 + i, name })),
    {
      day: hungKings,
      name: { vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', en: "Hùng Kings' Commemoration Day" },
    },
    { day: day(4, 30), name: { vi: 'Ngày Chiến thắng (30/4)', en: 'Reunification Day (30 April)' } },
    { day: day(5, 1), name: { vi: 'Ngày Quốc tế Lao động (1/5)', en: 'International Labour Day (1 May)' } },
    { day: nationalDay, name: { vi: 'Quốc khánh (2/9)', en: 'National Day (2 September)' } },
    {
      day: options.nationalDayAdjacent === 'after' ? nationalDay + 1 : nationalDay - 1,
      name: { vi: 'Quốc khánh (ngày liền kề)', en: 'National Day (adjacent day)' },
    },
  ];
  law.sort((a, b) => a.day - b.day);

  const taken = new Set<number>();
  const result: { day: number; entry: Holiday }[] = [];
  const needCompensation: LawHoliday[] = [];
  for (const holiday of law) {
    if (taken.has(holiday.day)) {
      needCompensation.push(holiday);
      continue;
    }
    taken.add(holiday.day);
    result.push({
      day: holiday.day,
      entry: { date: epochDayToIso(holiday.day), name: holiday.name, kind: 'holiday' },
    });
    if (restDays.has(isoWeekdayOfEpochDay(holiday.day))) needCompensation.push(holiday);
  }
  for (const holiday of needCompensation) {
    let candidate = holiday.day + 1;
    while (taken.has(candidate) || restDays.has(isoWeekdayOfEpochDay(candidate))) candidate++;
    taken.add(candidate);
    result.push({
      day: candidate,
      entry: {
        date: epochDayToIso(candidate),
        name: { vi: `Nghỉ bù ${holiday.name.vi}`, en: `Compensatory day off: ${holiday.name.en}` },
        kind: 'compensatory',
      },
    });
  }
  return result.sort((a, b) => a.day - b.day).map((r) => r.entry);
}

/**
 * One line of the government's yearly notice:
 * - `day_off`: an extra day off (e.g. the Friday before Tết), or a renamed computed day;
 * - `working_day`: a day that is worked although the default says otherwise (a Saturday worked to
 *   make up for a day off, or a computed compensatory day the notice does not keep);
 * - `remove`: drop a computed holiday or compensatory day, without declaring anything else.
 */
export interface CalendarOverride {
  date: IsoDate;
  kind: 'day_off' | 'working_day' | 'remove';
  name?: LocalizedText;
}

export interface DayOff {
  date: IsoDate;
  name: LocalizedText;
  /** `day_off` marks a day added by an override. */
  kind: HolidayKind | 'day_off';
}

/** A day worked although it is a rest day (or a computed holiday), e.g. a swapped Saturday. */
export interface ExtraWorkingDay {
  date: IsoDate;
  name: LocalizedText;
}

/** The outcome for one year or more: the days not worked, and the rest days that are worked. */
export interface CalendarDays {
  daysOff: DayOff[];
  workingDays: ExtraWorkingDay[];
}

const DEFAULT_DAY_OFF_NAME: LocalizedText = {
  vi: 'Ngày nghỉ theo thông báo',
  en: 'Day off by official notice',
};
const DEFAULT_WORKING_DAY_NAME: LocalizedText = { vi: 'Ngày làm việc bù', en: 'Make-up working day' };

/**
 * Applies the government's notice to the computed holidays.
 * @returns days off and extra working days, each sorted by date, no date in both.
 * @throws CalendarError `calendar_invalid_date` for a malformed date; `calendar_override_conflict`
 *   when two overrides name the same date; `calendar_override_nothing_to_remove` when `remove`
 *   names a date that is not a computed day off (most likely a typo in the notice's transcription).
 */
export function applyOverrides(
  defaults: readonly Holiday[],
  overrides: readonly CalendarOverride[],
): CalendarDays {
  const daysOff = new Map<IsoDate, DayOff>(defaults.map((h) => [h.date, { ...h }]));
  const workingDays = new Map<IsoDate, ExtraWorkingDay>();
  const seen = new Set<IsoDate>();
  for (const override of overrides) {
    parseIsoDate(override.date);
    if (seen.has(override.date)) {
      throw new CalendarError('calendar_override_conflict', `Two overrides for ${override.date}`);
    }
    seen.add(override.date);
    const existing = daysOff.get(override.date);
    switch (override.kind) {
      case 'day_off':
        daysOff.set(
          override.date,
          existing
            ? { ...existing, name: override.name ?? existing.name }
            : { date: override.date, name: override.name ?? DEFAULT_DAY_OFF_NAME, kind: 'day_off' },
        );
        break;
      case 'working_day':
        daysOff.delete(override.date);
        workingDays.set(override.date, {
          date: override.date,
          name: override.name ?? DEFAULT_WORKING_DAY_NAME,
        });
        break;
      case 'remove':
        if (!existing) {
          throw new CalendarError(
            'calendar_override_nothing_to_remove',
            `No computed day off on ${override.date} to remove`,
          );
        }
        daysOff.delete(override.date);
        break;
    }
  }
  const byDate = (a: { date: IsoDate }, b: { date: IsoDate }): number => a.date.localeCompare(b.date);
  return { daysOff: [...daysOff.values()].sort(byDate), workingDays: [...workingDays.values()].sort(byDate) };
}

/** What a date is, when it departs from the usual working weekdays. */
export type DayStatus = 'day_off' | 'working_day';

/** Answers for one date; `undefined` means "as the weekday says". */
export type DayStatusLookup = (date: IsoDate) => DayStatus | undefined;

/** A lookup over fixed lists of days (e.g. what the database holds for the years in use). */
export function dayLookupFrom(days: CalendarDays): DayStatusLookup {
  const status = new Map<IsoDate, DayStatus>();
  for (const d of days.daysOff) status.set(d.date, 'day_off');
  for (const d of days.workingDays) status.set(d.date, 'working_day');
  return (date) => status.get(date);
}

export interface VietnamDayLookupOptions extends HolidayOptions {
  /** The notices of any number of years; each applies to the year of its date. */
  overrides?: readonly CalendarOverride[];
}

/**
 * Vietnam's holidays for every year, computed when first asked for and kept, with the overrides
 * applied. The overrides are checked here, year by year, so a bad notice fails at once.
 * @throws CalendarError as `applyOverrides` does.
 */
export function vietnamDayLookup(options: VietnamDayLookupOptions = {}): DayStatusLookup {
  const overridesByYear = new Map<number, CalendarOverride[]>();
  for (const override of options.overrides ?? []) {
    const year = parseIsoDate(override.date).y;
    overridesByYear.set(year, [...(overridesByYear.get(year) ?? []), override]);
  }
  const years = new Map<number, DayStatusLookup>();
  const forYear = (year: number): DayStatusLookup => {
    let lookup = years.get(year);
    if (!lookup) {
      lookup = dayLookupFrom(applyOverrides(defaultHolidays(year, options), overridesByYear.get(year) ?? []));
      years.set(year, lookup);
    }
    return lookup;
  };
  for (const year of overridesByYear.keys()) forYear(year);
  return (date) => forYear(parseIsoDate(date).y)(date);
}

