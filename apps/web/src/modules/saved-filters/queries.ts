import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SavedFilterPage } from '@wushe/domain';
import { api } from '../../app/api';

export interface SavedFilter {
  id: string;
  page: SavedFilterPage;
  name: string;
  query: string;
  createdAt: string;
  updatedAt: string;
}

/** The query string as the server stores it: "?" and the paging cursor dropped, encoded the same way. */
export function canonicalQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  params.delete('cursor');
  // The same conditions in another order are the same filter (a search box may write q after the others).
  params.sort();
  return params.toString();
}

/** The signed-in user's saved filters of one list page. */
export function useSavedFilters(page: SavedFilterPage) {
  return useQuery({
    queryKey: ['saved-filters', page],
    queryFn: () => api<{ items: SavedFilter[] }>('/api/saved-filters', { query: { page } }),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

export function useSavedFilterMutations(page: SavedFilterPage) {
  const qc = useQueryClient();
  const invalidate = () => qc.invalidateQueries({ queryKey: ['saved-filters', page] });
  const create = useMutation({
    mutationFn: (body: { name: string; query: string }) =>
      api<SavedFilter>('/api/saved-filters', { method: 'POST', body: { page, ...body } }),
    onSuccess: invalidate,
  });
  const rename = useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) =>
      api<SavedFilter>(`/api/saved-filters/${id}`, { method: 'PATCH', body: { name } }),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<{ ok: true }>(`/api/saved-filters/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
  return { create, rename, remove };
}
