/**
 * A feedback item (phản ánh, kiến nghị — PAKN) is a row plus an append-only list of events; where
 * it stands (status, deadlines, on time or late) comes from this one pure function, like a
 * dossier's. The deadlines are Decision 766's, component 5.2, in working days.
 */
import type { WorkingCalendar } from '../calendar/index.ts';

export type FeedbackEventType =
  | 'received' // filed online, or recorded by an official
  | 'accepted' // within the agency's competence: it will be answered
  | 'info_requested' // the sender is asked for more information: the answer clock pauses
  | 'info_supplied' // the sender answered the question
  | 'rejected' // not within competence, or invalid (with the reason)
  | 'answered' // the agency's answer
  | 'published'; // the answer made public (without personal data)

export type FeedbackStatus = 'received' | 'accepted' | 'info_requested' | 'rejected' | 'answered' | 'published';

/** What an official may do, and the event each action appends. */
export type FeedbackAction = 'accept' | 'request_info' | 'reject' | 'answer' | 'publish';
export const ACTION_EVENT: Record<FeedbackAction, FeedbackEventType> = {
  accept: 'accepted',
  request_info: 'info_requested',
  reject: 'rejected',
  answer: 'answered',
  publish: 'published',
};

export interface FeedbackEvent {
  seq: number;
  type: FeedbackEventType;
  at: Date;
  actorId: string | null;
  /** The question, the information supplied, the reason for rejecting, or the answer. */
  text: string | null;
  payload: Record<string, unknown>;
}

/**
 * Handling deadlines in working days (Decision 766/QĐ-TTg, component 5.2): reject within 2, ask
 * for more information within 5, answer within 15 (both from receipt), publish the answer within
 * 2 after answering. Time spent waiting for the sender's information does not count against the
 * rejection and answer deadlines.
 */
export interface FeedbackDeadlineRules {
  rejectDays: number;
  requestInfoDays: number;
  answerDays: number;
  publishDays: number;
}

export const DECISION_766_DEADLINES: FeedbackDeadlineRules = { rejectDays: 2, requestInfoDays: 5, answerDays: 15, publishDays: 2 };

export type Timeliness = 'on_time' | 'late';

export interface FeedbackView {
  status: FeedbackStatus;
  receivedAt: Date | null;
  acceptedAt: Date | null;
  rejectDueAt: Date | null;
  infoDueAt: Date | null;
  answerDueAt: Date | null;
  publishDueAt: Date | null;
  /** The last time more information was asked for. */
  infoRequestedAt: Date | null;
  infoRequests: number;
  /** While waiting for the sender's information: since when. */
  pausedSince: Date | null;
  rejectedAt: Date | null;
  answeredAt: Date | null;
  publishedAt: Date | null;
  rejectReason: string | null;
  answer: string | null;
  publicContent: string | null;
  /** The deadline the item works towards now: the answer's, then the publication's; null when paused or closed. */
  dueAt: Date | null;
  /** Known once the item is closed or a deadline was missed (measured at `now`). */
  timeliness: Timeliness | null;
  /** A deadline it works towards has passed (at `now`). */
  overdue: boolean;
  lastSeq: number;
}

/** An event that does not fit the item's current state (answered with 409). */
export class FeedbackTransitionError extends Error {
  constructor(readonly event: FeedbackEventType, readonly status: FeedbackStatus | 'new', readonly reason: string) {
    super(`${event} not allowed when ${status}: ${reason}`);
    this.name = 'FeedbackTransitionError';
  }
}

/** Which events each status allows. */
export const ALLOWED: Record<FeedbackStatus | 'new', readonly FeedbackEventType[]> = {
  new: ['received'],
  received: ['accepted', 'info_requested', 'rejected', 'answered'],
  accepted: ['info_requested', 'rejected', 'answered'],
  info_requested: ['info_supplied', 'answered'],
  rejected: [],
  answered: ['published'],
  published: [],
};

/** The actions an official may take on an item in `status`. */
export function allowedActions(status: FeedbackStatus): FeedbackAction[] {
  return (Object.keys(ACTION_EVENT) as FeedbackAction[]).filter((a) => ALLOWED[status].includes(ACTION_EVENT[a]));
}

const needsText: readonly FeedbackEventType[] = ['info_requested', 'info_supplied', 'rejected', 'answered'];

/**
 * Replays the log. Throws FeedbackTransitionError at the first event its state does not allow, so
 * the same function derives the view and validates a new event (append it and replay). Pure: the
 * calendar and the rules are inputs.
 */
export function deriveFeedback(
  events: readonly FeedbackEvent[],
  calendar: WorkingCalendar,
  now?: Date,
  rules: FeedbackDeadlineRules = DECISION_766_DEADLINES,
): FeedbackView {
  const v: FeedbackView = {
    status: 'received', receivedAt: null, acceptedAt: null, rejectDueAt: null, infoDueAt: null, answerDueAt: null,
    publishDueAt: null, infoRequestedAt: null, infoRequests: 0, pausedSince: null, rejectedAt: null, answeredAt: null,
    publishedAt: null, rejectReason: null, answer: null, publicContent: null, dueAt: null, timeliness: null, overdue: false, lastSeq: 0,
  };
  let state: FeedbackStatus | 'new' = 'new';
  /** Ends a wait for information: the rejection and answer deadlines move by the working time waited. */
  const resume = (at: Date) => {
    const since = v.pausedSince!;
    v.rejectDueAt = calendar.extendForPause(v.rejectDueAt!, since, at);
    v.answerDueAt = calendar.extendForPause(v.answerDueAt!, since, at);
    v.pausedSince = null;
  };
  for (const e of events) {
    const fail = (reason: string): never => {
      throw new FeedbackTransitionError(e.type, state, reason);
    };
    if (!ALLOWED[state].includes(e.type)) fail('not allowed in this state');
    if (needsText.includes(e.type) && !e.text?.trim()) fail('a text is required');
    if (v.receivedAt && e.at < v.receivedAt) fail('before the item was received');
    switch (e.type) {
      case 'received':
        v.receivedAt = e.at;
        v.rejectDueAt = calendar.addWorkingDays(e.at, rules.rejectDays);
        v.infoDueAt = calendar.addWorkingDays(e.at, rules.requestInfoDays);
        v.answerDueAt = calendar.addWorkingDays(e.at, rules.answerDays);
        state = 'received';
        break;
      case 'accepted':
        v.acceptedAt = e.at;
        state = 'accepted';
        break;
      case 'info_requested':
        v.infoRequestedAt = e.at;
        v.infoRequests += 1;
        v.pausedSince = e.at;
        state = 'info_requested';
        break;
      case 'info_supplied':
        resume(e.at);
        state = v.acceptedAt ? 'accepted' : 'received';
        break;
      case 'rejected':
        v.rejectedAt = e.at;
        v.rejectReason = e.text;
        state = 'rejected';
        break;
      case 'answered':
        // Answering while waiting for information ends the wait (the sender never answered).
        if (state === 'info_requested') resume(e.at);
        v.acceptedAt ??= e.at;
        v.answeredAt = e.at;
        v.answer = e.text;
        v.publishDueAt = calendar.addWorkingDays(e.at, rules.publishDays);
        state = 'answered';
        break;
      case 'published': {
        const text = e.payload.publicContent;
        v.publishedAt = e.at;
        v.publicContent = typeof text === 'string' && text.trim() ? text : null;
        state = 'published';
        break;
      }
    }
    v.lastSeq = e.seq;
  }
  if (state === 'new') throw new FeedbackTransitionError('received', 'new', 'an item starts with its receipt');
  v.status = state;
  v.dueAt = state === 'received' || state === 'accepted' ? v.answerDueAt : state === 'answered' ? v.publishDueAt : null;
  const at = now ?? v.publishedAt ?? v.rejectedAt ?? v.answeredAt ?? v.receivedAt!;
  v.overdue = !!v.dueAt && at > v.dueAt;
  const late = lateStages(v, at);
  const closed = state === 'rejected' || state === 'published';
  v.timeliness = late.length > 0 ? 'late' : closed ? 'on_time' : null;
  return v;
}

/** The dates by which an item is judged (the projection's columns). */
export interface FeedbackTimes {
  receivedAt: Date;
  rejectDueAt: Date;
  infoDueAt: Date;
  answerDueAt: Date;
  publishDueAt: Date | null;
  infoRequestedAt: Date | null;
  pausedSince: Date | null;
  rejectedAt: Date | null;
  answeredAt: Date | null;
  publishedAt: Date | null;
}

export type FeedbackStage = 'reject' | 'request_info' | 'answer' | 'publish';

/**
 * The stages handled, or still not handled, after their deadline, as known at `asOf`. A
 * rejection or a request for information made late is late; an item not answered (nor rejected)
 * by the answer deadline is late, except while waiting for the sender's information if the wait
 * began in time; an answer not published by its deadline is late.
 */
export function lateStages(t: { [K in keyof FeedbackTimes]?: Date | null }, asOf: Date): FeedbackStage[] {
  const out: FeedbackStage[] = [];
  const after = (x: Date | null | undefined, due: Date | null | undefined) => !!x && !!due && x > due;
  const known = (x: Date | null | undefined) => (x && x <= asOf ? x : null);
  const rejectedAt = known(t.rejectedAt);
  const answeredAt = known(t.answeredAt);
  const publishedAt = known(t.publishedAt);
  if (after(rejectedAt, t.rejectDueAt)) out.push('reject');
  if (after(known(t.infoRequestedAt), t.infoDueAt)) out.push('request_info');
  if (answeredAt) {
    if (after(answeredAt, t.answerDueAt)) out.push('answer');
    if (after(publishedAt ?? asOf, t.publishDueAt)) out.push('publish');
  } else if (!rejectedAt) {
    const paused = t.pausedSince && t.pausedSince <= asOf ? t.pausedSince : null;
    if (after(paused ?? asOf, t.answerDueAt)) out.push('answer');
  }
  return out;
}

export interface FeedbackTimeliness {
  /** Items handled in the period: rejected, or answered. */
  handled: number;
  /** Handled items whose every stage met its deadline (publication included, as known at the end). */
  onTime: number;
  /** Handled late, plus items still open at the end with a missed deadline. */
  late: number;
  /** Of `late`: items still open at the end of the period. */
  overdueOpen: number;
  /** onTime ÷ (onTime + late); null when nothing is measured. */
  rate: number | null;
}

/**
 * Decision 766, component 5.2 (feedback and complaints handled on time) over a period
 * [start, end), measured at the period's end or `now` if earlier, as 2.1 measures dossiers:
 * the items handled (rejected or answered) in the period, on time or late, plus the items
 * received before the end and still unhandled with a deadline already missed (counted late).
 */
export function feedbackTimeliness(items: readonly FeedbackTimes[], period: { start: Date; end: Date }, now?: Date): FeedbackTimeliness {
  const asOf = now && now < period.end ? now : period.end;
  let handled = 0;
  let onTime = 0;
  let late = 0;
  let overdueOpen = 0;
  for (const it of items) {
    if (it.receivedAt >= asOf) continue;
    const handledAt = it.rejectedAt ?? it.answeredAt;
    if (handledAt && handledAt >= period.start && handledAt < asOf) {
      handled += 1;
      if (lateStages(it, asOf).length > 0) late += 1;
      else onTime += 1;
    } else if (!handledAt || handledAt >= asOf) {
      if (lateStages(it, asOf).length > 0) {
        late += 1;
        overdueOpen += 1;
      }
    }
  }
  const measured = onTime + late;
  return { handled, onTime, late, overdueOpen, rate: measured > 0 ? onTime / measured : null };
}
