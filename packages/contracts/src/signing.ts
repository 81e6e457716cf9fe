import { z } from 'zod';

/** Bilingual text: Vietnamese first, English second. */
const Msg = z.object({ vi: z.string(), en: z.string() });

const AgencyBrief = z.object({ id: z.string(), code: z.string(), name: z.string() });

/** A certificate that signs for an agency (chứng thư số của cơ quan). The private key is never returned. */
export const SigningCertificate = z.object({
  id: z.string(),
  agency: AgencyBrief,
  /** active: signs this agency's documents; retired: replaced or withdrawn, kept for history. */
  status: z.enum(['active', 'retired']),
  /** upload: a PKCS#12 from a licensed CA; demo: issued by the demo CA at seed time. */
  source: z.enum(['upload', 'demo']),
  /** Where the private key lives: `local` (sealed in the database). Room for a remote signing service or HSM. */
  provider: z.enum(['local']),
  /** RFC 4514 style, most specific first: `CN=…, O=…, C=VN`. */
  subject: z.string(),
  subjectCommonName: z.string().nullable(),
  issuer: z.string(),
  issuerCommonName: z.string().nullable(),
  /** Uppercase hex. */
  serialNumber: z.string(),
  /** SHA-256 fingerprint of the certificate (lowercase hex). */
  sha256: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  keyAlgorithm: z.enum(['rsa', 'ec']),
  /** The certificate chains to a trust anchor of this server (signatures will verify as trusted). */
  chainTrusted: z.boolean(),
  trustAnchor: z.string().nullable(),
  expired: z.boolean(),
  /** Whole days until notAfter (negative once expired). */
  daysLeft: z.number().int(),
  /** Expires within 30 days: time to renew. */
  expiringSoon: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  retiredAt: z.string().nullable(),
});
export type SigningCertificate = z.infer<typeof SigningCertificate>;

export const SigningCertificateList = z.object({ items: z.array(SigningCertificate), total: z.number().int() });
export type SigningCertificateList = z.infer<typeof SigningCertificateList>;

/**
 * Something an agency admin should act on: an agency that receives or resolves procedures with
 * no usable certificate, or a certificate that expires within 30 days (or has expired).
 */
export const CertificateWarning = z.object({
  kind: z.enum(['missing', 'expired', 'expiring', 'not_yet_valid', 'untrusted']),
  agency: AgencyBrief,
  certificateId: z.string().nullable(),
  notAfter: z.string().nullable(),
  daysLeft: z.number().int().nullable(),
  message: Msg,
});
export type CertificateWarning = z.infer<typeof CertificateWarning>;

export const CertificateWarningList = z.object({ items: z.array(CertificateWarning) });
export type CertificateWarningList = z.infer<typeof CertificateWarningList>;

/** A root certificate signatures are checked against (the demo CA; the national root when configured). */
export const TrustAnchorInfo = z.object({
  name: z.string(),
  subject: z.string(),
  sha256: z.string(),
  notAfter: z.string(),
  source: z.enum(['config', 'demo']),
});
export type TrustAnchorInfo = z.infer<typeof TrustAnchorInfo>;

export const TrustAnchorList = z.object({ items: z.array(TrustAnchorInfo) });
export type TrustAnchorList = z.infer<typeof TrustAnchorList>;

export const CertificateSummary = z.object({
  subject: z.string(),
  commonName: z.string().nullable(),
  organization: z.string().nullable(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  sha256: z.string(),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;

/** Why a signature is not (fully) valid; `message` is ready to show. */
export const SignatureProblem = z.object({
  code: z.enum([
    'byte_range_invalid', 'not_whole_document', 'signature_unreadable', 'digest_mismatch', 'signature_invalid',
    'signer_certificate_missing', 'signer_certificate_mismatch', 'untrusted_chain', 'certificate_not_valid_at_signing_time',
    'key_usage', 'unsupported_algorithm',
  ]),
  message: Msg,
});
export type SignatureProblem = z.infer<typeof SignatureProblem>;

/**
 * One signature of a verified PDF.
 * - valid: intact, chains to a trust anchor, certificate valid at the signing time;
 * - untrusted: intact, but the certificate does not chain to a trusted anchor (or was not valid then);
 * - altered: the document changed after signing, or the signature does not match it.
 */
export const SignatureCheck = z.object({
  index: z.number().int(),
  fieldName: z.string().nullable(),
  /** adbe.pkcs7.detached, ETSI.CAdES.detached, ... */
  subFilter: z.string().nullable(),
  status: z.enum(['valid', 'untrusted', 'altered']),
  signer: CertificateSummary.nullable(),
  /** The claimed signing time (/M, or the CMS signing-time attribute). */
  signedAt: z.string().nullable(),
  reason: z.string().nullable(),
  location: z.string().nullable(),
  /** Nothing covered by the signature changed and nothing was added after it. */
  intact: z.boolean(),
  /** The byte ranges cover the whole file except the signature itself. */
  coversWholeDocument: z.boolean(),
  digestMatches: z.boolean(),
  signatureValid: z.boolean(),
  trusted: z.boolean(),
  /** Name of the trust anchor the chain reached. */
  trustAnchor: z.string().nullable(),
  certificateValidAtSigningTime: z.boolean(),
  /** From the signer's certificate up to the anchor (as far as it could be built). */
  chain: z.array(CertificateSummary),
  problems: z.array(SignatureProblem),
  /** Revocation (OCSP/CRL) is not checked by this server. */
  revocationChecked: z.literal(false),
});
export type SignatureCheck = z.infer<typeof SignatureCheck>;

export const IssuedDocumentKind = z.enum(['result', 'receipt_slip', 'e_receipt', 'document']);
export type IssuedDocumentKind = z.infer<typeof IssuedDocumentKind>;

/** A document this system signed and issued, as anyone holding it (or its QR code) may see. No personal data. */
export const IssuedDocument = z.object({
  id: z.string(),
  kind: IssuedDocumentKind,
  agency: z.object({ code: z.string(), name: z.string() }),
  dossierCode: z.string().nullable(),
  reference: z.string().nullable(),
  signedAt: z.string(),
  signerName: z.string().nullable(),
  sha256: z.string(),
  size: z.number().int(),
  certificate: z.object({ subject: z.string(), serialNumber: z.string(), issuer: z.string() }),
});
export type IssuedDocument = z.infer<typeof IssuedDocument>;

/** The answer of `POST /api/v1/signatures/verify`. */
export const VerificationReport = z.object({
  /** SHA-256 of the uploaded file. */
  sha256: z.string(),
  size: z.number().int(),
  /**
   * valid: every signature valid; untrusted: intact but some signer not trusted; altered: some
   * signature broken; unsigned: no signature at all.
   */
  summary: z.enum(['valid', 'untrusted', 'altered', 'unsigned']),
  signatures: z.array(SignatureCheck),
  /** This exact file (by SHA-256) was signed and issued by this system; null otherwise. */
  issuedByThisSystem: IssuedDocument.nullable(),
  checkedAt: z.string(),
});
export type VerificationReport = z.infer<typeof VerificationReport>;

/** A signed document of a dossier: the signed result(s) and receipt slips. */
export const DossierSignedDocument = z.object({
  id: z.string(),
  kind: IssuedDocumentKind,
  /** The signed result as a dossier file (download it through the dossier's files); null for slips. */
  fileId: z.string().nullable(),
  /** The unsigned result it was made from. */
  sourceFileId: z.string().nullable(),
  filename: z.string().nullable(),
  sha256: z.string(),
  size: z.number().int(),
  signedAt: z.string(),
  signerName: z.string().nullable(),
  agency: z.object({ code: z.string(), name: z.string() }),
  certificate: z.object({ subjectCommonName: z.string().nullable(), serialNumber: z.string(), notAfter: z.string() }),
  /** The public verification page for this document (what its QR code opens). */
  verifyUrl: z.string(),
});
export type DossierSignedDocument = z.infer<typeof DossierSignedDocument>;

export const DossierSignedDocumentList = z.object({ items: z.array(DossierSignedDocument) });
export type DossierSignedDocumentList = z.infer<typeof DossierSignedDocumentList>;
