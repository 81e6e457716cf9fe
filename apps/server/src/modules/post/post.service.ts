import type { Config } from '../../config.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { PostShipmentsTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { GatewayError, HttpPostalPort, type PostalPort, type TrackingEvent } from '../../adapters/post/index.ts';
import { QUEUES, type Jobs } from '../../jobs/boss.ts';
import { AppError } from '../../http/errors.ts';
import type { AuditContext } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { appendAction, type ActionEvent, type DossierHooks } from '../dossier/index.ts';
import { citizenRecipient, emit, officialRecipients, type Attempt, type NotifyDeps } from '../notify/index.ts';
import { canMoveShipment, OPEN_SHIPMENT, STATUS_WORDS } from './status.ts';

export type ShipmentRow = Selectable<PostShipmentsTable>;

export interface PostDeps {
  config: Config;
  jobs: Jobs;
  notify: NotifyDeps;
  calendar: CalendarService;
  hooks: DossierHooks;
  /** The postal API; null when POST_GATEWAY=off. */
  port: PostalPort | null;
  /** Where the provider sends tracking webhooks. */
  callbackUrl: () => string;
}

/**
 * Records a shipment to book and enqueues its booking, in the caller's transaction: the order
 * exists exactly when the change that asks for it does, and the booking is retried until the
 * post office has it (idempotent by order code).
 */
export async function requestShipment(tx: Tx, deps: Pick<PostDeps, 'jobs'>, s: {
  dossierId: string; kind: 'pickup' | 'delivery'; recipientName: string; recipientPhone: string | null; address: string;
  weightGrams: number; note: string | null; createdBy: string | null; provider: string;
}): Promise<ShipmentRow> {
  const id = crypto.randomUUID();
  const row = await tx.insertInto('postShipments').values({
    id, dossierId: s.dossierId, kind: s.kind, provider: s.provider, orderCode: `MC${id.replace(/-/g, '').slice(0, 18).toUpperCase()}`,
    status: 'requested', recipientName: s.recipientName, recipientPhone: s.recipientPhone, address: s.address,
    weightGrams: s.weightGrams, note: s.note, createdBy: s.createdBy,
  }).returningAll().executeTakeFirstOrThrow();
  await deps.jobs.enqueue(tx, QUEUES.postBook, [{ id, data: { shipmentId: id } }]);
  return row;
}

/** Books a requested shipment with the post office (the `post-book` job). */
export async function bookShipment(db: Db, deps: Pick<PostDeps, 'config' | 'port' | 'callbackUrl'>, shipmentId: string, attempt: Attempt): Promise<void> {
  const s = await db.selectFrom('postShipments').selectAll().where('id', '=', shipmentId).executeTakeFirst();
  if (!s || s.status !== 'requested') return;
  if (!deps.port) throw new GatewayError('transient', 'no_gateway', 'the postal service is not configured');
  const centre = { name: 'Trung tâm Phục vụ hành chính công', phone: deps.config.POST_CENTRE_PHONE, address: deps.config.POST_CENTRE_ADDRESS };
  const citizen = { name: s.recipientName, phone: s.recipientPhone, address: s.address };
  try {
    const booked = await deps.port.createOrder({
      orderCode: s.orderCode, kind: s.kind, weightGrams: s.weightGrams, note: s.note ?? undefined, callbackUrl: deps.callbackUrl(),
      sender: s.kind === 'delivery' ? centre : citizen, receiver: s.kind === 'delivery' ? citizen : centre,
    });
    await db.updateTable('postShipments').set({ status: 'created', trackingCode: booked.trackingCode, fee: booked.fee, error: null, updatedAt: new Date(), statusAt: new Date() })
      .where('id', '=', s.id).where('status', '=', 'requested').execute();
  } catch (err) {
    const ge = err instanceof GatewayError ? err : new GatewayError('transient', 'internal', (err as Error).message);
    if (ge.kind === 'permanent' || attempt.retryCount >= attempt.retryLimit) {
      await db.updateTable('postShipments').set({ status: 'booking_failed', error: `${ge.code}: ${ge.message}`.slice(0, 500), updatedAt: new Date(), statusAt: new Date() })
        .where('id', '=', s.id).where('status', '=', 'requested').execute();
      return;
    }
    await db.updateTable('postShipments').set({ error: `${ge.code}: ${ge.message}`.slice(0, 500), updatedAt: new Date() }).where('id', '=', s.id).execute();
    throw ge;
  }
}

export type TrackingOutcome = 'applied' | 'ignored' | 'duplicate' | 'unknown';

/**
 * Applies a verified tracking event in one transaction: the event is kept (once: a repeated
 * webhook is a duplicate), the shipment moves forward only, the applicant hears of it, and the
 * dossier follows: papers collected by post and delivered to the centre complete reception;
 * a delivered result marks the result returned; a failed delivery goes back to the counter.
 */
export async function applyTracking(db: Db, deps: PostDeps, ctx: AuditContext, ev: TrackingEvent, log: (msg: string, obj?: object) => void): Promise<TrackingOutcome> {
  return db.transaction().execute(async (tx) => {
    const s = await tx.selectFrom('postShipments').selectAll().where('trackingCode', '=', ev.trackingCode).where('orderCode', '=', ev.orderCode).forUpdate().executeTakeFirst();
    if (!s) return 'unknown';
    const to = ev.status;
    const forward = canMoveShipment(s.status, to);
    const kept = await tx.insertInto('postTrackingEvents').values({ shipmentId: s.id, eventId: ev.eventId, status: to, at: ev.at, note: ev.note ?? null, applied: forward })
      .onConflict((oc) => oc.columns(['shipmentId', 'eventId']).doNothing()).returning('id').executeTakeFirst();
    if (!kept) return 'duplicate';
    if (!forward) return 'ignored';
    await tx.updateTable('postShipments').set({ status: to, updatedAt: new Date(), statusAt: new Date() }).where('id', '=', s.id).execute();
    const dossier = await tx.selectFrom('dossiers').select(['id', 'code', 'status', 'applicantUserId', 'applicantPhone', 'applicantEmail', 'applicantName', 'receivingAgencyId'])
      .where('id', '=', s.dossierId).executeTakeFirstOrThrow();
    const words = STATUS_WORDS[to] ?? { vi: to, en: to };
    const what = s.kind === 'delivery' ? { vi: 'bưu gửi kết quả', en: 'the result shipment' } : { vi: 'bưu gửi hồ sơ', en: 'the papers shipment' };
    const cause = `post:${s.id}:${ev.eventId}`;
    await emit(tx, deps.notify, {
      event: 'post.shipment_status', cause, dossierId: s.dossierId, agencyId: dossier.receivingAgencyId,
      vars: { code: dossier.code ?? '', trackingCode: ev.trackingCode, shipment: what.vi, status: words.vi, applicant: dossier.applicantName },
      localVars: { en: { shipment: what.en, status: words.en } },
      recipients: [await citizenRecipient(tx, { userId: dossier.applicantUserId, phone: dossier.applicantPhone, email: dossier.applicantEmail })],
    });
    const dossierAction = async (type: 'receive' | 'return_result', payload: Record<string, unknown>) => {
      try {
        await appendAction(tx, { calendar: deps.calendar, config: deps.config, hooks: deps.hooks }, ctx, s.dossierId, { type, payload, comment: `Bưu chính công ích: ${ev.trackingCode}` }, () => undefined);
      } catch (err) {
        // The dossier moved on by another way (e.g. collected at the counter): the event is kept all the same.
        if (err instanceof AppError && err.statusCode === 409) log('postal event did not change the dossier', { dossierId: s.dossierId, type, code: err.code });
        else throw err;
      }
    };
    if (s.kind === 'delivery' && to === 'delivered' && dossier.status === 'result_ready') {
      await dossierAction('return_result', { method: 'post', shipmentId: s.id, trackingCode: ev.trackingCode });
    }
    if (s.kind === 'pickup' && to === 'delivered' && dossier.status === 'submitted') {
      await dossierAction('receive', { via: 'post', shipmentId: s.id, trackingCode: ev.trackingCode });
    }
    if (s.kind === 'delivery' && (to === 'failed' || to === 'returned')) {
      // The dossier stays "result ready": it is back in the counter's queue to hand over.
      await emit(tx, deps.notify, {
        event: 'queue.delivery_failed', cause: `${cause}:desk`, dossierId: s.dossierId, agencyId: dossier.receivingAgencyId,
        vars: { code: dossier.code ?? '', trackingCode: ev.trackingCode, status: words.vi, note: ev.note ?? '' },
        recipients: await officialRecipients(tx, dossier.receivingAgencyId, 'reception_officer', null),
      });
    }
    return 'applied';
  });
}

/** The `after` hook: a result ready for a dossier that asked for postal delivery books the delivery. */
export function postDossierHook(deps: Pick<PostDeps, 'jobs' | 'port'>) {
  return async (e: ActionEvent): Promise<void> => {
    if (e.type !== 'mark_result_ready' || !deps.port) return;
    const row = e.before.row;
    const address = row.delivery.method === 'post' ? (row.delivery.address ?? row.applicantAddress) : null;
    if (!address) return;
    const open = await e.tx.selectFrom('postShipments').select('id').where('dossierId', '=', row.id).where('kind', '=', 'delivery').where('status', 'in', [...OPEN_SHIPMENT]).executeTakeFirst();
    if (open) return;
    await requestShipment(e.tx, deps, {
      dossierId: row.id, kind: 'delivery', recipientName: row.applicantName, recipientPhone: row.applicantPhone, address,
      weightGrams: 500, note: `Kết quả hồ sơ ${e.view.code ?? ''}`.trim(), createdBy: e.ctx.actorId, provider: deps.port.name,
    });
  };
}

export async function shipmentsOf(db: DbOrTx, dossierId: string) {
  const rows = await db.selectFrom('postShipments').selectAll().where('dossierId', '=', dossierId).orderBy('createdAt').execute();
  const events = rows.length
    ? await db.selectFrom('postTrackingEvents').select(['shipmentId', 'status', 'at', 'note', 'applied']).where('shipmentId', 'in', rows.map((r) => r.id)).orderBy('at').orderBy('id').execute()
    : [];
  return rows.map((s) => ({
    id: s.id, dossierId: s.dossierId, kind: s.kind, status: s.status, orderCode: s.orderCode, trackingCode: s.trackingCode,
    recipientName: s.recipientName, recipientPhone: s.recipientPhone, address: s.address, weightGrams: s.weightGrams,
    fee: s.fee === null ? null : Number(s.fee), note: s.note, error: s.error, createdAt: s.createdAt.toISOString(), statusAt: s.statusAt.toISOString(),
    tracking: events.filter((e) => e.shipmentId === s.id).map((e) => ({ status: e.status, at: e.at.toISOString(), note: e.note, applied: e.applied })),
  }));
}

/** Postal bookings from a `worker` process (the real postal API; no HTTP server of its own). */
export function workerPostBook(config: Config, db: Db) {
  const port = config.POST_API_URL ? new HttpPostalPort({ baseUrl: config.POST_API_URL, token: config.POST_API_TOKEN, timeoutMs: 10_000 }) : null;
  const callbackUrl = () => config.POST_WEBHOOK_URL ?? `${(config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '')}/api/v1/post/webhook`;
  return (shipmentId: string, attempt: Attempt) => bookShipment(db, { config, port, callbackUrl }, shipmentId, attempt);
}
