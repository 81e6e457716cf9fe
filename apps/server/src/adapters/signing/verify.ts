/**
 * Verifying the signatures of any PDF: for each one, whether the bytes it covers are unchanged
 * (digest and signature), whether it covers the whole file, and whether its certificate chains
 * to a trust anchor. Pure: no database, no network (revocation is not checked offline).
 */
import { constants, createHash, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { child, contextTag, readOid, readSmallInt } from './der.ts';
import { CMS_OID, parseCms, type ParsedCms } from './cms.ts';
import { findSignatures, type EmbeddedSignature } from './pades.ts';
import { OID, parseCertificate, type CertificateInfo } from './x509.ts';

export interface TrustAnchor {
  name: string;
  der: Buffer;
  /** Where it came from: a file named in the configuration, or the demo CA. */
  source: 'config' | 'demo';
}

export type Problem =
  | 'byte_range_invalid'
  | 'not_whole_document'
  | 'signature_unreadable'
  | 'digest_mismatch'
  | 'signature_invalid'
  | 'signer_certificate_missing'
  | 'signer_certificate_mismatch'
  | 'untrusted_chain'
  | 'certificate_not_valid_at_signing_time'
  | 'key_usage'
  | 'unsupported_algorithm';

export type SignatureStatus = 'valid' | 'untrusted' | 'altered';

export interface VerifiedSignature {
  index: number;
  fieldName: string | null;
  subFilter: string | null;
  reason: string | null;
  location: string | null;
  /** The time the signature claims: /M, or the signing-time attribute when /M is absent. */
  signedAt: Date | null;
  byteRange: [number, number, number, number];
  coversWholeDocument: boolean;
  digestMatches: boolean;
  signatureValid: boolean;
  /** Nothing the signature covers has changed, and nothing was added after it (or a later intact signature covers what was). */
  intact: boolean;
  signer: CertificateInfo | null;
  /** From the signer up to the anchor when trusted, else as far as it could be built. */
  chain: CertificateInfo[];
  trusted: boolean;
  anchor: string | null;
  certificateValidAtSigningTime: boolean;
  status: SignatureStatus;
  problems: Problem[];
}

const HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const SIG_HASH: Record<string, string> = {
  [OID.sha1WithRsa]: 'sha1', [OID.sha256WithRsa]: 'sha256', [OID.sha384WithRsa]: 'sha384', [OID.sha512WithRsa]: 'sha512',
  [OID.ecdsaWithSha1]: 'sha1', [OID.ecdsaWithSha256]: 'sha256', [OID.ecdsaWithSha384]: 'sha384', [OID.ecdsaWithSha512]: 'sha512',
};

/** Checks `signature` over `data` with the algorithm the CMS names (RSA PKCS#1 v1.5, RSA-PSS, ECDSA). */
function checkSignature(cms: ParsedCms, data: Buffer, key: KeyObject, digest: string): boolean | 'unsupported' {
  const alg = cms.signatureAlgorithm;
  try {
    if (alg === OID.rsaPss) {
      const params = cms.signatureParams;
      let hash = 'sha1';
      let saltLength = 20;
      for (const p of params?.children ?? []) {
        const tag = contextTag(p);
        if (tag === 0) hash = HASHES[readOid(child(child(p, 0), 0))] ?? hash;
        if (tag === 2) saltLength = readSmallInt(child(p, 0));
      }
      return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, cms.signature);
    }
    if (alg === OID.rsaEncryption || alg === OID.ecPublicKey) return cryptoVerify(digest, data, key, cms.signature);
    const hash = SIG_HASH[alg];
    if (!hash) return 'unsupported';
    return cryptoVerify(hash, data, key, cms.signature);
  } catch {
    return false;
  }
}

function findSigner(cms: ParsedCms, certs: CertificateInfo[]): CertificateInfo | null {
  const id = cms.signerId;
  if ('subjectKeyId' in id) return certs.find((c) => c.subjectKeyId === id.subjectKeyId) ?? null;
  return certs.find((c) => c.serialNumber === id.serialHex && c.issuerDer.equals(id.issuerDer)) ?? null;
}

/**
 * Builds the path from `leaf` through `pool` to one of `anchors`: each step checks names, key
 * identifiers and the issuer's signature (Node's X509Certificate) and that issuers are CAs.
 */
export function buildChain(leaf: CertificateInfo, pool: CertificateInfo[], anchors: { info: CertificateInfo; name: string }[]): { chain: CertificateInfo[]; anchor: string | null } {
  const chain = [leaf];
  const candidates = [...pool, ...anchors.map((a) => a.info)];
  for (let cur = leaf; chain.length <= 10;) {
    const asAnchor = anchors.find((a) => a.info.sha256 === cur.sha256);
    if (asAnchor) return { chain, anchor: asAnchor.name };
    const x = new X509Certificate(cur.der);
    const issuer = candidates.find((c) => c.sha256 !== cur.sha256 && c.subjectDer.equals(cur.issuerDer) && c.isCa && !chain.includes(c) && (() => {
      const ix = new X509Certificate(c.der);
      return x.checkIssued(ix) && x.verify(ix.publicKey);
    })());
    if (!issuer) return { chain, anchor: null };
    // The same certificate may be both in the signature and among the anchors.
    const anchored = anchors.find((a) => a.info.sha256 === issuer.sha256);
    chain.push(anchored?.info ?? issuer);
    cur = anchored?.info ?? issuer;
  }
  return { chain, anchor: null };
}

function verifyOne(index: number, sig: EmbeddedSignature, anchors: { info: CertificateInfo; name: string }[]): VerifiedSignature {
  const problems: Problem[] = [];
  const base = {
    index, fieldName: sig.dictionary.fieldName, subFilter: sig.dictionary.subFilter, reason: sig.dictionary.reason, location: sig.dictionary.location,
    byteRange: sig.byteRange, coversWholeDocument: sig.coversWholeFile,
  };
  if (!sig.wellFormed) problems.push('byte_range_invalid');
  if (!sig.coversWholeFile) problems.push('not_whole_document');
  let cms: ParsedCms | null = null;
  try {
    cms = sig.cms ? parseCms(sig.cms) : null;
  } catch {
    cms = null;
  }
  if (!cms) {
    problems.push('signature_unreadable');
    return {
      ...base, signedAt: sig.dictionary.claimedTime, digestMatches: false, signatureValid: false, intact: false, signer: null, chain: [],
      trusted: false, anchor: null, certificateValidAtSigningTime: false, status: 'altered', problems,
    };
  }
  const certs = cms.certificates.flatMap((c) => {
    try {
      return [parseCertificate(c)];
    } catch {
      return [];
    }
  });
  const signer = findSigner(cms, certs);
  const signedAt = sig.dictionary.claimedTime ?? cms.signingTime;
  const digest = HASHES[cms.digestAlgorithm];
  let digestMatches = false;
  let signatureValid = false;
  if (!digest) problems.push('unsupported_algorithm');
  else if (!signer) problems.push('signer_certificate_missing');
  else {
    const key = new X509Certificate(signer.der).publicKey;
    const contentDigest = createHash(digest).update(sig.signedBytes).digest();
    if (cms.signedAttributes) {
      digestMatches = !!cms.messageDigest && cms.messageDigest.equals(contentDigest) && (cms.contentType === null || cms.contentType === CMS_OID.data);
      const ok = checkSignature(cms, cms.signedAttributes, key, digest);
      if (ok === 'unsupported') problems.push('unsupported_algorithm');
      signatureValid = ok === true;
      if (cms.signingCertificateHash) {
        const h = HASHES[cms.signingCertificateHash.algorithm];
        if (h && !createHash(h).update(signer.der).digest().equals(cms.signingCertificateHash.hash)) problems.push('signer_certificate_mismatch');
      }
    } else {
      const ok = checkSignature(cms, sig.signedBytes, key, digest);
      if (ok === 'unsupported') problems.push('unsupported_algorithm');
      signatureValid = digestMatches = ok === true;
    }
    if (!digestMatches) problems.push('digest_mismatch');
    if (!signatureValid) problems.push('signature_invalid');
  }
  const built = signer ? buildChain(signer, certs.filter((c) => c !== signer), anchors) : { chain: [], anchor: null };
  const trusted = built.anchor !== null;
  if (signer && !trusted) problems.push('untrusted_chain');
  const at = signedAt ?? new Date();
  const certificateValidAtSigningTime = built.chain.length > 0 && built.chain.every((c) => c.notBefore <= at && at <= c.notAfter);
  if (signer && !certificateValidAtSigningTime) problems.push('certificate_not_valid_at_signing_time');
  if (signer?.keyUsage && !signer.keyUsage.includes('digitalSignature') && !signer.keyUsage.includes('nonRepudiation')) problems.push('key_usage');
  const revisionIntact = sig.wellFormed && digestMatches && signatureValid && !problems.includes('signer_certificate_mismatch');
  return {
    ...base, signedAt, digestMatches, signatureValid, intact: revisionIntact && sig.coversWholeFile, signer, chain: built.chain, trusted,
    anchor: built.anchor, certificateValidAtSigningTime, problems,
    status: !(revisionIntact && sig.coversWholeFile) ? 'altered' : trusted && certificateValidAtSigningTime && !problems.includes('key_usage') ? 'valid' : 'untrusted',
  };
}

/**
 * Verifies every signature of `pdf` against `anchors`. A signature that does not reach the end
 * of the file still counts as intact when a later intact signature covers the whole file (a
 * document signed twice); the later signature then answers for what was added.
 */
export async function verifyPdf(pdf: Buffer, anchors: TrustAnchor[]): Promise<VerifiedSignature[]> {
  const parsedAnchors = anchors.flatMap((a) => {
    try {
      return [{ info: parseCertificate(a.der), name: a.name }];
    } catch {
      return [];
    }
  });
  const results = (await findSignatures(pdf)).map((s, i) => verifyOne(i, s, parsedAnchors));
  const lastWhole = results.find((r) => r.coversWholeDocument && r.intact);
  for (const r of results) {
    const revisionIntact = r.digestMatches && r.signatureValid && !r.problems.includes('byte_range_invalid') && !r.problems.includes('signer_certificate_mismatch');
    if (!r.coversWholeDocument && revisionIntact && lastWhole && lastWhole.byteRange[1] > r.byteRange[1]) {
      r.intact = true;
      r.status = r.trusted && r.certificateValidAtSigningTime && !r.problems.includes('key_usage') ? 'valid' : 'untrusted';
    }
  }
  return results;
}
