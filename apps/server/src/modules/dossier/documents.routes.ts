import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiError } from '@motcua/contracts';
import type { Db } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { conflict, fieldError, forbidden } from '../../http/errors.ts';
import { subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import {
  renderApology, renderProcessControlSlip, renderReceiptSlip, renderRefusal, renderRegister, renderStopNotice, renderSupplementRequest,
  type AgencyHeader, type Applicant, type RegisterStatus, type StepResult,
} from '../documents/index.ts';
import type { FormSigner } from '../signing/index.ts';
import { assertCanView, rolesCovering } from './access.ts';
import { dossierNotFound, loadDossier, type Loaded } from './dossier.service.ts';
import { sendAttachment } from './dossier.routes.ts';
import { deriveDossier } from './state.ts';

const FORMS = ['receipt', 'supplement-request', 'refusal', 'apology', 'stop-notice', 'process-control'] as const;
type Form = (typeof FORMS)[number];
const notYet = () => conflict('document_not_available', { vi: 'Hồ sơ chưa có phiếu này.', en: 'This dossier has no such form yet.' });
const stepResult = (t: string | null): StepResult | undefined => (t === 'on_time' ? 'on-time' : (t as StepResult | null) ?? undefined);

/** Printable one-stop forms of a dossier (01–06) and the register (07). */
export function dossierDocumentRoutes(app: FastifyInstance, { db, config }: AppDeps, calendar: CalendarService, signForm?: FormSigner) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function header(agencyId: string): Promise<AgencyHeader> {
    const a = await db.selectFrom('agencies as a').leftJoin('agencies as p', 'p.id', 'a.parentId').select(['a.name', 'p.name as parentName']).where('a.id', '=', agencyId).executeTakeFirstOrThrow();
    return { name: a.name, ...(a.parentName ? { parentName: a.parentName } : {}) };
  }
  const applicantOf = (l: Loaded, full: boolean): Applicant => ({
    name: l.row.applicantName,
    ...(l.row.applicantIdMasked ? { idNumber: l.row.applicantIdMasked } : {}),
    ...(full && l.row.applicantPhone ? { phone: l.row.applicantPhone } : {}),
    ...(full && l.row.applicantAddress ? { address: l.row.applicantAddress } : {}),
  });
  const lastAction = (l: Loaded, type: string) => [...l.actions].reverse().find((a) => a.type === type);
  const actorName = async (l: Loaded, seq: number) =>
    (await db.selectFrom('dossierActions').select(['actorName', 'comment']).where('dossierId', '=', l.row.id).where('seq', '=', seq).executeTakeFirst()) ?? { actorName: null, comment: null };
  const statusUrl = (req: FastifyRequest, code: string) => `${config.PUBLIC_URL ?? `${req.protocol}://${req.host}`}/lookup?code=${encodeURIComponent(code)}`;

  async function render(req: FastifyRequest, l: Loaded, form: Form): Promise<Uint8Array> {
    const procedure = await db.selectFrom('procedures').select(['name', 'processingValue', 'processingUnit']).where('id', '=', l.row.procedureId).executeTakeFirstOrThrow();
    const agency = await header(l.row.receivingAgencyId);
    const base = { agency, issuedAt: new Date(), procedureName: procedure.name, applicant: applicantOf(l, true) };
    const reasonsOf = (a: { payload: Record<string, unknown> } | undefined) => (Array.isArray(a?.payload.reasons) ? (a.payload.reasons as string[]) : []);
    switch (form) {
      case 'receipt': {
        const rec = lastAction(l, 'receive');
        if (!rec || !l.view.code || !l.view.dueAt) throw notYet();
        const [components, fees, officer] = await Promise.all([
          db.selectFrom('procedureComponents').select(['name', 'form', 'quantity']).where('procedureId', '=', l.row.procedureId).orderBy('sortOrder').execute(),
          db.selectFrom('procedureFees').select((eb) => eb.fn.sum<string>('amountVnd').as('total')).where('procedureId', '=', l.row.procedureId).executeTakeFirst(),
          actorName(l, rec.seq),
        ]);
        const unit = procedure.processingUnit === 'working_hours' ? 'giờ làm việc' : 'ngày làm việc';
        return renderReceiptSlip({
          ...base, issuedAt: rec.at, dossierCode: l.view.code, components: components.map((c) => ({ name: c.name, form: c.form === 'certified_copy' ? 'certified-copy' : (c.form as 'original' | 'copy'), quantity: c.quantity })),
          sets: 1, statutoryTime: `${String(procedure.processingValue).padStart(2, '0')} ${unit}`, receivedAt: rec.at, appointmentAt: l.view.dueAt,
          resultDelivery: { method: l.row.delivery.method, ...(l.row.delivery.address ? { detail: l.row.delivery.address } : {}) },
          fee: { amount: Number(fees?.total ?? 0), paid: Number(fees?.total ?? 0) === 0 },
          officer: { name: officer.actorName ?? '' }, statusUrl: statusUrl(req, l.view.code), hotline: config.HOTLINE,
        });
      }
      case 'supplement-request': {
        const a = lastAction(l, 'request_supplement') ?? lastAction(l, 'request_supplement_before_reception');
        if (!a) throw notYet();
        const who = await actorName(l, a.seq);
        return renderSupplementRequest({
          ...base, issuedAt: a.at, dossierCode: l.view.code ?? '—', ...(l.view.receivedAt ? { receivedAt: l.view.receivedAt } : {}),
          items: reasonsOf(a).map((x) => ({ what: x, reason: who.comment ?? 'Theo quy định của thủ tục' })), contact: { name: who.actorName ?? '' },
        });
      }
      case 'refusal': {
        const a = lastAction(l, 'refuse');
        if (!a) throw notYet();
        const who = await actorName(l, a.seq);
        return renderRefusal({ ...base, issuedAt: a.at, ...(l.view.code ? { dossierCode: l.view.code } : {}), reasons: reasonsOf(a), signer: { title: 'Người lập phiếu', name: who.actorName ?? '' } });
      }
      case 'apology': {
        const a = lastAction(l, 'extend');
        if (!a || !l.view.code || !l.view.receivedAt) throw notYet();
        const who = await actorName(l, a.seq);
        const previous = await dueBefore(l, a.seq);
        return renderApology({
          ...base, issuedAt: a.at, dossierCode: l.view.code, receivedAt: l.view.receivedAt, originalAppointmentAt: previous ?? l.view.receivedAt,
          reason: who.comment ?? '', newAppointmentAt: new Date(String(a.payload.newDueAt)), signer: { title: 'Thủ trưởng cơ quan', name: who.actorName ?? '' },
        });
      }
      case 'stop-notice': {
        const a = lastAction(l, 'stop');
        if (!a || !l.view.code || !l.view.receivedAt) throw notYet();
        const who = await actorName(l, a.seq);
        return renderStopNotice({ ...base, issuedAt: a.at, dossierCode: l.view.code, receivedAt: l.view.receivedAt, reasons: reasonsOf(a), signer: { title: 'Thủ trưởng cơ quan', name: who.actorName ?? '' } });
      }
      case 'process-control': {
        if (!l.view.code || !l.view.receivedAt || !l.view.dueAt) throw notYet();
        const names = await db.selectFrom('dossierActions').select(['seq', 'actorName', 'comment']).where('dossierId', '=', l.row.id).execute();
        const agencies = await db.selectFrom('agencies').select(['id', 'name']).where('id', 'in', [...new Set(l.view.visits.map((v) => v.agencyId))]).execute();
        const agencyName = (id: string) => agencies.find((a) => a.id === id)?.name ?? '';
        // A hand-over is the action that started a visit; its giver is that action's actor.
        const starts = l.actions.filter((a) => ['receive', 'forward', 'return_step', 'transfer'].includes(a.type));
        return renderProcessControlSlip({
          agency: base.agency, issuedAt: new Date(), dossierCode: l.view.code, procedureName: procedure.name, applicant: applicantOf(l, false),
          receivedAt: l.view.receivedAt, appointmentAt: l.view.dueAt,
          steps: l.view.visits.map((v, i) => {
            const start = starts[i];
            const who = names.find((n) => n.seq === start?.seq);
            const step = l.steps[v.stepIndex];
            const result = stepResult(v.timeliness);
            return {
              step: step?.name.vi ?? '', from: who?.actorName ?? '', to: agencyName(v.agencyId), handedOverAt: v.startedAt, dueAt: v.dueAt,
              ...(result ? { result } : {}), ...(who?.comment ? { comment: who.comment } : {}),
            };
          }),
        });
      }
    }
  }

  /** The appointment in force just before the action `seq` (the apology's "original appointment"). */
  async function dueBefore(l: Loaded, seq: number): Promise<Date | null> {
    return deriveDossier(l.facts, l.actions.filter((a) => a.seq < seq), await calendar.calendar()).dueAt;
  }

  r.get('/api/v1/dossiers/:id/documents/:form', {
    schema: {
      tags: ['dossiers'], summary: 'A one-stop form of the dossier as PDF: receipt (01), supplement-request (02), refusal (03), apology (04), stop-notice (05), process-control (06)',
      params: z.object({ id: z.string(), form: z.string().regex(/^[a-z-]+\.pdf$/) }),
      response: { 400: ApiError, 401: ApiError, 404: ApiError, 409: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const form = req.params.form.replace(/\.pdf$/, '') as Form;
    if (!FORMS.includes(form)) throw dossierNotFound();
    const l = await loadDossier(db, calendar, req.params.id);
    if (!l) throw dossierNotFound();
    const viewer = await assertCanView(db, actor, l);
    if (form === 'process-control' && viewer !== 'official') throw forbidden();
    let pdf = await render(req, l, form);
    // The receipt slip carries the receiving agency's digital signature (unsigned if the agency cannot sign).
    if (form === 'receipt' && signForm) {
      const rec = lastAction(l, 'receive')!;
      pdf = (await signForm({
        kind: 'receipt_slip', agencyId: l.row.receivingAgencyId, dossierId: l.row.id, reference: l.view.code, signerName: (await actorName(l, rec.seq)).actorName,
        reason: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', pdf, actorId: actor.userId,
      }, req.log)).pdf;
    }
    if (viewer === 'official') await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'dossier.document_printed', objectType: 'dossier', objectId: l.row.id, details: { form } }));
    return sendAttachment(reply, Readable.from(Buffer.from(pdf)), `${form}-${l.view.code ?? l.row.id}.pdf`, 'application/pdf', pdf.length);
  });

  r.get('/api/v1/staff/register.pdf', {
    schema: {
      tags: ['dossiers'], summary: 'The dossier register (form 07) of an agency for a period',
      querystring: z.object({ agencyId: z.uuid(), from: z.iso.date(), to: z.iso.date() }),
      response: { 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const { agencyId, from, to } = req.query;
    if ((await rolesCovering(db, actor, agencyId)).size === 0) throw forbidden();
    if (to < from) throw fieldError('querystring.to', 'Ngày kết thúc phải sau ngày bắt đầu.', 'The end date must not be before the start date.');
    const start = new Date(`${from}T00:00:00+07:00`);
    const end = new Date(`${to}T23:59:59.999+07:00`);
    if (end.getTime() - start.getTime() > 400 * 86_400_000) throw fieldError('querystring.to', 'Tối đa một năm mỗi lần in.', 'At most a year per register.');
    const agencies = await subtreeIds(db, [agencyId]);
    const rows = await registerRows(db, agencies, start, end);
    const pdf = await renderRegister({ agency: await header(agencyId), period: { from: start, to: end }, rows });
    return sendAttachment(reply, Readable.from(Buffer.from(pdf)), `so-theo-doi-${from}-${to}.pdf`, 'application/pdf', pdf.length);
  });
}

async function registerRows(db: Db, agencies: string[], start: Date, end: Date) {
  const rows = await db.selectFrom('dossiers as d').innerJoin('procedures as p', 'p.id', 'd.procedureId')
    .select(['d.code', 'p.name as procedureName', 'd.applicantName', 'd.applicantAddress', 'd.applicantPhone', 'd.receivedAt', 'd.dueAt', 'd.returnedAt', 'd.status', 'd.timeliness'])
    .where('d.receivingAgencyId', 'in', agencies).where('d.receivedAt', '>=', start).where('d.receivedAt', '<=', end)
    .orderBy('d.receivedAt').limit(20_000).execute();
  const statusOf = (s: string, t: string | null): RegisterStatus => {
    if (s === 'waiting_supplement') return 'waiting-supplement';
    if (s === 'refused' || s === 'stopped' || s === 'withdrawn') return s;
    if (t) return t === 'on_time' ? 'on-time' : (t as RegisterStatus);
    return 'processing';
  };
  return rows.map((r) => ({
    dossierCode: r.code ?? '', procedureName: r.procedureName, applicantName: r.applicantName,
    ...(r.applicantAddress ? { address: r.applicantAddress } : {}), ...(r.applicantPhone ? { phone: r.applicantPhone } : {}),
    receivedAt: r.receivedAt!, appointmentAt: r.dueAt!, ...(r.returnedAt ? { returnedAt: r.returnedAt } : {}), status: statusOf(r.status, r.timeliness),
  }));
}
