import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  ApiError, DailyReconciliation, ReconcileResult, ResolveTransferBody, StaffPaymentList, StaffPaymentsQuery, StatementImportResult,
  UnmatchedTransferList,
} from '@motcua/contracts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import { can, scopeRoots, type Action, type Actor } from '../policy/index.ts';
import { ensureFees, isDue, vndOf } from './fees.ts';
import { reconcilePending } from './gateway.service.ts';
import { createPayment, nextReference, settlePayment, type PaymentDeps } from './payment.service.ts';
import { presentPayments } from './presenter.ts';
import { fingerprint, matchCredit, readStatement, StatementError, type StatementLine } from './statements.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 413: ApiError };
const DAY_MS = 86_400_000;
const OFFSET_MS = 7 * 3_600_000;

/** The UTC instant at which a local (GMT+7) date starts. */
const localDayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);

/** Staff screens: payments by agency and period, the daily reconciliation, bank statements and unmatched transfers. */
export function paymentStaffRoutes(app: FastifyInstance, deps: AppDeps, payments: PaymentDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  /** The agencies in which `actor` may take `action` (whole subtrees); 403 when none, or when `agencyId` is outside. */
  async function scopeOf(actor: Actor, action: Action, agencyId?: string): Promise<string[]> {
    if (actor.kind !== 'official') throw forbidden();
    const scope = await subtreeIds(db, scopeRoots(actor, action));
    if (scope.length === 0) throw forbidden();
    if (agencyId) {
      if (!scope.includes(agencyId)) throw forbidden();
      return [agencyId];
    }
    return scope;
  }

  r.get('/api/v1/staff/payments', {
    schema: { tags: ['payments'], summary: 'Payments of my agencies by period, status and method (with refunds due)', querystring: StaffPaymentsQuery, response: { 200: StaffPaymentList, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query;
    const scope = await scopeOf(actor, 'payment.read', q.agencyId);
    reply.header('cache-control', 'no-store');
    const col = q.by === 'paid' ? 'p.paidAt' : 'p.createdAt';
    let base = db.selectFrom('payments as p').innerJoin('dossiers as d', 'd.id', 'p.dossierId').innerJoin('procedures as pr', 'pr.id', 'd.procedureId')
      .where('p.agencyId', 'in', scope);
    if (q.from) base = base.where(col, '>=', localDayStart(q.from));
    if (q.to) base = base.where(col, '<', new Date(localDayStart(q.to).getTime() + DAY_MS));
    if (q.status) base = base.where('p.status', '=', q.status);
    if (q.method) base = base.where('p.method', '=', q.method);
    if (q.refundDue !== undefined) base = q.refundDue ? base.where(sql<boolean>`p.overpaid_vnd > p.refunded_vnd`) : base.where(sql<boolean>`p.overpaid_vnd <= p.refunded_vnd`);
    const [rows, sums] = await Promise.all([
      base.selectAll('p').select(['pr.name as procedureName', 'd.applicantName']).orderBy(col, 'desc').orderBy('p.id').limit(q.limit).offset(q.offset).execute(),
      base.select([
        sql<number>`count(*)::int`.as('n'),
        sql<string>`coalesce(sum(p.amount_vnd), 0)`.as('amount'),
        sql<string>`coalesce(sum(p.amount_vnd) FILTER (WHERE p.status = 'paid'), 0)`.as('paid'),
        sql<string>`coalesce(sum(p.amount_vnd) FILTER (WHERE p.status = 'paid' AND p.paid_online), 0)`.as('online'),
        sql<string>`coalesce(sum(p.refunded_vnd), 0)`.as('refunded'),
      ]).executeTakeFirstOrThrow(),
    ]);
    const shown = await presentPayments(db, rows);
    return {
      items: shown.map((p, i) => ({ ...p, procedureName: rows[i]!.procedureName, applicantName: rows[i]!.applicantName })),
      total: sums.n,
      sums: { amountVnd: Number(sums.amount), paidVnd: Number(sums.paid), paidOnlineVnd: Number(sums.online), refundedVnd: Number(sums.refunded) },
    };
  });

  r.get('/api/v1/staff/payments/report', {
    schema: {
      tags: ['payments'], summary: 'Daily reconciliation of one day (GMT+7): settled by method and proof, refunds, overpayments, still pending, unmatched transfers, gateway checks',
      querystring: z.object({ date: z.iso.date(), agencyId: z.uuid().optional() }), response: { 200: DailyReconciliation, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await scopeOf(actor, 'payment.read', req.query.agencyId);
    reply.header('cache-control', 'no-store');
    const start = localDayStart(req.query.date);
    const end = new Date(start.getTime() + DAY_MS);
    const [paid, refunds, pending, closed, receipts, agencies, unmatched, runs] = await Promise.all([
      sql<{ agencyId: string; method: string; settledVia: string; online: boolean; n: number; amount: string; overpaid: string; overpaidN: number }>`
        SELECT agency_id, method, settled_via, paid_online AS online, count(*)::int AS n, sum(amount_vnd)::text AS amount,
               sum(overpaid_vnd)::text AS overpaid, (count(*) FILTER (WHERE overpaid_vnd > 0))::int AS overpaid_n
        FROM payments WHERE status = 'paid' AND paid_at >= ${start} AND paid_at < ${end} AND agency_id = ANY(${scope}::uuid[])
        GROUP BY 1, 2, 3, 4`.execute(db),
      sql<{ agencyId: string; n: number; amount: string }>`
        SELECT p.agency_id, count(*)::int AS n, sum(r.amount_vnd)::text AS amount FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
        WHERE r.refunded_at >= ${start} AND r.refunded_at < ${end} AND p.agency_id = ANY(${scope}::uuid[]) GROUP BY 1`.execute(db),
      sql<{ agencyId: string; n: number; amount: string }>`
        SELECT agency_id, count(*)::int AS n, sum(amount_vnd)::text AS amount FROM payments
        WHERE created_at >= ${start} AND created_at < ${end} AND agency_id = ANY(${scope}::uuid[])
          AND NOT (status = 'paid' AND paid_at < ${end}) AND NOT (status IN ('failed','expired','cancelled') AND updated_at < ${end})
        GROUP BY 1`.execute(db),
      sql<{ agencyId: string; status: string; n: number; amount: string }>`
        SELECT agency_id, status, count(*)::int AS n, sum(amount_vnd)::text AS amount FROM payments
        WHERE status IN ('failed','expired') AND updated_at >= ${start} AND updated_at < ${end} AND agency_id = ANY(${scope}::uuid[])
        GROUP BY 1, 2`.execute(db),
      sql<{ agencyId: string; n: number }>`
        SELECT agency_id, count(*)::int AS n FROM receipts WHERE issued_at >= ${start} AND issued_at < ${end} AND agency_id = ANY(${scope}::uuid[]) GROUP BY 1`.execute(db),
      db.selectFrom('agencies').select(['id', 'code', 'name']).where('id', 'in', scope).execute(),
      sql<{ n: number; amount: string }>`
        SELECT count(*)::int AS n, coalesce(sum(r.amount_vnd), 0)::text AS amount FROM bank_statement_rows r JOIN bank_statement_imports i ON i.id = r.import_id
        WHERE r.status = 'unmatched' AND i.agency_id = ANY(${scope}::uuid[])`.execute(db),
      sql<{ runs: number; checked: number; settled: number; closed: number; unknown: number }>`
        SELECT count(*)::int AS runs, coalesce(sum(checked), 0)::int AS checked, coalesce(sum(settled), 0)::int AS settled,
               coalesce(sum(closed), 0)::int AS closed, coalesce(sum(unknown), 0)::int AS unknown
        FROM payment_reconciliation_runs WHERE started_at >= ${start} AND started_at < ${end}`.execute(db),
    ]);
    const sweep = await db.selectFrom('paymentReconciliationRuns').select('id').where('kind', '=', 'daily').where('day', '=', req.query.date).where('finishedAt', 'is not', null).executeTakeFirst();
    const tally = (xs: { n: number; amount: string }[]) => ({ count: xs.reduce((s, x) => s + x.n, 0), amountVnd: xs.reduce((s, x) => s + Number(x.amount), 0) });
    const active = new Set([...paid.rows, ...refunds.rows, ...pending.rows, ...closed.rows, ...receipts.rows].map((x) => x.agencyId));
    const rows = agencies.filter((a) => active.has(a.id) || req.query.agencyId === a.id).sort((a, b) => a.code.localeCompare(b.code)).map((a) => {
      const mine = paid.rows.filter((x) => x.agencyId === a.id);
      const via: Record<string, number> = {};
      for (const x of mine) via[x.settledVia] = (via[x.settledVia] ?? 0) + x.n;
      return {
        agencyId: a.id, agencyCode: a.code, agencyName: a.name,
        paid: {
          vnpay: tally(mine.filter((x) => x.method === 'vnpay')), vietqr: tally(mine.filter((x) => x.method === 'vietqr')), cash: tally(mine.filter((x) => x.method === 'cash')),
          total: tally(mine), online: tally(mine.filter((x) => x.online)),
        },
        settledVia: via,
        refunds: tally(refunds.rows.filter((x) => x.agencyId === a.id)),
        overpaid: { count: mine.reduce((s, x) => s + x.overpaidN, 0), amountVnd: mine.reduce((s, x) => s + Number(x.overpaid), 0) },
        pendingAtEndOfDay: tally(pending.rows.filter((x) => x.agencyId === a.id)),
        failed: tally(closed.rows.filter((x) => x.agencyId === a.id && x.status === 'failed')),
        expired: tally(closed.rows.filter((x) => x.agencyId === a.id && x.status === 'expired')),
        receiptsIssued: receipts.rows.find((x) => x.agencyId === a.id)?.n ?? 0,
      };
    });
    const sumOf = (pick: (x: (typeof rows)[number]) => { count: number; amountVnd: number }) =>
      ({ count: rows.reduce((s, x) => s + pick(x).count, 0), amountVnd: rows.reduce((s, x) => s + pick(x).amountVnd, 0) });
    const u = unmatched.rows[0]!;
    const g = runs.rows[0]!;
    return {
      date: req.query.date,
      agencies: rows,
      totals: { paid: sumOf((x) => x.paid.total), online: sumOf((x) => x.paid.online), refunds: sumOf((x) => x.refunds), pendingAtEndOfDay: sumOf((x) => x.pendingAtEndOfDay) },
      unmatchedTransfers: { count: u.n, amountVnd: Number(u.amount) },
      gatewayChecks: { ...g, dailySweepDone: !!sweep },
    };
  });

  r.post('/api/v1/staff/payments/reconcile', {
    schema: { tags: ['payments'], summary: 'Ask the gateway (QueryDR) now about VNPay payments pending longer than the threshold', response: { 200: ReconcileResult, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    await scopeOf(actor, 'payment.manage');
    return reconcilePending(payments, new Date(), 'manual');
  });

  // ---------------------------------------------------------------- bank statements

  r.post('/api/v1/staff/bank-statements', {
    schema: {
      tags: ['payments'], summary: 'Import a bank statement of the VietQR account (.csv or .xlsx, multipart field `file`): credits are matched on reference/dossier code and exact amount',
      querystring: z.object({ agencyId: z.uuid().optional() }), response: { 200: StatementImportResult, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const roots = scopeRoots(actor, 'payment.manage');
    if (actor.kind !== 'official' || roots.length === 0) throw forbidden();
    const agencyId = req.query.agencyId ?? (roots.length === 1 ? roots[0]! : undefined);
    if (!agencyId) throw fieldError('querystring.agencyId', 'Chọn cơ quan của sao kê.', 'Choose the agency the statement is for.');
    if (!can(actor, 'payment.manage', await agencyChain(db, agencyId))) throw forbidden();
    const scope = await subtreeIds(db, [agencyId]);
    const part = await req.file();
    if (!part) throw fieldError('body.file', 'Chưa có tệp sao kê.', 'No statement file was sent.');
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch {
      throw new AppError(413, 'file_too_large', { vi: 'Tệp sao kê quá lớn.', en: 'The statement file is too large.' });
    }
    if (bytes.length === 0) throw fieldError('body.file', 'Tệp rỗng.', 'The file is empty.');
    let parsed: Awaited<ReturnType<typeof readStatement>>;
    try {
      parsed = await readStatement(bytes);
    } catch (err) {
      if (err instanceof StatementError)
        throw fieldError('body.file', `Không đọc được sao kê (.csv hoặc .xlsx có dòng tiêu đề Số tiền, Nội dung): ${err.message}`, `Could not read the statement (.csv or .xlsx with Amount and Description headers): ${err.message}`);
      throw err;
    }
    const filename = (part.filename || 'sao-ke').replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 200) || 'sao-ke';
    const ctx = auditCtx(req);
    return db.transaction().execute(async (tx) => {
      const imp = await tx.insertInto('bankStatementImports').values({ agencyId, filename, format: parsed.format, importedBy: actor.userId, total: parsed.lines.length, matched: 0, unmatched: 0, duplicates: 0 })
        .returning('id').executeTakeFirstOrThrow();
      const seen = new Map<string, number>();
      const out: StatementImportResult['rows'] = [];
      let matched = 0, unmatched = 0, duplicates = 0, ignored = 0;
      for (const line of parsed.lines) {
        if (line.amountVnd === null || line.amountVnd <= 0) {
          ignored++;
          out.push({ rowNo: line.rowNo, status: 'ignored', amountVnd: line.amountVnd, description: line.description, paymentId: null, dossierCode: null, reason: { vi: 'Không phải khoản tiền vào.', en: 'Not a credit.' } });
          continue;
        }
        const key = `${line.bookedOn}|${line.amountVnd}|${line.description}`;
        const occurrence = (seen.get(key) ?? 0) + 1;
        seen.set(key, occurrence);
        const row = await tx.insertInto('bankStatementRows').values({
          importId: imp.id, rowNo: line.rowNo, fingerprint: fingerprint(line, occurrence), bookedOn: line.bookedOn, amountVnd: line.amountVnd,
          description: line.description, bankRef: line.bankRef, status: 'unmatched', paymentId: null, note: null, reviewedBy: null, reviewedAt: null,
        }).onConflict((oc) => oc.column('fingerprint').doNothing()).returning('id').executeTakeFirst();
        if (!row) {
          duplicates++;
          out.push({ rowNo: line.rowNo, status: 'duplicate', amountVnd: line.amountVnd, description: line.description, paymentId: null, dossierCode: null, reason: { vi: 'Đã nhập ở lần trước.', en: 'Already imported.' } });
          continue;
        }
        const m = await matchCredit(tx, line as StatementLine & { amountVnd: number }, scope, ctx, actor.userId);
        if (m.ok) {
          matched++;
          await tx.updateTable('bankStatementRows').set({ status: 'matched', paymentId: m.payment.id }).where('id', '=', row.id).execute();
          out.push({ rowNo: line.rowNo, status: 'matched', amountVnd: line.amountVnd, description: line.description, paymentId: m.payment.id, dossierCode: m.dossierCode, reason: null });
        } else {
          unmatched++;
          await tx.updateTable('bankStatementRows').set({ note: m.reason.vi }).where('id', '=', row.id).execute();
          out.push({ rowNo: line.rowNo, status: 'unmatched', amountVnd: line.amountVnd, description: line.description, paymentId: null, dossierCode: m.dossierCode, reason: m.reason });
        }
      }
      await tx.updateTable('bankStatementImports').set({ matched, unmatched, duplicates }).where('id', '=', imp.id).execute();
      await writeAudit(tx, ctx, { action: 'payment.statement_imported', objectType: 'bank_statement', objectId: imp.id, details: { agencyId, filename, total: parsed.lines.length, matched, unmatched, duplicates, ignored } });
      return { importId: imp.id, total: parsed.lines.length, matched, unmatched, duplicates, ignored, rows: out };
    });
  });

  r.get('/api/v1/staff/bank-statements/unmatched', {
    schema: {
      tags: ['payments'], summary: 'Transfers of imported statements that matched nothing, for review',
      querystring: z.object({ agencyId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: UnmatchedTransferList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await scopeOf(actor, 'payment.read', req.query.agencyId);
    reply.header('cache-control', 'no-store');
    const base = db.selectFrom('bankStatementRows as r').innerJoin('bankStatementImports as i', 'i.id', 'r.importId')
      .where('r.status', '=', 'unmatched').where('i.agencyId', 'in', scope);
    const [rows, sums] = await Promise.all([
      base.select(['r.id', 'r.importId', 'r.rowNo', 'r.bookedOn', 'r.amountVnd', 'r.description', 'r.bankRef', 'i.importedAt', 'i.agencyId'])
        .orderBy('i.importedAt', 'desc').orderBy('r.rowNo').limit(req.query.limit).offset(req.query.offset).execute(),
      base.select([sql<number>`count(*)::int`.as('n'), sql<string>`coalesce(sum(r.amount_vnd), 0)`.as('sum')]).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((x) => ({ ...x, amountVnd: vndOf(x.amountVnd), importedAt: x.importedAt.toISOString() })),
      total: sums.n, sumVnd: Number(sums.sum),
    };
  });

  r.post('/api/v1/staff/bank-statements/rows/:id/resolve', {
    schema: {
      tags: ['payments'], summary: 'Review an unmatched transfer: match it to a pending VietQR payment or to a dossier\'s due fees (exact amount), or set it aside with a note',
      params: z.object({ id: z.string() }), body: ResolveTransferBody, response: { 200: UnmatchedTransferList.shape.items.element.extend({ status: z.string(), paymentId: z.string().nullable() }), ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) throw notFound();
    const row = await db.selectFrom('bankStatementRows as r').innerJoin('bankStatementImports as i', 'i.id', 'r.importId')
      .selectAll('r').select(['i.agencyId', 'i.importedAt']).where('r.id', '=', req.params.id).executeTakeFirst();
    if (!row) throw notFound();
    if (!can(actor, 'payment.manage', await agencyChain(db, row.agencyId))) throw forbidden();
    const b = req.body;
    const scope = await subtreeIds(db, [row.agencyId]);
    const ctx = auditCtx(req);
    const amount = vndOf(row.amountVnd);
    const result = await db.transaction().execute(async (tx) => {
      const claimed = await tx.updateTable('bankStatementRows').set({ reviewedBy: actor.userId, reviewedAt: new Date(), note: b.note })
        .where('id', '=', row.id).where('status', '=', 'unmatched').returning('id').executeTakeFirst();
      if (!claimed) throw conflict('transfer_already_reviewed', { vi: 'Giao dịch này đã được xử lý.', en: 'This transfer was already reviewed.' });
      if (b.action === 'dismiss') {
        await tx.updateTable('bankStatementRows').set({ status: 'dismissed' }).where('id', '=', row.id).execute();
        await writeAudit(tx, ctx, { action: 'payment.transfer_dismissed', objectType: 'bank_statement_row', objectId: row.id, details: { amountVnd: amount, note: b.note } });
        return { status: 'dismissed', paymentId: null };
      }
      let paymentId: string;
      if (b.paymentId) {
        const p = await tx.selectFrom('payments').selectAll().where('id', '=', b.paymentId).executeTakeFirst();
        if (!p || !scope.includes(p.agencyId) || p.method !== 'vietqr') throw fieldError('body.paymentId', 'Không có giao dịch chuyển khoản này trong cơ quan.', 'No such transfer payment in this agency.');
        if (vndOf(p.amountVnd) !== amount) throw fieldError('body.paymentId', 'Số tiền không khớp.', 'The amount does not match.');
        const s = await settlePayment(tx, p, { via: 'review', gatewayTxnNo: row.bankRef }, ctx, ['pending', 'cancelled']);
        if (!s) throw conflict('payment_already_settled', { vi: 'Giao dịch đã được thanh toán.', en: 'That payment is already settled.' });
        paymentId = p.id;
      } else if (b.dossierId) {
        const d = await tx.selectFrom('dossiers').select(['id', 'procedureId', 'receivingAgencyId']).where('id', '=', b.dossierId).executeTakeFirst();
        if (!d || !scope.includes(d.receivingAgencyId)) throw fieldError('body.dossierId', 'Không có hồ sơ này trong cơ quan.', 'No such dossier in this agency.');
        const fees = (await ensureFees(tx, { id: d.id, procedureId: d.procedureId })).filter(isDue);
        const due = fees.reduce((s, f) => s + vndOf(f.amountVnd), 0);
        if (fees.length === 0 || due !== amount) throw fieldError('body.dossierId', `Số tiền không khớp số phí còn phải nộp (${due}).`, `The amount does not match what the dossier owes (${due}).`);
        const p = await createPayment(tx, { dossierId: d.id, agencyId: d.receivingAgencyId, method: 'vietqr', reference: await nextReference(tx, 'QR'), fees, createdBy: actor.userId });
        await settlePayment(tx, p, { via: 'review', gatewayTxnNo: row.bankRef }, ctx);
        paymentId = p.id;
      } else throw fieldError('body.paymentId', 'Chọn giao dịch hoặc hồ sơ để đối chiếu.', 'Choose the payment or the dossier to match.');
      await tx.updateTable('bankStatementRows').set({ status: 'resolved', paymentId }).where('id', '=', row.id).execute();
      return { status: 'resolved', paymentId };
    });
    return {
      id: row.id, importId: row.importId, rowNo: row.rowNo, bookedOn: row.bookedOn, amountVnd: amount, description: row.description, bankRef: row.bankRef,
      importedAt: row.importedAt.toISOString(), agencyId: row.agencyId, ...result,
    };
  });
}
