/**
 * The Vietnamese lunar calendar (âm lịch), computed astronomically.
 *
 * Rules (the traditional Chinese-style lunisolar rules, applied in Vietnam's time zone):
 * - A lunar month starts on the local day that contains an astronomical new moon.
 * - The month that contains the December solstice (sun longitude 270°) is month 11.
 * - When 13 new moons separate two such months 11, one month of that span is leap: the first one,
 *   counting from the month after month 11, that contains no major solar term (trung khí, the
 *   moments the sun's longitude reaches a multiple of 30°). It takes the number of the month
 *   before it and `leap: true`.
 * - Month 1, day 1 is Tết Nguyên Đán.
 *
 * Vietnam has computed its calendar for UTC+7 since 1968, China for UTC+8: a new moon or a solar
 * term between 23:00 and 24:00 Vietnam time falls on different days in the two countries, which
 * moves a month start by one day and sometimes a leap month or New Year. Known differences of Tết:
 * 1985 (21 Jan in Vietnam, 20 Feb in China), 2007 (17 vs 18 Feb), 2030 (2 vs 3 Feb),
 * 2053 (18 vs 19 Feb). A Chinese lunar library therefore gives wrong Vietnamese holidays.
 *
 * Astronomy: the rules and the day-boundary conventions of the method published by Hồ Ngọc Đức
 * (whether a solar term has passed is judged at local midnight starting a new-moon day), with
 * Jean Meeus's "Astronomical Algorithms" series for the new moons (ch. 49) and the sun's
 * apparent longitude (ch. 25), and Espenak–Meeus ΔT. Implemented here from the formulas. Checked
 * against Hồ Ngọc Đức's published month tables: every month start from 1968 to 2199 agrees
 * except lunar 4/2054, whose new moon falls within a minute of midnight (2054-05-08 00:00 UTC+7
 * by this code, beyond what any ΔT forecast can settle). Outside 1800–2199 the functions refuse
 * to answer rather than guess.
 */
import {
  assertSolarDate,
  fromJulianDay,
  toJulianDay,
  type SolarDate,
} from './dates.ts';
import { CalendarError } from './errors.ts';

/** A day of the Vietnamese lunar calendar. `leap` marks a leap month (tháng nhuận). */
export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

/** A lunar date as callers usually write it: `leap` defaults to false. */
export type LunarDateInput = Omit<LunarDate, 'leap'> & { leap?: boolean };

/** One month of a lunar year. */
export interface LunarMonth {
  month: number;
  leap: boolean;
  /** Gregorian date of day 1. */
  start: SolarDate;
  /** 29 or 30. */
  length: number;
}

/** Vietnam's legal time, UTC+7 (no daylight saving). */
export const VIETNAM_TIME_ZONE = 7;

const DEG = Math.PI / 180;
/** Mean length of a lunation, in days. */
const SYNODIC_MONTH = 29.530588861;
/** Julian ephemeris date of the mean new moon of lunation 0, on 2000-01-06. */
const LUNATION_ZERO_JDE = 2451550.09766;

/**
 * ΔT = TT − UT in seconds: the polynomial fits of Espenak and Meeus (NASA, 2006) from 1800 to
 * 2150, their long-term parabola outside. The future values are extrapolations; their error (up to
 * a minute or two by 2100) is the main limit on the calendar's accuracy.
 */
export function deltaTSeconds(year: number): number {
  if (year >= 1800 && year < 1860) {
    const t = year - 1800;
    return 13.72 - 0.332447 * t + 0.0068612 * t ** 2 + 0.0041116 * t ** 3 - 0.00037436 * t ** 4 +
      0.0000121272 * t ** 5 - 0.0000001699 * t ** 6 + 0.000000000875 * t ** 7;
  }
  if (year >= 1860 && year < 1900) {
    const t = year - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 +
      t ** 5 / 233174;
  }
  if (year >= 1900 && year < 1920) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (year >= 1920 && year < 1941) {
    const t = year - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (year >= 1941 && year < 1961) {
    const t = year - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (year >= 1961 && year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (year >= 1986 && year < 2005) {
    const t = year - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 +
      0.00002373599 * t ** 5;
  }
  if (year >= 2005 && year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (year - 1820) / 100;
  if (year >= 2050 && year < 2150) return -20 + 32 * u ** 2 - 0.5628 * (2150 - year);
  return -20 + 32 * u ** 2;
}

function yearOfJulianDate(jd: number): number {
  return 2000 + (jd - 2451545) / 365.25;
}

/** Periodic terms of the new moon from the planets' arguments: [A₀, A per lunation, amplitude]. */
const PLANETARY_TERMS: readonly (readonly [number, number, number])[] = [
  [299.77, 0.107408, 0.000325],
  [251.88, 0.016321, 0.000165],
  [251.83, 26.651886, 0.000164],
  [349.42, 36.412478, 0.000126],
  [84.66, 18.206239, 0.00011],
  [141.74, 53.303771, 0.000062],
  [207.14, 2.453732, 0.00006],
  [154.84, 7.30686, 0.000056],
  [34.52, 27.261239, 0.000047],
  [207.19, 0.121824, 0.000042],
  [291.34, 1.844379, 0.00004],
  [161.72, 24.198154, 0.000037],
  [239.56, 25.513099, 0.000035],
  [331.55, 3.592518, 0.000023],
];

/**
 * Julian date (UT) of new moon number k, counted from the new moon of 2000-01-06 (k = 0).
 * Meeus, "Astronomical Algorithms" ch. 49: the mean lunation, periodic terms in the sun's mean
 * anomaly M, the moon's mean anomaly M′, its argument of latitude F and its node Ω, then the
 * planetary terms; accurate to well under a minute. ΔT converts the result from TT to UT.
 */
export function newMoonJulianDate(k: number): number {
  const t = k / 1236.85; // Julian centuries since 2000
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  const mean =
    LUNATION_ZERO_JDE + SYNODIC_MONTH * k + 0.00015437 * t2 - 0.00000015 * t3 + 0.00000000073 * t4;
  const e = 1 - 0.002516 * t - 0.0000074 * t2; // decreasing eccentricity of the earth's orbit
  const m = (2.5534 + 29.1053567 * k - 0.0000014 * t2 - 0.00000011 * t3) * DEG;
  const mp = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * DEG;
  const f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * DEG;
  const node = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * DEG;
  const sin = Math.sin;
  const periodic =
    -0.4072 * sin(mp) +
    0.17241 * e * sin(m) +
    0.01608 * sin(2 * mp) +
    0.01039 * sin(2 * f) +
    0.00739 * e * sin(mp - m) -
    0.00514 * e * sin(mp + m) +
    0.00208 * e * e * sin(2 * m) -
    0.00111 * sin(mp - 2 * f) -
    0.00057 * sin(mp + 2 * f) +
    0.00056 * e * sin(2 * mp + m) -
    0.00042 * sin(3 * mp) +
    0.00042 * e * sin(m + 2 * f) +
    0.00038 * e * sin(m - 2 * f) -
    0.00024 * e * sin(2 * mp - m) -
    0.00017 * sin(node) -
    0.00007 * sin(mp + 2 * m) +
    0.00004 * sin(2 * mp - 2 * f) +
    0.00004 * sin(3 * m) +
    0.00003 * sin(mp + m - 2 * f) +
    0.00003 * sin(2 * mp + 2 * f) -
    0.00003 * sin(mp + m + 2 * f) +
    0.00003 * sin(mp - m + 2 * f) -
    0.00002 * sin(mp - m - 2 * f) -
    0.00002 * sin(3 * mp + m) +
    0.00002 * sin(4 * mp);
  let planetary = 0;
  PLANETARY_TERMS.forEach(([a0, perLunation, amplitude], i) => {
    const argument = a0 + perLunation * k - (i === 0 ? 0.009173 * t2 : 0);
    planetary += amplitude * sin(argument * DEG);
  });
  const jde = mean + periodic + planetary;
  return jde - deltaTSeconds(yearOfJulianDate(jde)) / 86400;
}

/**
 * The sun's apparent longitude, in degrees [0, 360), at a Julian date (UT): Meeus's solar theory
 * of "Astronomical Algorithms" ch. 25 (true longitude from the equation of the centre, then
 * nutation and aberration), accurate to about 0.01°, i.e. a quarter of an hour of a solar term.
 */
export function sunLongitude(jdUt: number): number {
  const jde = jdUt + deltaTSeconds(yearOfJulianDate(jdUt)) / 86400;
  const t = (jde - 2451545) / 36525; // Julian centuries since J2000.0
  const t2 = t * t;
  const meanLongitude = 280.46646 + 36000.76983 * t + 0.0003032 * t2;
  const meanAnomaly = (357.52911 + 35999.05029 * t - 0.0001537 * t2) * DEG;
  const centre =
    (1.914602 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly) +
    0.000289 * Math.sin(3 * meanAnomaly);
  const node = (125.04 - 1934.136 * t) * DEG;
  const apparent = meanLongitude + centre - 0.00569 - 0.00478 * Math.sin(node);
  const longitude = apparent % 360;
  return longitude < 0 ? longitude + 360 : longitude;
}

/** Julian day number of the local day (in UTC+tz) that contains new moon k. */
function newMoonDay(k: number, tz: number): number {
  return Math.floor(newMoonJulianDate(k) + 0.5 + tz / 24);
}

/**
 * Which 30° sector (0–11) of longitude the sun is in at local midnight starting a day:
 * sector s covers [30°·s, 30°·(s+1)); the December solstice starts sector 9.
 */
function sunSectorAtStartOf(jdn: number, tz: number): number {
  return Math.floor(sunLongitude(jdn - 0.5 - tz / 24) / 30);
}

/** The lunation number whose mean new moon is nearest a Julian day number. */
function nearestLunation(jdn: number): number {
  return Math.round((jdn - LUNATION_ZERO_JDE) / SYNODIC_MONTH);
}

/**
 * Julian day number of the first day of lunar month 11 of Gregorian year y: the month that
 * contains the December solstice of year y.
 */
function month11Start(y: number, tz: number): number {
  // The last new moon on or before about 31 December: its month holds the solstice unless it
  // already started past it, in which case the previous month does.
  const k = Math.floor((toJulianDay({ y, m: 12, d: 31 }) - LUNATION_ZERO_JDE) / SYNODIC_MONTH);
  const start = newMoonDay(k, tz);
  return sunSectorAtStartOf(start, tz) >= 9 ? newMoonDay(k - 1, tz) : start;
}

interface MonthSpan {
  month: number;
  leap: boolean;
  /** Julian day number of day 1. */
  start: number;
  /** Julian day number of day 1 of the next month. */
  end: number;
  /** The lunar year the month belongs to. */
  year: number;
}

/**
 * The lunar months from month 11 of Gregorian year y (inclusive) to month 11 of year y + 1
 * (exclusive): 12 months, or 13 with one leap month. Months 11 and 12 belong to lunar year y,
 * the others to lunar year y + 1.
 */
function monthsFromMonth11(y: number, tz: number): MonthSpan[] {
  const first = month11Start(y, tz);
  const next = month11Start(y + 1, tz);
  const k0 = nearestLunation(first);
  const count = Math.round((next - first) / SYNODIC_MONTH);
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) starts.push(newMoonDay(k0 + i, tz));
  if ((count !== 12 && count !== 13) || starts[0] !== first || starts[count] !== next) {
    throw new Error(`Inconsistent new moons after month 11 of ${y}`);
  }
  let leapIndex = -1;
  if (count === 13) {
    // Month 11 holds the solstice, so the search starts with the month after it.
    for (let i = 1; i < count; i++) {
      if (sunSectorAtStartOf(at(starts, i), tz) === sunSectorAtStartOf(at(starts, i + 1), tz)) {
        leapIndex = i;
        break;
      }
    }
    if (leapIndex === -1) throw new Error(`No month without a major solar term after month 11 of ${y}`);
  }

  const months: MonthSpan[] = [];
  let number = 10;
  let year = y;
  for (let i = 0; i < count; i++) {
    const leap = i === leapIndex;
    if (!leap) number = (number % 12) + 1;
    if (number === 1 && !leap) year = y + 1;
    months.push({ month: number, leap, start: at(starts, i), end: at(starts, i + 1), year });
  }
  return months;
}

function at(values: readonly number[], index: number): number {
  const value = values[index];
  if (value === undefined) throw new Error(`Index ${index} out of range`);
  return value;
}

/** The years the astronomy (chiefly ΔT) is trusted for. */
export const LUNAR_CALENDAR_RANGE = { minYear: 1800, maxYear: 2199 } as const;

function assertYearInRange(year: number, what: string): void {
  if (year < LUNAR_CALENDAR_RANGE.minYear || year > LUNAR_CALENDAR_RANGE.maxYear) {
    throw new CalendarError(
      'calendar_invalid_argument',
      `${what} ${year} is outside ${LUNAR_CALENDAR_RANGE.minYear}–${LUNAR_CALENDAR_RANGE.maxYear}`,
    );
  }
}

function assertTimeZone(tz: number): void {
  if (!Number.isFinite(tz) || tz < -12 || tz > 14) {
    throw new CalendarError('calendar_invalid_argument', `Time zone offset out of range: ${tz}`);
  }
}

/**
 * Converts a Gregorian date to the Vietnamese lunar calendar.
 * @param tz time zone in hours east of UTC; 7 for Vietnam (8 gives the Chinese calendar).
 * @throws CalendarError `calendar_invalid_date` for an impossible date, `calendar_invalid_argument`
 *   for a year outside 1800–2199 or an impossible time zone.
 */
export function solarToLunar(date: SolarDate, tz: number = VIETNAM_TIME_ZONE): LunarDate {
  assertSolarDate(date);
  assertYearInRange(date.y, 'Year');
  assertTimeZone(tz);
  const jdn = toJulianDay(date);
  const y = jdn >= month11Start(date.y, tz) ? date.y : date.y - 1;
  const month = monthsFromMonth11(y, tz).find((mo) => mo.start <= jdn && jdn < mo.end);
  if (!month) throw new Error(`No lunar month contains JDN ${jdn}`);
  return { year: month.year, month: month.month, day: jdn - month.start + 1, leap: month.leap };
}

/**
 * Converts a lunar date to the Gregorian calendar.
 * @throws CalendarError `calendar_invalid_lunar_date` when the month is not leap that year, or
 *   the day is past the month's 29 or 30 days; `calendar_invalid_argument` for a year outside
 *   1800–2199 or an impossible time zone.
 */
export function lunarToSolar(lunar: LunarDateInput, tz: number = VIETNAM_TIME_ZONE): SolarDate {
  assertTimeZone(tz);
  const { year, month, day } = lunar;
  const leap = lunar.leap ?? false;
  if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || day > 30) {
    throw new CalendarError('calendar_invalid_lunar_date', `Not a lunar date: ${JSON.stringify(lunar)}`);
  }
  assertYearInRange(year, 'Lunar year');
  const span = monthsFromMonth11(month >= 11 ? year : year - 1, tz).find(
    (mo) => mo.year === year && mo.month === month && mo.leap === leap,
  );
  if (!span) {
    throw new CalendarError(
      'calendar_invalid_lunar_date',
      `Lunar year ${year} has no ${leap ? 'leap ' : ''}month ${month}`,
    );
  }
  if (day > span.end - span.start) {
    throw new CalendarError(
      'calendar_invalid_lunar_date',
      `Lunar month ${month}${leap ? ' (leap)' : ''} of ${year} has ${span.end - span.start} days`,
    );
  }
  return fromJulianDay(span.start + day - 1);
}

/** The months of lunar year `year`, month 1 to month 12, a leap month in its place. */
export function lunarMonthsOfYear(year: number, tz: number = VIETNAM_TIME_ZONE): LunarMonth[] {
  assertTimeZone(tz);
  if (!Number.isInteger(year)) throw new CalendarError('calendar_invalid_argument', `Not a year: ${year}`);
  assertYearInRange(year, 'Lunar year');
  return [...monthsFromMonth11(year - 1, tz), ...monthsFromMonth11(year, tz)]
    .filter((mo) => mo.year === year)
    .map((mo) => ({
      month: mo.month,
      leap: mo.leap,
      start: fromJulianDay(mo.start),
      length: mo.end - mo.start,
    }));
}

/** Gregorian date of Tết Nguyên Đán (lunar 1/1) of a year. */
export function lunarNewYear(year: number, tz: number = VIETNAM_TIME_ZONE): SolarDate {
  return lunarToSolar({ year, month: 1, day: 1 }, tz);
}
