/**
 * Helmet's security headers (CSP, frame, referrer, MIME sniffing, HSTS in production), worked out
 * once at start-up and set on every reply. `@fastify/helmet` rebuilt the helmet middleware, and
 * so re-validated the CSP, on every request: a few per cent of a cheap request's CPU.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet would set with these options (names in lower case). */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
      return res;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let error: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    error = err;
  });
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return headers;
}

/** Sets the headers on every reply; a route may still override one (e.g. a sandbox page's Referrer-Policy). */
export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
