/**
 * Signing (ký số): agency certificates, PAdES signatures on what the system issues (results on
 * approval, receipt slips, e-receipts) and the public verification of any PDF.
 *
 * For other modules:
 * - `signResultsHook(deps, blobs)`: the dossier `before` hook (approve, mark_result_ready, return_result).
 * - `signIssuedPdf(tx, deps, request)`: sign and register a PDF the system issues (e-receipts).
 * - `formSigner(deps)`: signs the dossier module's printable forms (the receipt slip) on their way out.
 */
export { signingRoutes } from './signing.routes.ts';
export { signResultsHook } from './hooks.ts';
export { formSigner, signDocument, signIssuedPdf, verifyLink, type FormSigner, type FormToSign, type SignedDocument, type SignRequest } from './signing.service.ts';
export { agencySigner, certificateWarnings, storeCertificate, trustAnchors, EXPIRY_WARNING_DAYS, type SigningDeps } from './certificates.ts';
export { demoAuthority, seedDemoSigning, DEMO_CA_LABEL, DEMO_CA_NAME } from './demo.ts';
export { Unsignable } from './stamp.ts';
export { signingErrors } from './errors.ts';
