/**
 * The figures of a scope and period from its flows (sums of daily facts) and stocks (dossiers
 * in hand at the start and at the end). Pure: the formulas live here and nowhere else.
 */
import type { ReportFigures } from '@motcua/contracts';

/** Sums of report_daily_facts over the period. */
export interface Flows {
  received: number;
  receivedInPerson: number;
  receivedOnline: number;
  receivedByPost: number;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  refused: number;
  stopped: number;
  withdrawn: number;
  resolutionMinutes: number;
  statutoryMinutes: number;
  slow: number;
  feeBearing: number;
  paidOnline: number;
  resultExpected: number;
  electronicResult: number;
  digitised: number;
  reuseExpected: number;
  reused: number;
  dissatisfied: number;
}

/** Dossiers in hand at the start (carriedOver) and at the end of the period. */
export interface Stocks {
  carriedOver: number;
  inProgress: number;
  inProgressOverdue: number;
  waitingSupplement: number;
}

export const FLOW_KEYS: readonly (keyof Flows)[] = [
  'received', 'receivedInPerson', 'receivedOnline', 'receivedByPost', 'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate',
  'refused', 'stopped', 'withdrawn', 'resolutionMinutes', 'statutoryMinutes', 'slow', 'feeBearing', 'paidOnline', 'resultExpected',
  'electronicResult', 'digitised', 'reuseExpected', 'reused', 'dissatisfied',
];
export const STOCK_KEYS: readonly (keyof Stocks)[] = ['carriedOver', 'inProgress', 'inProgressOverdue', 'waitingSupplement'];

export const noFlows = (): Flows => Object.fromEntries(FLOW_KEYS.map((k) => [k, 0])) as unknown as Flows;
export const noStocks = (): Stocks => ({ carriedOver: 0, inProgress: 0, inProgressOverdue: 0, waitingSupplement: 0 });

export function addFlows(a: Flows, b: Flows): Flows {
  const out = { ...a };
  for (const k of FLOW_KEYS) out[k] += b[k];
  return out;
}
export function addStocks(a: Stocks, b: Stocks): Stocks {
  return { carriedOver: a.carriedOver + b.carriedOver, inProgress: a.inProgress + b.inProgress, inProgressOverdue: a.inProgressOverdue + b.inProgressOverdue, waitingSupplement: a.waitingSupplement + b.waitingSupplement };
}

export const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/**
 * The published figures. The on-time and late rates are the provinces' (DOMAIN.md): to process =
 * carried over + received; late rate = (late still in progress + late finished) ÷ to process;
 * on-time rate = 1 − late rate.
 */
export function figures(f: Flows, s: Stocks, minutesPerDay: number): ReportFigures {
  const toProcess = s.carriedOver + f.received;
  const late = f.resolvedLate + s.inProgressOverdue;
  const lateRate = ratio(late, toProcess);
  return {
    carriedOver: s.carriedOver,
    received: f.received,
    receivedInPerson: f.receivedInPerson,
    receivedOnline: f.receivedOnline,
    receivedByPost: f.receivedByPost,
    toProcess,
    resolved: f.resolved,
    resolvedEarly: f.resolvedEarly,
    resolvedOnTime: f.resolvedOnTime,
    resolvedLate: f.resolvedLate,
    refused: f.refused,
    stopped: f.stopped,
    withdrawn: f.withdrawn,
    inProgress: s.inProgress,
    inProgressOnTime: s.inProgress - s.inProgressOverdue,
    inProgressOverdue: s.inProgressOverdue,
    waitingSupplement: s.waitingSupplement,
    feeBearing: f.feeBearing,
    onlinePaid: f.paidOnline,
    resultExpected: f.resultExpected,
    electronicResults: f.electronicResult,
    averageResolutionDays: f.resolved > 0 ? f.resolutionMinutes / f.resolved / minutesPerDay : null,
    onTimeRate: lateRate === null ? null : 1 - lateRate,
    lateRate,
    resolvedOnTimeRate: ratio(f.resolvedEarly + f.resolvedOnTime, f.resolved),
    onlineRate: ratio(f.receivedOnline, f.received),
  };
}
