import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_catalog.ts';
import * as m0003 from './0003_calendar.ts';
import * as m0004 from './0004_dossiers.ts';
import * as m0005 from './0005_payments.ts';
import * as m0006 from './0006_signing.ts';
import * as m0007 from './0007_notify.ts';
import * as m0008 from './0008_reports.ts';
import * as m0009 from './0009_results_refunds.ts';
import * as m0010 from './0010_feedback.ts';
import * as m0011 from './0011_refund_checks.ts';
import * as m0012 from './0012_draft_deletion.ts';

/** Every migration, in order. Names sort in the order they run; a test checks this. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_catalog': m0002,
  '0003_calendar': m0003,
  '0004_dossiers': m0004,
  '0005_payments': m0005,
  '0006_signing': m0006,
  '0007_notify': m0007,
  '0008_reports': m0008,
  '0009_results_refunds': m0009,
  '0010_feedback': m0010,
  '0011_refund_checks': m0011,
  '0012_draft_deletion': m0012,
};
