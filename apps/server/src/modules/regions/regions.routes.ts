import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbOf, errorResponses } from '../../platform/http.js';
import { presentRegion } from './regions.presenter.js';
import { RegionCodeParamsSchema, RegionDetailSchema, RegionListQuerySchema, RegionSchema } from './regions.schemas.js';
import { findRegions, getRegion, regionAncestors } from './regions.service.js';

export async function regionsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/regions',
    {
      config: { permission: 'regions.read' },
      schema: {
        tags: ['regions'],
        summary: 'Find regions by name, code prefix or pinyin; children of a region',
        querystring: RegionListQuerySchema,
        response: { 200: z.object({ items: z.array(RegionSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: (await findRegions(dbOf(req), req.query)).map(presentRegion) }),
  );

  app.get(
    '/api/regions/:code',
    {
      config: { permission: 'regions.read' },
      schema: {
        tags: ['regions'],
        summary: 'One region with its path (ancestors, province first)',
        params: RegionCodeParamsSchema,
        response: { 200: RegionDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const region = await getRegion(db, req.params.code);
      return { ...presentRegion(region), ancestors: (await regionAncestors(db, region)).map(presentRegion) };
    },
  );
}
