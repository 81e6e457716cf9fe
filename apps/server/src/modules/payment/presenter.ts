import type { DossierPayments, Payment } from '@motcua/contracts';
import type { DbOrTx } from '../../db/database.ts';
import type { RedirectGateway } from '../../adapters/payment/index.ts';
import { feeStatus, isDue, vndOf, type FeeRow, type FeeStage } from './fees.ts';
import { PAYABLE_STATES, requestParams, type PaymentRow } from './payment.service.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Payments as the API shows them, with their fee items, receipt and dossier code. */
export async function presentPayments(db: DbOrTx, rows: PaymentRow[]): Promise<Payment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, receipts, dossiers] = await Promise.all([
    db.selectFrom('paymentItems').select(['paymentId', 'dossierFeeId']).where('paymentId', 'in', ids).execute(),
    db.selectFrom('receipts').select(['id', 'paymentId', 'code', 'issuedAt']).where('paymentId', 'in', ids).execute(),
    db.selectFrom('dossiers').select(['id', 'code']).where('id', 'in', [...new Set(rows.map((r) => r.dossierId))]).execute(),
  ]);
  return rows.map((r) => {
    const receipt = receipts.find((x) => x.paymentId === r.id);
    return {
      id: r.id,
      dossierId: r.dossierId,
      dossierCode: dossiers.find((d) => d.id === r.dossierId)?.code ?? null,
      agencyId: r.agencyId,
      method: r.method,
      status: r.status,
      amountVnd: vndOf(r.amountVnd),
      paidOnline: r.paidOnline,
      reference: r.reference,
      gateway: r.gateway,
      createdAt: r.createdAt.toISOString(),
      expiresAt: iso(r.expiresAt),
      paidAt: iso(r.paidAt),
      settledVia: r.settledVia,
      feeIds: items.filter((i) => i.paymentId === r.id).map((i) => i.dossierFeeId),
      overpaidVnd: vndOf(r.overpaidVnd),
      refundedVnd: vndOf(r.refundedVnd),
      receipt: receipt ? { id: receipt.id, code: receipt.code, issuedAt: receipt.issuedAt.toISOString(), url: `/api/v1/payments/${r.id}/receipt` } : null,
    };
  });
}

/** The next gate a dossier in `status` (at `stepIndex`) meets, and which stages it requires. */
function nextGate(status: string, stepIndex: number | null): { action: 'receive' | 'forward' | 'return_result'; stages: FeeStage[] } | null {
  if (status === 'submitted' || status === 'awaiting_supplement_before_reception') return { action: 'receive', stages: ['before_reception'] };
  if ((status === 'processing' || status === 'waiting_supplement') && stepIndex === 0) return { action: 'forward', stages: ['before_reception', 'before_processing'] };
  if (['processing', 'waiting_supplement', 'approved', 'result_ready'].includes(status)) return { action: 'return_result', stages: ['before_reception', 'before_processing', 'before_result'] };
  return null;
}

export async function presentDossierPayments(db: DbOrTx, args: {
  dossier: { id: string; code: string | null; status: string; stepIndex: number | null };
  fees: FeeRow[];
  gateway: RedirectGateway | null;
  vietqr: boolean;
  owner: boolean;
}): Promise<DossierPayments> {
  const { dossier, fees } = args;
  const rows = await db.selectFrom('payments').selectAll().where('dossierId', '=', dossier.id).orderBy('createdAt', 'desc').execute();
  const payments = await presentPayments(db, rows);
  const sum = (xs: FeeRow[]) => xs.reduce((s, f) => s + vndOf(f.amountVnd), 0);
  const due = fees.filter(isDue);
  const gate = nextGate(dossier.status, dossier.stepIndex);
  const blockingFees = gate ? due.filter((f) => gate.stages.includes(f.payableWhen)) : [];
  const now = new Date();
  const open = rows.find((r) => r.method === 'vnpay' && r.status === 'pending' && r.expiresAt && r.expiresAt > now);
  const accepts = PAYABLE_STATES.includes(dossier.status);
  return {
    dossierId: dossier.id,
    dossierCode: dossier.code,
    fees: fees.map((f) => ({
      id: f.id, name: f.name, amountVnd: vndOf(f.amountVnd), payableOnline: f.payableOnline, when: f.payableWhen, status: feeStatus(f),
      paymentId: f.paymentId, settledAt: iso(f.settledAt), exemption: f.exemptedAt ? { reason: f.exemptionReason ?? '', at: f.exemptedAt.toISOString() } : null,
    })),
    totals: {
      totalVnd: sum(fees),
      dueVnd: sum(due),
      dueOnlineVnd: sum(due.filter((f) => f.payableOnline)),
      paidVnd: sum(fees.filter((f) => f.paymentId)),
      exemptedVnd: sum(fees.filter((f) => f.exemptedAt)),
    },
    blocking: gate && blockingFees.length > 0 ? { stage: blockingFees[0]!.payableWhen, action: gate.action, dueVnd: sum(blockingFees), feeIds: blockingFees.map((f) => f.id) } : null,
    methods: { vnpay: !!args.gateway && due.some((f) => f.payableOnline), vietqr: args.vietqr && due.length > 0, acceptsPayments: accepts },
    pending: open ? {
      payment: payments.find((p) => p.id === open.id)!,
      redirectUrl: args.owner && args.gateway && open.request ? args.gateway.urlFor(requestParams(open)) : null,
    } : null,
    payments,
  };
}
