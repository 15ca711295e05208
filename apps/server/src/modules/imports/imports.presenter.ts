import type { ImportJob } from './imports.schemas.js';
import { type ImportJobRow, type ImportRunner, INLINE_ERRORS } from './imports.service.js';

const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);

/** A job as the API shows it: live progress from this server's runner, the first errors inline. */
export function presentImportJob(row: ImportJobRow, runner: ImportRunner): ImportJob {
  const live = row.status === 'running' ? runner.progressOf(row.id) : undefined;
  const report = row.report
    ? { ...row.report, errors: row.report.errors.slice(0, INLINE_ERRORS), errorCount: row.report.errors.length }
    : null;
  return {
    id: row.id,
    kind: 'clients',
    status: row.status,
    commit: row.commit,
    mode: row.mode,
    mapping: row.mapping,
    fileName: row.fileName,
    fileSize: row.fileSize,
    phase: (live?.phase ?? row.phase) as ImportJob['phase'],
    processed: live?.processed ?? row.processed,
    total: live ? (live.total ?? null) : row.total,
    report,
    error: row.error,
    uploadKept: row.hasFile,
    createdAt: iso(row.createdAt) as string,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
