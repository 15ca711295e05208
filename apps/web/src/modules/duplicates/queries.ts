import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';

export type DuplicateStatus = 'open' | 'merged' | 'dismissed';

/** One side of a pair, as the list shows it (ID number masked). */
export interface DuplicateCard {
  id: string;
  name: string;
  birthDate: string | null;
  idNumber: string | null;
  sex: string | null;
  address: string | null;
  unitName: string | null;
  status: string;
}

export interface DuplicatePair {
  id: string;
  reason: string;
  status: DuplicateStatus;
  a: DuplicateCard;
  b: DuplicateCard;
  keptId: string | null;
  mergedId: string | null;
  resolvedByName: string | null;
  resolvedAt: string | null;
  resolveReason: string | null;
  createdAt: string;
}

/** Pairs of one status, newest first, 20 at a time. */
export function useDuplicateList(status: DuplicateStatus) {
  return useInfiniteQuery({
    queryKey: ['duplicates', 'list', status],
    queryFn: ({ pageParam, signal }) =>
      api<Page<DuplicatePair>>('/api/client-duplicates', { query: { status, limit: 20, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

/** Merge, undo a merge, dismiss: each moves a pair between the tabs and changes the ledger. */
export function useDuplicateMutations() {
  const qc = useQueryClient();
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['duplicates'] });
    void qc.invalidateQueries({ queryKey: ['clients'] });
  };
  return {
    merge: useMutation({
      mutationFn: ({ id, keepId, reason }: { id: string; keepId: string; reason?: string | null }) =>
        api<DuplicatePair>(`/api/client-duplicates/${id}/merge`, { method: 'POST', body: { keepId, reason: reason || null } }),
      onSuccess: done,
    }),
    unmerge: useMutation({
      mutationFn: ({ id, reason }: { id: string; reason: string }) =>
        api<DuplicatePair>(`/api/client-duplicates/${id}/unmerge`, { method: 'POST', body: { reason } }),
      onSuccess: done,
    }),
    dismiss: useMutation({
      mutationFn: ({ id, reason }: { id: string; reason: string }) =>
        api<DuplicatePair>(`/api/client-duplicates/${id}/dismiss`, { method: 'POST', body: { reason } }),
      onSuccess: done,
    }),
  };
}
