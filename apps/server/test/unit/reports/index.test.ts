import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/http/errors.ts';
import { figures, noFlows, noStocks } from '../../../src/modules/reports/figures.ts';
import { INDEX_COMPONENTS, INDEX_GROUPS, pointsFor } from '../../../src/modules/reports/index-spec.ts';
import { monthSplit, monthsOf, NO_DAYS, parsePeriod } from '../../../src/modules/reports/period.ts';
import { qualityIndex } from '../../../src/modules/reports/quality-index.ts';

describe('Decision 766 index', () => {
  it('has five groups worth 18, 20, 22, 22 and 18 points, and its components add up to them', () => {
    expect(INDEX_GROUPS.map((g) => g.maxPoints)).toEqual([18, 20, 22, 22, 18]);
    for (const g of INDEX_GROUPS) expect(INDEX_COMPONENTS.filter((c) => c.group === g.group).reduce((a, c) => a + c.maxPoints, 0)).toBe(g.maxPoints);
    const byCode = Object.fromEntries(INDEX_COMPONENTS.map((c) => [c.code, c]));
    // Thresholds DOMAIN.md states.
    expect([byCode['3.1']!.threshold, byCode['3.3']!.threshold, byCode['3.5']!.threshold, byCode['4.3']!.threshold, byCode['5.4']!.threshold]).toEqual([0.8, 0.5, 0.8, 0.8, 0.9]);
    expect(byCode['5.2']!.source).toBe('not_available');
  });

  it('scores below the threshold as rate × max ÷ threshold, and full points at or above it', () => {
    expect(pointsFor(0.4, 4, 0.8)).toBeCloseTo(2);
    expect(pointsFor(0.8, 4, 0.8)).toBe(4);
    expect(pointsFor(1, 4, 0.8)).toBe(4);
    expect(pointsFor(0, 6, 0.9)).toBe(0);
    expect(pointsFor(0.45, 6, 0.9)).toBeCloseTo(3);
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
    const r = qualityIndex({ flows, stocks, procedures, procedureTimes: times }, true);
    const c = Object.fromEntries(r.components.map((x) => [x.code, x]));
    expect(c['2.1']).toMatchObject({ numerator: 85, denominator: 93, lowering: { count: 8, metric: 'idx21' } });
    expect(c['2.1']!.points).toBeCloseTo((85 / 93) * 12, 2);
    expect(c['2.2']).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5, points: 4, lowering: { count: 7, metric: 'idx22' } });
    expect(c['3.1']).toMatchObject({ numerator: 2, denominator: 3, lowering: { count: 1, procedures: [{ id: 'b', code: '1.000002', name: 'B' }] } });
    expect(c['3.1']!.points).toBeCloseTo(((2 / 3) * 4) / 0.8, 2);
    expect(c['3.3']).toMatchObject({ numerator: 30, denominator: 100, points: 2.4 });
    expect(c['3.5']).toMatchObject({ numerator: 1, denominator: 2, points: 2.5 });
    expect(c['3.6']).toMatchObject({ numerator: 10, denominator: 40, points: 2 });
    expect(c['4.1']).toMatchObject({ numerator: 20, denominator: 80, points: 2 });
    expect(c['4.2']).toMatchObject({ numerator: 70, denominator: 87 });
    expect(c['4.3']).toMatchObject({ numerator: 9, denominator: 10, points: 6 });
    // 5.4: 100% − (late rate + dislike share) over the 110 dossiers to process.
    expect(c['5.4']).toMatchObject({ numerator: 110 - 8 - 2, denominator: 110 });
    expect(c['5.2']).toMatchObject({ source: 'not_available', points: null, lowering: null });
    expect(c['1']).toMatchObject({ source: 'external', points: null });
    const computedMax = 12 + 8 + 4 + 4 + 4 + 4 + 8 + 8 + 6 + 6;
    expect(r.total.computedMaxPoints).toBe(computedMax);
    expect(r.total.points).toBeCloseTo(r.groups.reduce((a, g) => a + g.points, 0), 5);
    // The public sees the scores, not what lowered them.
    expect(qualityIndex({ flows, stocks, procedures, procedureTimes: times }, false).components.every((x) => x.lowering === null)).toBe(true);
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
