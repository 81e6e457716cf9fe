import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError, Dashboard, DashboardQuery, DrillList, DrillQuery, ExportJob, ExportJobList, ExportRequest, IndexRanking, QualityIndex,
  ReportBreakdown, ReportBreakdownQuery, ReportQuery, ReportSummary,
} from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { agencyChain } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { sendAttachment } from '../dossier/index.ts';
import { can, type Actor } from '../policy/index.ts';
import { ExportRunner, JOB_COLUMNS, presentJob } from './exports.ts';
import { refreshReportFacts, scheduleReportRefresh } from './facts.ts';
import { parsePeriod } from './period.ts';
import { agencyNotFound, ReportsService } from './reports.service.ts';
import { findAgencyByCode } from './reports.repository.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };
/** How often processes started with jobs bring the facts up to date. */
const REFRESH_EVERY_MS = 5_000;

const jobNotFound = () => notFound({ vi: 'Không tìm thấy yêu cầu xuất báo cáo.', en: 'Export not found.' });

/**
 * Reports. Public: the published figures (summary, breakdowns by agency, field, channel and
 * month, the index scores and ranking). Officials holding `reports.read` over the agency: the
 * breakdown by procedure, what lowered each index component, the drill-downs to dossiers, the
 * leaders' dashboard and the exports.
 */
export function reportsRoutes(app: FastifyInstance, { db }: AppDeps, services: { calendar: CalendarService; jobs?: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reports = new ReportsService(db, services.calendar);
  const runner = new ExportRunner(db, reports, (err) => app.log.error({ err }, 'report export failed'));
  app.addHook('onClose', async () => runner.idle());
  if (services.jobs) {
    const log = (err: unknown) => app.log.error({ err }, 'report refresh failed');
    const stop = scheduleReportRefresh(db, services.calendar, REFRESH_EVERY_MS, log);
    const resume = setInterval(() => void runner.resume().catch(log), 60_000);
    resume.unref();
    app.addHook('onClose', async () => {
      stop();
      clearInterval(resume);
    });
  }

  /** Whether the caller may see officials' details of `code`'s agency (unknown agency: false). */
  async function isOfficialFor(req: FastifyRequest, code: string): Promise<boolean> {
    if (!req.actor || req.actor.kind !== 'official') return false;
    const agency = await findAgencyByCode(db, code);
    return !!agency && can(req.actor, 'reports.read', await agencyChain(db, agency.id));
  }

  /**
   * Officials only: 401 signed out, 404 unknown agency, 403 without `reports.read` over it.
   */
  async function requireOfficialFor(req: FastifyRequest, code: string): Promise<Actor> {
    const actor = requireActor(req);
    if (!can(actor, 'reports.read')) throw forbidden();
    const agency = await findAgencyByCode(db, code);
    if (!agency) throw agencyNotFound();
    if (!can(actor, 'reports.read', await agencyChain(db, agency.id))) throw forbidden();
    return actor;
  }

  const publicCache = (reply: FastifyReply, personal: boolean) => {
    reply.header('cache-control', personal ? 'private, no-store' : 'public, max-age=60');
    reply.header('vary', 'cookie');
  };

  r.get('/api/v1/reports/summary', {
    schema: {
      tags: ['reports'], summary: 'Dossier statistics of an agency and period, as provinces publish them (public)',
      querystring: ReportQuery, response: { 200: ReportSummary, ...errors },
    },
  }, async (req, reply) => {
    publicCache(reply, false);
    return reports.summary(req.query);
  });

  r.get('/api/v1/reports/breakdown', {
    schema: {
      tags: ['reports'], summary: 'The statistics by agency, field, channel or month (public), or by procedure (officials)',
      querystring: ReportBreakdownQuery, response: { 200: ReportBreakdown, ...errors },
    },
  }, async (req, reply) => {
    if (req.query.by === 'procedure') await requireOfficialFor(req, req.query.agency);
    publicCache(reply, req.query.by === 'procedure');
    return reports.breakdown(req.query, req.query.by);
  });

  r.get('/api/v1/reports/index', {
    schema: {
      tags: ['reports'], summary: 'The Decision 766 service-quality index of an agency and period; officials also see what lowered each component',
      querystring: ReportQuery, response: { 200: QualityIndex, ...errors },
    },
  }, async (req, reply) => {
    const official = await isOfficialFor(req, req.query.agency);
    publicCache(reply, official);
    return reports.index(req.query, official);
  });

  r.get('/api/v1/reports/index/ranking', {
    schema: {
      tags: ['reports'], summary: 'The agencies under an agency ranked on the index, each on its own dossiers (public)',
      querystring: ReportQuery.omit({ includeChildren: true }), response: { 200: IndexRanking, ...errors },
    },
  }, async (req, reply) => {
    publicCache(reply, false);
    return reports.ranking(req.query);
  });

  r.get('/api/v1/reports/dashboard', {
    schema: {
      tags: ['reports'], summary: "Leaders' dashboard: overdue now, due this week, slowest procedures and steps, agencies ranked on the index",
      querystring: DashboardQuery, response: { 200: Dashboard, ...errors },
    },
  }, async (req, reply) => {
    await requireOfficialFor(req, req.query.agency);
    reply.header('cache-control', 'private, no-store');
    return reports.dashboard(req.query);
  });

  r.get('/api/v1/reports/dossiers', {
    schema: {
      tags: ['reports'], summary: 'The dossiers behind a figure or behind a lowered index component (officials)',
      querystring: DrillQuery, response: { 200: DrillList, ...errors },
    },
  }, async (req, reply) => {
    await requireOfficialFor(req, req.query.agency);
    reply.header('cache-control', 'private, no-store');
    return reports.drill(req.query);
  });

  r.post('/api/v1/reports/exports', {
    schema: {
      tags: ['reports'], summary: 'Export the periodic report (.xlsx or PDF) as a background job; poll it, then download (officials)',
      body: ExportRequest, response: { 202: ExportJob, ...errors },
    },
  }, async (req, reply) => {
    const actor = await requireOfficialFor(req, req.body.agency);
    const cal = await services.calendar.calendar();
    parsePeriod(req.body.from, req.body.to, cal.utcOffsetMinutes, { from: 'body.from', to: 'body.to' });
    const agency = (await findAgencyByCode(db, req.body.agency))!;
    const params = { agency: req.body.agency, from: req.body.from, to: req.body.to, includeChildren: req.body.includeChildren };
    const job = await db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('reportExportJobs').values({
        createdBy: actor.userId, agencyId: agency.id, params: JSON.stringify(params), format: req.body.format, status: 'queued',
      }).returning(JOB_COLUMNS).executeTakeFirstOrThrow();
      await writeAudit(tx, auditCtx(req), { action: 'report.exported', objectType: 'agency', objectId: agency.id, details: { ...params, format: req.body.format, jobId: row.id } });
      return row;
    });
    runner.kick(job.id);
    return reply.status(202).send(presentJob(job));
  });

  r.get('/api/v1/reports/exports', {
    schema: { tags: ['reports'], summary: 'My recent report exports, newest first', response: { 200: ExportJobList, 401: ApiError, 403: ApiError } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'reports.read')) throw forbidden();
    reply.header('cache-control', 'private, no-store');
    const rows = await db.selectFrom('reportExportJobs').select(JOB_COLUMNS).where('createdBy', '=', actor.userId).orderBy('createdAt', 'desc').limit(50).execute();
    return { items: rows.map(presentJob) };
  });

  const Id = z.object({ id: z.string() });
  async function myJob(req: FastifyRequest, id: string) {
    const actor = requireActor(req);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw jobNotFound();
    const row = await db.selectFrom('reportExportJobs').select(JOB_COLUMNS).where('id', '=', id).where('createdBy', '=', actor.userId).executeTakeFirst();
    if (!row) throw jobNotFound();
    return row;
  }

  r.get('/api/v1/reports/exports/:id', {
    schema: { tags: ['reports'], summary: 'Status and progress (0–100) of one of my exports', params: Id, response: { 200: ExportJob, ...errors } },
  }, async (req, reply) => {
    reply.header('cache-control', 'private, no-store');
    return presentJob(await myJob(req, req.params.id));
  });

  r.get('/api/v1/reports/exports/:id/file', {
    schema: { tags: ['reports'], summary: 'Download a finished export (its author)', params: Id },
  }, async (req, reply) => {
    const job = await myJob(req, req.params.id);
    const file = await db.selectFrom('reportExportJobs').select(['content', 'mime', 'filename', 'size']).where('id', '=', job.id).executeTakeFirstOrThrow();
    if (job.status !== 'succeeded' || !file.content) throw jobNotFound();
    return sendAttachment(reply, Readable.from([file.content]), file.filename ?? `bao-cao.${job.format}`, file.mime ?? 'application/octet-stream', file.size ?? file.content.length);
  });

  return { reports, runner, refresh: () => refreshReportFacts(db, services.calendar) };
}
