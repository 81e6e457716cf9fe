/** Independent tools for signature tests: poppler's pdfsig and the OpenSSL command line. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { toPem } from '../../../src/adapters/signing/x509.ts';
import type { TempDir } from '../documents/pdf-tools.ts';

/** `pdfsig` of a file: its whole report (it exits non-zero for some broken signatures). */
export function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** A PKCS#12 made by OpenSSL, as a CA or Windows would hand it over; `legacy` uses 3DES and a SHA-1 MAC. */
export function opensslPkcs12(dir: TempDir, key: KeyObject, chain: Buffer[], password: string, o: { legacy?: boolean; noKey?: boolean } = {}): Buffer {
  const id = Math.random().toString(36).slice(2);
  const keyFile = join(dir.path, `${id}.key`);
  const certFile = join(dir.path, `${id}.crt`);
  const caFile = join(dir.path, `${id}.ca`);
  const out = join(dir.path, `${id}.p12`);
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(certFile, toPem(chain[0]!));
  writeFileSync(caFile, chain.slice(1).map((c) => toPem(c)).join(''));
  const args = ['pkcs12', '-export', '-in', certFile, '-passout', `pass:${password}`, '-out', out];
  if (!o.noKey) args.push('-inkey', keyFile);
  else args.push('-nokeys');
  if (chain.length > 1) args.push('-certfile', caFile);
  if (o.legacy) args.push('-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
  execFileSync('openssl', args);
  return readFileSync(out);
}
