/**
 * The live-event channel: services `publish` small events (ids, never personal data) through the database
 * they write with, and the app's `EventBus` hands them to subscribers (the /api/events streams).
 *
 * Publishing is a `pg_notify` issued on the given db or transaction: PostgreSQL delivers it to every
 * listening session — of this process and of every other server on the same database — at commit, and
 * never when the transaction rolls back. PGlite speaks the same LISTEN/NOTIFY on its one connection, so
 * both databases take the same path.
 */
import type { Permission } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type { Actor } from './actor.js';
import type { Database, Db } from './db.js';
import { inScope } from './scope.js';

/** The PostgreSQL channel every event travels on. */
export const EVENTS_CHANNEL = 'wushe_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes and more; events carry ids, so this is plenty. */
const MAX_PAYLOAD = 4000;
const NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export type EventData = Record<string, string | number | boolean | null>;

export interface EventInput {
  /** What the event is about, e.g. 'notifications', 'board'. */
  channel: string;
  /** Delivered to these users… */
  userIds?: string[];
  /** …and/or to every user whose scope holds this unit path. */
  unitPath?: string | null;
  /** Only users whose role has this permission receive it. */
  permission?: Permission;
  /** e.g. 'notification.created' (the SSE event name). */
  type: string;
  /** Ids and codes only: the stream looks up anything the user may see. */
  data?: EventData;
}

export interface BusEvent {
  channel: string;
  type: string;
  userIds: string[];
  unitPath: string | null;
  permission: Permission | null;
  data: EventData;
}

/** Publishes an event through `db` (a transaction delays it to commit and drops it on rollback). */
export async function publish(db: Db, e: EventInput): Promise<void> {
  if (!NAME.test(e.channel) || !NAME.test(e.type)) throw new Error(`bad event channel or type: ${e.channel} ${e.type}`);
  if (!e.userIds?.length && !e.unitPath) throw new Error(`event ${e.type} is addressed to nobody`);
  const payload = JSON.stringify({
    c: e.channel,
    t: e.type,
    u: e.userIds ?? [],
    p: e.unitPath ?? null,
    r: e.permission ?? null,
    d: e.data ?? {},
  });
  if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error(`event ${e.type} payload is too large (${payload.length} bytes)`);
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`);
}

export function parseEvent(payload: string): BusEvent | null {
  try {
    const v = JSON.parse(payload);
    if (typeof v?.c !== 'string' || typeof v.t !== 'string' || !Array.isArray(v.u)) return null;
    return { channel: v.c, type: v.t, userIds: v.u.map(String), unitPath: v.p ?? null, permission: v.r ?? null, data: v.d ?? {} };
  } catch {
    return null;
  }
}

/** Who a subscription belongs to: the user, their scope and what their role may do. */
export interface EventFilter {
  userId: string | null;
  scopePath: string | null;
  can: (permission: Permission) => boolean;
  channels?: string[];
}

/** True when `e` is meant for the subscriber: addressed to them, or to a unit inside their scope. */
export function addressedTo(e: BusEvent, f: EventFilter): boolean {
  if (f.channels && !f.channels.includes(e.channel)) return false;
  if (e.permission && !f.can(e.permission)) return false;
  if (f.userId && e.userIds.includes(f.userId)) return true;
  return !!e.unitPath && inScope({ scopePath: f.scopePath } as Actor, e.unitPath);
}

export interface Subscription {
  /** An event meant for this subscriber. */
  event(e: BusEvent): void;
  /** The listening connection was lost and is back: events in between may be missing. */
  resync?(): void;
  /** The bus closes (the app shuts down): end the stream. */
  closed?(): void;
}

/**
 * One LISTEN per app (a dedicated connection on PostgreSQL, opened at the first subscriber and
 * reconnected after errors with a growing pause) fanned out to the in-process subscribers.
 */
export class EventBus {
  private readonly subs = new Map<Subscription, EventFilter>();
  private stop: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private isClosed = false;

  constructor(
    private readonly database: Database,
    private readonly log: (msg: string) => void = (m) => console.error(m),
  ) {}

  subscribe(filter: EventFilter, sub: Subscription): () => void {
    this.subs.set(sub, filter);
    void this.ready().catch(() => {});
    return () => {
      this.subs.delete(sub);
    };
  }

  get subscribers(): number {
    return this.subs.size;
  }

  /** Resolves once the bus listens (starting it if needed); rejects if this attempt fails (it retries). */
  ready(): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('event bus closed'));
    if (this.stop) return Promise.resolve();
    if (!this.starting) this.starting = this.start().finally(() => (this.starting = null));
    return this.starting;
  }

  private async start(): Promise<void> {
    let stop: () => Promise<void>;
    try {
      stop = await this.database.listen(
        EVENTS_CHANNEL,
        (payload) => this.dispatch(payload),
        (err) => this.lost(err),
      );
    } catch (err) {
      this.lost(err as Error);
      throw err;
    }
    if (this.isClosed) {
      await stop();
      return;
    }
    this.stop = stop;
    if (this.failures > 0) {
      this.failures = 0;
      for (const sub of this.subs.keys()) sub.resync?.();
    }
  }

  private lost(err: Error) {
    this.stop = null;
    if (this.isClosed) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
    this.log(`event listener lost (${err.message}); reconnecting in ${delay} ms`);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.ready().catch(() => {});
    }, delay);
    this.retryTimer.unref();
  }

  private dispatch(payload: string) {
    const e = parseEvent(payload);
    if (!e) return;
    for (const [sub, filter] of this.subs) {
      if (!addressedTo(e, filter)) continue;
      try {
        sub.event(e);
      } catch (err) {
        this.log(`event subscriber failed: ${(err as Error).message}`);
      }
    }
  }

  /** Ends every subscription and the LISTEN connection. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const sub of [...this.subs.keys()]) sub.closed?.();
    this.subs.clear();
    await this.starting?.catch(() => {});
    const stop = this.stop;
    this.stop = null;
    await stop?.();
  }
}

/**
 * What a stream sends for an event of a type: looked up for the receiving user (so the NOTIFY payload
 * stays ids only); null drops the event. Types without a view are sent with their data as published.
 */
export type EventView = (db: Db, actor: Actor, data: EventData) => Promise<Record<string, unknown> | null>;
const views = new Map<string, EventView>();

export function defineEventView(type: string, view: EventView): void {
  views.set(type, view);
}

export function eventView(type: string): EventView | undefined {
  return views.get(type);
}
