import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { degrees, PDFDocument } from 'pdf-lib';
import { Signer } from '@signpdf/utils';
import { SignPdf } from '@signpdf/signpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthority, issueSigningCertificate, newKey, type Authority } from '../../../src/adapters/signing/authority.ts';
import { localSigningKey } from '../../../src/adapters/signing/local.ts';
import { addSignatureField, signPdf } from '../../../src/adapters/signing/pades.ts';
import type { SigningKey } from '../../../src/adapters/signing/port.ts';
import { verifyPdf, type TrustAnchor } from '../../../src/adapters/signing/verify.ts';
import { toPem } from '../../../src/adapters/signing/x509.ts';
import { renderRefusal } from '../../../src/modules/documents/index.ts';
import { openForSigning, stamp, Unsignable } from '../../../src/modules/signing/stamp.ts';
import { buildRefusal } from '../documents/fixtures.ts';
import { pdfInfo, pdfText, rasterise, squash, tempDir } from '../documents/pdf-tools.ts';
import { pdfsig } from './tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());

const ca = createAuthority([['C', 'VN'], ['O', 'motcua DEMO'], ['CN', 'motcua Demo CA (thử nghiệm)']]);
const anchors: TrustAnchor[] = [{ name: 'Demo CA', der: ca.certificate, source: 'demo' }];
const AGENCY = 'Sở Khoa học và Công nghệ tỉnh Khánh Hòa (demo)';

function keyFrom(authority: Authority, o: { rsa?: boolean; notBefore?: Date; notAfter?: Date } = {}): SigningKey {
  const issued = issueSigningCertificate(authority, [['C', 'VN'], ['O', AGENCY], ['CN', AGENCY]], { ...o, key: newKey(o.rsa ? 'rsa' : 'ec') });
  return localSigningKey(issued.privateKey, [issued.certificate, authority.certificate]);
}

const VERIFY = 'https://dichvucong.khanhhoa.example.vn/verify';
const DOC_ID = '3f1c6a52-9b0e-4c55-8a55-5b6e0d6c2d11';

/** A one-stop form (Vietnamese, Tinos) stamped and signed as the service does it. */
async function signForm(key: SigningKey, signedAt = new Date()): Promise<{ original: Uint8Array; signed: Buffer }> {
  const original = await renderRefusal(buildRefusal());
  const doc = await openForSigning(original, 'application/pdf');
  const where = await stamp(doc, {
    agencyName: AGENCY, signerName: 'Hoàng Văn Em', signedAt,
    certificate: { commonName: AGENCY, issuerCommonName: 'motcua Demo CA (thử nghiệm)', serialNumber: '4A1B2C' },
    verifyPage: VERIFY, verifyUrl: `${VERIFY}?doc=${DOC_ID}`, documentId: DOC_ID,
  });
  const signed = await signPdf(doc, key, { widget: where, signingTime: signedAt, name: AGENCY, reason: 'Phê duyệt kết quả', location: 'Khánh Hòa' });
  return { original, signed };
}

let ec: { original: Uint8Array; signed: Buffer };
beforeAll(async () => {
  ec = await signForm(keyFrom(ca));
});

describe('signing a PDF (PAdES, ECDSA P-256, SHA-256)', () => {
  it('is valid for poppler\'s pdfsig, covering the whole document, and for our verifier', async () => {
    const out = pdfsig(dir.write('signed.pdf', ec.signed));
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain(`Signer Certificate Common Name: ${AGENCY}`);
    const [sig, ...more] = await verifyPdf(ec.signed, anchors);
    expect(more).toHaveLength(0);
    expect(sig).toMatchObject({ status: 'valid', intact: true, coversWholeDocument: true, digestMatches: true, signatureValid: true, trusted: true, anchor: 'Demo CA', problems: [] });
    expect(sig!.signer!.subjectCommonName).toBe(AGENCY);
    expect(sig!.chain.map((c) => c.subjectCommonName)).toEqual([AGENCY, 'motcua Demo CA (thử nghiệm)']);
    expect(sig!.reason).toBe('Phê duyệt kết quả');
  });

  it('also works with an RSA-2048 key', async () => {
    const rsa = await signForm(keyFrom(ca, { rsa: true }));
    expect(pdfsig(dir.write('rsa.pdf', rsa.signed))).toContain('Signature is Valid.');
    expect((await verifyPdf(rsa.signed, anchors))[0]!.status).toBe('valid');
  });

  it('keeps the document and adds a visible block whose Vietnamese text extracts exactly, with the QR code of the verification page', () => {
    const before = dir.write('before.pdf', ec.original);
    const after = dir.write('after.pdf', ec.signed);
    expect(pdfInfo(after).pages).toBe(pdfInfo(before).pages);
    const text = squash(pdfText(after));
    expect(text).toContain(squash(pdfText(before)).trim().slice(0, 200));
    expect(text).toContain('ĐÃ KÝ SỐ — DIGITALLY SIGNED');
    expect(text).toContain('Cơ quan ký: SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH KHÁNH HÒA (DEMO)');
    expect(text).toContain('Người ký: Hoàng Văn Em');
    expect(text).toMatch(/Thời gian ký: \d\d:\d\d, ngày \d\d\/\d\d\/\d{4} \(GMT\+7\)/);
    expect(text).toContain(`mã văn bản ${DOC_ID}`);
    // The block sits in a strip added below the last page: the page is taller, nothing is covered.
    const last = pdfInfo(after).pages;
    const png = rasterise(after, last, 150, dir);
    const bottom = Math.floor(png.height * 0.8);
    const data = new Uint8ClampedArray(png.width * (png.height - bottom) * 4);
    data.set(png.data.subarray(bottom * png.width * 4));
    expect(jsQR(data, png.width, png.height - bottom)?.data).toBe(`${VERIFY}?doc=${DOC_ID}`);
  });

  it('one byte changed after signing: altered for pdfsig and for our verifier', async () => {
    const tampered = Buffer.from(ec.signed);
    const at = tampered.indexOf('/MediaBox');
    tampered[at + 1] = 'N'.charCodeAt(0);
    expect(pdfsig(dir.write('tampered.pdf', tampered))).toMatch(/Digest Mismatch|Signature is Invalid/);
    const [sig] = await verifyPdf(tampered, anchors);
    expect(sig).toMatchObject({ status: 'altered', intact: false, digestMatches: false });
    expect(sig!.problems).toContain('digest_mismatch');
    // A byte of the signature itself.
    const broken = Buffer.from(ec.signed);
    const contents = broken.indexOf('/Contents <') + 60;
    broken[contents] = broken[contents] === 0x41 ? 0x42 : 0x41;
    expect((await verifyPdf(broken, anchors))[0]!.status).toBe('altered');
  });

  it('content appended after signing is not covered: altered', async () => {
    const appended = Buffer.concat([ec.signed, Buffer.from('\n% appended after signing\n')]);
    const [sig] = await verifyPdf(appended, anchors);
    expect(sig).toMatchObject({ status: 'altered', coversWholeDocument: false, digestMatches: true });
    expect(sig!.problems).toContain('not_whole_document');
    expect(pdfsig(dir.write('appended.pdf', appended))).not.toContain('Total document signed');
  });

  it('a certificate from a CA we do not trust: intact but untrusted', async () => {
    const stranger = createAuthority([['C', 'VN'], ['CN', 'CA lạ']]);
    const other = await signForm(keyFrom(stranger));
    expect(pdfsig(dir.write('stranger.pdf', other.signed))).toContain('Signature is Valid.');
    const [sig] = await verifyPdf(other.signed, anchors);
    expect(sig).toMatchObject({ status: 'untrusted', intact: true, trusted: false, anchor: null });
    expect(sig!.problems).toEqual(['untrusted_chain']);
    // With no anchors at all, even our own signature is only intact.
    expect((await verifyPdf(ec.signed, []))[0]!.status).toBe('untrusted');
  });

  it('a certificate that was not valid at the signing time is not valid', async () => {
    const expired = keyFrom(ca, { notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const late = await signForm(expired);
    const [sig] = await verifyPdf(late.signed, anchors);
    expect(sig).toMatchObject({ status: 'untrusted', intact: true, certificateValidAtSigningTime: false });
    expect(sig!.problems).toContain('certificate_not_valid_at_signing_time');
  });

  it('verifies a signature OpenSSL made (adbe.pkcs7-style CMS with signing time, RSA): an independent signer', async () => {
    const key = newKey('rsa');
    const leaf = issueSigningCertificate(ca, [['CN', 'Ký bằng OpenSSL']], { key });
    const keyFile = dir.write('o.key', Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }) as string));
    const certFile = dir.write('o.crt', Buffer.from(toPem(leaf.certificate)));
    const caFile = dir.write('o.ca', Buffer.from(toPem(ca.certificate)));
    class OpensslSigner extends Signer {
      override async sign(content: Buffer): Promise<Buffer> {
        const input = dir.write('o.bin', content);
        return execFileSync('openssl', ['cms', '-sign', '-binary', '-in', input, '-signer', certFile, '-inkey', keyFile, '-certfile', caFile, '-outform', 'DER', '-md', 'sha256']);
      }
    }
    const doc = await PDFDocument.load(await renderRefusal(buildRefusal()));
    addSignatureField(doc, { signingTime: new Date(), name: 'OpenSSL', reason: 'Thử nghiệm', location: 'Nha Trang', reserve: 8192 });
    const signed = await new SignPdf().sign(Buffer.from(await doc.save({ useObjectStreams: false })), new OpensslSigner());
    const [sig] = await verifyPdf(signed, anchors);
    expect(sig).toMatchObject({ status: 'valid', intact: true });
    expect(sig!.signer!.subjectCommonName).toBe('Ký bằng OpenSSL');
    expect(pdfsig(dir.write('openssl.pdf', signed))).toContain('Signature is Valid.');
  });

  it('a rotated last page gets a page of its own for the block', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([841.89, 595.28]).setRotation(degrees(90));
    const where = await stamp(doc, {
      agencyName: AGENCY, signerName: null, signedAt: new Date(), certificate: { commonName: AGENCY, issuerCommonName: 'CA', serialNumber: '01' },
      verifyPage: VERIFY, verifyUrl: `${VERIFY}?doc=${DOC_ID}`, documentId: DOC_ID,
    });
    expect(doc.getPageCount()).toBe(2);
    expect(where.page).toBe(doc.getPage(1));
    expect(doc.getPage(0).getSize()).toEqual({ width: 841.89, height: 595.28 });
  });

  it('turns a PNG or JPEG result into a signed PDF, and refuses what cannot be signed', async () => {
    const pngFile = join(dir.path, 'scan');
    execFileSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', '-singlefile', dir.write('scan.pdf', ec.original), pngFile]);
    const image = await openForSigning(readFileSync(`${pngFile}.png`), 'image/png');
    expect(image.getPageCount()).toBe(1);
    const reasonOf = async (bytes: Uint8Array, mime: string) => openForSigning(bytes, mime).then(() => 'opened', (e: unknown) => (e instanceof Unsignable ? e.why.en : String(e)));
    expect(await reasonOf(ec.signed, 'application/pdf')).toMatch(/already carries a digital signature/);
    expect(await reasonOf(Buffer.from('%PDF-1.4\n% not really\n%%EOF\n'), 'application/pdf')).toMatch(/damaged/);
    expect(await reasonOf(Buffer.from('PK\u0003\u0004'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toMatch(/only PDF/);
  });
});
