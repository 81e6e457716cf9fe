/**
 * X.509 certificates: reading what an official needs to see (subject, issuer, validity, key
 * usage) from the DER, and issuing certificates for the demo certificate authority and tests.
 * Signature checks use Node's own X509Certificate.
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString, bool, child, contextTag, elementLength, explicit, nul, octets, oid, parseDer, printable, readIntegerHex, readOid, readString, readTime,
  seq, setOf, TAG, time, tlv, unsignedInt, utf8, type Asn1,
} from './der.ts';

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** Directory attribute types, short names as RFC 4514 (and Windows) print them. */
const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};
const NAME_OIDS = Object.fromEntries(Object.entries(NAME_TYPES).map(([k, v]) => [v, k]));

export type NameType = 'CN' | 'O' | 'OU' | 'L' | 'ST' | 'C' | 'SERIALNUMBER' | 'UID' | 'T' | 'E';

/** A distinguished name as an ordered list, most general first (C, ST, L, O, OU, CN). */
export type DistinguishedName = [NameType, string][];

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface CertificateInfo {
  der: Buffer;
  /** SHA-256 of the DER, lowercase hex (the certificate's fingerprint). */
  sha256: string;
  /** Serial number in uppercase hex. */
  serialNumber: string;
  /** The serial number's INTEGER element as encoded (CMS issuer-and-serial identifiers). */
  serialDer: Buffer;
  /** RFC 4514 style, most specific first: `CN=…, O=…, C=VN`. */
  subject: string;
  issuer: string;
  subjectCommonName: string | null;
  subjectOrganization: string | null;
  issuerCommonName: string | null;
  /** The Name elements as encoded, for comparisons and CMS identifiers. */
  subjectDer: Buffer;
  issuerDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** null when the certificate has no key usage extension (any use). */
  keyUsage: KeyUsage[] | null;
  keyAlgorithm: 'rsa' | 'ec' | 'other';
  subjectKeyId: string | null;
  authorityKeyId: string | null;
}

function readName(name: Asn1): { attrs: [string, string][]; text: string } {
  const attrs: [string, string][] = [];
  for (const rdn of name.children) {
    for (const atv of rdn.children) {
      const type = readOid(child(atv, 0));
      attrs.push([NAME_TYPES[type] ?? type, readString(child(atv, 1))]);
    }
  }
  const escape = (v: string) => v.replace(/([,+"\\<>;])/g, '\\$1');
  return { attrs, text: [...attrs].reverse().map(([k, v]) => `${k}=${escape(v)}`).join(', ') };
}

/**
 * Reads a certificate's fields. Does not check its signature.
 * @throws DerError when the bytes are not an X.509 certificate.
 */
export function parseCertificate(der: Buffer): CertificateInfo {
  const cert = parseDer(der);
  const bytes = cert.bytes;
  const tbs = child(cert, 0, TAG.SEQUENCE);
  let i = contextTag(child(tbs, 0)) === 0 ? 1 : 0;
  const serial = child(tbs, i++, TAG.INTEGER);
  i++; // signature algorithm (repeated outside the TBS)
  const issuer = child(tbs, i++, TAG.SEQUENCE);
  const validity = child(tbs, i++, TAG.SEQUENCE);
  const subject = child(tbs, i++, TAG.SEQUENCE);
  const spki = child(tbs, i++, TAG.SEQUENCE);
  const keyOid = readOid(child(child(spki, 0), 0));
  const s = readName(subject);
  const iss = readName(issuer);
  let isCa = false;
  let keyUsage: KeyUsage[] | null = null;
  let subjectKeyId: string | null = null;
  let authorityKeyId: string | null = null;
  const exts = tbs.children.slice(i).find((c) => contextTag(c) === 3);
  for (const ext of exts ? child(exts, 0).children : []) {
    const id = readOid(child(ext, 0));
    const value = parseDer(ext.children[ext.children.length - 1]!.content);
    if (id === OID.basicConstraints) isCa = value.children[0]?.tag === TAG.BOOLEAN && value.children[0].content[0] !== 0;
    else if (id === OID.keyUsage) {
      const bits = value.content.subarray(1);
      keyUsage = KEY_USAGE_BITS.filter((_, bit) => ((bits[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
    } else if (id === OID.subjectKeyIdentifier) subjectKeyId = value.content.toString('hex');
    else if (id === OID.authorityKeyIdentifier) {
      const keyId = value.children.find((c) => contextTag(c) === 0);
      if (keyId) authorityKeyId = keyId.content.toString('hex');
    }
  }
  const first = (attrs: [string, string][], k: string) => attrs.find(([t]) => t === k)?.[1] ?? null;
  return {
    der: Buffer.from(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    serialNumber: readIntegerHex(serial),
    serialDer: Buffer.from(serial.bytes),
    subject: s.text,
    issuer: iss.text,
    subjectCommonName: first(s.attrs, 'CN'),
    subjectOrganization: first(s.attrs, 'O'),
    issuerCommonName: first(iss.attrs, 'CN'),
    subjectDer: Buffer.from(subject.bytes),
    issuerDer: Buffer.from(issuer.bytes),
    notBefore: readTime(child(validity, 0)),
    notAfter: readTime(child(validity, 1)),
    isCa,
    keyUsage,
    keyAlgorithm: keyOid === OID.rsaEncryption ? 'rsa' : keyOid === OID.ecPublicKey ? 'ec' : 'other',
    subjectKeyId,
    authorityKeyId,
  };
}

/** Encodes a distinguished name; the country as PrintableString, everything else as UTF8String. */
export function encodeName(dn: DistinguishedName): Buffer {
  return seq(...dn.map(([type, value]) => setOf(seq(oid(NAME_OIDS[type]!), type === 'C' ? printable(value) : utf8(value)))));
}

/** The AlgorithmIdentifier of a SHA-256 signature by `key`'s type. */
export function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return seq(oid(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === 'rsa') return seq(oid(OID.sha256WithRsa), nul());
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
}

function keyUsageBits(usages: readonly KeyUsage[]): Buffer {
  let value = 0;
  for (const u of usages) value |= 0x80 >> KEY_USAGE_BITS.indexOf(u);
  let unused = 0;
  while (unused < 7 && value !== 0 && (value & (1 << unused)) === 0) unused++;
  return tlv(TAG.BIT_STRING, Buffer.from([unused, value]));
}

/** RFC 5280 method 1: SHA-1 of the subject public key bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = parseDer(publicKey.export({ type: 'spki', format: 'der' }));
  return createHash('sha1').update(child(spki, 1, TAG.BIT_STRING).content.subarray(1)).digest();
}

export interface IssueRequest {
  subject: DistinguishedName;
  publicKey: KeyObject;
  /** The issuer's name and private key; omitted for a self-signed (root) certificate. */
  issuer?: { name: DistinguishedName | Buffer; privateKey: KeyObject; publicKey: KeyObject };
  /** Self-signed only: the subject's own private key. */
  selfSignKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  keyUsage: readonly KeyUsage[];
  serial?: Buffer;
}

/**
 * Issues a version 3 certificate signed with SHA-256 (ECDSA or RSA) with basic constraints,
 * key usage and key identifiers. Used for the demo certificate authority and in tests; real
 * agency certificates come from a licensed CA and are uploaded.
 */
export function issueCertificate(r: IssueRequest): Buffer {
  const signingKey = r.issuer?.privateKey ?? r.selfSignKey;
  if (!signingKey) throw new Error('issueCertificate: an issuer key or selfSignKey is required');
  const issuerName = r.issuer ? (Buffer.isBuffer(r.issuer.name) ? r.issuer.name : encodeName(r.issuer.name)) : encodeName(r.subject);
  const authorityKey = r.issuer?.publicKey ?? r.publicKey;
  const algorithm = signatureAlgorithm(signingKey);
  const serial = r.serial ?? Buffer.concat([Buffer.from([0x40 | (randomBytes(1)[0]! & 0x3f)]), randomBytes(15)]);
  const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
  const extensions = [
    extension(OID.basicConstraints, true, r.ca ? seq(bool(true)) : seq()),
    extension(OID.keyUsage, true, keyUsageBits(r.keyUsage)),
    extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(r.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(authorityKey)))),
  ];
  const tbs = seq(
    explicit(0, unsignedInt(Buffer.from([2]))),
    unsignedInt(serial),
    algorithm,
    issuerName,
    seq(time(r.notBefore), time(r.notAfter)),
    encodeName(r.subject),
    r.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, algorithm, bitString(sign('sha256', tbs, signingKey)));
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** DER elements stored one after another (each is self-delimiting), e.g. a certificate chain. */
export function splitDer(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let rest = buf; rest.length > 0;) {
    const n = elementLength(rest);
    out.push(Buffer.from(rest.subarray(0, n)));
    rest = rest.subarray(n);
  }
  return out;
}

/** Every certificate in a PEM bundle, or the one DER certificate the bytes are. */
export function readCertificates(data: Buffer): Buffer[] {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN')) return [data];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
