import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, dbOf, errorResponses } from '../../platform/http.js';
import { auditCursorIn, presentAuditPage } from './audit.presenter.js';
import { AuditListSchema, AuditQuerySchema } from './audit.schemas.js';
import { findAuditEntries } from './audit.service.js';

export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log of your part of the network, newest first (read-only: there is no write endpoint)',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { cursor, ...f } = req.query;
      return presentAuditPage(await findAuditEntries(dbOf(req), actorOf(req), { ...f, before: auditCursorIn(cursor) }));
    },
  );
}
