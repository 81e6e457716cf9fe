import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/modules/calendar/index.ts';
import {
  ALLOWED, deriveDossier, TransitionError,
  type ActionType, type DossierAction, type DossierFacts, type DossierStatus,
} from '../../../src/modules/dossier/state.ts';

const cal = createWorkingCalendar();
const at = (s: string) => new Date(s);
const facts: DossierFacts = {
  receivingAgencyId: 'SKHCN',
  duration: { value: 5, unit: 'working_days' },
  steps: [
    { key: 'reception', name: { vi: 'Tiếp nhận', en: 'Reception' }, agencyId: null, role: 'reception_officer', sharePercent: 10 },
    { key: 'review', name: { vi: 'Thẩm định', en: 'Review' }, agencyId: null, role: 'specialist', sharePercent: 60 },
    { key: 'check', name: { vi: 'Kiểm tra', en: 'Check' }, agencyId: null, role: 'division_head', sharePercent: 10, returnTo: ['review'] },
    { key: 'sign', name: { vi: 'Ký duyệt', en: 'Sign' }, agencyId: null, role: 'agency_leader', sharePercent: 20, returnTo: ['review', 'check'] },
  ],
};

let seq = 0;
const act = (type: ActionType, when: string, payload: Record<string, unknown> = {}, actorId: string | null = 'u1'): DossierAction => ({
  seq: ++seq, type, at: at(when), actorId, payload,
});

// Monday 2026-11-23 09:00 +07 (02:00Z); 5 working days → Monday 30 Nov 17:00 +07 (10:00Z).
const submitted = () => [act('submit', '2026-11-23T01:00:00Z')];
const received = () => [...submitted(), act('receive', '2026-11-23T02:00:00Z', { code: 'X-261123-0001' })];

describe('dossier state: the happy path', () => {
  it('goes from submission to a rated, returned result, early', () => {
    const log = [
      ...received(),
      act('forward', '2026-11-23T03:00:00Z'),
      act('claim', '2026-11-23T04:00:00Z', {}, 'spec'),
      act('forward', '2026-11-24T03:00:00Z'),
      act('forward', '2026-11-24T08:00:00Z'),
      act('approve', '2026-11-25T02:00:00Z', {}, 'leader'),
      act('mark_result_ready', '2026-11-25T03:00:00Z'),
      act('return_result', '2026-11-25T04:00:00Z'),
      act('rate', '2026-11-25T05:00:00Z', { score: 'satisfied', comment: 'Nhanh' }),
    ];
    const statuses = log.map((_, i) => deriveDossier(facts, log.slice(0, i + 1), cal).status);
    expect(statuses).toEqual(['submitted', 'processing', 'processing', 'processing', 'processing', 'processing', 'approved', 'result_ready', 'returned', 'returned']);
    const v = deriveDossier(facts, log, cal);
    expect(v.code).toBe('X-261123-0001');
    expect(v.dueAt!.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(v.finishedAt!.toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(v.timeliness).toBe('early');
    expect(v.portalStatus).toBe('done');
    expect(v.rating).toEqual({ score: 'satisfied', comment: 'Nhanh' });
    expect(v.visits.map((x) => [x.stepIndex, x.endedBy])).toEqual([[0, 'forward'], [1, 'forward'], [2, 'forward'], [3, 'approve']]);
    expect(v.visits.every((x) => x.timeliness !== null)).toBe(true);
  });

  it('maps to the national portal vocabulary', () => {
    expect(deriveDossier(facts, submitted(), cal).portalStatus).toBe('receiving');
    const r = received();
    expect(deriveDossier({ ...facts, steps: facts.steps.slice(1) }, r, cal).portalStatus).toBe('new');
    expect(deriveDossier(facts, [...r, act('request_supplement', '2026-11-23T03:00:00Z')], cal).portalStatus).toBe('waiting');
    expect(deriveDossier(facts, [...r, act('transfer', '2026-11-23T03:00:00Z', { toAgencyId: 'STC' })], cal).portalStatus).toBe('interoperating');
    expect(deriveDossier(facts, [...r, act('refuse', '2026-11-23T03:00:00Z')], cal).portalStatus).toBe('denied');
    expect(deriveDossier(facts, [...r, act('stop', '2026-11-23T03:00:00Z')], cal).portalStatus).toBe('unresolved');
    expect(deriveDossier(facts, [...r, act('withdraw', '2026-11-23T03:00:00Z')], cal).portalStatus).toBe('cancelled');
  });
});

describe('supplements pause the clock', () => {
  it('adds the working time spent waiting back to the appointment', () => {
    // Waiting from Tue 24 Nov 09:00 +07 to Thu 26 Nov 09:00 +07: two working days (960 min).
    const log = [
      ...received(),
      act('request_supplement', '2026-11-24T02:00:00Z'),
      act('supplement', '2026-11-26T02:00:00Z', {}, 'citizen'),
    ];
    const v = deriveDossier(facts, log, cal);
    expect(v.status).toBe('processing');
    expect(v.pausedMinutes).toBe(960);
    expect(v.dueAt!.toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(v.supplementRequests).toBe(1);
  });

  it('more than one supplement request makes the dossier late even when finished in time', () => {
    const oneStep: DossierFacts = { ...facts, steps: [facts.steps[3]!].map((s) => ({ ...s, sharePercent: 100, returnTo: [] })) };
    const log = [
      ...received(),
      act('request_supplement', '2026-11-23T03:00:00Z'),
      act('supplement', '2026-11-23T04:00:00Z'),
      act('request_supplement', '2026-11-23T07:00:00Z'),
      act('supplement', '2026-11-23T08:00:00Z'),
      act('approve', '2026-11-24T02:00:00Z'),
    ];
    expect(deriveDossier(oneStep, log, cal).timeliness).toBe('late');
    expect(deriveDossier(oneStep, [...log.slice(0, 4), log[6]!], cal).timeliness).toBe('early');
  });

  it('a supplement asked before reception starts no clock and loops back to the desk', () => {
    const log = [...submitted(), act('request_supplement_before_reception', '2026-11-23T02:00:00Z'), act('supplement', '2026-11-24T02:00:00Z')];
    const v = deriveDossier(facts, log, cal);
    expect(v.status).toBe('submitted');
    expect(v.dueAt).toBeNull();
    expect(v.supplementRequests).toBe(0);
  });
});

describe('deadlines', () => {
  it('gives each step its share of the statutory time', () => {
    const v = deriveDossier(facts, received(), cal);
    // 10% of 5 × 480 = 240 working minutes from Mon 09:00: 150 until 11:30, 90 from 13:30 → 15:00 +07 (08:00Z)
    expect(v.stepDueAt!.toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });
  it('classifies a finish after the appointment as late, and an unfinished one past it as late at `now`', () => {
    const late = [...received(), act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z'), act('approve', '2026-12-01T02:00:00Z')];
    expect(deriveDossier(facts, late, cal).timeliness).toBe('late');
    expect(deriveDossier(facts, received(), cal, at('2026-12-01T00:00:00Z')).timeliness).toBe('late');
    expect(deriveDossier(facts, received(), cal, at('2026-11-24T00:00:00Z')).timeliness).toBeNull();
  });
  it('an extension (with apology) moves the appointment later, never earlier', () => {
    const v = deriveDossier(facts, [...received(), act('extend', '2026-11-27T02:00:00Z', { newDueAt: '2026-12-03T10:00:00Z' })], cal);
    expect(v.dueAt!.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(() => deriveDossier(facts, [...received(), act('extend', '2026-11-27T02:00:00Z', { newDueAt: '2026-11-25T10:00:00Z' })], cal)).toThrow(TransitionError);
    // Finished after the statutory deadline but before the new appointment: still late.
    const steps = [act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z')];
    const extended = deriveDossier(facts, [...received(), ...steps, act('extend', '2026-11-30T02:00:00Z', { newDueAt: '2026-12-03T10:00:00Z' }), act('approve', '2026-12-02T02:00:00Z')], cal);
    expect(extended.statutoryDueAt!.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(extended.timeliness).toBe('late');
  });
  it('counts working hours for same-day procedures', () => {
    const v = deriveDossier({ ...facts, duration: { value: 4, unit: 'working_hours' } }, received(), cal);
    expect(v.dueAt!.toISOString()).toBe('2026-11-23T08:00:00.000Z'); // 09:00–11:30 + 13:30–15:00 (+07)
  });
});

describe('workflow rules', () => {
  it('returns only to an earlier step the process allows', () => {
    const atCheck = [...received(), act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z')];
    const back = deriveDossier(facts, [...atCheck, act('return_step', '2026-11-23T06:00:00Z', { toStep: 'review' })], cal);
    expect(back.stepIndex).toBe(1);
    expect(() => deriveDossier(facts, [...atCheck, act('return_step', '2026-11-23T06:00:00Z', { toStep: 'reception' })], cal)).toThrow(/does not allow/);
    expect(() => deriveDossier(facts, [...received(), act('return_step', '2026-11-23T06:00:00Z', { toStep: 'sign' })], cal)).toThrow(/earlier step/);
  });
  it('approves only at the last step and forwards not past it', () => {
    expect(() => deriveDossier(facts, [...received(), act('approve', '2026-11-23T03:00:00Z')], cal)).toThrow(/last step/);
    const atLast = [...received(), act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z')];
    expect(() => deriveDossier(facts, [...atLast, act('forward', '2026-11-23T06:00:00Z')], cal)).toThrow(/approve instead/);
  });
  it('one official holds a step: another cannot claim it', () => {
    const held = [...received(), act('forward', '2026-11-23T03:00:00Z'), act('claim', '2026-11-23T03:10:00Z', {}, 'a')];
    expect(() => deriveDossier(facts, [...held, act('claim', '2026-11-23T03:20:00Z', {}, 'b')], cal)).toThrow(/another official/);
    expect(deriveDossier(facts, [...held, act('assign', '2026-11-23T03:20:00Z', { assigneeId: 'b' })], cal).assigneeId).toBe('b');
  });
  it('a refusal before reception finishes nothing; after reception it finishes the dossier', () => {
    expect(deriveDossier(facts, [...submitted(), act('refuse', '2026-11-23T02:00:00Z')], cal).finishedAt).toBeNull();
    expect(deriveDossier(facts, [...received(), act('refuse', '2026-11-23T03:00:00Z')], cal).finishedAt).not.toBeNull();
  });
  it('rates once', () => {
    const done = [...received(), act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z'), act('approve', '2026-11-23T06:00:00Z'), act('mark_result_ready', '2026-11-23T07:00:00Z'), act('return_result', '2026-11-23T08:00:00Z'), act('rate', '2026-11-23T09:00:00Z', { score: 'neutral' })];
    expect(() => deriveDossier(facts, [...done, act('rate', '2026-11-23T09:10:00Z', { score: 'satisfied' })], cal)).toThrow(/already rated/);
  });
});

describe('every action not allowed in a state is refused', () => {
  const allActions = Object.values(ALLOWED).flat().filter((x, i, a) => a.indexOf(x) === i);
  const reach: Record<DossierStatus, () => DossierAction[]> = {
    draft: () => [],
    submitted: submitted,
    awaiting_supplement_before_reception: () => [...submitted(), act('request_supplement_before_reception', '2026-11-23T02:00:00Z')],
    processing: received,
    waiting_supplement: () => [...received(), act('request_supplement', '2026-11-23T03:00:00Z')],
    approved: () => [...received(), act('forward', '2026-11-23T03:00:00Z'), act('forward', '2026-11-23T04:00:00Z'), act('forward', '2026-11-23T05:00:00Z'), act('approve', '2026-11-23T06:00:00Z')],
    result_ready: () => [...reach.approved(), act('mark_result_ready', '2026-11-23T07:00:00Z')],
    returned: () => [...reach.result_ready(), act('return_result', '2026-11-23T08:00:00Z')],
    refused: () => [...received(), act('refuse', '2026-11-23T03:00:00Z')],
    stopped: () => [...received(), act('stop', '2026-11-23T03:00:00Z')],
    withdrawn: () => [...submitted(), act('withdraw', '2026-11-23T03:00:00Z')],
  };
  for (const status of Object.keys(ALLOWED) as DossierStatus[]) {
    it(`${status}`, () => {
      const log = reach[status]();
      expect(deriveDossier(facts, log, cal).status).toBe(status);
      for (const type of allActions.filter((x) => !ALLOWED[status].includes(x))) {
        expect(() => deriveDossier(facts, [...log, act(type, '2026-11-23T09:30:00Z', { code: 'c', score: 'neutral' })], cal), `${type} in ${status}`).toThrow(TransitionError);
      }
    });
  }
  it('finished dossiers cannot be reopened', () => {
    for (const s of ['refused', 'stopped', 'withdrawn'] as const) expect(ALLOWED[s]).toEqual([]);
    expect(ALLOWED.returned).toEqual(['rate']);
  });
});
