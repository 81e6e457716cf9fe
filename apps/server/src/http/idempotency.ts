import { createHash } from 'node:crypto';
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
  const existing = await db.selectFrom('idempotencyKeys').select('userId').where('userId', '=', opts.userId).where('key', '=', opts.key).executeTakeFirst();
  if (existing) return replay();
  try {
    // The audit rows go last, so that the audit chain's lock is held only while committing.
    return await db.transaction().execute((tx) => withDeferredAudit(tx, async () => {
      await tx.insertInto('idempotencyKeys').values({ userId: opts.userId, key: opts.key!, route: opts.route, requestHash, status: 0, response: 'null' }).execute();
      const answer = await work(tx);
      await tx.updateTable('idempotencyKeys').set({ status: answer.status, response: JSON.stringify(answer.body) })
        .where('userId', '=', opts.userId).where('key', '=', opts.key!).execute();
      return { ...answer, replayed: false };
    }));
  } catch (err) {
    if ((err as { code?: string }).code === '23505' && String((err as { constraint?: string }).constraint).startsWith('idempotency_keys')) return replay();
    throw err;
  }
}
