/**
 * Fees on a dossier (phí, lệ phí): copied once from the procedure's fee items, each settled by
 * one payment or lifted by an exemption; and the workflow gate that refuses to move a dossier past
 * the point where an item had to be paid.
 */
import { sql, type Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { DossierFeesTable } from '../../db/schema.ts';
import { conflict, fieldError, type AppError } from '../../http/errors.ts';
import type { ActionEvent, DossierHooks } from '../dossier/index.ts';

export type FeeRow = Selectable<DossierFeesTable>;
export type FeeStage = FeeRow['payableWhen'];

export const vndOf = (v: string | number | bigint) => Number(v);
export const formatVnd = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

export const isDue = (f: FeeRow) => vndOf(f.amountVnd) > 0 && !f.paymentId && !f.exemptedAt;

export function feeStatus(f: FeeRow): 'due' | 'paid' | 'exempted' | 'free' {
  if (f.paymentId) return 'paid';
  if (f.exemptedAt) return 'exempted';
  return vndOf(f.amountVnd) > 0 ? 'due' : 'free';
}

export async function listFees(db: DbOrTx, dossierId: string): Promise<FeeRow[]> {
  return db.selectFrom('dossierFees').selectAll().where('dossierId', '=', dossierId).orderBy('sortOrder').execute();
}

/**
 * The dossier's fee items, copied from its procedure the first time they are asked for (or at
 * submission). Copied once: a concurrent first ask waits on the snapshot row and then reads.
 */
export async function ensureFees(db: DbOrTx, dossier: { id: string; procedureId: string }): Promise<FeeRow[]> {
  const known = await db.selectFrom('dossierFeeSnapshots').select('dossierId').where('dossierId', '=', dossier.id).executeTakeFirst();
  if (known) return listFees(db, dossier.id);
  const copy = async (tx: Tx) => {
    const taken = await tx.insertInto('dossierFeeSnapshots').values({ dossierId: dossier.id })
      .onConflict((oc) => oc.column('dossierId').doNothing()).returning('dossierId').executeTakeFirst();
    if (taken) {
      const items = await tx.selectFrom('procedureFees').selectAll().where('procedureId', '=', dossier.procedureId).orderBy('sortOrder').execute();
      if (items.length > 0)
        await tx.insertInto('dossierFees').values(items.map((f, i) => ({
          dossierId: dossier.id, procedureFeeId: f.id, sortOrder: i, name: f.name, amountVnd: f.amountVnd,
          payableOnline: f.payableOnline, payableWhen: f.payableWhen as FeeStage,
        }))).execute();
    }
    return listFees(tx, dossier.id);
  };
  return db.isTransaction ? copy(db as Tx) : (db as Exclude<DbOrTx, Tx>).transaction().execute(copy);
}

/**
 * `ensureFees` without reading anything back, in one statement: the snapshot row, and the items
 * copied when this call took it (a dossier already copied, or being copied, is left as it is).
 */
export async function copyFeesOnce(tx: Tx, dossier: { id: string; procedureId: string }): Promise<void> {
  await sql`
    WITH s AS (INSERT INTO dossier_fee_snapshots (dossier_id) VALUES (${dossier.id}) ON CONFLICT (dossier_id) DO NOTHING RETURNING dossier_id)
    INSERT INTO dossier_fees (dossier_id, procedure_fee_id, sort_order, name, amount_vnd, payable_online, payable_when)
    SELECT s.dossier_id, f.id, (row_number() OVER (ORDER BY f.sort_order) - 1)::int, f.name, f.amount_vnd, f.payable_online, f.payable_when
    FROM s, procedure_fees f WHERE f.procedure_id = ${dossier.procedureId} ORDER BY f.sort_order`.execute(tx);
}

/** The gates: which stages must be paid before an action. */
export function gateFor(e: Pick<ActionEvent, 'type' | 'before'>): { stages: FeeStage[]; action: 'receive' | 'forward' | 'return_result' } | null {
  if (e.type === 'receive' && e.before.view.status === 'submitted') return { stages: ['before_reception'], action: 'receive' };
  if (e.type === 'forward' && e.before.view.stepIndex === 0) return { stages: ['before_reception', 'before_processing'], action: 'forward' };
  if (e.type === 'return_result') return { stages: ['before_reception', 'before_processing', 'before_result'], action: 'return_result' };
  return null;
}

const ACTION_TEXT = {
  receive: { vi: 'tiếp nhận hồ sơ', en: 'the dossier can be received' },
  forward: { vi: 'chuyển xử lý', en: 'the dossier can go on to processing' },
  return_result: { vi: 'trả kết quả', en: 'the result can be returned' },
} as const;

export function feeUnpaid(unpaid: FeeRow[], action: keyof typeof ACTION_TEXT): AppError {
  const total = unpaid.reduce((s, f) => s + vndOf(f.amountVnd), 0);
  const names = unpaid.map((f) => f.name).join('; ');
  return conflict('fee_unpaid', {
    vi: `Hồ sơ chưa nộp đủ phí, lệ phí phải nộp trước khi ${ACTION_TEXT[action].vi}: ${names} (còn ${formatVnd(total)}). Hãy thu phí hoặc ghi nhận miễn phí trước.`,
    en: `Fees due before ${ACTION_TEXT[action].en} are unpaid: ${names} (${formatVnd(total)} outstanding). Take the payment or record an exemption first.`,
  });
}

/** Registers the payment module's reactions to dossier actions: the fee gates, and the snapshot at submission. */
export function registerFeeHooks(hooks: DossierHooks): void {
  hooks.before.push(async (e) => {
    const gate = gateFor(e);
    if (!gate) return;
    const fees = await ensureFees(e.tx, { id: e.before.row.id, procedureId: e.before.row.procedureId });
    const unpaid = fees.filter((f) => isDue(f) && gate.stages.includes(f.payableWhen));
    if (unpaid.length > 0) throw feeUnpaid(unpaid, gate.action);
  });
  hooks.after.push(async (e) => {
    if (e.type === 'submit') await copyFeesOnce(e.tx, { id: e.before.row.id, procedureId: e.before.row.procedureId });
  });
}

/**
 * The items a payment will cover: the requested ones (each must be due, and payable online when
 * `online`), or by default every due item (payable online when `online`).
 * @throws AppError 400 unknown or settled item, 409 nothing to pay.
 */
export function pickFees(fees: FeeRow[], requested: string[] | undefined, online: boolean): FeeRow[] {
  if (requested) {
    const ids = [...new Set(requested)];
    const chosen = ids.map((id) => fees.find((f) => f.id === id));
    const bad = ids.filter((_, i) => !chosen[i] || !isDue(chosen[i]!) || (online && !chosen[i]!.payableOnline));
    if (bad.length > 0)
      throw fieldError('body.feeIds', `Khoản phí không tồn tại, đã nộp, được miễn hoặc không nộp trực tuyến được: ${bad.join(', ')}`,
        `Unknown, already settled, exempted or not payable online: ${bad.join(', ')}`);
    return chosen as FeeRow[];
  }
  const due = fees.filter((f) => isDue(f) && (!online || f.payableOnline));
  if (due.length === 0)
    throw conflict('nothing_to_pay', online && fees.some(isDue)
      ? { vi: 'Các khoản phí còn lại không nộp trực tuyến được; vui lòng nộp tại bộ phận một cửa.', en: 'The remaining fees cannot be paid online; please pay at the counter.' }
      : { vi: 'Hồ sơ không còn khoản phí nào phải nộp.', en: 'Nothing is left to pay on this dossier.' });
  return due;
}
