/**
 * A small certificate authority for the demo and for tests: ECDSA P-256 keys (generated in well
 * under a millisecond, where RSA-2048 takes about 200 ms here), SHA-256 signatures. Real agency
 * certificates come from a licensed CA and are uploaded as PKCS#12.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { encodeName, issueCertificate, type DistinguishedName } from './x509.ts';

export interface Authority {
  name: DistinguishedName;
  certificate: Buffer;
  privateKey: KeyObject;
}

export interface Issued {
  certificate: Buffer;
  privateKey: KeyObject;
}

const DAY = 86_400_000;

export function newKey(kind: 'ec' | 'rsa' = 'ec'): KeyObject {
  return kind === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** A self-signed root valid from a day before `now` for `years`. */
export function createAuthority(name: DistinguishedName, o: { now?: Date; years?: number; key?: KeyObject } = {}): Authority {
  const now = o.now ?? new Date();
  const privateKey = o.key ?? newKey();
  const certificate = issueCertificate({
    subject: name, publicKey: createPublicKey(privateKey), selfSignKey: privateKey,
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + (o.years ?? 10) * 365 * DAY),
    ca: true, keyUsage: ['keyCertSign', 'cRLSign'],
  });
  return { name, certificate, privateKey };
}

/** A document-signing certificate (digital signature, non-repudiation) issued by `ca`. */
export function issueSigningCertificate(
  ca: Authority,
  subject: DistinguishedName,
  o: { notBefore?: Date; notAfter?: Date; key?: KeyObject; ca?: boolean } = {},
): Issued {
  const now = Date.now();
  const privateKey = o.key ?? newKey();
  const certificate = issueCertificate({
    subject, publicKey: createPublicKey(privateKey),
    issuer: { name: encodeName(ca.name), privateKey: ca.privateKey, publicKey: createPublicKey(ca.privateKey) },
    notBefore: o.notBefore ?? new Date(now - DAY), notAfter: o.notAfter ?? new Date(now + 3 * 365 * DAY),
    ca: o.ca ?? false, keyUsage: o.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation'],
  });
  return { certificate, privateKey };
}
