import type { Permission } from '@wushe/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from './actor.js';
import type { Config } from './config.js';
import type { FieldCrypto } from './crypto.js';
import type { Database, Db } from './db.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Permission a route needs; routes without one must be marked public. Deny by default. */
    permission?: Permission;
    public?: boolean;
    /** Reachable while the user still has to change their password. */
    allowDuringPasswordChange?: boolean;
    /** Any signed-in user, no permission of the matrix: for a user's own things (saved filters). */
    signedIn?: boolean;
  }
  interface FastifyInstance {
    database: Database;
    config: Config;
    fieldCrypto: FieldCrypto;
  }
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
}

/** The signed-in actor of a request; routes that are not public always have one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', { status: 401, message: 'not signed in' });
  return req.actor;
}

export function cryptoOf(req: FastifyRequest): FieldCrypto {
  return req.server.fieldCrypto;
}

export function dbOf(req: FastifyRequest): Db {
  return req.server.database.db;
}

/** Runs `fn` in one transaction: the change and its audit entry land together or not at all. */
export function inTransaction<T>(req: FastifyRequest, fn: (tx: Db) => Promise<T>): Promise<T> {
  return dbOf(req).transaction(async (tx) => fn(tx as unknown as Db));
}

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), code: z.string(), message: z.string().optional() })),
      requestId: z.string(),
    }),
  })
  .describe('Uniform error body');

export const OkSchema = z.object({ ok: z.literal(true) });

/** Common error responses declared on every route, so the OpenAPI document lists them. */
export const errorResponses = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

export const PagingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size, 1–200'),
  cursor: z.string().max(500).optional().describe('opaque cursor from the previous page'),
});

/** Opaque keyset cursor: the sort value and the id of the last row of the previous page. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === length && v.every((x) => x === null || ['string', 'number'].includes(typeof x))) return v;
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { message: 'invalid cursor', details: [{ path: 'cursor', code: 'invalid_cursor' }] });
}

export function sendFile(reply: FastifyReply, name: string, mime: string, body: Buffer) {
  return reply
    .header('content-type', mime)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(body);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
