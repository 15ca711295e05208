import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, ErrorBodySchema, errorResponses, sendFile, XLSX_MIME } from '../../platform/http.js';
import { uploadedFile } from '../../platform/upload.js';
import { coverageReport } from './coverage.service.js';
import { ImportReportSchema, importTemplate, importUnits, MAX_IMPORT_ROWS, parseIdempotencyKey } from './network.import.js';
import { CoverageQuerySchema } from './network.schemas.js';
import { coverageWorkbook } from './network.xlsx.js';

const xlsxResponse = {
  description: 'xlsx workbook',
  content: { [XLSX_MIME]: { schema: z.string().describe('binary xlsx') } },
};

const fileErrors = { ...errorResponses, 413: ErrorBodySchema, 415: ErrorBodySchema };

/**
 * Bulk creation of units from an xlsx sheet, its template, and the coverage export.
 *
 * A file whose rows have errors answers 200 with `committed: false` and the errors (the console shows
 * the report either way); only a file that cannot be read as a sheet of units answers 4xx.
 */
export async function networkImportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['network'];

  app.get(
    '/api/units/import/template',
    {
      config: { permission: 'network.import' },
      schema: {
        tags,
        summary: 'The xlsx template of the unit import, with its instructions sheet',
        response: { 200: xlsxResponse, ...errorResponses },
      },
    },
    async (_req, reply) =>
      sendFile(reply.header('cache-control', 'no-store'), '服务网络单位导入模板.xlsx', XLSX_MIME, await importTemplate()),
  );

  app.post(
    '/api/units/import',
    {
      config: { permission: 'network.import' },
      schema: {
        tags,
        summary: 'Import units from an xlsx sheet (dry run unless commit=true)',
        description: [
          'multipart/form-data with one field `file` (xlsx, checked by its bytes, at most 20 MB and',
          `${MAX_IMPORT_ROWS} rows). Every row is validated with the rules of POST /api/units inside one`,
          'transaction; a dry run, or any row with an error, rolls it back: all or nothing. Row errors answer',
          '200 with `committed: false` and `errors[]` naming row and column; unreadable files answer 400, 413',
          'or 415 with the uniform error body. Header `Idempotency-Key` (optional, with commit=true): the same',
          'key and the same file answer the first report again (header `idempotent-replayed: true`) and',
          'write nothing; the same key with another file is a 409.',
        ].join(' '),
        querystring: z.object({
          commit: z.enum(['true', 'false']).default('false').describe('true writes the units; false (default) only validates'),
        }),
        response: { 200: ImportReportSchema, ...fileErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const idempotencyKey = parseIdempotencyKey(req.headers['idempotency-key']);
      const file = await uploadedFile(req);
      const { report, replayed } = await importUnits({
        db: dbOf(req),
        actor,
        file: file.bytes,
        fileName: file.name,
        commit: req.query.commit === 'true',
        idempotencyKey,
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return report;
    },
  );

  app.get(
    '/api/coverage/export',
    {
      config: { permission: 'coverage.read' },
      schema: {
        tags,
        summary: 'The coverage report as xlsx: the region, then one row per child region',
        querystring: CoverageQuerySchema,
        response: { 200: xlsxResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const report = await coverageReport(dbOf(req), actorOf(req), req.query.regionCode);
      const body = await coverageWorkbook(report);
      return sendFile(
        reply.header('cache-control', 'no-store'),
        `覆盖率-${report.region.code}-${report.region.name}.xlsx`,
        XLSX_MIME,
        body,
      );
    },
  );
}
