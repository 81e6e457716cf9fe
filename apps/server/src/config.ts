import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Every setting the server reads, from the environment (and an optional `.env`). */
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** External PostgreSQL (>= 15). When unset, an embedded PostgreSQL is started under DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5497),
  /** Database role the app switches to after connecting (cannot touch the audit log). Empty: none. */
  DB_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).or(z.literal('')).default('motcua_app'),
  DB_POOL_MAX: positiveInt.default(10),
  /** 32-byte key (hex or base64) for personal data and secrets at rest. Generated under DATA_DIR in development. */
  DATA_ENCRYPTION_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: bool.default(true),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  LOGIN_MAX_FAILURES_PER_HOUR: positiveInt.default(100),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(1200),
  TRUST_PROXY: bool.default(false),
  WEB_DIST: z.string().optional(),
  /** The province's office hours, e.g. `07:00-11:30,13:30-17:00`. */
  WORK_SCHEDULE: z
    .string()
    .regex(/^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$/, 'HH:MM-HH:MM[,HH:MM-HH:MM...]')
    .default('07:00-11:30,13:30-17:00'),
  /** The province's offset from UTC (Vietnam: +07:00, no daylight saving). */
  WORK_UTC_OFFSET: z.string().regex(/^[+-]\d{2}:\d{2}$/, '+HH:MM').default('+07:00'),
  /** Which day next to 2 September is the second National Day holiday. */
  /** Dossier code: {agency} {yyMMdd} {yyyyMMdd} {seq4} {seq5}; must contain a sequence. */
  DOSSIER_CODE_FORMAT: z.string().regex(/\{seq[45]\}/, 'must contain {seq4} or {seq5}').default('{agency}-{yyMMdd}-{seq4}'),
  /** Limits for dossier papers. */
  UPLOAD_MAX_FILE_MB: positiveInt.default(20),
  UPLOAD_MAX_DOSSIER_MB: positiveInt.default(100),
  NATIONAL_DAY_ADJACENT: z.enum(['before', 'after']).default('before'),
  PUBLIC_URL: z.url().optional(),
});

export type Config = z.infer<typeof ConfigSchema> & { encryptionKey: Buffer };

export class ConfigError extends Error {}

/** Reads `.env` (if present) under the real environment, which wins. */
function loadEnv(env: NodeJS.ProcessEnv, cwd: string): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  return merged;
}

export function parseKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('DATA_ENCRYPTION_KEY: must be 32 bytes, as 64 hex characters or base64');
  return key;
}

/**
 * Parses and validates the configuration. Throws ConfigError with one line naming the variable.
 * `resolveKey` supplies the encryption key when none is configured (development: a key file).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: { cwd?: string; resolveKey?: (c: z.infer<typeof ConfigSchema>) => Buffer } = {},
): Config {
  const parsed = ConfigSchema.safeParse(loadEnv(env, opts.cwd ?? process.cwd()));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  let encryptionKey: Buffer;
  if (c.DATA_ENCRYPTION_KEY) encryptionKey = parseKey(c.DATA_ENCRYPTION_KEY);
  else if (c.NODE_ENV === 'production')
    throw new ConfigError('DATA_ENCRYPTION_KEY: required in production (32 bytes, hex or base64)');
  else if (opts.resolveKey) encryptionKey = opts.resolveKey(c);
  else throw new ConfigError('DATA_ENCRYPTION_KEY: not set');
  return { ...c, encryptionKey };
}
