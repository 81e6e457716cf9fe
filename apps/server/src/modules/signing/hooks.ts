import { Readable } from 'node:stream';
import type { BlobStore } from '../../adapters/storage/index.ts';
import type { AppDeps } from '../../http/context.ts';
import { writeAudit } from '../audit/index.ts';
import type { ActionEvent } from '../dossier/index.ts';
import { signingErrors } from './errors.ts';
import { recordSignedDocument, signDocument, type SignRequest } from './signing.service.ts';
import { SIGNABLE_TYPES, Unsignable } from './stamp.ts';

const REASON = 'Phê duyệt kết quả giải quyết thủ tục hành chính';

async function readBlob(blobs: BlobStore, sha256: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of blobs.open(sha256) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error('blob larger than expected');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const pdfName = (filename: string) => `${filename.replace(/\.[^.]*$/, '') || 'ket-qua'}.pdf`;

/**
 * The dossier `before` hook that signs results (kết quả giải quyết) with the agency's certificate.
 *
 * On `approve` every result file not yet signed (kind `result`, uploaded by the officials) is
 * signed in the name of the approving leader: the signed PDF is stored as a new result file and
 * the unsigned one set aside. At least one result is required. Results uploaded after approval
 * are signed the same way when the desk marks the result ready or returns it, so that nothing
 * unsigned is ever handed out.
 *
 * It runs inside the action's transaction before anything is written: any failure (no result,
 * no usable certificate, a file that cannot be signed, the signing service down) throws a
 * bilingual 409 (503 for the service) and the dossier stays as it was: no action, no file, no
 * audit row. A blob written before the failure stays on disk unreferenced (content-addressed).
 */
export function signResultsHook(deps: AppDeps, blobs: BlobStore): (e: ActionEvent) => Promise<void> {
  return async (e) => {
    if (e.type !== 'approve' && e.type !== 'mark_result_ready' && e.type !== 'return_result') return;
    const { tx } = e;
    const dossierId = e.before.row.id;
    const files = await tx.selectFrom('dossierFiles as f')
      .leftJoin('signedDocuments as s', 's.fileId', 'f.id')
      .select(['f.id', 'f.filename', 'f.mime', 'f.blobSha256', 'f.size', 's.id as signedId'])
      .where('f.dossierId', '=', dossierId).where('f.kind', '=', 'result').where('f.removedAt', 'is', null)
      .orderBy('f.createdAt').execute();
    if (e.type === 'approve' && files.length === 0) throw signingErrors.resultMissing();
    const pending = files.filter((f) => !f.signedId);
    if (pending.length === 0) return;

    // The agency whose leader approved, and the leader, sign; after approval they are read back.
    let agencyId = e.before.row.currentAgencyId;
    let signerName = e.ctx.actorName;
    if (e.type !== 'approve') {
      const approval = [...e.before.actions].reverse().find((a) => a.type === 'approve');
      const visit = [...e.before.view.visits].reverse().find((v) => v.endedBy === 'approve');
      agencyId = visit?.agencyId ?? agencyId;
      if (approval) {
        const who = await tx.selectFrom('dossierActions').select('actorName').where('dossierId', '=', dossierId).where('seq', '=', approval.seq).executeTakeFirst();
        signerName = who?.actorName ?? signerName;
      }
    }
    if (!agencyId) throw signingErrors.resultMissing();
    for (const f of pending) {
      if (!SIGNABLE_TYPES.includes(f.mime)) throw signingErrors.resultUnsignable(f.filename, { vi: 'chỉ ký được tệp PDF (hoặc ảnh JPEG/PNG).', en: 'only PDF files (or JPEG/PNG images) can be signed.' });
    }
    const signed: Record<string, string>[] = [];
    let certificateId = '';
    for (const f of pending) {
      const req: SignRequest = {
        agencyId, kind: 'result', content: await readBlob(blobs, f.blobSha256, Number(f.size)), mime: f.mime, dossierId,
        reference: e.before.row.code, signerName, reason: REASON, signedAt: e.entry.at, actorId: e.ctx.actorId,
      };
      let doc;
      try {
        doc = await signDocument(tx, deps, req);
      } catch (err) {
        if (err instanceof Unsignable) throw signingErrors.resultUnsignable(f.filename, err.why);
        throw err;
      }
      certificateId = doc.certificateId;
      const blob = await blobs.put(Readable.from([doc.pdf]), { maxBytes: doc.pdf.length, allowed: ['application/pdf'] });
      await tx.insertInto('blobs').values({ sha256: blob.sha256, size: blob.size, mime: blob.mime }).onConflict((oc) => oc.doNothing()).execute();
      const file = await tx.insertInto('dossierFiles').values({
        dossierId, componentId: null, componentName: null, kind: 'result', blobSha256: blob.sha256, filename: pdfName(f.filename),
        mime: 'application/pdf', size: blob.size, uploadedBy: e.ctx.actorId,
      }).returning('id').executeTakeFirstOrThrow();
      // The unsigned draft is set aside: the applicant is offered only the signed result.
      await tx.updateTable('dossierFiles').set({ removedAt: e.entry.at }).where('id', '=', f.id).execute();
      await recordSignedDocument(tx, doc, req, { fileId: file.id, sourceFileId: f.id });
      signed.push({ documentId: doc.id, fileId: file.id, sourceFileId: f.id, sha256: doc.sha256 });
    }
    await writeAudit(tx, e.ctx, { action: 'dossier.result_signed', objectType: 'dossier', objectId: dossierId, details: { on: e.type, certificateId, files: signed } });
  };
}
