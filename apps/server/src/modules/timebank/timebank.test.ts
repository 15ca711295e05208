import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp, testDatabase } from '../../../test/helpers.js';
import { type Database, type Db, openDatabase, query, queryOne, sql } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { verifyLedger } from './timebank.service.js';

let ctx: TestContext;
let head: Client;
let admin: Client;
let auditor: Client;
let jfbHead: Client;
let stationId: string;
let officeId: string;
let jfbStationId: string;
let keyNo = 0;
const newKey = () => `test-${process.pid}-${++keyNo}`;

beforeAll(async () => {
  ctx = await testApp();
  head = await signIn(ctx.app, 'qxg_head');
  admin = await signIn(ctx.app, 'admin');
  auditor = await signIn(ctx.app, 'yz_auditor');
  jfbHead = await signIn(ctx.app, 'jfb_head');
  const unit = (name: string) => queryOne<{ id: string }>(ctx.db, sql`select id from units where name = ${name}`);
  stationId = (await unit('七星岗街道社会工作服务站'))?.id as string;
  jfbStationId = (await unit('解放碑街道社会工作服务站'))?.id as string;
  officeId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where parent_id = ${stationId} order by path limit 1`))
    ?.id as string;
  expect(stationId && jfbStationId && officeId).toBeTruthy();
});
afterAll(async () => ctx?.close());

async function openAccount(c: Client, kind: string, name: string, unitId = stationId): Promise<string> {
  const res = await c.post('/api/timebank/accounts', { kind, unitId, name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

function postOp(c: Client, body: unknown, key: string | null = newKey()): Promise<LightMyRequestResponse> {
  return c.request({
    method: 'POST',
    url: '/api/timebank/postings',
    payload: body as Record<string, unknown>,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

async function balanceOf(id: string): Promise<number> {
  const res = await admin.get(`/api/timebank/accounts/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().balance;
}

async function ledgerOk(db: Db = ctx.db) {
  const r = await verifyLedger(db);
  expect(r.violations).toEqual([]);
  expect(r.ok).toBe(true);
  return r;
}

describe('time bank: postings over HTTP', () => {
  it('earn, spend, transfer, grant and correction move credits between two accounts and balance to zero', async () => {
    const alice = await openAccount(head, 'person', '志愿者 甲');
    const bob = await openAccount(head, 'person', '家属 乙', officeId);
    const shop = await openAccount(head, 'catalogue', '兑换目录');
    const pool = await openAccount(head, 'unit_pool', '站点互助池');

    const earn = await postOp(head, { kind: 'earn', toAccountId: alice, hours: 2.5, memo: '助老服务' });
    expect(earn.statusCode, earn.body).toBe(201);
    expect(earn.json()).toMatchObject({ kind: 'earn', hours: 2.5, amount: 2.5, toAccountId: alice });
    const mint = earn.json().fromAccountId;
    expect((await admin.get(`/api/timebank/accounts/${mint}`)).json()).toMatchObject({ kind: 'system', balance: -2.5 });

    expect((await postOp(head, { kind: 'spend', fromAccountId: alice, toAccountId: shop, amount: 1.25 })).statusCode).toBe(201);
    expect((await postOp(head, { kind: 'transfer', fromAccountId: alice, toAccountId: bob, amount: 0.25 })).statusCode).toBe(201);
    expect((await postOp(head, { kind: 'grant', toAccountId: pool, amount: 10 })).statusCode).toBe(201);
    expect((await postOp(head, { kind: 'transfer', fromAccountId: pool, toAccountId: bob, amount: 3 })).statusCode).toBe(201);
    expect(await balanceOf(alice)).toBe(1);
    expect(await balanceOf(bob)).toBe(3.25);
    expect(await balanceOf(shop)).toBe(1.25);
    expect(await balanceOf(pool)).toBe(7);
    expect(await balanceOf(mint)).toBe(-12.5);

    // A correction reverses the earn while Alice still holds enough: refused (she spent 1.5 of 2.5), then
    // the spend is corrected first and the earn can be.
    const correctEarn = await postOp(head, { kind: 'correction', correctsPostingId: earn.json().id, memo: '时长登记错误' });
    expect(correctEarn.statusCode, correctEarn.body).toBe(409);
    expect(errorOf(correctEarn).code).toBe('insufficient_credits');
    const spends = (await head.get(`/api/timebank/accounts/${alice}/entries`)).json().items;
    expect(spends.map((e: { kind: string }) => e.kind)).toEqual(['transfer', 'spend', 'earn']);
    expect(spends[0]).toMatchObject({ amount: -0.25, counterpartyAccountId: bob, counterpartyName: '家属 乙' });
    for (const e of spends.slice(0, 2)) {
      const r = await postOp(head, { kind: 'correction', correctsPostingId: e.postingId, memo: '撤销' });
      expect(r.statusCode, r.body).toBe(201);
    }
    const again = await postOp(head, { kind: 'correction', correctsPostingId: earn.json().id, memo: '时长登记错误' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ kind: 'correction', amount: 2.5, fromAccountId: alice, toAccountId: mint });
    expect(await balanceOf(alice)).toBe(0);
    const twice = await postOp(head, { kind: 'correction', correctsPostingId: earn.json().id, memo: '再次' });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('already_corrected');
    const ofCorrection = await postOp(head, { kind: 'correction', correctsPostingId: again.json().id, memo: '再次' });
    expect(errorOf(ofCorrection).code).toBe('cannot_correct_correction');
    await ledgerOk();
  });

  it('pages an account’s entries newest first with a keyset cursor', async () => {
    const a = await openAccount(head, 'person', '分页测试');
    for (let i = 1; i <= 5; i++) expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: i })).statusCode).toBe(201);
    const seen: number[] = [];
    let url = `/api/timebank/accounts/${a}/entries?limit=2`;
    for (let n = 0; n < 5; n++) {
      const page = (await auditor.get(url)).json();
      expect(page.total).toBe(5);
      seen.push(...page.items.map((e: { amount: number }) => e.amount));
      if (!page.nextCursor) break;
      url = `/api/timebank/accounts/${a}/entries?limit=2&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });

  it('refuses bad inputs with a 4xx and the uniform error body, and writes nothing', async () => {
    const a = await openAccount(head, 'person', '余额不足');
    const shop = await openAccount(head, 'catalogue', '目录 2');
    expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: 1 })).statusCode).toBe(201);
    const before = await verifyLedger(ctx.db);
    const cases: [unknown, number, string, Client?, (string | null)?][] = [
      [{ kind: 'spend', fromAccountId: a, toAccountId: shop, amount: 1.01 }, 409, 'insufficient_credits'],
      [{ kind: 'spend', fromAccountId: a, toAccountId: shop, amount: 0 }, 400, 'validation_failed'],
      [{ kind: 'spend', fromAccountId: a, toAccountId: shop, amount: -1 }, 400, 'validation_failed'],
      [{ kind: 'spend', fromAccountId: a, toAccountId: shop, amount: 0.005 }, 400, 'validation_failed'],
      [{ kind: 'spend', fromAccountId: shop, toAccountId: a, amount: 0.5 }, 400, 'validation_failed'],
      [{ kind: 'earn', toAccountId: shop, hours: 1 }, 400, 'validation_failed'],
      [{ kind: 'transfer', fromAccountId: a, toAccountId: a, amount: 0.5 }, 400, 'validation_failed'],
      [{ kind: 'spend', fromAccountId: a, toAccountId: shop, amount: 0.5 }, 400, 'validation_failed', head, null],
      [{ kind: 'earn', toAccountId: newId(), hours: 1 }, 404, 'account_not_found'],
      [{ kind: 'correction', correctsPostingId: newId(), memo: '不存在' }, 404, 'posting_not_found'],
      [{ kind: 'earn', toAccountId: a, hours: 1 }, 404, 'account_not_found', jfbHead],
      [{ kind: 'earn', toAccountId: a, hours: 1 }, 403, 'forbidden', auditor],
    ];
    for (const [body, status, code, who, key] of cases) {
      const res = await postOp(who ?? head, body, key === null ? null : newKey());
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(errorOf(res).code).toBe(code);
    }
    expect(await balanceOf(a)).toBe(1);
    const after = await verifyLedger(ctx.db);
    expect(after.postings).toBe(before.postings);
    expect(after.entries).toBe(before.entries);
    expect(after.ok).toBe(true);
  });

  it('is idempotent by key: the same body answers the first posting again, another body is a 409', async () => {
    const a = await openAccount(head, 'person', '幂等');
    const key = newKey();
    const body = { kind: 'earn', toAccountId: a, hours: 1.5, memo: '同一次' };
    const first = await postOp(head, body, key);
    expect(first.statusCode).toBe(201);
    const second = await postOp(head, { memo: '同一次', hours: 1.5, toAccountId: a, kind: 'earn' }, key);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const other = await postOp(head, { ...body, hours: 2 }, key);
    expect(other.statusCode).toBe(409);
    expect(errorOf(other).details[0]).toMatchObject({ path: 'Idempotency-Key', code: 'key_reused' });
    const sw = await signIn(ctx.app, 'qxg_sw');
    expect((await postOp(sw, body, key)).statusCode).toBe(409);
    expect(await balanceOf(a)).toBe(1.5);
    const n = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from timebank_postings where idempotency_key = ${key}`);
    expect(n?.n).toBe(1);
  });

  it('applies the yearly and lifetime earn caps and the transfer switch of the settings', async () => {
    const a = await openAccount(head, 'person', '封顶');
    const b = await openAccount(head, 'person', '家属');
    const s0 = (await auditor.get('/api/timebank/settings')).json();
    expect(s0).toMatchObject({ creditsPerHour: 1, yearlyEarnCap: null, lifetimeEarnCap: null, transfersAllowed: true });
    expect((await head.request({ method: 'PUT', url: '/api/timebank/settings', payload: { ...s0 } })).statusCode).toBe(403);
    const put = (p: unknown) => admin.request({ method: 'PUT', url: '/api/timebank/settings', payload: p as Record<string, unknown> });
    const s1 = await put({ ...s0, creditsPerHour: 2, yearlyEarnCap: 10, lifetimeEarnCap: 14, transfersAllowed: false });
    expect(s1.statusCode, s1.body).toBe(200);
    expect((await put({ ...s0 })).statusCode).toBe(409); // stale version
    try {
      expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: 4 })).json().amount).toBe(8);
      const over = await postOp(head, { kind: 'earn', toAccountId: a, hours: 1.5 });
      expect(over.statusCode).toBe(409);
      expect(errorOf(over)).toMatchObject({ code: 'cap_exceeded' });
      expect(errorOf(over).message).toContain('yearly cap of 10');
      expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: 1 })).statusCode).toBe(201);
      const tr = await postOp(head, { kind: 'transfer', fromAccountId: a, toAccountId: b, amount: 1 });
      expect(errorOf(tr).code).toBe('transfer_not_allowed');
      // The lifetime cap counts corrected earns out.
      await put({ ...(s1.json() as object), yearlyEarnCap: null, lifetimeEarnCap: 14 });
      const over2 = await postOp(head, { kind: 'earn', toAccountId: a, hours: 2.5 });
      expect(errorOf(over2).message).toContain('lifetime cap of 14');
      const first = (await head.get(`/api/timebank/accounts/${a}/entries`)).json().items.at(-1);
      expect((await postOp(head, { kind: 'correction', correctsPostingId: first.postingId, memo: '更正' })).statusCode).toBe(201);
      expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: 2.5 })).statusCode).toBe(201);
      expect(await balanceOf(a)).toBe(7);
    } finally {
      const cur = (await admin.get('/api/timebank/settings')).json();
      expect(
        (await put({ ...cur, creditsPerHour: 1, yearlyEarnCap: null, lifetimeEarnCap: null, transfersAllowed: true })).statusCode,
      ).toBe(200);
    }
    await ledgerOk();
  });

  it('lists accounts of the caller’s scope only', async () => {
    const jfb = await openAccount(jfbHead, 'person', '解放碑 账户', jfbStationId);
    const mine = (await head.get('/api/timebank/accounts?limit=200')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.map((a: { id: string }) => a.id)).not.toContain(jfb);
    expect((await head.get(`/api/timebank/accounts/${jfb}`)).statusCode).toBe(404);
    expect((await head.get(`/api/timebank/accounts/${jfb}/entries`)).statusCode).toBe(404);
    const refused = await head.post('/api/timebank/accounts', { kind: 'person', unitId: jfbStationId, name: 'x' });
    expect(refused.statusCode).toBe(404);
    const persons = (await admin.get('/api/timebank/accounts?kind=person&limit=200')).json().items;
    expect(persons.map((a: { id: string }) => a.id)).toContain(jfb);
  });

  it('keeps postings and entries append-only', async () => {
    const entry = await queryOne<{ id: string; posting_id: string }>(ctx.db, sql`select id, posting_id from timebank_entries limit 1`);
    expect(entry).toBeTruthy();
    const refusal = async (q: Promise<unknown>) => {
      try {
        await q;
        return 'accepted';
      } catch (e) {
        return String((e as { cause?: unknown }).cause ?? e);
      }
    };
    const id = entry?.id as string;
    const posting = entry?.posting_id as string;
    expect(await refusal(ctx.db.execute(sql`update timebank_entries set amount = amount + 1 where id = ${id}`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`delete from timebank_entries where id = ${id}`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`update timebank_postings set memo = 'x' where id = ${posting}`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`delete from timebank_postings where id = ${posting}`))).toMatch(/append-only/);
    expect(await refusal(ctx.db.execute(sql`truncate timebank_entries cascade`))).toMatch(/append-only/);
    // An unbalanced posting cannot even be committed.
    expect(
      await refusal(
        ctx.db.transaction(async (tx) => {
          await tx.execute(sql`insert into timebank_entries (id, posting_id, account_id, amount)
            select ${newId()}, posting_id, account_id, 1 from timebank_entries where id = ${id}`);
        }),
      ),
    ).toMatch(/does not balance/);
    await ledgerOk();
  });
});

// ----------------------------------------------------------------------------------------- property

type Op =
  | { t: 'earn'; to: number; hours: number }
  | { t: 'spend' | 'transfer'; from: number; to: number; amount: number }
  | { t: 'grant'; to: number; amount: number }
  | { t: 'correction'; pick: number; random: boolean }
  | { t: 'replay'; pick: number; alter: boolean };

/** Values the API must refuse (400), next to valid ones. */
const INVALID_AMOUNTS = [0, -1, -0.5, 0.001, 1.005, 100_001, 1e9];
const validAmount = (x: number) => x > 0 && x <= 100_000 && Math.abs(Math.round(x * 100) - x * 100) < 1e-6;

describe('time bank: property over random sequences of operations', () => {
  it('keeps every invariant after each step; refused operations change nothing', async () => {
    const kinds = ['person', 'person', 'person', 'unit_pool', 'catalogue', 'catalogue'] as const;
    const accounts: { id: string; kind: string }[] = [];
    for (const [i, kind] of kinds.entries())
      accounts.push({ id: await openAccount(head, kind, `性质测试 ${i}`, i === 2 ? officeId : stationId), kind });
    /** The model: balances in hundredths (issuing accounts too, by id), accepted postings, sent requests. */
    const balance = new Map<string, number>(accounts.map((a) => [a.id, 0]));
    const postings: { id: string; from: string; to: string; amount: number; kind: string; corrected: boolean }[] = [];
    const sent: { key: string; body: Record<string, unknown>; answer: unknown }[] = [];
    let refused = 0;
    let accepted = 0;

    const amount = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 800 }).map((n) => n / 100) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 15 }) },
      { weight: 1, arbitrary: fc.constantFrom(...INVALID_AMOUNTS) },
    );
    const acc = fc.integer({ min: 0, max: accounts.length - 1 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 2, arbitrary: fc.record({ t: fc.constant('earn' as const), to: acc, hours: amount }) },
      fc.record({ t: fc.constant('grant' as const), to: acc, amount }),
      fc.record({ t: fc.constantFrom('spend' as const, 'transfer' as const), from: acc, to: acc, amount }),
      fc.record({ t: fc.constant('correction' as const), pick: fc.nat(), random: fc.boolean() }),
      fc.record({ t: fc.constant('replay' as const), pick: fc.nat(), alter: fc.boolean() }),
    );

    async function step(o: Op) {
      const hb = (x: number) => Math.round(x * 100);
      let body: Record<string, unknown>;
      let key = newKey();
      /** Expected: status, and for a 201 the from/to/amount. */
      let expected: { status: number; from?: string; to?: string; amount?: number; code?: string };
      const a = (i: number) => accounts[i];
      const held = (id: string) => balance.get(id) ?? 0;
      if (o.t === 'replay') {
        if (!sent.length) return;
        const prior = sent[o.pick % sent.length];
        key = prior.key;
        body = o.alter ? { ...prior.body, memo: `altered ${o.pick}` } : prior.body;
        const res = await postOp(head, body, key);
        if (o.alter) {
          expect(res.statusCode, res.body).toBe(409);
          expect(errorOf(res).code).toBe('conflict');
          refused++;
        } else {
          expect(res.statusCode, res.body).toBe(201);
          expect(res.json()).toEqual(prior.answer);
        }
        return;
      }
      if (o.t === 'earn') {
        body = { kind: 'earn', toAccountId: a(o.to).id, hours: o.hours };
        expected =
          !validAmount(o.hours) || o.hours > 1000 || a(o.to).kind !== 'person'
            ? { status: 400 }
            : { status: 201, to: a(o.to).id, amount: hb(o.hours) };
      } else if (o.t === 'grant') {
        body = { kind: 'grant', toAccountId: a(o.to).id, amount: o.amount };
        expected =
          !validAmount(o.amount) || a(o.to).kind !== 'unit_pool' ? { status: 400 } : { status: 201, to: a(o.to).id, amount: hb(o.amount) };
      } else if (o.t === 'spend' || o.t === 'transfer') {
        const from = a(o.from);
        const to = a(o.to);
        body = { kind: o.t, fromAccountId: from.id, toAccountId: to.id, amount: o.amount };
        const toOk = o.t === 'spend' ? to.kind === 'catalogue' : to.kind === 'person';
        if (!validAmount(o.amount) || !['person', 'unit_pool'].includes(from.kind) || !toOk || from.id === to.id)
          expected = { status: 400 };
        else if (held(from.id) < hb(o.amount)) expected = { status: 409, code: 'insufficient_credits' };
        else expected = { status: 201, from: from.id, to: to.id, amount: hb(o.amount) };
      } else {
        const c = o as Extract<Op, { t: 'correction' }>;
        const target = c.random || !postings.length ? null : postings[c.pick % postings.length];
        body = { kind: 'correction', correctsPostingId: target?.id ?? newId(), memo: '性质测试更正' };
        if (!target) expected = { status: 404 };
        else if (target.kind === 'correction') expected = { status: 409, code: 'cannot_correct_correction' };
        else if (target.corrected) expected = { status: 409, code: 'already_corrected' };
        else if (isPlain(target.to) && held(target.to) < target.amount) expected = { status: 409, code: 'insufficient_credits' };
        else expected = { status: 201, from: target.to, to: target.from, amount: target.amount };
      }
      const res = await postOp(head, body, key);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(expected.status);
      if (res.statusCode !== 201) {
        refused++;
        errorOf(res);
        if (expected.code) expect(errorOf(res).code).toBe(expected.code);
        return;
      }
      accepted++;
      const p = res.json();
      if (expected.from) expect(p.fromAccountId).toBe(expected.from);
      expect(p.toAccountId).toBe(expected.to);
      expect(hb(p.amount)).toBe(expected.amount);
      // An issuing account met for the first time (opened by this posting, or by an earlier test) is read
      // from the database once; from then on the model follows it.
      for (const [id, delta] of [
        [p.fromAccountId, -hb(p.amount)],
        [p.toAccountId, hb(p.amount)],
      ] as const) {
        if (balance.has(id)) balance.set(id, held(id) + delta);
        else
          balance.set(
            id,
            Number((await queryOne<{ b: number }>(ctx.db, sql`select balance as b from timebank_accounts where id = ${id}`))?.b),
          );
      }
      if (p.kind === 'correction') {
        const t = postings.find((x) => x.id === p.correctsPostingId);
        if (t) t.corrected = true;
      }
      postings.push({ id: p.id, from: p.fromAccountId, to: p.toAccountId, amount: hb(p.amount), kind: p.kind, corrected: false });
      sent.push({ key, body, answer: p });
    }
    const plain = new Set(accounts.map((x) => x.id));
    function isPlain(id: string) {
      return plain.has(id);
    }

    const before = await verifyLedger(ctx.db);
    async function invariants() {
      const r = await verifyLedger(ctx.db);
      expect(r.violations).toEqual([]);
      const rows = await query<{ id: string; balance: number; kind: string; sum: number }>(
        ctx.db,
        sql`select a.id, a.balance, a.kind, coalesce((select sum(amount) from timebank_entries e where e.account_id = a.id), 0)::int as sum
            from timebank_accounts a where a.id in (select unnest(${sql.param([...balance.keys()])}::uuid[]))`,
      );
      for (const row of rows) {
        expect(Number(row.balance), row.id).toBe(balance.get(row.id));
        expect(Number(row.sum), row.id).toBe(balance.get(row.id));
        if (row.kind !== 'system') expect(Number(row.balance)).toBeGreaterThanOrEqual(0);
      }
      const total = await queryOne<{ s: number }>(ctx.db, sql`select coalesce(sum(amount), 0)::int as s from timebank_entries`);
      expect(Number(total?.s)).toBe(0);
      // Exactly the accepted postings were added: a refused operation left no posting behind.
      const mine = await queryOne<{ n: number; all: number }>(
        ctx.db,
        sql`select count(*) filter (where id in (select unnest(${sql.param(postings.map((p) => p.id))}::uuid[])))::int as n,
              count(*)::int as all from timebank_postings`,
      );
      expect(mine?.n).toBe(postings.length);
      expect(mine?.all).toBe(before.postings + postings.length);
    }

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) {
          await step(o);
          await invariants();
        }
      }),
      // 40 random sequences: with 20, a draw with only 9 accepted operations (of ~250) was seen once in CI, which
      // made the not-vacuous guard below fail although every operation had matched the model.
      { numRuns: 40 },
    );
    const after = await verifyLedger(ctx.db);
    expect(after.postings - before.postings).toBe(postings.length);
    expect(accepted).toBeGreaterThan(15);
    expect(refused).toBeGreaterThan(20);
  }, 240_000);
});

// ------------------------------------------------------------------------------------------- verify

async function seedLedger(db: Db) {
  const unitPath = 'x';
  const [mint, person, shop] = [newId(), newId(), newId()];
  for (const [id, kind] of [
    [mint, 'system'],
    [person, 'person'],
    [shop, 'catalogue'],
  ])
    await db.execute(
      sql`insert into timebank_accounts (id, kind, unit_id, unit_path, name) values (${id}, ${kind}, ${newId()}, ${unitPath}::ltree, ${kind})`,
    );
  const legs: [string, string, number][] = [
    [mint, person, 500],
    [person, shop, 200],
  ];
  const postingIds: string[] = [];
  for (const [from, to, amount] of legs) {
    const p = newId();
    postingIds.push(p);
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into timebank_postings (id, idempotency_key, request_hash, kind, unit_path)
        values (${p}, ${p}, 'h', ${from === mint ? 'earn' : 'spend'}, ${unitPath}::ltree)`);
      await tx.execute(sql`insert into timebank_entries (id, posting_id, account_id, amount)
        values (${newId()}, ${p}, ${from}, ${-amount}), (${newId()}, ${p}, ${to}, ${amount})`);
      await tx.execute(sql`update timebank_accounts set balance = balance - ${amount} where id = ${from}`);
      await tx.execute(sql`update timebank_accounts set balance = balance + ${amount} where id = ${to}`);
    });
  }
  return { mint, person, shop, postingIds };
}

describe('ledger:verify', () => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => database?.close());

  it('names the account whose balance is not the sum of its entries, and the posting that does not balance', async () => {
    const db = database.db;
    const s = await seedLedger(db);
    expect((await verifyLedger(db)).ok).toBe(true);
    await db.execute(sql`update timebank_accounts set balance = balance + 1 where id = ${s.shop}`);
    let r = await verifyLedger(db);
    expect(r.ok).toBe(false);
    expect(r.violations[0]).toMatchObject({ check: 'balance_is_sum' });
    expect(r.violations[0].message).toContain(s.shop);
    await db.execute(sql`update timebank_accounts set balance = balance - 1 where id = ${s.shop}`);
    expect((await verifyLedger(db)).ok).toBe(true);

    // Tampering needs the append-only trigger off: both the disabled trigger and the broken entry are named.
    await db.execute(sql`alter table timebank_entries disable trigger timebank_entries_no_update`);
    await db.execute(sql`update timebank_entries set amount = -700 where posting_id = ${s.postingIds[1]} and amount < 0`);
    r = await verifyLedger(db);
    const messages = r.violations.map((v) => `${v.check}: ${v.message}`);
    expect(messages[0]).toBe('append_only: trigger timebank_entries_no_update is disabled');
    expect(messages).toContainEqual(`posting_balanced: posting ${s.postingIds[1]}: entries sum to -5 credits, not 0`);
    expect(messages).toContainEqual('ledger_balanced: all entries sum to -5 credits, not 0');
    expect(messages.some((m) => m.startsWith('balance_is_sum') && m.includes(s.person))).toBe(true);
    expect(messages.some((m) => m.startsWith('never_negative') && m.includes(s.person))).toBe(true);
    await db.execute(sql`update timebank_entries set amount = -200 where posting_id = ${s.postingIds[1]} and amount < 0`);
    await db.execute(sql`alter table timebank_entries enable trigger timebank_entries_no_update`);
    expect((await verifyLedger(db)).violations).toEqual([]);
  });

  it('`npm run ledger:verify` exits 0 on a sound ledger and 1 naming the first violation', async () => {
    const pgUrl = process.env.TEST_DATABASE_URL;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-ledger-'));
    let target: Database & { url?: string };
    if (pgUrl) target = await testDatabase();
    else {
      target = await openDatabase({ dataDir });
      await target.migrate();
    }
    const env = { ...process.env, DATABASE_URL: target.url ?? '', WUSHE_DATA_DIR: dataDir };
    const run = async () => {
      try {
        const { stdout } = await promisify(execFile)('npx', ['tsx', 'apps/server/src/scripts/ledger-verify.ts'], { env, cwd: repoRoot() });
        return { code: 0, stdout };
      } catch (e) {
        const err = e as { code: number; stdout: string };
        return { code: err.code, stdout: err.stdout };
      }
    };
    try {
      const s = await seedLedger(target.db);
      if (!pgUrl) await target.close();
      const ok = await run();
      expect(ok.stdout).toContain('time-bank ledger ok: 3 accounts, 2 postings, 4 entries');
      expect(ok.code).toBe(0);
      if (!pgUrl) {
        target = await openDatabase({ dataDir });
      }
      await target.db.execute(sql`update timebank_accounts set balance = 7 where id = ${s.person}`);
      if (!pgUrl) await target.close();
      const broken = await run();
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(
        `time-bank ledger BROKEN: balance_is_sum: account ${s.person} (person): balance 0.07 but its entries sum to 3`,
      );
    } finally {
      if (pgUrl) await target.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

function repoRoot(): string {
  return path.resolve(import.meta.dirname, '../../../../..');
}

// ------------------------------------------------------------------------------------- concurrency

// Registered only in the PostgreSQL pass (npm run test:pg): PGlite has one connection, so nothing runs concurrently there.
if (process.env.TEST_DATABASE_URL)
  describe('time bank on PostgreSQL', () => {
    it('200 concurrent spends of 1 credit on an account holding 100: exactly 100 succeed, 100 get 409, balance 0', async () => {
      const a = await openAccount(head, 'person', '并发');
      const shop = await openAccount(head, 'catalogue', '并发目录');
      expect((await postOp(head, { kind: 'earn', toAccountId: a, hours: 100 })).statusCode).toBe(201);
      expect(await balanceOf(a)).toBe(100);
      const results = await Promise.all(
        Array.from({ length: 200 }, () => postOp(head, { kind: 'spend', fromAccountId: a, toAccountId: shop, amount: 1 })),
      );
      const byStatus = new Map<number, number>();
      for (const r of results) byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
      expect(Object.fromEntries(byStatus)).toEqual({ 201: 100, 409: 100 });
      for (const r of results.filter((x) => x.statusCode === 409)) expect(errorOf(r).code).toBe('insufficient_credits');
      expect(await balanceOf(a)).toBe(0);
      expect(await balanceOf(shop)).toBe(100);
      const entries = (await head.get(`/api/timebank/accounts/${a}/entries?limit=200`)).json();
      expect(entries.total).toBe(101);
      await ledgerOk();
    }, 120_000);

    it('the same key sent 20 times at once posts once', async () => {
      const a = await openAccount(head, 'person', '并发幂等');
      const key = newKey();
      const results = await Promise.all(Array.from({ length: 20 }, () => postOp(head, { kind: 'earn', toAccountId: a, hours: 1 }, key)));
      expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
      expect(await balanceOf(a)).toBe(1);
      await ledgerOk();
    }, 60_000);
  });
