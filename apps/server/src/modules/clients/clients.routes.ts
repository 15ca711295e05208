import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { actorOf, cryptoOf, dbOf, errorResponses, inTransaction, OkSchema, PagingQuerySchema } from '../../platform/http.js';
import { presentClient, presentClientDetail } from './clients.presenter.js';
import {
  CategoryInputSchema,
  ClearFlagBodySchema,
  ClientDetailSchema,
  ClientIdParamsSchema,
  ClientListQuerySchema,
  ClientSchema,
  ClientSubParamsSchema,
  CreateClientBodySchema,
  EndCategoryBodySchema,
  FlagBodySchema,
  RevealBodySchema,
  RevealResponseSchema,
  UpdateClientBodySchema,
} from './clients.schemas.js';
import {
  addCategory,
  type ClientRow,
  clearFlag,
  clientHistory,
  createClient,
  decryptContacts,
  endCategory,
  findClients,
  getClient,
  householdMembers,
  revealField,
  setFlag,
  updateClient,
} from './clients.service.js';
import { clientTimeline } from './clients.timeline.js';

async function detail(db: Db, actor: Actor, crypto: FieldCrypto, client: ClientRow) {
  const { categories, flags } = await clientHistory(db, client.id);
  return presentClientDetail(client, {
    categories,
    flags,
    household: await householdMembers(db, actor, client),
    contacts: decryptContacts(crypto, client),
  });
}

export async function clientsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  app.get(
    '/api/clients',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'Search the client ledger of your part of the network (ID numbers and phones masked)',
        querystring: ClientListQuerySchema,
        response: {
          200: z.object({
            items: z.array(ClientSchema),
            nextCursor: z.string().nullable(),
            total: z.number().describe('matches, counted up to 10,000'),
            totalCapped: z.boolean().describe('true when there are more than `total` matches (total is a lower bound)'),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findClients(dbOf(req), actorOf(req), cryptoOf(req), req.query);
      return { ...page, items: page.items.map(presentClient) };
    },
  );

  app.get(
    '/api/clients/:id',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'One client with categories, flags, household and contacts (masked)',
        params: ClientIdParamsSchema,
        response: { 200: ClientDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const actor = actorOf(req);
      return detail(db, actor, cryptoOf(req), await getClient(db, actor, req.params.id));
    },
  );

  app.get(
    '/api/clients/:id/timeline',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: "A client's history newest first: visits, needs, categories, flags and record changes",
        params: ClientIdParamsSchema,
        querystring: PagingQuerySchema,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                at: z.string(),
                kind: z.enum(['visit', 'need', 'category_started', 'category_ended', 'flag_set', 'flag_cleared', 'change']),
                ref: z.string(),
                title: z.string(),
                detail: z.string().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => clientTimeline(dbOf(req), actorOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/clients',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Register a client',
        body: CreateClientBodySchema,
        response: { 201: ClientDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const crypto = cryptoOf(req);
      const out = await inTransaction(req, async (tx) =>
        detail(tx, actor, crypto, await createClient({ db: tx, actor, crypto, input: req.body })),
      );
      return reply.status(201).send(out);
    },
  );

  app.patch(
    '/api/clients/:id',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Change a client (optimistic locking by version)',
        params: ClientIdParamsSchema,
        body: UpdateClientBodySchema,
        response: { 200: ClientDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const crypto = cryptoOf(req);
      return inTransaction(req, async (tx) =>
        detail(tx, actor, crypto, await updateClient({ db: tx, actor, crypto, id: req.params.id, patch: req.body })),
      );
    },
  );

  app.post(
    '/api/clients/:id/reveal',
    {
      config: { permission: 'clients.reveal' },
      schema: {
        tags,
        summary: 'Reveal the full ID number, phone or contacts of a client, with a reason (audited)',
        params: ClientIdParamsSchema,
        body: RevealBodySchema,
        response: { 200: RevealResponseSchema, ...errorResponses },
      },
    },
    async (req) =>
      inTransaction(req, (tx) => revealField({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), id: req.params.id, ...req.body })),
  );

  app.post(
    '/api/clients/:id/flags',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Set a flag (失联, 高风险预警 …) with a reason',
        params: ClientIdParamsSchema,
        body: FlagBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => setFlag({ db: tx, actor: actorOf(req), id: req.params.id, ...req.body }));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/clients/:id/flags/:subId/clear',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Clear a flag with a reason',
        params: ClientSubParamsSchema,
        body: ClearFlagBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) =>
        clearFlag({ db: tx, actor: actorOf(req), id: req.params.id, flagId: req.params.subId, reason: req.body.reason }),
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/clients/:id/categories',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Add a category with its start date',
        params: ClientIdParamsSchema,
        body: CategoryInputSchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => addCategory({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/clients/:id/categories/:subId/end',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'End a category at a date',
        params: ClientSubParamsSchema,
        body: EndCategoryBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) =>
        endCategory({ db: tx, actor: actorOf(req), id: req.params.id, categoryId: req.params.subId, ...req.body }),
      );
      return { ok: true as const };
    },
  );
}
