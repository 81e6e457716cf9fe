import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { IssuedDocumentKind } from '@motcua/contracts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { AppDeps } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { signPdf, SigningKeyError } from '../../adapters/signing/index.ts';
import { agencySigner, type SigningDeps } from './certificates.ts';
import { signingErrors } from './errors.ts';
import { openForSigning, stamp, Unsignable } from './stamp.ts';

export interface SignRequest {
  /** The agency whose certificate signs. */
  agencyId: string;
  kind: IssuedDocumentKind;
  /** The unsigned document: a PDF, or for results a JPEG/PNG (placed on a PDF page). */
  content: Uint8Array;
  mime?: string;
  dossierId?: string | null;
  /** What the document is beyond its dossier, e.g. an e-receipt number. */
  reference?: string | null;
  /** The official shown in the visible signature (the approving leader, the receiving officer). */
  signerName?: string | null;
  /** /Reason of the signature. */
  reason: string;
  /** Default now. PDF dates have whole seconds, so the time is truncated to the second. */
  signedAt?: Date;
  actorId?: string | null;
}

export interface SignedDocument {
  /** Printed in the QR code; the id in signed_documents. */
  id: string;
  pdf: Buffer;
  sha256: string;
  signedAt: Date;
  certificateId: string;
}

/** The verification page's link to one document (what its QR code opens). */
export const verifyLink = (deps: SigningDeps, id: string) => {
  const page = deps.config.signing.verifyUrl;
  return `${page}${page.includes('?') ? '&' : '?'}doc=${id}`;
};

/**
 * Signs a document with the agency's certificate (PAdES, SHA-256, a visible signature with a QR
 * code), without recording it.
 * @throws AppError 409 (no usable certificate), 503 (the signing service did not answer),
 * Unsignable (the content is not a signable PDF or image).
 */
export async function signDocument(db: DbOrTx, deps: SigningDeps, req: SignRequest): Promise<SignedDocument> {
  const signedAt = new Date(Math.floor((req.signedAt ?? new Date()).getTime() / 1000) * 1000);
  const signer = await agencySigner(db, deps, req.agencyId, signedAt);
  const doc = await openForSigning(req.content, req.mime ?? 'application/pdf');
  const id = randomUUID();
  const cert = signer.certificate;
  const where = await stamp(doc, {
    agencyName: signer.agencyName, signerName: req.signerName ?? null, signedAt,
    certificate: { commonName: cert.subjectCn, issuerCommonName: cert.issuerCn, serialNumber: cert.serialNumber },
    verifyPage: deps.config.signing.verifyUrl, verifyUrl: verifyLink(deps, id), documentId: id,
  });
  let pdf: Buffer;
  try {
    pdf = await signPdf(doc, signer.key, {
      widget: where, signingTime: signedAt, name: cert.subjectCn ?? signer.agencyName, reason: req.reason,
      location: deps.config.signing.location, contactInfo: verifyLink(deps, id),
    });
  } catch (err) {
    if (err instanceof SigningKeyError) throw err.reason === 'unavailable' ? signingErrors.unavailable() : signingErrors.keyUnusable(signer.agencyName);
    throw err;
  }
  return { id, pdf, sha256: createHash('sha256').update(pdf).digest('hex'), signedAt, certificateId: cert.id };
}

/** Writes a signed document into the register of issued documents (signed_documents). */
export async function recordSignedDocument(
  tx: Tx, doc: SignedDocument, req: SignRequest, files: { fileId?: string | null; sourceFileId?: string | null } = {},
): Promise<void> {
  await tx.insertInto('signedDocuments').values({
    id: doc.id, kind: req.kind, agencyId: req.agencyId, certificateId: doc.certificateId, dossierId: req.dossierId ?? null,
    fileId: files.fileId ?? null, sourceFileId: files.sourceFileId ?? null, reference: req.reference ?? null,
    sha256: doc.sha256, size: doc.pdf.length, signerName: req.signerName ?? null, signedAt: doc.signedAt, createdBy: req.actorId ?? null,
  }).execute();
}

/**
 * Signs a PDF this system issues on behalf of an agency (a receipt slip, an e-receipt) with the
 * agency's certificate, and records its SHA-256 in `tx` so that the verification page reports
 * it as issued by this system. Call it when serving the PDF; the caller sends the returned bytes.
 *
 * @example
 *   const signed = await deps.db.transaction().execute((tx) => signIssuedPdf(tx, deps, {
 *     agencyId, kind: 'e_receipt', content: pdf, dossierId, reference: receipt.code,
 *     signerName: null, reason: 'Biên lai thu phí, lệ phí', actorId: actor.userId,
 *   }));
 *   return sendAttachment(reply, Readable.from(signed.pdf), name, 'application/pdf', signed.pdf.length);
 * @throws AppError 409 signing_certificate_missing / _expired / _not_yet_valid / signing_key_unusable,
 * 503 signing_unavailable; Unsignable when `content` is not a readable, unsigned PDF.
 */
export async function signIssuedPdf(tx: Tx, deps: SigningDeps, req: SignRequest): Promise<SignedDocument> {
  const doc = await signDocument(tx, deps, req);
  await recordSignedDocument(tx, doc, req);
  return doc;
}

/** A PDF another module rendered (the receipt slip, an e-receipt), to be signed on its way out. */
export interface FormToSign {
  kind: 'receipt_slip' | 'e_receipt' | 'document';
  agencyId: string;
  dossierId: string;
  reference: string | null;
  signerName: string | null;
  reason: string;
  pdf: Uint8Array;
  actorId: string | null;
}

/** Signs a form on its way out; see `formSigner`. */
export type FormSigner = (form: FormToSign, log: FastifyBaseLogger) => Promise<{ pdf: Uint8Array; signed: boolean }>;

/**
 * For the dossier module's printable forms: signs and records the PDF with the agency's
 * certificate. When the agency cannot sign (no certificate, expired, service down) the form is
 * returned unsigned and the reason logged: a slip must still print at the counter, and an
 * unsigned PDF claims nothing it is not.
 */
export function formSigner(deps: AppDeps): FormSigner {
  return async (form, log) => {
    try {
      const signed = await deps.db.transaction().execute((tx) => signIssuedPdf(tx, deps, {
        agencyId: form.agencyId, kind: form.kind, content: form.pdf, dossierId: form.dossierId, reference: form.reference,
        signerName: form.signerName, reason: form.reason, actorId: form.actorId,
      }));
      return { pdf: signed.pdf, signed: true };
    } catch (err) {
      if (err instanceof Unsignable || (err instanceof AppError && (err.statusCode === 409 || err.statusCode === 503))) {
        log.warn({ err, agencyId: form.agencyId, kind: form.kind }, 'form served unsigned');
        return { pdf: form.pdf, signed: false };
      }
      throw err;
    }
  };
}
