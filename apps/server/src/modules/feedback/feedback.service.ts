import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import { conflict, forbidden, notFound, type AppError } from '../../http/errors.ts';
import { agencyChain } from '../agencies/index.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { citizenRecipient, emit, type NotifyDeps } from '../notify/index.ts';
import { can, type Actor } from '../policy/index.ts';
import {
  findItem, insertEvent, insertItem, itemsForPeriod, loadEvents, nextFeedbackCode, projection, updateProjection, type FeedbackRow,
} from './feedback.repository.ts';
import {
  ACTION_EVENT, deriveFeedback, feedbackTimeliness, FeedbackTransitionError, type FeedbackAction, type FeedbackEvent,
  type FeedbackEventType, type FeedbackTimeliness, type FeedbackView,
} from './state.ts';

export const feedbackNotFound = () => notFound({ vi: 'Không tìm thấy phản ánh, kiến nghị.', en: 'Feedback item not found.' });

const TRANSITION_MESSAGES: Partial<Record<FeedbackEventType, { vi: string; en: string }>> = {
  accepted: { vi: 'Chỉ tiếp nhận xử lý được phản ánh mới nhận.', en: 'Only a newly received item can be accepted.' },
  info_requested: { vi: 'Chỉ yêu cầu bổ sung thông tin khi phản ánh đang được xử lý.', en: 'More information can be asked for only while the item is being handled.' },
  info_supplied: { vi: 'Phản ánh không chờ bổ sung thông tin.', en: 'The item is not waiting for information.' },
  rejected: { vi: 'Chỉ từ chối được phản ánh chưa trả lời.', en: 'Only an item not yet answered can be rejected.' },
  answered: { vi: 'Phản ánh đã được trả lời hoặc đã đóng.', en: 'The item has already been answered or closed.' },
  published: { vi: 'Chỉ công khai được phản ánh đã trả lời và chưa công khai.', en: 'Only an answered item not yet published can be published.' },
};

export function transitionConflict(err: FeedbackTransitionError): AppError {
  const specific = TRANSITION_MESSAGES[err.event];
  return conflict('action_not_allowed', {
    vi: `Không thể thực hiện thao tác này ở trạng thái hiện tại của phản ánh (${err.reason}).${specific ? ' ' + specific.vi : ''}`,
    en: `This action is not allowed in the item's current state (${err.reason}).${specific ? ' ' + specific.en : ''}`,
  });
}

export interface LoadedFeedback {
  row: FeedbackRow;
  events: (FeedbackEvent & { actorName: string | null })[];
  view: FeedbackView;
}

/** An item with its log and derived view; `lock` takes the row lock that serialises events. */
export async function loadFeedback(db: DbOrTx, calendar: CalendarService, id: string, lock = false): Promise<LoadedFeedback | undefined> {
  const row = await findItem(db, id, lock);
  if (!row) return undefined;
  const events = await loadEvents(db, row.id);
  return { row, events, view: deriveFeedback(events, await calendar.calendar(), new Date()) };
}

/** Who the viewer is to an item: its author, or an official of its agency (or above it). */
export type Viewer = 'author' | 'official';

/**
 * Who may see an item: its author, and officials who may handle or publish items of its
 * agency. Anyone else gets the same 404 as a missing item.
 * @throws AppError 404
 */
export async function assertCanView(db: DbOrTx, actor: Actor, row: FeedbackRow): Promise<Viewer> {
  if (actor.kind === 'citizen' && row.authorUserId === actor.userId) return 'author';
  if (actor.kind === 'official') {
    const chain = await agencyChain(db, row.agencyId);
    if (can(actor, 'feedback.handle', chain) || can(actor, 'feedback.publish', chain)) return 'official';
  }
  throw feedbackNotFound();
}

/**
 * May this official take `action` on the item? Publishing is for heads and leaders; the rest for
 * the officials handling feedback, in the item's agency or above it.
 * @throws AppError 403 (a citizen, or an official of the agency without the right), 404 (not theirs to see)
 */
export async function authorizeAction(db: DbOrTx, actor: Actor, action: FeedbackAction, row: FeedbackRow): Promise<void> {
  if (actor.kind !== 'official') throw forbidden();
  const chain = await agencyChain(db, row.agencyId);
  if (!can(actor, 'feedback.handle', chain) && !can(actor, 'feedback.publish', chain)) throw feedbackNotFound();
  if (!can(actor, action === 'publish' ? 'feedback.publish' : 'feedback.handle', chain)) throw forbidden();
}

/** The actions this official may take now. */
export async function actionsFor(db: DbOrTx, actor: Actor, l: LoadedFeedback, allowed: FeedbackAction[]): Promise<FeedbackAction[]> {
  if (actor.kind !== 'official') return [];
  const chain = await agencyChain(db, l.row.agencyId);
  return allowed.filter((a) => can(actor, a === 'publish' ? 'feedback.publish' : 'feedback.handle', chain));
}

export interface NewFeedback {
  kind: FeedbackRow['kind'];
  topic: FeedbackRow['topic'];
  channel: FeedbackRow['channel'];
  subject: string;
  content: string;
  dossierId: string | null;
  procedureId: string | null;
  agencyId: string;
  authorUserId: string | null;
  sender: { name: string | null; phone: string | null };
  recordedBy: string | null;
}

/**
 * Files an item: its code, the `received` event, the deadlines counted from now, and the audit
 * row, in the caller's transaction.
 */
export async function fileFeedback(tx: Tx, calendar: CalendarService, ctx: AuditContext, input: NewFeedback): Promise<LoadedFeedback> {
  const now = new Date();
  const cal = await calendar.calendar();
  const code = await nextFeedbackCode(tx, cal.localDate(now));
  const event: FeedbackEvent = { seq: 1, type: 'received', at: now, actorId: ctx.actorId, text: null, payload: { channel: input.channel } };
  const view = deriveFeedback([event], cal, now);
  const row = await insertItem(tx, {
    code, kind: input.kind, topic: input.topic, channel: input.channel, subject: input.subject, content: input.content,
    dossierId: input.dossierId, procedureId: input.procedureId, agencyId: input.agencyId, authorUserId: input.authorUserId,
    senderName: input.sender.name, senderPhone: input.sender.phone, recordedBy: input.recordedBy,
    ...projection(view),
  });
  await insertEvent(tx, row.id, event, ctx.actorName);
  await writeAudit(tx, ctx, { action: 'feedback.received', objectType: 'feedback', objectId: row.id, details: { code, channel: input.channel, kind: input.kind } });
  return { row, events: [{ ...event, actorName: ctx.actorName }], view };
}

export interface NewEvent {
  type: Exclude<FeedbackEventType, 'received'>;
  text?: string | null;
  payload?: Record<string, unknown>;
  /** The last event the caller saw: a stale view gets 409 instead of acting on a changed item. */
  expectedSeq?: number;
}

/**
 * Appends one event to an item's log in the caller's transaction: locks the row, lets
 * `authorize` refuse (403/404), checks the caller's view is current, replays the log with the
 * new event (not allowed now → 409), then writes the event, the projection and the audit row
 * together, and the message to the sender when the item is answered, rejected or needs more
 * information (with `notify`).
 * @throws AppError 404 unknown item, 409 stale or not allowed, whatever `authorize` throws.
 */
export async function appendFeedbackEvent(
  tx: Tx,
  deps: { calendar: CalendarService; notify?: NotifyDeps | null },
  ctx: AuditContext,
  id: string,
  ev: NewEvent,
  authorize: (row: FeedbackRow) => void | Promise<void>,
): Promise<LoadedFeedback> {
  const loaded = await loadFeedback(tx, deps.calendar, id, true);
  if (!loaded) throw feedbackNotFound();
  await authorize(loaded.row);
  if (ev.expectedSeq !== undefined && ev.expectedSeq !== loaded.row.lastSeq)
    throw conflict('feedback_changed', {
      vi: 'Phản ánh vừa được người khác cập nhật. Vui lòng tải lại và thử lại.',
      en: 'Someone else has just updated this item. Reload and try again.',
    });
  const now = new Date();
  const entry: FeedbackEvent = { seq: loaded.row.lastSeq + 1, type: ev.type, at: now, actorId: ctx.actorId, text: ev.text ?? null, payload: ev.payload ?? {} };
  const events = [...loaded.events, { ...entry, actorName: ctx.actorName }];
  let view: FeedbackView;
  try {
    view = deriveFeedback(events, await deps.calendar.calendar(), now);
  } catch (err) {
    if (err instanceof FeedbackTransitionError) throw transitionConflict(err);
    throw err;
  }
  await insertEvent(tx, id, entry, ctx.actorName);
  await updateProjection(tx, id, view);
  if (deps.notify) await tellSender(tx, deps.notify, loaded.row, entry);
  await writeAudit(tx, ctx, { action: `feedback.${ev.type}`, objectType: 'feedback', objectId: id, details: { seq: entry.seq, code: loaded.row.code } });
  return { row: { ...loaded.row, ...projection(view) }, events, view };
}

/** The official action → the event it appends. */
export const eventOf = (a: FeedbackAction) => ACTION_EVENT[a] as NewEvent['type'];

const excerpt = (s: string | null, n: number) => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

/**
 * The message to the author when their item needs them or is closed: an answer, a rejection, a
 * question (`feedback.update`: the item's code, what happened and a link), by the author's channels.
 */
async function tellSender(tx: Tx, notify: NotifyDeps, row: FeedbackRow, e: FeedbackEvent): Promise<void> {
  if (!row.authorUserId || !['answered', 'rejected', 'info_requested'].includes(e.type)) return;
  const user = await tx.selectFrom('users').select(['fullName', 'phone', 'email']).where('id', '=', row.authorUserId).executeTakeFirst();
  if (!user) return;
  const publicUrl = (notify.config.PUBLIC_URL ?? `http://localhost:${notify.config.PORT}`).replace(/\/+$/, '');
  const link = `${publicUrl}/me/feedback/${row.id}`;
  const text = excerpt(e.text, 160);
  const outcome = {
    answered: { vi: `đã được trả lời: ${text}`, en: `answered: ${text}` },
    rejected: { vi: `không được tiếp nhận xử lý. Lý do: ${text}`, en: `not taken up. Reason: ${text}` },
    info_requested: { vi: `cần bổ sung thông tin: ${text}`, en: `more information is needed: ${text}` },
  }[e.type as 'answered' | 'rejected' | 'info_requested'];
  await emit(tx, notify, {
    event: 'feedback.update',
    cause: `feedback:${row.id}:${e.seq}`,
    agencyId: row.agencyId,
    vars: { code: row.code, subject: excerpt(row.subject, 60), applicant: user.fullName, outcome: outcome.vi, link },
    localVars: { en: { outcome: outcome.en } },
    recipients: [await citizenRecipient(tx, { userId: row.authorUserId, phone: user.phone, email: user.email })],
  });
}

// ------------------------------------------------------------ for the index (reports)

export interface AgencyFeedbackFacts extends FeedbackTimeliness {
  agencyId: string;
  /** Items received in the period. */
  received: number;
}

/**
 * What the service-quality index needs from feedback over a period [start, end), measured at
 * its end or `now` if earlier: per agency the 5.2 counts (handled, on time, late, rate), and
 * the dossiers that had a complaint received in the period (5.4: "dossiers with a complaint";
 * complaints rejected as invalid or not within competence do not count).
 * `agencyIds`: only these agencies' items (pass a subtree for a scope).
 */
export async function feedbackIndexFacts(
  db: Db | Tx,
  period: { start: Date; end: Date },
  opts: { agencyIds?: readonly string[]; now?: Date } = {},
): Promise<{ byAgency: AgencyFeedbackFacts[]; total: AgencyFeedbackFacts; dossiersWithComplaint: Set<string> }> {
  const rows = await itemsForPeriod(db, period, opts.agencyIds);
  const now = opts.now ?? new Date();
  const asOf = now < period.end ? now : period.end;
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.agencyId, [...(groups.get(r.agencyId) ?? []), r]);
  const facts = (agencyId: string, items: typeof rows): AgencyFeedbackFacts => ({
    agencyId,
    received: items.filter((r) => r.receivedAt >= period.start && r.receivedAt < asOf).length,
    ...feedbackTimeliness(items, period, now),
  });
  const dossiersWithComplaint = new Set(
    rows.filter((r) => r.kind === 'complaint' && r.dossierId && r.status !== 'rejected' && r.receivedAt >= period.start && r.receivedAt < asOf)
      .map((r) => r.dossierId!),
  );
  return {
    byAgency: [...groups.entries()].map(([id, items]) => facts(id, items)).sort((a, b) => a.agencyId.localeCompare(b.agencyId)),
    total: facts('*', rows),
    dossiersWithComplaint,
  };
}
