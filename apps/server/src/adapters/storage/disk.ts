import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobRejected, type BlobInfo, type BlobStore } from './port.ts';
import { DOCUMENT_TYPES, sniffMime } from './sniff.ts';

const SNIFF_BYTES = 64 * 1024;

async function fsyncDir(dir: string) {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Blobs on local disk under `root/ab/cd/<sha256>`. A file is written to `root/tmp`, fsynced,
 * then renamed into place and its folder fsynced: after a crash a blob is either whole or absent.
 */
export function diskBlobStore(root: string): BlobStore {
  const tmpDir = join(root, 'tmp');
  const pathOf = (sha: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('invalid blob id');
    return join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };

  return {
    async put(input: Readable, { maxBytes, allowed = DOCUMENT_TYPES }): Promise<BlobInfo> {
      await mkdir(tmpDir, { recursive: true });
      const tmp = join(tmpDir, randomBytes(16).toString('hex'));
      const fh = await open(tmp, 'wx', 0o600);
      const hash = createHash('sha256');
      let size = 0;
      const head: Buffer[] = [];
      let headLen = 0;
      let mime: string | null = null;
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new BlobRejected('too_large', `file exceeds ${maxBytes} bytes`);
          if (headLen < SNIFF_BYTES) {
            head.push(chunk);
            headLen += chunk.length;
          }
          hash.update(chunk);
          await fh.write(chunk);
        }
        if (size === 0) throw new BlobRejected('empty', 'empty file');
        mime = sniffMime(Buffer.concat(head).subarray(0, SNIFF_BYTES));
        if (!mime || !allowed.includes(mime)) throw new BlobRejected('type_not_allowed', 'file type not allowed');
        await fh.sync();
        await fh.close();
      } catch (err) {
        await fh.close().catch(() => undefined);
        await rm(tmp, { force: true });
        // Drain what is left so the request can finish cleanly.
        input.resume();
        throw err;
      }
      const sha256 = hash.digest('hex');
      const dest = pathOf(sha256);
      const dir = join(dest, '..');
      await mkdir(dir, { recursive: true });
      await rename(tmp, dest);
      await fsyncDir(dir);
      return { sha256, size, mime };
    },
    open(sha256) {
      return createReadStream(pathOf(sha256));
    },
    async exists(sha256) {
      try {
        await stat(pathOf(sha256));
        return true;
      } catch {
        return false;
      }
    },
    async remove(sha256) {
      const path = pathOf(sha256);
      await rm(path, { force: true });
      await fsyncDir(join(path, '..')).catch(() => undefined);
    },
  };
}
