import type { FastifyInstance } from 'fastify';

/** A JSON schema as the OpenAPI document carries it (only what the tests look at). */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

export interface ApiRoute {
  method: string;
  /** Fastify style: /api/users/:id */
  path: string;
  pathParams: string[];
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body?: { contentType: string; schema: JsonSchema };
  public: boolean;
}

export const MUTATING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Every operation of the OpenAPI document the app serves, with its parameters and body schema. */
export async function documentedRoutes(app: FastifyInstance): Promise<ApiRoute[]> {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`openapi.json: ${res.statusCode}`);
  const doc = res.json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          security?: unknown[];
        }
      >
    >;
  };
  const routes: ApiRoute[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      routes.push({
        method: method.toUpperCase(),
        path: p.replace(/\{(\w+)\}/g, ':$1'),
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
        query: params.filter((x) => x.in === 'query').map((x) => ({ name: x.name, required: !!x.required, schema: x.schema ?? {} })),
        body: contentType ? { contentType, schema: content[contentType].schema } : undefined,
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return routes;
}

/**
 * Every route the router knows (hidden ones too), read from `printRoutes`: method and path, HEAD left out.
 * Used to make sure no route escapes the OpenAPI document, and so the tests built on it.
 */
export function registeredRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = Math.round(m[1].length / 4);
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') out.push({ method, path });
    }
  }
  return out;
}

/** Fills the path parameters of a route. */
export function fillPath(path: string, value: (name: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(value(name)));
}
