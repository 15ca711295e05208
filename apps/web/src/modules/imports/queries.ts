import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { ImportJob } from './types';

const open = (j: ImportJob | undefined) => j?.status === 'queued' || j?.status === 'running';

/** One job, polled while it runs. */
export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: ['import-jobs', id],
    queryFn: ({ signal }) => api<ImportJob>(`/api/import-jobs/${id}`, { signal }),
    enabled: !!id,
    refetchInterval: (q) => (open(q.state.data) ? 800 : false),
  });
}

/** The user's latest jobs. */
export function useImportJobs() {
  return useQuery({
    queryKey: ['import-jobs', 'list'],
    queryFn: ({ signal }) => api<{ items: ImportJob[] }>('/api/import-jobs', { query: { limit: 10 }, signal }),
  });
}

/** Upload a sheet: starts a dry run (or a commit) and answers the queued job. */
export function useStartImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { file: File; commit: boolean; mode: 'all' | 'valid'; mapping?: Record<string, string | null> }) => {
      const body = new FormData();
      if (v.mapping) body.append('mapping', JSON.stringify(v.mapping));
      body.append('file', v.file);
      return api<ImportJob>('/api/clients/import/jobs', { method: 'POST', body, query: { commit: String(v.commit), mode: v.mode } });
    },
    onSuccess: (job) => {
      qc.setQueryData(['import-jobs', job.id], job);
      void qc.invalidateQueries({ queryKey: ['import-jobs', 'list'] });
    },
  });
}

/** Run a kept upload again: commit after the dry run, or check with another mapping. */
export function useRerunImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; commit: boolean; mode: 'all' | 'valid'; mapping?: Record<string, string | null> | null }) =>
      api<ImportJob>(`/api/import-jobs/${v.id}/rerun`, {
        method: 'POST',
        body: { commit: v.commit, mode: v.mode, ...(v.mapping !== undefined ? { mapping: v.mapping } : {}) },
      }),
    onSuccess: (job) => {
      qc.setQueryData(['import-jobs', job.id], job);
      void qc.invalidateQueries({ queryKey: ['import-jobs', 'list'] });
    },
  });
}
