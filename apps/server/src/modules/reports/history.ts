/**
 * DEMO AND TEST DATA: writes dossiers with a past history (actions at chosen dates) exactly as
 * the dossier module writes live ones: the action log, and the projection derived from it by
 * the same pure function and the same mapping; codes from the same daily counters. Only the
 * audit rows of the historical actions are left out. Used by the report tests and meant for the
 * demo seed (a year of the Department of Information and Communications, as in the source
 * article).
 *
 * It reaches into the dossier module's internals (process versions, the projection mapping,
 * dossier codes) on purpose: a second copy of them could drift from what the module writes.
 */
import type { Db, Tx } from '../../db/database.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { deriveDossier } from '../dossier/index.ts';
import { nextDossierCode } from '../dossier/codes.ts';
import { projection } from '../dossier/dossier.service.ts';
import { currentProcess } from '../dossier/process.ts';
import type { DossierAction } from './extract.ts';

export type ActionType = DossierAction['type'];

export interface HistoryAction {
  type: ActionType;
  at: Date;
  payload?: Record<string, unknown>;
}

export interface HistoryDossier {
  procedureId: string;
  /** Receiving agency. */
  agencyId: string;
  channel: 'in_person' | 'online' | 'post';
  /** Without `receive` codes: the writer assigns them as reception does. */
  actions: HistoryAction[];
  applicantName?: string;
  delivery?: { method: 'counter' | 'post' | 'online'; address?: string };
}

/**
 * Writes the dossiers and their logs in one transaction per 200 dossiers; returns their ids in
 * order. The procedure's current process and statutory time apply, as for a live dossier.
 * @throws TransitionError when a history is not one the workflow allows (nothing of that batch is written).
 */
export async function writeHistory(db: Db, calendar: WorkingCalendar, dossiers: readonly HistoryDossier[], codeFormat = '{agency}-{yyMMdd}-{seq4}'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < dossiers.length; i += 200) {
    const part = dossiers.slice(i, i + 200);
    ids.push(...(await db.transaction().execute((tx) => writeBatch(tx, calendar, part, codeFormat))));
  }
  return ids;
}

async function writeBatch(tx: Tx, calendar: WorkingCalendar, dossiers: readonly HistoryDossier[], codeFormat: string): Promise<string[]> {
  const procedures = new Map<string, { processingValue: number; processingUnit: string; process: Awaited<ReturnType<typeof currentProcess>> }>();
  const agencies = new Map<string, { id: string; code: string }>();
  const ids: string[] = [];
  for (const d of dossiers) {
    let proc = procedures.get(d.procedureId);
    if (!proc) {
      const p = await tx.selectFrom('procedures').select(['processingValue', 'processingUnit']).where('id', '=', d.procedureId).executeTakeFirstOrThrow();
      proc = { ...p, process: await currentProcess(tx, d.procedureId) };
      procedures.set(d.procedureId, proc);
    }
    let agency = agencies.get(d.agencyId);
    if (!agency) {
      agency = await tx.selectFrom('agencies').select(['id', 'code']).where('id', '=', d.agencyId).executeTakeFirstOrThrow();
      agencies.set(d.agencyId, agency);
    }
    const facts = { receivingAgencyId: d.agencyId, duration: { value: proc.processingValue, unit: proc.processingUnit as 'working_days' }, steps: proc.process.steps };
    const actions: DossierAction[] = [];
    for (const [i, a] of d.actions.entries()) {
      const payload = { ...(a.payload ?? {}) };
      if (a.type === 'receive') payload.code = await nextDossierCode(tx, agency, calendar.localDate(a.at), codeFormat);
      actions.push({ seq: i + 1, type: a.type, at: a.at, actorId: null, payload });
    }
    const view = deriveDossier(facts, actions, calendar, actions[actions.length - 1]?.at);
    const p = projection(view);
    const row = await tx.insertInto('dossiers').values({
      procedureId: d.procedureId, processId: proc.process.id, durationValue: proc.processingValue, durationUnit: proc.processingUnit as 'working_days',
      channel: d.channel, receivingAgencyId: d.agencyId, applicantName: d.applicantName ?? 'Người nộp (dữ liệu mẫu)',
      formData: '{}', delivery: JSON.stringify(d.delivery ?? { method: d.channel === 'online' ? 'online' : 'counter' }),
      ...p, updatedAt: actions[actions.length - 1]?.at ?? new Date(), createdAt: actions[0]?.at ?? new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    if (actions.length)
      await tx.insertInto('dossierActions').values(actions.map((a) => ({
        dossierId: row.id, seq: a.seq, type: a.type, at: a.at, actorId: null, actorName: 'dữ liệu mẫu', comment: null, payload: JSON.stringify(a.payload),
      }))).execute();
    ids.push(row.id);
  }
  return ids;
}

/**
 * Appends later actions to a dossier written before, and rewrites its projection, as
 * `appendAction` would have done at those dates.
 * @throws TransitionError when the actions do not follow from its current state.
 */
export async function appendHistory(db: Db, calendar: WorkingCalendar, dossierId: string, more: readonly HistoryAction[], codeFormat = '{agency}-{yyMMdd}-{seq4}'): Promise<void> {
  if (more.length === 0) return;
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('dossiers').select(['receivingAgencyId', 'durationValue', 'durationUnit', 'processId', 'lastSeq']).where('id', '=', dossierId).forUpdate().executeTakeFirstOrThrow();
    const steps = (await tx.selectFrom('processes').select('steps').where('id', '=', row.processId).executeTakeFirstOrThrow()).steps as Parameters<typeof deriveDossier>[0]['steps'];
    const agency = await tx.selectFrom('agencies').select(['id', 'code']).where('id', '=', row.receivingAgencyId).executeTakeFirstOrThrow();
    const old = await tx.selectFrom('dossierActions').select(['seq', 'type', 'at', 'payload']).where('dossierId', '=', dossierId).orderBy('seq').execute();
    const actions: DossierAction[] = old.map((a) => ({ seq: a.seq, type: a.type as ActionType, at: a.at, actorId: null, payload: a.payload }));
    const added: DossierAction[] = [];
    for (const a of more) {
      const payload = { ...(a.payload ?? {}) };
      if (a.type === 'receive') payload.code = await nextDossierCode(tx, agency, calendar.localDate(a.at), codeFormat);
      added.push({ seq: row.lastSeq + added.length + 1, type: a.type, at: a.at, actorId: null, payload });
    }
    const all = [...actions, ...added];
    const facts = { receivingAgencyId: row.receivingAgencyId, duration: { value: row.durationValue, unit: row.durationUnit }, steps };
    const view = deriveDossier(facts, all, calendar, all[all.length - 1]!.at);
    await tx.insertInto('dossierActions').values(added.map((a) => ({
      dossierId, seq: a.seq, type: a.type, at: a.at, actorId: null, actorName: 'dữ liệu mẫu', comment: null, payload: JSON.stringify(a.payload),
    }))).execute();
    await tx.updateTable('dossiers').set({ ...projection(view), updatedAt: all[all.length - 1]!.at }).where('id', '=', dossierId).execute();
  });
}

/** A small deterministic random source (mulberry32), so a seeded history is the same every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  /** Number of steps of the procedure's process (4 with the default process). */
  steps: number;
  /** Statutory time in working days. */
  days: number;
  /** No action after this instant (the dossier may stay open). */
  until: Date;
  /** Probabilities of the less common paths (defaults are realistic). */
  supplement?: number;
  secondSupplement?: number;
  refuse?: number;
  stop?: number;
  withdraw?: number;
  extend?: number;
  transferTo?: string;
  transfer?: number;
  /** Share of dossiers worked slowly (likely late). */
  slow?: number;
  /** How the result is returned. */
  returnMethod?: 'counter' | 'post' | 'online';
  rating?: 'satisfied' | 'neutral' | 'dissatisfied' | null;
}

/**
 * A plausible history for one dossier submitted at `submittedAt`: reception, the steps of the
 * process with the occasional supplement request, extension, transfer or early end, then the
 * result and a rating. Times are working time after each other; actions after `until` are cut,
 * which leaves the dossier open. Every history it makes is one the workflow allows.
 */
export function generateActions(random: () => number, calendar: WorkingCalendar, submittedAt: Date, o: GenerateOptions): HistoryAction[] {
  const out: HistoryAction[] = [];
  const perStep = (o.days * calendar.minutesPerDay) / Math.max(1, o.steps);
  const slow = random() < (o.slow ?? 0.05);
  let t = submittedAt;
  const later = (minutes: number) => {
    t = calendar.addWorkingMinutes(calendar.nextWorkingStart(t), Math.max(1, Math.round(minutes)));
    return t;
  };
  out.push({ type: 'submit', at: t });
  out.push({ type: 'receive', at: later(5 + random() * 60) });
  // The appointment, followed as the workflow moves it (an extension must be later than it).
  let due = calendar.addWorkingDays(t, o.days);
  let supplements = 0;
  for (let step = 0; step < o.steps; step++) {
    const spend = perStep * (slow ? 1.2 + random() * 1.5 : 0.2 + random() * 0.9);
    later(spend);
    const r = random();
    if (step > 0 && r < (o.supplement ?? 0.08) && supplements === 0) {
      supplements++;
      out.push({ type: 'request_supplement', at: t, payload: { reasons: ['Thiếu giấy tờ'] } });
      if (random() < (o.withdraw ?? 0.02) * 5) {
        out.push({ type: 'withdraw', at: later(calendar.minutesPerDay * (1 + random() * 3)) });
        break;
      }
      const asked = t;
      out.push({ type: 'supplement', at: later(calendar.minutesPerDay * (0.5 + random() * 4)) });
      due = calendar.extendForPause(due, asked, t);
      if (random() < (o.secondSupplement ?? 0.2)) {
        supplements++;
        const again = later(60);
        out.push({ type: 'request_supplement', at: again, payload: { reasons: ['Còn thiếu'] } });
        out.push({ type: 'supplement', at: later(calendar.minutesPerDay * (0.5 + random() * 2)) });
        due = calendar.extendForPause(due, again, t);
      }
    }
    if (random() < (o.extend ?? 0.02)) {
      const at = later(30);
      due = calendar.addWorkingDays(due > at ? due : at, 2 + Math.floor(random() * 5));
      out.push({ type: 'extend', at, payload: { newDueAt: due.toISOString() } });
    }
    if (o.transferTo && step === 1 && random() < (o.transfer ?? 0.05)) out.push({ type: 'transfer', at: later(30), payload: { toAgencyId: o.transferTo } });
    const end = random();
    if (step > 0 && end < (o.refuse ?? 0.03)) {
      out.push({ type: 'refuse', at: later(30), payload: { reasons: ['Không đủ điều kiện'] } });
      break;
    }
    if (step > 0 && end < (o.refuse ?? 0.03) + (o.stop ?? 0.01)) {
      out.push({ type: 'stop', at: later(30), payload: { reasons: ['Dừng theo đề nghị'] } });
      break;
    }
    if (end > 1 - (o.withdraw ?? 0.02)) {
      out.push({ type: 'withdraw', at: later(30) });
      break;
    }
    if (step < o.steps - 1) out.push({ type: 'forward', at: later(10) });
    else {
      out.push({ type: 'approve', at: later(10) });
      out.push({ type: 'mark_result_ready', at: later(30 + random() * 120) });
      out.push({ type: 'return_result', at: later(random() * calendar.minutesPerDay * 2), payload: { method: o.returnMethod ?? 'counter' } });
      if (o.rating !== null) {
        const score = o.rating ?? (random() < 0.9 ? 'satisfied' : random() < 0.5 ? 'neutral' : 'dissatisfied');
        out.push({ type: 'rate', at: later(60 + random() * 600), payload: { score, comment: null } });
      }
    }
  }
  return out.filter((a) => a.at.getTime() <= o.until.getTime());
}
