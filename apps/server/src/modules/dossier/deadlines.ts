import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CalendarService } from '../calendar/index.ts';

const SWEEP_LOCK = 0x6d6f7464; // "motd": one sweeper across processes

/**
 * Flags open dossiers that are overdue or due within one working day, so queues put them first
 * (and later, notifications go out). Safe to run from every process: an advisory lock lets one
 * sweep at a time. Returns how many dossiers changed flag.
 */
export async function sweepDeadlines(db: Db, calendar: CalendarService, now = new Date()): Promise<number> {
  const cal = await calendar.calendar();
  const soon = cal.addWorkingMinutes(now, cal.minutesPerDay);
  return db.transaction().execute(async (tx) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`.execute(tx);
    if (!got.rows[0]?.ok) return 0;
    const r = await sql`
      UPDATE dossiers SET urgency = x.flag, urgency_at = now()
      FROM (
        SELECT id, CASE
          WHEN status IN ('processing','waiting_supplement','approved','result_ready') AND due_at < ${now} THEN 'overdue'
          WHEN status IN ('processing','waiting_supplement','approved','result_ready') AND due_at <= ${soon} THEN 'due_soon'
        END AS flag
        FROM dossiers
        WHERE status IN ('processing','waiting_supplement','approved','result_ready') OR urgency IS NOT NULL
      ) x
      WHERE dossiers.id = x.id AND dossiers.urgency IS DISTINCT FROM x.flag
      RETURNING dossiers.id`.execute(tx);
    return r.rows.length;
  });
}

/** Runs the sweep every `everyMs` until `stop` is called. */
export function scheduleDeadlineSweep(db: Db, calendar: CalendarService, everyMs: number, log: (e: unknown) => void): () => void {
  const timer = setInterval(() => {
    sweepDeadlines(db, calendar).catch(log);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
