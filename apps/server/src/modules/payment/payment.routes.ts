import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError, CashPaymentBody, DossierPayments, FeeExemptionBody, Payment, Refund, RefundBody, ResolvedRefundRequest, ResolveRefundRequestBody, StartedVnpay,
  StartVietQrBody, StartVnpayBody, VietQrTransfer, VnpayIpnAnswer, VnpayReturnCheck,
} from '@motcua/contracts';
import { buildVietQr, cleanPurpose, qrSvg, signData } from '../../adapters/payment/index.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { idempotent } from '../../http/idempotency.ts';
import { agencyChain } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { FormSigner } from '../signing/index.ts';
import { assertCanView, loadDossier, sendAttachment, type Loaded } from '../dossier/index.ts';
import { can, type Action, type Actor } from '../policy/index.ts';
import { ensureFees, isDue, pickFees, vndOf } from './fees.ts';
import { handleIpn, reconcilePayments } from './gateway.service.ts';
import {
  assertNoOpenOnline, cancelOpenTransfers, createPayment, lockDossierPayments, nextReference, notPayable, openPayments, PAYABLE_STATES,
  requestParams, sameSet, settlePayment, type PaymentDeps, type PaymentRow,
} from './payment.service.ts';
import { presentDossierPayments, presentPayments } from './presenter.ts';
import {
  closeRefundRequest, confirmRefundRequest, isOpen, lockRefundRequest, recordRefund, refundRequestSettled, type RefundRequestRow, type RefundRow,
} from './refunds.service.ts';
import { renderReceipt } from './receipt-pdf.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError };
const Id = z.object({ id: z.string() });
const IdemHeaders = z.object({ 'idempotency-key': z.string().optional() }).passthrough();
const isUuid = (s: string) => /^[0-9a-f-]{36}$/i.test(s);

const dossierNotFound = () => notFound({ vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' });
const paymentNotFound = () => notFound({ vi: 'Không tìm thấy giao dịch thanh toán.', en: 'Payment not found.' });
const onlineUnavailable = () => conflict('online_payment_unavailable', { vi: 'Thanh toán trực tuyến chưa được cấu hình.', en: 'Online payment is not configured.' });

interface Services {
  calendar: CalendarService;
  payments: PaymentDeps;
  /** Signs e-receipts with the agency's certificate on their way out (unsigned when the agency cannot sign). */
  signForm?: FormSigner;
}

/** Citizens' and officials' payment routes on dossiers, the gateway's callbacks, receipts and refunds. */
export function paymentRoutes(app: FastifyInstance, deps: AppDeps, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const { calendar, payments } = s;
  const gateway = payments.gateway;

  async function load(id: string, tx: DbOrTx = db): Promise<Loaded> {
    const l = await loadDossier(tx, calendar, id);
    if (!l) throw dossierNotFound();
    return l;
  }

  /** Officials must hold `action` over the dossier's receiving agency (its chain); others: 404 or 403. */
  async function requireOver(actor: Actor, action: Action, agencyId: string): Promise<void> {
    if (!can(actor, action, await agencyChain(db, agencyId))) throw forbidden();
  }

  const present = async (tx: DbOrTx, row: PaymentRow) => (await presentPayments(tx, [row]))[0]!;

  async function dossierPayments(l: Loaded, owner: boolean, tx: DbOrTx = db) {
    const fees = await ensureFees(tx, { id: l.row.id, procedureId: l.row.procedureId });
    return presentDossierPayments(tx, {
      dossier: { id: l.row.id, code: l.view.code, status: l.view.status, stepIndex: l.view.stepIndex },
      fees, gateway, vietqr: !!config.payment.vietqr, owner,
    });
  }

  // ---------------------------------------------------------------- what is due

  r.get('/api/v1/dossiers/:id/payments', {
    schema: {
      tags: ['payments'], summary: 'Fees due on a dossier, ways to pay, payment history and receipts (its applicant or its officials)',
      params: Id, response: { 200: DossierPayments, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    const viewer = await assertCanView(db, actor, l);
    reply.header('cache-control', 'no-store');
    return dossierPayments(l, viewer === 'owner');
  });

  // ---------------------------------------------------------------- citizens pay online

  r.post('/api/v1/dossiers/:id/payments/vnpay', {
    schema: {
      tags: ['payments'], summary: 'Start (or resume) a VNPay payment of due fees: answers the gateway URL to send the browser to (send an Idempotency-Key)',
      headers: IdemHeaders, params: Id, body: StartVnpayBody, response: { 201: StartedVnpay, 200: StartedVnpay, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!gateway) throw onlineUnavailable();
    const l = await load(req.params.id);
    if ((await assertCanView(db, actor, l)) !== 'owner') throw forbidden();
    if (!PAYABLE_STATES.includes(l.view.status)) throw notPayable();
    // Payments left open past their expiry are asked about first (outside any transaction): a
    // late success must be credited before a second payment can start.
    const stale = await db.selectFrom('payments').select('id').where('dossierId', '=', l.row.id).where('method', '=', 'vnpay')
      .where('status', '=', 'pending').where('expiresAt', '<=', new Date()).execute();
    if (stale.length > 0) await reconcilePayments(payments, { ids: stale.map((x) => x.id), minGapMs: 0 }, auditCtx(req));
    const b = req.body;
    const ctx = auditCtx(req);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'], route: `POST /api/v1/dossiers/${l.row.id}/payments/vnpay`, body: b }, async (tx) => {
      await lockDossierPayments(tx, l.row.id);
      const chosen = pickFees(await ensureFees(tx, { id: l.row.id, procedureId: l.row.procedureId }), b.feeIds, true);
      const ids = chosen.map((f) => f.id);
      const now = new Date();
      const open = await openPayments(tx, l.row.id);
      const same = open.find((p) => p.method === 'vnpay' && p.expiresAt && p.expiresAt > now && p.gateway === gateway.id && sameSet(p.feeIds, ids));
      if (same) return { status: 200, body: { payment: await present(tx, same), redirectUrl: gateway.urlFor(requestParams(same)), resumed: true } };
      assertNoOpenOnline(open, ids, now);
      await cancelOpenTransfers(tx, open, ids, ctx);
      const reference = await nextReference(tx, '', now);
      const amountVnd = chosen.reduce((sum, f) => sum + vndOf(f.amountVnd), 0);
      const expiresAt = new Date(now.getTime() + config.PAYMENT_EXPIRE_MINUTES * 60_000);
      const { url, params } = gateway.paymentUrl({
        reference, amountVnd, orderInfo: cleanPurpose(`Thanh toan phi ho so ${l.view.code ?? reference}`), ipAddr: req.ip,
        createdAt: now, expiresAt, locale: b.locale === 'en' ? 'en' : 'vn', bankCode: b.bankCode,
      });
      const p = await createPayment(tx, {
        dossierId: l.row.id, agencyId: l.row.receivingAgencyId, method: 'vnpay', reference, fees: chosen, createdBy: actor.userId,
        gateway: gateway.id, terminalCode: gateway.terminalCode, gatewayCreateDate: params.vnp_CreateDate!, request: signData(params), expiresAt,
      });
      await writeAudit(tx, ctx, { action: 'payment.started', objectType: 'payment', objectId: p.id, details: { dossierId: l.row.id, method: 'vnpay', amountVnd, reference } });
      return { status: 201, body: { payment: await present(tx, p), redirectUrl: url, resumed: false } };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  r.post('/api/v1/dossiers/:id/payments/vietqr', {
    schema: {
      tags: ['payments'], summary: 'A VietQR bank-transfer code for due fees (the transfer is confirmed by the bank-statement import; send an Idempotency-Key)',
      headers: IdemHeaders, params: Id, body: StartVietQrBody, response: { 201: VietQrTransfer, 200: VietQrTransfer, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const account = config.payment.vietqr;
    if (!account) throw conflict('transfer_unavailable', { vi: 'Chưa cấu hình tài khoản nhận chuyển khoản.', en: 'No account is configured for transfers.' });
    const l = await load(req.params.id);
    if ((await assertCanView(db, actor, l)) !== 'owner') throw forbidden();
    if (!PAYABLE_STATES.includes(l.view.status)) throw notPayable();
    const ctx = auditCtx(req);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'], route: `POST /api/v1/dossiers/${l.row.id}/payments/vietqr`, body: req.body }, async (tx) => {
      await lockDossierPayments(tx, l.row.id);
      const chosen = pickFees(await ensureFees(tx, { id: l.row.id, procedureId: l.row.procedureId }), req.body.feeIds, false);
      const ids = chosen.map((f) => f.id);
      const open = await openPayments(tx, l.row.id);
      let p: PaymentRow | undefined = open.find((x) => x.method === 'vietqr' && sameSet(x.feeIds, ids));
      const resumed = !!p;
      if (!p) {
        assertNoOpenOnline(open, ids, new Date());
        await cancelOpenTransfers(tx, open, ids, ctx);
        p = await createPayment(tx, { dossierId: l.row.id, agencyId: l.row.receivingAgencyId, method: 'vietqr', reference: await nextReference(tx, 'QR'), fees: chosen, createdBy: actor.userId });
      }
      // The purpose carries the payment reference (always unique) and the dossier code once it has one.
      const qr = buildVietQr(account, vndOf(p.amountVnd), l.view.code ? `${l.view.code} ${p.reference}` : `HS ${p.reference}`);
      if (!resumed) {
        await tx.updateTable('payments').set({ request: JSON.stringify(qr.purpose) }).where('id', '=', p.id).execute();
        await writeAudit(tx, ctx, { action: 'payment.started', objectType: 'payment', objectId: p.id, details: { dossierId: l.row.id, method: 'vietqr', amountVnd: vndOf(p.amountVnd), reference: p.reference } });
      }
      return { status: resumed ? 200 : 201, body: { payment: await present(tx, p), qr: { ...qr, svg: await qrSvg(qr.payload) } } };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  // ---------------------------------------------------------------- officials: cash, exemptions

  r.post('/api/v1/dossiers/:id/payments/cash', {
    schema: {
      tags: ['payments'], summary: 'Reception officer takes cash at the counter: settles the items and issues the receipt (send an Idempotency-Key)',
      headers: IdemHeaders, params: Id, body: CashPaymentBody, response: { 201: Payment, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    await assertCanView(db, actor, l);
    await requireOver(actor, 'payment.cash', l.row.receivingAgencyId);
    if (!PAYABLE_STATES.includes(l.view.status)) throw notPayable();
    const ctx = auditCtx(req);
    const answer = await idempotent(db, { userId: actor.userId, key: req.headers['idempotency-key'], route: `POST /api/v1/dossiers/${l.row.id}/payments/cash`, body: req.body }, async (tx) => {
      await lockDossierPayments(tx, l.row.id);
      const chosen = pickFees(await ensureFees(tx, { id: l.row.id, procedureId: l.row.procedureId }), req.body.feeIds, false);
      const total = chosen.reduce((sum, f) => sum + vndOf(f.amountVnd), 0);
      if (req.body.amountVnd !== total)
        throw fieldError('body.amountVnd', `Số tiền thu phải đúng bằng tổng các khoản phí (${total}).`, `The amount must equal the items' total (${total}).`);
      const ids = chosen.map((f) => f.id);
      const open = await openPayments(tx, l.row.id);
      assertNoOpenOnline(open, ids, new Date());
      await cancelOpenTransfers(tx, open, ids, ctx);
      const p = await createPayment(tx, { dossierId: l.row.id, agencyId: l.row.receivingAgencyId, method: 'cash', reference: await nextReference(tx, 'TM'), fees: chosen, createdBy: actor.userId });
      const settled = await settlePayment(tx, p, { via: 'counter' }, ctx);
      return { status: 201, body: await present(tx, settled!.payment) };
    });
    return reply.status(answer.status).send(answer.body as never);
  });

  r.post('/api/v1/dossiers/:id/fee-exemptions', {
    schema: {
      tags: ['payments'], summary: 'An official exempts the applicant from fee items, with the reason (lifts the payment gate)',
      params: Id, body: FeeExemptionBody, response: { 200: DossierPayments, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const l = await load(req.params.id);
    await assertCanView(db, actor, l);
    await requireOver(actor, 'fee.exempt', l.row.receivingAgencyId);
    const ids = [...new Set(req.body.feeIds)];
    await db.transaction().execute(async (tx) => {
      await lockDossierPayments(tx, l.row.id);
      const fees = await ensureFees(tx, { id: l.row.id, procedureId: l.row.procedureId });
      const bad = ids.filter((id) => !fees.some((f) => f.id === id && isDue(f)));
      if (bad.length > 0) throw fieldError('body.feeIds', `Khoản phí không tồn tại, đã nộp hoặc đã được miễn: ${bad.join(', ')}`, `Unknown, paid or already exempted: ${bad.join(', ')}`);
      assertNoOpenOnline(await openPayments(tx, l.row.id), ids, new Date());
      const now = new Date();
      const done = await tx.updateTable('dossierFees').set({ exemptedAt: now, exemptedBy: actor.userId, exemptionReason: req.body.reason })
        .where('id', 'in', ids).where('dossierId', '=', l.row.id).where('paymentId', 'is', null).where('exemptedAt', 'is', null).returning('id').execute();
      if (done.length !== ids.length) throw conflict('fee_changed', { vi: 'Khoản phí vừa được thanh toán. Vui lòng tải lại.', en: 'A fee item was just paid. Reload and try again.' });
      await writeAudit(tx, auditCtx(req), { action: 'fee.exempted', objectType: 'dossier', objectId: l.row.id, details: { feeIds: ids, reason: req.body.reason } });
    });
    return dossierPayments(l, false);
  });

  // ---------------------------------------------------------------- one payment, receipts, refunds

  async function loadPayment(id: string): Promise<PaymentRow> {
    if (!isUuid(id)) throw paymentNotFound();
    const p = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw paymentNotFound();
    return p;
  }

  /** The payment's applicant and its dossier's officials; anyone else gets the same 404 as a missing payment. */
  async function viewPayment(actor: Actor, p: PaymentRow): Promise<{ l: Loaded; viewer: 'owner' | 'official' }> {
    const l = await load(p.dossierId);
    const viewer = await assertCanView(db, actor, l).catch((err: unknown) => {
      if (err instanceof AppError && err.statusCode === 404) throw paymentNotFound();
      throw err;
    });
    return { l, viewer };
  }

  r.get('/api/v1/payments/:id', {
    schema: { tags: ['payments'], summary: 'One payment (its applicant or the dossier\'s officials)', params: Id, response: { 200: Payment, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const p = await loadPayment(req.params.id);
    await viewPayment(actor, p);
    reply.header('cache-control', 'no-store');
    return present(db, p);
  });

  r.get('/api/v1/payments/:id/receipt', {
    schema: { tags: ['payments'], summary: 'The e-receipt (biên lai) PDF of a settled payment: its applicant and the agency\'s officials; 404 for anyone else', params: Id },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const p = await loadPayment(req.params.id);
    const { l, viewer } = await viewPayment(actor, p);
    const receipt = await db.selectFrom('receipts').selectAll().where('paymentId', '=', p.id).executeTakeFirst();
    if (!receipt || p.status !== 'paid') throw notFound({ vi: 'Giao dịch chưa có biên lai.', en: 'This payment has no receipt yet.' });
    const agency = await db.selectFrom('agencies as a').leftJoin('agencies as parent', 'parent.id', 'a.parentId')
      .select(['a.name', 'parent.name as parentName']).where('a.id', '=', receipt.agencyId).executeTakeFirstOrThrow();
    const procedure = await db.selectFrom('procedures').select('name').where('id', '=', l.row.procedureId).executeTakeFirstOrThrow();
    const pdf = await renderReceipt({
      code: receipt.code, issuedAt: receipt.issuedAt, agency: { name: agency.name, ...(agency.parentName ? { parentName: agency.parentName } : {}) },
      payerName: receipt.payerName, dossierCode: l.view.code, procedureName: procedure.name, items: receipt.items, amountVnd: vndOf(receipt.amountVnd),
      method: p.method, reference: p.reference, gatewayTxnNo: p.gatewayTxnNo, paidAt: p.paidAt!, sandbox: p.gateway === 'sandbox',
    });
    const signed = s.signForm
      ? await s.signForm({
        kind: 'e_receipt', agencyId: receipt.agencyId, dossierId: p.dossierId, reference: receipt.code, signerName: null,
        reason: 'Biên lai thu phí, lệ phí điện tử', pdf, actorId: actor.userId,
      }, req.log)
      : { pdf, signed: false };
    if (viewer === 'official')
      await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), { action: 'payment.receipt_downloaded', objectType: 'payment', objectId: p.id, details: { receipt: receipt.code, signed: signed.signed } }));
    reply.header('cache-control', 'no-store');
    return sendAttachment(reply, Readable.from([Buffer.from(signed.pdf)]), `bien-lai-${receipt.code}.pdf`, 'application/pdf', signed.pdf.length);
  });

  /** Locks the payment and refuses `amount` if it exceeds what is left (refunded and requested from the gateway count). */
  async function reserveRefund(tx: Tx, paymentId: string, amount: number): Promise<PaymentRow> {
    const p = await tx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirstOrThrow();
    if (p.status !== 'paid') throw conflict('payment_not_settled', { vi: 'Chỉ hoàn tiền cho giao dịch đã thanh toán.', en: 'Only a settled payment can be refunded.' });
    const held = await tx.selectFrom('paymentRefundRequests').select(sql<string>`coalesce(sum(amount_vnd), 0)`.as('n'))
      .where('paymentId', '=', paymentId).where('status', 'in', ['requested', 'unknown']).executeTakeFirstOrThrow();
    if (BigInt(p.refundedVnd) + BigInt(held.n) + BigInt(amount) > BigInt(p.amountVnd))
      throw conflict('refund_too_large', { vi: 'Số tiền hoàn vượt quá số tiền còn lại của giao dịch.', en: 'The refund exceeds what is left of the payment.' });
    return p;
  }

  const presentRefund = (x: { id: string; paymentId: string; amountVnd: string | number; reason: string; reference: string | null; refundedAt: Date }, gatewayInfo: Refund['gateway'] = null): Refund => ({
    id: x.id, paymentId: x.paymentId, amountVnd: vndOf(x.amountVnd), reason: x.reason, reference: x.reference, refundedAt: x.refundedAt.toISOString(), gateway: gatewayInfo,
  });

  r.post('/api/v1/payments/:id/refunds', {
    schema: {
      tags: ['payments'],
      summary: 'Give money back on a settled payment (overpayment, refused dossier). VNPay payments are refunded through the gateway\'s refund API first ' +
        '(409 refund_refused with its code if it refuses, 502 if it does not answer: the amount is then held until checked); `viaGateway: false` records a refund made another way',
      params: Id, body: RefundBody, response: { 201: Refund, ...errors, 502: ApiError },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const p0 = await loadPayment(req.params.id);
    await viewPayment(actor, p0);
    await requireOver(actor, 'payment.manage', p0.agencyId);
    if (p0.status !== 'paid') throw conflict('payment_not_settled', { vi: 'Chỉ hoàn tiền cho giao dịch đã thanh toán.', en: 'Only a settled payment can be refunded.' });
    const b = req.body;
    const viaGateway = b.viaGateway ?? p0.method === 'vnpay';
    if (!viaGateway) {
      const refund = await db.transaction().execute(async (tx) => {
        const p = await reserveRefund(tx, p0.id, b.amountVnd);
        return recordRefund(tx, auditCtx(req), p, { amountVnd: b.amountVnd, reason: b.reason, reference: b.reference ?? null, by: actor.userId });
      });
      return reply.status(201).send(presentRefund(refund));
    }
    if (p0.method !== 'vnpay' || !p0.gatewayCreateDate)
      throw fieldError('body.viaGateway', 'Chỉ hoàn tiền qua cổng thanh toán cho giao dịch VNPay.', 'Only VNPay payments can be refunded through the gateway.');
    if (!gateway || gateway.id !== p0.gateway) throw onlineUnavailable();

    const requestId = randomUUID().replace(/-/g, '');
    const { p, request } = await db.transaction().execute(async (tx) => {
      const p = await reserveRefund(tx, p0.id, b.amountVnd);
      const request = await tx.insertInto('paymentRefundRequests').values({
        paymentId: p.id, amountVnd: b.amountVnd, reason: b.reason, requestId, status: 'requested', requestedBy: actor.userId,
      }).returning(['id']).executeTakeFirstOrThrow();
      await writeAudit(tx, auditCtx(req), { action: 'payment.refund_requested', objectType: 'payment', objectId: p.id, details: { requestId, amountVnd: b.amountVnd } });
      return { p, request };
    });
    const outcome = await gateway.refund({
      requestId, reference: p.reference, amountVnd: b.amountVnd, whole: BigInt(b.amountVnd) === BigInt(p.amountVnd) && BigInt(p.refundedVnd) === 0n,
      transactionNo: p.gatewayTxnNo, transactionDate: p.gatewayCreateDate!, createdBy: actor.userId.replace(/-/g, '').slice(0, 20),
      orderInfo: `Hoan tien ${p.reference}`, ipAddr: req.ip,
    });
    // The request may have been settled meanwhile (the automatic check, an official): then its
    // outcome stands and this answer records nothing more.
    const answered = await db.transaction().execute(async (tx): Promise<{ row: RefundRow | null; settled?: RefundRequestRow }> => {
      const { p: locked, rq } = await lockRefundRequest(tx, p.id, { id: request.id });
      if (rq.status !== 'requested') return { row: null, settled: rq };
      if (outcome.kind === 'refunded') {
        const row = await confirmRefundRequest(tx, auditCtx(req), locked, rq, {
          via: 'refund_api', responseCode: outcome.responseCode, transactionNo: outcome.transactionNo, reference: outcome.transactionNo ?? b.reference ?? null, by: actor.userId,
        });
        return { row };
      }
      const failed = outcome.kind === 'refused';
      await tx.updateTable('paymentRefundRequests').set({
        status: failed ? 'failed' : 'unknown', responseCode: failed ? outcome.responseCode : null, settledVia: failed ? 'refund_api' : null,
        message: (failed ? outcome.message : outcome.reason).slice(0, 500), answeredAt: new Date(),
      }).where('id', '=', request.id).execute();
      await writeAudit(tx, auditCtx(req), {
        action: failed ? 'payment.refund_refused' : 'payment.refund_unanswered', objectType: 'payment', objectId: p.id,
        details: { requestId, amountVnd: b.amountVnd, ...(failed ? { responseCode: outcome.responseCode } : { reason: outcome.reason }) },
      });
      return { row: null };
    });
    if (answered.row) return reply.status(201).send(presentRefund(answered.row, { requestId, responseCode: '00', transactionNo: outcome.kind === 'refunded' ? outcome.transactionNo : null }));
    if (answered.settled) {
      const refund = answered.settled.refundId
        ? await db.selectFrom('paymentRefunds').selectAll().where('id', '=', answered.settled.refundId).executeTakeFirst()
        : undefined;
      if (refund) return reply.status(201).send(presentRefund(refund, { requestId, responseCode: answered.settled.responseCode ?? '00', transactionNo: answered.settled.gatewayTransactionNo }));
      throw refundRequestSettled();
    }
    if (outcome.kind === 'refused')
      throw conflict('refund_refused', {
        vi: `Cổng thanh toán từ chối hoàn tiền (mã ${outcome.responseCode}). Không có khoản hoàn nào được ghi nhận.`,
        en: `The payment gateway refused the refund (code ${outcome.responseCode}). No refund was recorded.`,
      });
    throw new AppError(502, 'gateway_no_answer', {
      vi: 'Cổng thanh toán không trả lời yêu cầu hoàn tiền. Số tiền được giữ lại cho tới khi đối soát xong; không gửi lại yêu cầu.',
      en: 'The payment gateway did not answer the refund request. The amount is held until it is checked; do not send it again.',
    });
  });

  r.post('/api/v1/payments/:id/refund-requests/:requestId/resolve', {
    schema: {
      tags: ['payments'],
      summary: 'Settle a refund request the gateway never answered, after checking the gateway\'s merchant portal: refunded (recorded now) or not (the amount is freed). ' +
        '409 refund_request_settled when it already has an outcome, refund_request_changed when it was checked again since `expectedCheckCount`',
      params: z.object({ id: z.string(), requestId: z.string() }),
      body: ResolveRefundRequestBody,
      response: { 200: ResolvedRefundRequest, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const p0 = await loadPayment(req.params.id);
    await viewPayment(actor, p0);
    await requireOver(actor, 'payment.manage', p0.agencyId);
    const b = req.body;
    return db.transaction().execute(async (tx) => {
      const { p, rq } = await lockRefundRequest(tx, p0.id, { requestId: req.params.requestId });
      if (!isOpen(rq)) throw refundRequestSettled();
      if (b.expectedCheckCount !== undefined && b.expectedCheckCount !== rq.checkCount)
        throw conflict('refund_request_changed', {
          vi: 'Yêu cầu hoàn tiền vừa được đối soát lại với cổng thanh toán. Vui lòng tải lại để xem kết quả mới nhất trước khi xử lý.',
          en: 'The refund request was just checked with the gateway again. Reload to see the latest answer before settling it.',
        });
      if (b.refunded) {
        const row = await confirmRefundRequest(tx, auditCtx(req), p, rq, {
          via: 'official', responseCode: rq.responseCode, transactionNo: b.reference ?? null, reference: b.reference ?? null, by: actor.userId, note: b.note,
          details: { resolvedBy: actor.userId },
        });
        return { status: 'confirmed' as const, refund: presentRefund(row, { requestId: rq.requestId, responseCode: rq.responseCode ?? '00', transactionNo: b.reference ?? null }) };
      }
      await closeRefundRequest(tx, auditCtx(req), p, rq, { status: 'failed', via: 'official', action: 'payment.refund_request_closed', note: b.note });
      return { status: 'failed' as const, refund: null };
    });
  });

  // ---------------------------------------------------------------- the gateway's callbacks

  if (gateway) {
    r.get('/api/v1/payments/vnpay/ipn', {
      schema: {
        tags: ['payments'], summary: 'VNPay IPN (server to server): the only proof of an online payment. Answers {RspCode, Message} with 200',
        response: { 200: VnpayIpnAnswer },
      },
    }, async (req) => handleIpn(payments, req.query as Record<string, unknown>, { ip: req.ip, requestId: String(req.id) }));

    r.get('/api/v1/payments/vnpay/return', {
      schema: {
        tags: ['payments'], summary: 'For the return page: checks the parameters VNPay put on the return URL and shows our record. Display only: never changes anything',
        response: { 200: VnpayReturnCheck },
      },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const check = gateway.verifyCallback(req.query as Record<string, unknown>, ['vnp_TxnRef', 'vnp_Amount', 'vnp_ResponseCode']);
      if (!check.ok)
        return {
          signatureValid: false, gatewayOutcome: 'unknown' as const, paymentId: null, dossierId: null, status: null, amountVnd: null, receipt: null,
          message: { vi: 'Đường dẫn kết quả thanh toán không hợp lệ. Vui lòng xem trạng thái thanh toán trong trang hồ sơ.', en: 'This payment result link is not valid. See the payment status on the dossier page.' },
        };
      const q = check.params;
      const p = await db.selectFrom('payments').selectAll().where('reference', '=', q.vnp_TxnRef!).where('method', '=', 'vnpay').executeTakeFirst();
      const outcome = q.vnp_ResponseCode === '00' && q.vnp_TransactionStatus === '00' ? 'success' as const : 'failed' as const;
      const shown = p ? await present(db, p) : null;
      const message = !p ? { vi: 'Không tìm thấy giao dịch.', en: 'Payment not found.' }
        : p.status === 'paid' ? { vi: 'Thanh toán thành công. Biên lai điện tử đã sẵn sàng.', en: 'Payment successful. The e-receipt is ready.' }
        : outcome === 'success' ? { vi: 'Ngân hàng báo giao dịch thành công; hệ thống đang chờ xác nhận từ cổng thanh toán. Trang hồ sơ sẽ cập nhật trong giây lát.', en: 'The bank reports success; we are waiting for the gateway\'s confirmation. The dossier page will update shortly.' }
        : { vi: 'Giao dịch không thành công. Bạn chưa bị trừ tiền; có thể thanh toán lại.', en: 'The payment did not go through. You were not charged; you can try again.' };
      return {
        signatureValid: true, gatewayOutcome: outcome, paymentId: p?.id ?? null, dossierId: p?.dossierId ?? null, status: p?.status ?? null,
        amountVnd: p ? vndOf(p.amountVnd) : null, receipt: shown?.receipt ?? null, message,
      };
    });
  }
}
