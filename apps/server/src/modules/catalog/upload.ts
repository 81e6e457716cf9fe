import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { fieldError } from '../../http/errors.ts';

export interface Upload {
  content: Buffer;
  filename: string | undefined;
}

/**
 * Reads the one file of a `multipart/form-data` request, sent in the part named `file`.
 * Every way it can be wrong (not multipart, no file, another part name, too large) is a 400
 * on `body.file` with a message in both languages.
 */
export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<Upload> {
  const missing = () => fieldError('body.file', 'Hãy gửi tệp trong trường "file" (multipart/form-data).', 'Send the file in the "file" field (multipart/form-data).');
  if (!req.isMultipart()) throw missing();
  const mb = Math.round(maxBytes / 1024 / 1024);
  const tooLarge = () => fieldError('body.file', `Tệp quá lớn (tối đa ${mb} MB).`, `The file is too large (${mb} MB at most).`);
  try {
    const part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 } });
    if (!part || part.fieldname !== 'file') throw missing();
    const content = await part.toBuffer();
    if (part.file.truncated) throw tooLarge();
    return { content, filename: part.filename || undefined };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw fieldError('body.file', 'Chỉ gửi một tệp mỗi lần.', 'Send one file at a time.');
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PROTO_VIOLATION') throw missing();
    if (err instanceof Error && /Unexpected end of form|Malformed part header|Multipart: Boundary not found/i.test(err.message)) throw missing();
    throw err;
  }
}
