/**
 * Payment of fees (issue 5): fees on dossiers and the workflow gate, VNPay (real or the built-in
 * sandbox), VietQR transfers with bank-statement matching, cash at the counter, exemptions,
 * e-receipts, refunds and reconciliation. `paymentModule` wires it all into the app.
 */
import type { FastifyInstance } from 'fastify';
import { fetchTransport, SANDBOX_PREFIX, SandboxGateway, VnpayGateway, type GatewayTransport, type RedirectGateway } from '../../adapters/payment/index.ts';
import type { AppDeps } from '../../http/context.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { DossierHooks } from '../dossier/index.ts';
import type { FormSigner } from '../signing/index.ts';
import { registerFeeHooks } from './fees.ts';
import { schedulePaymentReconciliation } from './gateway.service.ts';
import type { PaymentDeps } from './payment.service.ts';
import { paymentRoutes } from './payment.routes.ts';
import { paymentStaffRoutes } from './staff.routes.ts';

export { dailySweep, handleIpn, reconcilePending } from './gateway.service.ts';
export { checkUnansweredRefunds, judgeRefundAnswer, type RefundCheckCounts } from './refunds.service.ts';
export { ensureFees, gateFor } from './fees.ts';
export { amountInWords, renderReceipt } from './receipt-pdf.ts';
export type { PaymentDeps } from './payment.service.ts';

const IPN_PATH = '/api/v1/payments/vnpay/ipn';

/**
 * Registers the payment module: the fee gates on dossier actions, the routes, the sandbox
 * gateway when enabled, and (when `jobs`) the QueryDR reconciliation every
 * PAYMENT_RECONCILE_EVERY_SECONDS with its daily sweep and the check of unanswered refunds.
 */
export function paymentModule(
  app: FastifyInstance, deps: AppDeps, s: { calendar: CalendarService; hooks: DossierHooks; jobs: boolean; signForm?: FormSigner },
): PaymentDeps {
  const { config, db } = deps;
  const pc = config.payment;
  // With the sandbox in this very process, calls to it go in process: no port needed (tests, demo).
  const transport: GatewayTransport = async (url, init) => {
    if (pc.sandbox && url.startsWith(`${pc.baseUrl}${SANDBOX_PREFIX}/`)) {
      const res = await app.inject({ method: 'POST', url: url.slice(pc.baseUrl.length), payload: init.body, headers: { 'content-type': 'application/json' } });
      return { status: res.statusCode, body: res.body };
    }
    return fetchTransport(url, init);
  };
  const gateway: RedirectGateway | null = pc.vnpay
    ? new VnpayGateway({ id: pc.sandbox ? 'sandbox' : 'vnpay', ...pc.vnpay, timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS, transport })
    : null;
  const payments: PaymentDeps = { db, config, gateway, log: app.log };

  if (pc.sandbox && pc.vnpay) {
    const ipnUrl = config.PAYMENT_SANDBOX_IPN_URL;
    const sandbox = new SandboxGateway(db, {
      tmnCode: pc.vnpay.tmnCode,
      hashSecret: pc.vnpay.hashSecret,
      ipnAttempts: config.PAYMENT_SANDBOX_IPN_ATTEMPTS,
      ipnRetryMs: config.PAYMENT_SANDBOX_IPN_RETRY_MS,
      log: (msg, err) => app.log.error({ err }, msg),
      async deliverIpn(query) {
        if (ipnUrl) {
          const res = await fetch(`${ipnUrl}?${query}`, { signal: AbortSignal.timeout(config.PAYMENT_GATEWAY_TIMEOUT_MS) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return String(((await res.json()) as { RspCode?: unknown }).RspCode ?? '');
        }
        const res = await app.inject({ method: 'GET', url: `${IPN_PATH}?${query}`, remoteAddress: '127.0.0.1' });
        return String((JSON.parse(res.body) as { RspCode?: unknown }).RspCode ?? '');
      },
    });
    sandbox.routes(app);
    app.addHook('onReady', async () => sandbox.start());
    app.addHook('preClose', async () => sandbox.stop());
  }

  registerFeeHooks(s.hooks);
  paymentRoutes(app, deps, { calendar: s.calendar, payments, ...(s.signForm ? { signForm: s.signForm } : {}) });
  paymentStaffRoutes(app, deps, payments);

  if (s.jobs && gateway) {
    const stop = schedulePaymentReconciliation(payments, config.PAYMENT_RECONCILE_EVERY_SECONDS * 1000);
    app.addHook('preClose', async () => stop());
  }
  return payments;
}
