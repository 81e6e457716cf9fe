import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { writeAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { CalendarService} from './calendar.service.ts';
import { loadOverrides } from './calendar.service.ts';
import { CalendarError } from './errors.ts';
import type { IsoDate } from './dates.ts';

const Name = z.object({ vi: z.string(), en: z.string() });
const YearDays = z.object({
  year: z.number(),
  daysOff: z.array(z.object({ date: z.string(), name: Name, kind: z.enum(['holiday', 'compensatory', 'day_off']) })),
  workingDays: z.array(z.object({ date: z.string(), name: Name })),
});
const Override = z.object({
  id: z.string(), date: z.string(), kind: z.enum(['day_off', 'working_day', 'remove']),
  name: Name.optional(), note: z.string().nullable(),
});
const isoInstant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const Year = z.coerce.number().int().min(1900).max(2199);

export function calendarRoutes(app: FastifyInstance, deps: AppDeps, service: CalendarService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/v1/calendar/holidays', {
    schema: {
      tags: ['calendar'], summary: 'Non-working dates of a year (public): statutory holidays, compensatory days, official notices',
      querystring: z.object({ year: Year }),
      response: { 200: YearDays, 400: ApiError },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { year: req.query.year, ...(await service.year(req.query.year)) };
  });

  r.get('/api/v1/calendar/due', {
    schema: {
      tags: ['calendar'], summary: 'Appointment time for a receipt time and a duration in working days or hours (public)',
      querystring: z.object({
        from: isoInstant,
        workingDays: z.coerce.number().int().min(0).max(365).optional(),
        workingHours: z.coerce.number().min(0.25).max(2000).optional(),
      }),
      response: { 200: z.object({ from: z.string(), due: z.string(), workingDays: z.number().optional(), workingHours: z.number().optional() }), 400: ApiError },
    },
  }, async (req) => {
    const { from, workingDays, workingHours } = req.query;
    if ((workingDays === undefined) === (workingHours === undefined))
      throw fieldError('querystring.workingDays', 'Cần đúng một trong hai: workingDays hoặc workingHours.', 'Give exactly one of workingDays or workingHours.');
    const start = new Date(from);
    const year = start.getUTCFullYear();
    if (year < 1900 || year > 2190) throw fieldError('querystring.from', 'Năm ngoài phạm vi hỗ trợ (1900–2190).', 'Year outside the supported range (1900–2190).');
    const cal = await service.calendar();
    const due = workingDays !== undefined ? cal.addWorkingDays(start, workingDays) : cal.addWorkingHours(start, workingHours!);
    return { from: start.toISOString(), due: due.toISOString(), ...(workingDays !== undefined ? { workingDays } : { workingHours }) };
  });

  r.get('/api/v1/calendar/remaining', {
    schema: {
      tags: ['calendar'], summary: 'Working minutes left before a due time (negative: overdue)',
      querystring: z.object({ due: isoInstant, at: isoInstant.optional() }),
      response: { 200: z.object({ due: z.string(), at: z.string(), minutes: z.number(), overdue: z.boolean() }), 400: ApiError },
    },
  }, async (req) => {
    const due = new Date(req.query.due);
    const at = req.query.at ? new Date(req.query.at) : new Date();
    const minutes = Math.round((await service.calendar()).remaining(due, at));
    return { due: due.toISOString(), at: at.toISOString(), minutes, overdue: minutes < 0 };
  });

  r.get('/api/v1/admin/calendar/overrides', {
    schema: {
      tags: ['calendar'], summary: 'Official overrides (province admin)',
      querystring: z.object({ year: Year.optional() }),
      response: { 200: z.object({ items: z.array(Override) }), 401: ApiError, 403: ApiError },
    },
  }, async (req) => {
    if (!can(requireActor(req), 'calendar.manage')) throw forbidden();
    const all = await loadOverrides(db);
    return { items: req.query.year ? all.filter((o) => o.date.startsWith(`${req.query.year}-`)) : all };
  });

  r.post('/api/v1/admin/calendar/overrides', {
    schema: {
      tags: ['calendar'], summary: "Add a line of the government's notice (province admin)",
      body: z.strictObject({
        date: isoDate,
        kind: z.enum(['day_off', 'working_day', 'remove']),
        nameVi: z.string().trim().min(1).max(200).optional(),
        nameEn: z.string().trim().min(1).max(200).optional(),
        note: z.string().trim().max(1000).optional(),
      }),
      response: { 201: Override, 400: ApiError, 401: ApiError, 403: ApiError, 409: ApiError },
    },
  }, async (req, reply) => {
    if (!can(requireActor(req), 'calendar.manage')) throw forbidden();
    const b = req.body;
    const year = Number(b.date.slice(0, 4));
    if (year < 1900 || year > 2199) throw fieldError('body.date', 'Năm ngoài phạm vi hỗ trợ.', 'Year outside the supported range.');
    const existing = await loadOverrides(db);
    if (existing.some((o) => o.date === b.date))
      throw conflict('override_exists', { vi: 'Ngày này đã có điều chỉnh; hãy xóa điều chỉnh cũ trước.', en: 'This date already has an override; delete it first.' });
    try {
      const cal = service.build([...existing, { date: b.date as IsoDate, kind: b.kind }]);
      cal.isWorkingDay(b.date as IsoDate);
    } catch (err) {
      if (err instanceof CalendarError && err.code === 'calendar_override_nothing_to_remove')
        throw fieldError('body.kind', 'Ngày này không phải ngày nghỉ được tính sẵn nên không thể bỏ.', 'This date is not a computed day off, so there is nothing to remove.');
      throw err;
    }
    const row = await db.transaction().execute(async (tx) => {
      const inserted = await tx.insertInto('calendarOverrides').values({
        date: b.date, kind: b.kind, nameVi: b.nameVi ?? null, nameEn: b.nameEn ?? null, note: b.note ?? null, createdBy: req.actor!.userId,
      }).onConflict((oc) => oc.column('date').doNothing()).returningAll().executeTakeFirst();
      if (!inserted) throw conflict('override_exists', { vi: 'Ngày này đã có điều chỉnh.', en: 'This date already has an override.' });
      await writeAudit(tx, auditCtx(req), { action: 'calendar.override_added', objectType: 'calendar_override', objectId: inserted.id, details: { date: b.date, kind: b.kind } });
      return inserted;
    });
    service.invalidate();
    return reply.status(201).send({
      id: row.id, date: row.date, kind: row.kind, note: row.note,
      ...(row.nameVi || row.nameEn ? { name: { vi: row.nameVi ?? row.nameEn ?? '', en: row.nameEn ?? row.nameVi ?? '' } } : {}),
    });
  });

  r.delete('/api/v1/admin/calendar/overrides/:id', {
    schema: {
      tags: ['calendar'], summary: 'Remove an override (province admin)',
      params: z.object({ id: z.string() }),
      response: { 204: z.null(), 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (req, reply) => {
    if (!can(requireActor(req), 'calendar.manage')) throw forbidden();
    const missing = () => notFound({ vi: 'Không tìm thấy điều chỉnh.', en: 'Override not found.' });
    if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) throw missing();
    await db.transaction().execute(async (tx) => {
      const gone = await tx.deleteFrom('calendarOverrides').where('id', '=', req.params.id).returning(['id', 'date', 'kind']).executeTakeFirst();
      if (!gone) throw missing();
      await writeAudit(tx, auditCtx(req), { action: 'calendar.override_removed', objectType: 'calendar_override', objectId: gone.id, details: { date: gone.date, kind: gone.kind } });
    });
    service.invalidate();
    return reply.status(204).send(null);
  });
}
