import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  ImportJobList, OnlineLevel, ProcedureDetail, ProcedureField, ProcedureFieldList, ProcedureHistory, ProcedureList,
} from '@motcua/contracts';
import { api } from './client';

export type ProcedureQuery = {
  q?: string;
  agencyId?: string;
  fieldId?: string;
  onlineLevel?: OnlineLevel;
  hasFee?: boolean;
  limit: number;
  offset: number;
};

export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const satisfies readonly OnlineLevel[];

export function useProcedureFields() {
  return useQuery({
    queryKey: ['procedure-fields'],
    queryFn: () => api.get<ProcedureFieldList>('/procedure-fields'),
    staleTime: 10 * 60_000,
  });
}

/** Field name in the interface language. */
export function fieldName(field: Pick<ProcedureField, 'name' | 'nameEn'> | { name: string; nameEn?: string | null }, lng: string): string {
  return lng === 'en' && field.nameEn ? field.nameEn : field.name;
}

export function useProcedures(query: ProcedureQuery, enabled = true) {
  return useQuery({
    queryKey: ['procedures', query],
    queryFn: () => api.get<ProcedureList>('/procedures', query),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export const procedureKey = (id: string | undefined) => ['procedure', id] as const;

export function useProcedure(id: string | undefined) {
  return useQuery({
    queryKey: procedureKey(id),
    queryFn: () => api.get<ProcedureDetail>(`/procedures/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export type AdminProcedureQuery = ProcedureQuery & { published?: boolean };

export const ADMIN_PROCEDURES_KEY = ['admin', 'procedures'] as const;

export function useAdminProcedures(query: AdminProcedureQuery) {
  return useQuery({
    queryKey: [...ADMIN_PROCEDURES_KEY, query],
    queryFn: () => api.get<ProcedureList>('/admin/procedures', query),
    placeholderData: keepPreviousData,
  });
}

export function useProcedureHistory(id: string | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['admin', 'procedure-history', id, page],
    queryFn: () =>
      api.get<ProcedureHistory>(`/admin/procedures/${encodeURIComponent(id ?? '')}/history`, {
        limit: pageSize,
        offset: (page - 1) * pageSize,
      }),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });
}

export function useImportJobs(enabled: boolean, poll: boolean) {
  return useQuery({
    queryKey: ['admin', 'import-jobs'],
    queryFn: () => api.get<ImportJobList>('/admin/procedures/import'),
    enabled,
    refetchInterval: poll ? 800 : false,
  });
}

/** One step of a procedure's internal process (apps/server/src/modules/dossier/process.ts). */
export type ProcessStep = {
  key: string;
  name: { vi: string; en: string };
  agencyId: string | null;
  role: 'reception_officer' | 'specialist' | 'division_head' | 'agency_leader';
  sharePercent: number;
  returnTo?: string[];
};

export type Process = { id: string; version: number; steps: ProcessStep[] };

export const PROCESS_ROLES = ['reception_officer', 'specialist', 'division_head', 'agency_leader'] as const;

export const processKey = (id: string | undefined) => ['admin', 'process', id] as const;

export function useProcess(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: processKey(id),
    queryFn: () => api.get<Process>(`/admin/procedures/${encodeURIComponent(id ?? '')}/process`),
    enabled: !!id && enabled,
    retry: false,
  });
}
