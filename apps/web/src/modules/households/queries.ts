import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { Household, HouseholdListItem } from './types';

export const HOUSEHOLD_PAGE_SIZE = 20;

/** Households in scope, newest first, keyset-paged 20 at a time; `q` matches the address or a member name. */
export function useHouseholdList(q: string) {
  return useInfiniteQuery({
    queryKey: ['households', 'list', q],
    queryFn: ({ pageParam, signal }) =>
      api<Page<HouseholdListItem>>('/api/households', {
        query: { q: q || undefined, limit: HOUSEHOLD_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useHousehold(id: string | undefined) {
  return useQuery({ queryKey: ['households', 'detail', id], queryFn: () => api<Household>(`/api/households/${id}`), enabled: !!id });
}

/** Changes to households; each refreshes the lists and the client pages (they show the household too). */
export function useHouseholdMutations() {
  const qc = useQueryClient();
  const done = (h: Household) => {
    qc.setQueryData(['households', 'detail', h.id], h);
    void qc.invalidateQueries({ queryKey: ['households', 'list'] });
    void qc.invalidateQueries({ queryKey: ['clients'] });
  };
  return {
    create: useMutation({
      mutationFn: (body: { address?: string | null; members: { clientId: string; relation: string }[]; move?: boolean }) =>
        api<Household>('/api/households', { method: 'POST', body }),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: { id: string; version: number; address: string | null }) =>
        api<Household>(`/api/households/${id}`, { method: 'PATCH', body }),
      onSuccess: done,
    }),
    addMember: useMutation({
      mutationFn: ({ id, ...body }: { id: string; clientId: string; relation: string; move?: boolean }) =>
        api<Household>(`/api/households/${id}/members`, { method: 'POST', body }),
      onSuccess: done,
    }),
    removeMember: useMutation({
      mutationFn: ({ id, clientId }: { id: string; clientId: string }) =>
        api<Household>(`/api/households/${id}/members/${clientId}`, { method: 'DELETE' }),
      onSuccess: done,
    }),
    changeHead: useMutation({
      mutationFn: ({ id, ...body }: { id: string; clientId: string; formerHeadRelation: string }) =>
        api<Household>(`/api/households/${id}/head`, { method: 'POST', body }),
      onSuccess: done,
    }),
  };
}
