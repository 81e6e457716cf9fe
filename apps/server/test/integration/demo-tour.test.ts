/**
 * The demo tour gives the demo citizen a dossier resolved with a signed, template-generated
 * result and one paid through the sandbox gateway with its e-receipt, through the real API;
 * it runs once and leaves no usable session behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoTour } from '../../src/seed/demo-tour.ts';
import { pdfsig } from '../unit/signing/tools.ts';
import { tempDir } from '../unit/documents/pdf-tools.ts';
import { Client, createTestApp, safeJson, signInCitizen, signInOfficial, type TestApp } from '../helpers.ts';

let t: TestApp;
const dir = tempDir();
beforeAll(async () => {
  t = await createTestApp({ PAYMENT_SANDBOX_IPN_RETRY_MS: '40' });
});
afterAll(async () => {
  dir.remove();
  await t.close();
});

describe('the demo tour', () => {
  it('makes a resolved dossier with a signed result and a paid one with its receipt, once', async () => {
    const made = await runDemoTour(t.app, t.db);
    expect(made).not.toBeNull();
    const citizen = await signInCitizen(t.app);
    const mine = safeJson((await citizen.get('/api/v1/me/dossiers')).body).items as { id: string; status: string }[];
    expect(mine.map((d) => d.id).sort()).toEqual([made!.resolvedDossierId, made!.paidDossierId].sort());

    const resolved = safeJson((await citizen.get(`/api/v1/dossiers/${made!.resolvedDossierId}`)).body);
    expect(resolved.status).toBe('returned');
    const result = resolved.files.find((f: { kind: string }) => f.kind === 'result');
    const pdf = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${resolved.id}/files/${result.id}`, headers: { cookie: citizen.cookie! } });
    expect(pdf.statusCode).toBe(200);
    expect(pdfsig(dir.write('result.pdf', pdf.rawPayload))).toContain('Signature is Valid.');

    const payments = safeJson((await citizen.get(`/api/v1/dossiers/${made!.paidDossierId}/payments`)).body);
    expect(payments.payments).toEqual(expect.arrayContaining([expect.objectContaining({ id: made!.paymentId, status: 'paid', paidOnline: true })]));
    const receipt = await t.app.inject({ method: 'GET', url: `/api/v1/payments/${made!.paymentId}/receipt`, headers: { cookie: citizen.cookie! } });
    expect(receipt.statusCode).toBe(200);
    expect(pdfsig(dir.write('receipt.pdf', receipt.rawPayload))).toContain('Signature is Valid.');
    const paid = safeJson((await citizen.get(`/api/v1/dossiers/${made!.paidDossierId}`)).body);
    expect(paid.status).toBe('processing');

    // Feedback: the suggestion's answer is public (without the citizen), the complaint waits for the department.
    const published = safeJson((await new Client(t.app).get('/api/v1/feedback/published')).body);
    expect(published.items.map((x: { id: string }) => x.id)).toContain(made!.publishedFeedbackId);
    const desk = await signInOfficial(t.app, 'reception_officer');
    const queue = safeJson((await desk.get('/api/v1/staff/feedback')).body);
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(made!.openComplaintId);

    // Once only; the tour's sessions are closed; the demo officials can still sign in with TOTP.
    expect(await runDemoTour(t.app, t.db)).toBeNull();
    const open = await t.db.selectFrom('sessions').select('idHash').where('userAgent', '=', 'motcua demo tour').where('revokedAt', 'is', null).execute();
    expect(open).toEqual([]);
    await signInOfficial(t.app, 'specialist');
  });
});
