import { describe, expect, it } from 'vitest';
import { feedbackTimeliness, type FeedbackTimes } from '../../../src/modules/feedback/state.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
/** May 2026, as the reports module bounds it. */
const MAY = { start: d('2026-05-01'), end: d('2026-06-01') };

/** An item received on `received` with deadlines 2/5/15 days later (calendar days: the function only compares dates). */
function item(received: string, x: Partial<FeedbackTimes> = {}): FeedbackTimes {
  const r = d(received);
  const plus = (n: number) => new Date(r.getTime() + n * 86_400_000);
  return {
    receivedAt: r, rejectDueAt: plus(2), infoDueAt: plus(5), answerDueAt: plus(15), publishDueAt: null, infoRequestedAt: null,
    pausedSince: null, rejectedAt: null, answeredAt: null, publishedAt: null, ...x,
  };
}
const answered = (received: string, answeredOn: string, publishedOn: string | null, extra: Partial<FeedbackTimes> = {}) => {
  const a = d(answeredOn);
  return item(received, { answeredAt: a, publishDueAt: new Date(a.getTime() + 2 * 86_400_000), publishedAt: publishedOn ? d(publishedOn) : null, ...extra });
};

describe('feedbackTimeliness (Decision 766, 5.2)', () => {
  it('nothing measured: rate null', () => {
    expect(feedbackTimeliness([], MAY)).toEqual({ handled: 0, onTime: 0, late: 0, overdueOpen: 0, rate: null });
  });

  it('counts the items handled in the period, each stage against its deadline', () => {
    const items = [
      answered('2026-05-02', '2026-05-10', '2026-05-11'), // on time
      answered('2026-05-02', '2026-05-20', '2026-05-21'), // answered late (due 17 May)
      answered('2026-05-02', '2026-05-10', '2026-05-15'), // published late (due 12 May)
      item('2026-05-03', { rejectedAt: d('2026-05-04') }), // rejected in time
      item('2026-05-03', { rejectedAt: d('2026-05-08') }), // rejected late
      answered('2026-05-03', '2026-05-10', '2026-05-11', { infoRequestedAt: d('2026-05-09') }), // asked for information late
    ];
    expect(feedbackTimeliness(items, MAY)).toEqual({ handled: 6, onTime: 2, late: 4, overdueOpen: 0, rate: 2 / 6 });
  });

  it('handled before or after the period does not count in it; open and overdue at its end counts late', () => {
    const items = [
      answered('2026-04-01', '2026-04-10', '2026-04-11'), // handled in April
      answered('2026-05-25', '2026-06-03', '2026-06-04'), // handled in June, not overdue at the end of May
      answered('2026-04-20', '2026-06-03', '2026-06-04'), // handled in June, but already overdue on 1 June (due 5 May)
      item('2026-05-01'), // still open, due 16 May: overdue
      item('2026-05-28'), // still open, not yet due
      item('2026-06-02'), // received after the period
    ];
    expect(feedbackTimeliness(items, MAY)).toEqual({ handled: 0, onTime: 0, late: 2, overdueOpen: 2, rate: 0 });
  });

  it('an answer whose publication is due after the period end counts on time until then', () => {
    const items = [answered('2026-05-20', '2026-05-31', null)];
    expect(feedbackTimeliness(items, MAY)).toMatchObject({ handled: 1, onTime: 1, late: 0 });
    expect(feedbackTimeliness(items, { start: MAY.start, end: d('2026-06-10') })).toMatchObject({ handled: 1, onTime: 0, late: 1 });
  });

  it('waiting for information begun in time is not overdue; begun after the deadline is', () => {
    const items = [item('2026-04-01', { infoRequestedAt: d('2026-04-03'), pausedSince: d('2026-04-03') }), item('2026-04-01', { infoRequestedAt: d('2026-04-20'), pausedSince: d('2026-04-20') })];
    expect(feedbackTimeliness(items, MAY)).toEqual({ handled: 0, onTime: 0, late: 1, overdueOpen: 1, rate: 0 });
  });

  it('measures at `now` when the period has not ended: later events are not known yet', () => {
    // The second is rejected on 20 May, but on 15 May it is still open and past its answer deadline (10 May).
    const items = [answered('2026-05-02', '2026-05-10', '2026-05-11'), item('2026-04-25', { rejectedAt: d('2026-05-20') }), item('2026-05-02', { rejectedAt: d('2026-05-20') })];
    expect(feedbackTimeliness(items, MAY, d('2026-05-15'))).toEqual({ handled: 1, onTime: 1, late: 1, overdueOpen: 1, rate: 0.5 });
  });
});
