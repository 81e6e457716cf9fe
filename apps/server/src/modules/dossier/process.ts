import { z } from 'zod';
import type { DbOrTx } from '../../db/database.ts';
import type { ProcessStep } from './state.ts';

export const ProcessStepSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  name: z.strictObject({ vi: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }),
  agencyId: z.uuid().nullable(),
  role: z.enum(['reception_officer', 'specialist', 'division_head', 'agency_leader']),
  sharePercent: z.number().min(1).max(100),
  returnTo: z.array(z.string()).max(20).optional(),
});

/**
 * A process is valid when its keys are unique, its shares add up to 100, its last step is the
 * leader's (who approves), and every step returns only to earlier ones.
 */
export const ProcessSchema = z
  .array(ProcessStepSchema)
  .min(1)
  .max(30)
  .superRefine((steps, ctx) => {
    const keys = steps.map((s) => s.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'duplicate step key' });
      for (const [j, r] of (steps[i]!.returnTo ?? []).entries()) {
        const target = keys.indexOf(r);
        if (target < 0 || target >= i) ctx.addIssue({ code: 'custom', path: [i, 'returnTo', j], message: 'returnTo must name an earlier step' });
      }
    });
    const sum = steps.reduce((a, s) => a + s.sharePercent, 0);
    if (Math.abs(sum - 100) > 0.001) ctx.addIssue({ code: 'custom', path: [], message: `shares add up to ${sum}, not 100` });
    if (steps[steps.length - 1]?.role !== 'agency_leader') ctx.addIssue({ code: 'custom', path: [steps.length - 1, 'role'], message: 'the last step is the leader\'s approval' });
  });

/** The usual one-stop process when a procedure has none of its own. */
export const DEFAULT_STEPS: ProcessStep[] = [
  { key: 'reception', name: { vi: 'Tiếp nhận hồ sơ', en: 'Reception' }, agencyId: null, role: 'reception_officer', sharePercent: 10 },
  { key: 'review', name: { vi: 'Thẩm định, xử lý', en: 'Review' }, agencyId: null, role: 'specialist', sharePercent: 60 },
  { key: 'check', name: { vi: 'Trưởng phòng kiểm tra', en: 'Division check' }, agencyId: null, role: 'division_head', sharePercent: 10, returnTo: ['review'] },
  { key: 'approve', name: { vi: 'Lãnh đạo phê duyệt', en: 'Leader approval' }, agencyId: null, role: 'agency_leader', sharePercent: 20, returnTo: ['review', 'check'] },
];

/** The procedure's current process version; creates version 1 with the default steps if it has none. */
export async function currentProcess(tx: DbOrTx, procedureId: string): Promise<{ id: string; version: number; steps: ProcessStep[] }> {
  const proc = await tx.selectFrom('procedures').select(['processId']).where('id', '=', procedureId).executeTakeFirstOrThrow();
  if (proc.processId) {
    const p = await tx.selectFrom('processes').select(['id', 'version', 'steps']).where('id', '=', proc.processId).executeTakeFirstOrThrow();
    return { id: p.id, version: p.version, steps: p.steps as ProcessStep[] };
  }
  return saveProcess(tx, procedureId, DEFAULT_STEPS, null);
}

/** Writes a new version (versions are never changed) and makes it the procedure's current one. */
export async function saveProcess(tx: DbOrTx, procedureId: string, steps: ProcessStep[], userId: string | null) {
  const last = await tx.selectFrom('processes').select((eb) => eb.fn.max('version').as('v')).where('procedureId', '=', procedureId).executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const row = await tx
    .insertInto('processes')
    .values({ procedureId, version, steps: JSON.stringify(steps), createdBy: userId })
    .onConflict((oc) => oc.columns(['procedureId', 'version']).doNothing())
    .returning(['id'])
    .executeTakeFirst();
  if (!row) return currentProcess(tx, procedureId); // a concurrent writer made it first
  await tx.updateTable('procedures').set({ processId: row.id }).where('id', '=', procedureId).execute();
  return { id: row.id, version, steps };
}
