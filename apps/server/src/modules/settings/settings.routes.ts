import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, OkSchema } from '../../platform/http.js';
import { presentCategory } from './settings.presenter.js';
import {
  CategoryCodeParamsSchema,
  CategoryDefinitionSchema,
  CreateCategoryBodySchema,
  DeleteCategoryQuerySchema,
  UpdateCategoryBodySchema,
} from './settings.schemas.js';
import { createCategory, deleteCategory, findCategories, updateCategory } from './settings.service.js';

export async function settingsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['settings'];

  app.get(
    '/api/settings/categories',
    {
      // Every screen that shows or picks a category needs the list, whatever the role.
      config: { signedIn: true },
      schema: {
        tags,
        summary: "The deployment's client categories in list order, retired ones included (active: false)",
        response: { 200: z.object({ items: z.array(CategoryDefinitionSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: (await findCategories(dbOf(req))).map(presentCategory) }),
  );

  app.post(
    '/api/settings/categories',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Add a client category',
        body: CreateCategoryBodySchema,
        response: { 201: CategoryDefinitionSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await inTransaction(req, (tx) => createCategory({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentCategory(row));
    },
  );

  app.patch(
    '/api/settings/categories/:code',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Rename, reorder, retire or reactivate a client category (optimistic locking on version)',
        params: CategoryCodeParamsSchema,
        body: UpdateCategoryBodySchema,
        response: { 200: CategoryDefinitionSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentCategory(
        await inTransaction(req, (tx) => updateCategory({ db: tx, actor: actorOf(req), code: req.params.code, patch: req.body })),
      ),
  );

  app.delete(
    '/api/settings/categories/:code',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Delete a category added by mistake: not a default one, and no client has ever had it (else retire it)',
        params: CategoryCodeParamsSchema,
        querystring: DeleteCategoryQuerySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => deleteCategory({ db: tx, actor: actorOf(req), code: req.params.code, version: req.query.version }));
      return { ok: true as const };
    },
  );
}
