import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../http/errors.ts';
import type { AppDeps } from '../../http/context.ts';
import { constantTimeEqual } from './secrets.ts';
import { loadSession, SESSION_COOKIE } from './sessions.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfRefused = () =>
  new AppError(403, 'csrf_failed', {
    vi: 'Yêu cầu bị từ chối vì không đến từ trang của hệ thống. Vui lòng tải lại trang và thử lại.',
    en: 'The request was refused because it did not come from this site. Reload the page and try again.',
  });

/** A state change must come from our own pages: browsers tell us through these headers. */
function crossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * Resolves the session cookie to `req.actor`, and refuses cross-site or token-less state
 * changes (CSRF): a signed-in unsafe request must carry the session's `x-csrf-token`.
 */
export const sessionPlugin = fp(async (app: FastifyInstance, deps: AppDeps) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const unsafe = !SAFE.has(req.method);
    if (unsafe && crossSite(req)) throw csrfRefused();
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const s = await loadSession(deps.db, deps.config, cookie);
    if (!s) return;
    if (unsafe) {
      const token = req.headers['x-csrf-token'];
      if (typeof token !== 'string' || !constantTimeEqual(token, s.csrfToken)) throw csrfRefused();
    }
    req.actor = s.actor;
    req.session = { idHash: s.idHash, csrfToken: s.csrfToken, email: s.email, phone: s.phone, grants: s.grants };
  });
}, { name: 'motcua-session' });
