/**
 * Working-day calendar: the Vietnamese lunar calendar, public holidays with the government's
 * overrides, and working-time arithmetic for processing deadlines. Pure logic, no storage.
 */
export {
  formatIsoDate,
  parseIsoDate,
  type IsoDate,
  type SolarDate,
} from './dates.ts';
export { CalendarError, type CalendarErrorCode } from './errors.ts';
export {
  LUNAR_CALENDAR_RANGE,
  VIETNAM_TIME_ZONE,
  lunarMonthsOfYear,
  lunarNewYear,
  lunarToSolar,
  solarToLunar,
  type LunarDate,
  type LunarDateInput,
  type LunarMonth,
} from './lunar.ts';
export {
  applyOverrides,
  dayLookupFrom,
  defaultHolidays,
  vietnamDayLookup,
  type CalendarDays,
  type CalendarOverride,
  type DayOff,
  type DayStatus,
  type DayStatusLookup,
  type ExtraWorkingDay,
  type Holiday,
  type HolidayKind,
  type HolidayOptions,
  type LocalizedText,
  type VietnamDayLookupOptions,
} from './holidays.ts';
export {
  DEFAULT_SCHEDULE,
  createWorkingCalendar,
  type ScheduleInterval,
  type WorkingCalendar,
  type WorkingCalendarOptions,
} from './working-time.ts';
export { CalendarService, parseSchedule } from './calendar.service.ts';
export { calendarRoutes } from './calendar.routes.ts';
