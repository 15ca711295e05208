import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { CaseDetail, CaseSummary } from './types';

export const CASE_PAGE_SIZE = 20;

export interface CaseFilters {
  stage?: string;
  ownerId?: string;
  unitId?: string;
  clientId?: string;
  overdue?: 'true';
  open?: 'true' | 'false';
  sort?: 'updated' | 'due';
}

/** Cases of the user's scope, keyset-paged. */
export function useCaseList(f: CaseFilters, limit = CASE_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['cases', 'list', f, limit],
    queryFn: ({ pageParam, signal }) => api<Page<CaseSummary>>('/api/cases', { query: { ...f, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: ['cases', 'detail', id],
    queryFn: ({ signal }) => api<CaseDetail>(`/api/cases/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useOverdueSummary(groupBy: 'owner' | 'unit') {
  return useQuery({
    queryKey: ['cases', 'overdue-summary', groupBy],
    queryFn: ({ signal }) =>
      api<{ items: { id: string; name: string | null; open: number; overdue: number }[] }>('/api/cases/overdue-summary', {
        query: { groupBy },
        signal,
      }),
  });
}

/** A write on one case: the answer is the case as it now is; lists are refreshed. */
export function useCaseMutation(id: string, path: string, method: 'POST' | 'PATCH' = 'POST') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<CaseDetail>(`/api/cases/${id}${path}`, { method, body }),
    onSuccess: (k) => {
      if (k && 'allowedActions' in k) qc.setQueryData(['cases', 'detail', id], k);
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export function useCreateCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<CaseDetail>('/api/cases', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['cases'] }),
  });
}

/** Active users of the scope, for the transfer and service-worker pickers. */
export function useScopeUsers(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['users', 'pick'],
    queryFn: ({ signal }) =>
      api<Page<{ id: string; displayName: string; role: string; status: string }>>('/api/users', { query: { limit: 200 }, signal }),
    staleTime: 60_000,
  });
}
