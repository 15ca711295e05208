/**
 * The API is stateless: sessions live in the database, so a cookie issued by one server works on another
 * behind the same load balancer, and signing out on one ends the session on all.
 *
 * On PostgreSQL (TEST_DATABASE_URL) two real server processes (`main.ts`) run on one fresh database.
 * On PGlite, which one process owns, two app instances share one database instead — never skipped.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadRegions } from '../src/modules/regions/regions.service.js';
import { loadConfig } from '../src/platform/config.js';
import { seedDemo } from '../src/seed/demo.js';
import { TEST_PASSWORD, testDatabase } from './helpers.js';
import { startServerProcess } from './process.js';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of cleanups.reverse()) await f().catch(() => {});
});

/** One HTTP-ish client surface over a real server (fetch) or an in-process app (inject). */
interface Server {
  name: string;
  call(
    method: string,
    url: string,
    opts?: { cookie?: string; csrf?: string; body?: unknown },
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes, read field by field by the test
  ): Promise<{ status: number; body: any; setCookie: string }>;
}

function httpServer(name: string, base: string): Server {
  return {
    name,
    async call(method, url, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.cookie) headers.cookie = opts.cookie;
      if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${url}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, setCookie: res.headers.get('set-cookie') ?? '' };
    },
  };
}

function injectServer(name: string, app: FastifyInstance): Server {
  return {
    name,
    async call(method, url, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.cookie) headers.cookie = opts.cookie;
      if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
      const res = await app.inject({ method: method as 'GET', url, headers, payload: opts.body as object | undefined });
      return { status: res.statusCode, body: res.body ? res.json() : null, setCookie: String([res.headers['set-cookie'] ?? ''].flat()[0]) };
    },
  };
}

async function startProcess(name: string, databaseUrl: string, dataDir: string): Promise<Server> {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, WUSHE_DATA_DIR: dataDir, WUSHE_ADMIN_PASSWORD: TEST_PASSWORD });
  children.push(server.child);
  return httpServer(name, server.url);
}

/** Two servers on one database, the way this run can have them. */
async function twoServers(): Promise<[Server, Server, string]> {
  const database = await testDatabase();
  cleanups.push(() => database.close());
  await loadRegions(database.db, ['500103']);
  await seedDemo(database.db, TEST_PASSWORD);
  if (database.url) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-two-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const [a, b] = await Promise.all([startProcess('server A', database.url, dataDir), startProcess('server B', database.url, dataDir)]);
    return [a, b, 'postgres'];
  }
  const config = loadConfig({}, { dataDir: 'memory://', webDist: undefined, loginRateLimitPerMinute: 1000 });
  const appA = await buildApp(config, database);
  const appB = await buildApp(config, database);
  cleanups.push(async () => {
    await appA.close();
    await appB.close();
  });
  return [injectServer('app A', appA), injectServer('app B', appB), 'pglite'];
}

describe('two servers, one database', () => {
  it('share sessions: sign in on one, work on the other, sign out there and the first forgets it too', async () => {
    const [a, b, kind] = await twoServers();
    expect((await a.call('GET', '/api/health')).body.db).toBe(kind);

    const login = await a.call('POST', '/api/auth/login', { body: { username: 'qxg_head', password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.setCookie.split(';')[0];
    const csrf = login.body.csrfToken as string;
    expect(cookie).toMatch(/^wushe_session=/);

    const session = await b.call('GET', '/api/auth/session', { cookie });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { username: 'qxg_head' }, csrfToken: csrf });

    // A write through B with the cookie and CSRF token issued by A; A sees it.
    const list = await b.call('GET', `/api/units?q=${encodeURIComponent('兴隆街')}`, { cookie });
    const office = (await b.call('GET', `/api/units/${list.body.items[0].id}`, { cookie })).body;
    const patched = await b.call('PATCH', `/api/units/${office.id}`, {
      cookie,
      csrf,
      body: { version: office.version, openingHours: '两台服务器' },
    });
    expect(patched.status).toBe(200);
    expect((await a.call('GET', `/api/units/${office.id}`, { cookie })).body).toMatchObject({
      openingHours: '两台服务器',
      version: office.version + 1,
    });
    // The CSRF token is the session's, on every server: a forged one fails on both.
    const forged = await b.call('PATCH', `/api/units/${office.id}`, {
      cookie,
      csrf: 'forged',
      body: { version: office.version + 1, openingHours: 'x' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');

    const out = await b.call('POST', '/api/auth/logout', { cookie, csrf });
    expect(out.status).toBe(200);
    for (const s of [a, b]) {
      const after = await s.call('GET', '/api/auth/session', { cookie });
      expect(after.status, s.name).toBe(401);
      expect(after.body.error.code).toBe('unauthenticated');
      expect((await s.call('GET', '/api/units', { cookie })).status, s.name).toBe(401);
    }
  }, 180_000);
});
