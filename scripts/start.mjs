#!/usr/bin/env node
// `npm start`: build what is missing or stale (web app, server bundle), then serve.
// Starts the embedded PostgreSQL unless DATABASE_URL is set; data stays under ./data.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(paths) {
  let t = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else t = Math.max(t, s.mtimeMs);
  };
  paths.forEach((p) => walk(join(root, p)));
  return t;
}

function mtime(p) {
  const f = join(root, p);
  return existsSync(f) ? statSync(f).mtimeMs : 0;
}

function run(args) {
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const shared = ['packages/contracts/src', 'package-lock.json'];
if (mtime('apps/web/dist/index.html') < newest(['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/public', ...shared])) {
  console.log('motcua: building the web app ...');
  run(['run', 'build', '-w', '@motcua/web']);
}
if (mtime('apps/server/dist/main.js') < newest(['apps/server/src', 'apps/server/build.mjs', ...shared])) {
  console.log('motcua: building the server ...');
  run(['run', 'build', '-w', '@motcua/server']);
}

const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'apps/server/dist/main.js'), 'serve', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
