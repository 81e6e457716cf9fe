import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import { canonicalJson, withDeferredAudit } from '../modules/audit/index.ts';
import { AppError, conflict } from './errors.ts';

export interface Answer {
  status: number;
  body: unknown;
}

const keyReused = () =>
  new AppError(422, 'idempotency_key_reused', {
    vi: 'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    en: 'This Idempotency-Key was already used for a different request.',
  });

/**
 * Runs `work` in a transaction at most once per (user, key): the key row is inserted first in the
 * same transaction, so a concurrent duplicate waits on it and then replays the stored answer; the
 * same key with a different body is refused. Without a key, just runs the work.
 */
export async function idempotent(
  db: Db,
  opts: { userId: string; key: string | undefined; route: string; body: unknown },
  work: (tx: Tx) => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  if (!opts.key) return { ...(await db.transaction().execute((tx) => withDeferredAudit(tx, () => work(tx)))), replayed: false };
  if (!/^[\x21-\x7e]{8,200}$/.test(opts.key))
    throw new AppError(400, 'validation_failed', { vi: 'Idempotency-Key không hợp lệ (8–200 ký tự).', en: 'Invalid Idempotency-Key (8–200 printable characters).' }, [
      { path: 'headers.idempotency-key', message: { vi: 'Cần 8–200 ký tự in được.', en: 'Needs 8–200 printable characters.' } },
    ]);
  const requestHash = createHash('sha256').update(opts.route).update('\n').update(canonicalJson(opts.body)).digest('hex');
  const replay = async (): Promise<Answer & { replayed: boolean }> => {
    const row = await db.selectFrom('idempotencyKeys').selectAll().where('userId', '=', opts.userId).where('key', '=', opts.key!).executeTakeFirst();
    if (!row) throw conflict('idempotency_in_progress', { vi: 'Yêu cầu đang được xử lý, vui lòng thử lại.', en: 'The request is being processed; retry shortly.' });
    if (row.requestHash !== requestHash || row.route !== opts.route) throw keyReused();
    return { status: row.status, body: row.response, replayed: true };
  };
  try {
    // The answer is stored after the work, and the audit rows go last (the answer's UPDATE
    // travels with the audit chain's lock), so that lock is held only while committing.
    const done = await db.transaction().execute((tx) => withDeferredAudit(tx, async () => {
      // A key already used (or being used: this waits for that transaction) takes nothing and replays.
      const fresh = await sql`
        INSERT INTO idempotency_keys (user_id, key, route, request_hash, status, response) VALUES (${opts.userId}, ${opts.key}, ${opts.route}, ${requestHash}, 0, 'null')
        ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`.execute(tx);
      if (fresh.rows.length === 0) return null;
      return { ...(await work(tx)), replayed: false };
    }, (answer) => answer && sql`UPDATE idempotency_keys SET status = ${answer.status}, response = ${JSON.stringify(answer.body)}
      WHERE user_id = ${opts.userId} AND key = ${opts.key}`.compile(tx)));
    return done ?? (await replay());
  } catch (err) {
    if ((err as { code?: string }).code === '23505' && String((err as { constraint?: string }).constraint).startsWith('idempotency_keys')) return replay();
    throw err;
  }
}
