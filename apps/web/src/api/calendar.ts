import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type Bilingual = { vi: string; en: string };

export type YearDays = {
  year: number;
  daysOff: { date: string; name: Bilingual; kind: 'holiday' | 'compensatory' | 'day_off' }[];
  workingDays: { date: string; name: Bilingual }[];
};

export type CalendarOverride = {
  id: string;
  date: string;
  kind: 'day_off' | 'working_day' | 'remove';
  name?: Bilingual;
  note: string | null;
};

export const holidaysKey = (year: number) => ['calendar', 'holidays', year] as const;
export const overridesKey = (year: number) => ['admin', 'calendar', 'overrides', year] as const;

/** `fresh`: skip the browser cache (the public answer may be cached for minutes; admins edit it). */
export function useHolidays(year: number, fresh = false) {
  return useQuery({
    queryKey: holidaysKey(year),
    queryFn: () => api.get<YearDays>('/calendar/holidays', { year }, fresh ? { cache: 'no-store' } : undefined),
  });
}

export function useOverrides(year: number) {
  return useQuery({
    queryKey: overridesKey(year),
    queryFn: () => api.get<{ items: CalendarOverride[] }>('/admin/calendar/overrides', { year }),
  });
}
