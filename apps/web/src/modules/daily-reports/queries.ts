import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { DailyReportForm, DailyReportSettings, Rollup } from './types';

/** Today in Asia/Shanghai (the day reports are filed for), whatever the browser's zone. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function useDailyReportSettings(enabled = true) {
  return useQuery({
    queryKey: ['daily-reports', 'settings'],
    queryFn: () => api<DailyReportSettings>('/api/daily-reports/settings'),
    enabled,
    staleTime: 60_000,
  });
}

export function useReportForm(unitId: string | undefined, day: string) {
  return useQuery({
    queryKey: ['daily-reports', 'form', unitId, day],
    queryFn: () => api<DailyReportForm>('/api/daily-reports/form', { query: { unitId, day } }),
    enabled: !!unitId,
  });
}

export function useRollup(q: { unitId?: string; day?: string; month?: string }) {
  return useQuery({
    queryKey: ['daily-reports', 'rollup', q.unitId ?? null, q.day ?? null, q.month ?? null],
    queryFn: () => api<Rollup>('/api/daily-reports/rollup', { query: q }),
  });
}

export function useSeries(q: { unitId?: string; from: string; to: string }, enabled = true) {
  return useQuery({
    queryKey: ['daily-reports', 'series', q.unitId ?? null, q.from, q.to],
    queryFn: () => api<Rollup>('/api/daily-reports/series', { query: q }),
    enabled,
  });
}
