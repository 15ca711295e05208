import { HOUSEHOLD_RELATIONS } from '@wushe/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, PagingQuerySchema } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import {
  addHouseholdMember,
  changeHouseholdHead,
  createHousehold,
  findHouseholds,
  getHousehold,
  removeHouseholdMember,
  updateHousehold,
} from './households.service.js';

const relation = z.enum(HOUSEHOLD_RELATIONS.map((r) => r.value) as [string, ...string[]]);
const MemberSchema = z.object({ clientId: z.uuid(), relation });
const HouseholdSchema = z.object({
  id: z.string(),
  address: z.string().nullable(),
  version: z.number(),
  members: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      relation: z.string().nullable(),
      idNumber: z.string().nullable().describe('masked'),
      birthDate: z.string().nullable(),
      status: z.string(),
    }),
  ),
});

const HouseholdListItemSchema = z.object({
  id: z.string(),
  address: z.string().nullable(),
  unitName: z.string().nullable().describe('the unit of the head when the household was created'),
  memberCount: z.number().describe('members you can see'),
  headId: z.string().nullable(),
  headName: z.string().nullable(),
  createdAt: z.string(),
});

export async function householdsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  app.get(
    '/api/households',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'Households in your scope, newest first; q matches the address or a member name',
        querystring: PagingQuerySchema.extend({ q: z.string().trim().max(100).optional().describe('address or member name') }),
        response: {
          200: z.object({
            items: z.array(HouseholdListItemSchema),
            nextCursor: z.string().nullable(),
            total: z.number().describe('matches, counted up to 10,000'),
            totalCapped: z.boolean().describe('true when there are more than `total` matches (total is a lower bound)'),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findHouseholds(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map((h) => ({ ...h, createdAt: new Date(h.createdAt).toISOString() })) };
    },
  );

  app.patch(
    '/api/households/:id',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: "Change the household's address",
        params: IdParamsSchema,
        body: z.object({ version: z.number().int().min(1), address: z.string().trim().max(200).nullable() }),
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) => inTransaction(req, (tx) => updateHousehold({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body })),
  );

  app.post(
    '/api/households/:id/head',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Make a member the head; the former head stays with the given relation',
        params: IdParamsSchema,
        body: z.object({ clientId: z.uuid(), formerHeadRelation: relation.default('other') }),
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) =>
      inTransaction(req, (tx) =>
        changeHouseholdHead({
          db: tx,
          actor: actorOf(req),
          id: req.params.id,
          clientId: req.body.clientId,
          formerHeadRelation: req.body.formerHeadRelation,
        }),
      ),
  );

  app.get(
    '/api/households/:id',
    {
      config: { permission: 'clients.read' },
      schema: {
        tags,
        summary: 'A household and its members',
        params: IdParamsSchema,
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) => getHousehold(dbOf(req), actorOf(req), req.params.id),
  );

  app.post(
    '/api/households',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Create a household (户) from clients, exactly one of them the head',
        body: z.object({
          address: z.string().trim().max(200).nullable().optional(),
          members: z.array(MemberSchema).min(1).max(30),
          move: z.boolean().default(false).describe('take members out of another household'),
        }),
        response: { 201: HouseholdSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await inTransaction(req, (tx) => createHousehold({ db: tx, actor: actorOf(req), input: req.body }))),
  );

  app.post(
    '/api/households/:id/members',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Add a member (or change their relation)',
        params: IdParamsSchema,
        body: MemberSchema.extend({ move: z.boolean().default(false) }),
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { move, ...member } = req.body;
      return inTransaction(req, (tx) => addHouseholdMember({ db: tx, actor: actorOf(req), id: req.params.id, member, move }));
    },
  );

  app.delete(
    '/api/households/:id/members/:clientId',
    {
      config: { permission: 'clients.write' },
      schema: {
        tags,
        summary: 'Remove a member',
        params: z.object({ id: z.uuid(), clientId: z.uuid() }),
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) =>
      inTransaction(req, (tx) => removeHouseholdMember({ db: tx, actor: actorOf(req), id: req.params.id, clientId: req.params.clientId })),
  );
}
