import { Readable } from 'node:stream';
import type { ResultTemplate } from '@motcua/contracts';
import type { BlobStore } from '../../adapters/storage/index.ts';
import type { DbOrTx } from '../../db/database.ts';
import { writeAudit } from '../audit/index.ts';
import type { ActionEvent } from '../dossier/index.ts';
import { formatDate, renderResultDocument } from '../documents/index.ts';
import { fill, printable } from './template.ts';

type TemplateRow = { procedureId: string; title: string; body: string; signerTitle: string; numberSuffix: string | null; version: number; updatedAt: Date };

export const presentTemplate = (t: TemplateRow): ResultTemplate => ({
  procedureId: t.procedureId, title: t.title, body: t.body, signerTitle: t.signerTitle, numberSuffix: t.numberSuffix,
  version: t.version, updatedAt: t.updatedAt.toISOString(),
});

export function findTemplate(db: DbOrTx, procedureId: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('procedureResultTemplates')
    .select(['procedureId', 'title', 'body', 'signerTitle', 'numberSuffix', 'version', 'updatedAt'])
    .where('procedureId', '=', procedureId).executeTakeFirst();
}

interface DossierData {
  code: string | null;
  procedureId: string;
  applicantName: string;
  applicantIdMasked: string | null;
  applicantAddress: string | null;
  applicantPhone: string | null;
  receivedAt: Date | null;
  formData: Record<string, unknown>;
}

export interface RenderFor {
  template: Pick<TemplateRow, 'title' | 'body' | 'signerTitle' | 'numberSuffix'>;
  dossier: DossierData;
  /** The agency that resolves (its certificate signs). */
  agencyId: string;
  issuedAt: Date;
  signerName: string | null;
}

/** The result document of a dossier from its procedure's template, unsigned. */
export async function renderResultFor(db: DbOrTx, r: RenderFor): Promise<Uint8Array> {
  const [agency, procedure] = await Promise.all([
    db.selectFrom('agencies as a').leftJoin('agencies as p', 'p.id', 'a.parentId').select(['a.name', 'p.name as parentName'])
      .where('a.id', '=', r.agencyId).executeTakeFirstOrThrow(),
    db.selectFrom('procedures').select(['name', 'code']).where('id', '=', r.dossier.procedureId).executeTakeFirstOrThrow(),
  ]);
  const d = r.dossier;
  const values: Record<string, string | undefined> = {
    'dossier.code': d.code ?? undefined,
    'applicant.name': d.applicantName,
    'applicant.idNumber': d.applicantIdMasked ?? undefined,
    'applicant.address': d.applicantAddress ?? undefined,
    'applicant.phone': d.applicantPhone ?? undefined,
    'procedure.name': procedure.name,
    'procedure.code': procedure.code,
    'agency.name': agency.name,
    'receivedAt': d.receivedAt ? formatDate(d.receivedAt) : undefined,
    'issuedAt': formatDate(r.issuedAt),
  };
  for (const [k, v] of Object.entries(d.formData ?? {})) values[`form.${k}`] = printable(v);
  const number = d.code ? `${d.code}${r.template.numberSuffix ? `/${r.template.numberSuffix}` : ''}` : undefined;
  return renderResultDocument({
    agency: { name: agency.name, ...(agency.parentName ? { parentName: agency.parentName } : {}) },
    issuedAt: r.issuedAt,
    ...(number ? { number } : {}),
    title: fill(r.template.title, values),
    body: fill(r.template.body, values),
    signer: { title: r.template.signerTitle, ...(r.signerName ? { name: r.signerName } : {}) },
    procedureName: procedure.name,
  });
}

const fileName = (title: string) => `${title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 80) || 'ket-qua'}.pdf`;

/**
 * The dossier `before` hook that generates the result from the procedure's template when a
 * leader approves a dossier no official attached a result to. It runs before the signing hook,
 * which then signs the generated PDF like an uploaded one; any failure leaves nothing behind
 * (same transaction).
 */
export function generateResultHook(blobs: BlobStore): (e: ActionEvent) => Promise<void> {
  return async (e) => {
    if (e.type !== 'approve') return;
    const { tx } = e;
    const row = e.before.row;
    const live = await tx.selectFrom('dossierFiles').select('id').where('dossierId', '=', row.id).where('kind', '=', 'result')
      .where('removedAt', 'is', null).limit(1).executeTakeFirst();
    if (live) return;
    const template = await findTemplate(tx, row.procedureId);
    if (!template || !row.currentAgencyId) return;
    const pdf = Buffer.from(await renderResultFor(tx, {
      template, dossier: row, agencyId: row.currentAgencyId, issuedAt: e.entry.at, signerName: e.ctx.actorName ?? null,
    }));
    const blob = await blobs.put(Readable.from([pdf]), { maxBytes: pdf.length, allowed: ['application/pdf'] });
    await tx.insertInto('blobs').values({ sha256: blob.sha256, size: blob.size, mime: blob.mime }).onConflict((oc) => oc.doNothing()).execute();
    const file = await tx.insertInto('dossierFiles').values({
      dossierId: row.id, componentId: null, componentName: null, kind: 'result', blobSha256: blob.sha256, filename: fileName(template.title),
      mime: 'application/pdf', size: blob.size, uploadedBy: e.ctx.actorId,
    }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(tx, e.ctx, {
      action: 'dossier.result_generated', objectType: 'dossier', objectId: row.id,
      details: { fileId: file.id, templateVersion: template.version, sha256: blob.sha256 },
    });
  };
}
