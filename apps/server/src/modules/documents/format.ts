/**
 * Formatting for printed forms: money, dates and times in the province's time zone.
 *
 * Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset is exact and does not
 * depend on the machine's time zone or ICU data.
 */

const PROVINCE_OFFSET_MS = 7 * 60 * 60 * 1000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(d: Date): LocalParts {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid date');
  const local = new Date(t + PROVINCE_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Money in đồng as Vietnamese forms print it: `1.250.000 ₫` (dot thousands separator, no
 * decimals, a space before the sign). Amounts are rounded to the whole đồng.
 * @throws RangeError for NaN or infinite amounts.
 */
export function formatVnd(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError('invalid amount');
  const rounded = Math.round(Math.abs(amount));
  const digits = String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 && rounded !== 0 ? '-' : ''}${digits} ₫`;
}

/**
 * The calendar date of an instant in the province (UTC+7), as `dd/mm/yyyy`.
 * @throws RangeError for an invalid Date.
 */
export function formatDate(d: Date): string {
  const p = localParts(d);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/**
 * The time of day of an instant in the province (UTC+7), as `HH:mm` (24-hour).
 * @throws RangeError for an invalid Date.
 */
export function formatTime(d: Date): string {
  const p = localParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/**
 * An instant in the province (UTC+7) as `HH:mm dd/mm/yyyy`: time first, then date, the
 * order Vietnamese forms use ("08:35 05/03/2025"), and compact enough for table cells.
 * @throws RangeError for an invalid Date.
 */
export function formatDateTime(d: Date): string {
  return `${formatTime(d)} ${formatDate(d)}`;
}

/**
 * An instant written out for a sentence: `08:35, ngày 05/03/2025`.
 * @throws RangeError for an invalid Date.
 */
export function formatDateTimeLong(d: Date): string {
  return `${formatTime(d)}, ngày ${formatDate(d)}`;
}

/**
 * The place-and-date line of an administrative document (Decree 30/2020/NĐ-CP, Appendix I):
 * `Khánh Hòa, ngày 05 tháng 3 năm 2025`. Days below 10 and the months January and February
 * take a leading zero (`ngày 15 tháng 02 năm 2025`); other months do not.
 * @throws RangeError for an invalid Date.
 */
export function formatDateLine(place: string, d: Date): string {
  const p = localParts(d);
  const month = p.month <= 2 ? pad2(p.month) : String(p.month);
  return `${place}, ngày ${pad2(p.day)} tháng ${month} năm ${p.year}`;
}

/** A small count written with two digits as forms do (`01`, `05`, `12`). */
export function formatCount(n: number): string {
  return Number.isInteger(n) && n >= 0 && n < 10 ? pad2(n) : String(n);
}
