// The hash-chained audit log as the ceilings write it: the same rows, the same lock, the same
// chain as apps/server/src/modules/audit/audit.ts (so `audit-verify` still passes after a bench
// run), in as few statements as a bare handler needs.
import { createHash } from 'node:crypto';

const GENESIS = '0'.repeat(64);
/** The advisory lock our server takes to serialise writers to the chain ("motc"). */
export const CHAIN_LOCK = 0x6d6f7463;

/** JSON with sorted keys (jsonb reorders keys), as canonicalJson in audit.ts. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function rowHash(prevHash, r) {
  const body = canonicalJson({
    at: r.at.toISOString(), actorId: r.actorId, actorName: r.actorName, action: r.action,
    objectType: r.objectType, objectId: r.objectId, ip: r.ip, requestId: r.requestId, details: r.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends `entries` ({actorId, actorName, action, objectType, objectId, ip, requestId, details})
 * to the chain inside the open transaction of `client`: the lock, the last hash, one INSERT
 * (3 round trips however many rows). Call it last before COMMIT: the lock is held until then.
 */
export async function appendAudit(client, entries) {
  await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  let prev = (await client.query('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0]?.hash ?? GENESIS;
  const at = new Date();
  const values = [];
  const rows = entries.map((e) => {
    const r = { at, actorId: null, actorName: null, objectType: null, objectId: null, ip: null, requestId: null, details: {}, ...e };
    const hash = rowHash(prev, r);
    const n = values.length;
    values.push(r.at, r.actorId, r.actorName, r.action, r.objectType, r.objectId, r.ip, r.requestId, JSON.stringify(r.details), prev, hash);
    prev = hash;
    return `(${Array.from({ length: 11 }, (_, i) => `$${n + i + 1}`).join(', ')})`;
  });
  await client.query(
    `INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, ip, request_id, details, prev_hash, hash) VALUES ${rows.join(', ')}`,
    values,
  );
}
