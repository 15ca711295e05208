import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Actor, can } from '../../platform/actor.js';
import { queryOne, sql } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type BusEvent, EventBus, eventView } from '../../platform/events.js';
import { actorOf, dbOf, ErrorBodySchema, errorResponses } from '../../platform/http.js';

declare module 'fastify' {
  interface FastifyInstance {
    events: EventBus;
  }
}

/** The reconnection delay a browser's EventSource is told to use. */
const RETRY_MS = 3000;
/** A client that reads slower than events come is cut off (it reconnects and refetches). */
const MAX_BUFFERED = 1024 * 1024;

/** True while the session behind a stream still stands for the same user, role and scope. */
async function sessionStillValid(fastify: FastifyInstance, actor: Actor): Promise<boolean> {
  if (!actor.sessionId) return false;
  // Read only: an open stream must not keep an idle session alive (resolveSession would slide it).
  const row = await queryOne<{ idle_ms: number; status: string; role: string; unit_path: string | null; must_change_password: number }>(
    fastify.database.db,
    sql`select extract(epoch from (now() - s.last_seen_at)) * 1000 as idle_ms, u.status, u.role, u.unit_path::text as unit_path,
               u.must_change_password
        from sessions s join users u on u.id = s.user_id where s.id = ${actor.sessionId}`,
  );
  if (!row) return false;
  if (row.status !== 'active' || Number(row.must_change_password) === 1) return false;
  if (Number(row.idle_ms) > fastify.config.sessionIdleMinutes * 60_000) return false;
  const scopePath = row.role === 'system_admin' && !row.unit_path ? null : (row.unit_path ?? '__none__');
  return row.role === actor.role && scopePath === actor.scopePath;
}

export async function eventsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/events',
    {
      config: { signedIn: true },
      schema: {
        tags: ['platform'],
        summary: 'Live events for you (server-sent events)',
        description:
          'A text/event-stream of the events addressed to you or to a unit in your scope (e.g. `notification.created` with ' +
          '`{ id, kind, title, createdAt }`). Send `Accept: text/event-stream` (EventSource does); other clients get 406. ' +
          'A comment line every 25 s keeps it open; it ends when your session ends, and a `resync` event tells you to refetch.',
        response: { 406: ErrorBodySchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // The route only ever streams: a client that does not ask for a stream (a probe, a script) gets a
      // quick uniform error instead of a response that never ends.
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
        throw new AppError('not_acceptable', { status: 406, message: 'this route streams text/event-stream only' });
      }
      const db = dbOf(req);
      const stream = new PassThrough();
      let ended = false;
      let chain = Promise.resolve();
      const write = (text: string) => {
        if (ended) return;
        stream.write(text);
        if (stream.writableLength > MAX_BUFFERED) end();
      };
      const send = (type: string, data: unknown) => write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      const deliver = async (e: BusEvent) => {
        const view = eventView(e.type);
        const data = view ? await view(db, actor, e.data) : e.data;
        if (data) send(e.type, data);
      };
      const unsubscribe = app.events.subscribe(
        { userId: actor.userId, scopePath: actor.scopePath, can: (p) => can(actor, p) },
        {
          event: (e) => {
            chain = chain.then(() => deliver(e)).catch((err) => req.log.warn({ err }, 'event not delivered'));
          },
          resync: () => send('resync', {}),
          closed: () => end(),
        },
      );
      const heartbeat = setInterval(() => write(': ping\n\n'), app.config.eventsHeartbeatSeconds * 1000);
      const sessionCheck = setInterval(() => {
        sessionStillValid(app, actor).then(
          (ok) => !ok && end(),
          () => {}, // the database is away for a moment: keep the stream, check again later
        );
      }, app.config.eventsSessionCheckSeconds * 1000);
      heartbeat.unref();
      sessionCheck.unref();
      function end() {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearInterval(sessionCheck);
        unsubscribe();
        stream.end();
        // The connection served only this stream: drop it once the last bytes are out, so that a half-closed
        // or keep-alive socket never holds app.close() (and a shutdown) up.
        const socket = reply.raw.socket;
        const drop = () => socket?.destroy();
        if (reply.raw.writableFinished || reply.raw.destroyed || !reply.raw.headersSent) setImmediate(drop);
        else reply.raw.once('finish', drop);
        setTimeout(drop, 2000).unref();
      }
      reply.raw.on('close', () => end());

      // Start streaming once the bus listens, so that nothing published after the first line is missed.
      await Promise.race([app.events.ready().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
      write(`retry: ${RETRY_MS}\n: connected\n\n`);
      // A stream is sent as it is (no serializer); the typed reply only knows the JSON answers.
      return (reply as unknown as FastifyReply)
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}

/** The app's event bus, closed (ending every open stream) before the server stops. */
export function registerEventBus(app: FastifyInstance) {
  app.decorate('events', new EventBus(app.database, (m) => app.log.warn(m)));
  app.addHook('preClose', async () => app.events.close());
}
