import type { FastifyInstance, FastifyRequest } from 'fastify';

const raw = new WeakMap<FastifyRequest, Buffer>();

/**
 * Signed webhooks need the exact bytes that were signed: within `scope`, JSON bodies are parsed
 * from a kept copy of the raw body (`rawBodyOf`). Other routes keep Fastify's own parser.
 */
export function keepRawJson(scope: FastifyInstance, limit = 64 * 1024): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: limit }, (req, body, done) => {
    const buf = body as Buffer;
    raw.set(req, buf);
    try {
      done(null, buf.length ? JSON.parse(buf.toString('utf8')) : {});
    } catch (err) {
      (err as { statusCode?: number }).statusCode = 400;
      done(err as Error, undefined);
    }
  });
}

export function rawBodyOf(req: FastifyRequest): Buffer {
  return raw.get(req) ?? Buffer.alloc(0);
}
