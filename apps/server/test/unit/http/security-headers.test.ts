import { describe, expect, it } from 'vitest';
import { helmetHeaders } from '../../../src/http/security-headers.ts';

const csp = {
  useDefaults: true,
  directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
};

describe('security headers worked out once', () => {
  it('carries the policy asked for and helmet defaults', () => {
    const h = helmetHeaders({ contentSecurityPolicy: csp, hsts: false });
    expect(h['content-security-policy']).toContain("script-src 'self'");
    expect(h['content-security-policy']).toContain("img-src 'self' data:");
    expect(h['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(h['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h).not.toHaveProperty('strict-transport-security');
    expect(h).not.toHaveProperty('x-powered-by');
  });
  it('adds HSTS in production only when asked', () => {
    expect(helmetHeaders({ hsts: true })['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
  });
  it('refuses a policy helmet refuses, at start-up rather than per request', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { 'script-src': ["'self'; img-src *"] } } })).toThrow();
  });
});
