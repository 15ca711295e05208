import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, OkSchema } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentVisit } from './visits.presenter.js';
import {
  CadenceRulesSchema,
  ComplianceQuerySchema,
  ComplianceSchema,
  CreateVisitBodySchema,
  OverdueGroupSchema,
  OverdueQuerySchema,
  VisitListQuerySchema,
  VisitSchema,
} from './visits.schemas.js';
import {
  createVisit,
  findVisits,
  getCadenceRules,
  getVisit,
  overdueSummary,
  runOverdueScan,
  setCadenceRules,
  visitCompliance,
} from './visits.service.js';

export async function visitsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['visits'];

  app.get(
    '/api/visits',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: 'Visits in your scope, newest first',
        querystring: VisitListQuerySchema,
        response: {
          200: z.object({ items: z.array(VisitSchema), nextCursor: z.string().nullable(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findVisits(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map(presentVisit) };
    },
  );

  app.get(
    '/api/visits/overdue',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: 'Overdue visits per worker, community, zone or station',
        querystring: OverdueQuerySchema,
        response: { 200: z.object({ items: z.array(OverdueGroupSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await overdueSummary(dbOf(req), actorOf(req), req.query) }),
  );

  app.get(
    '/api/visits/compliance',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: "A month's visit coverage: clients visited within their cadence ÷ clients due, per child unit",
        querystring: ComplianceQuerySchema,
        response: { 200: ComplianceSchema, ...errorResponses },
      },
    },
    async (req) => visitCompliance(dbOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/visits/:id',
    {
      config: { permission: 'visits.read' },
      schema: { tags, summary: 'One visit', params: IdParamsSchema, response: { 200: VisitSchema, ...errorResponses } },
    },
    async (req) => presentVisit(await getVisit(dbOf(req), actorOf(req), req.params.id)),
  );

  app.post(
    '/api/visits',
    {
      config: { permission: 'visits.write' },
      schema: { tags, summary: 'Record a visit', body: CreateVisitBodySchema, response: { 201: VisitSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const visit = await inTransaction(req, (tx) => createVisit({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentVisit(visit));
    },
  );

  app.post(
    '/api/visits/scan',
    {
      config: { permission: 'visits.write' },
      schema: {
        tags,
        summary: 'Recompute due dates in your scope and notify workers of overdue clients (the daily job, on demand)',
        response: { 200: z.object({ recomputed: z.number(), notified: z.number() }), ...errorResponses },
      },
    },
    async (req) => inTransaction(req, (tx) => runOverdueScan(tx, actorOf(req).scopePath)),
  );

  app.get(
    '/api/settings/cadence',
    {
      config: { permission: 'visits.read' },
      schema: { tags, summary: 'Visit cadence rules of the deployment', response: { 200: CadenceRulesSchema, ...errorResponses } },
    },
    async (req) => ({ rules: await getCadenceRules(dbOf(req)) }),
  );

  app.put(
    '/api/settings/cadence',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Replace the visit cadence rules; every due date is recomputed',
        body: CadenceRulesSchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => setCadenceRules({ db: tx, actor: actorOf(req), rules: req.body.rules }));
      return { ok: true as const };
    },
  );
}
