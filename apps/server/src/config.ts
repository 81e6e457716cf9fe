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
  /** The centre's hotline printed on slips. */
  HOTLINE: z.string().min(1).max(40).default('1900 0000 (demo)'),
  /** Limits for dossier papers. */
  UPLOAD_MAX_FILE_MB: positiveInt.default(20),
  UPLOAD_MAX_DOSSIER_MB: positiveInt.default(100),
  NATIONAL_DAY_ADJACENT: z.enum(['before', 'after']).default('before'),
  PUBLIC_URL: z.url().optional(),
  /** Payments. The built-in sandbox gateway (a fake VNPay); default on except in production without the demo. */
  PAYMENT_SANDBOX: bool.optional(),
  /** VNPay terminal code (vnp_TmnCode) and hash secret; with the sandbox they default to public demo values. */
  VNPAY_TMN_CODE: z.string().regex(/^[A-Za-z0-9]{4,20}$/, '4–20 letters or digits').optional(),
  VNPAY_HASH_SECRET: z.string().min(8).optional(),
  /** VNPay payment page (…/paymentv2/vpcpay.html) and QueryDR API (…/merchant_webapi/api/transaction); default: the sandbox's. */
  VNPAY_PAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  VNPAY_QUERYDR_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Page the citizen's browser comes back to (display only); default {PUBLIC_URL}/thanh-toan/ket-qua. */
  VNPAY_RETURN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** vnp_ExpireDate: minutes a payment URL stays valid. */
  PAYMENT_EXPIRE_MINUTES: positiveInt.max(1440).default(15),
  /** QueryDR settles VNPay payments still pending after this many minutes, checking every PAYMENT_RECONCILE_EVERY_SECONDS. */
  PAYMENT_RECONCILE_AFTER_MINUTES: positiveInt.default(15),
  PAYMENT_RECONCILE_EVERY_SECONDS: positiveInt.default(300),
  /** Local hour (GMT+7) after which the daily sweep re-checks the previous day's unpaid VNPay payments. */
  PAYMENT_DAILY_SWEEP_HOUR: z.coerce.number().int().min(0).max(23).default(1),
  /** Timeout of one call to the gateway (QueryDR): a timeout is "unknown", never "paid". */
  PAYMENT_GATEWAY_TIMEOUT_MS: positiveInt.default(10_000),
  /** The sandbox retries an unanswered IPN like VNPay: up to this many attempts, this far apart. */
  PAYMENT_SANDBOX_IPN_ATTEMPTS: positiveInt.max(50).default(10),
  PAYMENT_SANDBOX_IPN_RETRY_MS: positiveInt.default(300_000),
  /** Where the sandbox sends IPNs; unset: to this server's own IPN route, in process. */
  PAYMENT_SANDBOX_IPN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** VietQR (NAPAS 247) account that receives transfers: bank BIN (6 digits), account number, account name. */
  VIETQR_BANK_BIN: z.string().regex(/^\d{6}$/, '6 digits').optional(),
  VIETQR_ACCOUNT_NO: z.string().regex(/^[0-9A-Za-z]{4,19}$/, '4–19 letters or digits').optional(),
  VIETQR_ACCOUNT_NAME: z.string().trim().min(2).max(70).optional(),
  /** Tests only (NODE_ENV=test): the process kills itself (SIGKILL) just before or just after an IPN's commit. */
  PAYMENT_FAILPOINT: z.enum(['ipn_before_commit', 'ipn_after_commit']).optional(),
});

export type Config = z.infer<typeof ConfigSchema> & { encryptionKey: Buffer; payment: PaymentConfig };

/** Payment settings resolved from the variables above (defaults that depend on other settings). */
export interface PaymentConfig {
  sandbox: boolean;
  /** VNPay settings; null when online payment is not configured (cash and transfers still work). */
  vnpay: { tmnCode: string; hashSecret: string; payUrl: string; queryDrUrl: string; returnUrl: string } | null;
  vietqr: { bankBin: string; accountNo: string; accountName: string } | null;
  /** This server's own address, where the sandbox pages live. */
  baseUrl: string;
}

/** Public demo values of the sandbox: they only ever sign sandbox transactions. */
const SANDBOX_TMN_CODE = 'MOTCUA01';
const SANDBOX_HASH_SECRET = 'MOTCUASANDBOXSECRETDEMOONLY2026XY';
const DEMO_VIETQR = { bankBin: '970436', accountNo: '0000000000001', accountName: 'TRUNG TAM PHUC VU HANH CHINH CONG (DEMO)' };

function resolvePayment(c: z.infer<typeof ConfigSchema>): PaymentConfig {
  const sandbox = c.PAYMENT_SANDBOX ?? !(c.NODE_ENV === 'production' && !c.DEMO_SEED);
  if (c.PAYMENT_FAILPOINT && c.NODE_ENV !== 'test') throw new ConfigError('PAYMENT_FAILPOINT: only allowed when NODE_ENV=test');
  const baseUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const returnUrl = c.VNPAY_RETURN_URL ?? `${baseUrl}/thanh-toan/ket-qua`;
  let vnpay: PaymentConfig['vnpay'] = null;
  if (sandbox) {
    vnpay = {
      tmnCode: c.VNPAY_TMN_CODE ?? SANDBOX_TMN_CODE,
      hashSecret: c.VNPAY_HASH_SECRET ?? SANDBOX_HASH_SECRET,
      payUrl: c.VNPAY_PAY_URL ?? `${baseUrl}/sandbox/vnpay/paymentv2/vpcpay.html`,
      queryDrUrl: c.VNPAY_QUERYDR_URL ?? `${baseUrl}/sandbox/vnpay/merchant_webapi/api/transaction`,
      returnUrl,
    };
  } else {
    const real = { VNPAY_TMN_CODE: c.VNPAY_TMN_CODE, VNPAY_HASH_SECRET: c.VNPAY_HASH_SECRET, VNPAY_PAY_URL: c.VNPAY_PAY_URL, VNPAY_QUERYDR_URL: c.VNPAY_QUERYDR_URL };
    const missing = Object.entries(real).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length > 0 && missing.length < 4) throw new ConfigError(`${missing[0]}: required with the other VNPAY_* settings (PAYMENT_SANDBOX=false)`);
    if (missing.length === 0) {
      if (c.NODE_ENV === 'production' && c.VNPAY_HASH_SECRET === SANDBOX_HASH_SECRET) throw new ConfigError('VNPAY_HASH_SECRET: the public sandbox secret cannot be used with the real gateway');
      vnpay = { tmnCode: c.VNPAY_TMN_CODE!, hashSecret: c.VNPAY_HASH_SECRET!, payUrl: c.VNPAY_PAY_URL!, queryDrUrl: c.VNPAY_QUERYDR_URL!, returnUrl };
    }
  }
  const qr = { VIETQR_BANK_BIN: c.VIETQR_BANK_BIN, VIETQR_ACCOUNT_NO: c.VIETQR_ACCOUNT_NO, VIETQR_ACCOUNT_NAME: c.VIETQR_ACCOUNT_NAME };
  const qrMissing = Object.entries(qr).filter(([, v]) => !v).map(([k]) => k);
  if (qrMissing.length > 0 && qrMissing.length < 3) throw new ConfigError(`${qrMissing[0]}: required with the other VIETQR_* settings`);
  const vietqr = qrMissing.length === 0
    ? { bankBin: c.VIETQR_BANK_BIN!, accountNo: c.VIETQR_ACCOUNT_NO!, accountName: c.VIETQR_ACCOUNT_NAME! }
    : sandbox ? DEMO_VIETQR : null;
  return { sandbox, vnpay, vietqr, baseUrl };
}

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
  return { ...c, encryptionKey, payment: resolvePayment(c) };
}
