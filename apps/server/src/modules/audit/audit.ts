import { createHash } from 'node:crypto';
import { sql } from 'kysely';
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
 * thing the transaction does before it commits.
 */
export async function withDeferredAudit<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  const queue: { ctx: AuditContext; entry: AuditEntry; at: Date }[] = [];
  deferred.set(tx, queue);
  try {
    const result = await work();
    deferred.delete(tx);
    if (queue.length) await appendRows(tx, queue);
    return result;
  } finally {
    deferred.delete(tx);
  }
}

async function appendRows(tx: Tx, rows: { ctx: AuditContext; entry: AuditEntry; at: Date }[]): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
  const last = await tx.selectFrom('auditLog').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS;
  const values = rows.map(({ ctx, entry, at }) => {
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
    const hash = rowHash(prevHash, fields);
    const row = { ...fields, details: JSON.stringify(details), prevHash, hash };
    prevHash = hash;
    return row;
  });
  // One statement; rows get their sequence numbers in the order listed.
  await tx.insertInto('auditLog').values(values).execute();
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
