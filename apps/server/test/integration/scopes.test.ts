import { OfficialRole } from '@motcua/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/modules/policy/index.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, type TestApp } from '../helpers.ts';
import { payableDossier } from './payment-fixtures.ts';

/**
 * A scopes test per action: every role that must be refused is tried through the HTTP route,
 * together with a citizen and an anonymous caller, and nothing changes.
 */
let t: TestApp;
const clients = new Map<string, Client>();
let deptId = '';
let provinceId = '';
let officialId = '';
let feeDossierId = '';
let paidPaymentId = '';
let feedbackToHandle = '';
let feedbackToPublish = '';

beforeAll(async () => {
  t = await createTestApp();
  for (const role of OfficialRole.options) clients.set(role, await signInOfficial(t.app, role));
  clients.set('citizen', await signInCitizen(t.app));
  clients.set('anonymous', new Client(t.app));
  const agencies = safeJson((await new Client(t.app).get('/api/v1/agencies?limit=500')).body).items;
  deptId = agencies.find((a: { shortName: string }) => a.shortName === 'STP').id;
  provinceId = agencies.find((a: { level: string }) => a.level === 'province').id;
  officialId = safeJson((await clients.get('specialist')!.get('/api/v1/auth/me')).body).id;
  // Payments: a submitted dossier with a fee due, and a settled payment to refund.
  ({ feeDossierId, paidPaymentId } = await payableDossier(t, clients.get('citizen')!, clients.get('reception_officer')!));
  // Feedback: one item just received (to handle), one answered (to publish), at the demo officials' department.
  const skhcn = agencies.find((a: { code: string }) => a.code === '000.00.12.H56').id;
  const file = async () => {
    const res = await clients.get('citizen')!.post('/api/v1/feedback', { kind: 'complaint', topic: 'agency', agencyId: skhcn, subject: 'Phản ánh thử nghiệm', content: 'Nội dung phản ánh thử nghiệm quyền.' });
    expect(res.statusCode, res.body).toBe(201);
    return safeJson(res.body).id as string;
  };
  feedbackToHandle = await file();
  feedbackToPublish = await file();
  const answered = await clients.get('reception_officer')!.post(`/api/v1/staff/feedback/${feedbackToPublish}/actions`, { type: 'answer', text: 'Trả lời thử nghiệm quyền công khai.' });
  expect(answered.statusCode, answered.body).toBe(200);
});
afterAll(() => t.close());

type Call = (c: Client) => Promise<{ statusCode: number }>;
const routes: Record<keyof typeof ACTIONS, Call> = {
  'agency.create': (c) => c.post('/api/v1/admin/agencies', { code: '000.00.50.H56', name: 'X', shortName: 'X', level: 'department', parentId: provinceId, validFrom: '2026-01-01' }),
  'agency.update': (c) => c.patch(`/api/v1/admin/agencies/${deptId}`, { phone: '0000' }),
  'official.list': (c) => c.get('/api/v1/admin/officials'),
  'official.create': (c) => c.post('/api/v1/admin/officials', { fullName: 'X', email: `x${Math.random()}@example.vn`, roles: [{ role: 'specialist', agencyId: deptId }] }),
  'official.update': (c) => c.patch(`/api/v1/admin/officials/${officialId}`, { disabled: true }),
  'audit.read': (c) => c.get('/api/v1/audit'),
  'procedure.manage': (c) => c.get('/api/v1/admin/procedures'),
  'calendar.manage': (c) => c.post('/api/v1/admin/calendar/overrides', { date: '2031-01-03', kind: 'day_off' }),
  'certificate.manage': (c) => c.post(`/api/v1/signing/agencies/${deptId}/certificates`, {}),
  'reports.read': (c) => c.get('/api/v1/reports/dashboard?agency=000.00.12.H56'),
  'notify.templates.manage': (c) => c.req('PUT', '/api/v1/admin/notify/templates/dossier.received/sms/vi', { body: 'Hồ sơ {{code}} đã được tiếp nhận.' }),
  'notify.messages.read': (c) => c.get('/api/v1/staff/messages'),
  'payment.read': (c) => c.get('/api/v1/staff/payments'),
  'payment.manage': (c) => c.post(`/api/v1/payments/${paidPaymentId}/refunds`, { amountVnd: 1000, reason: 'Hoàn tiền thử' }),
  'payment.cash': (c) => c.post(`/api/v1/dossiers/${feeDossierId}/payments/cash`, { amountVnd: 50_000 }),
  'fee.exempt': (c) => c.post(`/api/v1/dossiers/${feeDossierId}/fee-exemptions`, { feeIds: [feeDossierId], reason: 'Miễn thử nghiệm' }),
  'feedback.handle': (c) => c.post(`/api/v1/staff/feedback/${feedbackToHandle}/actions`, { type: 'accept' }),
  'feedback.publish': (c) => c.post(`/api/v1/staff/feedback/${feedbackToPublish}/actions`, { type: 'publish' }),
};

describe('scopes: every role that must be refused is refused', () => {
  for (const [action, call] of Object.entries(routes)) {
    const allowed: readonly string[] = ACTIONS[action as keyof typeof ACTIONS];
    it(action, async () => {
      const auditBefore = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      for (const [who, client] of clients) {
        if (allowed.includes(who)) continue;
        const res = await call(client);
        const expected = who === 'anonymous' ? [401] : [403, 404];
        expect(expected, `${who} → ${res.statusCode}`).toContain(res.statusCode);
      }
      const auditAfter = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(auditAfter.n).toBe(auditBefore.n);
    });
  }
  it('the audit chain check is for auditors only', async () => {
    for (const [who, client] of clients) {
      const res = await client.get('/api/v1/audit/verify');
      expect(res.statusCode, who).toBe(who === 'auditor' ? 200 : who === 'anonymous' ? 401 : 403);
    }
  });
});
