import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../../http/errors.ts';

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; }
  header { background: #a4161a; color: #fff; padding: 12px 24px; } header a { color: #fff; }
  nav ul { list-style: none; display: flex; gap: 16px; padding: 0; margin: 8px 0 0; }
  main { padding: 16px 24px; max-width: 1200px; }
  .note { background: #fff4e5; border-left: 4px solid #b35c00; padding: 8px 12px; }
  table { border-collapse: collapse; width: 100%; margin: 16px 0; }
  caption { text-align: left; font-weight: 600; padding: 4px 0; }
  th, td { border: 1px solid #767676; padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: #f0f0f0; }
  pre { white-space: pre-wrap; margin: 0; font: inherit; }
  button { font: inherit; padding: 4px 10px; margin: 2px; border: 1px solid #1b1b1b; background: #fff; cursor: pointer; }
  button:focus, a:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
  form { display: inline; }
`;

/** A small server-rendered page in Vietnamese, for the sandboxes: landmarks, a skip link, a heading. */
export function sandboxPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} — Sandbox motcua</title><style>${STYLE}</style></head>
<body>
<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
<header><strong>Môi trường thử nghiệm (sandbox)</strong>
<nav aria-label="Các sandbox"><ul><li><a href="/sandbox/sms/">Tin nhắn SMS</a></li><li><a href="/sandbox/email/">Thư điện tử</a></li><li><a href="/sandbox/post/">Bưu chính</a></li></ul></nav></header>
<main id="noi-dung">
<h1>${esc(title)}</h1>
<p class="note">Dữ liệu thử nghiệm: không có tin nhắn, thư hay bưu gửi nào được gửi thật.</p>
${body}
</main>
</body>
</html>`;
}

export function sendPage(reply: FastifyReply, title: string, body: string) {
  reply.header('content-type', 'text/html; charset=utf-8');
  reply.header('cache-control', 'no-store');
  // The forms are checked by their Origin (assertSameSite): under the site-wide "no-referrer"
  // policy browsers post them with `Origin: null`, which would refuse every click.
  reply.header('referrer-policy', 'same-origin');
  return reply.send(sandboxPage(title, body));
}

/** Sandbox forms post from our own pages only (the session plugin guards /api/ alone). */
export function assertSameSite(req: FastifyRequest): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') throw forbidden();
  const origin = req.headers.origin;
  if (origin === undefined) return;
  try {
    if (new URL(origin).host !== req.headers.host) throw forbidden();
  } catch {
    throw forbidden();
  }
}

/** HTML forms post `application/x-www-form-urlencoded`: parsed here, for the sandbox routes of `scope`. */
export function acceptForms(scope: FastifyInstance): void {
  if (scope.hasContentTypeParser('application/x-www-form-urlencoded')) return;
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 10_000 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}
