import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { IsoDate } from './dates.ts';
import { applyOverrides, defaultHolidays, vietnamDayLookup, type CalendarDays, type CalendarOverride } from './holidays.ts';
import { createWorkingCalendar, type ScheduleInterval, type WorkingCalendar } from './working-time.ts';

export function parseSchedule(spec: string): ScheduleInterval[] {
  return spec.split(',').map((part) => {
    const [start, end] = part.split('-') as [string, string];
    return { start, end };
  });
}

export async function loadOverrides(db: DbOrTx): Promise<(CalendarOverride & { id: string; note: string | null })[]> {
  const rows = await db.selectFrom('calendarOverrides').selectAll().orderBy('date').execute();
  return rows.map((r) => ({
    id: r.id,
    date: r.date as IsoDate,
    kind: r.kind,
    note: r.note,
    ...(r.nameVi || r.nameEn ? { name: { vi: r.nameVi ?? r.nameEn ?? '', en: r.nameEn ?? r.nameVi ?? '' } } : {}),
  }));
}

/**
 * The province's working calendar: statutory holidays, the officials' overrides from the
 * database and the configured office hours. Rebuilt when overrides change (`invalidate`), and
 * at most every 30 seconds so that other processes' changes are picked up.
 */
export class CalendarService {
  private cached: { at: number; calendar: WorkingCalendar; overrides: CalendarOverride[] } | null = null;

  constructor(private readonly db: DbOrTx, private readonly config: Config) {}

  /** After a local change: the next caller waits for the fresh calendar. */
  invalidate(): void {
    this.cached = null;
  }

  private refreshing: Promise<void> | null = null;

  private refresh(): Promise<void> {
    this.refreshing ??= loadOverrides(this.db)
      .then((overrides) => {
        this.cached = { at: Date.now(), overrides, calendar: this.build(overrides) };
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * The cached calendar; a stale one is returned at once while a fresh one loads in the
   * background, so callers holding a transaction never wait for another connection.
   */
  private async current() {
    if (!this.cached) await this.refresh();
    else if (Date.now() - this.cached.at > 30_000) void this.refresh().catch(() => undefined);
    return this.cached!;
  }

  /** A calendar with these overrides (used to check a change before saving it). */
  build(overrides: readonly CalendarOverride[]): WorkingCalendar {
    return createWorkingCalendar({
      schedule: parseSchedule(this.config.WORK_SCHEDULE),
      utcOffset: this.config.WORK_UTC_OFFSET,
      days: vietnamDayLookup({ overrides, nationalDayAdjacent: this.config.NATIONAL_DAY_ADJACENT }),
    });
  }

  async calendar(): Promise<WorkingCalendar> {
    return (await this.current()).calendar;
  }

  /** Days off (holidays, compensatory days, notices) and extra working days of one year. */
  async year(year: number): Promise<CalendarDays> {
    const { overrides } = await this.current();
    return applyOverrides(
      defaultHolidays(year, { nationalDayAdjacent: this.config.NATIONAL_DAY_ADJACENT }),
      overrides.filter((o) => o.date.startsWith(`${year}-`)),
    );
  }
}
