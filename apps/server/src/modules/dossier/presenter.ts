import type { DossierStatus } from '@motcua/contracts';
import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { DossierFilesTable } from '../../db/schema.ts';
import type { Loaded } from './dossier.service.ts';
import { ALLOWED } from './state.ts';

const maskPhone = (p: string | null) => (p ? `${p.slice(0, 3)}****${p.slice(-3)}` : null);

/**
 * What the applicant may see of a dossier's files: their own papers always, the result only
 * once approved (and so signed), officials' working papers never.
 */
export function applicantMaySee(kind: string, status: string): boolean {
  if (kind === 'component' || kind === 'supplement') return true;
  if (kind === 'result') return status === 'approved' || status === 'result_ready' || status === 'returned';
  return false;
}

interface Known {
  procedure?: { id: string; code: string; name: string };
  /** Used when they include the receiving and current agencies. */
  agencies?: readonly { id: string; code: string; name: string; nameEn: string | null }[];
  files?: readonly Pick<Selectable<DossierFilesTable>, 'id' | 'componentId' | 'componentName' | 'kind' | 'filename' | 'mime' | 'size' | 'createdAt'>[];
  /** Who wrote each action and their comment; used when it covers every action of the log. */
  actors?: readonly { seq: number; actorName: string | null; comment: string | null }[];
}

/**
 * What a dossier page shows; personal data only to its applicant and the officials handling it.
 * `known`: what the caller already has (e.g. a dossier it just created), not read again.
 */
export async function presentDossier(db: DbOrTx, l: Loaded, viewer: 'owner' | 'official' | 'public', known: Known = {}) {
  const agencyIds = [l.row.receivingAgencyId, ...(l.row.currentAgencyId ? [l.row.currentAgencyId] : [])];
  const knownAgencies = known.agencies && agencyIds.every((id) => known.agencies!.some((a) => a.id === id)) ? known.agencies : undefined;
  const knownActors = known.actors && l.actions.every((a) => known.actors!.some((x) => x.seq === a.seq)) ? known.actors : undefined;
  const assigneeId = viewer === 'official' ? l.view.assigneeId : null;
  const [procedure, agencies, files, actorNames, assignee] = await Promise.all([
    known.procedure ?? db.selectFrom('procedures').select(['id', 'code', 'name', 'onlineLevel']).where('id', '=', l.row.procedureId).executeTakeFirstOrThrow(),
    knownAgencies ?? db.selectFrom('agencies').select(['id', 'code', 'name', 'nameEn']).where('id', 'in', agencyIds).execute(),
    viewer === 'public' ? Promise.resolve([]) : known.files ?? db.selectFrom('dossierFiles')
      .select(['id', 'componentId', 'componentName', 'kind', 'filename', 'mime', 'size', 'createdAt'])
      .where('dossierId', '=', l.row.id).where('removedAt', 'is', null).orderBy('createdAt').execute(),
    knownActors ?? db.selectFrom('dossierActions').select(['seq', 'actorName', 'comment']).where('dossierId', '=', l.row.id).execute(),
    assigneeId ? db.selectFrom('users').select(['id', 'fullName']).where('id', '=', assigneeId).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const agency = (id: string | null) => {
    const a = agencies.find((x) => x.id === id);
    return a ? { id: a.id, code: a.code, name: a.name, nameEn: a.nameEn } : null;
  };
  const byseq = new Map(actorNames.map((a) => [a.seq, a]));
  const step = l.view.stepIndex !== null ? l.steps[l.view.stepIndex] : undefined;
  const personal = viewer !== 'public';
  return {
    id: l.row.id,
    code: l.view.code,
    procedure: { id: procedure.id, code: procedure.code, name: procedure.name },
    channel: l.row.channel,
    receivingAgency: agency(l.row.receivingAgencyId)!,
    currentAgency: agency(l.row.currentAgencyId),
    applicant: personal
      ? { name: l.row.applicantName, phone: l.row.applicantPhone, email: l.row.applicantEmail, idNumberMasked: l.row.applicantIdMasked, address: l.row.applicantAddress }
      : { name: null, phone: maskPhone(l.row.applicantPhone), email: null, idNumberMasked: null, address: null },
    formData: personal ? l.row.formData : {},
    delivery: personal ? l.row.delivery : { method: l.row.delivery.method },
    status: l.view.status,
    portalStatus: l.view.portalStatus,
    step: step ? { index: l.view.stepIndex!, key: step.key, name: step.name, role: step.role } : null,
    ...(viewer === 'official' && step
      ? { returnSteps: l.steps.slice(0, l.view.stepIndex!).filter((s) => !step.returnTo || step.returnTo.includes(s.key)).map((s) => ({ key: s.key, name: s.name })) }
      : {}),
    assigneeId: personal ? l.view.assigneeId : null,
    ...(viewer === 'official' ? { assignee: assignee ? { id: assignee.id, fullName: assignee.fullName } : null } : {}),
    submittedAt: l.view.submittedAt?.toISOString() ?? null,
    receivedAt: l.view.receivedAt?.toISOString() ?? null,
    dueAt: l.view.dueAt?.toISOString() ?? null,
    stepDueAt: l.view.stepDueAt?.toISOString() ?? null,
    pausedSince: l.view.pausedSince?.toISOString() ?? null,
    supplementRequests: l.view.supplementRequests,
    finishedAt: l.view.finishedAt?.toISOString() ?? null,
    returnedAt: l.view.returnedAt?.toISOString() ?? null,
    timeliness: l.view.timeliness,
    rating: personal ? l.view.rating : null,
    lastSeq: l.view.lastSeq,
    allowedActions: [...ALLOWED[l.view.status]],
    timeline: l.actions.map((a) => ({
      seq: a.seq,
      type: a.type,
      at: a.at.toISOString(),
      actorName: personal ? (byseq.get(a.seq)?.actorName ?? null) : null,
      comment: personal ? (byseq.get(a.seq)?.comment ?? null) : null,
      payload: personal ? a.payload : {},
    })),
    visits: l.view.visits.map((v) => ({
      stepIndex: v.stepIndex,
      stepName: l.steps[v.stepIndex]?.name ?? null,
      agencyId: v.agencyId,
      startedAt: v.startedAt.toISOString(),
      dueAt: v.dueAt.toISOString(),
      endedAt: v.endedAt?.toISOString() ?? null,
      endedBy: v.endedBy,
      timeliness: v.timeliness,
    })),
    files: files
      .filter((f) => viewer !== 'owner' || applicantMaySee(f.kind, l.view.status))
      .map((f) => ({ ...f, size: Number(f.size), createdAt: f.createdAt.toISOString() })),
  };
}

export type DossierDetail = Awaited<ReturnType<typeof presentDossier>>;

/** The columns a dossier list reads (dossiers joined with their procedure). */
export interface SummaryRow {
  id: string;
  code: string | null;
  procedureId: string;
  procedureName: string;
  applicantName: string;
  status: string;
  portalStatus: string;
  channel: 'in_person' | 'online' | 'post';
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  stepDueAt: Date | null;
  assigneeId: string | null;
}

const OPEN = ['processing', 'waiting_supplement', 'approved', 'result_ready'];

/** A line of a dossier list; `overdue` and `dueSoon` (within `soon`) only while the dossier is being handled. */
export function presentSummary(d: SummaryRow, now: Date, soon: Date) {
  const open = OPEN.includes(d.status);
  return {
    id: d.id,
    code: d.code,
    procedureId: d.procedureId,
    procedureName: d.procedureName,
    applicantName: d.applicantName,
    status: d.status as DossierStatus,
    portalStatus: d.portalStatus,
    channel: d.channel,
    submittedAt: d.submittedAt?.toISOString() ?? null,
    receivedAt: d.receivedAt?.toISOString() ?? null,
    dueAt: d.dueAt?.toISOString() ?? null,
    stepDueAt: d.stepDueAt?.toISOString() ?? null,
    overdue: !!d.dueAt && open && d.dueAt < now,
    dueSoon: !!d.dueAt && open && d.dueAt >= now && d.dueAt <= soon,
    assigneeId: d.assigneeId,
  };
}
