import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentErrand } from './errands.presenter.js';
import {
  CancelBodySchema,
  CourierSchema,
  CreateErrandBodySchema,
  ErrandListQuerySchema,
  ErrandSchema,
  GrabBodySchema,
  MySummarySchema,
  VersionBodySchema,
} from './errands.schemas.js';
import {
  cancelErrand,
  completeErrand,
  confirmErrand,
  createErrand,
  findCouriers,
  findErrands,
  getErrand,
  grabErrand,
  mySummary,
  releaseErrand,
} from './errands.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

export async function errandsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/errands',
    {
      config: { permission: 'errands.read' },
      schema: {
        tags: ['errands'],
        summary: 'Errands of your scope, newest first (board: the open ones of your area)',
        description:
          'A volunteer sees the errands of their area (the subtree of their unit) and their own; staff see their scope. ' +
          '`status=expired` are open errands whose window has ended.',
        querystring: ErrandListQuerySchema,
        response: { 200: page(ErrandSchema), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const result = await findErrands(dbOf(req), actor, req.query);
      return { ...result, items: result.items.map((e) => presentErrand(actor, e)) };
    },
  );

  app.get(
    '/api/errands/couriers',
    {
      config: { permission: 'errands.post' },
      schema: {
        tags: ['errands'],
        summary: 'Volunteer logins of your scope who may take errands (to assign one)',
        response: { 200: z.object({ items: z.array(CourierSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await findCouriers(dbOf(req), actorOf(req)) }),
  );

  app.get(
    '/api/errands/me',
    {
      config: { permission: 'errands.read' },
      schema: {
        tags: ['errands'],
        summary: 'Your side of the board: your time-bank balance and the errands you hold',
        response: { 200: MySummarySchema, ...errorResponses },
      },
    },
    async (req) => mySummary(dbOf(req), actorOf(req)),
  );

  app.get(
    '/api/errands/:id',
    {
      config: { permission: 'errands.read' },
      schema: {
        tags: ['errands'],
        summary: 'One errand',
        params: IdParamsSchema,
        response: { 200: ErrandSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentErrand(actor, await getErrand(dbOf(req), actor, req.params.id));
    },
  );

  app.post(
    '/api/errands',
    {
      config: { permission: 'errands.post' },
      schema: {
        tags: ['errands'],
        summary: 'Post an errand (open); the reward is held in escrow from the funding account until confirmation',
        description:
          'The reward is held at once (time-bank spend to the escrow account, key errand:<id>:escrow): not enough credits → 409 ' +
          'insufficient_credits. Without a unit pool at or above the unit (staff) or a person account (volunteers), 409 ' +
          'no_funding_account. A cancelled errand gives it back; a confirmed one pays it to the courier.',
        body: CreateErrandBodySchema,
        response: { 201: ErrandSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const errand = await inTransaction(req, (tx) => createErrand({ db: tx, actor, input: req.body }));
      return reply.status(201).send(presentErrand(actor, errand));
    },
  );

  const transition = (
    path: string,
    summary: string,
    description: string,
    permission: 'errands.grab' | 'errands.post',
    run: (
      req: { id: string; body: Record<string, unknown> },
      db: Parameters<typeof grabErrand>[0]['db'],
      actor: ReturnType<typeof actorOf>,
    ) => ReturnType<typeof grabErrand>,
    body: z.ZodType = VersionBodySchema,
  ) =>
    app.post(
      `/api/errands/:id/${path}`,
      {
        config: { permission },
        schema: {
          tags: ['errands'],
          summary,
          description,
          params: IdParamsSchema,
          body,
          response: { 200: ErrandSchema, ...errorResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const errand = await inTransaction(req, (tx) => run({ id: req.params.id, body: req.body as Record<string, unknown> }, tx, actor));
        return presentErrand(actor, errand);
      },
    );

  transition(
    'grab',
    'Grab an open errand (a courier), or assign it to a courier (staff, with assigneeUserId)',
    'One conditional update: of concurrent grabs exactly one wins; the others get 409 errand_taken. A stale version is 409 ' +
      'stale_version; an errand outside your area 404; an ended window 409 errand_expired; your own errand 409 own_errand.',
    'errands.grab',
    (r, db, actor) =>
      grabErrand({ db, actor, id: r.id, version: r.body.version as number, assigneeUserId: r.body.assigneeUserId as string | undefined }),
    GrabBodySchema,
  );
  transition(
    'release',
    'Give an assigned errand back to the board (its courier, or staff)',
    'assigned → open.',
    'errands.grab',
    (r, db, actor) => releaseErrand({ db, actor, id: r.id, version: r.body.version as number }),
  );
  transition(
    'complete',
    'Say the errand is done (its courier only)',
    'assigned → done; someone else → 403 not_your_errand.',
    'errands.grab',
    (r, db, actor) => completeErrand({ db, actor, id: r.id, version: r.body.version as number }),
  );
  transition(
    'confirm',
    'Confirm a done errand (the requester or staff): the reward is paid to the courier once',
    'done → confirmed with a time-bank transfer from the funding account to the courier (key errand:<id>:reward). ' +
      'The held reward is released and paid; a second confirmation → 409 already_confirmed.',
    'errands.post',
    (r, db, actor) => confirmErrand({ db, actor, id: r.id, version: r.body.version as number }),
  );
  transition(
    'cancel',
    'Call an open or assigned errand off (the requester or staff)',
    'open | assigned → cancelled; the held reward goes back to the funding account.',
    'errands.post',
    (r, db, actor) => cancelErrand({ db, actor, id: r.id, version: r.body.version as number, reason: r.body.reason as string | null }),
    CancelBodySchema,
  );
}
