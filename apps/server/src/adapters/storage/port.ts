import type { Readable } from 'node:stream';

/** What a stored file turned out to be, judged from its bytes (never from its name). */
export interface BlobInfo {
  sha256: string;
  size: number;
  mime: string;
}

export class BlobRejected extends Error {
  constructor(readonly reason: 'too_large' | 'type_not_allowed' | 'empty', message: string) {
    super(message);
    this.name = 'BlobRejected';
  }
}

/**
 * Content-addressed file storage: a file is named by the SHA-256 of its bytes, so the same file
 * is stored once and a name given by a user never reaches the file system.
 */
export interface BlobStore {
  /**
   * Streams `input` into the store, enforcing `maxBytes` while reading and the allow-list on the
   * leading bytes. Nothing is left behind when it throws (BlobRejected, or the input's error).
   */
  put(input: Readable, opts: { maxBytes: number; allowed?: readonly string[] }): Promise<BlobInfo>;
  open(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  /**
   * Deletes the bytes of a blob (nothing happens when they are gone already). Only for a blob no
   * row refers to any more, decided while holding the row lock on its `blobs` row: the bytes are
   * shared by every file with the same content.
   */
  remove(sha256: string): Promise<void>;
}
