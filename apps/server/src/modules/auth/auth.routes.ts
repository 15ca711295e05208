import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../platform/errors.js';
import { actorOf, dbOf, errorResponses, OkSchema } from '../../platform/http.js';
import { presentMe } from './auth.presenter.js';
import { ChangePasswordBodySchema, LoginBodySchema, SessionResponseSchema } from './auth.schemas.js';
import { changeOwnPassword, resolveSession, signIn, signOut } from './auth.service.js';

export const SESSION_COOKIE = 'wushe_session';

export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = app.config;
  const cookieOptions = (reply: FastifyReply) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.secureCookies,
    signed: false,
    reply,
  });

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with user name and password',
        body: LoginBodySchema,
        response: { 200: SessionResponseSchema, ...errorResponses, 429: errorResponses[400] },
        security: [],
      },
    },
    async (req, reply) => {
      const db = dbOf(req);
      const { token, csrfToken } = await signIn({
        db,
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent']?.slice(0, 500),
        policy: config,
      });
      const row = await resolveSession(db, token, config);
      if (!row) throw new AppError('unauthenticated', { status: 401, message: 'session could not be created' });
      const { reply: _r, ...opts } = cookieOptions(reply);
      reply.setCookie(SESSION_COOKIE, token, opts);
      return { user: presentMe(row), csrfToken };
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token',
        response: { 200: SessionResponseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const token = req.cookies[SESSION_COOKIE] ?? '';
      const row = await resolveSession(dbOf(req), token, config);
      if (!row) throw new AppError('unauthenticated', { status: 401, message: 'not signed in' });
      return { user: presentMe(row), csrfToken: row.csrf_token };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { allowDuringPasswordChange: true },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 200: OkSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await signOut(dbOf(req), actor, actor.sessionId ?? '');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowDuringPasswordChange: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password',
        body: ChangePasswordBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await changeOwnPassword({ db: dbOf(req), actor: actorOf(req), ...req.body });
      return { ok: true as const };
    },
  );
}
