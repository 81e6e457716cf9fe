import { useQuery } from '@tanstack/react-query';
import type { DossierPayments, VnpayReturnCheck } from '@motcua/contracts';
import { api } from './client';

export const dossierPaymentsKey = (id: string) => ['dossier', id, 'payments'] as const;

export function useDossierPayments(dossierId: string) {
  return useQuery({
    queryKey: dossierPaymentsKey(dossierId),
    queryFn: () => api.get<DossierPayments>(`/dossiers/${encodeURIComponent(dossierId)}/payments`, undefined, { cache: 'no-store' }),
  });
}

/** The VNPay return page: checks what the gateway put on the return URL (display only). */
export function useVnpayReturn(search: string) {
  return useQuery({
    queryKey: ['payments', 'vnpay-return', search],
    queryFn: () => api.get<VnpayReturnCheck>(`/payments/vnpay/return${search.startsWith('?') ? search : `?${search}`}`, undefined, { cache: 'no-store' }),
    enabled: search.length > 1,
    staleTime: Infinity,
    // The bank said yes but our record waits for the gateway's confirmation (IPN): ask again for a while.
    refetchInterval: (query) => {
      const d = query.state.data;
      return d && d.signatureValid && d.gatewayOutcome === 'success' && d.status === 'pending' && query.state.dataUpdateCount < 15 ? 2000 : false;
    },
  });
}

export function receiptUrl(paymentId: string): string {
  return `/api/v1/payments/${encodeURIComponent(paymentId)}/receipt`;
}
