import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, PagingQuerySchema } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { type DuplicateRow, dismissDuplicate, findDuplicates, mergeDuplicate, unmergeDuplicate } from './duplicates.service.js';

const CardSchema = z.object({
  id: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  idNumber: z.string().nullable().describe('masked'),
  sex: z.string().nullable(),
  address: z.string().nullable(),
  unitName: z.string().nullable(),
  status: z.string(),
});
const DuplicateSchema = z.object({
  id: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'merged', 'dismissed']),
  a: CardSchema,
  b: CardSchema,
  keptId: z.string().nullable(),
  mergedId: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolveReason: z.string().nullable(),
  createdAt: z.string(),
});

function present(d: DuplicateRow) {
  const c = (x: DuplicateRow['a']) => ({
    id: x.id,
    name: x.name,
    birthDate: x.birthDate,
    idNumber: x.idNumber,
    sex: x.sex,
    address: x.address,
    unitName: x.unitName,
    status: x.status,
  });
  return {
    id: d.id,
    reason: d.reason,
    status: d.status,
    a: c(d.a),
    b: c(d.b),
    keptId: d.keptId,
    mergedId: d.mergedId,
    resolvedByName: d.resolvedByName,
    resolvedAt: d.resolvedAt ? new Date(d.resolvedAt).toISOString() : null,
    resolveReason: d.resolveReason,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

const reason = z.string().trim().min(2).max(500);

export async function duplicatesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  app.get(
    '/api/client-duplicates',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'Possible duplicates (same name and birth date, one without ID number) you can see both sides of',
        querystring: PagingQuerySchema.extend({ status: z.enum(['open', 'merged', 'dismissed']).optional() }),
        response: {
          200: z.object({ items: z.array(DuplicateSchema), nextCursor: z.string().nullable(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findDuplicates(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map(present) };
    },
  );

  app.post(
    '/api/client-duplicates/:id/merge',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Merge the pair into one record (reversible)',
        params: IdParamsSchema,
        body: z.object({ keepId: z.uuid(), reason: reason.nullable().optional() }),
        response: { 200: DuplicateSchema, ...errorResponses },
      },
    },
    async (req) =>
      present(await inTransaction(req, (tx) => mergeDuplicate({ db: tx, actor: actorOf(req), id: req.params.id, ...req.body }))),
  );

  app.post(
    '/api/client-duplicates/:id/unmerge',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Undo a merge exactly',
        params: IdParamsSchema,
        body: z.object({ reason }),
        response: { 200: DuplicateSchema, ...errorResponses },
      },
    },
    async (req) =>
      present(
        await inTransaction(req, (tx) => unmergeDuplicate({ db: tx, actor: actorOf(req), id: req.params.id, reason: req.body.reason })),
      ),
  );

  app.post(
    '/api/client-duplicates/:id/dismiss',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Not the same person',
        params: IdParamsSchema,
        body: z.object({ reason }),
        response: { 200: DuplicateSchema, ...errorResponses },
      },
    },
    async (req) =>
      present(
        await inTransaction(req, (tx) => dismissDuplicate({ db: tx, actor: actorOf(req), id: req.params.id, reason: req.body.reason })),
      ),
  );
}
