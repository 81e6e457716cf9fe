import type { BlobStore } from '../adapters/storage/index.ts';
import type { Db } from '../db/database.ts';
import type { WorkingCalendar } from '../modules/calendar/index.ts';
import { writeHistory, type HistoryAction, type HistoryDossier } from '../modules/reports/history.ts';
import { seedAgencyHistory } from './demo-history-agencies.ts';

/**
 * DEMO DATA: the source article's department in 2019 (Sở Thông tin và Truyền thông Khánh Hòa):
 * 183 dossiers received, 179 resolved, 51 submitted online, none late; 4 still in progress,
 * within time, on 31 December. Written with real history so reports show the article's table.
 */
export const DEPT_2019 = '000.00.13.H56';

export function workingDaysOf(cal: WorkingCalendar, year: number): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (cal.isWorkingDay(iso as never)) out.push(iso);
  }
  return out;
}

/** Received at 08:00 local on `day`, approved `days` working days later less an hour, returned the same afternoon. */
export function resolvedHistory(cal: WorkingCalendar, day: string, days: number, finish = true): HistoryAction[] {
  const receive = new Date(`${day}T01:00:00Z`);
  const out: HistoryAction[] = [{ type: 'submit', at: new Date(`${day}T00:30:00Z`) }, { type: 'receive', at: receive }];
  let at = receive;
  const quarter = Math.round((days * 480 - 60) / 4);
  for (let i = 0; i < 3; i++) {
    at = cal.addWorkingMinutes(at, quarter);
    out.push({ type: 'forward', at });
  }
  if (!finish) return out;
  at = cal.addWorkingMinutes(at, quarter);
  out.push({ type: 'approve', at }, { type: 'mark_result_ready', at: cal.addWorkingMinutes(at, 30) }, { type: 'return_result', at: cal.addWorkingMinutes(at, 300), payload: { method: 'counter' } });
  return out;
}

/** The 2019 year over the given procedures (each with at least 10 working days of statutory time). */
export function history2019(cal: WorkingCalendar, procedureIds: readonly string[], agencyId: string): HistoryDossier[] {
  const days = workingDaysOf(cal, 2019);
  const out: HistoryDossier[] = [];
  const proc = (i: number) => procedureIds[i % procedureIds.length]!;
  // 179 received from January to early December and resolved within 2 to 9 working days.
  for (let i = 0; i < 179; i++) {
    const day = days[Math.floor((i * (days.length - 20)) / 179)]!;
    out.push({ procedureId: proc(i), agencyId, channel: i < 49 ? 'online' : i % 10 === 0 ? 'post' : 'in_person', actions: resolvedHistory(cal, day, 2 + (i % 8)) });
  }
  // 4 received on the last two working days, still in progress (within time) on 31 December.
  for (const [i, day] of [days[days.length - 2]!, days[days.length - 2]!, days[days.length - 1]!, days[days.length - 1]!].entries()) {
    out.push({ procedureId: proc(i), agencyId, channel: i < 2 ? 'online' : 'in_person', actions: resolvedHistory(cal, day, 5, false) });
  }
  return out;
}

/**
 * Loads the demo history once: the department's 2019 (when it has no dossiers yet), then the
 * other agencies' last and current year (`demo-history-agencies.ts`, for those that have none),
 * with their fees, payments and papers (the papers' bytes in `blobs`; without it, no files).
 * Returns how many dossiers were written (0 on a later start).
 */
export async function seedDemoHistory(db: Db, cal: WorkingCalendar, now = new Date(), blobs?: BlobStore): Promise<number> {
  return (await seed2019(db, cal)) + (await seedAgencyHistory(db, cal, now, blobs));
}

async function seed2019(db: Db, cal: WorkingCalendar): Promise<number> {
  const agency = await db.selectFrom('agencies').select('id').where('code', '=', DEPT_2019).executeTakeFirst();
  if (!agency) return 0;
  const already = await db.selectFrom('dossiers').select('id').where('receivingAgencyId', '=', agency.id).limit(1).executeTakeFirst();
  if (already) return 0;
  const procedures = await db.selectFrom('procedures').select('id')
    .where('code', 'in', ['1.003685', '1.003725', '1.004470', '1.003835']).where('processingUnit', '=', 'working_days').where('processingValue', '>=', 10)
    .orderBy('code').execute();
  if (procedures.length === 0) return 0;
  const dossiers = history2019(cal, procedures.map((p) => p.id), agency.id);
  await writeHistory(db, cal, dossiers);
  return dossiers.length;
}
