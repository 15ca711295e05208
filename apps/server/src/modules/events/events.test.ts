/**
 * /api/events over a real listening server (fetch + a stream reader, not inject): notifications arrive
 * live, only for their user or scope, only once committed; across two app instances on one database; the
 * stream ends with the session and with the app.
 */
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../platform/config.js';
import { type Database, openDatabase, queryOne, sql } from '../../platform/db.js';
import { publish } from '../../platform/events.js';
import { notify } from '../notifications/notifications.service.js';

interface SseEvent {
  type: string;
  data: Record<string, unknown>;
  at: number;
}

interface Stream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  retry: number | null;
  ended: Promise<void>;
  isEnded(): boolean;
  waitFor(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}

let ctx: TestContext;
let base: string;
const streams: Stream[] = [];

/**
 * Opens /api/events as a browser would and parses what arrives; resolves once the stream says it is connected.
 * node:http without an agent, not fetch: after an abort undici opens a spare connection that holds the
 * server's close() up until the headers timeout.
 */
async function openStream(baseUrl: string, cookie: string): Promise<Stream> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/events`, { agent: false, headers: { cookie, accept: 'text/event-stream' } }, resolve);
    req.on('error', reject);
  });
  const s: Stream = {
    status: res.statusCode ?? 0,
    headers: new Headers(res.headers as Record<string, string>),
    events: [],
    comments: [],
    retry: null,
    ended: Promise.resolve(),
    isEnded: () => done,
    waitFor: (pred, ms = 2000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const hit = s.events.find(pred);
          if (hit) return resolve(hit);
          if (Date.now() - started > ms) return reject(new Error(`no matching event within ${ms} ms: ${JSON.stringify(s.events)}`));
          setTimeout(tick, 10);
        };
        tick();
      }),
    close: () => res.destroy(),
  };
  let done = false;
  let connected: () => void = () => {};
  const connectedP = new Promise<void>((r) => (connected = r));
  res.setEncoding('utf8');
  s.ended = (async () => {
    let buf = '';
    try {
      for await (const chunk of res) {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              s.comments.push(line.slice(1).trim());
              if (line.includes('connected')) connected();
            } else if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
            else if (line.startsWith('retry: ')) s.retry = Number(line.slice(7));
          }
          if (data) s.events.push({ type, data: JSON.parse(data), at: Date.now() });
        }
      }
    } catch {
      // destroyed by close()
    } finally {
      done = true;
      connected();
    }
  })();
  streams.push(s);
  if (s.status === 200) await connectedP;
  return s;
}

async function userId(username: string): Promise<string> {
  const row = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = ${username}`);
  if (!row) throw new Error(username);
  return row.id;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

const within = (ms: number, p: Promise<unknown>) =>
  Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

beforeAll(async () => {
  ctx = await testApp({ config: { eventsHeartbeatSeconds: 0.3, eventsSessionCheckSeconds: 0.2 } });
  base = await listen(ctx.app);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await ctx?.close();
});

describe('/api/events', () => {
  it('refuses anonymous callers with 401 and the uniform error body, and non-stream clients with 406', async () => {
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/events', headers: { accept: 'text/event-stream' } });
    expect(anon.statusCode).toBe(401);
    expect(errorOf(anon).code).toBe('unauthenticated');
    const viaFetch = await fetch(`${base}/api/events`, { headers: { accept: 'text/event-stream' } });
    expect(viaFetch.status).toBe(401);
    expect((await viaFetch.json()).error.code).toBe('unauthenticated');
    const c = await signIn(ctx.app, 'jfb_sw');
    const plain = await c.get('/api/events');
    expect(plain.statusCode).toBe(406);
    expect(errorOf(plain).code).toBe('not_acceptable');
    // HEAD answers the headers and ends (no stream held open)
    const head = await within(3000, c.request({ method: 'HEAD', url: '/api/events', headers: { accept: 'text/event-stream' } }));
    expect((head as { statusCode: number }).statusCode).toBe(200);
    expect(ctx.app.events.subscribers).toBe(0);
  });

  it('streams with the right headers, a retry hint and heartbeats', async () => {
    const c = await signIn(ctx.app, 'jfb_sw');
    const s = await openStream(base, c.cookie);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toContain('text/event-stream');
    expect(s.headers.get('cache-control')).toContain('no-cache');
    expect(s.headers.get('content-encoding')).toBeNull();
    expect(s.headers.get('x-content-type-options')).toBe('nosniff'); // helmet still applies
    expect(s.retry).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 800));
    expect(s.comments.filter((x) => x === 'ping').length).toBeGreaterThanOrEqual(2);
    s.close();
  });

  it("delivers a user's notification within a second of notify(), to them only", async () => {
    const jfb = await openStream(base, (await signIn(ctx.app, 'jfb_sw')).cookie);
    const jfbHead = await openStream(base, (await signIn(ctx.app, 'jfb_head')).cookie);
    const qxg = await openStream(base, (await signIn(ctx.app, 'qxg_sw')).cookie);
    const sent = Date.now();
    expect(await notify(ctx.db, { userIds: [await userId('jfb_sw')], kind: 'test_live', title: '解放碑 live test' })).toBe(1);
    const e = await jfb.waitFor((x) => x.type === 'notification.created', 1000);
    expect(e.at - sent).toBeLessThan(1000);
    const row = await queryOne<{ id: string }>(ctx.db, sql`select id from notifications where kind = 'test_live'`);
    expect(e.data).toMatchObject({ id: row?.id, kind: 'test_live', title: '解放碑 live test' });
    // Then one for the 七星岗 worker: once it has arrived, the earlier one would have too, had it leaked.
    await notify(ctx.db, { userIds: [await userId('qxg_sw')], kind: 'test_live_qxg', title: '七星岗 live test' });
    await qxg.waitFor((x) => x.data.kind === 'test_live_qxg', 1000);
    expect(qxg.events.map((x) => x.data.kind)).toEqual(['test_live_qxg']);
    expect(jfbHead.events).toEqual([]); // the same street, but addressed to another user
    expect(jfb.events.map((x) => x.data.kind)).toEqual(['test_live']);
    for (const s of [jfb, jfbHead, qxg]) s.close();
  });

  it('delivers unit events to users whose scope holds the unit, not to the other street', async () => {
    const office = await queryOne<{ path: string }>(ctx.db, sql`select u.unit_path::text as path from users u where u.username = 'qxg_cw'`);
    const cw = await openStream(base, (await signIn(ctx.app, 'qxg_cw')).cookie);
    const head = await openStream(base, (await signIn(ctx.app, 'qxg_head')).cookie);
    const other = await openStream(base, (await signIn(ctx.app, 'jfb_head')).cookie);
    await publish(ctx.db, { channel: 'board', unitPath: office?.path, type: 'board.changed', data: { id: 'x1' } });
    await publish(ctx.db, { channel: 'board', userIds: [await userId('jfb_head')], type: 'board.changed', data: { id: 'x2' } });
    await cw.waitFor((x) => x.data.id === 'x1');
    await head.waitFor((x) => x.data.id === 'x1');
    await other.waitFor((x) => x.data.id === 'x2');
    expect(other.events.map((x) => x.data.id)).toEqual(['x2']);
    expect(cw.events.map((x) => x.data.id)).toEqual(['x1']);
    for (const s of [cw, head, other]) s.close();
  });

  it('never delivers the event of a rolled-back transaction', async () => {
    const s = await openStream(base, (await signIn(ctx.app, 'jfb_sw')).cookie);
    const id = await userId('jfb_sw');
    await expect(
      ctx.db.transaction(async (tx) => {
        await notify(tx as never, { userIds: [id], kind: 'test_rolled_back', title: 'never' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await ctx.db.transaction(async (tx) => {
      await notify(tx as never, { userIds: [id], kind: 'test_committed', title: 'kept' });
    });
    await s.waitFor((x) => x.data.kind === 'test_committed', 1000);
    expect(s.events.map((x) => x.data.kind)).toEqual(['test_committed']);
    s.close();
  });

  it('ends the stream when the session ends', async () => {
    const c = await signIn(ctx.app, 'qxg_head');
    const s = await openStream(base, c.cookie);
    expect(s.isEnded()).toBe(false);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    await within(2000, s.ended);
    expect(s.isEnded()).toBe(true);
  });

  it('reaches a stream of another app instance on the same database, and app.close() ends open streams', async () => {
    // On PostgreSQL the second instance has a pool and a LISTEN connection of its own, as a second server would.
    const url = (ctx.database as Database & { url?: string }).url;
    const db2 = url ? await openDatabase({ databaseUrl: url }) : ctx.database;
    const app2 = await buildApp(
      loadConfig({}, { dataDir: 'memory://', webDist: undefined, eventsHeartbeatSeconds: 0.3, eventsSessionCheckSeconds: 0.2 }),
      db2,
    );
    try {
      const base2 = await listen(app2);
      const s = await openStream(base2, (await signIn(ctx.app, 'jfb_sw')).cookie);
      const other = await openStream(base2, (await signIn(ctx.app, 'qxg_sw')).cookie);
      const sent = Date.now();
      await notify(ctx.db, { userIds: [await userId('jfb_sw')], kind: 'test_cross', title: 'across instances' });
      const e = await s.waitFor((x) => x.data.kind === 'test_cross', 1000);
      expect(e.at - sent).toBeLessThan(1000);
      expect(e.data.title).toBe('across instances');
      await notify(ctx.db, { userIds: [await userId('qxg_sw')], kind: 'test_cross_qxg', title: 'for 七星岗' });
      await other.waitFor((x) => x.data.kind === 'test_cross_qxg', 1000);
      expect(other.events.map((x) => x.data.kind)).toEqual(['test_cross_qxg']);
      if (url) {
        // PostgreSQL only (PGlite has no connection to lose): the LISTEN connection is killed; app2 reconnects,
        // tells its streams to resync, and events flow again.
        await ctx.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'wushe-events' and datname = current_database()`,
        );
        await s.waitFor((x) => x.type === 'resync', 5000);
        await notify(ctx.db, { userIds: [await userId('jfb_sw')], kind: 'test_after_reconnect', title: 'after reconnect' });
        await s.waitFor((x) => x.data.kind === 'test_after_reconnect', 2000);
      }
      await within(3000, app2.close());
      await within(1000, Promise.all([s.ended, other.ended]));
    } finally {
      await app2.close();
      if (db2 !== ctx.database) await db2.close();
    }
  });
});
