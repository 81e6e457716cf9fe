/** Stable ids of the calendar's errors, for the service layer to map onto API errors. */
export type CalendarErrorCode =
  | 'calendar_invalid_date'
  | 'calendar_invalid_lunar_date'
  | 'calendar_invalid_config'
  | 'calendar_invalid_argument'
  | 'calendar_override_conflict'
  | 'calendar_override_nothing_to_remove'
  | 'calendar_no_working_time';

/** Thrown for invalid input to the calendar's pure functions; `code` never changes. */
export class CalendarError extends Error {
  readonly code: CalendarErrorCode;

  constructor(code: CalendarErrorCode, message: string) {
    super(message);
    this.name = 'CalendarError';
    this.code = code;
  }
}

