/**
 * The signing port: whatever holds an agency's private key. Today the key is the one the agency
 * uploaded as PKCS#12, kept sealed in the database and used in process (local.ts). A remote
 * signing service or an HSM (a national remote-signing provider, a PKCS#11 token) implements
 * the same interface: it is handed the small DER of the signed attributes, hashes it with
 * SHA-256 and returns the raw signature; the PDF itself never leaves the server.
 */
export interface SigningKey {
  /** The signer's certificate first, then its issuers (DER). */
  readonly chain: readonly Buffer[];
  readonly algorithm: 'rsa' | 'ec';
  /**
   * Signs `data` with SHA-256: PKCS#1 v1.5 for RSA, a DER ECDSA-Sig-Value for EC.
   * @throws SigningKeyError when the key cannot be used or its service does not answer.
   */
  sign(data: Buffer): Promise<Buffer>;
}

export type SigningKeyFailure = 'unusable' | 'unavailable';

export class SigningKeyError extends Error {
  constructor(readonly reason: SigningKeyFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/**
 * The same key with a deadline: a slow or silent signing service fails the signature (and so
 * the action that needed it) instead of holding the dossier's lock indefinitely.
 */
export function withDeadline(key: SigningKey, ms: number): SigningKey {
  return {
    chain: key.chain,
    algorithm: key.algorithm,
    sign(data) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SigningKeyError('unavailable', `the signing service did not answer within ${ms} ms`)), ms);
      });
      return Promise.race([key.sign(data), deadline]).finally(() => clearTimeout(timer));
    },
  };
}
