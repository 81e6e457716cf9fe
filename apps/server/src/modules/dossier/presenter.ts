import type { DbOrTx } from '../../db/database.ts';
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

/** What a dossier page shows; personal data only to its applicant and the officials handling it. */
export async function presentDossier(db: DbOrTx, l: Loaded, viewer: 'owner' | 'official' | 'public') {
  const [procedure, agencies, files, actorNames] = await Promise.all([
    db.selectFrom('procedures').select(['id', 'code', 'name', 'onlineLevel']).where('id', '=', l.row.procedureId).executeTakeFirstOrThrow(),
    db.selectFrom('agencies').select(['id', 'code', 'name', 'nameEn']).where('id', 'in', [l.row.receivingAgencyId, ...(l.row.currentAgencyId ? [l.row.currentAgencyId] : [])]).execute(),
    viewer === 'public' ? Promise.resolve([]) : db.selectFrom('dossierFiles')
      .select(['id', 'componentId', 'componentName', 'kind', 'filename', 'mime', 'size', 'createdAt'])
      .where('dossierId', '=', l.row.id).where('removedAt', 'is', null).orderBy('createdAt').execute(),
    db.selectFrom('dossierActions').select(['seq', 'actorName', 'comment']).where('dossierId', '=', l.row.id).execute(),
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
