/** Thin fetch wrapper for the Wushe API: cookies, JSON, CSRF header, uniform errors. */

export interface ApiErrorDetail {
  path: string;
  code: string;
  message?: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: ApiErrorDetail[];
  requestId?: string;
}

/** An error answered by the server (or a network failure, code `network_error`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  readonly requestId?: string;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message || body.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details ?? [];
    this.requestId = body.requestId;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
  /** Set by lists that count only up to a cap (the ledger: 10,000): `total` is then a lower bound. */
  totalCapped?: boolean;
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;
let onPasswordChangeRequired: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Hooks the auth layer installs: a 401 sends the user back to sign-in, a forced password change to its screen. */
export function setAuthHandlers(handlers: { unauthenticated: () => void; passwordChangeRequired: () => void }): void {
  onUnauthenticated = handlers.unauthenticated;
  onPasswordChangeRequired = handlers.passwordChangeRequired;
}

type QueryValue = string | number | boolean | null | undefined;

export function withQuery(path: string, query?: Record<string, QueryValue | QueryValue[]>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) if (v !== undefined && v !== null && v !== '') params.append(key, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  /** Do not run the global 401 handler (session probe, sign-in). */
  quiet401?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'include', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', message: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) {
    let errBody: ApiErrorBody = { code: `http_${res.status}`, message: res.statusText };
    try {
      const json = (await res.json()) as { error?: ApiErrorBody };
      if (json?.error?.code) errBody = json.error;
    } catch {
      // not JSON (proxy error page): keep the status text
    }
    const err = new ApiError(res.status, errBody);
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    if (res.status === 403 && err.code === 'password_change_required') onPasswordChangeRequired?.();
    throw err;
  }
  return res;
}

/** JSON request; resolves with the parsed body. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetch a file (xlsx export, template) and hand it to the browser as a download. */
export async function download(path: string, query?: RequestOptions['query'], fallbackName = 'download.xlsx'): Promise<void> {
  const res = await send(path, { query });
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
