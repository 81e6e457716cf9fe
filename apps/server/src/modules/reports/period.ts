import { fieldError } from '../../http/errors.ts';

/** A report period: local dates and the instants that bound it. */
export interface Period {
  from: string;
  to: string;
  /** 00:00 local time of `from`. */
  start: Date;
  /** 00:00 local time of the day after `to`. */
  end: Date;
}

const MAX_YEARS = 5;

function parseDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : null;
}

export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Checks and resolves a period. `offsetMinutes` is the province's offset from UTC, so that a
 * day runs from local midnight to local midnight.
 * @throws AppError 400 for an impossible date, from after to, or a period longer than 5 years.
 */
export function parsePeriod(from: string, to: string, offsetMinutes: number, paths = { from: 'querystring.from', to: 'querystring.to' }): Period {
  const f = parseDay(from);
  if (f === null) throw fieldError(paths.from, 'Ngày bắt đầu không hợp lệ (YYYY-MM-DD).', 'Invalid start date (YYYY-MM-DD).');
  const t = parseDay(to);
  if (t === null) throw fieldError(paths.to, 'Ngày kết thúc không hợp lệ (YYYY-MM-DD).', 'Invalid end date (YYYY-MM-DD).');
  if (f > t) throw fieldError(paths.to, 'Ngày kết thúc phải từ ngày bắt đầu trở đi.', 'The end date must not be before the start date.');
  const limit = new Date(f);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS);
  if (t >= limit.getTime())
    throw fieldError(paths.to, `Kỳ báo cáo dài tối đa ${MAX_YEARS} năm.`, `A report period is at most ${MAX_YEARS} years long.`);
  const offset = offsetMinutes * 60_000;
  return { from, to, start: new Date(f - offset), end: new Date(t + 86_400_000 - offset) };
}

/** The instant stocks are measured at for an instant of the period: never later than now. */
export const measured = (at: Date, now: Date) => (at.getTime() > now.getTime() ? now : at);

/** First days of the months a period touches, as [month (YYYY-MM), first local day in the period, last local day in the period]. */
export function monthsOf(p: Period): { month: string; from: string; to: string }[] {
  const out: { month: string; from: string; to: string }[] = [];
  const end = parseDay(p.to)!;
  let cursor = parseDay(p.from)!;
  while (cursor <= end) {
    const d = new Date(cursor);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    out.push({ month: isoDay(cursor).slice(0, 7), from: isoDay(cursor), to: isoDay(Math.min(next - 86_400_000, end)) });
    cursor = next;
  }
  return out;
}

/** A sub-period of days within `p` (same offset). */
export function subPeriod(p: Period, from: string, to: string): Period {
  const offset = p.start.getTime() - parseDay(p.from)!;
  return { from, to, start: new Date(parseDay(from)! + offset), end: new Date(parseDay(to)! + 86_400_000 + offset) };
}

/** A day range that selects nothing (BETWEEN with its bounds reversed). */
export const NO_DAYS: [string, string] = ['9999-12-31', '0001-01-01'];

/**
 * The period as whole calendar months (read from the monthly facts) plus the days of the
 * partial months at either end (read from the daily facts). Ranges that are not needed are
 * NO_DAYS, so the SQL keeps one shape.
 */
export function monthSplit(from: string, to: string): { months: [string, string]; head: [string, string]; tail: [string, string] } {
  const f = parseDay(from)!;
  const t = parseDay(to)!;
  const fd = new Date(f);
  const td = new Date(t);
  const firstFull = fd.getUTCDate() === 1 ? f : Date.UTC(fd.getUTCFullYear(), fd.getUTCMonth() + 1, 1);
  const endsMonth = new Date(t + 86_400_000).getUTCDate() === 1;
  const lastFull = endsMonth ? Date.UTC(td.getUTCFullYear(), td.getUTCMonth(), 1) : Date.UTC(td.getUTCFullYear(), td.getUTCMonth() - 1, 1);
  if (firstFull > lastFull) return { months: NO_DAYS, head: [from, to], tail: NO_DAYS };
  return {
    months: [isoDay(firstFull), isoDay(lastFull)],
    head: f < firstFull ? [from, isoDay(firstFull - 86_400_000)] : NO_DAYS,
    tail: endsMonth ? NO_DAYS : [isoDay(Date.UTC(td.getUTCFullYear(), td.getUTCMonth(), 1)), to],
  };
}
