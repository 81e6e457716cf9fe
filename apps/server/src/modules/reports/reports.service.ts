/**
 * Reports of a scope (an agency, with or without the agencies below it) and a period, put
 * together from the repository's flows, stocks and catalogue. One place computes each figure;
 * the API, the .xlsx and the PDF all read it from here.
 */
import type {
  Dashboard, DrillList, DrillMetric, IndexRanking, IndexRankingRow, QualityIndex, ReportAgency, ReportBreakdown, ReportBreakdownRow,
  ReportDimension, ReportFigures, ReportFreshness, ReportPeriod, ReportSummary, SlowProcedure, SlowStep,
} from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';
import { feedbackIndexFacts } from '../feedback/index.ts';
import { notFound } from '../../http/errors.ts';
import { subtreeIds } from '../agencies/index.ts';
import type { CalendarService, WorkingCalendar } from '../calendar/index.ts';
import { pendingChanges } from './facts.ts';
import { addFlows, addStocks, figures, noFlows, noStocks, type Flows, type Stocks } from './figures.ts';
import { measured, monthsOf, parsePeriod, subPeriod, type Period } from './period.ts';
import { qualityIndex, type CatalogueProcedure, type FeedbackInputs, type ProcedureTime } from './quality-index.ts';
import {
  agenciesByIds, catalogue, drill, fieldRefs, findAgencyByCode, flows, monthlyFlows, procedureRefs, procedureTimes, stepNames, stepTimes,
  stocks, stocksAt, urgent, type AgencyRow,
} from './reports.repository.ts';

export interface Scope {
  agency: AgencyRow;
  includeChildren: boolean;
  ids: string[];
}

export interface ScopeQuery {
  agency: string;
  from: string;
  to: string;
  includeChildren: boolean;
}

export const CHANNEL_LABELS = {
  in_person: { vi: 'Trực tiếp', en: 'In person' },
  online: { vi: 'Trực tuyến', en: 'Online' },
  post: { vi: 'Bưu chính công ích', en: 'Public postal service' },
} as const;

const NO_FEEDBACK: FeedbackInputs = { onTime: 0, late: 0, complainedNotDissatisfied: 0 };
const agencyOut = (a: AgencyRow): ReportAgency => ({ id: a.id, code: a.code, name: a.name, nameEn: a.nameEn, level: a.level, validTo: a.validTo });

export const agencyNotFound = () => notFound({ vi: 'Không tìm thấy cơ quan.', en: 'Agency not found.' });

/** One row of the periodic report: an agency and a field, or an agency's total. */
export interface PeriodicRow {
  agency: ReportAgency;
  field: { id: string; code: string; name: string } | null;
  figures: ReportFigures;
}

export interface PeriodicReport {
  agency: ReportAgency;
  includeChildren: boolean;
  period: ReportPeriod;
  /** Per agency: its total row, then one row per field. */
  agencies: { total: PeriodicRow; fields: PeriodicRow[] }[];
  total: ReportFigures;
  generatedAt: Date;
}

export class ReportsService {
  constructor(private readonly db: DbOrTx, private readonly calendar: CalendarService) {}

  private cal(): Promise<WorkingCalendar> {
    return this.calendar.calendar();
  }

  /**
   * The agency of `code` and the ids it covers.
   * @throws AppError 404 unknown agency.
   */
  async scope(code: string, includeChildren: boolean): Promise<Scope> {
    const agency = await findAgencyByCode(this.db, code);
    if (!agency) throw agencyNotFound();
    return { agency, includeChildren, ids: includeChildren ? await subtreeIds(this.db, [agency.id]) : [agency.id] };
  }

  /** @throws AppError 400 for a bad period. */
  async period(from: string, to: string): Promise<Period> {
    return parsePeriod(from, to, (await this.cal()).utcOffsetMinutes);
  }

  private periodOut(p: Period, now: Date): ReportPeriod {
    return { from: p.from, to: p.to, measuredAt: measured(p.end, now).toISOString() };
  }

  async freshness(): Promise<ReportFreshness> {
    return { generatedAt: new Date().toISOString(), pendingChanges: await pendingChanges(this.db) };
  }

  /** Flows and stocks of the scope over the period, by `g` (stocks measured no later than now). */
  private async both(s: Scope, p: Period, g: Parameters<typeof flows>[3], now: Date, filter = {}) {
    const [f, st] = await Promise.all([
      flows(this.db, s.ids, p, g, filter),
      stocks(this.db, s.ids, measured(p.start, now), measured(p.end, now), g, filter),
    ]);
    return { flows: f, stocks: st };
  }

  /**
   * The figures of an agency and period (public).
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async summary(q: ScopeQuery): Promise<ReportSummary> {
    const [s, p, cal] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from, q.to), this.cal()]);
    const now = new Date();
    const { flows: f, stocks: st } = await this.both(s, p, 'none', now);
    return {
      agency: agencyOut(s.agency),
      includeChildren: s.includeChildren,
      period: this.periodOut(p, now),
      figures: figures(f.get('') ?? noFlows(), st.get('') ?? noStocks(), cal.minutesPerDay),
      freshness: await this.freshness(),
    };
  }

  /**
   * The figures by agency, field, channel, month or procedure.
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async breakdown(q: ScopeQuery, by: ReportDimension): Promise<ReportBreakdown> {
    const [s, p, cal] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from, q.to), this.cal()]);
    const now = new Date();
    const mpd = cal.minutesPerDay;
    let rows: ReportBreakdownRow[];
    // The rows partition the scope, so the total is their sum (stocks: the first start, the last end).
    let total: { flows: Flows; stocks: Stocks };
    if (by === 'month') {
      const months = monthsOf(p);
      const [f, st] = await Promise.all([
        monthlyFlows(this.db, s.ids, p),
        stocksAt(this.db, s.ids, months.map((m) => {
          const sp = subPeriod(p, m.from, m.to);
          return [measured(sp.start, now), measured(sp.end, now)] as [Date, Date];
        })),
      ]);
      rows = months.map((m, i) => ({
        key: m.month, code: null, label: `${m.month.slice(5)}/${m.month.slice(0, 4)}`, labelEn: null,
        figures: figures(f.get(m.month) ?? noFlows(), st[i]!, mpd),
      }));
      const first = st[0] ?? noStocks();
      const last = st[st.length - 1] ?? noStocks();
      total = { flows: [...f.values()].reduce(addFlows, noFlows()), stocks: { ...last, carriedOver: first.carriedOver } };
    } else {
      const { flows: f, stocks: st } = await this.both(s, p, by, now);
      const keys = [...new Set([...f.keys(), ...st.keys()])];
      const label = await this.labels(by, keys);
      rows = keys.map((k) => ({ key: k, ...label(k), figures: figures(f.get(k) ?? noFlows(), st.get(k) ?? noStocks(), mpd) }))
        .sort((a, b) => (a.code ?? a.label).localeCompare(b.code ?? b.label, 'vi'));
      total = { flows: [...f.values()].reduce(addFlows, noFlows()), stocks: [...st.values()].reduce(addStocks, noStocks()) };
    }
    return {
      agency: agencyOut(s.agency),
      includeChildren: s.includeChildren,
      period: this.periodOut(p, now),
      by,
      rows,
      total: figures(total.flows, total.stocks, mpd),
      freshness: await this.freshness(),
    };
  }

  private async labels(by: Exclude<ReportDimension, 'month'>, keys: string[]): Promise<(k: string) => { label: string; labelEn: string | null; code: string | null }> {
    switch (by) {
      case 'agency': {
        const m = new Map((await agenciesByIds(this.db, keys)).map((a) => [a.id, a]));
        return (k) => ({ label: m.get(k)?.name ?? k, labelEn: m.get(k)?.nameEn ?? null, code: m.get(k)?.code ?? null });
      }
      case 'field': {
        const m = await fieldRefs(this.db, keys);
        return (k) => ({ label: m.get(k)?.name ?? k, labelEn: m.get(k)?.nameEn ?? null, code: m.get(k)?.code ?? null });
      }
      case 'procedure': {
        const m = await procedureRefs(this.db, keys);
        return (k) => ({ label: m.get(k)?.name ?? k, labelEn: null, code: m.get(k)?.code ?? null });
      }
      case 'channel':
        return (k) => ({ label: CHANNEL_LABELS[k as keyof typeof CHANNEL_LABELS]?.vi ?? k, labelEn: CHANNEL_LABELS[k as keyof typeof CHANNEL_LABELS]?.en ?? null, code: k });
    }
  }

  /**
   * The Decision 766 index of an agency and period; `withLowering` adds what lowered each rate.
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async index(q: ScopeQuery, withLowering: boolean): Promise<QualityIndex> {
    const [s, p] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from, q.to)]);
    const now = new Date();
    const [{ flows: f, stocks: st }, times, cat] = await Promise.all([
      this.both(s, p, 'none', now),
      procedureTimes(this.db, s.ids, p),
      catalogue(this.db, s.ids),
    ]);
    const byProcedure = new Map<string, ProcedureTime>();
    for (const t of times) {
      const e = byProcedure.get(t.procedureId) ?? { procedureId: t.procedureId, resolved: 0, resolutionMinutes: 0, statutoryMinutes: 0 };
      e.resolved += t.resolved;
      e.resolutionMinutes += t.resolutionMinutes;
      e.statutoryMinutes += t.statutoryMinutes;
      byProcedure.set(t.procedureId, e);
    }
    const procedures = [...new Map(cat.map((c) => [c.id, c])).values()];
    const procedureTimesOut: ProcedureTime[] = [...byProcedure.values()];
    if (withLowering) {
      // Officials see which procedures are over time (2.2).
      const over = procedureTimesOut.filter((x) => x.resolutionMinutes > x.statutoryMinutes);
      const refs = await procedureRefs(this.db, over.map((x) => x.procedureId));
      for (const x of over) {
        const r = refs.get(x.procedureId);
        if (r) x.procedure = { id: r.id, code: r.code, name: r.name };
      }
    }
    const feedback = (await this.feedbackInputs(s, p, now)).get('') ?? NO_FEEDBACK;
    const result = qualityIndex({ flows: f.get('') ?? noFlows(), stocks: st.get('') ?? noStocks(), procedures, procedureTimes: procedureTimesOut, feedback }, withLowering);
    return { agency: agencyOut(s.agency), includeChildren: s.includeChildren, period: this.periodOut(p, now), ...result, freshness: await this.freshness() };
  }

  /**
   * Feedback and complaints of the scope for 5.2 and 5.4, per agency of the scope and in all
   * (key ''). A received dossier with a complaint counts for 5.4 under its receiving agency,
   * unless it was also rated dissatisfied (already counted).
   */
  private async feedbackInputs(s: Scope, p: Period, now: Date): Promise<Map<string, FeedbackInputs>> {
    const facts = await feedbackIndexFacts(this.db, p, { agencyIds: s.ids, now });
    const out = new Map<string, FeedbackInputs>();
    const at = (k: string) => {
      const x = out.get(k) ?? { onTime: 0, late: 0, complainedNotDissatisfied: 0 };
      out.set(k, x);
      return x;
    };
    for (const a of facts.byAgency) Object.assign(at(a.agencyId), { onTime: a.onTime, late: a.late });
    Object.assign(at(''), { onTime: facts.total.onTime, late: facts.total.late });
    const ids = [...facts.dossiersWithComplaint];
    if (ids.length) {
      const rows = await this.db.selectFrom('dossiers').select(['id', 'receivingAgencyId', 'rating'])
        .where('id', 'in', ids).where('receivingAgencyId', 'in', s.ids).where('receivedAt', 'is not', null).execute();
      for (const r of rows.filter((x) => x.rating !== 'dissatisfied')) {
        at(r.receivingAgencyId).complainedNotDissatisfied++;
        at('').complainedNotDissatisfied++;
      }
    }
    return out;
  }

  /** Each agency of the scope on its own dossiers, ranked on the index (best first). */
  private async rankingRows(s: Scope, p: Period, now: Date): Promise<IndexRankingRow[]> {
    const [{ flows: f, stocks: st }, times, cat, agencies, fb] = await Promise.all([
      this.both(s, p, 'agency', now),
      procedureTimes(this.db, s.ids, p),
      catalogue(this.db, s.ids),
      agenciesByIds(this.db, s.ids),
      this.feedbackInputs(s, p, now),
    ]);
    const rows: Omit<IndexRankingRow, 'rank'>[] = [];
    for (const a of agencies) {
      const fl = f.get(a.id) ?? noFlows();
      const sk = st.get(a.id) ?? noStocks();
      const procs: CatalogueProcedure[] = cat.filter((c) => c.agencyId === a.id);
      if (fl.received === 0 && sk.carriedOver === 0 && procs.length === 0) continue;
      const r = qualityIndex({ flows: fl, stocks: sk, procedures: procs, procedureTimes: times.filter((t) => t.agencyId === a.id), feedback: fb.get(a.id) ?? NO_FEEDBACK }, false);
      rows.push({
        agency: agencyOut(a),
        received: fl.received,
        total: r.total,
        points: Object.fromEntries(r.components.filter((c) => c.source === 'computed').map((c) => [c.code, c.points])),
      });
    }
    rows.sort((x, y) => (y.total.percent ?? -1) - (x.total.percent ?? -1) || y.total.points - x.total.points || x.agency.code.localeCompare(y.agency.code));
    return rows.map((r, i) => ({ rank: i + 1, ...r }));
  }

  /**
   * Agencies of the scope ranked on the index (public).
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async ranking(q: Omit<ScopeQuery, 'includeChildren'>): Promise<IndexRanking> {
    const [s, p] = await Promise.all([this.scope(q.agency, true), this.period(q.from, q.to)]);
    const now = new Date();
    return { agency: agencyOut(s.agency), period: this.periodOut(p, now), rows: await this.rankingRows(s, p, now), freshness: await this.freshness() };
  }

  /**
   * The leaders' dashboard: overdue now, due this week, slowest procedures and steps, ranking.
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async dashboard(q: { agency: string; includeChildren: boolean; from?: string; to?: string }): Promise<Dashboard> {
    const cal = await this.cal();
    const now = new Date();
    const today = cal.localDate(now);
    const [s, p] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from ?? `${today.slice(0, 4)}-01-01`, q.to ?? today)]);
    // End of this week: Sunday 24:00 local time.
    const local = new Date(now.getTime() + cal.utcOffsetMinutes * 60_000);
    const isoWeekday = ((local.getUTCDay() + 6) % 7) + 1;
    const until = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 8 - isoWeekday) - cal.utcOffsetMinutes * 60_000);
    const [u, times, steps, ranking] = await Promise.all([
      urgent(this.db, s.ids, now, until, 20),
      procedureTimes(this.db, s.ids, p),
      stepTimes(this.db, s.ids, p),
      this.rankingRows(s, p, now),
    ]);
    const mpd = cal.minutesPerDay;
    const perProcedure = new Map<string, { resolved: number; resolvedLate: number; resolutionMinutes: number; statutoryMinutes: number }>();
    for (const t of times) {
      const e = perProcedure.get(t.procedureId) ?? { resolved: 0, resolvedLate: 0, resolutionMinutes: 0, statutoryMinutes: 0 };
      e.resolved += t.resolved;
      e.resolvedLate += t.resolvedLate;
      e.resolutionMinutes += t.resolutionMinutes;
      e.statutoryMinutes += t.statutoryMinutes;
      perProcedure.set(t.procedureId, e);
    }
    const refs = await procedureRefs(this.db, [...new Set([...perProcedure.keys(), ...steps.map((x) => x.procedureId)])]);
    const ref = (id: string) => ({ id, code: refs.get(id)?.code ?? '', name: refs.get(id)?.name ?? '' });
    const slowestProcedures: SlowProcedure[] = [...perProcedure.entries()]
      .map(([id, e]) => ({
        procedure: ref(id), resolved: e.resolved, resolvedLate: e.resolvedLate,
        averageDays: e.resolutionMinutes / e.resolved / mpd, statutoryDays: e.statutoryMinutes / e.resolved / mpd,
        ratio: e.statutoryMinutes > 0 ? e.resolutionMinutes / e.statutoryMinutes : 0,
      }))
      .sort((a, b) => b.ratio - a.ratio || b.resolvedLate - a.resolvedLate)
      .slice(0, 10);
    const names = await stepNames(this.db, [...new Set(steps.map((x) => x.procedureId))]);
    const slowestSteps: SlowStep[] = steps
      .map((x) => ({
        procedure: ref(x.procedureId), stepKey: x.stepKey, stepName: names.get(x.procedureId)?.get(x.stepKey) ?? null,
        visits: x.visits, late: x.late, lateShare: x.late / x.visits,
        averageHours: x.spentMinutes / x.visits / 60, allowedHours: x.allowedMinutes / x.visits / 60,
      }))
      .sort((a, b) => b.lateShare - a.lateShare || b.averageHours / (b.allowedHours || 1) - a.averageHours / (a.allowedHours || 1))
      .slice(0, 10);
    return {
      agency: agencyOut(s.agency),
      includeChildren: s.includeChildren,
      period: this.periodOut(p, now),
      now: now.toISOString(),
      overdueNow: u.overdue,
      dueThisWeek: { ...u.due, until: until.toISOString() },
      slowestProcedures,
      slowestSteps,
      ranking,
      freshness: await this.freshness(),
    };
  }

  /**
   * The dossiers behind a figure (officials).
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async drill(q: ScopeQuery & { metric: DrillMetric; procedureId?: string; fieldId?: string; channel?: string; limit: number; offset: number }): Promise<DrillList> {
    const [s, p] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from, q.to)]);
    const now = new Date();
    const r = await drill(this.db, s.ids, p, measured(p.start, now), measured(p.end, now), q.metric,
      { procedureId: q.procedureId, fieldId: q.fieldId, channel: q.channel }, q.limit, q.offset);
    return { metric: q.metric, ...r };
  }

  /**
   * The provincial periodic report on procedure results: one row per agency and field, with
   * each agency's total and the grand total. `onProgress` gets a fraction (0–1).
   * @throws AppError 404 unknown agency, 400 bad period.
   */
  async periodic(q: ScopeQuery, onProgress: (fraction: number) => Promise<void> = async () => undefined): Promise<PeriodicReport> {
    const [s, p, cal] = await Promise.all([this.scope(q.agency, q.includeChildren), this.period(q.from, q.to), this.cal()]);
    const now = new Date();
    const mpd = cal.minutesPerDay;
    const f = await flows(this.db, s.ids, p, 'agency_field');
    await onProgress(0.3);
    const st = await stocks(this.db, s.ids, measured(p.start, now), measured(p.end, now), 'agency_field');
    await onProgress(0.6);
    const keys = [...new Set([...f.keys(), ...st.keys()])];
    const agencyIds = [...new Set(keys.map((k) => k.split('|')[0]!))];
    const fieldIds = [...new Set(keys.map((k) => k.split('|')[1]!))];
    const [agencies, fields] = await Promise.all([agenciesByIds(this.db, agencyIds), fieldRefs(this.db, fieldIds)]);
    const out: PeriodicReport['agencies'] = [];
    let allFlows = noFlows();
    let allStocks = noStocks();
    for (const [i, a] of agencies.entries()) {
      let af: Flows = noFlows();
      let as: Stocks = noStocks();
      const rows: PeriodicRow[] = [];
      for (const k of keys.filter((x) => x.startsWith(`${a.id}|`))) {
        const fl = f.get(k) ?? noFlows();
        const sk = st.get(k) ?? noStocks();
        af = addFlows(af, fl);
        as = addStocks(as, sk);
        const field = fields.get(k.split('|')[1]!);
        rows.push({ agency: agencyOut(a), field: field ? { id: field.id, code: field.code, name: field.name } : null, figures: figures(fl, sk, mpd) });
      }
      rows.sort((x, y) => (x.field?.name ?? '').localeCompare(y.field?.name ?? '', 'vi'));
      allFlows = addFlows(allFlows, af);
      allStocks = addStocks(allStocks, as);
      out.push({ total: { agency: agencyOut(a), field: null, figures: figures(af, as, mpd) }, fields: rows });
      if (i % 20 === 0) await onProgress(0.6 + (0.2 * (i + 1)) / agencies.length);
    }
    return {
      agency: agencyOut(s.agency), includeChildren: s.includeChildren, period: this.periodOut(p, now),
      agencies: out, total: figures(allFlows, allStocks, mpd), generatedAt: now,
    };
  }
}
