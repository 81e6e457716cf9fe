import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tracking webhooks are signed: `x-post-timestamp` (Unix seconds) and `x-post-signature`, the hex
 * HMAC-SHA256 of `${timestamp}.${raw body}` under the shared webhook secret. The timestamp bounds
 * replays; the comparison takes constant time.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function verifyWebhook(
  secret: string,
  headers: { timestamp: unknown; signature: unknown },
  rawBody: Buffer,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const ts = typeof headers.timestamp === 'string' && /^\d{1,12}$/.test(headers.timestamp) ? Number(headers.timestamp) : NaN;
  if (!Number.isFinite(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  if (typeof headers.signature !== 'string' || !/^[0-9a-f]{64}$/i.test(headers.signature)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody), 'hex');
  const given = Buffer.from(headers.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
