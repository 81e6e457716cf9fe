import { X509Certificate } from 'node:crypto';
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
  /** With DEMO_SEED: give the demo citizen a resolved dossier and a paid one, made through the API at first start. */
  DEMO_TOUR: bool.default(true),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  LOGIN_MAX_FAILURES_PER_HOUR: positiveInt.default(100),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(1200),
  /** Public status lookups per source address (guessing codes must stay slow). */
  LOOKUP_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
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
  /**
   * A refund request VNPay did not answer is checked with QueryDR this many seconds after it was
   * sent, then again at a doubling interval (at most an hour) until settled.
   */
  PAYMENT_REFUND_CHECK_AFTER_SECONDS: positiveInt.default(300),
  /** A refund VNPay still does not show this many hours after it was asked (the payment untouched) expires: its amount is freed. */
  PAYMENT_REFUND_GIVE_UP_HOURS: positiveInt.default(24),
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
  // Notifications and post (issue 7). Gateways default to the sandboxes, or to `off` in production.
  /** SMS: `sandbox` (a sandbox SMSC on loopback, speaking SMPP), `smpp` (a brandname gateway), `http` (a vendor HTTP API), `off` (messages wait in the outbox). */
  SMS_GATEWAY: z.enum(['sandbox', 'smpp', 'http', 'off']).optional(),
  SMPP_HOST: z.string().min(1).default('127.0.0.1'),
  SMPP_PORT: z.coerce.number().int().min(1).max(65535).default(2775),
  SMPP_SYSTEM_ID: z.string().min(1).max(15).default('motcua'),
  /** SMPP 3.4 passwords are at most 8 characters. */
  SMPP_PASSWORD: z.string().max(8).default('sandbox'),
  SMPP_SYSTEM_TYPE: z.string().max(12).default(''),
  /** Alphanumeric sender registered with the operators (tên định danh). */
  SMS_BRANDNAME: z.string().regex(/^[A-Za-z0-9 ._-]{1,11}$/, '1–11 letters, digits, space, dot, dash or underscore').default('MOTCUA'),
  /** Messages per second allowed by the gateway contract (submit_sm over SMPP, requests to an HTTP gateway). */
  SMPP_SEND_RATE: positiveInt.default(30),
  /** Messages awaiting the gateway's answer at once (SMPP window; concurrent HTTP requests). */
  SMPP_WINDOW: positiveInt.default(10),
  SMPP_ENQUIRE_LINK_SECONDS: positiveInt.default(30),
  SMPP_SUBMIT_TIMEOUT_MS: positiveInt.default(10_000),
  SMPP_RECONNECT_MIN_MS: positiveInt.default(500),
  SMPP_RECONNECT_MAX_MS: positiveInt.default(60_000),
  /** Vendor TLV tag carrying our dedupe key on every submit_sm (0: the gateway has none). */
  SMPP_DEDUPE_TLV: z.coerce.number().int().min(0).max(0xffff).default(0x1401),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().default(''),
  /** HMAC secret of the HTTP gateway's delivery receipts. */
  SMS_HTTP_WEBHOOK_SECRET: z.string().default(''),
  /** Sandbox SMSC port on 127.0.0.1 (0: any free port; fix it when `worker` runs in another process). */
  SANDBOX_SMSC_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** The sandbox SMSC sends a DELIVRD receipt this long after each part (default 1500; 0: only when asked on its page). */
  SANDBOX_SMSC_RECEIPT_MS: z.coerce.number().int().min(0).optional(),
  /** Email: `sandbox` (a sandbox SMTP server on loopback), `smtp`, `off`. */
  EMAIL_GATEWAY: z.enum(['sandbox', 'smtp', 'off']).optional(),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().default(''),
  SMTP_PASSWORD: z.string().default(''),
  SMTP_FROM: z.string().min(3).default('Trung tâm Phục vụ hành chính công <noreply@motcua.local>'),
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Dispatch retries (GOV.UK Notify style): transient failures retried with back-off, then visibly failed. */
  NOTIFY_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(8),
  NOTIFY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  NOTIFY_RETRY_BACKOFF: bool.default(true),
  /** A dispatch job still active after this long is taken as crashed and retried. */
  NOTIFY_JOB_EXPIRE_SECONDS: positiveInt.default(300),
  NOTIFY_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  /** How often pg-boss looks for expired jobs. */
  NOTIFY_MAINTENANCE_SECONDS: positiveInt.default(60),
  /** Messages "sending" for longer than this become temporary failures. */
  NOTIFY_SENDING_TIMEOUT_HOURS: positiveInt.default(72),
  NOTIFY_SWEEP_SECONDS: positiveInt.default(60),
  /** Free-text messages one official may send to applicants per minute (then 429). */
  NOTIFY_STAFF_MESSAGES_PER_MINUTE: positiveInt.default(10),
  /** Postal service: `sandbox` (a sandbox post office served by this server), `http` (the postal API), `off`. */
  POST_GATEWAY: z.enum(['sandbox', 'http', 'off']).optional(),
  POST_API_URL: z.url().optional(),
  POST_API_TOKEN: z.string().default('sandbox-token'),
  /** Shared secret of the signed tracking webhooks (at least 16 characters with the real API). */
  POST_WEBHOOK_SECRET: z.string().default('sandbox-webhook-secret'),
  /** Where the provider sends tracking webhooks (default: this server's /api/v1/post/webhook). */
  POST_WEBHOOK_URL: z.url().optional(),
  /** Return address on delivery orders and destination of pickups: the centre. */
  POST_CENTRE_ADDRESS: z.string().min(5).default('Trung tâm Phục vụ hành chính công tỉnh, số 1 Trần Phú, Nha Trang, Khánh Hòa'),
  POST_CENTRE_PHONE: z.string().default('02583000000'),
  /** The sandbox post office plays the next tracking event this often (0: only on a tester's click). */
  SANDBOX_POST_AUTOPLAY_SECONDS: z.coerce.number().int().min(0).default(0),
  // Digital signatures (issue 6). Private keys are sealed with DATA_ENCRYPTION_KEY.
  /** PEM or DER files of the root certificates signatures must chain to (e.g. the national root CA), comma-separated. */
  SIGNING_TRUST_ANCHORS: z.string().optional(),
  /** Trust the demo CA the demo seed creates; default: when DEMO_SEED is on. */
  SIGNING_TRUST_DEMO_CA: bool.optional(),
  /** The public verification page that signature QR codes open; default {PUBLIC_URL}/verify. */
  SIGNING_VERIFY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Deadline of one signature by the key's service (a remote signer or HSM): past it the action fails, never signs later. */
  SIGNING_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  /** The place written in signatures (/Location). */
  SIGNING_LOCATION: z.string().trim().min(1).max(100).default('Khánh Hòa'),
}).superRefine(checkNotifySettings).transform(withNotifyDefaults);

type NotifySettings = {
  NODE_ENV: string;
  SMS_GATEWAY?: 'sandbox' | 'smpp' | 'http' | 'off';
  EMAIL_GATEWAY?: 'sandbox' | 'smtp' | 'off';
  POST_GATEWAY?: 'sandbox' | 'http' | 'off';
  SMS_HTTP_URL?: string;
  POST_API_URL?: string;
  POST_WEBHOOK_SECRET: string;
};

function checkNotifySettings(c: NotifySettings, ctx: z.RefinementCtx) {
  if (c.SMS_GATEWAY === 'http' && !c.SMS_HTTP_URL) ctx.addIssue({ code: 'custom', path: ['SMS_HTTP_URL'], message: 'required when SMS_GATEWAY=http' });
  if (c.POST_GATEWAY === 'http' && !c.POST_API_URL) ctx.addIssue({ code: 'custom', path: ['POST_API_URL'], message: 'required when POST_GATEWAY=http' });
  if (c.POST_GATEWAY === 'http' && c.POST_WEBHOOK_SECRET.length < 16)
    ctx.addIssue({ code: 'custom', path: ['POST_WEBHOOK_SECRET'], message: 'at least 16 characters with the real postal API' });
}

/** The sandboxes by default; in production nothing is sent until a gateway is configured. */
function withNotifyDefaults<T extends NotifySettings>(c: T) {
  const fallback = c.NODE_ENV === 'production' ? 'off' : 'sandbox';
  return {
    ...c,
    SMS_GATEWAY: c.SMS_GATEWAY ?? fallback,
    EMAIL_GATEWAY: c.EMAIL_GATEWAY ?? fallback,
    POST_GATEWAY: c.POST_GATEWAY ?? fallback,
  };
}

export type Config = z.infer<typeof ConfigSchema> & { encryptionKey: Buffer; payment: PaymentConfig; signing: SigningConfig };

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
  return { ...c, encryptionKey, payment: resolvePayment(c), signing: resolveSigning(c, opts.cwd ?? process.cwd()) };
}

/** Signature settings resolved from the SIGNING_* variables. */
export interface SigningConfig {
  /** Roots read from SIGNING_TRUST_ANCHORS (DER), each named by its subject. */
  trustAnchors: { name: string; der: Buffer }[];
  trustDemoCa: boolean;
  verifyUrl: string;
  timeoutMs: number;
  location: string;
}

function resolveSigning(c: z.infer<typeof ConfigSchema>, cwd: string): SigningConfig {
  const trustAnchors: SigningConfig['trustAnchors'] = [];
  for (const path of (c.SIGNING_TRUST_ANCHORS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new ConfigError(`SIGNING_TRUST_ANCHORS: ${path} does not exist`);
    const data = readFileSync(file);
    const text = data.toString('latin1');
    const ders = text.includes('-----BEGIN')
      ? [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'))
      : [data];
    if (ders.length === 0) throw new ConfigError(`SIGNING_TRUST_ANCHORS: ${path} holds no certificate`);
    for (const der of ders) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(der);
      } catch {
        throw new ConfigError(`SIGNING_TRUST_ANCHORS: ${path} is not a PEM or DER certificate`);
      }
      if (!cert.ca) throw new ConfigError(`SIGNING_TRUST_ANCHORS: ${path}: ${cert.subject.replace(/\n/g, ', ')} is not a CA certificate`);
      trustAnchors.push({ name: cert.subject.split('\n').reverse().join(', '), der: Buffer.from(cert.raw) });
    }
  }
  const base = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return {
    trustAnchors,
    trustDemoCa: c.SIGNING_TRUST_DEMO_CA ?? c.DEMO_SEED,
    verifyUrl: c.SIGNING_VERIFY_URL ?? `${base}/verify`,
    timeoutMs: c.SIGNING_TIMEOUT_MS,
    location: c.SIGNING_LOCATION,
  };
}
