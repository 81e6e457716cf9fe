import { createHash } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';

/** Who did it and from where: taken from the request by the route. */
export interface AuditContext {
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
/** Serialises writers to the chain; held until the writer's transaction ends. */
const CHAIN_LOCK = 0x6d6f7463; // "motc"

/** JSON with sorted keys, so the hash does not depend on key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface HashedFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export function rowHash(prevHash: string, r: HashedFields): string {
  const body = canonicalJson({
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    ip: r.ip,
    requestId: r.requestId,
    details: r.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one event to the hash-chained audit log inside the caller's transaction, so the
 * record exists exactly when the change it describes does.
 */
/** Audit rows of a transaction run with `withDeferredAudit`, written together just before it commits. */
const deferred = new WeakMap<Tx, { ctx: AuditContext; entry: AuditEntry; at: Date }[]>();

/**
 * Appends an audit row to the hash chain in the caller's transaction (it commits or rolls back
 * with the change it records). Inside `withDeferredAudit` the row is written at the end of that
 * transaction instead, so the chain's lock is held only for its last statements.
 */
export async function writeAudit(tx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  // Millisecond precision, so the stored time hashes the same when read back.
  const at = new Date(Math.floor(Date.now()));
  const queue = deferred.get(tx);
  if (queue) queue.push({ ctx, entry, at });
  else await appendRows(tx, [{ ctx, entry, at }]);
}

/**
 * Runs `work` in `tx` with its audit rows written after it, in one go: the chain's lock (one
 * for the whole log) is then taken at the very end of the transaction. `work` must be the last
 * thing the transaction does before it commits. `then` may give one more write to make after
 * `work` (e.g. storing its answer): it is sent in the same statement as the lock.
 */
export async function withDeferredAudit<T>(tx: Tx, work: () => Promise<T>, then?: (result: T) => CompiledQuery | null): Promise<T> {
  const queue: { ctx: AuditContext; entry: AuditEntry; at: Date }[] = [];
  deferred.set(tx, queue);
  try {
    const result = await work();
    deferred.delete(tx);
    const write = then?.(result) ?? null;
    if (queue.length) await appendRows(tx, queue, write);
    else if (write) await tx.executeQuery(write);
    return result;
  } finally {
    deferred.delete(tx);
  }
}

/**
 * The hash of the last row this process put on the chain: its probable head. Only a guess (other
 * processes write to the chain too, and a transaction may roll back): the INSERT checks it under
 * the lock and writes nothing when it is wrong, and the head is then read.
 */
let guessedHead: string | null = null;

function chained(prevHash: string, rows: { ctx: AuditContext; entry: AuditEntry; at: Date }[]) {
  let prev = prevHash;
  return rows.map(({ ctx, entry, at }) => {
    const details = JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>;
    const fields: HashedFields = {
      at,
      actorId: ctx.actorId,
      actorName: ctx.actorName,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      ip: ctx.ip,
      requestId: ctx.requestId,
      details,
    };
    const hash = rowHash(prev, fields);
    const row = { ...fields, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

async function appendRows(tx: Tx, rows: { ctx: AuditContext; entry: AuditEntry; at: Date }[], before: CompiledQuery | null = null): Promise<void> {
  if (before) {
    // `before` as a data-modifying CTE of the lock's statement: one round trip for both.
    await tx.executeQuery(CompiledQuery.raw(`WITH w AS (${before.sql}) SELECT pg_advisory_xact_lock($${before.parameters.length + 1})`, [...before.parameters, CHAIN_LOCK]));
  } else await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
  // Read after the lock is held (this statement's snapshot is newer than the last writer's commit).
  const guess = guessedHead;
  if (guess !== null) {
    // The rows on the guessed head, only if it is the head: one statement instead of two.
    const values = chained(guess, rows);
    const json = JSON.stringify(values.map((v) => ({
      at: v.at.toISOString(), actor_id: v.actorId, actor_name: v.actorName, action: v.action, object_type: v.objectType, object_id: v.objectId,
      ip: v.ip, request_id: v.requestId, details: v.details, prev_hash: v.prevHash, hash: v.hash,
    })));
    const r = await sql`
      INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, ip, request_id, details, prev_hash, hash)
      SELECT x.at, x.actor_id, x.actor_name, x.action, x.object_type, x.object_id, x.ip, x.request_id, x.details, x.prev_hash, x.hash
      FROM ROWS FROM (json_to_recordset(${json}::json) AS (at timestamptz, actor_id uuid, actor_name text, action text, object_type text,
        object_id text, ip text, request_id text, details jsonb, prev_hash text, hash text)) WITH ORDINALITY
        AS x(at, actor_id, actor_name, action, object_type, object_id, ip, request_id, details, prev_hash, hash, n)
      WHERE coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${GENESIS}) = ${guess}
      ORDER BY x.n`.execute(tx);
    if (Number(r.numAffectedRows ?? 0) === values.length) {
      guessedHead = values[values.length - 1]!.hash;
      return;
    }
  }
  const last = await tx.selectFrom('auditLog').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const values = chained(last?.hash ?? GENESIS, rows);
  // One statement; rows get their sequence numbers in the order listed.
  await tx.insertInto('auditLog').values(values.map((v) => ({ ...v, details: JSON.stringify(v.details) }))).execute();
  guessedHead = values[values.length - 1]!.hash;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** Sequence number of the first row whose link or content does not match. */
  brokenAt: number | null;
}

/** Walks the whole chain in order, recomputing every hash. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<ChainReport> {
  let prev = GENESIS;
  let after = '0';
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batch)
      .execute();
    if (rows.length === 0) return { ok: true, checked, brokenAt: null };
    for (const r of rows) {
      const expected = rowHash(prev, r as unknown as HashedFields);
      if (r.prevHash !== prev || r.hash !== expected) return { ok: false, checked, brokenAt: Number(r.seq) };
      prev = r.hash;
      checked++;
      after = r.seq;
    }
  }
}
