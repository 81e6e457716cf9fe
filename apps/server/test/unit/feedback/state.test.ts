import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/modules/calendar/index.ts';
import {
  ALLOWED, allowedActions, deriveFeedback, FeedbackTransitionError, lateStages,
  type FeedbackEvent, type FeedbackEventType, type FeedbackStatus,
} from '../../../src/modules/feedback/state.ts';

const cal = createWorkingCalendar();
const at = (s: string) => new Date(s);

let seq = 0;
const ev = (type: FeedbackEventType, when: string, text: string | null = type === 'received' || type === 'accepted' || type === 'published' ? null : 'nội dung', payload: Record<string, unknown> = {}): FeedbackEvent => ({
  seq: ++seq, type, at: at(when), actorId: 'u1', text, payload,
});
const fresh = (when = RECEIVED) => {
  seq = 0;
  return [ev('received', when)];
};

// Tuesday 2026-04-28 09:00 +07. Thursday 30/4 and Friday 1/5 are holidays, then a weekend:
// 2 working days → Monday 4 May 17:00; 5 → Thursday 7 May 17:00; 15 → Thursday 21 May 17:00 (+07).
const RECEIVED = '2026-04-28T02:00:00Z';

describe('feedback deadlines in working days (Decision 766, 5.2)', () => {
  it('counts reject 2, ask for information 5 and answer 15 working days from receipt, across holidays and a weekend', () => {
    const v = deriveFeedback(fresh(), cal, at(RECEIVED));
    expect(v.status).toBe('received');
    expect(v.rejectDueAt).toEqual(at('2026-05-04T10:00:00Z'));
    expect(v.infoDueAt).toEqual(at('2026-05-07T10:00:00Z'));
    expect(v.answerDueAt).toEqual(at('2026-05-21T10:00:00Z'));
    expect(v.dueAt).toEqual(v.answerDueAt);
    expect(v.timeliness).toBeNull();
    expect(v.overdue).toBe(false);
  });

  it('counts from the next working start when received at the weekend', () => {
    // Saturday 2 May 2026 10:00 +07 → counted from Monday 4 May: 2 working days → Wednesday 6 May 17:00.
    const v = deriveFeedback(fresh('2026-05-02T03:00:00Z'), cal);
    expect(v.rejectDueAt).toEqual(at('2026-05-06T10:00:00Z'));
  });

  it('publication is due 2 working days after the answer', () => {
    // Answered Friday 8 May 10:00 +07 → Tuesday 12 May 17:00.
    const v = deriveFeedback([...fresh(), ev('accepted', '2026-04-28T03:00:00Z'), ev('answered', '2026-05-08T03:00:00Z')], cal, at('2026-05-08T04:00:00Z'));
    expect(v.status).toBe('answered');
    expect(v.publishDueAt).toEqual(at('2026-05-12T10:00:00Z'));
    expect(v.dueAt).toEqual(v.publishDueAt);
    expect(v.timeliness).toBeNull();
  });

  it('time waiting for the sender\'s information moves the rejection and answer deadlines, not the question\'s', () => {
    // Asked Wednesday 29 April 09:00, supplied Tuesday 5 May 09:00 +07: waited 29/4 09:00–17:00 (6 h with
    // lunch), 4/5 (8 h) and 5/5 07:00–09:00 (2 h) = 16 working hours = 2 working days.
    const log = [...fresh(), ev('info_requested', '2026-04-29T02:00:00Z'), ev('info_supplied', '2026-05-05T02:00:00Z')];
    const waiting = deriveFeedback(log.slice(0, 2), cal, at('2026-05-04T02:00:00Z'));
    expect(waiting.status).toBe('info_requested');
    expect(waiting.pausedSince).toEqual(at('2026-04-29T02:00:00Z'));
    expect(waiting.dueAt).toBeNull();
    expect(waiting.overdue).toBe(false);
    const v = deriveFeedback(log, cal, at('2026-05-05T03:00:00Z'));
    expect(v.status).toBe('received');
    expect(v.pausedSince).toBeNull();
    expect(v.infoDueAt).toEqual(at('2026-05-07T10:00:00Z'));
    expect(v.rejectDueAt).toEqual(at('2026-05-06T10:00:00Z'));
    expect(v.answerDueAt).toEqual(at('2026-05-25T10:00:00Z'));
    expect(v.infoRequests).toBe(1);
  });

  it('returns to "accepted" after the information when it had been accepted', () => {
    const v = deriveFeedback([...fresh(), ev('accepted', '2026-04-28T03:00:00Z'), ev('info_requested', '2026-04-28T04:00:00Z'), ev('info_supplied', '2026-04-29T04:00:00Z')], cal);
    expect(v.status).toBe('accepted');
  });
});

describe('feedback: on time or late', () => {
  it('an item rejected in time, and one rejected late', () => {
    expect(deriveFeedback([...fresh(), ev('rejected', '2026-05-04T09:00:00Z')], cal).timeliness).toBe('on_time');
    const late = deriveFeedback([...fresh(), ev('rejected', '2026-05-04T10:00:01Z')], cal);
    expect(late.timeliness).toBe('late');
    expect(late.rejectReason).toBe('nội dung');
  });

  it('asking for information after 5 working days is late, even if the answer is in time', () => {
    const log = [...fresh(), ev('info_requested', '2026-05-08T02:00:00Z'), ev('info_supplied', '2026-05-08T03:00:00Z'), ev('answered', '2026-05-11T02:00:00Z'), ev('published', '2026-05-11T03:00:00Z')];
    const v = deriveFeedback(log, cal);
    expect(v.status).toBe('published');
    expect(v.timeliness).toBe('late');
    expect(lateStages(v, at('2026-06-01T00:00:00Z'))).toEqual(['request_info']);
  });

  it('answered and published in time is on time; a late publication makes it late', () => {
    const base = [...fresh(), ev('accepted', '2026-04-28T03:00:00Z'), ev('answered', '2026-05-21T09:00:00Z')];
    seq = base.length;
    expect(deriveFeedback([...base, ev('published', '2026-05-25T09:00:00Z')], cal).timeliness).toBe('on_time');
    seq = base.length;
    expect(deriveFeedback([...base, ev('published', '2026-05-26T02:00:00Z')], cal).timeliness).toBe('late');
    // Not yet published, its deadline passed: already late (and overdue in the queue).
    const pending = deriveFeedback(base, cal, at('2026-05-26T02:00:00Z'));
    expect(pending.timeliness).toBe('late');
    expect(pending.overdue).toBe(true);
  });

  it('an item unanswered past 15 working days is late and overdue; waiting for information begun in time is not', () => {
    const open = deriveFeedback(fresh(), cal, at('2026-05-21T10:00:01Z'));
    expect(open).toMatchObject({ timeliness: 'late', overdue: true });
    expect(deriveFeedback(fresh(), cal, at('2026-05-21T09:59:59Z'))).toMatchObject({ timeliness: null, overdue: false });
    const waiting = deriveFeedback([...fresh(), ev('info_requested', '2026-04-29T02:00:00Z')], cal, at('2026-07-01T00:00:00Z'));
    expect(waiting).toMatchObject({ timeliness: null, overdue: false });
  });

  it('answering while waiting for information ends the wait', () => {
    const v = deriveFeedback([...fresh(), ev('info_requested', '2026-04-29T02:00:00Z'), ev('answered', '2026-05-05T02:00:00Z')], cal);
    expect(v).toMatchObject({ status: 'answered', pausedSince: null, acceptedAt: at('2026-05-05T02:00:00Z') });
    expect(v.answerDueAt).toEqual(at('2026-05-25T10:00:00Z'));
  });
});

describe('feedback: which events each state allows', () => {
  const statuses: FeedbackStatus[] = ['received', 'accepted', 'info_requested', 'rejected', 'answered', 'published'];
  const reach: Record<FeedbackStatus, FeedbackEventType[]> = {
    received: [],
    accepted: ['accepted'],
    info_requested: ['info_requested'],
    rejected: ['rejected'],
    answered: ['answered'],
    published: ['answered', 'published'],
  };
  const all: FeedbackEventType[] = ['accepted', 'info_requested', 'info_supplied', 'rejected', 'answered', 'published', 'received'];
  for (const s of statuses) {
    it(`${s}: allows exactly ${ALLOWED[s].join(', ') || 'nothing'}`, () => {
      const log = [...fresh(), ...reach[s].map((t, i) => ev(t, `2026-04-28T0${3 + i}:00:00Z`))];
      expect(deriveFeedback(log, cal).status).toBe(s);
      for (const t of all) {
        const next = [...log, { ...ev(t, '2026-04-29T03:00:00Z'), seq: log.length + 1 }];
        if (ALLOWED[s].includes(t)) expect(() => deriveFeedback(next, cal)).not.toThrow();
        else expect(() => deriveFeedback(next, cal)).toThrow(FeedbackTransitionError);
      }
    });
  }

  it('maps states to the officials\' actions', () => {
    expect(allowedActions('received')).toEqual(['accept', 'request_info', 'reject', 'answer']);
    expect(allowedActions('info_requested')).toEqual(['answer']);
    expect(allowedActions('answered')).toEqual(['publish']);
    expect(allowedActions('published')).toEqual([]);
  });

  it('refuses a question, a rejection or an answer without text, and an empty log', () => {
    for (const t of ['info_requested', 'rejected', 'answered'] as const) {
      expect(() => deriveFeedback([...fresh(), ev(t, '2026-04-28T03:00:00Z', '  ')], cal)).toThrow(/a text is required/);
    }
    expect(() => deriveFeedback([], cal)).toThrow(FeedbackTransitionError);
  });

  it('keeps the text published instead of the content', () => {
    const v = deriveFeedback([...fresh(), ev('answered', '2026-04-28T03:00:00Z'), ev('published', '2026-04-28T04:00:00Z', null, { publicContent: 'Bản công khai' })], cal);
    expect(v.publicContent).toBe('Bản công khai');
  });
});
