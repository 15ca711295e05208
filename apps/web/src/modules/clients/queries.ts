import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { Unit } from '../../app/types';
import type { Visit } from '../visits/types';
import type { Client, ClientDetail, ClientSort } from './types';

export const CLIENT_PAGE_SIZE = 20;

export interface ClientFilters {
  q?: string;
  category?: string;
  riskLevel?: string;
  status?: string;
  unitId?: string;
  overdue?: boolean;
  sort: ClientSort;
}

/** The ledger, keyset-paged: each "load more" asks for the next 20 after the last cursor. */
/** The filters as the query string of GET /api/clients (and of its xlsx export). */
export function clientListQuery(f: ClientFilters) {
  return {
    q: f.q || undefined,
    category: f.category,
    riskLevel: f.riskLevel,
    status: f.status,
    unitId: f.unitId,
    overdue: f.overdue ? 'true' : undefined,
    sort: f.sort,
  };
}

export function useClientList(f: ClientFilters, limit = CLIENT_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['clients', 'list', f, limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Client>>('/api/clients', {
        query: { ...clientListQuery(f), limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useClient(id: string | null | undefined) {
  return useQuery({
    queryKey: ['clients', 'detail', id],
    queryFn: () => api<ClientDetail>(`/api/clients/${id}`),
    enabled: !!id,
  });
}

/** Visits of one client, newest first, 20 at a time. */
export function useClientVisits(clientId: string | null | undefined) {
  return useInfiniteQuery({
    queryKey: ['visits', 'client', clientId],
    queryFn: ({ pageParam }) =>
      api<Page<Visit>>('/api/visits', { query: { clientId: clientId ?? undefined, limit: 20, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!clientId,
  });
}

export interface TimelineEvent {
  at: string;
  kind: 'visit' | 'need' | 'category_started' | 'category_ended' | 'flag_set' | 'flag_cleared' | 'change';
  ref: string;
  title: string;
  detail: string | null;
}

/** The client's whole history newest first (visits, needs, categories, flags, changes), 20 at a time. */
export function useClientTimeline(clientId: string | null | undefined) {
  return useInfiniteQuery({
    queryKey: ['clients', 'timeline', clientId],
    queryFn: ({ pageParam }) =>
      api<{ items: TimelineEvent[]; nextCursor: string | null }>(`/api/clients/${clientId}/timeline`, {
        query: { limit: 20, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!clientId,
  });
}

/** Units a client can belong to (stations, offices, points) in the user's scope, by remote search. */
export function useClientUnits(q: string) {
  return useQuery({
    queryKey: ['units', 'client-units', q],
    queryFn: async () => {
      const page = await api<Page<Unit>>('/api/units', { query: { q: q || undefined, limit: 100, sort: 'name' } });
      return page.items.filter((u) => u.kind === 'station' || u.kind === 'office' || u.kind === 'point');
    },
    staleTime: 60_000,
  });
}

/** Villages / communities of a station (level-5 regions under its street). */
export function useCommunities(stationRegionCode: string | null | undefined) {
  return useQuery({
    queryKey: ['regions', stationRegionCode, 5, ''],
    queryFn: () =>
      api<{ items: { code: string; name: string; level: number; parentCode: string | null }[] }>('/api/regions', {
        query: { parentCode: stationRegionCode ?? undefined, level: 5, limit: 100 },
      }),
    enabled: !!stationRegionCode,
    staleTime: 10 * 60_000,
  });
}

/** Workers who can answer for a client; only users with users.read may list them. */
export function useWorkers(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'workers', q],
    queryFn: () =>
      api<Page<{ id: string; displayName: string; username: string; unitName: string | null; status: string }>>('/api/users', {
        query: { q: q || undefined, limit: 50, sort: 'username' },
      }),
    enabled,
    staleTime: 60_000,
  });
}
