/**
 * Decision 766's service-quality index of one scope and period, from the same flows and stocks
 * as the statistics plus the catalogue. Pure; the points and thresholds are data (index-spec.ts).
 */
import type { IndexComponent, IndexGroup, IndexTotal, ProcedureRef } from '@motcua/contracts';
import type { Flows, Stocks } from './figures.ts';
import { INDEX_COMPONENTS, INDEX_GROUPS, pointsFor, REASONS } from './index-spec.ts';

/** A published procedure the scope receives, as the catalogue has it now. */
export interface CatalogueProcedure extends ProcedureRef {
  /** Offered online (toàn trình or một phần). */
  online: boolean;
  /** Has a fee item that is not zero. */
  feeBearing: boolean;
  /** Every non-zero fee item can be paid online. */
  feeOnline: boolean;
}

/** Resolution time per procedure over the period (procedures with something resolved). */
export interface ProcedureTime {
  procedureId: string;
  resolved: number;
  resolutionMinutes: number;
  statutoryMinutes: number;
  /** Code and name, when known: listed under 2.2's `lowering` when the procedure is over time. */
  procedure?: ProcedureRef;
}

/** Feedback and complaints (PAKN) of the scope over the period (modules/feedback). */
export interface FeedbackInputs {
  /** 5.2: items judged on their deadlines, on time and late. */
  onTime: number;
  late: number;
  /** 5.4: dossiers with a complaint received in the period that were not also rated dissatisfied. */
  complainedNotDissatisfied: number;
}

export interface IndexInputs {
  flows: Flows;
  stocks: Stocks;
  procedures: readonly CatalogueProcedure[];
  procedureTimes: readonly ProcedureTime[];
  feedback?: FeedbackInputs;
}

export interface IndexResult {
  components: IndexComponent[];
  groups: IndexGroup[];
  total: IndexTotal;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10000) / 10000;

interface Measure {
  numerator: number;
  denominator: number;
  loweringCount: number;
  procedures?: ProcedureRef[];
}

/** The numerator and denominator of each computed component (DOMAIN.md, Decision 766). */
export function measures(inp: IndexInputs): Record<string, Measure> {
  const { flows: f, stocks: s } = inp;
  const toProcess = s.carriedOver + f.received;
  const late = f.resolvedLate + s.inProgressOverdue;
  const approved = f.resolved - f.refused - f.stopped;
  const timed = inp.procedureTimes.filter((p) => p.resolved > 0);
  // A procedure's average resolution time (pauses excluded) against its average statutory time.
  const overTime = timed.filter((p) => p.resolutionMinutes > p.statutoryMinutes);
  const notOnline = inp.procedures.filter((p) => !p.online);
  const feeProcedures = inp.procedures.filter((p) => p.feeBearing);
  const notIntegrated = feeProcedures.filter((p) => !p.feeOnline);
  const ref = (p: ProcedureRef): ProcedureRef => ({ id: p.id, code: p.code, name: p.name });
  const fb = inp.feedback ?? { onTime: 0, late: 0, complainedNotDissatisfied: 0 };
  // A dossier with a complaint or a "dislike" counts once.
  const unhappy = late + f.dissatisfied + fb.complainedNotDissatisfied;
  return {
    '2.1': { numerator: f.resolvedEarly + f.resolvedOnTime, denominator: f.resolved + s.inProgressOverdue, loweringCount: late },
    // Lowered by the procedures over time; the dossiers behind it (idx22) are those resolved slower than allowed.
    '2.2': {
      numerator: timed.length - overTime.length, denominator: timed.length, loweringCount: f.slow,
      procedures: overTime.map((p) => p.procedure ?? { id: p.procedureId, code: '', name: '' }),
    },
    '3.1': { numerator: inp.procedures.length - notOnline.length, denominator: inp.procedures.length, loweringCount: notOnline.length, procedures: notOnline.map(ref) },
    '3.3': { numerator: f.receivedOnline, denominator: f.received, loweringCount: f.received - f.receivedOnline },
    '3.5': { numerator: feeProcedures.length - notIntegrated.length, denominator: feeProcedures.length, loweringCount: notIntegrated.length, procedures: notIntegrated.map(ref) },
    '3.6': { numerator: f.paidOnline, denominator: f.feeBearing, loweringCount: f.feeBearing - f.paidOnline },
    '4.1': { numerator: f.electronicResult, denominator: f.resultExpected, loweringCount: f.resultExpected - f.electronicResult },
    '4.2': { numerator: f.digitised, denominator: approved, loweringCount: approved - f.digitised },
    '4.3': { numerator: f.reused, denominator: f.reuseExpected, loweringCount: f.reuseExpected - f.reused },
    // Feedback and complaints handled within every deadline ÷ those judged on them.
    '5.2': { numerator: fb.onTime, denominator: fb.onTime + fb.late, loweringCount: fb.late },
    // 100% − (late rate + share of dossiers with a complaint or a "dislike"), both over the dossiers to process.
    '5.4': { numerator: Math.max(0, toProcess - unhappy), denominator: toProcess, loweringCount: unhappy },
  };
}

/**
 * Every component of the index with its rate and points by the threshold rule; components not
 * computed here carry their source and a note. `withLowering`: add what lowered each rate (for
 * officials).
 */
export function qualityIndex(inp: IndexInputs, withLowering: boolean): IndexResult {
  const m = measures(inp);
  const components: IndexComponent[] = INDEX_COMPONENTS.map((spec) => {
    const x = spec.source === 'computed' ? m[spec.code] : undefined;
    const rate = x && x.denominator > 0 ? x.numerator / x.denominator : null;
    const reason = spec.source !== 'computed' ? (spec.reason ?? REASONS.external) : rate === null ? REASONS.nothingToMeasure : null;
    return {
      code: spec.code,
      group: spec.group,
      name: spec.name,
      source: spec.source,
      maxPoints: spec.maxPoints,
      threshold: spec.threshold,
      numerator: x ? x.numerator : null,
      denominator: x ? x.denominator : null,
      rate: rate === null ? null : round4(rate),
      points: rate === null ? null : round2(pointsFor(rate, spec.maxPoints, spec.threshold)),
      note: spec.note ?? null,
      reason,
      lowering: withLowering && x
        ? { count: x.loweringCount, metric: spec.lowering ?? null, procedures: x.procedures ?? null }
        : null,
    };
  });
  const groups: IndexGroup[] = INDEX_GROUPS.map((g) => {
    const mine = components.filter((c) => c.group === g.group && c.points !== null);
    return {
      group: g.group,
      name: g.name,
      maxPoints: g.maxPoints,
      points: round2(mine.reduce((a, c) => a + c.points!, 0)),
      computedMaxPoints: mine.reduce((a, c) => a + c.maxPoints, 0),
    };
  });
  const points = round2(groups.reduce((a, g) => a + g.points, 0));
  const computedMaxPoints = groups.reduce((a, g) => a + g.computedMaxPoints, 0);
  return { components, groups, total: { points, computedMaxPoints, percent: computedMaxPoints > 0 ? round2((points / computedMaxPoints) * 100) : null } };
}
