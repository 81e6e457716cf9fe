import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError, CertificateWarningList, DossierSignedDocumentList, IssuedDocument, SigningCertificate, SigningCertificateList, TrustAnchorList,
  VerificationReport, type CertificateSummary, type SignatureCheck,
} from '@motcua/contracts';
import { parseCertificate, verifyPdf, type CertificateInfo, type Problem, type VerifiedSignature } from '../../adapters/signing/index.ts';
import type { DbOrTx } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { assertCanView, loadDossier } from '../dossier/index.ts';
import { can, scopeRoots, type Actor } from '../policy/index.ts';
import { certificateQuery, certificateWarnings, presentCertificate, trustAnchors, uploadCertificate } from './certificates.ts';
import { verifyLink } from './signing.service.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const P12_MAX_BYTES = 256 * 1024;
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const certificateNotFound = () => notFound({ vi: 'Không tìm thấy chứng thư số.', en: 'Certificate not found.' });

const PROBLEMS: Record<Problem, { vi: string; en: string }> = {
  byte_range_invalid: { vi: 'Vùng dữ liệu được ký (ByteRange) không hợp lệ.', en: 'The signed byte ranges are malformed.' },
  not_whole_document: { vi: 'Tài liệu đã bị thêm nội dung sau khi ký.', en: 'Content was added to the document after it was signed.' },
  signature_unreadable: { vi: 'Không đọc được chữ ký số.', en: 'The signature cannot be read.' },
  digest_mismatch: { vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký (giá trị băm không khớp).', en: 'The document was changed after signing (digest mismatch).' },
  signature_invalid: { vi: 'Chữ ký không khớp với chứng thư số của người ký.', en: 'The signature does not verify with the signer\'s certificate.' },
  signer_certificate_missing: { vi: 'Chữ ký không kèm chứng thư số của người ký.', en: 'The signature does not carry the signer\'s certificate.' },
  signer_certificate_mismatch: { vi: 'Chứng thư số kèm theo khác với chứng thư số đã được ký.', en: 'The certificate attached differs from the one that was signed.' },
  untrusted_chain: { vi: 'Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp.', en: 'The certificate does not chain to a trusted root.' },
  certificate_not_valid_at_signing_time: { vi: 'Chứng thư số không có hiệu lực tại thời điểm ký.', en: 'The certificate was not valid at the signing time.' },
  key_usage: { vi: 'Chứng thư số không được phép dùng để ký.', en: 'The certificate may not be used for signatures.' },
  unsupported_algorithm: { vi: 'Thuật toán chữ ký không được hỗ trợ.', en: 'The signature algorithm is not supported.' },
};

function summary(c: CertificateInfo): CertificateSummary {
  return {
    subject: c.subject, commonName: c.subjectCommonName, organization: c.subjectOrganization, issuer: c.issuer, serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sha256: c.sha256,
  };
}

function presentCheck(s: VerifiedSignature): SignatureCheck {
  return {
    index: s.index, fieldName: s.fieldName, subFilter: s.subFilter, status: s.status, signer: s.signer ? summary(s.signer) : null,
    signedAt: s.signedAt?.toISOString() ?? null, reason: s.reason, location: s.location, intact: s.intact, coversWholeDocument: s.coversWholeDocument,
    digestMatches: s.digestMatches, signatureValid: s.signatureValid, trusted: s.trusted, trustAnchor: s.anchor,
    certificateValidAtSigningTime: s.certificateValidAtSigningTime, chain: s.chain.map(summary),
    problems: s.problems.map((code) => ({ code, message: PROBLEMS[code] })), revocationChecked: false,
  };
}

/** The public record of an issued document (no personal data): by id (the QR code) or by SHA-256. */
async function issuedDocument(db: DbOrTx, where: { id: string } | { sha256: string }): Promise<IssuedDocument | null> {
  let q = db.selectFrom('signedDocuments as s')
    .innerJoin('agencies as a', 'a.id', 's.agencyId')
    .innerJoin('agencyCertificates as c', 'c.id', 's.certificateId')
    .leftJoin('dossiers as d', 'd.id', 's.dossierId')
    .select(['s.id', 's.kind', 's.reference', 's.signedAt', 's.signerName', 's.sha256', 's.size', 'a.code as agencyCode', 'a.name as agencyName',
      'd.code as dossierCode', 'c.subject', 'c.serialNumber', 'c.issuer']);
  q = 'id' in where ? q.where('s.id', '=', where.id) : q.where('s.sha256', '=', where.sha256);
  const r = await q.executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id, kind: r.kind, agency: { code: r.agencyCode, name: r.agencyName }, dossierCode: r.dossierCode, reference: r.reference,
    signedAt: r.signedAt.toISOString(), signerName: r.signerName, sha256: r.sha256, size: Number(r.size),
    certificate: { subject: r.subject, serialNumber: r.serialNumber, issuer: r.issuer },
  };
}

/**
 * Signing: agency certificates (admins), the public verification of any PDF, the public record
 * of a document this system issued, and a dossier's signed documents.
 */
export function signingRoutes(app: FastifyInstance, deps: AppDeps, services: { calendar: CalendarService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;

  /** Agencies (subtree roots expanded) where `actor` manages certificates. */
  async function scope(actor: Actor): Promise<string[]> {
    const roots = scopeRoots(actor, 'certificate.manage');
    if (roots.length === 0) throw forbidden();
    return subtreeIds(db, roots);
  }

  async function presentById(id: string) {
    const row = await certificateQuery(db).where('c.id', '=', id).executeTakeFirstOrThrow();
    return presentCertificate(row, await trustAnchors(db, config));
  }

  // ---------------------------------------------------------------- certificates (admins)

  r.get('/api/v1/signing/certificates', {
    schema: {
      tags: ['signing'], summary: 'Certificates of the agencies I administer (no private keys), soonest expiry first',
      querystring: z.object({
        agencyId: z.uuid().optional(),
        status: z.enum(['active', 'retired', 'all']).default('all'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: SigningCertificateList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    let agencies = await scope(actor);
    if (req.query.agencyId) {
      if (!agencies.includes(req.query.agencyId)) throw forbidden();
      agencies = [req.query.agencyId];
    }
    let q = certificateQuery(db).where('c.agencyId', 'in', agencies);
    if (req.query.status !== 'all') q = q.where('c.status', '=', req.query.status);
    const [rows, count, anchors] = await Promise.all([
      q.orderBy('c.status').orderBy('c.notAfter').orderBy('c.createdAt', 'desc').limit(req.query.limit).offset(req.query.offset).execute(),
      q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      trustAnchors(db, config),
    ]);
    reply.header('cache-control', 'no-store');
    return { items: rows.map((row) => presentCertificate(row, anchors)), total: Number(count.n) };
  });

  r.get('/api/v1/signing/certificates/:id', {
    schema: { tags: ['signing'], summary: 'One certificate (no private key)', params: z.object({ id: z.string() }), response: { 200: SigningCertificate, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const agencies = await scope(actor);
    if (!isUuid(req.params.id)) throw certificateNotFound();
    const row = await certificateQuery(db).where('c.id', '=', req.params.id).executeTakeFirst();
    if (!row || !agencies.includes(row.agencyId)) throw certificateNotFound();
    reply.header('cache-control', 'no-store');
    return presentCertificate(row, await trustAnchors(db, config));
  });

  r.post('/api/v1/signing/agencies/:agencyId/certificates', {
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags: ['signing'],
      summary: 'Upload the agency\'s signing certificate as PKCS#12 (.p12/.pfx): multipart with the field `password` first, then the file `file`. It replaces the active one.',
      params: z.object({ agencyId: z.string() }),
      response: { 201: SigningCertificate, ...errors, 413: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!isUuid(req.params.agencyId)) throw notFound();
    const chain = await agencyChain(db, req.params.agencyId);
    if (!can(actor, 'certificate.manage', chain)) throw forbidden();
    if (chain.length === 0) throw notFound();
    if (!req.isMultipart()) throw fieldError('body.file', 'Gửi tệp chứng thư số dạng multipart (trường password, rồi tệp file).', 'Send the certificate as multipart (field password, then the file).');
    const part = await req.file({ limits: { fileSize: P12_MAX_BYTES } });
    if (!part || part.fieldname !== 'file') throw fieldError('body.file', 'Chưa có tệp chứng thư số (.p12/.pfx).', 'No certificate file (.p12/.pfx) was sent.');
    const password = (part.fields.password as { value?: unknown } | undefined)?.value;
    const file = await part.toBuffer();
    if (typeof password !== 'string') throw fieldError('body.password', 'Cần mật khẩu của tệp chứng thư số (gửi trường password trước tệp).', 'The certificate file\'s password is required (send the password field before the file).');
    if (file.length === 0) throw fieldError('body.file', 'Tệp rỗng.', 'The file is empty.');
    const id = await db.transaction().execute((tx) => uploadCertificate(tx, deps, auditCtx(req), req.params.agencyId, file, password));
    return reply.status(201).send(await presentById(id));
  });

  r.post('/api/v1/signing/certificates/:id/retire', {
    schema: {
      tags: ['signing'], summary: 'Stop signing with a certificate (e.g. compromised or replaced); kept for the documents it signed',
      params: z.object({ id: z.string() }), response: { 200: SigningCertificate, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const agencies = await scope(actor);
    if (!isUuid(req.params.id)) throw certificateNotFound();
    await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('agencyCertificates').select(['id', 'agencyId', 'status', 'serialNumber', 'sha256']).where('id', '=', req.params.id).forUpdate().executeTakeFirst();
      if (!row || !agencies.includes(row.agencyId)) throw certificateNotFound();
      if (row.status !== 'active') throw conflict('certificate_not_active', { vi: 'Chứng thư số này đã ngừng sử dụng.', en: 'This certificate is already retired.' });
      await tx.updateTable('agencyCertificates').set({ status: 'retired', retiredAt: new Date(), retiredBy: actor.userId }).where('id', '=', row.id).execute();
      await writeAudit(tx, auditCtx(req), { action: 'certificate.retired', objectType: 'agency_certificate', objectId: row.id, details: { agencyId: row.agencyId, serialNumber: row.serialNumber, sha256: row.sha256 } });
    });
    return presentById(req.params.id);
  });

  r.get('/api/v1/signing/warnings', {
    schema: {
      tags: ['signing'], summary: 'What to act on: agencies without a certificate, certificates expiring within 30 days or expired, untrusted ones',
      response: { 200: CertificateWarningList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    reply.header('cache-control', 'no-store');
    return { items: await certificateWarnings(db, config, await scope(actor)) };
  });

  r.get('/api/v1/signing/trust-anchors', {
    schema: { tags: ['signing'], summary: 'The root certificates signatures are checked against (public)', response: { 200: TrustAnchorList } },
  }, async () => {
    const anchors = await trustAnchors(db, config);
    return {
      items: anchors.map((a) => {
        const c = parseCertificate(a.der);
        return { name: a.name, subject: c.subject, sha256: c.sha256, notAfter: c.notAfter.toISOString(), source: a.source };
      }),
    };
  });

  // ---------------------------------------------------------------- public verification

  const maxBytes = config.UPLOAD_MAX_FILE_MB * 1024 * 1024;
  const notPdf = () => fieldError('body.file', 'Tệp không phải PDF.', 'The file is not a PDF.');

  async function pdfFrom(req: FastifyRequest): Promise<Buffer> {
    if (req.isMultipart()) {
      const part = await req.file({ limits: { fileSize: maxBytes } });
      if (!part || part.fieldname !== 'file') throw fieldError('body.file', 'Chưa có tệp PDF (trường file).', 'No PDF was sent (field file).');
      return part.toBuffer();
    }
    if (Buffer.isBuffer(req.body)) return req.body;
    throw fieldError('body.file', 'Gửi tệp PDF (multipart, trường file; hoặc nội dung application/pdf).', 'Send the PDF (multipart field file, or an application/pdf body).');
  }

  app.register(async (scoped) => {
    // Raw PDF bodies only on these routes.
    scoped.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    scoped.withTypeProvider<ZodTypeProvider>().post('/api/v1/signatures/verify', {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['signing'],
        summary: 'Verify the signatures of any PDF (multipart field `file`, or an `application/pdf` body): signer, time, intact, trusted, issued by this system',
        response: { 200: VerificationReport, 400: ApiError, 413: ApiError, 415: ApiError, 429: ApiError },
      },
    }, async (req, reply) => {
      const pdf = await pdfFrom(req);
      if (pdf.length === 0 || !pdf.subarray(0, 1024).includes('%PDF-')) throw notPdf();
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      const [signatures, issued] = await Promise.all([
        trustAnchors(db, config).then((anchors) => verifyPdf(pdf, anchors)),
        issuedDocument(db, { sha256 }),
      ]);
      const checks = signatures.map(presentCheck);
      const worst: VerificationReport['summary'] = checks.length === 0 ? 'unsigned'
        : checks.some((c) => c.status === 'altered') ? 'altered'
        : checks.some((c) => c.status === 'untrusted') ? 'untrusted' : 'valid';
      reply.header('cache-control', 'no-store');
      return { sha256, size: pdf.length, summary: worst, signatures: checks, issuedByThisSystem: issued, checkedAt: new Date().toISOString() };
    });
  });

  r.get('/api/v1/signatures/documents/:id', {
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      tags: ['signing'], summary: 'A document this system signed, by the id in its QR code (public, no personal data): compare its SHA-256 with your copy',
      params: z.object({ id: z.string() }), response: { 200: IssuedDocument, 404: ApiError, 429: ApiError },
    },
  }, async (req) => {
    const doc = isUuid(req.params.id) ? await issuedDocument(db, { id: req.params.id }) : null;
    if (!doc) throw notFound({ vi: 'Không tìm thấy văn bản do hệ thống phát hành với mã này.', en: 'No document issued by this system has this id.' });
    return doc;
  });

  // ---------------------------------------------------------------- a dossier's signed documents

  r.get('/api/v1/dossiers/:id/signed-documents', {
    schema: {
      tags: ['signing'], summary: 'Signed documents of a dossier: its signed results and receipt slips (its applicant or the officials handling it)',
      params: z.object({ id: z.string() }), response: { 200: DossierSignedDocumentList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await loadDossier(db, services.calendar, req.params.id);
    if (!l) throw notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });
    await assertCanView(db, actor, l);
    const rows = await db.selectFrom('signedDocuments as s')
      .innerJoin('agencies as a', 'a.id', 's.agencyId')
      .innerJoin('agencyCertificates as c', 'c.id', 's.certificateId')
      .leftJoin('dossierFiles as f', 'f.id', 's.fileId')
      .select(['s.id', 's.kind', 's.fileId', 's.sourceFileId', 'f.filename', 's.sha256', 's.size', 's.signedAt', 's.signerName',
        'a.code as agencyCode', 'a.name as agencyName', 'c.subjectCn', 'c.serialNumber', 'c.notAfter'])
      .where('s.dossierId', '=', l.row.id).orderBy('s.signedAt').execute();
    reply.header('cache-control', 'no-store');
    return {
      items: rows.map((x) => ({
        id: x.id, kind: x.kind, fileId: x.fileId, sourceFileId: x.sourceFileId, filename: x.filename, sha256: x.sha256, size: Number(x.size),
        signedAt: x.signedAt.toISOString(), signerName: x.signerName, agency: { code: x.agencyCode, name: x.agencyName },
        certificate: { subjectCommonName: x.subjectCn, serialNumber: x.serialNumber, notAfter: x.notAfter.toISOString() },
        verifyUrl: verifyLink(deps, x.id),
      })),
    };
  });
}
