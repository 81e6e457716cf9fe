import type { DbOrTx } from '../../db/database.ts';

/**
 * The next dossier code for an agency and day. The counter row is bumped with one atomic
 * upsert, so concurrent receipts never share a number; the sequence restarts each local day.
 * Format placeholders: {agency} {yyMMdd} {yyyyMMdd} {seq4} {seq5}.
 */
export async function nextDossierCode(
  tx: DbOrTx,
  agency: { id: string; code: string },
  localDate: string,
  format: string,
): Promise<string> {
  const row = await tx
    .insertInto('dossierCodeCounters')
    .values({ agencyId: agency.id, day: localDate, last: 1 })
    .onConflict((oc) => oc.columns(['agencyId', 'day']).doUpdateSet((eb) => ({ last: eb('dossierCodeCounters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  const [y, m, d] = localDate.split('-') as [string, string, string];
  return format
    .replaceAll('{agency}', agency.code)
    .replaceAll('{yyMMdd}', `${y.slice(2)}${m}${d}`)
    .replaceAll('{yyyyMMdd}', `${y}${m}${d}`)
    .replaceAll('{seq4}', String(row.last).padStart(4, '0'))
    .replaceAll('{seq5}', String(row.last).padStart(5, '0'));
}
