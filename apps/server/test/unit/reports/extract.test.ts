import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/modules/calendar/index.ts';
import { deriveDossier, type DossierView } from '../../../src/modules/dossier/index.ts';
import { DEFAULT_STEPS } from '../../../src/modules/dossier/process.ts';
import { contributions, extractReportRow, type DossierAction, type DossierInput, type Interval } from '../../../src/modules/reports/extract.ts';
import { generateActions, rng } from '../../../src/modules/reports/history.ts';

const cal = createWorkingCalendar();
const extras = { feeBearing: true, paidOnline: false, resultExpected: true, hasResultFile: true, componentsComplete: true, reuseExpected: false, reused: false, signedResult: false };

const contains = (list: Interval[], t: Date) => list.some((i) => i.from < t && (i.to === null || t <= i.to));

/** The definitions the facts must agree with, read off the view derived from the actions before T. */
function atInstant(facts: DossierInput['facts'], actions: readonly DossierAction[], t: Date) {
  const v: DossierView = deriveDossier(facts, actions.filter((a) => a.at < t), cal, t);
  const open = !!v.receivedAt && !v.finishedAt && v.status !== 'withdrawn';
  // Against the statutory deadline, which an apology's new appointment does not move (Decision 766).
  const overdue = open && (
    (v.status === 'processing' && !!v.statutoryDueAt && v.statutoryDueAt < t)
    || (v.status === 'waiting_supplement' && !!v.statutoryDueAt && !!v.pausedSince && v.statutoryDueAt < v.pausedSince)
    || v.supplementRequests > 1);
  return { open, overdue, waiting: open && v.status === 'waiting_supplement', dueAt: v.dueAt, statutoryDueAt: v.statutoryDueAt };
}

function randomDossier(seed: number, days = 5): DossierInput {
  const random = rng(seed);
  const start = new Date(Date.UTC(2024, 0, 2 + Math.floor(random() * 60), 0, Math.floor(random() * 900)));
  const generated = generateActions(random, cal, start, {
    steps: DEFAULT_STEPS.length, days, until: new Date(Date.UTC(2024, 2, 10)),
    supplement: 0.35, secondSupplement: 0.4, refuse: 0.06, stop: 0.04, withdraw: 0.05, extend: 0.15, transfer: 0.2, transferTo: 'OTHER', slow: 0.35,
    returnMethod: random() < 0.5 ? 'online' : 'counter',
  });
  const actions = generated.map((a, i) => ({ seq: i + 1, type: a.type, at: a.at, actorId: null, payload: a.type === 'receive' ? { code: `X-${seed}` } : a.payload ?? {} }));
  return { id: `d${seed}`, agencyId: 'A', procedureId: 'P', channel: 'online', facts: { receivingAgencyId: 'A', duration: { value: days, unit: 'working_days' }, steps: DEFAULT_STEPS }, actions, extras };
}

describe('report row of a dossier', () => {
  it('agrees with replays of every prefix of 300 random histories, at every instant that matters', () => {
    let checked = 0;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const d = randomDossier(seed, 3 + (seed % 8));
      const row = extractReportRow(d, cal);
      const full = deriveDossier(d.facts, d.actions, cal);
      expect(row === null).toBe(!full.receivedAt);
      if (!row) continue;
      kinds.add(row.exitKind ?? 'open');
      // Instants: around every action, every appointment the dossier had, and far after.
      const instants = new Set<number>();
      for (const a of d.actions) for (const dt of [-1, 0, 1]) instants.add(a.at.getTime() + dt);
      for (const a of d.actions) {
        const x = atInstant(d.facts, d.actions, new Date(a.at.getTime() + 1));
        for (const due of [x.dueAt, x.statutoryDueAt]) if (due) for (const dt of [-1, 0, 1]) instants.add(due.getTime() + dt);
      }
      instants.add(Date.UTC(2030, 0, 1));
      for (const x of instants) {
        const t = new Date(x);
        const want = atInstant(d.facts, d.actions, t);
        const got = { open: contains([row.active], t), overdue: contains(row.overdue, t), waiting: contains(row.waiting, t) };
        expect({ seed, t: t.toISOString(), ...got }).toEqual({ seed, t: t.toISOString(), open: want.open, overdue: want.overdue, waiting: want.waiting });
        checked++;
      }
      // Leaving the work in hand: finished (first of approve, refuse, stop) or withdrawn.
      if (full.finishedAt) {
        expect(row.exitAt).toEqual(full.finishedAt);
        expect(row.timeliness).toBe(full.timeliness);
        expect(row.resolutionMinutes).not.toBeNull();
      } else if (full.status === 'withdrawn') {
        expect(row.exitKind).toBe('withdrawn');
        expect(row.timeliness).toBeNull();
      } else {
        expect(row.exitAt).toBeNull();
      }
      expect(row.dueAt).toEqual(full.dueAt);
      expect(row.supplementRequests).toBe(full.supplementRequests);
      expect(row.receivedDay).toBe(cal.localDate(full.receivedAt!));
    }
    expect(checked).toBeGreaterThan(4000);
    expect([...kinds].sort()).toEqual(['approved', 'open', 'refused', 'stopped', 'withdrawn']);
  });

  it('counts supplement pauses out of the resolution time and flags a second supplement request as late', () => {
    const at = (s: string) => new Date(s);
    const facts = { receivingAgencyId: 'A', duration: { value: 5, unit: 'working_days' as const }, steps: DEFAULT_STEPS };
    const log = [
      ['submit', '2026-11-23T01:00:00Z'], ['receive', '2026-11-23T02:00:00Z'], ['forward', '2026-11-23T03:00:00Z'],
      ['request_supplement', '2026-11-23T04:00:00Z'], ['supplement', '2026-11-25T04:00:00Z'],
      ['request_supplement', '2026-11-25T07:00:00Z'], ['supplement', '2026-11-25T08:00:00Z'],
      ['forward', '2026-11-25T08:30:00Z'], ['forward', '2026-11-25T09:00:00Z'], ['approve', '2026-11-26T02:00:00Z'],
    ].map(([type, when], i) => ({ seq: i + 1, type: type as DossierAction['type'], at: at(when!), actorId: null, payload: type === 'receive' ? { code: 'X' } : {} }));
    const row = extractReportRow({ id: 'x', agencyId: 'A', procedureId: 'P', channel: 'in_person', facts, actions: log, extras }, cal)!;
    expect(row.timeliness).toBe('late');
    expect(row.supplementRequests).toBe(2);
    // Received Monday 09:00 local, approved Thursday 09:00: 3 working days, less 2 days + 1 hour of pauses.
    expect(row.resolutionMinutes).toBe(3 * 480 - 2 * 480 - 60);
    // Overdue from the second request on, while still in hand.
    expect(contains(row.overdue, at('2026-11-25T07:30:00Z'))).toBe(true);
    expect(contains(row.overdue, at('2026-11-25T04:30:00Z'))).toBe(false);
    expect(contains(row.overdue, at('2026-11-27T00:00:00Z'))).toBe(false);
    // Contributions: received on the 23rd, resolved (late) on the 26th.
    const c = contributions(row);
    expect(c.map((x) => [x.key.day, x.values.received ?? 0, x.values.resolvedLate ?? 0])).toEqual([['2026-11-23', 1, 0], ['2026-11-26', 0, 1]]);
  });

  it('judges an extended dossier against its statutory deadline: overdue from it on, whatever the new appointment', () => {
    const at = (x: string) => new Date(x);
    const facts = { receivingAgencyId: 'A', duration: { value: 5, unit: 'working_days' as const }, steps: DEFAULT_STEPS };
    const log = [
      ['submit', '2026-11-23T01:00:00Z', {}], ['receive', '2026-11-23T02:00:00Z', { code: 'X' }], ['forward', '2026-11-23T03:00:00Z', {}],
      ['extend', '2026-11-27T08:00:00Z', { newDueAt: '2026-12-04T10:00:00Z' }],
    ].map(([type, when, payload], i) => ({ seq: i + 1, type: type as DossierAction['type'], at: at(when as string), actorId: null, payload: payload as Record<string, unknown> }));
    const open = extractReportRow({ id: 'x', agencyId: 'A', procedureId: 'P', channel: 'in_person', facts, actions: log, extras }, cal)!;
    const statutory = deriveDossier(facts, log, cal).statutoryDueAt!;
    // Five working days from Monday 09:00: the end of the next Monday's working day (17:00 local).
    expect(statutory.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    // The applicant holds the new appointment; the report counts the dossier overdue from the statutory deadline.
    expect(open.dueAt).toEqual(at('2026-12-04T10:00:00Z'));
    expect(contains(open.overdue, at('2026-11-30T09:59:00Z'))).toBe(false);
    expect(contains(open.overdue, at('2026-11-30T10:01:00Z'))).toBe(true);
    expect(contains(open.overdue, at('2026-12-03T00:00:00Z'))).toBe(true);
    // Finished before the new appointment but after the statutory deadline: late.
    const finished = [...log, { seq: 5, type: 'forward' as const, at: at('2026-12-01T02:00:00Z'), actorId: null, payload: {} },
      { seq: 6, type: 'forward' as const, at: at('2026-12-01T03:00:00Z'), actorId: null, payload: {} },
      { seq: 7, type: 'approve' as const, at: at('2026-12-02T02:00:00Z'), actorId: null, payload: {} }];
    const row = extractReportRow({ id: 'x', agencyId: 'A', procedureId: 'P', channel: 'in_person', facts, actions: finished, extras }, cal)!;
    expect(row.timeliness).toBe('late');
    expect(row.overdue).toEqual([{ from: at('2026-11-30T10:00:00Z'), to: at('2026-12-02T02:00:00Z') }]);
  });

  it('has no row for a dossier never received', () => {
    const facts = { receivingAgencyId: 'A', duration: { value: 5, unit: 'working_days' as const }, steps: DEFAULT_STEPS };
    const log: DossierAction[] = [
      { seq: 1, type: 'submit', at: new Date('2026-11-23T01:00:00Z'), actorId: null, payload: {} },
      { seq: 2, type: 'refuse', at: new Date('2026-11-23T02:00:00Z'), actorId: null, payload: { reasons: ['x'] } },
    ];
    expect(extractReportRow({ id: 'x', agencyId: 'A', procedureId: 'P', channel: 'online', facts, actions: log, extras }, cal)).toBeNull();
  });
});
