/** Background imports (GET /api/import-jobs/:id). */
export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';
export type ImportPhase = 'reading' | 'checking' | 'writing' | 'done';

export interface ImportRowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

export interface ImportJobReport {
  committed: boolean;
  rows: number;
  summary: { new: number; updated: number; unchanged: number; rejected: number; duplicatesInFile: number; duplicatesInLedger: number };
  errors: ImportRowError[];
  errorCount: number;
  headers: string[];
  mapping: Record<string, string>;
}

export interface ImportJob {
  id: string;
  kind: 'clients';
  status: ImportJobStatus;
  commit: boolean;
  mode: 'all' | 'valid';
  mapping: Record<string, string | null> | null;
  fileName: string | null;
  fileSize: number;
  phase: ImportPhase | null;
  processed: number;
  total: number | null;
  report: ImportJobReport | null;
  error: { code: string; message: string; details: { path: string; code: string; message?: string }[] } | null;
  uploadKept: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Fields of the client sheet a column can be mapped to (the server's CLIENT_SHEET_COLUMNS). */
export const CLIENT_SHEET_FIELDS = [
  'name',
  'idNumber',
  'sex',
  'birthDate',
  'ethnicity',
  'phone',
  'address',
  'community',
  'unit',
  'categories',
  'categoryStart',
  'riskLevel',
  'tags',
] as const;
export type ClientSheetField = (typeof CLIENT_SHEET_FIELDS)[number];
export const REQUIRED_FIELDS: ClientSheetField[] = ['name', 'community'];
