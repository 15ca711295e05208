import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../apps/server/src/platform/db.js';

export const BASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated PostgreSQL database `wushe_bench_<random>` on the bench server, dropped by `drop()`. */
export async function benchDatabase(poolSize = 10): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  const name = `wushe_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await database.close().catch(() => {});
    if (process.env.BENCH_KEEP_DB) {
      note(`kept database ${name} (BENCH_KEEP_DB)`);
      return;
    }
    const c = new pg.Client({ connectionString: BASE_URL });
    await c.connect();
    // pg's Pool.end() resolves before its sockets are closed: wait for the backends to go, so that
    // `with (force)` does not kill a connection still ending (an unhandled pool error).
    for (let i = 0; i < 50; i++) {
      const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (r.rows[0].n === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  try {
    await database.migrate();
  } catch (err) {
    await drop();
    throw err;
  }
  return { database, url: url.toString(), drop };
}

export interface CannonOptions {
  url: string;
  connections?: number;
  duration?: number;
  headers?: Record<string, string>;
}

export interface CannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

/** One autocannon run in a child process (see lib/cannon.mjs). */
export function cannon(opts: CannonOptions): Promise<CannonResult> {
  const script = path.join(import.meta.dirname, 'cannon.mjs');
  const args = JSON.stringify({ connections: 10, duration: 10, ...opts });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Latency percentiles (ms) of a list of samples. */
export function percentiles(samples: number[]): { min: number; p50: number; p95: number; p99: number; mean: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { min: s[0], p50: at(50), p95: at(95), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length, n: s.length };
}

export const fmt = (n: number, digits = 2) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits));

/** Prints a result line; `target` is checked against `value` and MISSED is appended when it fails. */
export function report(line: string, target?: { text: string; met: boolean }): boolean {
  const suffix = target ? ` target ${target.text}${target.met ? '' : ' MISSED'}` : '';
  console.log(`${line}${suffix}`);
  return target ? target.met : true;
}

/** Progress on stderr, so that stdout holds only the result lines. */
export function note(msg: string) {
  process.stderr.write(`  · ${msg}\n`);
}
