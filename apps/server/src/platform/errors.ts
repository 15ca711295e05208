/** One detail of a failed validation: where and which rule. */
export interface ErrorDetail {
  path: string;
  code: string;
  message?: string;
}

const DEFAULT_STATUS: Record<string, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale_version: 409,
  too_large: 413,
  rate_limited: 429,
};

/**
 * The one error type services throw. The error handler renders it as
 * `{ error: { code, message, details, requestId } }` with its status.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetail[];

  constructor(code: string, opts: { status?: number; message?: string; details?: ErrorDetail[] } = {}) {
    super(opts.message ?? code.replace(/_/g, ' '));
    this.code = code;
    this.status = opts.status ?? DEFAULT_STATUS[code] ?? (code.endsWith('_not_found') ? 404 : 400);
    this.details = opts.details ?? [];
  }
}

export function notFound(what: string): AppError {
  return new AppError(`${what}_not_found`, { status: 404, message: `${what.replace(/_/g, ' ')} not found` });
}

export function invalid(path: string, code: string, message: string): AppError {
  return new AppError('validation_failed', { status: 400, message, details: [{ path, code, message }] });
}

/** 409 stale_version: the record was changed since the caller read it (optimistic locking). */
export function stale(what: string): AppError {
  const were = what.endsWith('s') ? 'were' : 'was';
  return new AppError('stale_version', { status: 409, message: `the ${what} ${were} changed by someone else; reload and try again` });
}
