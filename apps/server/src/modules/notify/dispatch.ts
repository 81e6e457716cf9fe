import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
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

/** One claimed dispatch job: the message it is for and its attempt (counted when it was claimed). */
export interface DispatchJob extends Attempt {
  jobId: string;
  messageId: string;
}

/**
 * What becomes of a batch's jobs, settled inside the transaction that records the batch, so that
 * the record and the jobs' end commit together: `retry` jobs go back to the queue (with its
 * back-off); the `complete` ones are done with (their messages are recorded, or past `queued`).
 */
export interface JobSettlement {
  complete: string[];
  retry: { jobId: string; error: string }[];
}
export type SettleJobs = (tx: Tx, s: JobSettlement) => Promise<void>;

export interface DispatchGateways {
  sms: SmsGateway | null;
  email: EmailGateway | null;
  emailDomain: string;
}

type Handed = { provider: string; status: 'sending' | 'sent'; refs: string[]; parts: number | null; encoding: 'gsm7' | 'ucs2' | null };

/** What one attempt at one message came to, waiting to be recorded. */
export type DispatchResult =
  | { job: DispatchJob; outcome: 'skipped' }
  | { job: DispatchJob; outcome: 'sent'; handed: Handed }
  | { job: DispatchJob; outcome: 'failed' | 'retry'; status: NotifyStatus | null; err: GatewayError };

/** The outbox row a dispatch needs. */
export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email' | 'in_app';
  status: NotifyStatus;
  recipient: string | null;
  subject: string | null;
  body: string;
  concatRef: number;
}

const clip = (s: string) => s.slice(0, 1000);
const errText = (e: GatewayError) => `${e.code}: ${e.message}`;

/*
 * Dispatch comes in three steps, which the worker runs as a pipeline over batches (jobs/worker.ts):
 * claim and read (`loadMessages`), hand over (`sendMessage`), record (`recordResults`).
 *
 * The claim is the job queue's: pg-boss takes due jobs with `FOR UPDATE SKIP LOCKED` and counts
 * the attempt in the same committed statement, so every claimed message is this worker's alone,
 * with its attempt recorded, before anything is sent. The hand-over and its record still cannot be
 * one atomic step, so exactly-once rests on the dedupe key: every attempt sends the same key, a
 * gateway that already accepted it answers with the first id instead of sending again, and the
 * record only moves a message that is still `queued`. A crash between hand-over and record
 * therefore costs a second hand-over (the job expires and is retried), never a second SMS.
 *
 * Transient failures go back to the queue (retried with back-off) until the last attempt, which
 * records a technical failure; permanent failures are recorded at once and not retried.
 */

/** The messages of claimed jobs, in one statement. */
export async function loadMessages(db: Db, jobs: readonly DispatchJob[]): Promise<Map<string, OutboxMessage>> {
  if (jobs.length === 0) return new Map();
  const rows = await db.selectFrom('notifyMessages').select(['id', 'channel', 'status', 'recipient', 'subject', 'body', 'concatRef'])
    .where(sql<boolean>`id = ANY(${[...new Set(jobs.map((j) => j.messageId))]}::uuid[])`).execute();
  return new Map(rows.map((m) => [m.id, m]));
}

/**
 * Hands one claimed message to its gateway. Never throws: a failure is a result, permanent (not
 * retried), transient (retried with back-off) or, on the job's last attempt, technical.
 */
export async function sendMessage(gateways: DispatchGateways, job: DispatchJob, m: OutboxMessage | undefined): Promise<DispatchResult> {
  if (!m || m.status !== 'queued' || !m.recipient || (m.channel !== 'sms' && m.channel !== 'email')) return { job, outcome: 'skipped' };
  try {
    if (m.channel === 'sms') {
      const gw = gateways.sms;
      if (!gw) throw new GatewayError('transient', 'no_gateway', 'no SMS gateway configured');
      const sent = await gw.send({ to: m.recipient, text: m.body, dedupeKey: dedupeKeyOf(m.id), concatRef: m.concatRef });
      return { job, outcome: 'sent', handed: { provider: gw.name, status: 'sending', refs: sent.providerRefs, parts: sent.parts, encoding: sent.encoding } };
    }
    const gw = gateways.email;
    if (!gw) throw new GatewayError('transient', 'no_gateway', 'no email gateway configured');
    const sent = await gw.send({ to: m.recipient, subject: m.subject ?? '', text: m.body, html: htmlFromText(m.body), messageId: emailMessageId(m.id, gateways.emailDomain) });
    // SMTP has no delivery receipts: acceptance by the relay is final ("sent").
    return { job, outcome: 'sent', handed: { provider: gw.name, status: 'sent', refs: [sent.providerRef], parts: null, encoding: null } };
  } catch (err) {
    const ge = err instanceof GatewayError ? err : new GatewayError('transient', 'internal', (err as Error)?.message ?? String(err));
    if (ge.kind === 'permanent') return { job, outcome: 'failed', status: 'permanent_failure', err: ge };
    if (job.retryCount >= job.retryLimit) return { job, outcome: 'failed', status: 'technical_failure', err: ge };
    return { job, outcome: 'retry', status: null, err: ge };
  }
}

/**
 * Records a group of results in one transaction: hand-overs, failures and retries with their
 * history, part ids and early receipts, and the jobs' completion or return to the queue (`settle`).
 */
export async function recordResults(db: Db, results: readonly DispatchResult[], settle: SettleJobs): Promise<void> {
  if (results.length === 0) return;
  await db.transaction().execute(async (tx) => {
    await recordHandovers(tx, results.flatMap((r) => (r.outcome === 'sent' ? [{ messageId: r.job.messageId, attempt: r.job.retryCount + 1, ...r.handed }] : [])));
    await recordFailures(tx, results.flatMap((r) => (r.outcome === 'failed' || r.outcome === 'retry' ? [{ messageId: r.job.messageId, attempt: r.job.retryCount + 1, status: r.status, err: r.err }] : [])));
    await settle(tx, {
      complete: results.filter((r) => r.outcome !== 'retry').map((r) => r.job.jobId),
      retry: results.flatMap((r) => (r.outcome === 'retry' ? [{ jobId: r.job.jobId, error: errText(r.err) }] : [])),
    });
  });
}

/**
 * Moves the messages still `queued` to `sending` (SMS) or `sent` (email), with their history and
 * part ids, and takes the receipts that overtook them, in one statement. (Two records never share
 * a message: each holds its messages' jobs. A receipt batch only locks messages already past
 * `queued`, which this statement leaves alone.)
 */
async function recordHandovers(tx: Tx, items: (Handed & { messageId: string; attempt: number })[]): Promise<void> {
  if (items.length === 0) return;
  const now = new Date();
  const parts = items.filter((i) => i.status === 'sending').flatMap((i) => i.refs.map((ref, n) => ({ messageId: i.messageId, provider: i.provider, ref, part: n + 1 })));
  const early = await sql<{ provider: string; providerRef: string; state: PartState; detail: string | null; receivedAt: Date }>`
    WITH v AS (
      SELECT * FROM unnest(${items.map((i) => i.messageId)}::uuid[], ${items.map((i) => i.status)}::text[], ${items.map((i) => i.provider)}::text[],
        ${items.map((i) => i.attempt)}::int[], ${items.map((i) => i.parts)}::int[], ${items.map((i) => i.encoding)}::text[],
        ${items.map((i) => clip(`attempt ${i.attempt}: accepted by ${i.provider} (${i.refs.join(', ')})`))}::text[])
        AS v(id, status, provider, attempt, parts, encoding, detail)
    ), moved AS (
      UPDATE notify_messages m SET status = v.status, provider = v.provider, sent_at = ${now}::timestamptz, attempts = v.attempt, error = NULL,
        updated_at = ${now}::timestamptz, done_at = CASE WHEN v.status = 'sent' THEN ${now}::timestamptz ELSE m.done_at END,
        sms_parts = coalesce(v.parts, m.sms_parts), sms_encoding = coalesce(v.encoding, m.sms_encoding)
      FROM v
      WHERE m.id = v.id AND m.status = 'queued'
      RETURNING m.id
    ), history AS (
      INSERT INTO notify_message_events (message_id, status, detail) SELECT v.id, v.status, v.detail FROM v JOIN moved USING (id)
    ), p AS (
      SELECT * FROM unnest(${parts.map((p) => p.messageId)}::uuid[], ${parts.map((p) => p.provider)}::text[], ${parts.map((p) => p.ref)}::text[],
        ${parts.map((p) => p.part)}::int[]) AS p(message_id, provider, provider_ref, part)
      WHERE p.message_id IN (SELECT id FROM moved)
    ), refs AS (
      INSERT INTO notify_provider_refs (provider, provider_ref, message_id, part) SELECT provider, provider_ref, message_id, part FROM p
      ON CONFLICT (provider, provider_ref) DO NOTHING
    )
    DELETE FROM notify_pending_receipts r USING p WHERE r.provider = p.provider AND r.provider_ref = p.provider_ref
    RETURNING r.provider, r.provider_ref, r.state, r.detail, r.received_at`.execute(tx);
  // Receipts that overtook this record are applied now (their parts were just written), oldest first.
  const rows = [...early.rows].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  for (const provider of new Set(rows.map((r) => r.provider))) {
    await applyReceiptsIn(tx, provider, rows.filter((r) => r.provider === provider).map((r) => ({ providerRef: r.providerRef, state: r.state, detail: r.detail ?? '' })));
  }
}

/**
 * Final failures (`status` set) are recorded once, on a message still `queued`; transient ones
 * (`status` null) count the attempt and keep the message queued for the retry. One statement.
 */
async function recordFailures(tx: Tx, items: { messageId: string; attempt: number; status: NotifyStatus | null; err: GatewayError }[]): Promise<void> {
  if (items.length === 0) return;
  const now = new Date();
  await sql`
    WITH v AS (
      SELECT * FROM unnest(${items.map((i) => i.messageId)}::uuid[], ${items.map((i) => i.status)}::text[], ${items.map((i) => clip(errText(i.err)))}::text[],
        ${items.map((i) => i.attempt)}::int[], ${items.map((i) => clip(`attempt ${i.attempt}: ${errText(i.err)}`))}::text[]) AS v(id, status, error, attempt, detail)
    ), moved AS (
      UPDATE notify_messages m SET status = coalesce(v.status, m.status), error = v.error, attempts = v.attempt, updated_at = ${now}::timestamptz,
        done_at = CASE WHEN v.status IS NULL THEN m.done_at ELSE ${now}::timestamptz END
      FROM v
      WHERE m.id = v.id AND m.status = 'queued'
      RETURNING m.id
    )
    INSERT INTO notify_message_events (message_id, status, detail) SELECT v.id, coalesce(v.status, 'retry'), v.detail FROM v JOIN moved USING (id)`.execute(tx);
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
  return (await applyReceipts(db, provider, [r]))[0]!;
}

/**
 * Applies receipts in one transaction, in the order given (the same result as one transaction
 * each), with a handful of statements whatever their number. Returns each receipt's outcome.
 */
export async function applyReceipts(db: Db, provider: string, receipts: readonly DeliveryReceipt[]): Promise<ReceiptOutcome[]> {
  if (receipts.length === 0) return [];
  return db.transaction().execute((tx) => applyReceiptsIn(tx, provider, receipts));
}

async function applyReceiptsIn(tx: Tx, provider: string, receipts: readonly DeliveryReceipt[]): Promise<ReceiptOutcome[]> {
  const refs = [...new Set(receipts.map((r) => r.providerRef))];
  const known = await tx.selectFrom('notifyProviderRefs').select(['providerRef', 'messageId'])
    .where('provider', '=', provider).where(sql<boolean>`provider_ref = ANY(${refs}::text[])`).execute();
  const messageOf = new Map(known.map((k) => [k.providerRef, k.messageId]));
  const outcomes: ReceiptOutcome[] = receipts.map((r) => (messageOf.has(r.providerRef) ? 'ignored' : 'unknown'));
  const unknown = receipts.filter((r) => !messageOf.has(r.providerRef));
  if (unknown.length) {
    await tx.insertInto('notifyPendingReceipts').values(unknown.map((r) => ({ provider, providerRef: r.providerRef, state: r.state, detail: r.detail })))
      .onConflict((oc) => oc.columns(['provider', 'providerRef', 'state']).doNothing()).execute();
  }
  const messageIds = [...new Set(known.map((k) => k.messageId))].sort();
  if (messageIds.length === 0) return outcomes;
  // The message rows serialise receipts for their parts. Locked in id order, so that two receipt
  // batches never wait for each other in a circle.
  const msgs = await tx.selectFrom('notifyMessages').select(['id', 'status']).where(sql<boolean>`id = ANY(${messageIds}::uuid[])`).orderBy('id').forUpdate().execute();
  const status = new Map(msgs.map((m) => [m.id, m.status]));
  const allParts = await tx.selectFrom('notifyProviderRefs').select(['messageId', 'provider', 'providerRef', 'part', 'state'])
    .where(sql<boolean>`message_id = ANY(${messageIds}::uuid[])`).orderBy('messageId').orderBy('part').execute();
  const partsOf = new Map<string, typeof allParts>();
  for (const p of allParts) partsOf.set(p.messageId, [...(partsOf.get(p.messageId) ?? []), p]);

  const changedParts = new Map<string, PartState>();
  const moved = new Map<string, NotifyStatus>();
  const events: { messageId: string; status: string; detail: string }[] = [];
  receipts.forEach((r, i) => {
    const messageId = messageOf.get(r.providerRef)!;
    const current = status.get(messageId);
    const parts = partsOf.get(messageId) ?? [];
    const part = parts.find((p) => p.provider === provider && p.providerRef === r.providerRef);
    if (!current || !part) return;
    const next = nextPartState(part.state, r.state);
    if (!next) return;
    part.state = next;
    changedParts.set(r.providerRef, next);
    outcomes[i] = 'applied';
    const computed = messageStateFromParts(parts.map((p) => p.state));
    const detail = clip(`${parts.length > 1 ? `part ${part.part}/${parts.length}: ` : ''}${r.detail}`);
    if (canMove(current, computed)) {
      status.set(messageId, computed);
      moved.set(messageId, computed);
      events.push({ messageId, status: computed, detail });
    } else {
      events.push({ messageId, status: 'receipt', detail });
    }
  });
  const now = new Date();
  if (changedParts.size) {
    await sql`
      UPDATE notify_provider_refs p SET state = v.state, updated_at = ${now}::timestamptz
      FROM unnest(${[...changedParts.keys()]}::text[], ${[...changedParts.values()]}::text[]) AS v(ref, state)
      WHERE p.provider = ${provider} AND p.provider_ref = v.ref`.execute(tx);
  }
  if (moved.size) {
    await sql`
      UPDATE notify_messages m SET status = v.status, done_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
      FROM unnest(${[...moved.keys()]}::uuid[], ${[...moved.values()]}::text[]) AS v(id, status)
      WHERE m.id = v.id`.execute(tx);
  }
  if (events.length) await tx.insertInto('notifyMessageEvents').values(events).execute();
  return outcomes;
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
