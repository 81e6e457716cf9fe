import type { Db } from '../db/database.ts';
import { writeAudit } from '../modules/audit/index.ts';
import { hashPassword, type Sealer } from '../modules/identity/index.ts';
import { DEMO_CITIZEN, DEMO_OFFICIALS } from './demo-accounts.ts';
import { DEMO_AGENCIES } from './demo-province.ts';
import { seedDemoProcedures } from './demo-procedures.ts';
import { seedDemoResultTemplates } from './demo-result-templates.ts';
import { seedDemoSigning } from '../modules/signing/index.ts';

/**
 * Loads the demo province (agencies, demo citizen, one demo official per role), once:
 * a database that already has the demo province is left as it is.
 */
export async function seedDemo(db: Db, sealer: Sealer): Promise<{ seeded: boolean }> {
  const exists = await db.selectFrom('agencies').select('id').where('code', '=', DEMO_AGENCIES[0]!.code).executeTakeFirst();
  // The demo catalogue came later than the province: an existing demo database gets it too.
  if (exists) {
    const changed = [await seedDemoProcedures(db), (await seedDemoSigning(db, sealer)) > 0, (await seedDemoResultTemplates(db)) > 0];
    return { seeded: changed.some(Boolean) };
  }
  const citizenHash = await hashPassword(DEMO_CITIZEN.password);
  const officialHash = await hashPassword(DEMO_OFFICIALS[0]!.password);
  await db.transaction().execute(async (tx) => {
    const ids = new Map<string, string>();
    for (const a of DEMO_AGENCIES) {
      const row = await tx.insertInto('agencies').values({
        code: a.code, name: a.name, nameEn: a.nameEn, shortName: a.shortName, level: a.level,
        parentId: a.parent ? ids.get(a.parent)! : null, address: a.address ?? null, phone: a.phone ?? null,
        validFrom: a.validFrom, validTo: a.validTo ?? null,
      }).returning('id').executeTakeFirstOrThrow();
      ids.set(a.code, row.id);
    }
    for (const a of DEMO_AGENCIES.filter((x) => x.successor)) {
      await tx.updateTable('agencies').set({ successorId: ids.get(a.successor!)! }).where('code', '=', a.code).execute();
    }
    await tx.insertInto('users').values({
      kind: 'citizen', fullName: DEMO_CITIZEN.fullName, phone: DEMO_CITIZEN.phone, email: DEMO_CITIZEN.email, passwordHash: citizenHash,
    }).execute();
    for (const o of DEMO_OFFICIALS) {
      const u = await tx.insertInto('users').values({
        kind: 'official', fullName: o.fullName, email: o.email, passwordHash: officialHash,
        totpSecretEnc: sealer.seal(o.totpSecret), totpEnrolledAt: new Date(),
      }).returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('officialRoles').values({ userId: u.id, agencyId: ids.get(o.agencyCode)!, role: o.role }).execute();
    }
    await writeAudit(tx, { actorId: null, actorName: 'system', ip: null, requestId: null }, {
      action: 'seed.demo', details: { agencies: DEMO_AGENCIES.length, officials: DEMO_OFFICIALS.length },
    });
  });
  await seedDemoProcedures(db);
  // The demo CA and a certificate for every agency that receives or resolves procedures.
  await seedDemoSigning(db, sealer);
  await seedDemoResultTemplates(db);
  return { seeded: true };
}
