import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, OkSchema } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentSavedFilter } from './saved-filters.presenter.js';
import {
  CreateSavedFilterBodySchema,
  SavedFilterListQuerySchema,
  SavedFilterSchema,
  UpdateSavedFilterBodySchema,
} from './saved-filters.schemas.js';
import { createSavedFilter, deleteSavedFilter, findSavedFilters, updateSavedFilter } from './saved-filters.service.js';

/**
 * "我的筛选": named query strings of list pages, each user's own. Any signed-in user (`signedIn`, no
 * permission of the matrix): a filter only names a selection, the list it is applied to still checks
 * permission and scope. Someone else's filter is answered as not found.
 */
export async function savedFiltersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['saved-filters'];

  app.get(
    '/api/saved-filters',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: 'Your saved filters (of one page), by name',
        querystring: SavedFilterListQuerySchema,
        response: { 200: z.object({ items: z.array(SavedFilterSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: (await findSavedFilters(dbOf(req), actorOf(req), req.query)).map(presentSavedFilter) }),
  );

  app.post(
    '/api/saved-filters',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: 'Save the filter of a list page under a name (at most 50 per page)',
        body: CreateSavedFilterBodySchema,
        response: { 201: SavedFilterSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await inTransaction(req, (tx) => createSavedFilter({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentSavedFilter(row));
    },
  );

  app.patch(
    '/api/saved-filters/:id',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: 'Rename a saved filter (or replace its query)',
        params: IdParamsSchema,
        body: UpdateSavedFilterBodySchema,
        response: { 200: SavedFilterSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentSavedFilter(
        await inTransaction(req, (tx) => updateSavedFilter({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body })),
      ),
  );

  app.delete(
    '/api/saved-filters/:id',
    {
      config: { signedIn: true },
      schema: {
        tags,
        summary: 'Delete a saved filter',
        params: IdParamsSchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => deleteSavedFilter({ db: tx, actor: actorOf(req), id: req.params.id }));
      return { ok: true as const };
    },
  );
}
