import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, OkSchema, PagingQuerySchema } from '../../platform/http.js';
import { findNotifications, markRead } from './notifications.service.js';

const NotificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

export async function notificationsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  app.get(
    '/api/notifications',
    {
      config: { permission: 'notifications.read' },
      schema: {
        tags,
        summary: 'Your notifications, newest first',
        querystring: PagingQuerySchema.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: {
          200: z.object({ items: z.array(NotificationSchema), nextCursor: z.string().nullable(), unread: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findNotifications(dbOf(req), actorOf(req), { ...req.query, unread: req.query.unread === 'true' });
      return {
        ...page,
        items: page.items.map((n) => ({
          ...n,
          readAt: n.readAt ? new Date(n.readAt).toISOString() : null,
          createdAt: new Date(n.createdAt).toISOString(),
        })),
      };
    },
  );
  app.post(
    '/api/notifications/:id/read',
    {
      config: { permission: 'notifications.read' },
      schema: {
        tags,
        summary: 'Mark one notification read (or all, with id "all")',
        params: z.object({ id: z.union([z.uuid(), z.literal('all')]) }),
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await markRead(dbOf(req), actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}
