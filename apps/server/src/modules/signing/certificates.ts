/**
 * Agency certificates (chứng thư số của cơ quan): storing an uploaded PKCS#12's key sealed and
 * its certificates, presenting them without the key, expiry warnings, and opening the key that
 * signs for an agency at a given time.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { CertificateWarning, SigningCertificate } from '@motcua/contracts';
import type { Config } from '../../config.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { AgencyCertificatesTable } from '../../db/schema.ts';
import {
  buildChain, localSigningKey, openPkcs12, parseCertificate, Pkcs12Error, splitDer, withDeadline, type CertificateInfo, type SigningKey, type TrustAnchor,
} from '../../adapters/signing/index.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import { formatDate } from '../documents/index.ts';
import type { Sealer } from '../identity/index.ts';
import { pkcs12Rejected, signingErrors } from './errors.ts';

export type CertificateRow = Selectable<AgencyCertificatesTable>;

const DAY = 86_400_000;
/** Admins are warned this many days before a certificate expires. */
export const EXPIRY_WARNING_DAYS = 30;

export interface SigningDeps {
  config: Config;
  sealer: Sealer;
}

/** The issuers stored beside a certificate (DER, one after another). */
export const splitChain = (buf: Buffer): Buffer[] => splitDer(buf);

/** The roots in force: files from SIGNING_TRUST_ANCHORS, and the demo CA while it is trusted. */
export async function trustAnchors(db: DbOrTx, config: Config): Promise<TrustAnchor[]> {
  const anchors: TrustAnchor[] = config.signing.trustAnchors.map((a) => ({ name: a.name, der: a.der, source: 'config' as const }));
  if (config.signing.trustDemoCa) {
    const demo = await db.selectFrom('signingTrustAnchors').select(['name', 'certificate']).where('source', '=', 'demo').orderBy('createdAt').execute();
    for (const d of demo) anchors.push({ name: d.name, der: d.certificate, source: 'demo' });
  }
  return anchors;
}

/** Whether a certificate (with the issuers stored beside it) chains to one of `anchors`. */
export function chainTrust(leaf: Buffer, chain: Buffer[], anchors: TrustAnchor[]): { trusted: boolean; anchor: string | null } {
  const pool = chain.map(parseCertificate);
  const parsed = anchors.map((a) => ({ info: parseCertificate(a.der), name: a.name }));
  const built = buildChain(parseCertificate(leaf), pool, parsed);
  return { trusted: built.anchor !== null, anchor: built.anchor };
}

export type PresentableRow = CertificateRow & { agencyCode: string; agencyName: string; createdByName: string | null };

export function presentCertificate(r: PresentableRow, anchors: TrustAnchor[], now = new Date()): SigningCertificate {
  const trust = chainTrust(r.certificate, splitChain(r.chain), anchors);
  const daysLeft = Math.floor((r.notAfter.getTime() - now.getTime()) / DAY);
  const expired = r.notAfter.getTime() < now.getTime();
  return {
    id: r.id,
    agency: { id: r.agencyId, code: r.agencyCode, name: r.agencyName },
    status: r.status,
    source: r.source,
    provider: r.provider,
    subject: r.subject,
    subjectCommonName: r.subjectCn,
    issuer: r.issuer,
    issuerCommonName: r.issuerCn,
    serialNumber: r.serialNumber,
    sha256: r.sha256,
    notBefore: r.notBefore.toISOString(),
    notAfter: r.notAfter.toISOString(),
    keyAlgorithm: r.keyAlgorithm,
    chainTrusted: trust.trusted,
    trustAnchor: trust.anchor,
    expired,
    daysLeft,
    expiringSoon: !expired && daysLeft <= EXPIRY_WARNING_DAYS,
    createdAt: r.createdAt.toISOString(),
    createdByName: r.createdByName,
    retiredAt: r.retiredAt?.toISOString() ?? null,
  };
}

/** Certificates with their agency and uploader, for presenting. */
export function certificateQuery(db: DbOrTx) {
  return db.selectFrom('agencyCertificates as c')
    .innerJoin('agencies as a', 'a.id', 'c.agencyId')
    .leftJoin('users as u', 'u.id', 'c.createdBy')
    .selectAll('c')
    .select(['a.code as agencyCode', 'a.name as agencyName', 'u.fullName as createdByName']);
}

/**
 * Makes `chain[0]` (with `privateKey`) the agency's active certificate, retiring the one before.
 * The key is sealed with DATA_ENCRYPTION_KEY; the PKCS#12 password is not kept.
 */
export async function storeCertificate(
  tx: Tx, sealer: Sealer,
  input: { agencyId: string; source: 'upload' | 'demo'; privateKey: KeyObject; chain: Buffer[]; actorId: string | null },
): Promise<{ id: string; info: CertificateInfo }> {
  const values = certificateRow(sealer, input);
  await tx.updateTable('agencyCertificates').set({ status: 'retired', retiredAt: new Date(), retiredBy: input.actorId })
    .where('agencyId', '=', input.agencyId).where('status', '=', 'active').execute();
  const row = await tx.insertInto('agencyCertificates').values(values.row).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, info: values.info };
}

/** The row of a new active certificate: its fields read from the DER, the key sealed. */
export function certificateRow(
  sealer: Sealer,
  input: { agencyId: string; source: 'upload' | 'demo'; privateKey: KeyObject; chain: Buffer[]; actorId: string | null },
): { row: Insertable<AgencyCertificatesTable>; info: CertificateInfo } {
  const info = parseCertificate(input.chain[0]!);
  return {
    info,
    row: {
      agencyId: input.agencyId, status: 'active', source: input.source,
      subject: info.subject, subjectCn: info.subjectCommonName, issuer: info.issuer, issuerCn: info.issuerCommonName,
      serialNumber: info.serialNumber, notBefore: info.notBefore, notAfter: info.notAfter, sha256: info.sha256,
      certificate: info.der, chain: Buffer.concat(input.chain.slice(1)), keyAlgorithm: info.keyAlgorithm === 'rsa' ? 'rsa' : 'ec',
      keyEnc: sealer.seal(input.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), createdBy: input.actorId,
    },
  };
}

/**
 * Opens an uploaded PKCS#12 and makes it the agency's signing certificate, with its audit row.
 * @throws AppError 400 for a damaged file, a wrong password, an expired, CA or non-signing
 * certificate, or an unsupported key.
 */
export async function uploadCertificate(tx: Tx, deps: SigningDeps, ctx: AuditContext, agencyId: string, file: Buffer, password: string): Promise<string> {
  let opened;
  try {
    opened = openPkcs12(file, password);
  } catch (err) {
    if (err instanceof Pkcs12Error) throw pkcs12Rejected(err.reason);
    throw err;
  }
  const info = parseCertificate(opened.chain[0]!);
  if (info.isCa) throw pkcs12Rejected('ca_certificate');
  if (info.keyUsage && !info.keyUsage.includes('digitalSignature') && !info.keyUsage.includes('nonRepudiation')) throw pkcs12Rejected('not_for_signing');
  if (info.notAfter.getTime() < Date.now()) throw pkcs12Rejected('expired');
  const { id } = await storeCertificate(tx, deps.sealer, { agencyId, source: 'upload', privateKey: opened.privateKey, chain: opened.chain, actorId: ctx.actorId });
  await writeAudit(tx, ctx, {
    action: 'certificate.uploaded', objectType: 'agency_certificate', objectId: id,
    details: { agencyId, subject: info.subject, issuer: info.issuer, serialNumber: info.serialNumber, sha256: info.sha256, notAfter: info.notAfter.toISOString() },
  });
  return id;
}

export interface AgencySigner {
  certificate: CertificateRow;
  agencyName: string;
  key: SigningKey;
}

/**
 * The key that signs for `agencyId` at `at`: its active certificate, valid then, with the
 * sealed key opened, under the configured deadline.
 * @throws AppError 409 when there is no active certificate, it is expired or not yet valid,
 * or its key cannot be opened.
 */
export async function agencySigner(db: DbOrTx, deps: SigningDeps, agencyId: string, at: Date): Promise<AgencySigner> {
  const agency = await db.selectFrom('agencies').select('name').where('id', '=', agencyId).executeTakeFirst();
  const agencyName = agency?.name ?? agencyId;
  const cert = await db.selectFrom('agencyCertificates').selectAll().where('agencyId', '=', agencyId).where('status', '=', 'active').executeTakeFirst();
  if (!cert) throw signingErrors.certificateMissing(agencyName);
  if (at.getTime() > cert.notAfter.getTime()) throw signingErrors.certificateExpired(agencyName, formatDate(cert.notAfter));
  if (at.getTime() < cert.notBefore.getTime()) throw signingErrors.certificateNotYetValid(agencyName, formatDate(cert.notBefore));
  let key: SigningKey;
  try {
    const privateKey = createPrivateKey(deps.sealer.open(cert.keyEnc ?? ''));
    key = localSigningKey(privateKey, [cert.certificate, ...splitChain(cert.chain)]);
  } catch {
    throw signingErrors.keyUnusable(agencyName);
  }
  return { certificate: cert, agencyName, key: withDeadline(key, deps.config.signing.timeoutMs) };
}

/**
 * What admins of `agencyIds` should act on: agencies that receive or resolve a published or
 * draft procedure with no active certificate, and active certificates that expire within
 * 30 days, have expired, are not valid yet or do not chain to a trust anchor.
 */
export async function certificateWarnings(db: DbOrTx, config: Config, agencyIds: string[], now = new Date()): Promise<CertificateWarning[]> {
  if (agencyIds.length === 0) return [];
  const [agencies, certs, anchors] = await Promise.all([
    db.selectFrom('agencies as a').select(['a.id', 'a.code', 'a.name'])
      .where('a.id', 'in', agencyIds)
      .where((eb) => eb.or([eb('a.validTo', 'is', null), eb('a.validTo', '>=', sql<string>`current_date`)]))
      .where((eb) => eb.exists(eb.selectFrom('procedureAgencies as pa').select('pa.agencyId').whereRef('pa.agencyId', '=', 'a.id')))
      .orderBy('a.code').execute(),
    certificateQuery(db).where('c.status', '=', 'active').where('c.agencyId', 'in', agencyIds).orderBy('c.notAfter').execute(),
    trustAnchors(db, config),
  ]);
  const out: CertificateWarning[] = [];
  const withCert = new Set(certs.map((c) => c.agencyId));
  for (const a of agencies) {
    if (withCert.has(a.id)) continue;
    out.push({
      kind: 'missing', agency: { id: a.id, code: a.code, name: a.name }, certificateId: null, notAfter: null, daysLeft: null,
      message: { vi: `${a.name} chưa có chứng thư số: không phê duyệt được hồ sơ có kết quả cần ký.`, en: `${a.name} has no certificate: dossiers whose result must be signed cannot be approved.` },
    });
  }
  for (const c of certs) {
    const p = presentCertificate(c, anchors, now);
    const base = { agency: p.agency, certificateId: p.id, notAfter: p.notAfter, daysLeft: p.daysLeft };
    const until = formatDate(c.notAfter);
    if (p.expired) out.push({ ...base, kind: 'expired', message: { vi: `Chứng thư số của ${c.agencyName} đã hết hạn ngày ${until}.`, en: `The certificate of ${c.agencyName} expired on ${until}.` } });
    else if (p.expiringSoon) out.push({ ...base, kind: 'expiring', message: { vi: `Chứng thư số của ${c.agencyName} hết hạn ngày ${until} (còn ${p.daysLeft} ngày): cần gia hạn.`, en: `The certificate of ${c.agencyName} expires on ${until} (${p.daysLeft} days left): renew it.` } });
    if (c.notBefore.getTime() > now.getTime()) out.push({ ...base, kind: 'not_yet_valid', message: { vi: `Chứng thư số của ${c.agencyName} chỉ có hiệu lực từ ngày ${formatDate(c.notBefore)}.`, en: `The certificate of ${c.agencyName} is only valid from ${formatDate(c.notBefore)}.` } });
    if (!p.chainTrusted) out.push({ ...base, kind: 'untrusted', message: { vi: `Chứng thư số của ${c.agencyName} không thuộc tổ chức cấp được tin cậy: chữ ký sẽ bị báo là không tin cậy.`, en: `The certificate of ${c.agencyName} does not chain to a trusted root: its signatures will show as untrusted.` } });
  }
  return out;
}
