import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthority, issueSigningCertificate, newKey } from '../../../src/adapters/signing/authority.ts';
import { elementLength, oid, parseDer, readOid, readTime, time } from '../../../src/adapters/signing/der.ts';
import { parseCertificate, readCertificates, toPem } from '../../../src/adapters/signing/x509.ts';
import { tempDir } from '../documents/pdf-tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('DER', () => {
  it('round-trips object identifiers and times, UTCTime before 2050 and GeneralizedTime after', () => {
    for (const id of ['1.2.840.113549.1.9.16.2.47', '2.5.4.3', '2.16.840.1.101.3.4.2.1', '0.9.2342.19200300.100.1.1']) expect(readOid(parseDer(oid(id)))).toBe(id);
    const d = new Date('2049-12-31T23:59:59Z');
    expect(time(d)[0]).toBe(0x17);
    expect(readTime(parseDer(time(d)))).toEqual(d);
    const later = new Date('2051-01-02T03:04:05Z');
    expect(time(later)[0]).toBe(0x18);
    expect(readTime(parseDer(time(later)))).toEqual(later);
  });

  it('measures an element followed by padding, and refuses truncated input', () => {
    const el = oid('2.5.4.3');
    expect(elementLength(Buffer.concat([el, Buffer.alloc(10)]))).toBe(el.length);
    expect(() => parseDer(el.subarray(0, el.length - 1))).toThrow();
  });
});

describe('certificates', () => {
  const ca = createAuthority([['C', 'VN'], ['O', 'Tổ chức thử nghiệm'], ['CN', 'CA thử nghiệm — Khánh Hòa']]);
  const leaf = issueSigningCertificate(ca, [['C', 'VN'], ['ST', 'Khánh Hòa'], ['O', 'Sở Khoa học và Công nghệ'], ['CN', 'Sở Khoa học và Công nghệ tỉnh Khánh Hòa']]);

  it('reads subject, issuer, validity and usage, Vietnamese included', () => {
    const c = parseCertificate(leaf.certificate);
    expect(c.subject).toBe('CN=Sở Khoa học và Công nghệ tỉnh Khánh Hòa, O=Sở Khoa học và Công nghệ, ST=Khánh Hòa, C=VN');
    expect(c.issuerCommonName).toBe('CA thử nghiệm — Khánh Hòa');
    expect(c.isCa).toBe(false);
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.keyAlgorithm).toBe('ec');
    expect(c.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(c.serialNumber).toBe(new X509Certificate(leaf.certificate).serialNumber);
    expect(c.authorityKeyId).toBe(parseCertificate(ca.certificate).subjectKeyId);
    const root = parseCertificate(ca.certificate);
    expect(root.isCa).toBe(true);
    expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('issues certificates that OpenSSL verifies against their CA (ECDSA and RSA issuers)', () => {
    const rsaCa = createAuthority([['C', 'VN'], ['CN', 'RSA CA']], { key: newKey('rsa') });
    for (const [issuer, cert] of [[ca, leaf.certificate], [rsaCa, issueSigningCertificate(rsaCa, [['CN', 'Ủy ban nhân dân']]).certificate]] as const) {
      const caFile = dir.write(`ca-${Math.random()}.pem`, Buffer.from(toPem(issuer.certificate)));
      const leafFile = dir.write(`leaf-${Math.random()}.pem`, Buffer.from(toPem(cert)));
      expect(execFileSync('openssl', ['verify', '-CAfile', caFile, leafFile], { encoding: 'utf8' })).toContain(': OK');
      expect(new X509Certificate(cert).verify(new X509Certificate(issuer.certificate).publicKey)).toBe(true);
    }
  });

  it('reads PEM bundles and single DER files', () => {
    expect(readCertificates(Buffer.from(toPem(leaf.certificate) + toPem(ca.certificate)))).toEqual([leaf.certificate, ca.certificate]);
    expect(readCertificates(leaf.certificate)).toEqual([leaf.certificate]);
  });
});
