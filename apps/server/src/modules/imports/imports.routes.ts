import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, cryptoOf, dbOf, ErrorBodySchema, errorResponses, sendFile, XLSX_MIME } from '../../platform/http.js';
import { uploadedFileAndFields } from '../../platform/upload.js';
import { parseMapping } from '../clients/clients.sheet.js';
import { presentImportJob } from './imports.presenter.js';
import { ImportJobParamsSchema, ImportJobRerunBodySchema, ImportJobRunQuerySchema, ImportJobSchema } from './imports.schemas.js';
import {
  createImportJob,
  findImportJobs,
  getImportJob,
  type ImportRunner,
  importErrorSheet,
  OPEN_STATUSES,
  rerunImportJob,
} from './imports.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    importRunner: ImportRunner;
  }
}

const runnerOf = (req: FastifyRequest) => req.server.importRunner;

/** Background imports of the client ledger: upload → job (dry run or commit) → progress → report → error sheet. */
export async function importsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];
  const accepted = { 202: ImportJobSchema, ...errorResponses, 413: ErrorBodySchema, 415: ErrorBodySchema };

  app.post(
    '/api/clients/import/jobs',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Start a background import of an xlsx or CSV client sheet (dry run unless commit=true)',
        description: [
          'multipart/form-data as POST /api/clients/import (field `file`, optional field `mapping`). Answers 202 with the job at',
          'once; poll GET /api/import-jobs/{id} for progress and the report. The file is checked when the job runs: an unreadable',
          'file makes the job `failed` with the error body in `error`. A job is one transaction: a job that fails or whose server',
          'stops writes nothing.',
        ].join(' '),
        querystring: ImportJobRunQuerySchema,
        response: accepted,
      },
    },
    async (req, reply) => {
      const file = await uploadedFileAndFields(req, ['mapping']);
      const job = await createImportJob({
        database: req.server.database,
        runner: runnerOf(req),
        actor: actorOf(req),
        crypto: cryptoOf(req),
        file: file.bytes,
        fileName: file.name || null,
        commit: req.query.commit === 'true',
        mode: req.query.mode,
        mapping: parseMapping(file.fields.mapping),
      });
      return reply.code(202).send(presentImportJob(job, runnerOf(req)));
    },
  );

  app.get(
    '/api/import-jobs',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Your import jobs, newest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          before: z.uuid().optional().describe('the id of the last job of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(ImportJobSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const read = () => findImportJobs(dbOf(req), actorOf(req), req.query);
      // Only a list that shows open jobs needs to learn whether their servers are still alive.
      let rows = await read();
      if (rows.some((r) => OPEN_STATUSES.includes(r.status)) && (await runnerOf(req).interruptDead()) > 0) rows = await read();
      return { items: rows.map((r) => presentImportJob(r, runnerOf(req))) };
    },
  );

  app.get(
    '/api/import-jobs/:id',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'One of your import jobs: status, progress, report',
        params: ImportJobParamsSchema,
        response: { 200: ImportJobSchema, ...errorResponses },
      },
    },
    async (req) => {
      const read = () => getImportJob(dbOf(req), actorOf(req), req.params.id);
      // Polled while it runs: a finished job costs one read; an open one also checks its server's heartbeat.
      let row = await read();
      if (OPEN_STATUSES.includes(row.status) && (await runnerOf(req).interruptDead()) > 0) row = await read();
      return presentImportJob(row, runnerOf(req));
    },
  );

  app.post(
    '/api/import-jobs/:id/rerun',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Run the upload of an ended job again: commit after a dry run, or check again with another mapping',
        params: ImportJobParamsSchema,
        body: ImportJobRerunBodySchema,
        response: accepted,
      },
    },
    async (req, reply) => {
      const { commit, mode, mapping } = req.body;
      const job = await rerunImportJob({
        database: req.server.database,
        runner: runnerOf(req),
        actor: actorOf(req),
        id: req.params.id,
        commit,
        mode,
        mapping: mapping === undefined ? undefined : mapping === null ? null : (parseMapping(JSON.stringify(mapping)) ?? null),
      });
      return reply.code(202).send(presentImportJob(job, runnerOf(req)));
    },
  );

  app.get(
    '/api/import-jobs/:id/errors',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'The error sheet of a job (xlsx): the rejected rows with 错误说明, and the list of every error',
        params: ImportJobParamsSchema,
        response: {
          200: { description: 'xlsx workbook', content: { [XLSX_MIME]: { schema: z.string().describe('binary xlsx') } } },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const body = await importErrorSheet(dbOf(req), actorOf(req), cryptoOf(req), req.params.id);
      return sendFile(reply.header('cache-control', 'no-store'), `导入错误-${req.params.id.slice(-8)}.xlsx`, XLSX_MIME, body);
    },
  );
}
