import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ROLE_PERMISSIONS } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { activitiesRoutes } from './modules/activities/activities.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { resolveSession } from './modules/auth/auth.service.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { clientsImportRoutes } from './modules/clients/clients.import.routes.js';
import { clientsRoutes } from './modules/clients/clients.routes.js';
import { duplicatesRoutes } from './modules/clients/duplicates.routes.js';
import { householdsRoutes } from './modules/clients/households.routes.js';
import { dailyReportsRoutes } from './modules/daily-reports/daily-reports.routes.js';
import { errandsRoutes } from './modules/errands/errands.routes.js';
import { eventsRoutes, registerEventBus } from './modules/events/events.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { ImportRunner } from './modules/imports/imports.service.js';
import { needsRoutes } from './modules/needs/needs.routes.js';
import { networkImportRoutes } from './modules/network/network.import.routes.js';
import { networkRoutes } from './modules/network/network.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { problemReportsRoutes } from './modules/problem-reports/problem-reports.routes.js';
import { referralsRoutes } from './modules/referrals/referrals.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { savedFiltersRoutes } from './modules/saved-filters/saved-filters.routes.js';
import { settingsRoutes } from './modules/settings/settings.routes.js';
import { ticketsRoutes } from './modules/tickets/tickets.routes.js';
import { timebankRoutes } from './modules/timebank/timebank.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { visitsRoutes } from './modules/visits/visits.routes.js';
import { volunteersRoutes } from './modules/volunteers/volunteers.routes.js';
import type { Config } from './platform/config.js';
import { createFieldCrypto, loadDataKey } from './platform/crypto.js';
import type { Database } from './platform/db.js';
import { AppError } from './platform/errors.js';
import { frameworkErrors, registerErrorHandling } from './platform/errors-handler.js';
import './platform/http.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the whole HTTP application on an open database: used by main.ts and by the tests. */
export async function buildApp(
  config: Config,
  database: Database,
  /** importLog: where background imports write their progress lines (main.ts: stdout). */
  opts: { logger?: boolean; importLog?: (msg: string) => void } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: config.logLevel } : false,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
    frameworkErrors,
  });
  app.decorate('database', database);
  app.decorate('config', config);
  app.decorate('fieldCrypto', createFieldCrypto(loadDataKey({ envKey: config.dataKey, dataDir: config.dataDir })));
  app.decorate('importRunner', new ImportRunner(database, app.fieldCrypto, opts.importLog, config.importStaleSeconds));
  app.addHook('onClose', async () => app.importRunner.stop());
  registerEventBus(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  // Security headers; the console's CSS-in-JS (antd) needs inline styles, scripts stay same-origin.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: config.secureCookies,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Wushe API', description: 'Community social-work service network (五社联动)', version: config.version },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: true },
    staticCSP:
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'",
  });

  // Authentication, CSRF and permission, in that order, before any body is parsed. Deny by default.
  app.addHook('onRequest', async (req) => {
    const url = req.url;
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    const cfg = req.routeOptions.config;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const row = await resolveSession(app.database.db, token, config);
      if (row) {
        req.actor = {
          userId: row.id,
          username: row.username,
          displayName: row.display_name,
          role: row.role,
          unitId: row.unit_id,
          scopePath: row.role === 'system_admin' && !row.unit_path ? null : (row.unit_path ?? '__none__'),
          ip: req.ip,
          userAgent: req.headers['user-agent']?.slice(0, 500),
          sessionId: row.session_id,
        };
        req.csrfToken = row.csrf_token;
        if (row.must_change_password && !cfg.allowDuringPasswordChange && !cfg.public) {
          throw new AppError('password_change_required', { status: 403, message: 'change your password first' });
        }
      }
    }
    if (cfg.public) return;
    if (!req.routeOptions.url) return; // unknown route: the not-found handler answers
    if (!req.actor) throw new AppError('unauthenticated', { status: 401, message: 'not signed in' });
    if (MUTATING.has(req.method) && req.headers['x-csrf-token'] !== req.csrfToken) {
      throw new AppError('csrf_failed', { status: 403, message: 'missing or wrong x-csrf-token header' });
    }
    if (!cfg.permission) {
      if (cfg.allowDuringPasswordChange) return; // own-session routes: signed in is enough
      if (cfg.signedIn) return; // a user's own things (saved filters): signed in is enough
      req.log.error({ url: req.routeOptions.url }, 'route declares no permission');
      throw new AppError('forbidden', { status: 403, message: 'forbidden' });
    }
    if (!ROLE_PERMISSIONS[req.actor.role]?.includes(cfg.permission)) {
      throw new AppError('forbidden', { status: 403, message: `your role may not do this (${cfg.permission})` });
    }
  });

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['platform'], summary: 'Liveness and database kind' },
    },
    async () => {
      await app.database.db.execute(sql`select 1`);
      return { status: 'ok', db: database.kind, version: config.version };
    },
  );

  await app.register(authRoutes);
  await app.register(usersRoutes);
  await app.register(regionsRoutes);
  await app.register(networkRoutes);
  await app.register(networkImportRoutes);
  await app.register(clientsRoutes);
  await app.register(clientsImportRoutes);
  await app.register(importsRoutes);
  await app.register(visitsRoutes);
  await app.register(needsRoutes);
  await app.register(dailyReportsRoutes);
  await app.register(householdsRoutes);
  await app.register(duplicatesRoutes);
  await app.register(notificationsRoutes);
  await app.register(eventsRoutes);
  await app.register(savedFiltersRoutes);
  await app.register(settingsRoutes);
  await app.register(timebankRoutes);
  await app.register(volunteersRoutes);
  await app.register(activitiesRoutes);
  await app.register(ticketsRoutes);
  await app.register(casesRoutes);
  await app.register(referralsRoutes);
  await app.register(errandsRoutes);
  await app.register(problemReportsRoutes);
  await app.register(auditRoutes);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  // The built console, with client-side routing falling back to index.html.
  const webDist = config.webDist;
  if (webDist && fs.existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
    // Read per request (it is small): a rebuilt console is served without restarting the server.
    const indexHtml = () => fs.readFileSync(path.join(webDist, 'index.html'));
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) throw new AppError('not_found', { status: 404, message: 'no such route' });
      const file = path.join(webDist, decodeURIComponent(req.url.split('?')[0]));
      if (file.startsWith(webDist) && fs.existsSync(file) && fs.statSync(file).isFile())
        return reply.sendFile(path.relative(webDist, file));
      return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml());
    });
  }
  return app;
}
