import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from '../db/schema.js';

export type Schema = typeof schema;
/** A database or a transaction: services accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  migrate(): Promise<void>;
  /**
   * LISTEN on `channel`: PostgreSQL opens one dedicated connection (not from the pool) and calls `lost`
   * once when it breaks; PGlite listens on its one connection. Resolves, once listening, to the stop function.
   */
  listen(channel: string, onPayload: (payload: string) => void, lost: (err: Error) => void): Promise<() => Promise<void>>;
}

export const MIGRATIONS_FOLDER = path.resolve(import.meta.dirname, '../db/migrations');

// PostgreSQL returns bigint (int8) and numeric as strings by default; counts here fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Opens the embedded PGlite (in `dataDir`, or in memory for 'memory://') or, when a URL is given,
 * a node-postgres pool on a PostgreSQL server. Both speak the same SQL and run the same migrations.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  if (opts.databaseUrl) {
    // JIT compilation costs 100–600 ms once a plan's estimate passes jit_above_cost (a client search counting
    // 10⁴ rows of 10⁶ did) and never pays back on statements of a few milliseconds: off for the app's sessions.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, options: '-c jit=off' });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the
    // pool replaces it and the next query reconnects.
    pool.on('error', (err) => console.error(`database connection lost: ${err.message}`));
    const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      close: () => pool.end(),
      listen: async (channel, onPayload, lost) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
        const client = new pg.Client({ connectionString: opts.databaseUrl, keepAlive: true, application_name: 'wushe-events' });
        let done = false;
        const fail = (err: Error) => {
          if (done) return;
          done = true;
          client.end().catch(() => {});
          lost(err);
        };
        client.on('notification', (m) => {
          if (m.channel === channel && m.payload !== undefined) onPayload(m.payload);
        });
        client.on('error', fail);
        client.on('end', () => fail(new Error('listen connection ended')));
        try {
          await client.connect();
          await client.query(`listen ${channel}`);
        } catch (err) {
          done = true;
          await client.end().catch(() => {});
          throw err;
        }
        return async () => {
          done = true;
          await client.end().catch(() => {});
        };
      },
      migrate: async () => {
        // One migrator at a time when several servers start together.
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock(727001)');
          await migratePg(drizzlePg(client, { casing: 'snake_case' }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('select pg_advisory_unlock(727001)').catch(() => {});
          client.release();
        }
      },
    };
  }
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const client = await PGlite.create(dir.startsWith('memory://') ? undefined : path.join(dir, 'pglite'), {
    extensions: { ltree, pg_trgm },
  });
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    close: () => client.close(),
    // One connection: the same session NOTIFYs and LISTENs, and PostgreSQL delivers at commit, never on rollback.
    listen: async (channel, onPayload) => {
      const stop = await client.listen(channel, onPayload);
      return async () => {
        if (!client.closed) await stop();
      };
    },
    migrate: () => migratePglite(drizzlePglite(client, { casing: 'snake_case' }), { migrationsFolder: MIGRATIONS_FOLDER }),
  };
}

/** Runs raw SQL and returns its rows, the same on PGlite and node-postgres. */
export async function query<T>(db: Db, q: SQL): Promise<T[]> {
  const res = (await db.execute(q)) as unknown as { rows: T[] };
  return res.rows;
}

export async function queryOne<T>(db: Db, q: SQL): Promise<T | undefined> {
  return (await query<T>(db, q))[0];
}

export { sql };
