import type { Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { DossiersTable } from '../../db/schema.ts';
import { conflict, notFound, type AppError } from '../../http/errors.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { nextDossierCode } from './codes.ts';
import { deriveDossier, TransitionError, type ActionType, type DossierAction, type DossierFacts, type DossierView, type ProcessStep } from './state.ts';

export type DossierRow = Selectable<DossiersTable>;

export const dossierNotFound = () => notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });

const TRANSITION_MESSAGES: Partial<Record<ActionType, { vi: string; en: string }>> = {
  submit: { vi: 'Hồ sơ đã được nộp.', en: 'The dossier has already been submitted.' },
  receive: { vi: 'Hồ sơ không ở trạng thái chờ tiếp nhận.', en: 'The dossier is not waiting for reception.' },
  approve: { vi: 'Chỉ phê duyệt được ở bước cuối của quy trình.', en: 'Approval happens only at the last step of the process.' },
  rate: { vi: 'Chỉ đánh giá được một lần, sau khi đã trả kết quả.', en: 'You can rate once, after the result has been returned.' },
};

export function transitionConflict(err: TransitionError): AppError {
  const specific = TRANSITION_MESSAGES[err.action];
  return conflict('action_not_allowed', {
    vi: `Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ (${err.reason}).${specific ? ' ' + specific.vi : ''}`,
    en: `This action is not allowed in the dossier's current state (${err.reason}).${specific ? ' ' + specific.en : ''}`,
  });
}

export interface Loaded {
  row: DossierRow;
  facts: DossierFacts;
  actions: DossierAction[];
  view: DossierView;
  steps: ProcessStep[];
}

export async function loadActions(tx: Tx | Db, dossierId: string): Promise<DossierAction[]> {
  const rows = await tx.selectFrom('dossierActions').selectAll().where('dossierId', '=', dossierId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, type: r.type as ActionType, at: r.at, actorId: r.actorId, payload: r.payload }));
}

/** Loads a dossier with its log and derived view; `lock` takes the row lock that serialises actions. */
export async function loadDossier(tx: Tx | Db, calendar: CalendarService, id: string, lock = false): Promise<Loaded | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  let q = tx.selectFrom('dossiers').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const process = await tx.selectFrom('processes').select('steps').where('id', '=', row.processId).executeTakeFirstOrThrow();
  const steps = process.steps as ProcessStep[];
  const facts: DossierFacts = { receivingAgencyId: row.receivingAgencyId, duration: { value: row.durationValue, unit: row.durationUnit }, steps };
  const actions = await loadActions(tx, id);
  return { row, facts, actions, steps, view: deriveDossier(facts, actions, await calendar.calendar(), new Date()) };
}

export function projection(v: DossierView) {
  return {
    code: v.code,
    status: v.status,
    portalStatus: v.portalStatus,
    stepIndex: v.stepIndex,
    currentAgencyId: v.agencyId,
    assigneeId: v.assigneeId,
    submittedAt: v.submittedAt,
    receivedAt: v.receivedAt,
    dueAt: v.dueAt,
    stepDueAt: v.stepDueAt,
    pausedSince: v.pausedSince,
    supplementRequests: v.supplementRequests,
    finishedAt: v.finishedAt,
    returnedAt: v.returnedAt,
    timeliness: v.finishedAt ? v.timeliness : null,
    rating: v.rating?.score ?? null,
    lastSeq: v.lastSeq,
    updatedAt: new Date(),
  };
}

/**
 * What other modules (payments, signing, notifications) see of an action, inside its transaction.
 * `before` hooks run once the transition is known to be allowed and before anything is written:
 * they may refuse it by throwing (e.g. 409 fee unpaid, 400 signing failed) and nothing changes.
 * `after` hooks run after the action and projection are written, in the same transaction
 * (e.g. the outbox message that will become an SMS).
 */
export interface ActionEvent {
  tx: Tx;
  ctx: AuditContext;
  type: ActionType;
  entry: DossierAction;
  /** The comment written with the action (hooks need not read it back). */
  comment: string | null;
  before: Loaded;
  view: DossierView;
}

export interface DossierHooks {
  before: ((e: ActionEvent) => Promise<void>)[];
  after: ((e: ActionEvent) => Promise<void>)[];
}

export const noHooks = (): DossierHooks => ({ before: [], after: [] });

export interface NewAction {
  type: ActionType;
  payload?: Record<string, unknown>;
  comment?: string | null;
  /** The last action the caller saw: a stale view gets 409 instead of acting on a changed dossier. */
  expectedSeq?: number;
}

/**
 * Appends one action to a dossier's log, inside the caller's transaction: locks the row, checks
 * the caller's view is current, lets `authorize` refuse (403/404), replays the log with the new
 * action (a transition not allowed → 409), then writes the action, the projection and the audit
 * row together.
 * @throws AppError 404 unknown dossier, 409 stale or not allowed, whatever `authorize` throws.
 */
export async function appendAction(
  tx: Tx,
  deps: { calendar: CalendarService; config: Config; hooks?: DossierHooks },
  ctx: AuditContext,
  dossierId: string,
  action: NewAction,
  authorize: (loaded: Loaded) => void | Promise<void>,
  /** The dossier as this transaction already loaded it with its row lock (saves reading it again). */
  locked?: Loaded,
): Promise<Loaded> {
  const loaded = locked?.row.id === dossierId ? locked : await loadDossier(tx, deps.calendar, dossierId, true);
  if (!loaded) throw dossierNotFound();
  await authorize(loaded);
  if (action.expectedSeq !== undefined && action.expectedSeq !== loaded.row.lastSeq)
    throw conflict('dossier_changed', {
      vi: 'Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.',
      en: 'Someone else has just updated this dossier. Reload and try again.',
    });
  const now = new Date();
  const payload = { ...(action.payload ?? {}) };
  const calendar = await deps.calendar.calendar();
  if (action.type === 'receive' && loaded.view.status === 'submitted') {
    const agency = await tx.selectFrom('agencies').select(['id', 'code']).where('id', '=', loaded.row.receivingAgencyId).executeTakeFirstOrThrow();
    payload.code = await nextDossierCode(tx, agency, calendar.localDate(now), deps.config.DOSSIER_CODE_FORMAT);
  }
  const entry: DossierAction = { seq: loaded.row.lastSeq + 1, type: action.type, at: now, actorId: ctx.actorId, payload };
  let view: DossierView;
  try {
    view = deriveDossier(loaded.facts, [...loaded.actions, entry], calendar, now);
  } catch (err) {
    if (err instanceof TransitionError) throw transitionConflict(err);
    throw err;
  }
  const comment = action.comment ?? null;
  const event: ActionEvent = { tx, ctx, type: action.type, entry, comment, before: loaded, view };
  for (const hook of deps.hooks?.before ?? []) await hook(event);
  // The action and the projection in one statement (one round trip).
  await tx
    .with('a', (db) => db.insertInto('dossierActions').values({
      dossierId, seq: entry.seq, type: entry.type, at: now, actorId: ctx.actorId, actorName: ctx.actorName, comment, payload: JSON.stringify(payload),
    }))
    .updateTable('dossiers').set(projection(view)).where('id', '=', dossierId).execute();
  for (const hook of deps.hooks?.after ?? []) await hook(event);
  // Last: the audit chain's lock is then held only for the end of the transaction.
  await writeAudit(tx, ctx, { action: `dossier.${action.type}`, objectType: 'dossier', objectId: dossierId, details: { seq: entry.seq, code: view.code } });
  const actions = [...loaded.actions, entry];
  return { ...loaded, row: { ...loaded.row, ...projection(view) } as DossierRow, actions, view };
}
