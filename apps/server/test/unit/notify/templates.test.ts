import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../src/adapters/post/index.ts';
import { EVENT_NAMES, EVENTS, eventChannels, formatLocalTime, render, unknownPlaceholders } from '../../../src/modules/notify/index.ts';
import { malformedBraces } from '../../../src/modules/notify/templates.ts';

describe('templates', () => {
  it('fill placeholders, leave nothing of a missing one, and normalise to NFC', () => {
    expect(render('Hồ sơ {{code}} hẹn {{ appointment }}{{nothing}}.', { code: 'A-1', appointment: '15/01/2026 16:00' })).toBe('Hồ sơ A-1 hẹn 15/01/2026 16:00.');
    expect(render('{{x}}', { x: 'Hòa'.normalize('NFD') })).toBe('Hòa');
  });

  it('refuse variables the event does not offer, and broken braces', () => {
    expect(unknownPlaceholders('dossier.received', 'Hồ sơ {{code}} {{ma}} {{appointment}}')).toEqual(['ma']);
    expect(malformedBraces('Hồ sơ {{code}')).toBe(true);
    expect(malformedBraces('Hồ sơ {{code}}')).toBe(false);
  });

  it('every built-in template uses only its event\'s variables, in both languages', () => {
    for (const e of EVENT_NAMES) {
      const d = EVENTS[e] as { sms?: { vi: string; en: string }; email?: { subject: { vi: string; en: string }; body: { vi: string; en: string } }; inApp: { subject: { vi: string; en: string }; body: { vi: string; en: string } } };
      const texts = [d.sms?.vi, d.sms?.en, d.email?.subject.vi, d.email?.subject.en, d.email?.body.vi, d.email?.body.en, d.inApp.subject.vi, d.inApp.subject.en, d.inApp.body.vi, d.inApp.body.en];
      for (const t of texts.filter((x): x is string => !!x)) expect(unknownPlaceholders(e, t), `${e}: ${t}`).toEqual([]);
      expect(eventChannels(e)).toContain('in_app');
      if (EVENTS[e].audience === 'official') expect(eventChannels(e)).toEqual(['in_app']);
    }
  });

  it('dates are written dd/mm/yyyy HH:mm in the province\'s time', () => {
    expect(formatLocalTime(new Date('2026-01-15T09:00:00Z'), '+07:00')).toBe('15/01/2026 16:00');
    expect(formatLocalTime(null, '+07:00')).toBe('');
  });
});

describe('postal webhook signatures', () => {
  const secret = 'sandbox-webhook-secret';
  const body = Buffer.from('{"status":"delivered"}');
  const now = Date.UTC(2026, 0, 5, 3, 0, 0);
  const ts = Math.floor(now / 1000);
  it('accept the right signature within five minutes, refuse anything else', () => {
    const sig = signWebhook(secret, ts, body);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: sig }, body, now)).toBe(true);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: sig.toUpperCase() }, body, now)).toBe(true);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: sig }, Buffer.from('{"status":"failed"}'), now)).toBe(false);
    expect(verifyWebhook('another-secret', { timestamp: String(ts), signature: sig }, body, now)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: sig }, body, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: undefined, signature: sig }, body, now)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: 'abc' }, body, now)).toBe(false);
  });
});
