import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DossierDetail, DossierList, StaffQueue } from '@motcua/contracts';
import { api } from './client';

export const STAFF_QUEUES = [
  'to_receive',
  'in_progress',
  'due_soon',
  'overdue',
  'waiting_supplement',
  'ready_to_return',
  'all',
] as const satisfies readonly StaffQueue[];

export const dossierKey = (id: string | undefined) => ['dossier', id] as const;
export const MY_DOSSIERS_KEY = ['me', 'dossiers'] as const;

export function useDossier(id: string | undefined) {
  return useQuery({
    queryKey: dossierKey(id),
    queryFn: () => api.get<DossierDetail>(`/dossiers/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });
}

export function useMyDossiers(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...MY_DOSSIERS_KEY, page, pageSize],
    queryFn: () => api.get<DossierList>('/me/dossiers', { limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
}

/** `mine`: only the dossiers I hold at their current step. */
export type QueueFilters = { agencyId?: string; procedureId?: string; dueBefore?: string; mine?: 'true' };

export function useQueue(queue: StaffQueue, filters: QueueFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['staff', 'queue', queue, filters, page, pageSize],
    queryFn: () => api.get<DossierList>(`/staff/queues/${queue}`, { ...filters, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
}

/** Only the size of a queue (for the counts on its tab). */
export function useQueueCount(queue: StaffQueue, filters: QueueFilters = {}) {
  return useQuery({
    queryKey: ['staff', 'queue-count', queue, filters],
    queryFn: async () => (await api.get<DossierList>(`/staff/queues/${queue}`, { ...filters, limit: 1, offset: 0 })).total,
    staleTime: 15_000,
  });
}

/** Papers the applicant handed in (component papers and supplements), the result, working papers. */
export function filesOfKind(d: DossierDetail, ...kinds: DossierDetail['files'][number]['kind'][]) {
  return d.files.filter((f) => kinds.includes(f.kind));
}

export function fileUrl(dossierId: string, fileId: string): string {
  return `/api/v1/dossiers/${encodeURIComponent(dossierId)}/files/${encodeURIComponent(fileId)}`;
}

/** The latest request for papers (before reception, or during processing): its reasons and comment. */
export function latestSupplementRequest(d: DossierDetail) {
  for (let i = d.timeline.length - 1; i >= 0; i--) {
    const e = d.timeline[i]!;
    if (e.type === 'request_supplement' || e.type === 'request_supplement_before_reception') {
      const reasons = Array.isArray(e.payload.reasons) ? (e.payload.reasons as unknown[]).filter((r): r is string => typeof r === 'string') : [];
      return { ...e, reasons };
    }
  }
  return null;
}

const did = (d: DossierDetail, type: DossierDetail['timeline'][number]['type']) => d.timeline.some((e) => e.type === type);

/**
 * Printable one-stop forms of a dossier (Circular 01/2018/TT-VPCP, forms 01–06), as the server
 * renders them: `GET /api/v1/dossiers/{id}/documents/{form}.pdf`. `staffOnly`: the
 * process-control slip is for officials.
 */
export const DOSSIER_DOCUMENTS: { key: string; staffOnly?: boolean; when: (d: DossierDetail) => boolean }[] = [
  { key: 'receipt', when: (d) => !!d.code && !!d.receivedAt },
  { key: 'supplement-request', when: (d) => did(d, 'request_supplement') || did(d, 'request_supplement_before_reception') },
  { key: 'refusal', when: (d) => did(d, 'refuse') },
  { key: 'apology', when: (d) => !!d.code && did(d, 'extend') },
  { key: 'stop-notice', when: (d) => !!d.code && did(d, 'stop') },
  { key: 'process-control', staffOnly: true, when: (d) => !!d.code && !!d.receivedAt },
];

export function documentUrl(dossierId: string, form: string): string {
  return `/api/v1/dossiers/${encodeURIComponent(dossierId)}/documents/${form}.pdf`;
}

/** The dossier register (form 07) of an agency for a period (dates as YYYY-MM-DD). */
export function registerUrl(agencyId: string, from: string, to: string): string {
  return `/api/v1/staff/register.pdf?${new URLSearchParams({ agencyId, from, to }).toString()}`;
}
