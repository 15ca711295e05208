import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { PhotoType, TicketCategory, TicketStatus } from '@wushe/domain';
import { api, type Page } from '../../app/api';

export interface ProblemReport {
  id: string;
  category: TicketCategory;
  description: string;
  place: string;
  regionCode: string | null;
  latitude: number | null;
  longitude: number | null;
  unitId: string;
  unitName: string | null;
  reporterName: string | null;
  photo: { type: PhotoType; bytes: number } | null;
  ticket: { id: string; code: string; status: TicketStatus } | null;
  createdAt: string;
}

export const REPORT_PAGE_SIZE = 20;

/** The reports of the user's part of the network (`all`, staff) or their own (`mine`), newest first. */
export function useProblemReports(scope: 'mine' | 'all', f: { category?: string; q?: string } = {}, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['problem-reports', scope, f],
    queryFn: ({ pageParam, signal }) =>
      api<Page<ProblemReport>>(scope === 'mine' ? '/api/problem-reports/mine' : '/api/problem-reports', {
        query: { ...(scope === 'all' ? f : {}), limit: REPORT_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
    enabled,
  });
}

export interface NewReport {
  category: TicketCategory;
  description: string;
  place: string;
  regionCode?: string;
  photo?: File | null;
}

export function useReportProblem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: NewReport) => {
      const form = new FormData();
      form.append('category', r.category);
      form.append('description', r.description);
      form.append('place', r.place);
      if (r.regionCode) form.append('regionCode', r.regionCode);
      if (r.photo) form.append('file', r.photo, r.photo.name);
      return api<ProblemReport>('/api/problem-reports', { method: 'POST', body: form });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['problem-reports'] }),
  });
}

/** The photo's address (the browser sends the session cookie; every view is audited by the server). */
export const photoUrl = (id: string) => `/api/problem-reports/${id}/photo`;
