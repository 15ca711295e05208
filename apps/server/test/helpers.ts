import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadRegions } from '../src/modules/regions/regions.service.js';
import { type Config, loadConfig } from '../src/platform/config.js';
import { type Database, type Db, openDatabase } from '../src/platform/db.js';
import { seedDemo } from '../src/seed/demo.js';

export const TEST_PASSWORD = 'Test#Passw0rd';

/**
 * A fresh database for one test file: in-memory PGlite, or — when TEST_DATABASE_URL is set — a new
 * database created on that PostgreSQL server and dropped at close.
 */
export async function testDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    return database;
  }
  const name = `wushe_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  db: Db;
  close(): Promise<void>;
}

/**
 * Regions of 渝中区 (with 重庆市 above it) and the demo street, then the app on top. `config` overrides
 * the test configuration (e.g. a low `loginRateLimitPerMinute`).
 */
export async function testApp(opts: { seed?: boolean; regions?: string[]; config?: Partial<Config> } = {}): Promise<TestContext> {
  const database = await testDatabase();
  await loadRegions(database.db, opts.regions ?? ['500103']);
  if (opts.seed !== false) await seedDemo(database.db, TEST_PASSWORD);
  const config = loadConfig({}, { dataDir: 'memory://', webDist: undefined, loginRateLimitPerMinute: 1000, ...opts.config });
  const app = await buildApp(config, database);
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A signed-in client: injects requests with the session cookie and the CSRF header. */
export interface Client {
  username: string;
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : String(setCookie);
  const cookie = raw.split(';')[0];
  const csrf = res.json().csrfToken as string;
  const request = (o: InjectOptions) =>
    app.inject({ ...o, headers: { cookie, 'x-csrf-token': csrf, ...(o.headers ?? {}) } }) as Promise<LightMyRequestResponse>;
  return {
    username,
    cookie,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    del: (url) => request({ method: 'DELETE', url }),
  };
}

/** Asserts the uniform error body and returns it. */
export function errorOf(res: LightMyRequestResponse): {
  code: string;
  message: string;
  details: { path: string; code: string }[];
  requestId: string;
} {
  const body = res.json();
  if (
    !body?.error ||
    typeof body.error.code !== 'string' ||
    typeof body.error.requestId !== 'string' ||
    !Array.isArray(body.error.details)
  ) {
    throw new Error(`not the uniform error body: ${res.body}`);
  }
  return body.error;
}
