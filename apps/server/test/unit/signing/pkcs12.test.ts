import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthority, issueSigningCertificate, newKey } from '../../../src/adapters/signing/authority.ts';
import { localSigningKey, openPkcs12, Pkcs12Error } from '../../../src/adapters/signing/local.ts';
import { tempDir } from '../documents/pdf-tools.ts';
import { opensslPkcs12 } from './tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());
const ca = createAuthority([['C', 'VN'], ['CN', 'CA thử nghiệm']]);
const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof Pkcs12Error ? err.reason : String(err);
  }
  return 'no error';
};

describe('PKCS#12 files made by OpenSSL', () => {
  it('opens an EC key (AES-256, the OpenSSL 3 default) with its chain in order', () => {
    const leaf = issueSigningCertificate(ca, [['CN', 'Sở Tư pháp']]);
    const p12 = opensslPkcs12(dir, leaf.privateKey, [leaf.certificate, ca.certificate], 'mật khẩu 123');
    const opened = openPkcs12(p12, 'mật khẩu 123');
    expect(opened.chain).toEqual([leaf.certificate, ca.certificate]);
    expect(opened.privateKey.asymmetricKeyType).toBe('ec');
    expect(localSigningKey(opened.privateKey, opened.chain).algorithm).toBe('ec');
  });

  it('opens a legacy 3DES file with an RSA key (as older Windows exports)', () => {
    const key = newKey('rsa');
    const leaf = issueSigningCertificate(ca, [['CN', 'UBND']], { key });
    const opened = openPkcs12(opensslPkcs12(dir, key, [leaf.certificate, ca.certificate], 'secret', { legacy: true }), 'secret');
    expect(opened.chain[0]).toEqual(leaf.certificate);
    expect(opened.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('names what is wrong: password, damage, no key, weak key', () => {
    const leaf = issueSigningCertificate(ca, [['CN', 'X']]);
    const p12 = opensslPkcs12(dir, leaf.privateKey, [leaf.certificate], 'right');
    expect(reason(() => openPkcs12(p12, 'wrong'))).toBe('wrong_password');
    expect(reason(() => openPkcs12(Buffer.from('not a pkcs12 file at all'), 'x'))).toBe('malformed');
    expect(reason(() => openPkcs12(opensslPkcs12(dir, leaf.privateKey, [leaf.certificate], 'x', { noKey: true }), 'x'))).toBe('no_key');
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const weakLeaf = issueSigningCertificate(ca, [['CN', 'Y']], { key: weak });
    expect(reason(() => openPkcs12(opensslPkcs12(dir, weak, [weakLeaf.certificate], 'x'), 'x'))).toBe('unsupported_key');
  });

  it('refuses a key that does not belong to the certificate', () => {
    const leaf = issueSigningCertificate(ca, [['CN', 'Z']]);
    expect(() => localSigningKey(newKey(), [leaf.certificate])).toThrow(/does not belong/);
  });
});
