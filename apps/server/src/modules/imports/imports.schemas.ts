import { z } from 'zod';
import { ClientImportErrorSchema, ClientImportReportSchema } from '../clients/clients.import.js';

export const ImportJobSchema = z.object({
  id: z.string(),
  kind: z.literal('clients'),
  status: z
    .enum(['queued', 'running', 'succeeded', 'failed', 'interrupted'])
    .describe('queued → running → succeeded (the report says whether rows were kept) | failed (file error) | interrupted (server stopped)'),
  commit: z.boolean().describe('false: a dry run (validates only)'),
  mode: z.enum(['all', 'valid']),
  mapping: z.record(z.string(), z.string().nullable()).nullable(),
  fileName: z.string().nullable(),
  fileSize: z.number().int(),
  phase: z.enum(['reading', 'checking', 'writing', 'done']).nullable(),
  processed: z.number().int().describe('rows read (reading) or written (writing) so far'),
  total: z.number().int().nullable().describe('rows to check or write, once known'),
  report: ClientImportReportSchema.omit({ errors: true })
    .extend({
      errors: z.array(ClientImportErrorSchema).describe('the first 200 errors; GET …/errors has all of them as xlsx'),
      errorCount: z.number().int(),
    })
    .nullable(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), code: z.string(), message: z.string().optional() })),
    })
    .nullable()
    .describe('why a failed or interrupted job did not import (the uniform error body of the file)'),
  uploadKept: z.boolean().describe('the upload is still kept: the job can be run again (rerun) and its error sheet has the rejected rows'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const ImportJobParamsSchema = z.object({ id: z.uuid() });

export const ImportJobRunQuerySchema = z.object({
  commit: z.enum(['true', 'false']).default('false').describe('true writes; false (default) only validates'),
  mode: z.enum(['all', 'valid']).default('all').describe('all: all or nothing; valid: import the valid rows only'),
});

export const ImportJobRerunBodySchema = z.object({
  commit: z.boolean().describe('true writes; false validates again'),
  mode: z.enum(['all', 'valid']).default('all'),
  mapping: z
    .record(z.string().max(200), z.string().max(50).nullable())
    .nullable()
    .optional()
    .describe('sheet header → field (as the multipart `mapping` field); omitted: the mapping of the earlier job; null: none'),
});
