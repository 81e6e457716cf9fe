/**
 * From one dossier's action log to what the statistics need of it: a pure function, so that
 * the facts, the property test and any rebuild agree by construction.
 *
 * Time convention (the same as a report's): the state "at instant T" is the one derived from
 * the actions dated before T. So an action at `a` changes the state for every T > a, and each
 * interval below is open at its start and closed at its end: (from, to].
 */
import type { WorkingCalendar } from '../calendar/index.ts';
import { deriveDossier, type DossierView } from '../dossier/index.ts';

export type DossierFacts = Parameters<typeof deriveDossier>[0];
export type DossierAction = Parameters<typeof deriveDossier>[1][number];

export type Channel = 'in_person' | 'online' | 'post';
export type ExitKind = 'approved' | 'refused' | 'stopped' | 'withdrawn';

/** (from, to]; `to` null: still open. */
export interface Interval {
  from: Date;
  to: Date | null;
}

/** What other modules hold about the dossier, reduced to what the index asks. */
export interface DossierExtras {
  /** It has a fee to pay that is not zero (after exemptions). */
  feeBearing: boolean;
  /** A payment for it went through an online channel. */
  paidOnline: boolean;
  /** Its procedure returns a result document. */
  resultExpected: boolean;
  /** A result file is attached. */
  hasResultFile: boolean;
  /** The result was signed digitally by the agency (signing register). */
  signedResult: boolean;
  /** Every required component has a file. */
  componentsComplete: boolean;
  /** Its procedure has a reusable component. */
  reuseExpected: boolean;
  /** At least one of its files was reused from an earlier dossier. */
  reused: boolean;
}

export interface DossierInput {
  id: string;
  agencyId: string;
  procedureId: string;
  channel: Channel;
  facts: DossierFacts;
  actions: readonly DossierAction[];
  extras: DossierExtras;
}

/** A finished step visit, for the slowest steps: agency, day ended, step key, late, spent and allowed working minutes. */
export interface VisitFact {
  a: string;
  d: string;
  k: string;
  l: boolean;
  s: number;
  w: number;
}

export interface ReportRow {
  dossierId: string;
  agencyId: string;
  procedureId: string;
  channel: Channel;
  receivedAt: Date;
  receivedDay: string;
  dueAt: Date | null;
  exitAt: Date | null;
  exitDay: string | null;
  exitKind: ExitKind | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  supplementRequests: number;
  active: Interval;
  waiting: Interval[];
  overdue: Interval[];
  resolutionMinutes: number | null;
  statutoryMinutes: number;
  feeBearing: boolean;
  paidOnline: boolean;
  reuseExpected: boolean;
  reused: boolean;
  resultExpected: boolean;
  electronicResult: boolean;
  digitised: boolean;
  dissatisfied: boolean;
  visits: VisitFact[];
}

const FINISH: Partial<Record<string, ExitKind>> = { approve: 'approved', refuse: 'refused', stop: 'stopped', withdraw: 'withdrawn' };

/** Appends (from, to], merging with the previous interval when they touch. */
function push(list: Interval[], from: Date, to: Date | null): void {
  if (to !== null && to.getTime() <= from.getTime()) return;
  const last = list[list.length - 1];
  if (last && last.to !== null && last.to.getTime() === from.getTime()) last.to = to;
  else list.push({ from, to });
}

/**
 * The report row of a dossier, or null when it was never received (drafts, dossiers refused or
 * withdrawn before reception: they are not part of the work in hand).
 *
 * "Overdue" while open: processing past the statutory deadline, waiting for a supplement asked
 * after that deadline had passed (a pause stops the clock, it does not make a late dossier on
 * time), or asked for a supplement more than once (Decision 766, 2.1: such a dossier is late
 * whatever happens next). The statutory deadline is the one `state.ts` judges a finish against:
 * reception + processing time + supplement pauses, never moved by an apology's new appointment
 * (an extended dossier is late). `dueAt` is the appointment the applicant holds (after
 * extensions), for the lists.
 */
export function extractReportRow(input: DossierInput, calendar: WorkingCalendar): ReportRow | null {
  const { facts, actions } = input;
  const view: DossierView = deriveDossier(facts, actions, calendar);
  if (!view.receivedAt) return null;

  // A light replay of what the appointment and the pauses were after each action: the view
  // only tells where they ended. The property test checks it against replays of every prefix.
  let open = false;
  let due: Date | null = null;
  let statutory: Date | null = null;
  let pausedSince: Date | null = null;
  let supplements = 0;
  let since: Date | null = null;
  let exit: { at: Date; kind: ExitKind } | null = null;
  let pausedMinutes = 0;
  const overdue: Interval[] = [];
  const waiting: Interval[] = [];
  const segment = (end: Date | null) => {
    if (!open || !since) return;
    if (pausedSince) {
      push(waiting, since, end);
      if (supplements > 1 || (statutory && statutory < pausedSince)) push(overdue, since, end);
    } else if (supplements > 1) {
      push(overdue, since, end);
    } else if (statutory && (end === null || statutory < end)) {
      push(overdue, statutory > since ? statutory : since, end);
    }
  };
  for (const a of actions) {
    if (exit) break;
    segment(a.at);
    switch (a.type) {
      case 'receive':
        if (!open) {
          open = true;
          due = facts.duration.unit === 'working_days' ? calendar.addWorkingDays(a.at, facts.duration.value) : calendar.addWorkingHours(a.at, facts.duration.value);
          statutory = due;
        }
        break;
      case 'request_supplement':
        if (open) {
          supplements += 1;
          pausedSince = a.at;
        }
        break;
      case 'supplement':
        if (open && pausedSince && due && statutory) {
          pausedMinutes += Math.max(0, calendar.workingTimeBetween(pausedSince, a.at));
          due = calendar.extendForPause(due, pausedSince, a.at);
          statutory = calendar.extendForPause(statutory, pausedSince, a.at);
          pausedSince = null;
        }
        break;
      case 'extend':
        // A new appointment for the applicant; the statutory deadline stays (Decision 766).
        if (open && typeof a.payload.newDueAt === 'string') due = new Date(a.payload.newDueAt);
        break;
      default: {
        const kind = FINISH[a.type];
        if (open && kind) {
          if (pausedSince) pausedMinutes += Math.max(0, calendar.workingTimeBetween(pausedSince, a.at));
          exit = { at: a.at, kind };
          open = false;
        }
      }
    }
    since = a.at;
  }
  segment(null);

  const minutesPerUnit = facts.duration.unit === 'working_days' ? calendar.minutesPerDay : 60;
  const statutoryMinutes = facts.duration.value * minutesPerUnit;
  const finished = exit !== null && exit.kind !== 'withdrawn';
  const resolutionMinutes = finished ? Math.max(0, Math.round(calendar.workingTimeBetween(view.receivedAt, exit!.at) - pausedMinutes)) : null;
  const approved = exit?.kind === 'approved';
  const returnedOnline = actions.some((a) => a.type === 'return_result' && a.payload.method === 'online');
  const x = input.extras;

  const visits: VisitFact[] = [];
  for (const v of view.visits) {
    if (!v.endedAt) continue;
    visits.push({
      a: v.agencyId,
      d: calendar.localDate(v.endedAt),
      k: facts.steps[v.stepIndex]?.key ?? `step${v.stepIndex}`,
      l: v.timeliness === 'late',
      s: Math.max(0, Math.round(calendar.workingTimeBetween(v.startedAt, v.endedAt))),
      w: Math.max(0, Math.round(calendar.workingTimeBetween(v.startedAt, v.dueAt))),
    });
  }

  return {
    dossierId: input.id,
    agencyId: input.agencyId,
    procedureId: input.procedureId,
    channel: input.channel,
    receivedAt: view.receivedAt,
    receivedDay: calendar.localDate(view.receivedAt),
    dueAt: due,
    exitAt: exit?.at ?? null,
    exitDay: exit ? calendar.localDate(exit.at) : null,
    exitKind: exit?.kind ?? null,
    timeliness: finished ? view.timeliness : null,
    supplementRequests: supplements,
    active: { from: view.receivedAt, to: exit?.at ?? null },
    waiting,
    overdue,
    resolutionMinutes,
    statutoryMinutes,
    feeBearing: x.feeBearing,
    paidOnline: x.feeBearing && x.paidOnline,
    reuseExpected: x.reuseExpected,
    reused: x.reuseExpected && x.reused,
    resultExpected: approved && x.resultExpected,
    // Electronic: signed by the agency, or (before signing existed) a result file returned online.
    electronicResult: approved && x.resultExpected && (x.signedResult || (x.hasResultFile && returnedOnline)),
    digitised: approved && x.componentsComplete && x.hasResultFile,
    dissatisfied: finished && view.rating?.score === 'dissatisfied',
    visits,
  };
}

/** The measures of report_daily_facts, in column order. */
export const FACT_MEASURES = [
  'received', 'feeBearing', 'paidOnline', 'reuseExpected', 'reused',
  'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'refused', 'stopped', 'withdrawn',
  'resolutionMinutes', 'statutoryMinutes', 'slow', 'resultExpected', 'electronicResult', 'digitised', 'dissatisfied',
] as const;
export type FactMeasure = (typeof FACT_MEASURES)[number];
export type FactValues = Record<FactMeasure, number>;

export interface FactKey {
  agencyId: string;
  day: string;
  procedureId: string;
  channel: Channel;
}

export const emptyFacts = (): FactValues => Object.fromEntries(FACT_MEASURES.map((m) => [m, 0])) as FactValues;

/**
 * What one row adds to the daily facts: received-side counts on the day of reception, the rest
 * on the day it left the work in hand. report_daily_facts is the sum of these over all rows
 * (facts.ts keeps it so incrementally; `rebuildFacts` recomputes it in SQL the same way).
 */
export function contributions(r: Pick<ReportRow, 'agencyId' | 'procedureId' | 'channel' | 'receivedDay' | 'exitDay' | 'exitKind' | 'timeliness' |
  'resolutionMinutes' | 'statutoryMinutes' | 'feeBearing' | 'paidOnline' | 'reuseExpected' | 'reused' | 'resultExpected' | 'electronicResult' |
  'digitised' | 'dissatisfied'>): { key: FactKey; values: Partial<FactValues> }[] {
  const base = { agencyId: r.agencyId, procedureId: r.procedureId, channel: r.channel };
  const out: { key: FactKey; values: Partial<FactValues> }[] = [{
    key: { ...base, day: r.receivedDay },
    values: { received: 1, feeBearing: +r.feeBearing, paidOnline: +r.paidOnline, reuseExpected: +r.reuseExpected, reused: +r.reused },
  }];
  if (r.exitDay && r.exitKind) {
    const values: Partial<FactValues> = r.exitKind === 'withdrawn' ? { withdrawn: 1 } : {
      resolved: 1,
      resolvedEarly: +(r.timeliness === 'early'),
      resolvedOnTime: +(r.timeliness === 'on_time'),
      resolvedLate: +(r.timeliness === 'late'),
      refused: +(r.exitKind === 'refused'),
      stopped: +(r.exitKind === 'stopped'),
      resolutionMinutes: r.resolutionMinutes ?? 0,
      statutoryMinutes: r.statutoryMinutes,
      slow: +((r.resolutionMinutes ?? 0) > r.statutoryMinutes),
      resultExpected: +r.resultExpected,
      electronicResult: +r.electronicResult,
      digitised: +r.digitised,
      dissatisfied: +r.dissatisfied,
    };
    out.push({ key: { ...base, day: r.exitDay }, values });
  }
  return out;
}
