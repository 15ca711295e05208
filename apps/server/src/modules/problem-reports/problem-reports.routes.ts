import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { actorOf, cryptoOf, dbOf, ErrorBodySchema, errorResponses, PagingQuerySchema } from '../../platform/http.js';
import { readMultipart } from '../../platform/upload.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentProblemReport } from './problem-reports.presenter.js';
import { ProblemReportFieldsSchema, ProblemReportListQuerySchema, ProblemReportSchema } from './problem-reports.schemas.js';
import { createProblemReport, findProblemReports, getProblemReport, readPhoto } from './problem-reports.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });
const FIELDS = ['category', 'description', 'place', 'regionCode', 'unitId', 'latitude', 'longitude'];

/** The form fields and the optional photo (field `file`) of a multipart report. */
async function reportForm(req: FastifyRequest): Promise<{ fields: Record<string, string>; photo: Buffer | null }> {
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', {
      status: 415,
      message: 'send the report as multipart/form-data (text fields, and the photo in a field named file)',
      details: [{ path: 'file', code: 'multipart_required' }],
    });
  let photo: Buffer | null = null;
  const fields: Record<string, string> = {};
  await readMultipart(async () => {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'file' && !photo) photo = await part.toBuffer();
        else part.file.resume();
      } else if (FIELDS.includes(part.fieldname) && typeof part.value === 'string' && part.value !== '') {
        fields[part.fieldname] = part.value;
      }
    }
  });
  return { fields, photo };
}

/** Problem reports (随手拍): a photo, the place, a category and a text; each becomes a ticket of the unit that serves the place. */
export async function problemReportsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['problem-reports'];

  app.post(
    '/api/problem-reports',
    {
      config: { permission: 'problem_reports.write', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Report a problem (随手拍): it becomes a ticket of the unit that serves the community',
        description: [
          'multipart/form-data: fields `category` (a ticket category), `description`, `place`, `regionCode` (the community,',
          '12 digits) or `unitId`, optional `latitude` and `longitude`; an optional photo in the field `file`: JPEG, PNG, WebP',
          'or HEIC by its bytes (415 otherwise), at most 10 MB (413). Without a community or unit the report goes to the',
          "reporter's own unit. The photo is kept encrypted in the server's data folder.",
        ].join(' '),
        response: { 201: ProblemReportSchema, ...errorResponses, 413: ErrorBodySchema, 415: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const form = await reportForm(req);
      const parsed = ProblemReportFieldsSchema.safeParse(form.fields);
      if (!parsed.success)
        throw new AppError('validation_failed', {
          message: 'the report is incomplete or invalid',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
        });
      const row = await createProblemReport({
        database: req.server.database,
        actor,
        crypto: cryptoOf(req),
        dataDir: req.server.config.dataDir,
        input: parsed.data,
        photo: form.photo,
      });
      return reply.status(201).send(presentProblemReport(actor, row));
    },
  );

  app.get(
    '/api/problem-reports',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'Problem reports of your part of the network, newest first',
        querystring: ProblemReportListQuerySchema,
        response: { 200: page(ProblemReportSchema), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const result = await findProblemReports(dbOf(req), actor, req.query);
      return { ...result, items: result.items.map((r) => presentProblemReport(actor, r)) };
    },
  );

  app.get(
    '/api/problem-reports/mine',
    {
      config: { permission: 'problem_reports.write' },
      schema: {
        tags,
        summary: 'Your own problem reports and what became of them, newest first',
        querystring: PagingQuerySchema,
        response: { 200: page(ProblemReportSchema), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const result = await findProblemReports(dbOf(req), actor, { ...req.query, mine: true });
      return { ...result, items: result.items.map((r) => presentProblemReport(actor, r)) };
    },
  );

  app.get(
    '/api/problem-reports/:id',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: 'One problem report (its reporter, or staff who read the tickets of its unit)',
        params: IdParamsSchema,
        response: { 200: ProblemReportSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentProblemReport(actor, await getProblemReport(dbOf(req), actor, req.params.id));
    },
  );

  app.get(
    '/api/problem-reports/:id/photo',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: "A report's photo (audited: it may show people)",
        params: IdParamsSchema,
        response: { 200: z.any().describe('the image bytes'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const photo = await readPhoto({
        db: dbOf(req),
        actor: actorOf(req),
        crypto: cryptoOf(req),
        dataDir: req.server.config.dataDir,
        id: req.params.id,
      });
      return reply
        .header('content-type', photo.type)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline')
        .send(photo.bytes);
    },
  );
}
