import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createAuthority, issueSigningCertificate, localSigningKey, signPdf, verifyPdf } from '../../../src/adapters/signing/index.ts';
import { toPem } from '../../../src/adapters/signing/x509.ts';
import { PDFDocument } from 'pdf-lib';
import { tempDir } from '../documents/pdf-tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());
const KEY = '11'.repeat(32);
const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: KEY, ...env } as NodeJS.ProcessEnv, { cwd: dir.path });

describe('signature settings', () => {
  it('defaults: the verification page under PUBLIC_URL, the demo CA trusted with the demo seed', () => {
    const c = config({ PUBLIC_URL: 'https://dichvucong.example.vn/' });
    expect(c.signing).toMatchObject({ verifyUrl: 'https://dichvucong.example.vn/verify', trustDemoCa: true, trustAnchors: [], timeoutMs: 10_000 });
    expect(config({ DEMO_SEED: 'false' }).signing.trustDemoCa).toBe(false);
    expect(config({ SIGNING_TRUST_DEMO_CA: 'false' }).signing.trustDemoCa).toBe(false);
  });

  it('reads trust anchors (e.g. the national root) from PEM files, and a root named there makes its signatures trusted', async () => {
    const root = createAuthority([['C', 'VN'], ['O', 'Root CA (thử nghiệm)'], ['CN', 'Vietnam National Root CA (test)']]);
    dir.write('root.pem', Buffer.from(toPem(root.certificate)));
    const c = config({ SIGNING_TRUST_ANCHORS: 'root.pem' });
    expect(c.signing.trustAnchors).toEqual([{ name: 'CN=Vietnam National Root CA (test), O=Root CA (thử nghiệm), C=VN', der: root.certificate }]);
    const leaf = issueSigningCertificate(root, [['CN', 'Ủy ban nhân dân tỉnh']]);
    const doc = await PDFDocument.create();
    doc.addPage();
    const signed = await signPdf(doc, localSigningKey(leaf.privateKey, [leaf.certificate, root.certificate]), { signingTime: new Date(), name: 'x', reason: 'y', location: 'z' });
    const anchors = c.signing.trustAnchors.map((a) => ({ ...a, source: 'config' as const }));
    expect((await verifyPdf(signed, anchors))[0]).toMatchObject({ status: 'valid', anchor: 'CN=Vietnam National Root CA (test), O=Root CA (thử nghiệm), C=VN' });
  });

  it('stops the start on a missing file, a file without a certificate, or a certificate that is not a CA', () => {
    expect(() => config({ SIGNING_TRUST_ANCHORS: 'nowhere.pem' })).toThrow(/SIGNING_TRUST_ANCHORS: nowhere.pem does not exist/);
    dir.write('empty.pem', Buffer.from('-----BEGIN NOTHING-----\n-----END NOTHING-----\n'));
    expect(() => config({ SIGNING_TRUST_ANCHORS: 'empty.pem' })).toThrow(/holds no certificate/);
    const ca = createAuthority([['CN', 'CA']]);
    dir.write('leaf.pem', Buffer.from(toPem(issueSigningCertificate(ca, [['CN', 'Not a CA']]).certificate)));
    expect(() => config({ SIGNING_TRUST_ANCHORS: 'leaf.pem' })).toThrow(/is not a CA certificate/);
    expect(() => config({ SIGNING_VERIFY_URL: 'ftp://x' })).toThrow(/SIGNING_VERIFY_URL/);
  });
});
