import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-restart-'));
const children: ChildProcess[] = [];

async function start(env: Record<string, string>, readyText: string) {
  const server = await startServerProcess({ DATABASE_URL: '', WUSHE_DATA_DIR: dataDir, ...env }, readyText);
  children.push(server.child);
  return server;
}

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], body: await res.json() };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('first start and restart on the embedded database', () => {
  it('generates and prints an admin password once, seeds once, and keeps data across a restart', async () => {
    const first = await start({ WUSHE_ADMIN_PASSWORD: '' }, 'shown only this once');
    const printed = /password \(shown only this once\): (\S+)/.exec(first.output());
    expect(printed, first.output()).not.toBeNull();
    const password = printed?.[1] as string;
    const a = await login(first.url, 'admin', password);
    expect(a.status).toBe(200);
    const health = await (await fetch(`${first.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', db: 'pglite' });
    // A change that must survive the restart.
    const units = await (await fetch(`${first.url}/api/units?q=${encodeURIComponent('兴隆街')}`, { headers: { cookie: a.cookie } })).json();
    const office = units.items[0];
    const patched = await fetch(`${first.url}/api/units/${office.id}`, {
      method: 'PATCH',
      headers: { cookie: a.cookie, 'x-csrf-token': a.body.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ version: office.version, openingHours: '重启之后仍在' }),
    });
    expect(patched.status).toBe(200);
    await first.stop();

    const second = await start({ WUSHE_ADMIN_PASSWORD: 'Another#Passw0rd' }, 'API docs');
    expect(second.output()).not.toContain('shown only this once');
    expect(second.output()).not.toContain('Loaded');
    // The first password still works (no re-seed), the environment's new one does not.
    expect((await login(second.url, 'admin', 'Another#Passw0rd')).status).toBe(401);
    const b = await login(second.url, 'admin', password);
    expect(b.status).toBe(200);
    const detail = await (await fetch(`${second.url}/api/units/${office.id}`, { headers: { cookie: b.cookie } })).json();
    expect(detail.openingHours).toBe('重启之后仍在');
    const all = await (await fetch(`${second.url}/api/units?limit=200`, { headers: { cookie: b.cookie } })).json();
    expect(all.items.filter((u: { name: string }) => u.name === '七星岗街道社会工作服务站')).toHaveLength(1);
    await second.stop();
  }, 120_000);
});
