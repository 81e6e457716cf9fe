export { SigningKeyError, withDeadline, type SigningKey, type SigningKeyFailure } from './port.ts';
export { localSigningKey, openPkcs12, Pkcs12Error, type OpenedPkcs12, type Pkcs12Failure } from './local.ts';
export { createAuthority, issueSigningCertificate, newKey, type Authority, type Issued } from './authority.ts';
export { encodeName, parseCertificate, readCertificates, splitDer, toPem, type CertificateInfo, type DistinguishedName } from './x509.ts';
export { findSignatures, signPdf, SUBFILTER, type EmbeddedSignature, type SignatureFieldOptions } from './pades.ts';
export { buildChain, verifyPdf, type Problem, type SignatureStatus, type TrustAnchor, type VerifiedSignature } from './verify.ts';
