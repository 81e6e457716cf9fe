import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  DailyReconciliation, PaymentMethod, PaymentStatus, PendingRefundRequestList, ReconcileResult, Refund, RefundBody, ResolvedRefundRequest,
  ResolvedTransfer, ResolveRefundRequestBody, ResolveTransferBody, StaffPaymentList, StatementImportResult, TransferCandidateList,
  UnmatchedTransferList,
} from '@motcua/contracts';
import { API_BASE, api, upload, withQuery, type UploadProgress } from './client';

/** Every query of the staff payments page starts with this key: one invalidation refreshes them all. */
export const STAFF_PAYMENTS_KEY = ['staff-payments'] as const;

export type StaffPaymentFilters = {
  agencyId?: string;
  from?: string;
  to?: string;
  by: 'created' | 'paid';
  status?: PaymentStatus;
  method?: PaymentMethod;
  refundDue?: boolean;
  q?: string;
};

export const PAGE_SIZE = 20;

export function useStaffPayments(filters: StaffPaymentFilters, page: number) {
  return useQuery({
    queryKey: [...STAFF_PAYMENTS_KEY, 'list', filters, page],
    queryFn: () =>
      api.get<StaffPaymentList>(
        '/staff/payments',
        { ...filters, refundDue: filters.refundDue ? 'true' : undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        { cache: 'no-store' },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDailyReport(date: string, agencyId: string | undefined) {
  return useQuery({
    queryKey: [...STAFF_PAYMENTS_KEY, 'report', date, agencyId],
    queryFn: () => api.get<DailyReconciliation>('/staff/payments/report', { date, agencyId }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

/** Where the browser downloads the day's report (the session cookie goes with it). */
export function reportExportUrl(date: string, agencyId: string | undefined, format: 'xlsx' | 'csv'): string {
  return `${API_BASE}${withQuery('/staff/payments/report/export', { date, agencyId, format })}`;
}

export function reconcileNow(): Promise<ReconcileResult> {
  return api.post<ReconcileResult>('/staff/payments/reconcile');
}

export function useUnmatchedTransfers(agencyId: string | undefined, page: number) {
  return useQuery({
    queryKey: [...STAFF_PAYMENTS_KEY, 'unmatched', agencyId, page],
    queryFn: () =>
      api.get<UnmatchedTransferList>('/staff/bank-statements/unmatched', { agencyId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function useTransferCandidates(rowId: string | null, q: string) {
  return useQuery({
    queryKey: [...STAFF_PAYMENTS_KEY, 'candidates', rowId, q],
    queryFn: () =>
      api.get<TransferCandidateList>(`/staff/bank-statements/rows/${encodeURIComponent(rowId ?? '')}/candidates`, { q }, { cache: 'no-store' }),
    enabled: !!rowId,
    placeholderData: keepPreviousData,
  });
}

export function importStatement(file: File, agencyId: string | undefined, onProgress?: (p: UploadProgress) => void): Promise<StatementImportResult> {
  return upload<StatementImportResult>('POST', withQuery('/staff/bank-statements', { agencyId }), {}, file, onProgress);
}

export function resolveTransfer(rowId: string, body: ResolveTransferBody): Promise<ResolvedTransfer> {
  return api.post<ResolvedTransfer>(`/staff/bank-statements/rows/${encodeURIComponent(rowId)}/resolve`, body);
}

export function recordRefund(paymentId: string, body: RefundBody): Promise<Refund> {
  return api.post<Refund>(`/payments/${encodeURIComponent(paymentId)}/refunds`, body);
}

/** Refund requests VNPay has not answered, in the chosen agency (or all of the official's). */
export function usePendingRefundRequests(agencyId: string | undefined, page: number) {
  return useQuery({
    queryKey: [...STAFF_PAYMENTS_KEY, 'refund-requests', agencyId, page],
    queryFn: () =>
      api.get<PendingRefundRequestList>('/staff/payments/refund-requests', { agencyId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function resolveRefundRequest(paymentId: string, requestId: string, body: ResolveRefundRequestBody): Promise<ResolvedRefundRequest> {
  return api.post<ResolvedRefundRequest>(`/payments/${encodeURIComponent(paymentId)}/refund-requests/${encodeURIComponent(requestId)}/resolve`, body);
}
