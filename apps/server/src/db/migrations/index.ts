import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0003 from './0003_calendar.ts';

/** Every migration, in order. Names sort in the order they run; a test checks this. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0003_calendar': m0003,
};
