import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateFeedbackBody,
  FeedbackActionBody,
  FeedbackDetail,
  FeedbackList,
  FeedbackQueueStatus,
  PublishedFeedbackList,
  StaffCreateFeedbackBody,
} from '@motcua/contracts';
import { api } from './client';

/*
 * Feedback and complaints (phản ánh, kiến nghị): citizens file them and follow their answer,
 * officials handle them within the deadlines, anyone reads the published answers.
 */

export const feedbackKey = (id: string | undefined) => ['feedback', id] as const;
const MY_FEEDBACK_KEY = ['me', 'feedback'] as const;
const STAFF_FEEDBACK_KEY = ['staff', 'feedback'] as const;

export function useFeedback(id: string | null | undefined) {
  return useQuery({
    queryKey: feedbackKey(id ?? undefined),
    queryFn: () => api.get<FeedbackDetail>(`/feedback/${encodeURIComponent(id ?? '')}`, undefined, { cache: 'no-store' }),
    enabled: !!id,
  });
}

export function useMyFeedback(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...MY_FEEDBACK_KEY, page, pageSize],
    queryFn: () => api.get<FeedbackList>('/me/feedback', { limit: pageSize, offset: (page - 1) * pageSize }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function useFileFeedback(idempotencyKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateFeedbackBody) => api.post<FeedbackDetail>('/feedback', body, { headers: { 'idempotency-key': idempotencyKey } }),
    onSuccess: (d) => {
      queryClient.setQueryData(feedbackKey(d.id), d);
      void queryClient.invalidateQueries({ queryKey: MY_FEEDBACK_KEY });
    },
  });
}

export function useSupplyInfo(d: FeedbackDetail) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.post<FeedbackDetail>(`/feedback/${d.id}/info`, { text, expectedSeq: d.lastSeq }),
    onSuccess: (updated) => {
      queryClient.setQueryData(feedbackKey(d.id), updated);
      void queryClient.invalidateQueries({ queryKey: MY_FEEDBACK_KEY });
    },
  });
}

export type StaffFeedbackFilters = { status: FeedbackQueueStatus; q?: string; kind?: string; agencyId?: string };

export function useStaffFeedback(filters: StaffFeedbackFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...STAFF_FEEDBACK_KEY, filters, page, pageSize],
    queryFn: () => api.get<FeedbackList>('/staff/feedback', { ...filters, limit: pageSize, offset: (page - 1) * pageSize }, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function useFeedbackAction(d: FeedbackDetail) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<FeedbackActionBody, 'expectedSeq'>) =>
      api.post<FeedbackDetail>(`/staff/feedback/${d.id}/actions`, { ...body, expectedSeq: d.lastSeq }),
    onSuccess: (updated) => {
      queryClient.setQueryData(feedbackKey(d.id), updated);
      void queryClient.invalidateQueries({ queryKey: STAFF_FEEDBACK_KEY });
    },
    // A stale page (someone else acted first) shows the item as it is now.
    onError: () => void queryClient.invalidateQueries({ queryKey: feedbackKey(d.id) }),
  });
}

export function useRecordFeedback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StaffCreateFeedbackBody) => api.post<FeedbackDetail>('/staff/feedback', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: STAFF_FEEDBACK_KEY }),
  });
}

export function usePublishedFeedback(query: { q?: string; agencyId?: string }, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['feedback', 'published', query, page, pageSize],
    queryFn: () => api.get<PublishedFeedbackList>('/feedback/published', { ...query, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
}
