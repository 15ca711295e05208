import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';
import type { Activity, Certificate, Entry, MyActivity, Signup, Team, TeamMember, Volunteer } from './types';

const V = ['volunteers'] as const;
const A = ['activities'] as const;

export function useVolunteers(query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: [...V, 'list', query],
    queryFn: ({ signal }) => api<Page<Volunteer>>('/api/volunteers', { query, signal }),
    placeholderData: (prev) => prev,
  });
}

export function useVolunteer(id: string | undefined) {
  return useQuery({ queryKey: [...V, 'one', id], queryFn: () => api<Volunteer>(`/api/volunteers/${id}`), enabled: !!id });
}

export function useEntries(accountId: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['timebank', 'entries', accountId],
    queryFn: () => api<Page<Entry>>(`/api/timebank/accounts/${accountId}/entries`, { query: { limit: 200 } }),
    enabled: !!accountId && enabled,
  });
}

export function useCertificate(path: string, range: { from?: string; to?: string }) {
  return useQuery({ queryKey: [...V, 'certificate', path, range], queryFn: () => api<Certificate>(path, { query: range }) });
}

/** Any write of this module: runs `fn`, then refreshes everything volunteers and activities show. */
export function useAction<T>(fn: (arg: T) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: V }),
        qc.invalidateQueries({ queryKey: A }),
        qc.invalidateQueries({ queryKey: ['my'] }),
        qc.invalidateQueries({ queryKey: ['timebank'] }),
      ]);
    },
  });
}

export function useTeams(q?: string) {
  return useQuery({
    queryKey: [...V, 'teams', q],
    queryFn: () => api<Page<Team>>('/api/volunteer-teams', { query: { q, limit: 200 } }),
  });
}

export function useTeam(id: string | null) {
  return useQuery({
    queryKey: [...V, 'team', id],
    queryFn: () => api<Team & { members: TeamMember[] }>(`/api/volunteer-teams/${id}`),
    enabled: !!id,
  });
}

export function useActivities(query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: [...A, 'list', query],
    queryFn: ({ signal }) => api<Page<Activity>>('/api/activities', { query, signal }),
    placeholderData: (prev) => prev,
  });
}

/** One activity: staff read it from the register, a volunteer (its leader) through their own route. */
export function useActivity(id: string | undefined, asVolunteer: boolean) {
  return useQuery({
    queryKey: [...A, 'one', id, asVolunteer],
    queryFn: () => api<Activity | MyActivity>(asVolunteer ? `/api/my/activities/${id}` : `/api/activities/${id}`),
    enabled: !!id,
  });
}

export function useSignups(id: string | undefined, poll: number | false = false) {
  return useQuery({
    queryKey: [...A, 'signups', id],
    queryFn: async () => (await api<{ items: Signup[] }>(`/api/activities/${id}/signups`)).items,
    enabled: !!id,
    refetchInterval: poll,
  });
}

export function useQr(id: string | undefined) {
  return useQuery({
    queryKey: [...A, 'qr', id],
    queryFn: () => api<{ token: string; path: string }>(`/api/activities/${id}/qr`),
    enabled: !!id,
  });
}

export function useMyVolunteer() {
  return useQuery({ queryKey: ['my', 'volunteer'], queryFn: () => api<Volunteer>('/api/my/volunteer'), retry: false });
}

export function useMyActivities(view: 'open' | 'mine') {
  return useQuery({
    queryKey: ['my', 'activities', view],
    queryFn: () => api<Page<MyActivity>>('/api/my/activities', { query: { view, limit: 50 } }),
  });
}

export function useMyActivity(id: string | undefined) {
  return useQuery({
    queryKey: ['my', 'activity', id],
    queryFn: () => api<MyActivity>(`/api/my/activities/${id}`),
    enabled: !!id,
    retry: false,
  });
}

export function useVolunteerSettings(enabled: boolean) {
  return useQuery({
    queryKey: [...V, 'settings'],
    queryFn: () => api<{ starHours: number[]; version: number }>('/api/volunteer-settings'),
    enabled,
  });
}
