import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import { useLiveEvents } from '../../app/events';
import type { Area, Hotline, Shift, ShiftStats, Ticket, TicketDetail } from './types';

export const TICKET_PAGE_SIZE = 20;

export interface TicketFilters {
  status?: string;
  open?: string;
  category?: string;
  urgency?: string;
  channel?: string;
  overdue?: string;
  escalated?: string;
  q?: string;
}

/** Tickets, newest first, keyset-paged. */
export function useTicketList(f: TicketFilters, limit = TICKET_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'list', f, limit],
    queryFn: ({ pageParam, signal }) => api<Page<Ticket>>('/api/tickets', { query: { ...f, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useTicket(id: string | undefined) {
  return useQuery({
    queryKey: ['tickets', 'detail', id],
    queryFn: ({ signal }) => api<TicketDetail>(`/api/tickets/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useHotlines(enabled = true) {
  return useQuery({
    queryKey: ['hotlines', 'list'],
    queryFn: ({ signal }) => api<Page<Hotline>>('/api/hotlines', { query: { limit: 200 }, signal }),
    enabled,
  });
}

export function useShifts(f: { from?: string; to?: string; hotlineId?: string }) {
  return useInfiniteQuery({
    queryKey: ['duty-shifts', 'list', f],
    queryFn: ({ pageParam, signal }) => api<Page<Shift>>('/api/duty-shifts', { query: { ...f, limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useShiftStats(f: { from: string; to: string; groupBy: 'day' | 'month' | 'unit' }) {
  return useQuery({
    queryKey: ['duty-shifts', 'stats', f],
    queryFn: ({ signal }) => api<ShiftStats>('/api/duty-shifts/stats', { query: f, signal }),
    placeholderData: (prev) => prev,
  });
}

/** Communities the tickets can be routed by (public reference data), by name. */
export function useAreas(q: string) {
  return useQuery({
    queryKey: ['ticket-areas', q],
    queryFn: ({ signal }) => api<{ items: Area[] }>('/api/public/ticket-areas', { query: { q }, signal, quiet401: true }),
    staleTime: 5 * 60_000,
  });
}

/** Open lists and tickets follow the changes of others live (ticket.created / ticket.updated, ids only). */
export function useLiveTickets() {
  const queryClient = useQueryClient();
  useLiveEvents(['ticket.created', 'ticket.updated'], () => void queryClient.invalidateQueries({ queryKey: ['tickets'] }));
}
