import { hasPermission } from '@wushe/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { actorOf, cryptoOf, dbOf, ErrorBodySchema, errorResponses, sendFile, XLSX_MIME } from '../../platform/http.js';
import { parseIdempotencyKey } from '../../platform/idempotency.js';
import { uploadedFileAndFields } from '../../platform/upload.js';
import { writeAuditNow } from '../audit/audit.service.js';
import { clientImportTemplate, exportClients } from './clients.export.js';
import { ClientImportReportSchema, importClients } from './clients.import.js';
import { ClientListQuerySchema } from './clients.schemas.js';
import { MAX_CLIENT_IMPORT_ROWS, parseMapping } from './clients.sheet.js';

const xlsxResponse = {
  description: 'xlsx workbook',
  content: { [XLSX_MIME]: { schema: z.string().describe('binary xlsx') } },
};
const fileErrors = { ...errorResponses, 413: ErrorBodySchema, 415: ErrorBodySchema };

export const ClientExportQuerySchema = ClientListQuerySchema.omit({ limit: true, cursor: true }).extend({
  reveal: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: full ID numbers and phones (needs clients.reveal; audited as client.export_revealed)'),
});

/** The client ledger in and out of Excel: import template, import (xlsx or CSV), export. */
export async function clientsImportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  app.get(
    '/api/clients/import/template',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'The xlsx template of the client import, with its instructions sheet',
        response: { 200: xlsxResponse, ...errorResponses },
      },
    },
    async (req, reply) =>
      sendFile(reply.header('cache-control', 'no-store'), '服务对象台账导入模板.xlsx', XLSX_MIME, await clientImportTemplate(dbOf(req))),
  );

  app.post(
    '/api/clients/import',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Import clients from an xlsx or CSV sheet (dry run unless commit=true)',
        description: [
          'multipart/form-data with a field `file` (xlsx, or CSV in UTF-8 or GBK/GB18030; checked by its bytes, at most 20 MB and',
          `${MAX_CLIENT_IMPORT_ROWS} rows) and an optional field \`mapping\`: JSON object sheet header → field (name, idNumber,`,
          'sex, birthDate, ethnicity, phone, address, community, unit, categories, categoryStart, riskLevel, tags; or our Chinese',
          'header; null ignores the column). Rows whose ID number is in the ledger update only the filled cells that differ;',
          'one owned by another street is rejected (owned_elsewhere). One transaction: a dry run always rolls back; mode=all',
          'rolls back on any row error; mode=valid keeps the valid rows. Row errors answer 200 with `errors[]`; unreadable',
          'files answer 400, 413 or 415. Header `Idempotency-Key` as in POST /api/units/import.',
        ].join(' '),
        querystring: z.object({
          commit: z.enum(['true', 'false']).default('false').describe('true writes; false (default) only validates'),
          mode: z.enum(['all', 'valid']).default('all').describe('all: all or nothing; valid: import the valid rows only'),
        }),
        response: { 200: ClientImportReportSchema, ...fileErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const idempotencyKey = parseIdempotencyKey(req.headers['idempotency-key']);
      const file = await uploadedFileAndFields(req, ['mapping']);
      const { report, replayed } = await importClients({
        db: dbOf(req),
        actor,
        crypto: cryptoOf(req),
        file: file.bytes,
        fileName: file.name,
        commit: req.query.commit === 'true',
        mode: req.query.mode,
        mapping: parseMapping(file.fields.mapping),
        idempotencyKey,
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return report;
    },
  );

  app.get(
    '/api/clients/export',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'The clients matching the filters of GET /api/clients as xlsx (the template columns; numbers masked unless reveal=true)',
        querystring: ClientExportQuerySchema,
        response: { 200: xlsxResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { reveal, ...filter } = req.query;
      const revealed = reveal === 'true';
      if (revealed && !hasPermission(actor.role, 'clients.reveal')) {
        throw new AppError('forbidden', { status: 403, message: 'your role may not export full ID numbers and phones (clients.reveal)' });
      }
      const db = dbOf(req);
      const { body, count } = await exportClients({ db, actor, crypto: cryptoOf(req), filter, reveal: revealed });
      if (revealed) {
        await writeAuditNow(db, {
          actor,
          action: 'client.export_revealed',
          entityType: 'client',
          unitPath: actor.scopePath,
          after: { filter, count },
        });
      }
      const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      return sendFile(reply.header('cache-control', 'no-store'), `服务对象台账-${day}.xlsx`, XLSX_MIME, body);
    },
  );
}
