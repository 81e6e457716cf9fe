/**
 * CMS SignedData (RFC 5652) for PDF signatures: building a detached CAdES signature as PAdES
 * baseline B-B asks (content type, message digest and the signing-certificate-v2 attribute; no
 * signing-time attribute, the claimed time is the signature dictionary's /M), and reading any
 * detached PKCS#7/CMS signature back for verification.
 */
import { createHash } from 'node:crypto';
import {
  child, contextTag, DerError, explicit, implicit, octets, oid, parseDer, readOid, readSmallInt, readTime, seq, setOf, smallInt, TAG, tlv, nul,
  type Asn1,
} from './der.ts';
import type { SigningKey } from './port.ts';
import { OID, parseCertificate } from './x509.ts';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const attribute = (type: string, value: Buffer) => seq(oid(type), setOf(value));

/**
 * A detached CAdES signature over `content` (the bytes a PDF's /ByteRange covers), SHA-256.
 * The signer's certificate and its issuers from `key.chain` travel in the signature so that a
 * verifier needs only the trust anchor.
 * @throws whatever `key.sign` throws (SigningKeyError for an unusable or unreachable key).
 */
export async function buildCadesDetached(content: Buffer, key: SigningKey): Promise<Buffer> {
  const leaf = key.chain[0];
  if (!leaf) throw new Error('the signing key has no certificate');
  const cert = parseCertificate(leaf);
  const sha256 = seq(oid(OID.sha256));
  const essCertIdV2 = seq(
    octets(createHash('sha256').update(leaf).digest()),
    seq(seq(explicit(4, cert.issuerDer)), cert.serialDer),
  );
  const signedAttrs = setOf(
    attribute(CMS_OID.contentType, oid(CMS_OID.data)),
    attribute(CMS_OID.messageDigest, octets(createHash('sha256').update(content).digest())),
    attribute(CMS_OID.signingCertificateV2, seq(seq(essCertIdV2))),
  );
  const signature = await key.sign(signedAttrs);
  const signatureAlgorithm = key.algorithm === 'ec' ? seq(oid(OID.ecdsaWithSha256)) : seq(oid(OID.rsaEncryption), nul());
  const signerInfo = seq(
    smallInt(1),
    seq(cert.issuerDer, cert.serialDer),
    sha256,
    implicit(0, signedAttrs),
    signatureAlgorithm,
    octets(signature),
  );
  const signedData = seq(
    smallInt(1),
    setOf(sha256),
    seq(oid(CMS_OID.data)),
    tlv(0xa0, Buffer.concat(key.chain.map((c) => Buffer.from(c)))),
    setOf(signerInfo),
  );
  return seq(oid(CMS_OID.signedData), explicit(0, signedData));
}

/** What a verifier needs from a signature. */
export interface ParsedCms {
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signatureParams: Asn1 | null;
  /** The signed attributes as a DER SET (what the signature covers), or null when absent. */
  signedAttributes: Buffer | null;
  messageDigest: Buffer | null;
  contentType: string | null;
  signingTime: Date | null;
  /** SHA-256 (v2) or SHA-1 (v1) hash of the signer's certificate from the signing-certificate attribute. */
  signingCertificateHash: { algorithm: string; hash: Buffer } | null;
  signature: Buffer;
  certificates: Buffer[];
  signerId: { issuerDer: Buffer; serialHex: string } | { subjectKeyId: string };
  /** Encapsulated content (adbe.pkcs7.sha1 embeds a digest there), or null when detached. */
  content: Buffer | null;
}

/**
 * Reads a CMS ContentInfo holding SignedData with one signer (trailing zero padding ignored).
 * @throws DerError when the bytes are not such a structure.
 */
export function parseCms(der: Buffer): ParsedCms {
  const info = parseDer(der);
  if (readOid(child(info, 0, TAG.OID)) !== CMS_OID.signedData) throw new DerError('not a CMS SignedData');
  const sd = child(child(info, 1), 0, TAG.SEQUENCE);
  const encap = child(sd, 2, TAG.SEQUENCE);
  const eContent = encap.children[1] ? firstOctets(encap.children[1]) : null;
  const certificates: Buffer[] = [];
  let signerInfos: Asn1 | undefined;
  for (const el of sd.children.slice(3)) {
    if (contextTag(el) === 0) for (const c of el.children) if (c.tag === TAG.SEQUENCE) certificates.push(Buffer.from(c.bytes));
    if (el.tag === TAG.SET) signerInfos = el;
  }
  const si = signerInfos?.children[0];
  if (!si) throw new DerError('no signer');
  let i = 0;
  readSmallInt(child(si, i++, TAG.INTEGER));
  const sid = child(si, i++);
  const signerId = sid.tag === TAG.SEQUENCE
    ? { issuerDer: Buffer.from(child(sid, 0, TAG.SEQUENCE).bytes), serialHex: hexOf(child(sid, 1, TAG.INTEGER)) }
    : { subjectKeyId: sid.content.toString('hex') };
  const digestAlgorithm = readOid(child(child(si, i++, TAG.SEQUENCE), 0));
  let signedAttributes: Buffer | null = null;
  let messageDigest: Buffer | null = null;
  let contentType: string | null = null;
  let signingTime: Date | null = null;
  let signingCertificateHash: ParsedCms['signingCertificateHash'] = null;
  const maybeAttrs = child(si, i);
  if (contextTag(maybeAttrs) === 0) {
    i++;
    signedAttributes = Buffer.from(maybeAttrs.bytes);
    signedAttributes[0] = TAG.SET;
    for (const attr of maybeAttrs.children) {
      const type = readOid(child(attr, 0));
      const value = child(child(attr, 1, TAG.SET), 0);
      if (type === CMS_OID.messageDigest) messageDigest = Buffer.from(value.content);
      else if (type === CMS_OID.contentType) contentType = readOid(value);
      else if (type === CMS_OID.signingTime) signingTime = readTime(value);
      else if (type === CMS_OID.signingCertificateV2 || type === CMS_OID.signingCertificate) {
        const first = child(child(value, 0), 0);
        const hasAlg = first.children[0]?.tag === TAG.SEQUENCE;
        const algorithm = type === CMS_OID.signingCertificate ? OID.sha1 : hasAlg ? readOid(child(child(first, 0), 0)) : OID.sha256;
        signingCertificateHash = { algorithm, hash: Buffer.from(child(first, hasAlg ? 1 : 0, TAG.OCTET_STRING).content) };
      }
    }
  }
  const sigAlg = child(si, i++, TAG.SEQUENCE);
  const signature = Buffer.from(child(si, i, TAG.OCTET_STRING).content);
  return {
    digestAlgorithm, signatureAlgorithm: readOid(child(sigAlg, 0)), signatureParams: sigAlg.children[1] ?? null,
    signedAttributes, messageDigest, contentType, signingTime, signingCertificateHash, signature, certificates, signerId, content: eContent,
  };
}

function hexOf(el: Asn1): string {
  let b = el.content;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return b.toString('hex').toUpperCase();
}

/** The octets of an [0] EXPLICIT OCTET STRING (possibly constructed, as BER allows). */
function firstOctets(el: Asn1): Buffer | null {
  const inner = el.children[0];
  if (!inner) return null;
  if (inner.tag === TAG.OCTET_STRING) return Buffer.from(inner.content);
  if (inner.tag === (TAG.OCTET_STRING | 0x20)) return Buffer.concat(inner.children.map((c) => c.content));
  return null;
}
