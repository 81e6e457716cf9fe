import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, safeJson, signInCitizen, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const expectErrorShape = (body: string, code: string) => {
  const e = safeJson(body).error;
  expect(e.code).toBe(code);
  expect(e.message.vi).toBeTruthy();
  expect(e.message.en).toBeTruthy();
  expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return e;
};

describe('bad input gets a clear 400, never a 500', () => {
  it('malformed JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"identifier": "a",' });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.body, 'malformed_json');
  });
  it('wrong types, missing fields and unknown fields, with their paths', async () => {
    const res = await new Client(t.app).post('/api/v1/auth/login', { identifier: 42, extra: true });
    expect(res.statusCode).toBe(400);
    const e = expectErrorShape(res.body, 'validation_failed');
    const paths = e.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.identifier', 'body.password']));
    expect(JSON.stringify(e.fields)).toContain('extra');
  });
  it('huge strings and a huge body', async () => {
    const res = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'A'.repeat(100_000), phone: '0912000000', password: 'mot cau dai de nho' });
    expect(res.statusCode).toBe(400);
    expect(expectErrorShape(res.body, 'validation_failed').fields[0].path).toBe('body.fullName');
    const huge = await new Client(t.app).post('/api/v1/auth/signup', { fullName: 'A'.repeat(2_000_000) });
    expect(huge.statusCode).toBe(413);
  });
  it('injection strings are data', async () => {
    const c = await signInCitizen(t.app);
    const res = await c.patch('/api/v1/me/profile', { fullName: "Robert'); DROP TABLE users;--", address: '$(rm -rf /)' });
    expect(res.statusCode).toBe(200);
    expect(safeJson(res.body).fullName).toBe("Robert'); DROP TABLE users;--");
  });
  it('unknown routes answer 404 in the same shape', async () => {
    const res = await new Client(t.app).get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.body, 'not_found');
  });
});

describe('operations endpoints', () => {
  it('healthz, readyz and Prometheus metrics', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(safeJson(h.body)).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const m = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toContain('motcua_http_request_duration_seconds_bucket');
    expect(m.body).toContain('motcua_process_cpu_user_seconds_total');
  });
  it('serves the OpenAPI 3.1 document and a readable reference page', async () => {
    const o = safeJson((await t.app.inject({ method: 'GET', url: '/openapi.json' })).body);
    expect(o.openapi).toBe('3.1.0');
    expect(Object.keys(o.paths)).toEqual(expect.arrayContaining(['/api/v1/agencies', '/api/v1/auth/login', '/api/v1/auth/me']));
    expect(o.paths['/api/v1/auth/login'].post.requestBody).toBeTruthy();
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
  it('sends security headers and a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/agencies?limit=1' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
