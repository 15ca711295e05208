import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { Need, NeedStatusFilter, Nomination, NominationStatus } from './types';

export const NEED_PAGE_SIZE = 20;

export interface NeedFilters {
  clientId?: string;
  unitId?: string;
  status?: NeedStatusFilter;
  needType?: string;
}

/** Needs, newest first, keyset-paged 20 at a time. */
export function useNeedList(f: NeedFilters, limit = NEED_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['needs', 'list', f, limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Need>>('/api/needs', {
        query: { clientId: f.clientId, unitId: f.unitId, status: f.status, needType: f.needType, limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

/** Nominations (发现报告), newest first. */
export function useNominationList(status: NominationStatus | undefined, limit = NEED_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['nominations', 'list', status ?? null, limit],
    queryFn: ({ pageParam, signal }) => api<Page<Nomination>>('/api/nominations', { query: { status, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

interface RegionWithAncestors {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

/** One region (public reference data), e.g. to find the street a community belongs to. */
export function useRegion(code: string | null | undefined) {
  return useQuery({
    queryKey: ['regions', 'detail', code],
    queryFn: () => api<RegionWithAncestors>(`/api/regions/${code}`),
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}
