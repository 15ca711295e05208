import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, cryptoOf, dbOf, errorResponses, inTransaction } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentNeed, presentNomination } from './needs.presenter.js';
import {
  AcceptNominationBodySchema,
  CreateNeedBodySchema,
  CreateNominationBodySchema,
  NeedListQuerySchema,
  NeedSchema,
  NominationListQuerySchema,
  NominationSchema,
  RejectNominationBodySchema,
  UpdateNeedBodySchema,
} from './needs.schemas.js';
import {
  acceptNomination,
  createNeed,
  createNomination,
  findNeeds,
  findNominations,
  rejectNomination,
  updateNeed,
} from './needs.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

export async function needsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/needs',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags: ['needs'],
        summary: 'Assessed needs in your scope (status=unresolved: open or in progress)',
        querystring: NeedListQuerySchema,
        response: { 200: page(NeedSchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findNeeds(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentNeed) };
    },
  );

  app.post(
    '/api/needs',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags: ['needs'],
        summary: 'Record an assessed need of a client',
        body: CreateNeedBodySchema,
        response: { 201: NeedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const need = await inTransaction(req, (tx) => createNeed({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentNeed(need));
    },
  );

  app.patch(
    '/api/needs/:id',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags: ['needs'],
        summary: 'Move a need along open → in progress → met / referred / cannot be met',
        params: IdParamsSchema,
        body: UpdateNeedBodySchema,
        response: { 200: NeedSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentNeed(await inTransaction(req, (tx) => updateNeed({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body }))),
  );

  app.get(
    '/api/nominations',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags: ['nominations'],
        summary: 'Nominations (发现报告) of your part of the network',
        querystring: NominationListQuerySchema,
        response: { 200: page(NominationSchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findNominations(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentNomination) };
    },
  );

  app.post(
    '/api/nominations',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags: ['nominations'],
        summary: 'Report a person not yet covered',
        body: CreateNominationBodySchema,
        response: { 201: NominationSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await inTransaction(req, (tx) =>
        createNomination({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), input: req.body }),
      );
      return reply.status(201).send(presentNomination(row));
    },
  );

  app.post(
    '/api/nominations/:id/accept',
    {
      config: { permission: 'nominations.decide' },
      schema: {
        tags: ['nominations'],
        summary: 'Accept after checking: the client is created and linked',
        params: IdParamsSchema,
        body: AcceptNominationBodySchema,
        response: { 200: NominationSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentNomination(
        await inTransaction(req, (tx) =>
          acceptNomination({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), id: req.params.id, input: req.body }),
        ),
      ),
  );

  app.post(
    '/api/nominations/:id/reject',
    {
      config: { permission: 'nominations.decide' },
      schema: {
        tags: ['nominations'],
        summary: 'Reject with a reason',
        params: IdParamsSchema,
        body: RejectNominationBodySchema,
        response: { 200: NominationSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentNomination(
        await inTransaction(req, (tx) => rejectNomination({ db: tx, actor: actorOf(req), id: req.params.id, reason: req.body.reason })),
      ),
  );
}
