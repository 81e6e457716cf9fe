import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/http/errors.ts';
import { figures, noFlows, noStocks } from '../../../src/modules/reports/figures.ts';
import { INDEX_COMPONENTS, INDEX_GROUPS, pointsFor } from '../../../src/modules/reports/index-spec.ts';
import { monthSplit, monthsOf, NO_DAYS, parsePeriod } from '../../../src/modules/reports/period.ts';
import { qualityIndex, type IndexInputs } from '../../../src/modules/reports/quality-index.ts';

/**
 * DOMAIN.md, "The service-quality index (Decision 766/QĐ-TTg, 2022)", written out here on its own
 * (not read from index-spec.ts), so that the code is checked against the rule and not against
 * itself: five groups worth 18, 20, 22, 22 and 18 points; below its threshold a component scores
 * rate × max ÷ threshold, full points at or above it; thresholds 3.1 ≥ 80 %, 3.3 ≥ 50 %,
 * 3.5 ≥ 80 %, 4.3 ≥ 80 %, 5.4 ≥ 90 %; a component with no threshold stated scores rate × max
 * (full points at 100 %). The maximum of each component inside its group is this project's
 * reading (DOMAIN.md gives the groups only); the test checks that they add up to the groups.
 */
const GROUP_MAX: Record<number, number> = { 1: 18, 2: 20, 3: 22, 4: 22, 5: 18 };
const DOMAIN_THRESHOLDS: Record<string, number> = { '3.1': 0.8, '3.3': 0.5, '3.5': 0.8, '4.3': 0.8, '5.4': 0.9 };
const COMPUTED = ['2.1', '2.2', '3.1', '3.3', '3.5', '3.6', '4.1', '4.2', '4.3', '5.2', '5.4'];
const FROM_OUTSIDE = ['1', '3.2', '3.4', '5.1', '5.3'];
const MAX: Record<string, number> = { '1': 18, '2.1': 12, '2.2': 8, '3.1': 4, '3.2': 4, '3.3': 4, '3.4': 2, '3.5': 4, '3.6': 4, '4.1': 8, '4.2': 8, '4.3': 6, '5.1': 4, '5.2': 4, '5.3': 4, '5.4': 6 };
const thresholdOf = (code: string) => DOMAIN_THRESHOLDS[code] ?? 1;
/** The rule itself, from DOMAIN.md. */
const expectedPoints = (rate: number, code: string) => (rate >= thresholdOf(code) ? MAX[code]! : (rate * MAX[code]!) / thresholdOf(code));

const procedure = (i: number, p: Partial<{ online: boolean; feeBearing: boolean; feeOnline: boolean }>) => ({
  id: `p${i}`, code: `1.${String(i).padStart(6, '0')}`, name: `P${i}`, online: true, feeBearing: false, feeOnline: true, ...p,
});

/** Inputs in which component `code` has exactly rate n ÷ d, each built from what the rate is defined on. */
function inputsFor(code: string, n: number, d: number): IndexInputs {
  const flows = noFlows();
  const stocks = noStocks();
  let procedures: IndexInputs['procedures'] = [];
  let procedureTimes: IndexInputs['procedureTimes'] = [];
  switch (code) {
    case '2.1': // (early + on time) ÷ (resolved in the period + overdue in progress at its end)
    {
      // Part of what is not on time is still open and overdue at the end of the period.
      const overdue = Math.min(3, d - n);
      Object.assign(flows, { received: d, resolved: d - overdue, resolvedEarly: Math.floor(n / 2), resolvedOnTime: n - Math.floor(n / 2), resolvedLate: d - overdue - n });
      Object.assign(stocks, { inProgress: overdue + 2, inProgressOverdue: overdue });
      break;
    }
    case '2.2': // procedures whose average resolution time ≤ statutory ÷ procedures with something resolved
      procedureTimes = Array.from({ length: d }, (_, i) => ({ procedureId: `p${i}`, resolved: 2, resolutionMinutes: i < n ? 960 : 961, statutoryMinutes: 960 }));
      break;
    case '3.1': // procedures offered online ÷ procedures the agency receives
      procedures = Array.from({ length: d }, (_, i) => procedure(i, { online: i < n }));
      break;
    case '3.3': // received online (channel 2) ÷ received
      Object.assign(flows, { received: d, receivedOnline: n, receivedInPerson: d - n });
      break;
    case '3.5': // fee-bearing procedures with online payment ÷ fee-bearing procedures
      procedures = [...Array.from({ length: d }, (_, i) => procedure(i, { feeBearing: true, feeOnline: i < n })), procedure(d, { feeBearing: false })];
      break;
    case '3.6': // paid online ÷ dossiers with a non-zero fee
      Object.assign(flows, { received: d + 5, feeBearing: d, paidOnline: n });
      break;
    case '4.1': // electronic results ÷ approved dossiers of procedures returning a result document
      Object.assign(flows, { resolved: d + 4, refused: 2, stopped: 2, resultExpected: d, electronicResult: n });
      break;
    case '4.2': // approved with every component and the result attached ÷ approved
      Object.assign(flows, { resolved: d + 4, refused: 3, stopped: 1, digitised: n });
      break;
    case '4.3': // reused a digitised paper ÷ received of procedures with a reusable component
      Object.assign(flows, { received: d + 7, reuseExpected: d, reused: n });
      break;
    case '5.2': // feedback and complaints handled within every deadline ÷ those judged on them
      return { flows, stocks, procedures, procedureTimes, feedback: { onTime: n, late: d - n, complainedNotDissatisfied: 0 } };
    case '5.4': // 100 % − (late rate + share disliked), both over the dossiers to process
      Object.assign(flows, { received: d - 10, resolved: d - 10, resolvedOnTime: d - 10 - Math.floor((d - n) / 2), resolvedLate: Math.floor((d - n) / 2), dissatisfied: d - n - Math.floor((d - n) / 2) });
      Object.assign(stocks, { carriedOver: 10, inProgress: 10 });
      break;
  }
  return { flows, stocks, procedures, procedureTimes };
}

describe('Decision 766 index', () => {
  it('has five groups worth 18, 20, 22, 22 and 18 points, and its components add up to them', () => {
    expect(Object.fromEntries(INDEX_GROUPS.map((g) => [g.group, g.maxPoints]))).toEqual(GROUP_MAX);
    for (const g of INDEX_GROUPS) expect(INDEX_COMPONENTS.filter((c) => c.group === g.group).reduce((a, c) => a + c.maxPoints, 0)).toBe(g.maxPoints);
    expect(Object.fromEntries(INDEX_COMPONENTS.map((c) => [c.code, c.maxPoints]))).toEqual(MAX);
  });

  it('has the thresholds DOMAIN.md states, and full points only at 100 % where it states none', () => {
    for (const c of INDEX_COMPONENTS.filter((x) => x.source === 'computed')) expect({ code: c.code, threshold: c.threshold }).toEqual({ code: c.code, threshold: thresholdOf(c.code) });
  });

  it('computes the components the issue lists and marks the rest as provided from outside, with the reason', () => {
    const r = qualityIndex({ flows: noFlows(), stocks: noStocks(), procedures: [], procedureTimes: [] }, true);
    const by = Object.fromEntries(r.components.map((c) => [c.code, c]));
    expect(r.components.filter((c) => c.source === 'computed').map((c) => c.code)).toEqual(COMPUTED);
    expect(r.components.filter((c) => c.source === 'external').map((c) => c.code)).toEqual(FROM_OUTSIDE);
    for (const code of FROM_OUTSIDE) {
      expect(by[code]).toMatchObject({ points: null, rate: null, numerator: null, lowering: null });
      expect(by[code]!.reason?.en).toMatch(/provided from outside/i);
    }
    // Nothing to measure: no points, and the reason says so.
    expect(by['3.3']).toMatchObject({ points: null, denominator: 0 });
    expect(by['3.3']!.reason?.en).toMatch(/nothing to measure/i);
  });

  it('scores the threshold rule itself: rate × max ÷ threshold below it, full points at or above it', () => {
    expect(pointsFor(0.4, 4, 0.8)).toBeCloseTo(2);
    expect(pointsFor(0.8, 4, 0.8)).toBe(4);
    expect(pointsFor(1, 4, 0.8)).toBe(4);
    expect(pointsFor(0, 6, 0.9)).toBe(0);
    expect(pointsFor(0.45, 6, 0.9)).toBeCloseTo(3);
  });

  // Just below, at and just above each threshold (and half of it), through the whole computation.
  for (const code of COMPUTED) {
    it(`${code}: points just below, at and above its threshold (${thresholdOf(code) * 100} %)`, () => {
      const d = 200;
      const at = Math.round(thresholdOf(code) * d);
      const cases = [[Math.round(at / 2), 'half'], [at - 1, 'just below'], [at, 'at'], ...(at < d ? [[at + 1, 'just above']] : [])] as [number, string][];
      for (const [n, label] of cases) {
        const c = qualityIndex(inputsFor(code, n, d), true).components.find((x) => x.code === code)!;
        const rate = n / d;
        expect({ code, label, numerator: c.numerator, denominator: c.denominator, rate: c.rate }).toEqual({ code, label, numerator: n, denominator: d, rate: Math.round(rate * 10000) / 10000 });
        expect(c.points, `${code} ${label}`).toBeCloseTo(expectedPoints(rate, code), 2);
        if (label === 'just below') expect(c.points!, `${code} ${label}`).toBeLessThan(MAX[code]!);
        if (label === 'at' || label === 'just above') expect(c.points, `${code} ${label}`).toBe(MAX[code]);
      }
    });
  }

  it('2.1 counts the dossiers still open and overdue at the end of the period in the denominator', () => {
    const flows = { ...noFlows(), received: 100, resolved: 90, resolvedEarly: 50, resolvedOnTime: 40 };
    const c = qualityIndex({ flows, stocks: { ...noStocks(), inProgress: 10, inProgressOverdue: 6 }, procedures: [], procedureTimes: [] }, true).components.find((x) => x.code === '2.1')!;
    expect(c).toMatchObject({ numerator: 90, denominator: 96, lowering: { count: 6, metric: 'idx21' } });
    expect(c.points).toBeCloseTo((90 / 96) * 12, 2);
  });

  it('2.2 lists the procedures over their statutory time for officials', () => {
    const times = [
      { procedureId: 'a', resolved: 3, resolutionMinutes: 900, statutoryMinutes: 1440, procedure: { id: 'a', code: '1.000001', name: 'A' } },
      { procedureId: 'b', resolved: 2, resolutionMinutes: 2000, statutoryMinutes: 960, procedure: { id: 'b', code: '1.000002', name: 'B' } },
    ];
    const c = qualityIndex({ flows: { ...noFlows(), slow: 2 }, stocks: noStocks(), procedures: [], procedureTimes: times }, true).components.find((x) => x.code === '2.2')!;
    expect(c).toMatchObject({ numerator: 1, denominator: 2, points: 4, lowering: { count: 2, metric: 'idx22', procedures: [{ id: 'b', code: '1.000002', name: 'B' }] } });
  });

  it('computes each component from the flows, stocks and catalogue, with what lowered it', () => {
    const flows = { ...noFlows(), received: 100, receivedOnline: 30, receivedInPerson: 70, resolved: 90, resolvedEarly: 60, resolvedOnTime: 25, resolvedLate: 5,
      refused: 2, stopped: 1, feeBearing: 40, paidOnline: 10, resultExpected: 80, electronicResult: 20, digitised: 70, reuseExpected: 10, reused: 9, dissatisfied: 2, slow: 7 };
    const stocks = { ...noStocks(), carriedOver: 10, inProgress: 15, inProgressOverdue: 3 };
    const procedures = [
      { id: 'a', code: '1.000001', name: 'A', online: true, feeBearing: true, feeOnline: true },
      { id: 'b', code: '1.000002', name: 'B', online: false, feeBearing: true, feeOnline: false },
      { id: 'c', code: '1.000003', name: 'C', online: true, feeBearing: false, feeOnline: true },
    ];
    const times = [{ procedureId: 'a', resolved: 50, resolutionMinutes: 1000, statutoryMinutes: 2000 }, { procedureId: 'b', resolved: 40, resolutionMinutes: 3000, statutoryMinutes: 2000 }];
    const feedback = { onTime: 7, late: 3, complainedNotDissatisfied: 4 };
    const r = qualityIndex({ flows, stocks, procedures, procedureTimes: times, feedback }, true);
    const c = Object.fromEntries(r.components.map((x) => [x.code, x]));
    expect(c['2.1']).toMatchObject({ numerator: 85, denominator: 93, lowering: { count: 8, metric: 'idx21' } });
    expect(c['2.1']!.points).toBeCloseTo((85 / 93) * 12, 2);
    expect(c['2.2']).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5, points: 4, lowering: { count: 7, metric: 'idx22' } });
    expect(c['3.1']).toMatchObject({ numerator: 2, denominator: 3, lowering: { count: 1, procedures: [{ id: 'b', code: '1.000002', name: 'B' }] } });
    expect(c['3.1']!.points).toBeCloseTo(((2 / 3) * 4) / 0.8, 2);
    expect(c['3.3']).toMatchObject({ numerator: 30, denominator: 100, points: 2.4 });
    expect(c['3.5']).toMatchObject({ numerator: 1, denominator: 2, points: 2.5 });
    // 3.6: no threshold in DOMAIN.md: 25 % of 4 points.
    expect(c['3.6']).toMatchObject({ numerator: 10, denominator: 40, points: 1 });
    expect(c['4.1']).toMatchObject({ numerator: 20, denominator: 80, points: 2 });
    expect(c['4.2']).toMatchObject({ numerator: 70, denominator: 87 });
    expect(c['4.3']).toMatchObject({ numerator: 9, denominator: 10, points: 6 });
    // 5.4: 100% − (late rate + share with a complaint or a dislike) over the 110 dossiers to process.
    expect(c['5.4']).toMatchObject({ numerator: 110 - 8 - 2 - 4, denominator: 110, lowering: { count: 14 } });
    // 5.2: 7 of 10 feedback items within their deadlines: 70 % of 4 points.
    expect(c['5.2']).toMatchObject({ source: 'computed', numerator: 7, denominator: 10, points: 2.8, lowering: { count: 3 } });
    expect(c['1']).toMatchObject({ source: 'external', points: null });
    const computedMax = 12 + 8 + 4 + 4 + 4 + 4 + 8 + 8 + 6 + 4 + 6;
    expect(r.total.computedMaxPoints).toBe(computedMax);
    expect(r.total.points).toBeCloseTo(r.groups.reduce((a, g) => a + g.points, 0), 5);
    // The public sees the scores, not what lowered them.
    expect(qualityIndex({ flows, stocks, procedures, procedureTimes: times, feedback }, false).components.every((x) => x.lowering === null)).toBe(true);
  });

  it('leaves a component without data out of both sums', () => {
    const r = qualityIndex({ flows: noFlows(), stocks: noStocks(), procedures: [], procedureTimes: [] }, false);
    expect(r.components.every((x) => x.points === null)).toBe(true);
    expect(r.total).toEqual({ points: 0, computedMaxPoints: 0, percent: null });
  });
});

describe('figures', () => {
  it('uses the provinces\' rates: late = (late finished + overdue in progress) ÷ to process; on time = 1 − late', () => {
    const f = figures({ ...noFlows(), received: 183, receivedOnline: 51, receivedInPerson: 132, resolved: 179, resolvedEarly: 100, resolvedOnTime: 79, resolutionMinutes: 179 * 960 },
      { ...noStocks(), inProgress: 4 }, 480);
    expect(f).toMatchObject({ toProcess: 183, lateRate: 0, onTimeRate: 1, resolvedOnTimeRate: 1, averageResolutionDays: 2, inProgressOnTime: 4 });
    const g = figures({ ...noFlows(), received: 90, resolved: 80, resolvedLate: 4, resolvedOnTime: 76 }, { ...noStocks(), carriedOver: 10, inProgress: 20, inProgressOverdue: 6 }, 480);
    expect(g.lateRate).toBeCloseTo(0.1);
    expect(g.onTimeRate).toBeCloseTo(0.9);
    expect(figures(noFlows(), noStocks(), 480)).toMatchObject({ lateRate: null, onTimeRate: null, averageResolutionDays: null });
  });
});

describe('report periods', () => {
  const fail = (from: string, to: string) => {
    try {
      parsePeriod(from, to, 420);
    } catch (err) {
      return err as AppError;
    }
    throw new Error('accepted');
  };
  it('runs from local midnight to local midnight', () => {
    const p = parsePeriod('2019-01-01', '2019-12-31', 420);
    expect(p.start.toISOString()).toBe('2018-12-31T17:00:00.000Z');
    expect(p.end.toISOString()).toBe('2019-12-31T17:00:00.000Z');
    expect(monthsOf(parsePeriod('2024-01-15', '2024-03-02', 420)).map((m) => [m.month, m.from, m.to])).toEqual([
      ['2024-01', '2024-01-15', '2024-01-31'], ['2024-02', '2024-02-01', '2024-02-29'], ['2024-03', '2024-03-01', '2024-03-02'],
    ]);
  });
  it('reads whole months from the monthly facts and only the days of partial months from the daily ones', () => {
    expect(monthSplit('2025-01-01', '2025-12-31')).toEqual({ months: ['2025-01-01', '2025-12-01'], head: NO_DAYS, tail: NO_DAYS });
    expect(monthSplit('2025-01-15', '2025-03-10')).toEqual({ months: ['2025-02-01', '2025-02-01'], head: ['2025-01-15', '2025-01-31'], tail: ['2025-03-01', '2025-03-10'] });
    expect(monthSplit('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02-01', '2024-02-01'], head: NO_DAYS, tail: NO_DAYS });
    expect(monthSplit('2024-02-03', '2024-02-20')).toEqual({ months: NO_DAYS, head: ['2024-02-03', '2024-02-20'], tail: NO_DAYS });
    expect(monthSplit('2024-01-20', '2024-02-10')).toEqual({ months: NO_DAYS, head: ['2024-01-20', '2024-02-10'], tail: NO_DAYS });
  });
  it('refuses from after to, impossible dates and more than 5 years, with a clear message', () => {
    const e = fail('2020-02-01', '2020-01-31');
    expect(e.statusCode).toBe(400);
    expect(e.fields?.[0]?.path).toBe('querystring.to');
    expect(e.fields?.[0]?.message.en).toMatch(/before the start/);
    expect(fail('2019-02-30', '2019-03-01').fields?.[0]?.path).toBe('querystring.from');
    expect(fail('2019-01-01', '2024-01-01').fields?.[0]?.message.en).toMatch(/at most 5 years/);
    expect(parsePeriod('2019-01-01', '2023-12-31', 420).to).toBe('2023-12-31');
  });
});
