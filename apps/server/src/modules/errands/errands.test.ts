import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne, sql } from '../../platform/db.js';
import type { BusEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { makeUser } from '../../seed/factories.js';
import { verifyLedger } from '../timebank/timebank.service.js';

let ctx: TestContext;
let head: Client;
let sw: Client;
let cw: Client;
let auditor: Client;
let jfbHead: Client;
let volA: Client;
let volB: Client;
let volFar: Client;
let stationId: string;
let stationPath: string;
let xinglongjieId: string;
let otherOfficeId: string;
let jfbStationId: string;
let poolId: string;
let keyNo = 0;
const newKey = () => `errands-test-${process.pid}-${++keyNo}`;

const hour = 3600_000;
const window = (fromH = 1, toH = 5) => ({
  windowFrom: new Date(Date.now() + fromH * hour).toISOString(),
  windowTo: new Date(Date.now() + toH * hour).toISOString(),
});

async function volunteer(username: string, unit: { id: string; path: string }, displayName = username): Promise<Client> {
  await makeUser(ctx.db, { username, displayName, password: TEST_PASSWORD, role: 'volunteer', unit });
  return signIn(ctx.app, username);
}

async function userIdOf(username: string): Promise<string> {
  return (await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = ${username}`))?.id as string;
}

function post(c: Client, body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return c.post('/api/errands', {
    kind: 'shopping',
    title: '代购降压药',
    details: '兴隆街 12 号 3 楼 王婆婆',
    place: '兴隆街 12 号',
    unitId: xinglongjieId,
    reward: 2,
    ...window(),
    ...body,
  });
}

async function posted(c: Client = cw, body: Record<string, unknown> = {}) {
  const res = await post(c, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; status: string; reward: number; actions: string[] };
}

const act = (c: Client, id: string, action: string, body: Record<string, unknown>) => c.post(`/api/errands/${id}/${action}`, body);

async function balanceOf(accountId: string): Promise<number> {
  const res = await head.get(`/api/timebank/accounts/${accountId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().balance;
}

async function personAccountOf(username: string): Promise<string | undefined> {
  const id = await userIdOf(username);
  return (await queryOne<{ id: string }>(ctx.db, sql`select id from timebank_accounts where kind = 'person' and owner_id = ${id}`))?.id;
}

async function ledgerOk() {
  const r = await verifyLedger(ctx.db);
  expect(r.violations).toEqual([]);
  // Every balance is the sum of its entries (verifyLedger checks it; said again here for the errand accounts).
  const off = await query<{ id: string }>(
    ctx.db,
    sql`select a.id from timebank_accounts a where a.balance <> coalesce((select sum(amount) from timebank_entries e where e.account_id = a.id), 0)`,
  );
  expect(off).toEqual([]);
}

beforeAll(async () => {
  ctx = await testApp();
  head = await signIn(ctx.app, 'qxg_head');
  sw = await signIn(ctx.app, 'qxg_sw');
  cw = await signIn(ctx.app, 'qxg_cw');
  auditor = await signIn(ctx.app, 'yz_auditor');
  jfbHead = await signIn(ctx.app, 'jfb_head');
  const unit = (name: string) =>
    queryOne<{ id: string; path: string }>(ctx.db, sql`select id, path::text as path from units where name = ${name}`);
  const station = await unit('七星岗街道社会工作服务站');
  const office = await unit('兴隆街社区社会工作室');
  const other = await queryOne<{ id: string; path: string }>(
    ctx.db,
    sql`select id, path::text as path from units where parent_id = ${station?.id} and id <> ${office?.id} order by path limit 1`,
  );
  stationId = station?.id as string;
  stationPath = station?.path as string;
  xinglongjieId = office?.id as string;
  otherOfficeId = other?.id as string;
  jfbStationId = (await unit('解放碑街道社会工作服务站'))?.id as string;
  expect(stationId && xinglongjieId && otherOfficeId && jfbStationId).toBeTruthy();
  volA = await volunteer('err_vol_a', station as { id: string; path: string }, '跑腿 甲');
  volB = await volunteer('err_vol_b', station as { id: string; path: string }, '跑腿 乙');
  volFar = await volunteer('err_vol_far', other as { id: string; path: string }, '跑腿 远');
  // The pool that pays 兴隆街's errands by default (the nearest: the demo seed's at 兴隆街, else the station's
  // opened here), granted 300 credits more.
  const pool = await head.post('/api/timebank/accounts', { kind: 'unit_pool', unitId: stationId, name: '七星岗 跑腿酬劳池' });
  expect(pool.statusCode, pool.body).toBe(201);
  poolId = (
    await queryOne<{ id: string }>(
      ctx.db,
      sql`select id from timebank_accounts where kind = 'unit_pool' and unit_path @> ${office?.path}::ltree
          order by nlevel(unit_path) desc, created_at, id limit 1`,
    )
  )?.id as string;
  // The station's pool pays the other communities' errands: 100 credits.
  for (const [to, amount] of [
    [poolId, 300],
    [pool.json().id, 100],
  ] as const) {
    const grant = await head.request({
      method: 'POST',
      url: '/api/timebank/postings',
      headers: { 'idempotency-key': newKey() },
      payload: { kind: 'grant', toAccountId: to, amount },
    });
    expect(grant.statusCode, grant.body).toBe(201);
  }
});
afterAll(async () => ctx?.close());

describe('errand board: the life of an errand', () => {
  it('post → grab → complete → confirm pays the courier once from the pool, and every step is audited', async () => {
    const before = await balanceOf(poolId);
    const e = await posted(cw, { reward: 2.5 });
    expect(e).toMatchObject({ status: 'open', reward: 2.5, version: 1, assignee: null });
    expect(await balanceOf(poolId)).toBe(before - 2.5); // held in escrow from the start
    expect(e).toMatchObject({ fundingAccountId: poolId, requestedBy: { name: '兴隆街社区 社区工作者 张丽' } });

    const board = (await volA.get('/api/errands?view=board&limit=200')).json();
    const seen = board.items.find((x: { id: string }) => x.id === e.id);
    expect(seen.actions).toEqual(['grab']);

    const grab = await act(volA, e.id, 'grab', { version: 1 });
    expect(grab.statusCode, grab.body).toBe(200);
    expect(grab.json()).toMatchObject({ status: 'assigned', version: 2, assignee: { name: '跑腿 甲' }, actions: ['release', 'complete'] });
    const taken = await act(volB, e.id, 'grab', { version: 1 });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('errand_taken');
    expect((await volB.get('/api/errands?view=board&limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(e.id);

    const someoneElse = await act(volB, e.id, 'complete', { version: 2 });
    expect(someoneElse.statusCode).toBe(403);
    expect(errorOf(someoneElse).code).toBe('not_your_errand');
    const early = await act(cw, e.id, 'confirm', { version: 2 });
    expect(errorOf(early).code).toBe('errand_not_done');

    const done = await act(volA, e.id, 'complete', { version: 2 });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', version: 3 });
    const ownConfirm = await act(volA, e.id, 'confirm', { version: 3 });
    expect(ownConfirm.statusCode).toBe(403);

    const confirmed = await act(cw, e.id, 'confirm', { version: 3 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', actions: [] });
    const twice = await act(cw, e.id, 'confirm', { version: confirmed.json().version });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('already_confirmed');
    const stale = await act(head, e.id, 'confirm', { version: 3 });
    expect(errorOf(stale).code).toBe('already_confirmed');

    const account = await personAccountOf('err_vol_a');
    expect(account).toBeTruthy();
    expect(await balanceOf(account as string)).toBe(2.5);
    expect((await volA.get('/api/errands/me')).json()).toEqual({ accountId: account, balance: 2.5, assigned: 0, done: 0, posted: 0 });
    expect(await balanceOf(poolId)).toBe(before - 2.5);
    const postings = await query<{ id: string }>(
      ctx.db,
      sql`select id from timebank_postings where idempotency_key = ${`errand:${e.id}:reward`}`,
    );
    expect(postings.map((p) => p.id)).toEqual([confirmed.json().rewardPostingId]);
    const audit = await query<{ action: string }>(
      ctx.db,
      sql`select action from audit_log where entity_id = ${e.id} and entity_type = 'errand' order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['errands.posted', 'errands.grabbed', 'errands.completed', 'errands.confirmed']);
    await ledgerOk();
  });

  it('release returns it to the board; a stale version, a cancelled or an expired errand cannot be grabbed', async () => {
    const e = await posted();
    expect((await act(volA, e.id, 'grab', { version: 1 })).statusCode).toBe(200);
    const notMine = await act(volB, e.id, 'release', { version: 2 });
    expect(errorOf(notMine).code).toBe('not_your_errand');
    const released = await act(volA, e.id, 'release', { version: 2 });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'open', version: 3, assignee: null });
    const stale = await act(volB, e.id, 'grab', { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    expect((await act(volB, e.id, 'grab', { version: 3 })).json()).toMatchObject({ status: 'assigned', assignee: { name: '跑腿 乙' } });

    // Staff take it back and cancel it; the courier cannot cancel, a cancelled errand cannot be grabbed.
    expect(errorOf(await act(volB, e.id, 'cancel', { version: 4 })).code).toBe('not_your_errand');
    const cancelled = await act(sw, e.id, 'cancel', { version: 4, reason: '老人家属已代购' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: '老人家属已代购' });
    expect(errorOf(await act(volA, e.id, 'grab', { version: 5 })).code).toBe('errand_cancelled');
    expect(errorOf(await act(sw, e.id, 'cancel', { version: 5 })).code).toBe('already_cancelled');

    // An open errand whose window has ended shows as expired and cannot be grabbed.
    const late = await posted();
    await ctx.db.execute(
      sql`update errands set window_from = now() - interval '3 hours', window_to = now() - interval '1 hour' where id = ${late.id}`,
    );
    expect((await cw.get(`/api/errands/${late.id}`)).json().status).toBe('expired');
    const expired = await act(volA, late.id, 'grab', { version: 1 });
    expect(expired.statusCode).toBe(409);
    expect(errorOf(expired).code).toBe('errand_expired');
    expect((await cw.get('/api/errands?status=expired&limit=200')).json().items.map((x: { id: string }) => x.id)).toContain(late.id);
    expect((await act(cw, late.id, 'cancel', { version: 1 })).json().status).toBe('cancelled');
  });

  it('staff assign an errand to a courier of the area, not to a non-courier or a courier of another area', async () => {
    const couriers = (await sw.get('/api/errands/couriers')).json().items;
    const names = couriers.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['跑腿 甲', '跑腿 乙', '跑腿 远']));
    expect(names).not.toContain('七星岗社工站 社工 李社工');
    const e = await posted(sw);
    const notCourier = await act(sw, e.id, 'grab', { version: 1, assigneeUserId: await userIdOf('qxg_cw') });
    expect(errorOf(notCourier).code).toBe('not_a_courier');
    const far = await act(sw, e.id, 'grab', { version: 1, assigneeUserId: await userIdOf('err_vol_far') });
    expect(far.statusCode).toBe(409);
    expect(errorOf(far).code).toBe('outside_area');
    const jfbUser = await act(sw, e.id, 'grab', { version: 1, assigneeUserId: await userIdOf('jfb_sw') });
    expect(errorOf(jfbUser).code).toBe('user_not_found');
    const selfGrab = await act(sw, e.id, 'grab', { version: 1 });
    expect(selfGrab.statusCode).toBe(400);
    const assigned = await act(sw, e.id, 'grab', { version: 1, assigneeUserId: await userIdOf('err_vol_b') });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'assigned', assignee: { name: '跑腿 乙' } });
    const audit = await queryOne<{ action: string }>(
      ctx.db,
      sql`select action from audit_log where entity_id = ${e.id} order by seq desc limit 1`,
    );
    expect(audit?.action).toBe('errands.assigned');
  });

  it('a courier sees and grabs errands of their area only; other streets see nothing', async () => {
    const here = await posted(); // 兴隆街
    const there = await posted(sw, { unitId: otherOfficeId, title: '送饭' });
    const farBoard = (await volFar.get('/api/errands?view=board&limit=200')).json().items.map((x: { id: string }) => x.id);
    expect(farBoard).toContain(there.id);
    expect(farBoard).not.toContain(here.id);
    const outside = await act(volFar, here.id, 'grab', { version: 1 });
    expect(outside.statusCode).toBe(404);
    expect(errorOf(outside).code).toBe('errand_not_found');
    expect((await volFar.get(`/api/errands/${here.id}`)).statusCode).toBe(404);
    expect((await volA.get(`/api/errands/${there.id}`)).statusCode).toBe(200); // station-wide volunteer
    for (const c of [jfbHead]) {
      expect((await c.get(`/api/errands/${here.id}`)).statusCode).toBe(404);
      expect(errorOf(await act(c, here.id, 'cancel', { version: 1 })).code).toBe('errand_not_found');
      expect((await c.get('/api/errands?limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(here.id);
    }
    // The community worker of 兴隆街 does not see the other community's errand.
    expect((await cw.get(`/api/errands/${there.id}`)).statusCode).toBe(404);
    expect((await auditor.get(`/api/errands/${there.id}`)).statusCode).toBe(200);
  });

  it('a volunteer posts an errand paid from their own account; the requester confirms it', async () => {
    // err_vol_a earned 2.5 above; their own errand of 2 credits is paid person → person.
    const own = await personAccountOf('err_vol_a');
    const startA = await balanceOf(own as string);
    expect(startA).toBeGreaterThanOrEqual(2);
    const tooMuch = await post(volA, { reward: startA + 1 });
    expect(tooMuch.statusCode).toBe(409);
    expect(errorOf(tooMuch).code).toBe('insufficient_credits');
    const e = await posted(volA, { reward: 2, kind: 'escort', title: '陪同就医' });
    expect(e).toMatchObject({ fundingAccountId: own, actions: ['cancel'] });
    expect(await balanceOf(own as string)).toBe(startA - 2);
    expect(errorOf(await act(volA, e.id, 'grab', { version: 1 })).code).toBe('own_errand');
    expect((await act(volB, e.id, 'grab', { version: 1 })).statusCode).toBe(200);
    expect((await act(volB, e.id, 'complete', { version: 2 })).statusCode).toBe(200);
    const ok = await act(volA, e.id, 'confirm', { version: 3 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await balanceOf(own as string)).toBe(startA - 2);
    expect(await balanceOf((await personAccountOf('err_vol_b')) as string)).toBeGreaterThanOrEqual(2);
    // A volunteer cannot name a pool or someone else's account as the payer.
    const other = await post(volA, { fundingAccountId: poolId });
    expect(errorOf(other).code).toBe('account_not_found');
    await ledgerOk();
  });

  it('holds the reward in escrow: held credits cannot be spent, cancel returns them; an unheld errand the account cannot pay is a 409 that writes nothing', async () => {
    const pool = await head.post('/api/timebank/accounts', { kind: 'unit_pool', unitId: otherOfficeId, name: '社区 小池' });
    const small = pool.json().id;
    const postOp = (payload: Record<string, unknown>) =>
      head.request({ method: 'POST', url: '/api/timebank/postings', headers: { 'idempotency-key': newKey() }, payload });
    const topUp = (amount: number) => postOp({ kind: 'grant', toAccountId: small, amount });
    expect((await topUp(3)).statusCode).toBe(201);
    const e = await posted(sw, { reward: 3, unitId: otherOfficeId }); // the nearest pool (the community's) pays
    expect(e).toMatchObject({ fundingAccountId: small });
    expect(await balanceOf(small)).toBe(0);
    const second = await post(sw, { reward: 1, unitId: otherOfficeId });
    expect(errorOf(second).code).toBe('insufficient_credits'); // all 3 are held for the first
    const shop = (await head.post('/api/timebank/accounts', { kind: 'catalogue', unitId: stationId, name: '兑换目录' })).json().id;
    const spend = await postOp({ kind: 'spend', fromAccountId: small, toAccountId: shop, amount: 1 });
    expect(errorOf(spend).code).toBe('insufficient_credits');
    // Cancelling returns the held credits, once.
    expect((await act(sw, e.id, 'cancel', { version: 1 })).statusCode).toBe(200);
    expect(await balanceOf(small)).toBe(3);
    const keys = await query<{ key: string; kind: string }>(
      ctx.db,
      sql`select idempotency_key as key, kind from timebank_postings where idempotency_key like ${`errand:${e.id}:%`} order by created_at`,
    );
    expect(keys).toEqual([
      { key: `errand:${e.id}:escrow`, kind: 'spend' },
      { key: `errand:${e.id}:refund`, kind: 'correction' },
    ]);
    await ledgerOk();

    // An errand written without escrow (before it existed, or by hand), done, on an account that cannot pay.
    const legacy = newId();
    await ctx.db.execute(sql`insert into errands (id, kind, title, place, unit_id, unit_path, window_from, window_to, reward,
        funding_account_id, requested_by, status, assignee_user_id, assigned_at, completed_at)
      select ${legacy}, 'delivery', '旧任务', '某处', u.id, u.path, now(), now() + interval '1 hour', 500, ${small},
        ${await userIdOf('qxg_sw')}, 'done', ${await userIdOf('err_vol_a')}, now(), now()
      from units u where u.id = ${otherOfficeId}`);
    const ledger = await verifyLedger(ctx.db);
    const refused = await act(sw, legacy, 'confirm', { version: 1 });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).code).toBe('insufficient_credits');
    expect((await sw.get(`/api/errands/${legacy}`)).json()).toMatchObject({ status: 'done', version: 1, rewardPostingId: null });
    const after = await verifyLedger(ctx.db);
    expect([after.postings, after.accounts, after.entries]).toEqual([ledger.postings, ledger.accounts, ledger.entries]);
    expect((await topUp(2)).statusCode).toBe(201);
    const ok = await act(sw, legacy, 'confirm', { version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await balanceOf(small)).toBe(0);
    await ledgerOk();
  });

  it('refuses bad inputs with a 4xx and the uniform error body', async () => {
    const e = await posted();
    const cases: [Client, string, Record<string, unknown>, number, string][] = [
      [cw, '/api/errands', { kind: 'chores' }, 400, 'validation_failed'],
      [cw, '/api/errands', { reward: 0 }, 400, 'validation_failed'],
      [cw, '/api/errands', { reward: 1.005 }, 400, 'validation_failed'],
      [cw, '/api/errands', { reward: 5000 }, 400, 'validation_failed'],
      [cw, '/api/errands', { title: '  ' }, 400, 'validation_failed'],
      [cw, '/api/errands', { windowFrom: window(5).windowFrom, windowTo: window(0, 1).windowTo }, 400, 'validation_failed'],
      [cw, '/api/errands', { windowFrom: '2020-01-01T00:00:00Z', windowTo: '2020-01-02T00:00:00Z' }, 400, 'validation_failed'],
      [cw, '/api/errands', { windowFrom: 'tomorrow' }, 400, 'validation_failed'],
      [cw, '/api/errands', { unitId: jfbStationId }, 404, 'unit_not_found'],
      [cw, '/api/errands', { unitId: newId() }, 404, 'unit_not_found'],
      [cw, '/api/errands', { clientId: newId() }, 404, 'client_not_found'],
      [volA, '/api/errands', { clientId: newId() }, 403, 'forbidden'],
      [auditor, '/api/errands', {}, 403, 'forbidden'],
      [jfbHead, '/api/errands', { unitId: jfbStationId }, 409, 'no_funding_account'],
      [cw, `/api/errands/${e.id}/grab`, { version: 1 }, 400, 'validation_failed'],
      [volA, `/api/errands/${e.id}/grab`, {}, 400, 'validation_failed'],
      [volA, `/api/errands/${e.id}/grab`, { version: 0 }, 400, 'validation_failed'],
      [volA, `/api/errands/${e.id}/grab`, { version: 1, assigneeUserId: newId() }, 403, 'forbidden'],
      [volA, `/api/errands/${newId()}/grab`, { version: 1 }, 404, 'errand_not_found'],
      [volA, `/api/errands/${e.id}/complete`, { version: 1 }, 409, 'errand_not_assigned'],
      [volA, `/api/errands/${e.id}/release`, { version: 1 }, 409, 'errand_not_assigned'],
      [auditor, `/api/errands/${e.id}/grab`, { version: 1 }, 403, 'forbidden'],
      [auditor, `/api/errands/${e.id}/cancel`, { version: 1 }, 403, 'forbidden'],
      [cw, `/api/errands/${e.id}/cancel`, { version: 7 }, 409, 'stale_version'],
    ];
    for (const [who, url, body, status, code] of cases) {
      const res = url === '/api/errands' ? await post(who, body) : await who.post(url, body);
      expect(res.statusCode, `${who.username} ${url} ${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(errorOf(res).code, `${url} ${JSON.stringify(body)}`).toBe(code);
    }
    expect((await cw.get(`/api/errands/${e.id}`)).json()).toMatchObject({ status: 'open', version: 1 });
  });

  it('publishes errand.changed (ids only) to the area on every change, so boards refresh', async () => {
    const got: BusEvent[] = [];
    const volAUser = await userIdOf('err_vol_a');
    const unsubscribe = ctx.app.events.subscribe(
      { userId: volAUser, scopePath: stationPath, can: () => true, channels: ['errands'] },
      { event: (e) => got.push(e) },
    );
    await ctx.app.events.ready();
    try {
      const e = await posted();
      const t0 = Date.now();
      expect((await act(volB, e.id, 'grab', { version: 1 })).statusCode).toBe(200);
      for (let i = 0; i < 100 && !got.some((x) => x.data.id === e.id && x.data.status === 'assigned'); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(Date.now() - t0).toBeLessThan(1000);
      const mine = got.filter((x) => x.data.id === e.id);
      expect(mine.map((x) => x.data.status)).toEqual(['open', 'assigned']);
      expect(mine[1]).toMatchObject({ type: 'errand.changed', permission: 'errands.read', data: { action: 'grabbed', version: 2 } });
      expect(JSON.stringify(mine)).not.toContain('兴隆街 12 号');
      // A refused grab publishes nothing.
      const n = got.length;
      expect((await act(volA, e.id, 'grab', { version: 1 })).statusCode).toBe(409);
      await new Promise((r) => setTimeout(r, 100));
      expect(got.length).toBe(n);
    } finally {
      unsubscribe();
    }
  });
});

// ----------------------------------------------------------------------------------------- property

describe('errand board: random sequences of actions', () => {
  it('keeps its invariants: one courier per errand, status follows the rules, a confirmed errand is paid exactly once', async () => {
    const people: Client[] = [volA, volB, cw, sw, volFar];
    const action = fc.constantFrom('grab', 'release', 'complete', 'confirm', 'cancel', 'assign');
    const step = fc.record({ who: fc.nat(people.length - 1), errand: fc.nat(3), action, stale: fc.boolean() });
    const legal: Record<string, string[]> = {
      open: ['assigned', 'cancelled', 'open'],
      assigned: ['open', 'done', 'cancelled', 'assigned'],
      done: ['confirmed', 'done'],
      confirmed: ['confirmed'],
      cancelled: ['cancelled'],
    };
    const volBId = await userIdOf('err_vol_b');
    const tally = { accepted: 0, refused: 0, confirmed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), async (steps) => {
        const errands = await Promise.all([0, 1, 2, 3].map(() => posted(cw, { reward: 0.5 })));
        const state = new Map(errands.map((e) => [e.id, { status: 'open', version: 1 }]));
        for (const s of steps) {
          const e = errands[s.errand];
          const cur = state.get(e.id) as { status: string; version: number };
          const body: Record<string, unknown> = { version: s.stale ? Math.max(1, cur.version - 1) : cur.version };
          if (s.action === 'assign') body.assigneeUserId = volBId;
          const res = await act(people[s.who], e.id, s.action === 'assign' ? 'grab' : s.action, body);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode >= 400) {
            errorOf(res);
            tally.refused++;
            continue;
          }
          const next = res.json();
          tally.accepted++;
          if (next.status === 'confirmed') tally.confirmed++;
          expect(legal[cur.status], `${cur.status} → ${next.status} by ${s.action}`).toContain(next.status);
          expect(next.version).toBe(cur.version + 1);
          state.set(e.id, { status: next.status, version: next.version });
        }
        const rows = await query<{
          id: string;
          status: string;
          assignee: string | null;
          paid: number;
          posting: string | null;
          held: string;
        }>(
          ctx.db,
          sql`select e.id, e.status, e.assignee_user_id as assignee, e.reward_posting_id as posting,
                (select count(*)::int from timebank_postings p where p.idempotency_key = 'errand:' || e.id || ':reward') as paid,
                (select string_agg(split_part(p.idempotency_key, ':', 3), ',' order by p.created_at, p.idempotency_key)
                   from timebank_postings p where p.idempotency_key like 'errand:' || e.id || ':%' and p.idempotency_key not like '%:reward') as held
              from errands e where e.id in (select unnest(${sql.param(errands.map((x) => x.id))}::uuid[]))`,
        );
        for (const r of rows) {
          expect(r.status).toBe(state.get(r.id)?.status);
          if (r.status === 'open') expect(r.assignee, r.id).toBeNull();
          if (['assigned', 'done', 'confirmed'].includes(r.status)) expect(r.assignee, r.id).toBeTruthy();
          expect(Number(r.paid)).toBe(r.status === 'confirmed' ? 1 : 0);
          expect(r.posting !== null).toBe(r.status === 'confirmed');
          // Held at posting; given back once on cancel (refund) or on confirm (release, then paid from the pool).
          expect(r.held).toBe(r.status === 'cancelled' ? 'escrow,refund' : r.status === 'confirmed' ? 'escrow,release' : 'escrow');
        }
      }),
      { numRuns: 20 },
    );
    expect(tally.accepted).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(10);
    await ledgerOk();
  }, 240_000);
});

// ------------------------------------------------------------------------------------- concurrency

// Registered only in the PostgreSQL pass (npm run test:pg): PGlite has one connection, so nothing runs concurrently there.
if (process.env.TEST_DATABASE_URL)
  describe('errand board on PostgreSQL', () => {
    it('500 concurrent grabs over 50 open errands: exactly 50 assignments, 450 clean 409 errand_taken, none assigned twice', async () => {
      const station = { id: stationId, path: stationPath };
      const couriers = await Promise.all(Array.from({ length: 10 }, (_, i) => volunteer(`err_rush_${i}`, station, `抢单 ${i}`)));
      const errands: { id: string }[] = [];
      for (let i = 0; i < 50; i++) errands.push(await posted(sw, { reward: 1, title: `并发 ${i}` }));
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) => act(couriers[i % 10], errands[(i * 7) % 50].id, 'grab', { version: 1 })),
      );
      const byStatus = new Map<number, number>();
      for (const r of results) byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
      expect(Object.fromEntries(byStatus)).toEqual({ 200: 50, 409: 450 });
      for (const r of results.filter((x) => x.statusCode === 409)) expect(errorOf(r).code).toBe('errand_taken');
      const winners = results.filter((r) => r.statusCode === 200).map((r) => r.json().id);
      expect(new Set(winners).size).toBe(50);
      const rows = await query<{ id: string; assignee: string; version: number; grabs: number }>(
        ctx.db,
        sql`select e.id, e.assignee_user_id as assignee, e.version,
              (select count(*)::int from audit_log a where a.entity_id = e.id::text and a.action = 'errands.grabbed') as grabs
            from errands e where e.id in (select unnest(${sql.param(errands.map((x) => x.id))}::uuid[]))`,
      );
      expect(rows).toHaveLength(50);
      for (const r of rows) {
        expect(r.assignee).toBeTruthy();
        expect(Number(r.version)).toBe(2);
        expect(Number(r.grabs)).toBe(1);
      }
      // Each winner answer names the courier the row holds.
      const winnerOf = new Map(results.filter((r) => r.statusCode === 200).map((r) => [r.json().id, r.json().assignee.id]));
      for (const r of rows) expect(winnerOf.get(r.id)).toBe(r.assignee);
    }, 180_000);

    it('20 errands posted at once on one pool: all held, none lost, the pool down by their sum', async () => {
      const before = await balanceOf(poolId);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sw, { reward: 1, title: `同时发布 ${i}` })));
      expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
      expect(await balanceOf(poolId)).toBe(before - 20);
      // …and cancelled at once: all held credits come back.
      const cancels = await Promise.all(results.map((r) => act(sw, r.json().id, 'cancel', { version: 1 })));
      expect(cancels.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
      expect(await balanceOf(poolId)).toBe(before);
      await ledgerOk();
    }, 60_000);
  });
