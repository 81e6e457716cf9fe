/**
 * The local implementation of the signing port: a private key opened from the agency's PKCS#12
 * file (.p12/.pfx, as licensed Vietnamese CAs and Windows export them) and used in process.
 */
import { createPrivateKey, createPublicKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { SigningKey } from './port.ts';
import { SigningKeyError } from './port.ts';
import { parseCertificate } from './x509.ts';

export type Pkcs12Failure = 'malformed' | 'wrong_password' | 'no_key' | 'several_keys' | 'no_certificate' | 'unsupported_key';

export class Pkcs12Error extends Error {
  constructor(readonly reason: Pkcs12Failure, message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

export interface OpenedPkcs12 {
  privateKey: KeyObject;
  /** The certificate of `privateKey` first, then its issuers found in the file, in order. */
  chain: Buffer[];
}

const der = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

/**
 * Opens a PKCS#12 file with its password (legacy 3DES/RC2 and current PBES2/AES files alike)
 * and returns the one private key with the certificate chain that belongs to it.
 * @throws Pkcs12Error for a damaged file, a wrong password, no key or no matching certificate,
 * or a key type the signer cannot use (RSA under 2048 bits, curves other than P-256/384/521).
 */
export function openPkcs12(file: Buffer, password: string): OpenedPkcs12 {
  const p12 = parsePfx(file, password);
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  if (keyBags.length === 0) throw new Pkcs12Error('no_key', 'the file holds no private key');
  if (keyBags.length > 1) throw new Pkcs12Error('several_keys', 'the file holds more than one private key');
  const bag = keyBags[0]!;
  // forge only models RSA keys; others (EC) come back as their PrivateKeyInfo.
  const pkcs8 = bag.key
    ? der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey)))
    : bag.asn1 ? der(bag.asn1) : null;
  if (!pkcs8) throw new Pkcs12Error('no_key', 'the private key could not be read');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Pkcs12Error('unsupported_key', 'the private key could not be read');
  }
  assertUsableKey(privateKey);
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .flatMap((b): Buffer[] => (b.cert ? [der(forge.pki.certificateToAsn1(b.cert))] : b.asn1 ? [der(b.asn1)] : []));
  return { privateKey, chain: orderChain(privateKey, certs) };
}

function parsePfx(file: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  const asn1 = () => forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary')), false);
  let pfx: forge.asn1.Asn1;
  try {
    pfx = asn1();
  } catch (err) {
    throw new Pkcs12Error('malformed', `not a PKCS#12 file: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(pfx, false, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/MAC could not be verified/i.test(message)) throw new Pkcs12Error('wrong_password', 'wrong password');
    if (!/decrypt/i.test(message)) throw new Pkcs12Error('malformed', `not a PKCS#12 file: ${message}`);
  }
  // The MAC held (its key comes from the password as BMPString), but PBES2, which OpenSSL 3 uses
  // by default, derives its key from the password's UTF-8 bytes, and forge takes the password
  // as a binary string: a non-ASCII password is retried as UTF-8, the MAC being already checked.
  if ([...password].some((ch) => ch.charCodeAt(0) > 0x7f)) {
    const withoutMac = asn1();
    (withoutMac.value as forge.asn1.Asn1[]).splice(2);
    try {
      return forge.pkcs12.pkcs12FromAsn1(withoutMac, false, Buffer.from(password, 'utf8').toString('binary'));
    } catch {
      // fall through
    }
  }
  throw new Pkcs12Error('wrong_password', 'the contents could not be decrypted with this password');
}

/** RSA of 2048 bits or more, or ECDSA on P-256, P-384 or P-521. */
export function assertUsableKey(key: KeyObject): void {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && (d.modulusLength ?? 0) >= 2048) return;
  if (key.asymmetricKeyType === 'ec' && ['prime256v1', 'secp384r1', 'secp521r1'].includes(d.namedCurve ?? '')) return;
  throw new Pkcs12Error('unsupported_key', `unsupported key (${key.asymmetricKeyType} ${d.modulusLength ?? d.namedCurve ?? ''})`);
}

/** The certificate of `privateKey`, then each issuer found among `certs`. */
export function orderChain(privateKey: KeyObject, certs: Buffer[]): Buffer[] {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const leaf = certs.find((c) => new X509Certificate(c).publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  if (!leaf) throw new Pkcs12Error('no_certificate', 'no certificate in the file matches the private key');
  const chain = [leaf];
  for (let cur = leaf; chain.length < 10;) {
    const info = parseCertificate(cur);
    if (info.issuerDer.equals(info.subjectDer)) break;
    const x = new X509Certificate(cur);
    const issuer = certs.find((c) => !chain.includes(c) && parseCertificate(c).subjectDer.equals(info.issuerDer) && x.verify(new X509Certificate(c).publicKey));
    if (!issuer) break;
    chain.push(issuer);
    cur = issuer;
  }
  return chain;
}

/**
 * A signing key held in this process. Checks once that the key belongs to the certificate.
 * @throws SigningKeyError('unusable') when it does not.
 */
export function localSigningKey(privateKey: KeyObject, chain: Buffer[]): SigningKey {
  const leaf = chain[0];
  if (!leaf) throw new SigningKeyError('unusable', 'no certificate');
  const algorithm = privateKey.asymmetricKeyType === 'ec' ? 'ec' : privateKey.asymmetricKeyType === 'rsa' ? 'rsa' : null;
  if (!algorithm) throw new SigningKeyError('unusable', `unsupported key type ${privateKey.asymmetricKeyType}`);
  if (!new X509Certificate(leaf).publicKey.equals(createPublicKey(privateKey))) {
    throw new SigningKeyError('unusable', 'the private key does not belong to the certificate');
  }
  return {
    chain,
    algorithm,
    async sign(data) {
      return sign('sha256', data, privateKey);
    },
  };
}
