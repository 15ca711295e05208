import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { Courier, Errand, ErrandInput, ErrandView, MySummary } from './types';

export const ERRAND_PAGE_SIZE = 30;
const KEY = ['errands'] as const;

/** Errands of a view (board: open ones of my area; mine; all), newest first. `poll`: ms when the live stream is down. */
export function useErrandList(view: ErrandView, poll: number | false) {
  return useInfiniteQuery({
    queryKey: [...KEY, 'list', view],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Errand>>('/api/errands', { query: { view, limit: ERRAND_PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: poll,
  });
}

export function useMySummary(enabled: boolean, poll: number | false) {
  return useQuery({
    queryKey: [...KEY, 'me'],
    queryFn: () => api<MySummary>('/api/errands/me'),
    enabled,
    refetchInterval: poll,
  });
}

export function useCouriers(enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'couriers'],
    queryFn: async () => (await api<{ items: Courier[] }>('/api/errands/couriers')).items,
    enabled,
    staleTime: 60_000,
  });
}

export function usePostErrand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ErrandInput) => api<Errand>('/api/errands', { method: 'POST', body }),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export type TransitionInput = { errand: Errand; action: 'grab' | 'release' | 'complete' | 'confirm' | 'cancel'; assigneeUserId?: string };

export function useErrandTransition() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ errand, action, assigneeUserId }: TransitionInput) =>
      api<Errand>(`/api/errands/${errand.id}/${action}`, {
        method: 'POST',
        body: { version: errand.version, ...(assigneeUserId ? { assigneeUserId } : {}) },
      }),
    // Success or a refusal (taken, stale): the board is refetched either way.
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

/** Invalidate every errand query (a live event or a resync). */
export function useRefreshErrands() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: KEY });
}
