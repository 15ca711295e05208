import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from './errors.js';

function body(code: string, message: string, details: ErrorDetail[], requestId: string) {
  return { error: { code, message, details, requestId } };
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
