import { stringify as stringifyCsv } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  ApiError, DailyReconciliation, DailyReportExportQuery, PendingRefundRequestList, PendingRefundRequestsQuery, ReconcileResult, ResolvedTransfer,
  ResolveTransferBody, StaffPaymentList, StaffPaymentsQuery, StatementImportResult, TransferCandidateList, UnmatchedTransferList,
} from '@motcua/contracts';
import type { Db } from '../../db/database.ts';
import { auditCtx, requireActor, type AppDeps } from '../../http/context.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.ts';
import { agencyChain, subtreeIds } from '../agencies/index.ts';
import { writeAudit } from '../audit/index.ts';
import { can, scopeRoots, type Action, type Actor } from '../policy/index.ts';
import { ensureFees, isDue, vndOf } from './fees.ts';
import { reconcilePending } from './gateway.service.ts';
import { createPayment, nextReference, settlePayment, type PaymentDeps } from './payment.service.ts';
import { presentPayments } from './presenter.ts';
import { OPEN_REFUND_STATES } from './refunds.service.ts';
import { fingerprint, matchCredit, readStatement, StatementError, type StatementLine } from './statements.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 413: ApiError };
const DAY_MS = 86_400_000;
const OFFSET_MS = 7 * 3_600_000;

/** The UTC instant at which a local (GMT+7) date starts. */
const localDayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
    if (q.q) {
      const like = likePattern(q.q);
      base = base.where((eb) => eb.or([eb('p.reference', 'ilike', like), eb('d.code', 'ilike', like), eb('d.applicantName', 'ilike', like)]));
    }
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
    const [shown, refunds] = await Promise.all([
      presentPayments(db, rows),
      rows.length === 0 ? [] : db.selectFrom('paymentRefunds').selectAll().where('paymentId', 'in', rows.map((x) => x.id)).orderBy('refundedAt').orderBy('id').execute(),
    ]);
    return {
      items: shown.map((p, i) => ({
        ...p, procedureName: rows[i]!.procedureName, applicantName: rows[i]!.applicantName,
        refunds: refunds.filter((x) => x.paymentId === p.id).map((x) => ({
          id: x.id, paymentId: x.paymentId, amountVnd: vndOf(x.amountVnd), reason: x.reason, reference: x.reference, refundedAt: x.refundedAt.toISOString(),
        })),
      })),
      total: sums.n,
      sums: { amountVnd: Number(sums.amount), paidVnd: Number(sums.paid), paidOnlineVnd: Number(sums.online), refundedVnd: Number(sums.refunded) },
    };
  });

  /** One day's reconciliation (GMT+7) over the agencies `scope`; `agencyId` is listed even when idle. */
  async function dailyReport(scope: string[], date: string, agencyId?: string): Promise<DailyReconciliation> {
    const start = localDayStart(date);
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
    const sweep = await db.selectFrom('paymentReconciliationRuns').select('id').where('kind', '=', 'daily').where('day', '=', date).where('finishedAt', 'is not', null).executeTakeFirst();
    const tally = (xs: { n: number; amount: string }[]) => ({ count: xs.reduce((s, x) => s + x.n, 0), amountVnd: xs.reduce((s, x) => s + Number(x.amount), 0) });
    const active = new Set([...paid.rows, ...refunds.rows, ...pending.rows, ...closed.rows, ...receipts.rows].map((x) => x.agencyId));
    const rows = agencies.filter((a) => active.has(a.id) || agencyId === a.id).sort((a, b) => a.code.localeCompare(b.code)).map((a) => {
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
      date,
      agencies: rows,
      totals: { paid: sumOf((x) => x.paid.total), online: sumOf((x) => x.paid.online), refunds: sumOf((x) => x.refunds), pendingAtEndOfDay: sumOf((x) => x.pendingAtEndOfDay) },
      unmatchedTransfers: { count: u.n, amountVnd: Number(u.amount) },
      gatewayChecks: { ...g, dailySweepDone: !!sweep },
    };
  }

  r.get('/api/v1/staff/payments/report', {
    schema: {
      tags: ['payments'], summary: 'Daily reconciliation of one day (GMT+7): settled by method and proof, refunds, overpayments, still pending, unmatched transfers, gateway checks',
      querystring: z.object({ date: z.iso.date(), agencyId: z.uuid().optional() }), response: { 200: DailyReconciliation, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await scopeOf(actor, 'payment.read', req.query.agencyId);
    reply.header('cache-control', 'no-store');
    return dailyReport(scope, req.query.date, req.query.agencyId);
  });

  r.get('/api/v1/staff/payments/report/export', {
    schema: {
      tags: ['payments'], summary: 'The daily reconciliation as a file: .xlsx (summary per agency, then the day\'s payments) or .csv (the summary per agency)',
      querystring: DailyReportExportQuery, response: { 200: z.unknown().describe('The file (binary)'), ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query;
    const scope = await scopeOf(actor, 'payment.read', q.agencyId);
    const report = await dailyReport(scope, q.date, q.agencyId);
    const agency = q.agencyId ? await db.selectFrom('agencies').select(['code', 'name']).where('id', '=', q.agencyId).executeTakeFirst() : undefined;
    const title = agency ? `${agency.name} (${agency.code})` : 'Tất cả cơ quan trong phạm vi được giao';
    const body = q.format === 'xlsx'
      ? await reportXlsx(report, title, await dayPayments(db, scope, q.date))
      : reportCsv(report);
    await db.transaction().execute((tx) => writeAudit(tx, auditCtx(req), {
      action: 'payment.report_exported', objectType: 'agency', objectId: q.agencyId ?? null, details: { date: q.date, format: q.format },
    }));
    const filename = `doi-soat-thanh-toan-${q.date}${agency ? `-${agency.code}` : ''}.${q.format}`;
    return reply
      .header('content-type', q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(body);
  });

  r.post('/api/v1/staff/payments/reconcile', {
    schema: { tags: ['payments'], summary: 'Ask the gateway (QueryDR) now about VNPay payments pending longer than the threshold', response: { 200: ReconcileResult, ...errors } },
  }, async (req) => {
    const actor = requireActor(req);
    await scopeOf(actor, 'payment.manage');
    return reconcilePending(payments, new Date(), 'manual');
  });

  r.get('/api/v1/staff/payments/refund-requests', {
    schema: {
      tags: ['payments'],
      summary: 'Refund requests VNPay has not answered yet in my agencies, oldest first, with their automatic QueryDR checks (settle one with POST /api/v1/payments/{id}/refund-requests/{requestId}/resolve)',
      querystring: PendingRefundRequestsQuery, response: { 200: PendingRefundRequestList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const scope = await scopeOf(actor, 'payment.read', req.query.agencyId);
    const manage = new Set(await subtreeIds(db, scopeRoots(actor, 'payment.manage')));
    reply.header('cache-control', 'no-store');
    const base = db.selectFrom('paymentRefundRequests as q').innerJoin('payments as p', 'p.id', 'q.paymentId').innerJoin('dossiers as d', 'd.id', 'p.dossierId')
      .where('q.status', 'in', OPEN_REFUND_STATES).where('p.agencyId', 'in', scope);
    const [rows, total] = await Promise.all([
      base.innerJoin('agencies as a', 'a.id', 'p.agencyId').leftJoin('users as u', 'u.id', 'q.requestedBy')
        .selectAll('q')
        .select(['p.reference', 'p.amountVnd as paymentAmountVnd', 'p.dossierId', 'p.agencyId', 'd.code as dossierCode', 'd.applicantName', 'a.name as agencyName', 'u.fullName as requestedByName'])
        .orderBy('q.requestedAt').orderBy('q.id').limit(req.query.limit).offset(req.query.offset).execute(),
      base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((x) => ({
        id: x.id, requestId: x.requestId, paymentId: x.paymentId, paymentReference: x.reference, paymentAmountVnd: vndOf(x.paymentAmountVnd),
        dossierId: x.dossierId, dossierCode: x.dossierCode, applicantName: x.applicantName, agencyId: x.agencyId, agencyName: x.agencyName,
        amountVnd: vndOf(x.amountVnd), reason: x.reason, status: x.status as 'requested' | 'unknown', requestedAt: x.requestedAt.toISOString(),
        requestedBy: x.requestedBy && x.requestedByName ? { id: x.requestedBy, name: x.requestedByName } : null,
        firstAnswer: x.status === 'unknown' ? x.message : null,
        checks: {
          count: x.checkCount, lastAt: x.lastCheckAt?.toISOString() ?? null, lastOutcome: x.lastCheckOutcome, lastDetail: x.lastCheckDetail, nextAt: x.nextCheckAt?.toISOString() ?? null,
        },
        canResolve: manage.has(x.agencyId),
      })),
      total: total.n,
    };
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

  /** An unmatched-or-reviewed statement row with its import's agency; 404 when unknown, 403 without payment.manage over it. */
  async function manageableRow(actor: Actor, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
    const row = await db.selectFrom('bankStatementRows as r').innerJoin('bankStatementImports as i', 'i.id', 'r.importId')
      .selectAll('r').select(['i.agencyId', 'i.importedAt']).where('r.id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    if (!can(actor, 'payment.manage', await agencyChain(db, row.agencyId))) throw forbidden();
    return row;
  }

  r.get('/api/v1/staff/bank-statements/rows/:id/candidates', {
    schema: {
      tags: ['payments'], summary: 'What an unmatched transfer may pay for: open VietQR payments of exactly its amount, and dossiers owing exactly its amount (in the statement\'s agencies)',
      params: z.object({ id: z.string() }), querystring: z.object({ q: z.string().trim().max(100).optional() }), response: { 200: TransferCandidateList, ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const row = await manageableRow(actor, req.params.id);
    reply.header('cache-control', 'no-store');
    if (row.status !== 'unmatched') return { items: [] };
    const scope = await subtreeIds(db, [row.agencyId]);
    const amount = vndOf(row.amountVnd);
    const like = req.query.q ? likePattern(req.query.q) : null;
    const [open, owing] = await Promise.all([
      db.selectFrom('payments as p').innerJoin('dossiers as d', 'd.id', 'p.dossierId').innerJoin('procedures as pr', 'pr.id', 'd.procedureId')
        .select(['p.id', 'p.dossierId', 'd.code', 'd.applicantName', 'pr.name as procedureName', 'p.amountVnd', 'p.reference', 'p.createdAt'])
        .where('p.method', '=', 'vietqr').where('p.status', 'in', ['pending', 'cancelled']).where('p.agencyId', 'in', scope).where('p.amountVnd', '=', String(amount))
        .$if(!!like, (qb) => qb.where((eb) => eb.or([eb('p.reference', 'ilike', like!), eb('d.code', 'ilike', like!), eb('d.applicantName', 'ilike', like!)])))
        .orderBy('p.createdAt', 'desc').limit(20).execute(),
      sql<{ id: string; code: string | null; applicantName: string; procedureName: string; due: string; submittedAt: Date | null }>`
        SELECT d.id, d.code, d.applicant_name, pr.name AS procedure_name, sum(f.amount_vnd)::text AS due, d.submitted_at
        FROM dossiers d JOIN procedures pr ON pr.id = d.procedure_id JOIN dossier_fees f ON f.dossier_id = d.id
        WHERE d.receiving_agency_id = ANY(${scope}::uuid[]) AND d.status <> 'draft'
          AND f.payment_id IS NULL AND f.exempted_at IS NULL AND f.amount_vnd > 0
          ${like ? sql`AND (d.code ILIKE ${like} OR d.applicant_name ILIKE ${like})` : sql``}
        GROUP BY d.id, pr.name HAVING sum(f.amount_vnd) = ${amount}
        ORDER BY d.submitted_at DESC NULLS LAST LIMIT 20`.execute(db),
    ]);
    return {
      items: [
        ...open.map((p) => ({
          kind: 'payment' as const, paymentId: p.id, dossierId: p.dossierId, dossierCode: p.code, applicantName: p.applicantName, procedureName: p.procedureName,
          amountVnd: vndOf(p.amountVnd), reference: p.reference, at: p.createdAt.toISOString(),
        })),
        ...owing.rows.map((d) => ({
          kind: 'dossier' as const, paymentId: null, dossierId: d.id, dossierCode: d.code, applicantName: d.applicantName, procedureName: d.procedureName,
          amountVnd: Number(d.due), reference: null, at: d.submittedAt?.toISOString() ?? null,
        })),
      ],
    };
  });

  r.post('/api/v1/staff/bank-statements/rows/:id/resolve', {
    schema: {
      tags: ['payments'], summary: 'Review an unmatched transfer: match it to a pending VietQR payment or to a dossier\'s due fees (exact amount), or set it aside with a note',
      params: z.object({ id: z.string() }), body: ResolveTransferBody, response: { 200: ResolvedTransfer, ...errors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const row = await manageableRow(actor, req.params.id);
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

// ---------------------------------------------------------------- the daily report as a file

interface DayPayment {
  reference: string;
  dossierCode: string | null;
  applicantName: string;
  procedureName: string;
  agencyCode: string;
  method: string;
  paidOnline: boolean;
  status: string;
  amountVnd: string;
  createdAt: Date;
  paidAt: Date | null;
  settledVia: string | null;
  gatewayTxnNo: string | null;
  receiptCode: string | null;
  refundedVnd: string;
}

/** Payments of the day in `scope`: settled that day, or started that day (whatever became of them). */
async function dayPayments(db: Db, scope: string[], date: string): Promise<DayPayment[]> {
  const start = localDayStart(date);
  const end = new Date(start.getTime() + DAY_MS);
  return db.selectFrom('payments as p').innerJoin('dossiers as d', 'd.id', 'p.dossierId').innerJoin('procedures as pr', 'pr.id', 'd.procedureId')
    .innerJoin('agencies as a', 'a.id', 'p.agencyId').leftJoin('receipts as rc', 'rc.paymentId', 'p.id')
    .select([
      'p.reference', 'd.code as dossierCode', 'd.applicantName', 'pr.name as procedureName', 'a.code as agencyCode', 'p.method', 'p.paidOnline', 'p.status',
      'p.amountVnd', 'p.createdAt', 'p.paidAt', 'p.settledVia', 'p.gatewayTxnNo', 'rc.code as receiptCode', 'p.refundedVnd',
    ])
    .where('p.agencyId', 'in', scope)
    .where((eb) => eb.or([eb.and([eb('p.paidAt', '>=', start), eb('p.paidAt', '<', end)]), eb.and([eb('p.createdAt', '>=', start), eb('p.createdAt', '<', end)])]))
    .orderBy('a.code').orderBy('p.createdAt').orderBy('p.id').limit(50_000).execute();
}

const METHOD_VI: Record<string, string> = { vnpay: 'VNPay', vietqr: 'Chuyển khoản VietQR', cash: 'Tiền mặt' };
const STATUS_VI: Record<string, string> = { pending: 'Chờ thanh toán', paid: 'Đã thanh toán', failed: 'Thất bại', expired: 'Hết hạn', cancelled: 'Đã hủy' };
const VIA_VI: Record<string, string> = { ipn: 'Cổng thanh toán báo (IPN)', querydr: 'Tra cứu cổng (QueryDR)', counter: 'Thu tại quầy', statement: 'Sao kê ngân hàng', review: 'Rà soát thủ công' };

/** dd/mm/yyyy hh:mm:ss in GMT+7. */
const localTime = (d: Date | null) => {
  if (!d) return '';
  const s = new Date(d.getTime() + OFFSET_MS).toISOString();
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, 19)}`;
};
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

type Row = DailyReconciliation['agencies'][number];

/** The summary's columns, one row per agency: what the CSV holds and the first sheet shows. */
const SUMMARY: { header: string; value: (r: Row) => number | string; money?: boolean }[] = [
  { header: 'Mã cơ quan', value: (r) => r.agencyCode },
  { header: 'Tên cơ quan', value: (r) => r.agencyName },
  { header: 'VNPay: số giao dịch', value: (r) => r.paid.vnpay.count },
  { header: 'VNPay: số tiền (đồng)', value: (r) => r.paid.vnpay.amountVnd, money: true },
  { header: 'VietQR: số giao dịch', value: (r) => r.paid.vietqr.count },
  { header: 'VietQR: số tiền (đồng)', value: (r) => r.paid.vietqr.amountVnd, money: true },
  { header: 'Tiền mặt: số giao dịch', value: (r) => r.paid.cash.count },
  { header: 'Tiền mặt: số tiền (đồng)', value: (r) => r.paid.cash.amountVnd, money: true },
  { header: 'Tổng đã thu: số giao dịch', value: (r) => r.paid.total.count },
  { header: 'Tổng đã thu: số tiền (đồng)', value: (r) => r.paid.total.amountVnd, money: true },
  { header: 'Trong đó trực tuyến (đồng)', value: (r) => r.paid.online.amountVnd, money: true },
  { header: 'Cổng xác nhận qua IPN', value: (r) => r.settledVia.ipn ?? 0 },
  { header: 'Cổng xác nhận qua QueryDR', value: (r) => r.settledVia.querydr ?? 0 },
  { header: 'Xác nhận qua sao kê', value: (r) => r.settledVia.statement ?? 0 },
  { header: 'Xác nhận khi rà soát', value: (r) => r.settledVia.review ?? 0 },
  { header: 'Thu tại quầy', value: (r) => r.settledVia.counter ?? 0 },
  { header: 'Hoàn tiền: số lần', value: (r) => r.refunds.count },
  { header: 'Hoàn tiền: số tiền (đồng)', value: (r) => r.refunds.amountVnd, money: true },
  { header: 'Nộp thừa (đồng)', value: (r) => r.overpaid.amountVnd, money: true },
  { header: 'Chờ thanh toán cuối ngày: số giao dịch', value: (r) => r.pendingAtEndOfDay.count },
  { header: 'Chờ thanh toán cuối ngày: số tiền (đồng)', value: (r) => r.pendingAtEndOfDay.amountVnd, money: true },
  { header: 'Thất bại', value: (r) => r.failed.count },
  { header: 'Hết hạn', value: (r) => r.expired.count },
  { header: 'Biên lai đã cấp', value: (r) => r.receiptsIssued },
];

/** The total row: sums of the numeric columns. */
function totalRow(report: DailyReconciliation): (number | string)[] {
  return SUMMARY.map((c, i) => (i === 0 ? 'TỔNG CỘNG' : i === 1 ? '' : report.agencies.reduce((s, r) => s + Number(c.value(r)), 0)));
}

function reportCsv(report: DailyReconciliation): Buffer {
  const rows = [SUMMARY.map((c) => c.header), ...report.agencies.map((r) => SUMMARY.map((c) => c.value(r))), totalRow(report)];
  return Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(stringifyCsv(rows), 'utf8')]);
}

async function reportXlsx(report: DailyReconciliation, scopeTitle: string, payments: DayPayment[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  const money = '#,##0';

  const ws = wb.addWorksheet('Doi soat', { views: [{ state: 'frozen', ySplit: 4, xSplit: 2 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.getCell(1, 1).value = `BÁO CÁO ĐỐI SOÁT THANH TOÁN PHÍ, LỆ PHÍ NGÀY ${dmy(report.date)}`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).value = `Phạm vi: ${scopeTitle}. Lập lúc ${localTime(new Date())} (giờ Việt Nam).`;
  ws.getCell(2, 1).font = { italic: true };
  const header = ws.getRow(4);
  SUMMARY.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.border = border;
    ws.getColumn(i + 1).width = i === 0 ? 16 : i === 1 ? 40 : 14;
    if (c.money) ws.getColumn(i + 1).numFmt = money;
  });
  header.height = 48;
  for (const r of report.agencies) ws.addRow(SUMMARY.map((c) => c.value(r))).eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  const total = ws.addRow(totalRow(report));
  total.font = { bold: true };
  total.eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  ws.addRow([]);
  const g = report.gatewayChecks;
  const notes: [string, string | number][] = [
    ['Giao dịch chuyển khoản chưa khớp (đang chờ rà soát)', `${report.unmatchedTransfers.count} giao dịch, ${report.unmatchedTransfers.amountVnd.toLocaleString('vi-VN')} đồng`],
    ['Số lần tra cứu cổng thanh toán (QueryDR) trong ngày', g.runs],
    ['Giao dịch đã tra cứu / đã ghi nhận thanh toán / đã đóng / chưa rõ', `${g.checked} / ${g.settled} / ${g.closed} / ${g.unknown}`],
    ['Đối soát cuối ngày với cổng thanh toán', g.dailySweepDone ? 'Đã chạy' : 'Chưa chạy'],
  ];
  for (const [k, v] of notes) {
    const row = ws.addRow([k, '', v]);
    ws.mergeCells(row.number, 1, row.number, 2);
    row.getCell(1).font = { bold: true };
  }

  const list = wb.addWorksheet('Giao dich', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = [
    { header: 'Mã thanh toán', key: 'reference', width: 22 },
    { header: 'Mã hồ sơ', key: 'dossierCode', width: 26 },
    { header: 'Người nộp', key: 'applicantName', width: 28 },
    { header: 'Thủ tục', key: 'procedureName', width: 40 },
    { header: 'Cơ quan', key: 'agencyCode', width: 16 },
    { header: 'Phương thức', key: 'method', width: 20 },
    { header: 'Trực tuyến', key: 'online', width: 10 },
    { header: 'Trạng thái', key: 'status', width: 16 },
    { header: 'Số tiền (đồng)', key: 'amount', width: 14, style: { numFmt: money } },
    { header: 'Đã hoàn (đồng)', key: 'refunded', width: 14, style: { numFmt: money } },
    { header: 'Tạo lúc', key: 'createdAt', width: 20 },
    { header: 'Thanh toán lúc', key: 'paidAt', width: 20 },
    { header: 'Xác nhận qua', key: 'via', width: 24 },
    { header: 'Mã giao dịch cổng / ngân hàng', key: 'txn', width: 22 },
    { header: 'Biên lai', key: 'receipt', width: 24 },
  ];
  list.getRow(1).font = { bold: true };
  for (const p of payments) {
    list.addRow({
      reference: p.reference, dossierCode: p.dossierCode ?? '', applicantName: p.applicantName, procedureName: p.procedureName, agencyCode: p.agencyCode,
      method: METHOD_VI[p.method] ?? p.method, online: p.paidOnline ? 'Có' : 'Không', status: STATUS_VI[p.status] ?? p.status,
      amount: vndOf(p.amountVnd), refunded: vndOf(p.refundedVnd), createdAt: localTime(p.createdAt), paidAt: localTime(p.paidAt),
      via: p.settledVia ? VIA_VI[p.settledVia] ?? p.settledVia : '', txn: p.gatewayTxnNo ?? '', receipt: p.receiptCode ?? '',
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
