import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { actorOf, dbOf, errorResponses, inTransaction, PagingQuerySchema } from '../../platform/http.js';
import { parseIdempotencyKey } from '../../platform/idempotency.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentAccount, presentEntry, presentPosting, presentSettings } from './timebank.presenter.js';
import {
  AccountListQuerySchema,
  AccountSchema,
  CreateAccountBodySchema,
  EntrySchema,
  PostingBodySchema,
  PostingSchema,
  TimebankSettingsSchema,
  UpdateSettingsBodySchema,
} from './timebank.schemas.js';
import {
  createAccount,
  findAccounts,
  findEntries,
  getAccount,
  getSettings,
  postOperation,
  toHundredths,
  updateSettings,
} from './timebank.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

export async function timebankRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/timebank/accounts',
    {
      config: { permission: 'timebank.read' },
      schema: {
        tags: ['timebank'],
        summary: 'Time-bank accounts of your part of the network, with their balances (credits)',
        querystring: AccountListQuerySchema,
        response: { 200: page(AccountSchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findAccounts(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentAccount) };
    },
  );

  app.post(
    '/api/timebank/accounts',
    {
      config: { permission: 'timebank.write' },
      schema: {
        tags: ['timebank'],
        summary: 'Open a person, unit-pool or catalogue account at a unit in your scope',
        body: CreateAccountBodySchema,
        response: { 201: AccountSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const account = await inTransaction(req, (tx) => createAccount({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentAccount(account));
    },
  );

  app.get(
    '/api/timebank/accounts/:id',
    {
      config: { permission: 'timebank.read' },
      schema: {
        tags: ['timebank'],
        summary: 'One account and its balance',
        params: IdParamsSchema,
        response: { 200: AccountSchema, ...errorResponses },
      },
    },
    async (req) => presentAccount(await getAccount(dbOf(req), actorOf(req), req.params.id)),
  );

  app.get(
    '/api/timebank/accounts/:id/entries',
    {
      config: { permission: 'timebank.read' },
      schema: {
        tags: ['timebank'],
        summary: "An account's entries, newest first",
        params: IdParamsSchema,
        querystring: PagingQuerySchema,
        response: { 200: page(EntrySchema), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const result = await findEntries(dbOf(req), actor, req.params.id, req.query);
      return { ...result, items: result.items.map((e) => presentEntry(actor, e)) };
    },
  );

  app.post(
    '/api/timebank/postings',
    {
      config: { permission: 'timebank.write' },
      schema: {
        tags: ['timebank'],
        summary: 'Post an earn, grant, spend, transfer or correction (header Idempotency-Key required)',
        description: [
          'Header `Idempotency-Key` (required, 1–200 printable ASCII characters): the same key with the same body',
          'answers the first posting again (201, header `idempotent-replayed: true`); with another body, 409.',
          'earn: confirmed hours × credits per hour from the unit issuing account to a person account (caps apply);',
          'grant: credits from the issuing account to a unit pool; spend: person or pool → catalogue; transfer:',
          'pool → person, or person → person when the deployment allows; correction: reverses a posting once.',
          'The debited account must hold the amount: otherwise 409 insufficient_credits and nothing is written.',
        ].join(' '),
        body: PostingBodySchema,
        response: { 201: PostingSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const key = parseIdempotencyKey(req.headers['idempotency-key']);
      if (!key)
        throw new AppError('validation_failed', {
          message: 'the Idempotency-Key header is required',
          details: [{ path: 'Idempotency-Key', code: 'required', message: 'send a new random key per posting' }],
        });
      const result = await inTransaction(req, (tx) => postOperation({ db: tx, actor: actorOf(req), key, input: req.body }));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(presentPosting(result.posting));
    },
  );

  app.get(
    '/api/timebank/settings',
    {
      config: { permission: 'timebank.read' },
      schema: {
        tags: ['timebank'],
        summary: 'Deployment settings: credits per hour, earn caps, transfers between persons',
        response: { 200: TimebankSettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await getSettings(dbOf(req))),
  );

  app.put(
    '/api/timebank/settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags: ['timebank'],
        summary: 'Change the time-bank settings (amounts in credits; null cap = no cap)',
        body: UpdateSettingsBodySchema,
        response: { 200: TimebankSettingsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const settings = await inTransaction(req, (tx) =>
        updateSettings({
          db: tx,
          actor: actorOf(req),
          input: {
            version: b.version,
            creditsPerHour: toHundredths(b.creditsPerHour),
            yearlyEarnCap: b.yearlyEarnCap === null ? null : toHundredths(b.yearlyEarnCap),
            lifetimeEarnCap: b.lifetimeEarnCap === null ? null : toHundredths(b.lifetimeEarnCap),
            transfersAllowed: b.transfersAllowed,
          },
        }),
      );
      return presentSettings(settings);
    },
  );
}
