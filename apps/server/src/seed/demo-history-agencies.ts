import type { BlobInfo, BlobStore } from '../adapters/storage/index.ts';
import type { Db } from '../db/database.ts';
import type { WorkingCalendar } from '../modules/calendar/index.ts';
import { currentProcess } from '../modules/dossier/process.ts';
import { rng, storeDemoPaper, writeHistory, type HistoryAction, type HistoryDossier } from '../modules/reports/history.ts';

/**
 * DEMO DATA: a plausible history for the other agencies of the demo province, from 1 January of
 * last year to a few days before now, so that the leaders' dashboard, the public statistics,
 * the ranking and the Decision 766 index show agencies that differ: the current departments
 * that own procedures, ten wards and communes (from 1 July 2025, the two-level model), and the
 * agencies they took over from (dissolved departments until 28 February 2025, old communes until
 * 30 June 2025), each with its own volume, online share and quality: early, on-time and late
 * resolutions, supplement requests (twice for a few: late by rule), refusals, withdrawals,
 * apologies with a new appointment, ratings, and dossiers still in hand (within time or overdue);
 * and the Decision 766 digital side: fees paid online or in cash, electronic results, papers
 * scanned and reused (drawn from a second PRNG stream: the outcomes, early, late, refused and so
 * on, do not depend on them; only how and when the result is returned does).
 *
 * A department's dossiers are counted under the department itself (received there, as in the
 * Information and Communications 2019 history), not under the provincial service centre that
 * the catalogue names as receiving them: the reports count by receiving agency, and a centre
 * holding every department's work would show no difference between departments.
 *
 * Deterministic: one seeded PRNG per agency (no Math.random), dates relative to `now`. Written
 * through `writeHistory`, so the action logs are ones the workflow allows and the report facts
 * follow from the triggers (report_dirty) like those of live dossiers. The Department of Science
 * and Technology (the demo officials' agency) keeps no dossier in its officials' work queues:
 * its dossiers are finished before now, or waiting for the applicant.
 */

type Channel = HistoryDossier['channel'];
type Score = 'satisfied' | 'neutral' | 'dissatisfied';
type Outcome = 'early' | 'on_time' | 'late' | 'refused' | 'withdrawn' | 'stuck';

/** How an agency works: shares are of its dossiers. */
export interface Profile {
  /** Dossiers received a month, on average. */
  perMonth: number;
  /** Share filed online, among procedures offered online. */
  online: number;
  /** Share sent by post. */
  post: number;
  /** Resolved after the statutory deadline. */
  late: number;
  /** Of the late ones: an apology with a new appointment before the deadline. */
  apology: number;
  /** Of the others: resolved before the due day (else on the due day). */
  early: number;
  /** Asked for a supplement once; `again`: of those, asked a second time (late by rule). */
  supplement: number;
  again: number;
  refuse: number;
  withdraw: number;
  /** Of the dossiers received in the last 90 days: left untouched at the review step. */
  stuck: number;
  /** Of the returned ones: rated; dissatisfied (more when late). */
  rated: number;
  dissatisfied: number;
  /**
   * Fees paid online (VNPay, or a VietQR transfer) by those who filed online; half as many of
   * the others (a transfer at the counter); the rest in cash. `exempt`: fees lifted by an official.
   */
  payOnline: number;
  exempt: number;
  /** Of the dossiers filed online whose procedure returns a result document: returned as an electronic result (a third as many of those filed in person). */
  eResult: number;
  /** Papers of dossiers filed in person or by post scanned at reception; results scanned (an electronic result always has its file). */
  digitise: number;
  /** Dossiers whose reusable papers were reused from an earlier dossier. */
  reuse: number;
}

/** A procedure an agency receives, with its weight; `from`/`to` (local dates) and `months` narrow when. */
type ProcedureShare = [code: string, weight: number, when?: { from?: string; to?: string; months?: number[] }];

export interface AgencyHistorySpec {
  code: string;
  profile: Profile;
  procedures: ProcedureShare[];
  /** Local dates the agency received dossiers (its validity, a takeover). */
  from?: string;
  to?: string;
  /** Busier months (1–12): a factor on the volume. */
  months?: Record<number, number>;
  /**
   * Every dossier finished by `to` (a dissolved agency) or before now (the demo officials'
   * agency, whose work queues the journeys use); `waiting`: one waiting for the applicant may stay.
   */
  closed?: { waiting: boolean };
}

/** The usual; an agency filing much online also pays, returns, digitises and reuses more online unless told otherwise. */
const good = (o: Partial<Profile> & { perMonth: number; online: number }): Profile => ({
  post: 0.04, late: 0.03, apology: 0.5, early: 0.75, supplement: 0.07, again: 0.1, refuse: 0.015, withdraw: 0.012, stuck: 0.01, rated: 0.35, dissatisfied: 0.03,
  payOnline: 0.15 + 0.8 * o.online, exempt: 0.03, eResult: 0.1 + 0.7 * o.online, digitise: 0.35 + 0.6 * o.online, reuse: 0.1 + 0.5 * o.online, ...o,
});

const MARCH_2025 = '2025-03-01';
const FEB_2025 = '2025-02-28';
const JULY_2025 = '2025-07-01';
const JUNE_2025 = '2025-06-30';

// Procedures (codes in demo-procedures.ts); only those counted in working days.
const ENTERPRISE: ProcedureShare[] = [['2.001610', 3], ['1.005378', 5], ['2.002036', 2], ['2.002049', 3]];
const LABOUR: ProcedureShare[] = [['2.000205', 5], ['1.000459', 2], ['1.000105', 2], ['1.000414', 1], ['2.001955', 0.5]];
const TRANSPORT: ProcedureShare[] = [['1.002856', 3], ['1.002861', 6], ['1.001035', 1], ['1.001047', 1.5]];
const LAND_ORG: ProcedureShare[] = [['1.012768', 1]];
const SCIENCE: ProcedureShare[] = [
  ['2.001223', 1], ['2.001176', 2], ['1.008380', 0.7], ['1.008388', 1.5], ['1.011623', 3],
  // The former Information and Communications procedures, here since the merger.
  ['1.003725', 0.5, { from: MARCH_2025 }], ['1.003835', 0.8, { from: MARCH_2025 }], ['1.004480', 1, { from: MARCH_2025 }],
  ['1.003901', 0.6, { from: MARCH_2025 }], ['1.003945', 0.8, { from: MARCH_2025 }], ['1.003920', 0.3, { from: MARCH_2025 }],
];
const CIVIL: ProcedureShare[] = [
  ['1.000894', 6], ['1.004873', 8], ['1.001022', 1], ['1.004859', 3], ['1.000689', 0.5], ['1.003583', 5], ['2.001035', 8],
];
const WARD: ProcedureShare[] = [
  ...CIVIL,
  ['1.001612', 3], ['1.001266', 2], ['2.000575', 1], ['2.000720', 1], ['2.000783', 0.5],
  ['1.012790', 6], ['1.012795', 2], ['1.012801', 3], ['1.012805', 1.5], ['1.009994', 3], ['1.009995', 0.5], ['1.004492', 0.2],
];
const COASTAL: ProcedureShare[] = [...WARD, ['1.003930', 0.6]];

const ward = (n: string, profile: Profile, procedures = WARD): AgencyHistorySpec => ({ code: `000.01.${n}.H56`, profile, procedures, from: JULY_2025 });
const oldCommune = (n: string, profile: Profile): AgencyHistorySpec => ({ code: `000.02.${n}.H56`, profile, procedures: CIVIL, to: JUNE_2025, closed: { waiting: false } });
const dissolved = (n: string, profile: Profile, procedures: ProcedureShare[]): AgencyHistorySpec => ({ code: `000.00.${n}.H56`, profile, procedures, to: FEB_2025, closed: { waiting: false } });

/** The agencies and how each works (demo-province.ts for the codes). */
export const AGENCY_HISTORY: AgencyHistorySpec[] = [
  // Departments.
  { code: '000.00.03.H56', profile: good({ perMonth: 14, online: 0.82, late: 0.01, early: 0.88, supplement: 0.04, stuck: 0.004, payOnline: 0.92, eResult: 0.9, digitise: 0.97, reuse: 0.75 }), procedures: [['2.000488', 10], ['1.001071', 0.3], ['2.000908', 0.5]] },
  { code: '000.00.04.H56', profile: good({ perMonth: 12, online: 0.78, late: 0.02, supplement: 0.13, again: 0.08, payOnline: 0.4, eResult: 0.35 }), procedures: ENTERPRISE, from: MARCH_2025 },
  { code: '000.00.02.H56', profile: good({ perMonth: 7, online: 0.68, late: 0.04, early: 0.65 }), procedures: LABOUR, from: MARCH_2025 },
  {
    code: '000.00.07.H56', procedures: LAND_ORG, from: MARCH_2025,
    profile: good({ perMonth: 4, online: 0.3, post: 0.08, late: 0.15, apology: 0.6, early: 0.45, supplement: 0.28, again: 0.25, refuse: 0.04, withdraw: 0.03, stuck: 0.06, dissatisfied: 0.08 }),
  },
  {
    code: '000.00.10.H56', procedures: [['1.009972', 1.5], ['1.009985', 1.5], ...TRANSPORT.map(([c, w]): ProcedureShare => [c, w, { from: MARCH_2025 }])],
    profile: good({ perMonth: 9, online: 0.55, late: 0.08, early: 0.6, supplement: 0.15, again: 0.15, refuse: 0.025, stuck: 0.03, dissatisfied: 0.05, eResult: 0.2, digitise: 0.5 }),
  },
  { code: '000.00.12.H56', profile: good({ perMonth: 6, online: 0.66, late: 0.02, early: 0.8, supplement: 0.06 }), procedures: SCIENCE, closed: { waiting: true } },
  {
    code: '000.00.14.H56', procedures: [['2.001914', 5], ['1.005095', 1], ['1.004438', 2, { months: [5, 6, 7, 8, 9] }], ['1.005142', 12, { months: [7] }]],
    months: { 7: 2.2, 8: 1.4 }, profile: good({ perMonth: 8, online: 0.75, late: 0.005, early: 0.9, supplement: 0.03, refuse: 0.01, stuck: 0 }),
  },
  {
    code: '000.00.15.H56', procedures: [['1.012280', 3], ['1.012290', 1], ['1.004616', 2], ['1.004604', 2], ['2.001171', 3]],
    profile: good({ perMonth: 6, online: 0.4, post: 0.06, late: 0.12, apology: 0.45, early: 0.5, supplement: 0.22, again: 0.2, refuse: 0.035, withdraw: 0.02, stuck: 0.05, dissatisfied: 0.07 }),
  },
  // Departments dissolved on 28 February 2025, for the work their successors took over.
  dissolved('05', good({ perMonth: 12, online: 0.7, late: 0.03, supplement: 0.12 }), ENTERPRISE),
  dissolved('17', good({ perMonth: 7, online: 0.55, late: 0.05, early: 0.6 }), LABOUR),
  dissolved('09', good({ perMonth: 4, online: 0.2, late: 0.2, early: 0.4, supplement: 0.3, again: 0.25, refuse: 0.04 }), LAND_ORG),
  dissolved('11', good({ perMonth: 7, online: 0.5, late: 0.06, supplement: 0.1 }), TRANSPORT),
  // Wards and communes of the two-level model (from 1 July 2025).
  ward('01', good({ perMonth: 16, online: 0.85, late: 0.03, early: 0.8, digitise: 0.95, reuse: 0.7 })),
  ward('02', good({ perMonth: 12, online: 0.7, late: 0.06, early: 0.7, supplement: 0.1 })),
  ward('06', good({ perMonth: 9, online: 0.55, late: 0.09, early: 0.6, supplement: 0.12, again: 0.15, stuck: 0.03, dissatisfied: 0.05 }), COASTAL),
  ward('09', good({ perMonth: 9, online: 0.5, late: 0.05, early: 0.7 })),
  ward('12', good({ perMonth: 7, online: 0.45, post: 0.06, late: 0.1, early: 0.55, supplement: 0.14, again: 0.15, stuck: 0.03, dissatisfied: 0.06 })),
  ward('16', good({ perMonth: 6, online: 0.4, post: 0.07, late: 0.14, apology: 0.35, early: 0.45, supplement: 0.18, again: 0.2, refuse: 0.03, withdraw: 0.025, stuck: 0.05, dissatisfied: 0.09, payOnline: 0.2, digitise: 0.3, reuse: 0.05 })),
  ward('18', good({ perMonth: 3, online: 0.38, post: 0.1, late: 0.04, early: 0.7 })),
  ward('20', good({ perMonth: 10, online: 0.75, late: 0.07, early: 0.65, supplement: 0.1, payOnline: 0.55, eResult: 0.95 }), COASTAL),
  ward('22', good({ perMonth: 5, online: 0.42, late: 0.12, early: 0.5, supplement: 0.15, again: 0.2, stuck: 0.04, dissatisfied: 0.06 })),
  ward('24', good({ perMonth: 1, online: 0.9, post: 0.1, late: 0, early: 0.9, supplement: 0.03, refuse: 0, withdraw: 0, stuck: 0 }), COASTAL),
  // The communes they took over from (until 30 June 2025).
  oldCommune('01', good({ perMonth: 6, online: 0.5, late: 0.04 })),
  oldCommune('02', good({ perMonth: 5, online: 0.45, late: 0.06 })),
  oldCommune('03', good({ perMonth: 4, online: 0.4, late: 0.08 })),
  oldCommune('04', good({ perMonth: 4, online: 0.4, late: 0.05 })),
  oldCommune('05', good({ perMonth: 3, online: 0.35, late: 0.1 })),
];

/** The usual ebb and flow of a year: quiet around Tết, busy at year end. */
const MONTH_FACTOR = [0.85, 0.65, 1, 1, 1, 1.05, 1.05, 1, 1, 1.05, 1.1, 1.2];
const WORKING_DAYS_A_MONTH = 21.5;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Thu', 'Quốc', 'Bảo'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Hà', 'Hải', 'Hạnh', 'Hòa', 'Hùng', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy'];

/** FNV-1a: an agency's own seed, whatever the order of the list. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** Agencies written at the same time. */
const WRITERS = 3;

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface ProcedureInfo {
  id: string;
  code: string;
  days: number;
  online: boolean;
  /** Shares of the statutory time of its process's steps, in percent. */
  shares: number[];
  /** It returns a result document (so it can be returned as an electronic result); true when left out. */
  result?: boolean;
}

interface DossierInput {
  receivedAt: Date;
  channel: Channel;
  procedure: ProcedureInfo;
  outcome: Outcome;
  supplements: number;
  apology: boolean;
  returnMethod: 'counter' | 'post' | 'online';
  rating: Score | null;
  /** Online papers asked for before reception. */
  beforeReception: boolean;
  /** Working minutes the work may take at most (a closed agency); no supplement then. */
  maxActive?: number;
}

/**
 * One dossier's actions, from its submission to its end (or `until`). The work's length is in
 * "active" working minutes from reception (supplement pauses excluded, as the statutory clock
 * counts them), placed against the statutory time so that the outcome is the one asked: early
 * (before the due day), on time (on the due day), late, refused or withdrawn on the way, or left
 * at the review step. Every history it makes is one the workflow allows.
 */
export function dossierActions(random: () => number, cal: WorkingCalendar, x: DossierInput): HistoryAction[] {
  const mpd = cal.minutesPerDay;
  const r = x.receivedAt;
  const due = cal.addWorkingDays(r, x.procedure.days);
  const W = cal.workingTimeBetween(r, due);
  const steps = x.procedure.shares.length;
  let outcome = x.outcome;
  let supplements = x.maxActive !== undefined ? 0 : x.supplements;
  if (outcome === 'early' && W - mpd - 1 < 60) outcome = 'on_time';
  let A: number;
  switch (outcome) {
    case 'early': A = 60 + (W - mpd - 61) * random() ** 1.3; break;
    case 'on_time': A = W - 1 - Math.floor(random() * (mpd - 20)); break;
    case 'late': A = W + 20 + W * (0.05 + 0.6 * random() * random()); break;
    case 'refused': A = W * (0.15 + 0.6 * random()); break;
    case 'withdrawn': A = W * (0.05 + 0.5 * random()); break;
    case 'stuck': A = Number.POSITIVE_INFINITY; break;
  }
  if (x.maxActive !== undefined && A > x.maxActive) {
    // Made to fit before a closing date: whatever it was, it ends then (on time or early).
    if (outcome === 'stuck' || outcome === 'late') outcome = 'on_time';
    A = x.maxActive;
  }
  // The step the work ends in: the last (approve), or review/check for a refusal or withdrawal.
  const endStep = outcome === 'refused' || outcome === 'withdrawn' ? Math.max(0, Math.min(steps - 1, 1 + Math.floor(random() * (steps - 2)))) : steps - 1;
  // Step boundaries in active minutes: reception is handed on within minutes or hours; the rest
  // by the process's shares, with the review taking longer when the dossier ends late.
  const bounds: number[] = [];
  if (outcome === 'stuck') {
    bounds.push(10 + random() * 120);
  } else if (endStep > 0) {
    const first = Math.min(A * 0.3, 5 + random() * Math.min(180, ((x.procedure.shares[0] ?? 10) / 100) * W));
    bounds.push(first);
    const weights = x.procedure.shares.slice(1, endStep + 1).map((s, i) => s * (0.6 + 0.8 * random()) * (i === 0 && outcome === 'late' ? 2.5 : 1));
    const sum = weights.reduce((a, b) => a + b, 0);
    let at = first;
    for (const w of weights.slice(0, -1)) {
      at += ((A - first) * w) / sum;
      bounds.push(at);
    }
  }
  // Supplement requests during the review step (pauses, in working minutes).
  const reviewStart = bounds[0] ?? 0;
  const reviewEnd = outcome === 'stuck' ? reviewStart + W : bounds[1] ?? A;
  const pauses: { at: number; length: number }[] = [];
  const withdrawWhileWaiting = outcome === 'withdrawn' && supplements === 0 && random() < 0.4;
  if (withdrawWhileWaiting) supplements = 1;
  let s = reviewStart + (reviewEnd - reviewStart) * (0.15 + 0.4 * random());
  for (let i = 0; i < supplements && s < reviewEnd; i++) {
    pauses.push({ at: s, length: mpd * (0.5 + random() * (i === 0 ? 6 : 3)) });
    s += 1 + (reviewEnd - s) * (0.3 + 0.4 * random());
  }
  const pausedBefore = (m: number) => pauses.filter((p) => p.at < m).reduce((a, p) => a + p.length, 0);
  const instant = (m: number) => cal.addWorkingMinutes(r, m + pausedBefore(m));

  const out: HistoryAction[] = [];
  // Submission (online: any time before, the papers perhaps asked for first) and reception.
  if (x.channel === 'online') {
    if (x.beforeReception) {
      const submitted = new Date(r.getTime() - (48 + random() * 72) * HOUR);
      out.push({ type: 'submit', at: submitted });
      out.push({ type: 'request_supplement_before_reception', at: new Date(submitted.getTime() + (2 + random() * 6) * HOUR), payload: { reasons: ['Bản chụp giấy tờ chưa rõ, đề nghị gửi lại.'] } });
      out.push({ type: 'supplement', at: new Date(r.getTime() - (1 + random() * 19) * HOUR) });
    } else out.push({ type: 'submit', at: new Date(r.getTime() - (0.3 + random() * 40) * HOUR) });
  } else out.push({ type: 'submit', at: new Date(r.getTime() - (x.channel === 'post' ? 10 + random() * 110 : 3 + random() * 15) * MINUTE) });
  out.push({ type: 'receive', at: r });

  // The steps, requests and end in active minutes (an explicit `at` for what follows a pause).
  type Timed = { m: number; order: number; action: Omit<HistoryAction, 'at'> & { at?: Date } };
  const timed: Timed[] = bounds.map((m, i) => ({ m, order: i, action: { type: 'forward' } }));
  for (const [i, p] of pauses.entries()) {
    timed.push({ m: p.at, order: 100 + i * 2, action: { type: 'request_supplement', payload: { reasons: [i === 0 ? 'Bổ sung bản sao giấy tờ chứng minh theo quy định.' : 'Còn thiếu xác nhận của cơ quan có thẩm quyền.'] } } });
    if (withdrawWhileWaiting) {
      timed.push({ m: p.at, order: 101, action: { type: 'withdraw', at: cal.addWorkingMinutes(instant(p.at), p.length) } });
      break;
    }
    timed.push({ m: p.at, order: 101 + i * 2, action: { type: 'supplement', at: cal.addWorkingMinutes(instant(p.at), p.length) } });
  }
  const apologyAt = outcome === 'late' && A > W && x.apology ? Math.max(reviewStart + 1, W - 30 - random() * 300) : null;
  if (!withdrawWhileWaiting && outcome !== 'stuck') {
    const end = outcome === 'refused' ? 'refuse' : outcome === 'withdrawn' ? 'withdraw' : 'approve';
    timed.push({ m: A, order: 1000, action: end === 'refuse' ? { type: 'refuse', payload: { reasons: ['Hồ sơ không đủ điều kiện theo quy định.'] } } : { type: end } });
  }
  timed.sort((a, b) => a.m - b.m || a.order - b.order);
  if (withdrawWhileWaiting) {
    // Nothing after the withdrawal.
    const w = timed.findIndex((t) => t.action.type === 'withdraw');
    timed.splice(w + 1);
  }
  let approvedAt: Date | null = null;
  for (const t of timed) {
    const at = t.action.at ?? instant(t.m);
    if (t.action.type === 'approve') approvedAt = at;
    out.push({ type: t.action.type, at, ...(t.action.payload && { payload: t.action.payload }) });
  }
  if (apologyAt !== null && approvedAt) {
    // An apology (form 04) before the deadline, with a new appointment the work then keeps.
    const at = instant(apologyAt);
    const newDueAt = cal.addWorkingDays(approvedAt, random() < 0.7 ? 0 : 1);
    const i = out.findIndex((a) => a.at.getTime() > at.getTime());
    out.splice(i < 0 ? out.length : i, 0, { type: 'extend', at, payload: { newDueAt: newDueAt.toISOString() } });
  }
  if (approvedAt) {
    const short = x.maxActive !== undefined;
    const ready = cal.addWorkingMinutes(approvedAt, 20 + random() * (short ? 60 : 400));
    const gap = x.returnMethod === 'online' ? 5 + random() * 60 : x.returnMethod === 'post' ? mpd * (0.5 + random() * 1.5) : 30 + random() * mpd * 2;
    const returned = cal.addWorkingMinutes(ready, short ? Math.min(gap, 120) : gap);
    out.push({ type: 'mark_result_ready', at: ready }, { type: 'return_result', at: returned, payload: { method: x.returnMethod } });
    if (x.rating) {
      const at = new Date(returned.getTime() + (x.returnMethod === 'counter' ? 2 + random() * 10 : 60 + random() * 60 * 48) * MINUTE);
      out.push({ type: 'rate', at, payload: { score: x.rating, comment: null } });
    }
  }
  // Times never go back (a supplement is always after its request, a step after the supplement).
  for (let i = 1; i < out.length; i++) if (out[i]!.at < out[i - 1]!.at) out[i] = { ...out[i]!, at: out[i - 1]!.at };
  return out;
}

const TERMINAL = new Set(['return_result', 'rate', 'refuse', 'withdraw', 'stop']);

/** Working days from `from` to `to` (local dates, both included). */
function workingDays(cal: WorkingCalendar, from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (cal.isWorkingDay(iso)) out.push(iso);
  }
  return out;
}

/** `n` working days before `day` (a local date). */
function workingDaysBefore(cal: WorkingCalendar, day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  for (let left = n; left > 0;) {
    d.setUTCDate(d.getUTCDate() - 1);
    if (cal.isWorkingDay(d.toISOString().slice(0, 10))) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** 17:00 local (closing) of a local date. */
const closingOf = (cal: WorkingCalendar, day: string) => cal.addWorkingDays(cal.nextWorkingStart(new Date(Date.parse(`${day}T00:00:00Z`) - cal.utcOffsetMinutes * MINUTE)), 0);

/**
 * The history of one agency, received from `from` to `to` (within the spec's dates) and cut at
 * `until`. Pure: the same inputs give the same dossiers.
 */
export function agencyHistory(
  cal: WorkingCalendar, spec: AgencyHistorySpec, agencyId: string, procedures: ReadonlyMap<string, ProcedureInfo>,
  o: { from: string; to: string; until: Date; paper?: BlobInfo },
): HistoryDossier[] {
  const random = rng(seedOf(spec.code));
  // Fees, papers and results from a stream of their own: the dossiers' histories stay as they were without them.
  const extra = rng(seedOf(`${spec.code}/papers`));
  const p = spec.profile;
  const from = spec.from && spec.from > o.from ? spec.from : o.from;
  const closeBy = spec.closed ? (spec.to ? closingOf(cal, spec.to) : o.until) : null;
  // A dissolved agency stops receiving two working days before its last day.
  let to = spec.to && spec.to < o.to ? spec.to : o.to;
  if (spec.closed && spec.to && spec.to <= o.to) to = workingDaysBefore(cal, spec.to, 2);
  const until = closeBy && closeBy < o.until ? closeBy : o.until;
  const recentFrom = until.getTime() - 90 * 24 * HOUR;
  const out: HistoryDossier[] = [];
  for (const day of workingDays(cal, from, to)) {
    const month = Number(day.slice(5, 7));
    const open = spec.procedures.flatMap(([code, weight, when]) => {
      const proc = procedures.get(code);
      if (!proc || (when?.from && day < when.from) || (when?.to && day > when.to) || (when?.months && !when.months.includes(month))) return [];
      return [{ proc, weight }];
    });
    if (open.length === 0) continue;
    const total = open.reduce((a, x) => a + x.weight, 0);
    const n = poisson(random, (p.perMonth / WORKING_DAYS_A_MONTH) * MONTH_FACTOR[month - 1]! * (spec.months?.[month] ?? 1));
    for (let k = 0; k < n; k++) {
      let pick = random() * total;
      const proc = (open.find((x) => (pick -= x.weight) < 0) ?? open[open.length - 1]!).proc;
      const receivedAt = cal.addWorkingMinutes(cal.nextWorkingStart(new Date(Date.parse(`${day}T00:00:00Z`) - cal.utcOffsetMinutes * MINUTE)), 5 + random() * (cal.minutesPerDay - 40));
      const c = random();
      const channel: Channel = proc.online ? (c < p.online ? 'online' : c < p.online + p.post ? 'post' : 'in_person') : c < p.post * 2 ? 'post' : 'in_person';
      const u = random();
      let outcome: Outcome = u < p.refuse ? 'refused' : u < p.refuse + p.withdraw ? 'withdrawn' : u < p.refuse + p.withdraw + p.late ? 'late' : random() < p.early ? 'early' : 'on_time';
      if (!closeBy && receivedAt.getTime() > recentFrom && random() < p.stuck) outcome = 'stuck';
      const supplements = random() < p.supplement ? (random() < p.again ? 2 : 1) : 0;
      let returnMethod: DossierInput['returnMethod'] = channel === 'online' ? (random() < 0.75 ? 'online' : 'counter') : channel === 'post' ? 'post' : random() < 0.1 ? 'post' : 'counter';
      const e = Array.from({ length: 7 }, extra);
      const electronic = proc.result !== false && returnMethod !== 'post' && e[0]! < (channel === 'online' ? p.eResult : p.eResult / 3);
      returnMethod = electronic ? 'online' : returnMethod === 'online' ? 'counter' : returnMethod;
      const fees: HistoryDossier['fees'] = e[1]! < p.exempt ? { method: 'cash', exempted: 'Người thuộc hộ nghèo theo quy định (dữ liệu mẫu).' }
        : { method: e[2]! < (channel === 'online' ? p.payOnline : p.payOnline / 2) ? (channel === 'online' && e[3]! < 0.8 ? 'vnpay' : 'vietqr') : 'cash' };
      const papers: HistoryDossier['papers'] = o.paper && {
        blob: o.paper, components: channel === 'online' || e[4]! < p.digitise, result: electronic || e[5]! < p.digitise, reuse: e[6]! < p.reuse,
      };
      const late = outcome === 'late' || supplements > 1;
      const sr = random();
      const rating: Score | null = random() < p.rated ? (sr < (late ? 0.3 : p.dissatisfied) ? 'dissatisfied' : sr < (late ? 0.5 : p.dissatisfied + 0.06) ? 'neutral' : 'satisfied') : null;
      const input: DossierInput = {
        receivedAt, channel, procedure: proc, outcome, supplements, apology: random() < p.apology, returnMethod, rating,
        beforeReception: channel === 'online' && random() < 0.04,
      };
      const name = `${FAMILY[Math.floor(random() * FAMILY.length)]} ${MIDDLE[Math.floor(random() * MIDDLE.length)]} ${GIVEN[Math.floor(random() * GIVEN.length)]} (demo)`;
      const tail = random();
      let actions = dossierActions(rng(Math.floor(tail * 2 ** 32)), cal, input).filter((a) => a.at <= until);
      if (closeBy && !finishedBy(actions, spec.closed!.waiting)) {
        // A closed agency's dossier is made to fit before its end, or left out.
        const room = cal.workingTimeBetween(receivedAt, until) - 600;
        if (room < 60) continue;
        actions = dossierActions(rng(Math.floor(tail * 2 ** 32) ^ 1), cal, { ...input, maxActive: room * (0.3 + 0.6 * random()) }).filter((a) => a.at <= until);
        if (!finishedBy(actions, spec.closed!.waiting)) continue;
      }
      out.push({
        procedureId: proc.id, agencyId, channel, actions, applicantName: name,
        delivery: returnMethod === 'post' ? { method: 'post', address: 'Địa chỉ nhận kết quả (dữ liệu mẫu), Khánh Hòa' } : { method: returnMethod },
        fees, ...(papers && { papers }),
      });
    }
  }
  return out;
}

function finishedBy(actions: readonly HistoryAction[], waiting: boolean): boolean {
  const last = actions[actions.length - 1]?.type;
  return !!last && (TERMINAL.has(last) || (waiting && last === 'request_supplement'));
}

/** Procedures of the specs counted in working days, with their process's step shares. */
async function loadProcedures(db: Db): Promise<Map<string, ProcedureInfo>> {
  const codes = [...new Set(AGENCY_HISTORY.flatMap((s) => s.procedures.map(([c]) => c)))];
  const rows = await db.selectFrom('procedures').select(['id', 'code', 'processingUnit', 'processingValue', 'onlineLevel', 'resultDocuments'])
    .where('code', 'in', codes).where('processingUnit', '=', 'working_days').execute();
  const out = new Map<string, ProcedureInfo>();
  for (const p of rows) {
    const process = await currentProcess(db, p.id);
    out.set(p.code, { id: p.id, code: p.code, days: p.processingValue, online: p.onlineLevel !== 'none', shares: process.steps.map((s) => s.sharePercent), result: p.resultDocuments.length > 0 });
  }
  return out;
}

/**
 * Loads the history of the agencies that have none yet: once (an agency that already holds a
 * dossier written without an applicant account or an official, as only this history is, is
 * skipped), so a later start writes nothing. Returns how many dossiers were written.
 */
export async function seedAgencyHistory(db: Db, cal: WorkingCalendar, now = new Date(), blobs?: BlobStore): Promise<number> {
  const agencies = await db.selectFrom('agencies').select(['id', 'code']).where('code', 'in', AGENCY_HISTORY.map((s) => s.code)).execute();
  if (agencies.length === 0) return 0;
  const ids = new Map(agencies.map((a) => [a.code, a.id]));
  const done = new Set((await db.selectFrom('dossiers').select('receivingAgencyId').distinct()
    .where('receivingAgencyId', 'in', agencies.map((a) => a.id)).where('createdBy', 'is', null).where('applicantUserId', 'is', null)
    .execute()).map((r) => r.receivingAgencyId));
  const todo = AGENCY_HISTORY.filter((s) => ids.has(s.code) && !done.has(ids.get(s.code)!));
  if (todo.length === 0) return 0;
  const procedures = await loadProcedures(db);
  if (procedures.size === 0) return 0;
  const today = cal.localDate(now);
  // One stored PDF stands for every paper and result (without a blob store: no files).
  const paper = blobs ? await storeDemoPaper(db, blobs) : undefined;
  const o = { from: `${Number(today.slice(0, 4)) - 1}-01-01`, to: workingDaysBefore(cal, today, 3), until: now, paper };
  // Agencies are written side by side (their code counters are their own): the round trips of
  // one overlap the work of the others.
  let written = 0;
  const queue = [...todo];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      const dossiers = agencyHistory(cal, spec, ids.get(spec.code)!, procedures, o);
      await writeHistory(db, cal, dossiers);
      written += dossiers.length;
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, worker));
  return written;
}
