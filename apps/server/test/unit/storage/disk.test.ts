import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobRejected, diskBlobStore } from '../../../src/adapters/storage/index.ts';

const root = mkdtempSync(join(tmpdir(), 'motcua-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = diskBlobStore(root);
const pdf = (body: string) => Buffer.from(`%PDF-1.7\n${body}\n%%EOF\n`);
const chunks = (buf: Buffer, size = 1000) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));
const tmpFiles = () => readdirSync(join(root, 'tmp'));

describe('content-addressed disk store', () => {
  it('stores a file under its SHA-256, once, whatever it was called', async () => {
    const data = pdf('hello '.repeat(5000));
    const a = await store.put(chunks(data), { maxBytes: 1 << 20 });
    const b = await store.put(chunks(data), { maxBytes: 1 << 20 });
    expect(a).toEqual(b);
    expect(a.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(a.mime).toBe('application/pdf');
    expect(readFileSync(join(root, a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256)).equals(data)).toBe(true);
    expect(await store.exists(a.sha256)).toBe(true);
    expect(tmpFiles()).toEqual([]);
  });

  it('judges the type by the bytes, not the name: a script renamed .pdf is refused', async () => {
    await expect(store.put(Readable.from([Buffer.from('#!/bin/sh\nrm -rf /\n')]), { maxBytes: 1000 })).rejects.toMatchObject({ reason: 'type_not_allowed' });
    await expect(store.put(Readable.from([Buffer.from('<html><script>alert(1)</script>')]), { maxBytes: 1000 })).rejects.toBeInstanceOf(BlobRejected);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
    expect((await store.put(Readable.from([png]), { maxBytes: 1000 })).mime).toBe('image/png');
    expect(tmpFiles()).toEqual([]);
  });

  it('stops reading past the size limit and leaves nothing behind', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(produced === 64 * 1024 ? Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(64 * 1024 - 5)]) : Buffer.alloc(64 * 1024));
        if (produced > 50 * 1024 * 1024) this.push(null);
      },
    });
    await expect(store.put(endless, { maxBytes: 256 * 1024 })).rejects.toMatchObject({ reason: 'too_large' });
    expect(produced).toBeLessThan(2 * 1024 * 1024);
    expect(tmpFiles()).toEqual([]);
  });

  it('refuses empty files and a failing input without leaving a partial file', async () => {
    await expect(store.put(Readable.from([]), { maxBytes: 10 })).rejects.toMatchObject({ reason: 'empty' });
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(broken, { maxBytes: 1000 })).rejects.toThrow('connection reset');
    expect(tmpFiles()).toEqual([]);
  });

  it('never opens a path built from anything but a hash', () => {
    expect(() => store.open('../../etc/passwd')).toThrow();
  });

  it('removes a blob\'s bytes, and removing it again is no error', async () => {
    const a = await store.put(Readable.from([pdf('to be removed')]), { maxBytes: 1000 });
    await store.remove(a.sha256);
    expect(await store.exists(a.sha256)).toBe(false);
    await expect(store.remove(a.sha256)).resolves.toBeUndefined();
    await expect(store.remove('../../etc/passwd')).rejects.toThrow();
  });
});
