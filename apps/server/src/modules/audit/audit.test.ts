import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp, testDatabase } from '../../../test/helpers.js';
import { MUTATING_METHODS, registeredRoutes } from '../../../test/routes.js';
import { type Database, type Db, openDatabase, query, queryOne, sql } from '../../platform/db.js';
import { makeUser } from '../../seed/factories.js';
import { verifyAuditChain, writeAuditNow } from './audit.service.js';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp();
});
afterAll(async () => ctx?.close());

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  const row = await queryOne<T>(ctx.db, q);
  if (!row) throw new Error('no row');
  return row;
}

const auditCount = async (db: Db = ctx.db) => Number((await queryOne<{ n: number }>(db, sql`select count(*)::int as n from audit_log`))?.n);

/** The database's own message of a failed statement (drizzle wraps it). */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { message: string; cause?: { message?: string } };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'no error';
}

async function tamper(db: Db, seq: number) {
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
  await db.execute(sql`update audit_log set after = '{"openingHours":"全天"}'::jsonb where seq = ${seq}`);
  await db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
}

describe('audit log', () => {
  it('records who (user, role, unit), from where (IP, user agent), and before/after of a change', async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    const office = await one<{ id: string; path: string }>(
      sql`select id, path::text as path from units where name = '兴隆街社区社会工作室'`,
    );
    const station = await one<{ id: string }>(sql`select id from units where name = '七星岗街道社会工作服务站'`);
    const user = await one<{ id: string }>(sql`select id from users where username = 'qxg_head'`);
    const before = (await head.get(`/api/units/${office.id}`)).json();
    const res = await head.request({
      method: 'PATCH',
      url: `/api/units/${office.id}`,
      payload: { version: before.version, openingHours: '周一至周日 8:00-20:00' },
      headers: { 'user-agent': 'wushe-audit-test/1.0', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.statusCode).toBe(200);
    const row = await one<Record<string, unknown>>(
      sql`select actor_id, actor_name, actor_role, actor_unit_id, ip, user_agent, action, entity_type, entity_id,
                 unit_path::text as unit_path, before, after, prev_hash, hash
          from audit_log where entity_id = ${office.id} order by seq desc limit 1`,
    );
    expect(row).toMatchObject({
      actor_id: user.id,
      actor_name: 'qxg_head',
      actor_role: 'station_head',
      actor_unit_id: station.id,
      ip: '203.0.113.7',
      user_agent: 'wushe-audit-test/1.0',
      action: 'unit.updated',
      entity_type: 'unit',
      entity_id: office.id,
      unit_path: office.path,
    });
    expect((row.before as { openingHours: string }).openingHours).toBe(before.openingHours);
    expect((row.after as { openingHours: string }).openingHours).toBe('周一至周日 8:00-20:00');
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    // The API shows the same entry.
    const admin = await signIn(ctx.app, 'admin');
    const entry = (await admin.get(`/api/audit?entityId=${office.id}&limit=1`)).json().items[0];
    expect(entry).toMatchObject({
      actorId: user.id,
      actorName: 'qxg_head',
      actorRole: 'station_head',
      ip: '203.0.113.7',
      userAgent: 'wushe-audit-test/1.0',
      action: 'unit.updated',
      entityType: 'unit',
      entityId: office.id,
    });
    expect(entry.before.openingHours).toBe(before.openingHours);
    expect(entry.after.openingHours).toBe('周一至周日 8:00-20:00');
  });

  it('a refused change leaves no entry', async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    const office = (await head.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0];
    const n = await auditCount();
    expect((await head.patch(`/api/units/${office.id}`, { version: office.version + 7, openingHours: '过期' })).statusCode).toBe(409);
    expect((await head.patch(`/api/units/${office.id}`, { version: office.version, phone: 'not a phone!' })).statusCode).toBe(400);
    expect(await auditCount()).toBe(n);
  });

  it('the hash chain verifies', async () => {
    const r = await verifyAuditChain(ctx.db);
    expect(r).toEqual({ ok: true, checked: await auditCount() });
    expect(r.checked).toBeGreaterThan(20);
    // Small pages walk the same chain.
    expect(await verifyAuditChain(ctx.db, 3)).toEqual(r);
    const seqs = await query<{ seq: number }>(ctx.db, sql`select seq from audit_log order by seq`);
    expect(seqs.map((s) => Number(s.seq))).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_log, whoever asks', async () => {
    const n = await auditCount();
    const first = await one<{ hash: string; action: string }>(sql`select hash, action from audit_log where seq = 1`);
    expect(await refusal(ctx.db.execute(sql`update audit_log set action = 'nothing.happened' where seq = 1`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`delete from audit_log where seq = 1`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    expect(await auditCount()).toBe(n);
    expect(await one(sql`select hash, action from audit_log where seq = 1`)).toEqual(first);
  });

  it('has no route that writes or deletes audit entries', async () => {
    const writers = registeredRoutes(ctx.app).filter((r) => MUTATING_METHODS.includes(r.method) && /audit/i.test(r.path));
    expect(writers).toEqual([]);
    const admin = await signIn(ctx.app, 'admin');
    const entry = (await admin.get('/api/audit?limit=1')).json().items[0];
    const n = await auditCount();
    for (const method of MUTATING_METHODS) {
      for (const url of ['/api/audit', `/api/audit/${entry.id}`, `/api/audit/${entry.seq}`]) {
        const res = await admin.request({ method: method as 'POST', url, payload: method === 'DELETE' ? undefined : { action: 'forged' } });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        errorOf(res);
      }
    }
    expect(await auditCount()).toBe(n);
  });

  describe('scope of the audit list', () => {
    let qxgIds: string[];
    let jfbIds: string[];
    beforeAll(async () => {
      const jfb = await one<{ id: string; path: string }>(
        sql`select id, path::text as path from units where name = '解放碑街道社会工作服务站'`,
      );
      await makeUser(ctx.db, { username: 'jfb_aud', displayName: '解放碑审计员', role: 'auditor', unit: jfb, password: TEST_PASSWORD });
      const jfbHead = await signIn(ctx.app, 'jfb_head');
      const unit = (await jfbHead.get(`/api/units/${jfb.id}`)).json();
      const patched = await jfbHead.patch(`/api/units/${jfb.id}`, { version: unit.version, openingHours: '周一至周五 9:00-18:00' });
      expect(patched.statusCode, patched.body).toBe(200);
      const idsUnder = async (name: string) =>
        (
          await query<{ id: string }>(
            ctx.db,
            sql`select id::text from units where path <@ (select path from units where name = ${name})
                union all select id::text from users where unit_path <@ (select path from units where name = ${name})
                union all select id::text from zones where unit_path <@ (select path from units where name = ${name})`,
          )
        ).map((r) => r.id);
      qxgIds = await idsUnder('七星岗街道社会工作服务站');
      jfbIds = await idsUnder('解放碑街道社会工作服务站');
    });

    const all = async (c: Client) => {
      const items: { entityId: string | null; actorId: string | null }[] = [];
      let url = '/api/audit?limit=200';
      for (let i = 0; i < 20; i++) {
        const res = await c.get(url);
        expect(res.statusCode).toBe(200);
        const page = res.json();
        items.push(...page.items);
        if (!page.nextCursor) break;
        url = `/api/audit?limit=200&cursor=${page.nextCursor}`;
      }
      return items;
    };

    it('解放碑 sees none of 七星岗’s entries', async () => {
      const head = await signIn(ctx.app, 'jfb_head');
      const res = await head.get('/api/audit?limit=200');
      // A station head may not read the log at all today; if the matrix ever grants it, the scope still holds.
      if (res.statusCode === 403) expect(errorOf(res).code).toBe('forbidden');
      else expect(res.body).not.toContain('七星岗');
      const auditor = await signIn(ctx.app, 'jfb_aud');
      const items = await all(auditor);
      expect(items.length).toBeGreaterThan(0);
      expect(items.some((e) => e.entityId && jfbIds.includes(e.entityId))).toBe(true);
      for (const e of items) {
        expect(qxgIds).not.toContain(e.entityId);
        expect(qxgIds).not.toContain(e.actorId);
      }
      expect(JSON.stringify(items)).not.toContain('七星岗');
      // Asking for a 七星岗 entity by id gives nothing either.
      for (const id of qxgIds.slice(0, 5)) {
        const page = (await auditor.get(`/api/audit?entityId=${id}`)).json();
        expect(page).toMatchObject({ items: [], total: 0 });
      }
    });

    it('the centre’s auditor sees both streets', async () => {
      const auditor = await signIn(ctx.app, 'yz_auditor');
      const items = await all(auditor);
      expect(items.some((e) => e.entityId && qxgIds.includes(e.entityId))).toBe(true);
      expect(items.some((e) => e.entityId && jfbIds.includes(e.entityId))).toBe(true);
      // Entries without a unit (sign-ins of unknown user names, system work) stay with global users.
      const admin = await signIn(ctx.app, 'admin');
      expect((await all(admin)).length).toBeGreaterThanOrEqual(items.length);
    });
  });

  // Last in the file: it breaks the chain of this database on purpose.
  it('tampering shows: the broken seq is reported', async () => {
    const target = Math.floor((await auditCount()) / 2);
    await tamper(ctx.db, target);
    const r = await verifyAuditChain(ctx.db);
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toMatchObject({ seq: target, reason: 'hash_mismatch' });
    expect(r.checked).toBe(target - 1);
    // The trigger is back on.
    expect(await refusal(ctx.db.execute(sql`update audit_log set action = 'x' where seq = 1`))).toMatch(/append-only/);
  });
});

describe('npm run audit:verify', () => {
  it('exists as a script', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['audit:verify']).toMatch(/apps\/server\/src\/scripts\/audit-verify\.ts/);
    expect(fs.existsSync(path.join(ROOT, 'apps/server/src/scripts/audit-verify.ts'))).toBe(true);
  });

  it('prints "audit chain ok: N entries", and "BROKEN at seq S" with exit code 1 after tampering', async () => {
    // The script opens the database as the server does: DATABASE_URL, else PGlite in WUSHE_DATA_DIR.
    const pgUrl = process.env.TEST_DATABASE_URL;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-audit-'));
    let pgDb: (Database & { url?: string }) | undefined;
    const open = async (): Promise<Database> => {
      if (pgUrl) {
        pgDb ??= await testDatabase();
        return pgDb;
      }
      const d = await openDatabase({ dataDir });
      await d.migrate();
      return d;
    };
    const release = async (d: Database) => {
      if (!pgUrl) await d.close();
    };
    const run = () =>
      spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'apps/server/src/scripts/audit-verify.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: pgUrl ? (pgDb?.url ?? '') : '', WUSHE_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    try {
      let d = await open();
      for (let i = 1; i <= 5; i++) {
        await writeAuditNow(d.db, {
          actor: { username: 'script-test', ip: '127.0.0.1' },
          action: 'test.entry',
          entityType: 'test',
          entityId: String(i),
          before: { n: i - 1 },
          after: { n: i, 名称: '七星岗' },
        });
      }
      await release(d);
      const ok = run();
      expect(ok.stdout, ok.stderr).toMatch(/audit chain ok: 5 entries/);
      expect(ok.status).toBe(0);

      d = await open();
      await tamper(d.db, 3);
      await release(d);
      const broken = run();
      expect(broken.stdout, broken.stderr).toMatch(/audit chain BROKEN at seq 3 \(hash_mismatch/);
      expect(broken.status).toBe(1);
    } finally {
      await pgDb?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
