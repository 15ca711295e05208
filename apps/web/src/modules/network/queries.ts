import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { AuditEntry, Operator, Region, Unit, UnitDetail, Zone } from '../../app/types';

export const ROOT = '__root';

/** Every page of a unit list (children of one unit are a handful to a few hundred). */
async function allPages(query: Record<string, string | number | boolean | undefined>): Promise<Unit[]> {
  const out: Unit[] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api<Page<Unit>>('/api/units', { query: { ...query, limit: 200, cursor: cursor ?? undefined } });
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

/** Children of a unit, or the top units the user can see (parentId = ROOT). */
export async function fetchChildren(parentId: string): Promise<Unit[]> {
  if (parentId !== ROOT) return allPages({ parentId, sort: 'name' });
  const all = await allPages({ roots: true });
  // keep only the tops of what came back, whether the server sent just the roots or more
  const ids = new Set(all.map((u) => u.id));
  return all.filter((u) => !u.parentId || !ids.has(u.parentId));
}

export const childrenKey = (parentId: string) => ['units', 'children', parentId] as const;

export function loadChildren(qc: QueryClient, parentId: string, fresh = false): Promise<Unit[]> {
  if (fresh) void qc.invalidateQueries({ queryKey: childrenKey(parentId), refetchType: 'none' });
  return qc.fetchQuery({ queryKey: childrenKey(parentId), queryFn: () => fetchChildren(parentId), staleTime: fresh ? 0 : 30_000 });
}

export function useChildren(parentId: string | null | undefined) {
  return useQuery({
    queryKey: childrenKey(parentId ?? ROOT),
    queryFn: () => fetchChildren(parentId ?? ROOT),
    enabled: !!parentId,
  });
}

export function useUnit(id: string | null | undefined) {
  return useQuery({
    queryKey: ['units', 'detail', id],
    queryFn: () => api<UnitDetail>(`/api/units/${id}`),
    enabled: !!id,
  });
}

/** Search units in the user's scope; with `listWhenEmpty` an empty query lists the first ones. */
export function useUnitSearch(q: string, listWhenEmpty = false) {
  const query = q.trim();
  return useQuery({
    queryKey: ['units', 'search', query],
    queryFn: () => api<Page<Unit>>('/api/units', { query: { q: query || undefined, limit: 20 } }),
    enabled: listWhenEmpty || query.length > 0,
  });
}

export function useUnitHistory(id: string | null | undefined) {
  return useInfiniteQuery({
    queryKey: ['units', 'history', id],
    queryFn: ({ pageParam }) => api<Page<AuditEntry>>(`/api/units/${id}/history`, { query: { limit: 20, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!id,
  });
}

export function useZones(stationId: string | null | undefined) {
  return useQuery({
    queryKey: ['zones', stationId],
    queryFn: () => api<{ items: Zone[] }>('/api/zones', { query: { stationId: stationId ?? undefined } }),
    enabled: !!stationId,
  });
}

export function useOperators(q: string) {
  return useQuery({
    queryKey: ['operators', q],
    queryFn: () => api<Page<Operator>>('/api/operators', { query: { q, limit: 50 } }),
  });
}

export function useRegions(opts: { q?: string; parentCode?: string | null; level?: number; enabled?: boolean }) {
  return useQuery({
    queryKey: ['regions', opts.parentCode ?? null, opts.level ?? null, opts.q ?? ''],
    queryFn: () =>
      api<{ items: Region[] }>('/api/regions', {
        query: { q: opts.q, parentCode: opts.parentCode ?? undefined, level: opts.level, limit: 100 },
      }),
    enabled: opts.enabled ?? true,
    staleTime: 10 * 60_000,
  });
}

export function useRegion(code: string | null | undefined) {
  return useQuery({
    queryKey: ['region', code],
    queryFn: () => api<Region & { ancestors: Region[] }>(`/api/regions/${code}`),
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}
