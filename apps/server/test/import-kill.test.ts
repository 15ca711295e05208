/**
 * A background import killed half-way (SIGKILL while it writes rows) leaves the ledger exactly as it was,
 * and the restarted server reports the job as interrupted. On PGlite, and on PostgreSQL when the suite runs
 * against it (TEST_DATABASE_URL).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './process.js';
import { clientRow, clientSheet, multipartBody, yuzhongIdNumber } from './sheets.js';

const PASSWORD = 'Kill#Passw0rd';
const ROWS = 30_000;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of cleanups) await f().catch(() => {});
});

async function signIn(url: string, username: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const body = await res.json();
  const headers = { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': body.csrfToken as string };
  return {
    get: async (p: string) => (await fetch(`${url}${p}`, { headers })).json(),
    post: (p: string, payload: Buffer, contentType: string) =>
      fetch(`${url}${p}`, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body: new Uint8Array(payload) }),
  };
}

async function bigSheet(): Promise<Buffer> {
  const rows: unknown[][] = [];
  const day0 = Date.UTC(1930, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    // One person per day from 1930 on: distinct, valid ID numbers.
    const birth = new Date(day0 + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    rows.push(clientRow({ 姓名: `中断测试${i}`, 身份证号码: yuzhongIdNumber(birth, 101), 所属社区: '兴隆街社区' }));
  }
  return clientSheet(rows);
}

async function killHalfWay(env: Record<string, string>) {
  const env0 = { WUSHE_ADMIN_PASSWORD: PASSWORD, WUSHE_IMPORT_STALE_SECONDS: '2', ...env };
  const first = await startServerProcess(env0);
  children.push(first.child);
  const sw = await signIn(first.url, 'qxg_sw');
  const before = (await sw.get('/api/clients?limit=1')).total as number;

  const file = await bigSheet();
  const body = multipartBody(file, { filename: 'big.xlsx' });
  const res = await sw.post('/api/clients/import/jobs?commit=true&mode=valid', body.payload, body.contentType);
  expect(res.status).toBe(202);
  const job = (await res.json()).id as string;

  // Wait until the job has written some rows, not all, then kill the server without warning.
  const progress = new RegExp(`import job ${job}: writing (\\d+)/(\\d+)`, 'g');
  const deadline = Date.now() + 240_000;
  let seen: [number, number] | undefined;
  while (!seen && Date.now() < deadline) {
    for (const m of first.output().matchAll(progress)) {
      const [done, total] = [Number(m[1]), Number(m[2])];
      if (done > 0 && done < total) seen = [done, total];
    }
    expect(first.output()).not.toContain(`import job ${job}: done`);
    if (!seen) await new Promise((r) => setTimeout(r, 10));
  }
  expect(seen, first.output().slice(-2000)).toBeDefined();
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  expect(seen?.[1]).toBe(ROWS);

  const second = await startServerProcess(env0);
  children.push(second.child);
  const sw2 = await signIn(second.url, 'qxg_sw');
  // PostgreSQL: the job is interrupted once its heartbeat is older than WUSHE_IMPORT_STALE_SECONDS.
  let after = await sw2.get(`/api/import-jobs/${job}`);
  for (let i = 0; i < 50 && after.status !== 'interrupted'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    after = await sw2.get(`/api/import-jobs/${job}`);
  }
  expect(after).toMatchObject({ status: 'interrupted', report: null, error: { code: 'interrupted' } });
  expect((await sw2.get('/api/clients?limit=1')).total).toBe(before);
  expect((await sw2.get(`/api/clients?q=${encodeURIComponent('中断测试')}&limit=1`)).total).toBe(0);
  await second.stop();
}

describe('an import killed half-way', () => {
  it('on PGlite: writes nothing and is reported interrupted after the restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-kill-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    await killHalfWay({ DATABASE_URL: '', WUSHE_DATA_DIR: dataDir });
  }, 600_000);

  // Registered only in the PostgreSQL pass (npm run test:pg), which runs the whole suite against a server.
  if (process.env.TEST_DATABASE_URL)
    it('on PostgreSQL: writes nothing and is reported interrupted once its heartbeat stops', async () => {
      const base = process.env.TEST_DATABASE_URL as string;
      const name = `wushe_kill_${process.pid}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      await admin.end();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      });
      const url = new URL(base);
      url.pathname = `/${name}`;
      await killHalfWay({ DATABASE_URL: url.toString(), WUSHE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-kill-pg-')) });
    }, 600_000);
});
