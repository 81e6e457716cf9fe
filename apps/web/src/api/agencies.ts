import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Agency, AgencyList } from '@motcua/contracts';
import { api } from './client';

export type AgencyQuery = {
  q?: string;
  level?: string;
  parentId?: string;
  includeDissolved?: boolean;
  limit: number;
  offset: number;
};

export function useAgencies(query: AgencyQuery, enabled = true) {
  return useQuery({
    queryKey: ['agencies', query],
    queryFn: () => api.get<AgencyList>('/agencies', query),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAgency(id: string | null | undefined) {
  return useQuery({
    queryKey: ['agency', id],
    queryFn: () => api.get<Agency>(`/agencies/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

/** The agency's name in the interface language (English name when there is one). */
export function agencyName(agency: Pick<Agency, 'name' | 'nameEn'>, lng: string): string {
  return lng === 'en' && agency.nameEn ? agency.nameEn : agency.name;
}
