/**
 * A dossier (hồ sơ) is a row plus an append-only list of actions; everything about where it
 * stands (state, step, holder, deadlines, classification) comes from this one pure function.
 * History, audit, statistics and the process-control slip (form 06) fall out of the same data.
 */
import type { WorkingCalendar } from '../calendar/index.ts';

export type ActionType =
  | 'submit' // the applicant (or the desk, for a counter dossier) hands the dossier in
  | 'request_supplement_before_reception' // the desk asks for missing papers before receiving
  | 'receive' // the desk receives: code, appointment time, slip
  | 'supplement' // the applicant supplies what was asked
  | 'claim' // an official takes the dossier at the current step
  | 'assign' // a head of division hands it to an official
  | 'forward' // on to the next step of the process
  | 'return_step' // back to an earlier step
  | 'transfer' // to another agency at the same step (liên thông)
  | 'request_supplement' // ask the applicant for more: the clock pauses
  | 'extend' // late: apology (form 04) and a new appointment
  | 'refuse' // refusal with reasons (form 03)
  | 'stop' // processing stopped (form 05)
  | 'approve' // the leader approves (signs) the result
  | 'mark_result_ready' // the result is ready to collect/send
  | 'return_result' // the result is handed over (counter, post or online)
  | 'withdraw' // withdrawn at the applicant's request
  | 'rate'; // the applicant rates the service

/** One step of a procedure's internal process (quy trình nội bộ). */
export interface ProcessStep {
  key: string;
  name: { vi: string; en: string };
  /** Agency that acts at this step; null: the agency that received the dossier. */
  agencyId: string | null;
  role: 'reception_officer' | 'specialist' | 'division_head' | 'agency_leader';
  /** Share of the statutory time, in percent; the shares of a process add up to 100. */
  sharePercent: number;
  /** Keys of earlier steps this step may return the dossier to. */
  returnTo?: string[];
}

export interface DossierAction {
  seq: number;
  type: ActionType;
  at: Date;
  actorId: string | null;
  /** What the action carries: e.g. code, assignee, target step/agency, new appointment, reasons, rating. */
  payload: Record<string, unknown>;
}

export interface DossierFacts {
  receivingAgencyId: string;
  /** Statutory processing time. */
  duration: { value: number; unit: 'working_days' | 'working_hours' };
  steps: readonly ProcessStep[];
}

export type DossierStatus =
  | 'draft'
  | 'submitted'
  | 'awaiting_supplement_before_reception'
  | 'processing'
  | 'waiting_supplement'
  | 'approved'
  | 'result_ready'
  | 'returned'
  | 'refused'
  | 'stopped'
  | 'withdrawn';

/** The national public-service portal's vocabulary, used when syncing dossiers. */
export type PortalStatus =
  | 'receiving' | 'new' | 'processing' | 'waiting' | 'paying' | 'denied' | 'cancelled'
  | 'unresolved' | 'releasing' | 'done' | 'interoperating' | 'posting';

export type Timeliness = 'early' | 'on_time' | 'late';

export interface StepVisit {
  stepIndex: number;
  agencyId: string;
  startedAt: Date;
  dueAt: Date;
  endedAt: Date | null;
  /** Who handed over, and what happened at the end of the visit (form 06). */
  endedBy: ActionType | null;
  timeliness: Timeliness | null;
}

export interface DossierView {
  status: DossierStatus;
  portalStatus: PortalStatus;
  code: string | null;
  submittedAt: Date | null;
  receivedAt: Date | null;
  stepIndex: number | null;
  agencyId: string | null;
  assigneeId: string | null;
  /** Appointment time (ngày hẹn trả), after extensions and supplement pauses. */
  dueAt: Date | null;
  /**
   * The statutory deadline: receipt + processing time + supplement pauses, never moved by an
   * apology. Timeliness is judged against it (Decision 766: an extended dossier is late).
   */
  statutoryDueAt: Date | null;
  /** Due time of the current step. */
  stepDueAt: Date | null;
  /** When waiting for the applicant: since when. */
  pausedSince: Date | null;
  /** Working minutes spent waiting for supplements (excluded from the clock). */
  pausedMinutes: number;
  supplementRequests: number;
  /** First of: approved (processed), result returned, refused or stopped. */
  finishedAt: Date | null;
  returnedAt: Date | null;
  timeliness: Timeliness | null;
  visits: StepVisit[];
  rating: { score: 'satisfied' | 'neutral' | 'dissatisfied'; comment: string | null } | null;
  lastSeq: number;
}

/** An action that does not fit the dossier's current state (answered with 409). */
export class TransitionError extends Error {
  constructor(readonly action: ActionType, readonly status: DossierStatus, readonly reason: string) {
    super(`${action} not allowed when ${status}: ${reason}`);
    this.name = 'TransitionError';
  }
}

const ACTIVE: readonly DossierStatus[] = ['processing', 'waiting_supplement'];

/** Which actions each status allows (before checking the action's own conditions). */
export const ALLOWED: Record<DossierStatus, readonly ActionType[]> = {
  draft: ['submit'],
  submitted: ['receive', 'request_supplement_before_reception', 'refuse', 'withdraw'],
  awaiting_supplement_before_reception: ['supplement', 'refuse', 'withdraw'],
  processing: ['claim', 'assign', 'forward', 'return_step', 'transfer', 'request_supplement', 'extend', 'refuse', 'stop', 'approve', 'withdraw'],
  waiting_supplement: ['supplement', 'extend', 'refuse', 'stop', 'withdraw'],
  approved: ['mark_result_ready'],
  result_ready: ['return_result'],
  returned: ['rate'],
  refused: [],
  stopped: [],
  withdrawn: [],
};

export function classify(calendar: WorkingCalendar, finishedAt: Date, dueAt: Date): Timeliness {
  if (finishedAt.getTime() > dueAt.getTime()) return 'late';
  return calendar.localDate(finishedAt) < calendar.localDate(dueAt) ? 'early' : 'on_time';
}

function totalMinutes(calendar: WorkingCalendar, facts: DossierFacts): number {
  return facts.duration.unit === 'working_days' ? facts.duration.value * calendar.minutesPerDay : facts.duration.value * 60;
}

/**
 * Replays the log. Throws TransitionError at the first action that the state before it does not
 * allow, so the same function both derives the view and validates a new action (append it and
 * replay). Pure: the calendar and process are inputs.
 */
export function deriveDossier(facts: DossierFacts, actions: readonly DossierAction[], calendar: WorkingCalendar, now?: Date): DossierView {
  const v: DossierView = {
    status: 'draft', portalStatus: 'receiving', code: null, submittedAt: null, receivedAt: null, stepIndex: null,
    agencyId: null, assigneeId: null, dueAt: null, statutoryDueAt: null, stepDueAt: null, pausedSince: null, pausedMinutes: 0,
    supplementRequests: 0, finishedAt: null, returnedAt: null, timeliness: null, visits: [], rating: null, lastSeq: 0,
  };
  const total = totalMinutes(calendar, facts);
  const stepAgency = (i: number) => facts.steps[i]?.agencyId ?? facts.receivingAgencyId;

  const startVisit = (i: number, at: Date, agencyId = stepAgency(i)) => {
    const share = facts.steps[i]?.sharePercent ?? 100;
    const due = calendar.addWorkingMinutes(calendar.nextWorkingStart(at), (total * share) / 100);
    v.visits.push({ stepIndex: i, agencyId, startedAt: at, dueAt: due, endedAt: null, endedBy: null, timeliness: null });
    v.stepIndex = i;
    v.agencyId = agencyId;
    v.assigneeId = null;
    v.stepDueAt = due;
  };
  const endVisit = (at: Date, by: ActionType) => {
    const cur = v.visits[v.visits.length - 1];
    if (cur && !cur.endedAt) {
      cur.endedAt = at;
      cur.endedBy = by;
      cur.timeliness = classify(calendar, at, cur.dueAt);
    }
  };
  const finish = (at: Date) => {
    if (!v.finishedAt) {
      v.finishedAt = at;
      // More than one supplement request makes the dossier late (Decision 766, 2.1).
      v.timeliness = v.statutoryDueAt ? (v.supplementRequests > 1 ? 'late' : classify(calendar, at, v.statutoryDueAt)) : null;
    }
  };

  for (const a of actions) {
    const fail = (reason: string): never => {
      throw new TransitionError(a.type, v.status, reason);
    };
    if (!ALLOWED[v.status].includes(a.type)) fail('not allowed in this state');
    const p = a.payload;
    switch (a.type) {
      case 'submit':
        v.status = 'submitted';
        v.submittedAt = a.at;
        break;
      case 'request_supplement_before_reception':
        v.status = 'awaiting_supplement_before_reception';
        break;
      case 'receive': {
        if (typeof p.code !== 'string') fail('a code is required');
        v.code = p.code as string;
        v.receivedAt = a.at;
        v.dueAt = facts.duration.unit === 'working_days'
          ? calendar.addWorkingDays(a.at, facts.duration.value)
          : calendar.addWorkingHours(a.at, facts.duration.value);
        v.statutoryDueAt = v.dueAt;
        v.status = 'processing';
        startVisit(0, a.at);
        // The receiving officer holds the first step when it is the reception step.
        if (facts.steps[0]?.role === 'reception_officer') v.assigneeId = a.actorId;
        break;
      }
      case 'supplement':
        if (v.status === 'awaiting_supplement_before_reception') {
          v.status = 'submitted';
        } else {
          const since = v.pausedSince!;
          const paused = Math.max(0, calendar.workingTimeBetween(since, a.at));
          v.pausedMinutes += paused;
          v.dueAt = calendar.extendForPause(v.dueAt!, since, a.at);
          v.statutoryDueAt = calendar.extendForPause(v.statutoryDueAt!, since, a.at);
          if (v.stepDueAt) v.stepDueAt = calendar.extendForPause(v.stepDueAt, since, a.at);
          const cur = v.visits[v.visits.length - 1];
          if (cur && !cur.endedAt) cur.dueAt = v.stepDueAt!;
          v.pausedSince = null;
          v.status = 'processing';
        }
        break;
      case 'claim':
        if (v.assigneeId && v.assigneeId !== a.actorId) fail('already held by another official');
        v.assigneeId = a.actorId;
        break;
      case 'assign':
        if (typeof p.assigneeId !== 'string') fail('an assignee is required');
        v.assigneeId = p.assigneeId as string;
        break;
      case 'forward': {
        const next = (v.stepIndex ?? 0) + 1;
        if (next >= facts.steps.length) fail('this is the last step: approve instead');
        endVisit(a.at, 'forward');
        startVisit(next, a.at);
        break;
      }
      case 'return_step': {
        const cur = facts.steps[v.stepIndex ?? 0];
        const target = facts.steps.findIndex((s) => s.key === p.toStep);
        if (target < 0 || target >= (v.stepIndex ?? 0)) fail('the target must be an earlier step');
        if (cur?.returnTo && !cur.returnTo.includes(p.toStep as string)) fail('the process does not allow returning there');
        endVisit(a.at, 'return_step');
        startVisit(target, a.at);
        break;
      }
      case 'transfer': {
        if (typeof p.toAgencyId !== 'string' || p.toAgencyId === v.agencyId) fail('another agency is required');
        endVisit(a.at, 'transfer');
        startVisit(v.stepIndex ?? 0, a.at, p.toAgencyId as string);
        break;
      }
      case 'request_supplement':
        v.supplementRequests += 1;
        v.pausedSince = a.at;
        v.status = 'waiting_supplement';
        break;
      case 'extend': {
        const to = typeof p.newDueAt === 'string' ? new Date(p.newDueAt) : null;
        if (!to || Number.isNaN(to.getTime()) || (v.dueAt && to <= v.dueAt)) fail('the new appointment must be later');
        v.dueAt = to;
        break;
      }
      case 'refuse':
        if (ACTIVE.includes(v.status)) endVisit(a.at, 'refuse');
        v.status = 'refused';
        v.pausedSince = null;
        if (v.receivedAt) finish(a.at);
        break;
      case 'stop':
        endVisit(a.at, 'stop');
        v.status = 'stopped';
        v.pausedSince = null;
        finish(a.at);
        break;
      case 'approve':
        if ((v.stepIndex ?? 0) !== facts.steps.length - 1) fail('only at the last step');
        endVisit(a.at, 'approve');
        v.status = 'approved';
        finish(a.at);
        break;
      case 'mark_result_ready':
        v.status = 'result_ready';
        break;
      case 'return_result':
        v.status = 'returned';
        v.returnedAt = a.at;
        break;
      case 'withdraw':
        if (ACTIVE.includes(v.status)) endVisit(a.at, 'withdraw');
        v.status = 'withdrawn';
        v.pausedSince = null;
        break;
      case 'rate': {
        if (v.rating) fail('already rated');
        const score = p.score;
        if (score !== 'satisfied' && score !== 'neutral' && score !== 'dissatisfied') fail('a score is required');
        v.rating = { score: score as 'satisfied', comment: typeof p.comment === 'string' ? p.comment : null };
        break;
      }
    }
    v.lastSeq = a.seq;
  }
  v.portalStatus = portalStatus(v);
  // An unfinished dossier is measured at `now` (period end for reports).
  if (!v.finishedAt && v.statutoryDueAt && now && v.status === 'processing' && now > v.statutoryDueAt) v.timeliness = 'late';
  return v;
}

export function portalStatus(v: Pick<DossierView, 'status' | 'stepIndex' | 'assigneeId' | 'agencyId' | 'visits'>): PortalStatus {
  switch (v.status) {
    case 'draft':
    case 'submitted':
      return 'receiving';
    case 'awaiting_supplement_before_reception':
    case 'waiting_supplement':
      return 'waiting';
    case 'processing': {
      const first = v.visits[0];
      if (first && v.agencyId !== first.agencyId) return 'interoperating';
      return v.stepIndex === 0 && v.visits.length === 1 && !v.assigneeId ? 'new' : 'processing';
    }
    case 'approved':
      return 'processing';
    case 'result_ready':
      return 'releasing';
    case 'returned':
      return 'done';
    case 'refused':
      return 'denied';
    case 'stopped':
      return 'unresolved';
    case 'withdrawn':
      return 'cancelled';
  }
}
