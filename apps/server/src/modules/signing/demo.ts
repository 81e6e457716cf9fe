import { createPrivateKey } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { createAuthority, issueSigningCertificate, parseCertificate, type Authority, type DistinguishedName } from '../../adapters/signing/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { Sealer } from '../identity/index.ts';
import { certificateRow } from './certificates.ts';

/**
 * DEMO DATA: a certificate authority that exists only in the demo, clearly named so, with no
 * legal standing. Its signatures verify as trusted only on servers that trust the demo CA
 * (SIGNING_TRUST_DEMO_CA, on with the demo seed).
 */
export const DEMO_CA_NAME: DistinguishedName = [
  ['C', 'VN'],
  ['O', 'motcua DEMO - không có giá trị pháp lý'],
  ['CN', 'motcua Demo CA (DEMO - KHÔNG DÙNG THẬT)'],
];
export const DEMO_CA_LABEL = 'motcua Demo CA (demo, không có giá trị pháp lý)';

/** Agencies that always get a demo certificate: the provincial People's Committee and the demo department. */
const ALWAYS = ['000.00.00.H56', '000.00.12.H56'];
const YEAR = 365 * 86_400_000;

/** The demo CA, created on first use; its key is kept sealed to issue certificates for agencies added later. */
export async function demoAuthority(db: Db, sealer: Sealer): Promise<Authority> {
  const row = await db.selectFrom('signingTrustAnchors').select(['certificate', 'keyEnc']).where('source', '=', 'demo').orderBy('createdAt').executeTakeFirst();
  if (row?.keyEnc) return { name: DEMO_CA_NAME, certificate: row.certificate, privateKey: createPrivateKey(sealer.open(row.keyEnc)) };
  const ca = createAuthority(DEMO_CA_NAME, { years: 10 });
  const info = parseCertificate(ca.certificate);
  await db.insertInto('signingTrustAnchors').values({
    name: DEMO_CA_LABEL, source: 'demo', certificate: ca.certificate, sha256: info.sha256, subject: info.subject, notAfter: info.notAfter,
    keyEnc: sealer.seal(ca.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
  }).onConflict((oc) => oc.doNothing()).execute();
  return ca;
}

/**
 * Gives every current demo agency that receives or resolves procedures (and always the People's
 * Committee and the demo Department of Science and Technology) an active certificate from the
 * demo CA, valid for two years. ECDSA P-256 keeps this to a few milliseconds. Returns how many
 * were issued; agencies that already have one are left alone.
 */
export async function seedDemoSigning(db: Db, sealer: Sealer): Promise<number> {
  const agencies = await db.selectFrom('agencies as a').select(['a.id', 'a.code', 'a.name'])
    .where((eb) => eb.or([eb('a.validTo', 'is', null), eb('a.validTo', '>=', sql<string>`current_date`)]))
    .where((eb) => eb.or([
      eb('a.code', 'in', ALWAYS),
      eb.exists(eb.selectFrom('procedureAgencies as pa').select('pa.agencyId').whereRef('pa.agencyId', '=', 'a.id')),
    ]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('agencyCertificates as c').select('c.id').whereRef('c.agencyId', '=', 'a.id').where('c.status', '=', 'active'))))
    .orderBy('a.code').execute();
  if (agencies.length === 0) return 0;
  let ca: Authority;
  try {
    ca = await demoAuthority(db, sealer);
  } catch {
    // The demo CA's key was sealed with another DATA_ENCRYPTION_KEY: issue nothing rather than
    // stop the start; the agencies show up in the admins' "missing certificate" warnings.
    return 0;
  }
  const now = Date.now();
  const rows = agencies.map((a) => {
    const issued = issueSigningCertificate(ca, [['C', 'VN'], ['ST', 'Khánh Hòa'], ['O', a.name], ['OU', `Mã định danh ${a.code}`], ['CN', a.name]], {
      notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 2 * YEAR),
    });
    return certificateRow(sealer, { agencyId: a.id, source: 'demo', privateKey: issued.privateKey, chain: [issued.certificate, ca.certificate], actorId: null }).row;
  });
  await db.transaction().execute(async (tx) => {
    // Only agencies without an active certificate were chosen, so nothing is retired.
    await tx.insertInto('agencyCertificates').values(rows).execute();
    await writeAudit(tx, { actorId: null, actorName: 'system', ip: null, requestId: null }, {
      action: 'seed.demo_certificates', details: { issuer: DEMO_CA_LABEL, agencies: agencies.map((a) => a.code) },
    });
  });
  return agencies.length;
}
