import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from './errors.js';

function body(code: string, message: string, details: ErrorDetail[], requestId: string) {
  return { error: { code, message, details, requestId } };
}

/** PostgreSQL's class 22 "data exception" (invalid text for a uuid or timestamp, out of range, …), wrapped by drizzle or not. */
function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return [e?.code, e?.cause?.code].some((c) => typeof c === 'string' && /^22[0-9A-Z]{3}$/.test(c));
}

/**
 * Errors the router raises before any route or hook runs (a malformed URL, a path parameter over the
 * length limit): Fastify's own body for them is not ours and echoes the URL, so they get the uniform one.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'invalid URL';
  reply.status(status).send(body(status === 414 ? 'uri_too_long' : 'bad_request', message, [], req.id));
}

/** One error handler: uniform body, every validation issue listed, 5xx messages never shown. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send(body(err.code, err.message, err.details, req.id));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        return {
          path: path || where,
          code: String((v.params as { issue?: { code?: string } } | undefined)?.issue?.code ?? v.keyword ?? 'invalid'),
          message: v.message ?? 'invalid',
        };
      });
      return reply.status(400).send(body('validation_failed', `invalid ${where}`, details, req.id));
    }
    if (isDataException(err)) {
      // A value that passed the schema but not PostgreSQL (a hand-made paging cursor, …): bad input, not a crash.
      req.log.warn({ err }, 'database refused a value');
      return reply.status(400).send(body('validation_failed', 'invalid value', [], req.id));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return reply.status(500).send(body('internal_error', 'internal error', [], req.id));
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      return reply.status(500).send(body('internal_error', 'internal error', [], req.id));
    }
    const code =
      status === 413
        ? 'too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 429
            ? 'rate_limited'
            : status === 404
              ? 'not_found'
              : 'bad_request';
    // Fastify's own 4xx (bad JSON, wrong content type, body too large): its message is safe to show.
    return reply.status(status).send(body(code, err.message, [], req.id));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(body('not_found', `no route ${req.method} ${req.url.split('?')[0]}`, [], req.id));
  });
}
