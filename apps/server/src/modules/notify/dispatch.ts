import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { NotifyStatus } from '../../db/schema.ts';
import { GatewayError, type DeliveryReceipt, type SmsGateway } from '../../adapters/sms/index.ts';
import type { EmailGateway } from '../../adapters/email/index.ts';
import { canMove, messageStateFromParts, nextPartState, type PartState } from './status.ts';

/** What a dispatch job knows of itself (pg-boss metadata). */
export interface Attempt {
  /** 0 on the first try. */
  retryCount: number;
  retryLimit: number;
}

export type DispatchOutcome = 'sent' | 'skipped' | 'failed' | 'retry';

/** The dedupe key the gateway sees: the same for every attempt at a message. */
export const dedupeKeyOf = (messageId: string) => `motcua-${messageId}`;

/** An email's Message-ID: the same for every attempt. */
export const emailMessageId = (messageId: string, domain: string) => `<${messageId}@${domain}>`;

async function addEvent(db: Db, messageId: string, status: string, detail: string | null) {
  await db.insertInto('notifyMessageEvents').values({ messageId, status, detail: detail?.slice(0, 1000) ?? null }).execute();
}

/** Records a final failure once (a message already past `queued` is left alone). */
async function fail(db: Db, messageId: string, status: NotifyStatus, err: GatewayError, attempt: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('notifyMessages')
      .set({ status, error: `${err.code}: ${err.message}`.slice(0, 1000), attempts: attempt, doneAt: new Date(), updatedAt: new Date() })
      .where('id', '=', messageId).where('status', '=', 'queued').returning('id').executeTakeFirst();
    if (r) await tx.insertInto('notifyMessageEvents').values({ messageId, status, detail: `attempt ${attempt}: ${err.code}: ${err.message}`.slice(0, 1000) }).execute();
  });
}

/**
 * Hands one queued message to its gateway. The hand-over and its record cannot be one atomic
 * step, so exactly-once rests on the dedupe key: every attempt sends the same key, a gateway that
 * already accepted it answers with the first id instead of sending again, and the record only
 * moves a message that is still `queued`. A crash between hand-over and record therefore costs a
 * second hand-over, never a second SMS.
 *
 * Transient failures throw (pg-boss retries with back-off) until the last attempt, which records
 * a technical failure; permanent failures are recorded at once and not retried.
 */
export async function dispatchMessage(
  db: Db,
  gateways: { sms: SmsGateway | null; email: EmailGateway | null; emailDomain: string },
  messageId: string,
  attempt: Attempt,
): Promise<DispatchOutcome> {
  const m = await db.selectFrom('notifyMessages').select(['id', 'channel', 'status', 'recipient', 'subject', 'body', 'concatRef']).where('id', '=', messageId).executeTakeFirst();
  if (!m || m.status !== 'queued' || !m.recipient) return 'skipped';
  const n = attempt.retryCount + 1;
  try {
    if (m.channel === 'sms') {
      const gw = gateways.sms;
      if (!gw) throw new GatewayError('transient', 'no_gateway', 'no SMS gateway configured');
      const sent = await gw.send({ to: m.recipient, text: m.body, dedupeKey: dedupeKeyOf(m.id), concatRef: m.concatRef });
      await recordHandover(db, m.id, gw.name, 'sending', sent.providerRefs, n, { smsParts: sent.parts, smsEncoding: sent.encoding });
    } else if (m.channel === 'email') {
      const gw = gateways.email;
      if (!gw) throw new GatewayError('transient', 'no_gateway', 'no email gateway configured');
      const text = m.body;
      const sent = await gw.send({ to: m.recipient, subject: m.subject ?? '', text, html: htmlFromText(text), messageId: emailMessageId(m.id, gateways.emailDomain) });
      // SMTP has no delivery receipts: acceptance by the relay is final ("sent").
      await recordHandover(db, m.id, gw.name, 'sent', [sent.providerRef], n, {});
    } else return 'skipped';
    return 'sent';
  } catch (err) {
    const ge = err instanceof GatewayError ? err : new GatewayError('transient', 'internal', (err as Error).message ?? String(err));
    if (ge.kind === 'permanent') {
      await fail(db, m.id, 'permanent_failure', ge, n);
      return 'failed';
    }
    if (attempt.retryCount >= attempt.retryLimit) {
      await fail(db, m.id, 'technical_failure', ge, n);
      return 'failed';
    }
    await db.updateTable('notifyMessages').set({ attempts: n, error: `${ge.code}: ${ge.message}`.slice(0, 1000), updatedAt: new Date() }).where('id', '=', m.id).where('status', '=', 'queued').execute();
    await addEvent(db, m.id, 'retry', `attempt ${n}: ${ge.code}: ${ge.message}`);
    throw ge;
  }
}

async function recordHandover(
  db: Db, messageId: string, provider: string, status: 'sending' | 'sent', refs: string[], attempt: number,
  extra: { smsParts?: number; smsEncoding?: 'gsm7' | 'ucs2' },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const now = new Date();
    const moved = await tx.updateTable('notifyMessages')
      .set({ status, provider, sentAt: now, attempts: attempt, error: null, updatedAt: now, ...(status === 'sent' ? { doneAt: now } : {}), ...extra })
      .where('id', '=', messageId).where('status', '=', 'queued').returning('id').executeTakeFirst();
    if (!moved) return;
    await tx.insertInto('notifyMessageEvents').values({ messageId, status, detail: `attempt ${attempt}: accepted by ${provider} (${refs.join(', ')})`.slice(0, 1000) }).execute();
    if (status !== 'sending') return;
    await tx.insertInto('notifyProviderRefs').values(refs.map((providerRef, i) => ({ provider, providerRef, messageId, part: i + 1 })))
      .onConflict((oc) => oc.columns(['provider', 'providerRef']).doNothing()).execute();
    // A receipt may have overtaken this record: apply it now.
    const early = await tx.deleteFrom('notifyPendingReceipts').where('provider', '=', provider).where('providerRef', 'in', refs).returningAll().execute();
    for (const r of early) await applyReceiptIn(tx, provider, { providerRef: r.providerRef, state: r.state as PartState, detail: r.detail ?? '' });
  });
}

/** Plain text as minimal HTML (escaped, line breaks kept). */
export function htmlFromText(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!doctype html><html lang="vi"><body><p>${esc.replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br>')}</p></body></html>`;
}

export type ReceiptOutcome = 'applied' | 'ignored' | 'unknown';

/**
 * Applies a delivery receipt. Duplicates, late and out-of-order receipts change nothing (a state
 * only moves forward); a receipt for an id we have not recorded yet is kept and applied when the
 * hand-over is recorded (it may have overtaken it), and dropped after 7 days.
 */
export async function applyReceipt(db: Db, provider: string, r: DeliveryReceipt): Promise<ReceiptOutcome> {
  return db.transaction().execute((tx) => applyReceiptIn(tx, provider, r));
}

async function applyReceiptIn(tx: DbOrTx, provider: string, r: DeliveryReceipt): Promise<ReceiptOutcome> {
  const ref = await tx.selectFrom('notifyProviderRefs').select('messageId').where('provider', '=', provider).where('providerRef', '=', r.providerRef).executeTakeFirst();
  if (!ref) {
    await tx.insertInto('notifyPendingReceipts').values({ provider, providerRef: r.providerRef, state: r.state, detail: r.detail })
      .onConflict((oc) => oc.columns(['provider', 'providerRef', 'state']).doNothing()).execute();
    return 'unknown';
  }
  // The message row serialises receipts for its parts.
  const msg = await tx.selectFrom('notifyMessages').select(['id', 'status']).where('id', '=', ref.messageId).forUpdate().executeTakeFirstOrThrow();
  const parts = await tx.selectFrom('notifyProviderRefs').select(['providerRef', 'part', 'state']).where('messageId', '=', msg.id).orderBy('part').execute();
  const part = parts.find((p) => p.providerRef === r.providerRef)!;
  const next = nextPartState(part.state, r.state);
  if (!next) return 'ignored';
  await tx.updateTable('notifyProviderRefs').set({ state: next, updatedAt: new Date() }).where('provider', '=', provider).where('providerRef', '=', r.providerRef).execute();
  part.state = next;
  const status = messageStateFromParts(parts.map((p) => p.state));
  const detail = `${parts.length > 1 ? `part ${part.part}/${parts.length}: ` : ''}${r.detail}`;
  if (canMove(msg.status, status)) {
    await tx.updateTable('notifyMessages').set({ status, doneAt: new Date(), updatedAt: new Date() }).where('id', '=', msg.id).execute();
    await tx.insertInto('notifyMessageEvents').values({ messageId: msg.id, status, detail }).execute();
  } else {
    await tx.insertInto('notifyMessageEvents').values({ messageId: msg.id, status: 'receipt', detail }).execute();
  }
  return 'applied';
}

const SWEEP_LOCK = 0x6d6f746e; // "motn": one sweeper across processes

/**
 * Housekeeping, safe from every process: messages still `sending` after the timeout become
 * temporary failures (GOV.UK Notify's 72 hours); queued messages whose dispatch job ran out of
 * attempts without recording (e.g. crashes) become technical failures; stale early receipts go.
 */
export async function sweepMessages(db: Db, opts: { sendingTimeoutHours: number; now?: Date }): Promise<{ timedOut: number; lost: number }> {
  const now = opts.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`.execute(tx);
    if (!got.rows[0]?.ok) return { timedOut: 0, lost: 0 };
    const cutoff = new Date(now.getTime() - opts.sendingTimeoutHours * 3600_000);
    const timedOut = await tx.updateTable('notifyMessages')
      .set({ status: 'temporary_failure', doneAt: now, updatedAt: now, error: `no delivery receipt within ${opts.sendingTimeoutHours} hours` })
      .where('status', '=', 'sending').where('sentAt', '<', cutoff).returning('id').execute();
    const lost = await sql<{ id: string }>`
      UPDATE notify_messages m SET status = 'technical_failure', done_at = ${now}, updated_at = ${now},
        error = coalesce(m.error, 'dispatch attempts ran out')
      WHERE m.status = 'queued' AND m.channel <> 'in_app'
        AND EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = m.id AND j.state = 'failed')
      RETURNING m.id`.execute(tx);
    const events = [
      ...timedOut.map((m) => ({ messageId: m.id, status: 'temporary_failure', detail: `still sending after ${opts.sendingTimeoutHours} hours` })),
      ...lost.rows.map((m) => ({ messageId: m.id, status: 'technical_failure', detail: 'dispatch attempts ran out' })),
    ];
    if (events.length) await tx.insertInto('notifyMessageEvents').values(events).execute();
    await tx.deleteFrom('notifyPendingReceipts').where('receivedAt', '<', new Date(now.getTime() - 7 * 86_400_000)).execute();
    return { timedOut: timedOut.length, lost: lost.rows.length };
  });
}
