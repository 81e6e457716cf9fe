import type { FeedbackDetail, FeedbackSummary, PublishedFeedback } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';
import { findLinks, type listItems, type listPublished } from './feedback.repository.ts';
import type { LoadedFeedback, Viewer } from './feedback.service.ts';
import { allowedActions, lateStages, type FeedbackAction } from './state.ts';

/** 0912345678 → 091****678: lists never show a whole phone number. */
export const maskPhone = (p: string | null) => (p ? `${p.slice(0, 3)}****${p.slice(-3)}` : null);

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * An item's page for its author or the officials handling it. `actions`: what this viewer may
 * do now (officials), by default every action the state allows.
 */
export async function presentFeedback(db: DbOrTx, l: LoadedFeedback, viewer: Viewer, actions?: FeedbackAction[]): Promise<FeedbackDetail> {
  const { row, view } = l;
  const links = await findLinks(db, row);
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    topic: row.topic,
    channel: row.channel,
    subject: row.subject,
    content: row.content,
    dossier: links.dossier ? { id: links.dossier.id, code: links.dossier.code } : null,
    procedure: links.procedure,
    agency: links.agency,
    sender: { name: row.senderName, phone: row.senderPhone },
    status: view.status,
    receivedAt: view.receivedAt!.toISOString(),
    acceptedAt: iso(view.acceptedAt),
    rejectDueAt: view.rejectDueAt!.toISOString(),
    infoDueAt: view.infoDueAt!.toISOString(),
    answerDueAt: view.answerDueAt!.toISOString(),
    publishDueAt: iso(view.publishDueAt),
    pausedSince: iso(view.pausedSince),
    rejectedAt: iso(view.rejectedAt),
    answeredAt: iso(view.answeredAt),
    publishedAt: iso(view.publishedAt),
    rejectReason: view.rejectReason,
    answer: view.answer,
    publicContent: view.publicContent,
    dueAt: iso(view.dueAt),
    overdue: view.overdue,
    timeliness: view.timeliness,
    lastSeq: view.lastSeq,
    allowedActions: viewer === 'official' ? (actions ?? allowedActions(view.status)) : [],
    events: l.events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), actorName: e.actorName, text: e.text })),
  };
}

type ListRow = Awaited<ReturnType<typeof listItems>>['items'][number];

/** One line of a list: the phone masked; on time or late as known now. */
export function presentSummary(r: ListRow, now: Date, soon: Date): FeedbackSummary {
  const late = lateStages(r, now).length > 0;
  const closed = r.status === 'rejected' || r.status === 'published';
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    topic: r.topic,
    channel: r.channel,
    subject: r.subject,
    status: r.status,
    agencyName: r.agencyName,
    dossierCode: r.dossierCode,
    senderName: r.senderName,
    senderPhone: maskPhone(r.senderPhone),
    receivedAt: r.receivedAt.toISOString(),
    dueAt: iso(r.dueAt),
    overdue: !!r.dueAt && r.dueAt < now,
    dueSoon: !!r.dueAt && r.dueAt >= now && r.dueAt <= soon,
    timeliness: late ? 'late' : closed ? 'on_time' : null,
  };
}

type PublishedRow = Awaited<ReturnType<typeof listPublished>>['items'][number];

/** A published answer: the public text (or the content), the answer; nothing about the sender. */
export function presentPublished(r: PublishedRow): PublishedFeedback {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    topic: r.topic,
    subject: r.subject,
    content: r.publicContent ?? r.content,
    answer: r.answer ?? '',
    agency: { id: r.agencyId, name: r.agencyName, nameEn: r.agencyNameEn },
    procedureName: r.procedureName,
    receivedAt: r.receivedAt.toISOString(),
    answeredAt: r.answeredAt!.toISOString(),
    publishedAt: r.publishedAt!.toISOString(),
  };
}
