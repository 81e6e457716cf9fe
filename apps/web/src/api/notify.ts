import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  MessageDetail,
  MessageList,
  NotifyChannel,
  NotifyLocale,
  NotifyTemplate,
  NotifyTemplateList,
  SaveTemplateBody,
  TemplateHistory,
  TemplatePreview,
} from '@motcua/contracts';
import { ApiRequestError, api } from './client';
import { localise } from '../lib/server-errors';

/*
 * Notifications for staff: message templates (province administrators) and the message history
 * support staff answer "did I get the SMS?" with.
 */

export type TemplateKey = { event: string; channel: NotifyChannel; locale: NotifyLocale };

export const templatesKey = ['admin', 'notify', 'templates'] as const;
const historyKey = (k: TemplateKey) => [...templatesKey, 'history', k.event, k.channel, k.locale] as const;
const keyPath = (k: TemplateKey) =>
  `/admin/notify/templates/${encodeURIComponent(k.event)}/${encodeURIComponent(k.channel)}/${encodeURIComponent(k.locale)}`;

export function useTemplates() {
  return useQuery({
    queryKey: templatesKey,
    queryFn: () => api.get<NotifyTemplateList>('/admin/notify/templates', undefined, { cache: 'no-store' }),
  });
}

export function useTemplateHistory(k: TemplateKey) {
  return useQuery({
    queryKey: historyKey(k),
    queryFn: () => api.get<TemplateHistory>(`${keyPath(k)}/history`, undefined, { cache: 'no-store' }),
  });
}

/** The text as it will be sent, with sample dossier data; `text` null: the template in force. */
export function useTemplatePreview(k: TemplateKey, text: { subject?: string; body: string } | null) {
  return useQuery({
    queryKey: [...templatesKey, 'preview', k.event, k.channel, k.locale, text?.subject ?? null, text?.body ?? null],
    queryFn: () =>
      api.post<TemplatePreview>('/admin/notify/templates/preview', {
        event: k.event,
        channel: k.channel,
        locale: k.locale,
        ...(text ? { body: text.body, ...(k.channel !== 'sms' && text.subject !== undefined ? { subject: text.subject } : {}) } : {}),
      }),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

function useInvalidateTemplate(k: TemplateKey) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: templatesKey });
    void queryClient.invalidateQueries({ queryKey: historyKey(k) });
  };
}

export function useSaveTemplate(k: TemplateKey) {
  const invalidate = useInvalidateTemplate(k);
  return useMutation({
    mutationFn: (body: SaveTemplateBody) => api.put<{ version: number }>(keyPath(k), body),
    onSuccess: invalidate,
  });
}

export function useResetTemplate(k: TemplateKey) {
  const invalidate = useInvalidateTemplate(k);
  return useMutation({
    mutationFn: () => api.delete<{ version: number }>(keyPath(k)),
    onSuccess: invalidate,
  });
}

export const sameTemplate = (a: TemplateKey) => (b: NotifyTemplate) =>
  a.event === b.event && a.channel === b.channel && a.locale === b.locale;

// ---------------------------------------------------------------- message history (support staff)

export type MessageFilters = {
  code?: string;
  recipient?: string;
  status?: string;
  channel?: string;
  from?: string;
  to?: string;
};

export function useMessages(filters: MessageFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: ['staff', 'messages', filters, limit, offset],
    queryFn: () => api.get<MessageList>('/staff/messages', { ...filters, limit, offset }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function useMessage(id: string | null) {
  return useQuery({
    queryKey: ['staff', 'messages', 'detail', id],
    queryFn: () => api.get<MessageDetail>(`/staff/messages/${encodeURIComponent(id!)}`, undefined, { cache: 'no-store' }),
    enabled: !!id,
  });
}

/** The field messages of a refused request, in the interface language (for a summary beside the error). */
export function fieldMessages(error: unknown, lng: string): string[] {
  if (!(error instanceof ApiRequestError)) return [];
  return error.fields.map((f) => localise(f.message, lng));
}
