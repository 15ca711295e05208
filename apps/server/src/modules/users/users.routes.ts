import { PERMISSION_LABELS, ROLE_LABELS, ROLE_PERMISSIONS } from '@wushe/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, OkSchema } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentUser } from './users.presenter.js';
import {
  CreateUserBodySchema,
  ResetPasswordBodySchema,
  RolesResponseSchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserSchema,
} from './users.schemas.js';
import { createUser, findUsers, getUser, resetPassword, updateUser } from './users.service.js';

export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  app.get(
    '/api/roles',
    {
      config: { permission: 'network.read' },
      schema: { tags, summary: 'Roles and the permission matrix', response: { 200: RolesResponseSchema, ...errorResponses } },
    },
    async () => ({
      roles: ROLE_LABELS.map((r) => ({ ...r, permissions: [...ROLE_PERMISSIONS[r.value]] })),
      permissions: PERMISSION_LABELS,
    }),
  );

  app.get(
    '/api/users',
    {
      config: { permission: 'users.read' },
      schema: {
        tags,
        summary: 'Users of your part of the network',
        querystring: UserListQuerySchema,
        response: {
          200: z.object({ items: z.array(UserSchema), nextCursor: z.string().nullable(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findUsers(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map(presentUser) };
    },
  );

  app.get(
    '/api/users/:id',
    {
      config: { permission: 'users.read' },
      schema: { tags, summary: 'One user', params: IdParamsSchema, response: { 200: UserSchema, ...errorResponses } },
    },
    async (req) => presentUser(await getUser(dbOf(req), actorOf(req), req.params.id)),
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'users.write' },
      schema: { tags, summary: 'Create a user', body: CreateUserBodySchema, response: { 201: UserSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const user = await inTransaction(req, (tx) => createUser({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { permission: 'users.write' },
      schema: {
        tags,
        summary: 'Change a user (role, unit, status, name)',
        params: IdParamsSchema,
        body: UpdateUserBodySchema,
        response: { 200: UserSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentUser(await inTransaction(req, (tx) => updateUser({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body }))),
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      config: { permission: 'users.write' },
      schema: {
        tags,
        summary: 'Set a new password; the user must change it at next sign-in',
        params: IdParamsSchema,
        body: ResetPasswordBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => resetPassword({ db: tx, actor: actorOf(req), id: req.params.id, password: req.body.password }));
      return { ok: true as const };
    },
  );
}
