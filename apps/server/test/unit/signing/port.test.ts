import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createAuthority, issueSigningCertificate } from '../../../src/adapters/signing/authority.ts';
import { signPdf } from '../../../src/adapters/signing/pades.ts';
import { SigningKeyError, withDeadline, type SigningKey } from '../../../src/adapters/signing/port.ts';

describe('the signing port', () => {
  it('a signing service that does not answer fails within the deadline, and nothing is signed (never fails open)', async () => {
    const ca = createAuthority([['CN', 'CA']]);
    const leaf = issueSigningCertificate(ca, [['CN', 'Cơ quan']]);
    const silent: SigningKey = { chain: [leaf.certificate, ca.certificate], algorithm: 'ec', sign: () => new Promise<Buffer>(() => undefined) };
    const doc = await PDFDocument.create();
    doc.addPage();
    const started = Date.now();
    const err = await signPdf(doc, withDeadline(silent, 50), { signingTime: new Date(), name: 'x', reason: 'y', location: 'z' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigningKeyError);
    expect((err as SigningKeyError).reason).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
