import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dashboard, DrillList, DrillMetric, QualityIndex, ReportBreakdown, ReportDimension, ReportSummary } from '@motcua/contracts';
import { api } from './client';

/** The province as a whole (the root agency of the demo catalogue). */
export const PROVINCE_CODE = '000.00.00.H56';

export type Period = { from: string; to: string };

export function useReportSummary(agency: string | undefined, p: Period) {
  return useQuery({
    queryKey: ['reports', 'summary', agency, p],
    queryFn: () => api.get<ReportSummary>('/reports/summary', { agency, ...p }),
    enabled: !!agency,
    placeholderData: keepPreviousData,
  });
}

export function useReportBreakdown(agency: string, p: Period, by: ReportDimension) {
  return useQuery({
    queryKey: ['reports', 'breakdown', agency, p, by],
    queryFn: () => api.get<ReportBreakdown>('/reports/breakdown', { agency, ...p, by }),
    placeholderData: keepPreviousData,
  });
}

export function useDashboard(agency: string | undefined, p: Period) {
  return useQuery({
    queryKey: ['reports', 'dashboard', agency, p],
    queryFn: () => api.get<Dashboard>('/reports/dashboard', { agency, ...p }),
    enabled: !!agency,
    placeholderData: keepPreviousData,
  });
}

export function useQualityIndex(agency: string | undefined, p: Period) {
  return useQuery({
    queryKey: ['reports', 'index', agency, p],
    queryFn: () => api.get<QualityIndex>('/reports/index', { agency, ...p }),
    enabled: !!agency,
    placeholderData: keepPreviousData,
  });
}

export function useDrill(agency: string | undefined, p: Period, metric: DrillMetric | null, page: number) {
  return useQuery({
    queryKey: ['reports', 'drill', agency, p, metric, page],
    queryFn: () => api.get<DrillList>('/reports/dossiers', { agency, ...p, metric: metric ?? undefined, limit: 20, offset: (page - 1) * 20 }),
    enabled: !!agency && !!metric,
    placeholderData: keepPreviousData,
  });
}

/** A fraction (0–1) as a percentage with one decimal, or a dash. */
export function percent(rate: number | null | undefined, lng = 'vi'): string {
  if (rate === null || rate === undefined) return '—';
  const s = (rate * 100).toFixed(1);
  return `${lng === 'en' ? s : s.replace('.', ',')}%`;
}

/** Whole numbers with the Vietnamese thousands separator. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
