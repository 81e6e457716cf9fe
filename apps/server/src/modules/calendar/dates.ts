import { CalendarError } from './errors.ts';

/** A day of the (proleptic) Gregorian calendar, with no time and no zone. */
export interface SolarDate {
  y: number;
  m: number;
  d: number;
}

/** A day written `YYYY-MM-DD`, the form used in configuration, overrides and the database. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
/** Julian day number of 1970-01-01, the Unix epoch. */
const JDN_UNIX_EPOCH = 2_440_588;

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(date: SolarDate): number {
  const dt = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  dt.setUTCFullYear(date.y, date.m - 1, date.d);
  return Math.floor(dt.getTime() / MS_PER_DAY);
}

export function fromEpochDay(day: number): SolarDate {
  const dt = new Date(day * MS_PER_DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** Julian day number (the integer day that starts at noon UTC) of a Gregorian date. */
export function toJulianDay(date: SolarDate): number {
  return toEpochDay(date) + JDN_UNIX_EPOCH;
}

export function fromJulianDay(jdn: number): SolarDate {
  return fromEpochDay(jdn - JDN_UNIX_EPOCH);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOfEpochDay(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function isValidSolarDate(date: SolarDate): boolean {
  const { y, m, d } = date;
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInSolarMonth(y, m);
}

export function daysInSolarMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

export function assertSolarDate(date: SolarDate): void {
  if (!isValidSolarDate(date)) {
    throw new CalendarError('calendar_invalid_date', `Not a valid date: ${JSON.stringify(date)}`);
  }
}

export function formatIsoDate(date: SolarDate): IsoDate {
  const y = String(date.y).padStart(4, '0');
  const m = String(date.m).padStart(2, '0');
  const d = String(date.d).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; throws `calendar_invalid_date` for anything else or an impossible day. */
export function parseIsoDate(text: IsoDate): SolarDate {
  const match = ISO_DATE.exec(text);
  const date = match
    ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) }
    : undefined;
  if (!date || !isValidSolarDate(date)) {
    throw new CalendarError('calendar_invalid_date', `Expected a YYYY-MM-DD date, got "${text}"`);
  }
  return date;
}

export function epochDayToIso(day: number): IsoDate {
  return formatIsoDate(fromEpochDay(day));
}

export function isoToEpochDay(text: IsoDate): number {
  return toEpochDay(parseIsoDate(text));
}
