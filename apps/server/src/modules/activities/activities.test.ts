import { idCheckChar } from '@wushe/domain';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { seedVolunteersDemo } from '../../seed/volunteers.js';
import { verifyLedger } from '../timebank/timebank.service.js';
import { volunteerForUser } from '../volunteers/volunteers.service.js';

let ctx: TestContext;
let sw: Client;
let jfbSw: Client;
let auditor: Client;
let stationId: string;
let jfbStationId: string;
let seq = 0;

/** A valid ID number (GB 11643) born in 1980 + n, unique per call. */
export function idNumber(n = ++seq): string {
  const first17 = `500103${1960 + (n % 40)}0101${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

const password = 'Vol#Passw0rd';

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  jfbSw = await signIn(ctx.app, 'jfb_sw');
  auditor = await signIn(ctx.app, 'yz_auditor');
  const unit = (name: string) => queryOne<{ id: string }>(ctx.db, sql`select id from units where name = ${name}`);
  stationId = (await unit('七星岗街道社会工作服务站'))?.id as string;
  jfbStationId = (await unit('解放碑街道社会工作服务站'))?.id as string;
});
afterAll(async () => ctx?.close());

/** Signs in a fresh volunteer login (its first sign-in must change the password, as the console does). */
async function signInVolunteer(app: FastifyInstance, username: string): Promise<Client> {
  const first = await signIn(app, username, password);
  const changed = await first.post('/api/auth/password', { currentPassword: password, newPassword: `${password}x` });
  expect(changed.statusCode, changed.body).toBeLessThan(300);
  return signIn(app, username, `${password}x`);
}

/** Registers on the public page, approves at the station, signs the new volunteer in. */
async function newVolunteer(name: string, staff = sw, unitId = stationId) {
  const n = ++seq;
  const reg = await ctx.app.inject({
    method: 'POST',
    url: '/api/public/volunteers',
    payload: { name, idNumber: idNumber(n), phone: `1380000${String(n).padStart(4, '0')}`, unitId, skills: ['助老'] },
  });
  expect(reg.statusCode, reg.body).toBe(202);
  const list = await staff.get(`/api/volunteers?status=pending&q=${encodeURIComponent(name)}`);
  expect(list.statusCode, list.body).toBe(200);
  const v = list.json().items.find((x: { name: string }) => x.name === name);
  expect(v, `${name} is pending`).toBeTruthy();
  const username = `vol${n}_${process.pid}`;
  const approved = await staff.post(`/api/volunteers/${v.id}/approve`, { version: v.version, username, password });
  expect(approved.statusCode, approved.body).toBe(200);
  expect(approved.json()).toMatchObject({ status: 'active', username, balance: 0, stars: 0 });
  const client = await signInVolunteer(ctx.app, username);
  return { id: v.id as string, accountId: approved.json().timebankAccountId as string, client, username };
}

async function publish(c: Client, body: Record<string, unknown> = {}) {
  const now = Date.now();
  const res = await c.post('/api/activities', {
    title: '重阳节敬老活动',
    place: '兴隆街社区活动室',
    unitId: stationId,
    startsAt: new Date(now - 30 * 60_000).toISOString(),
    endsAt: new Date(now + 3 * 3600_000).toISOString(),
    capacity: 2,
    skills: ['助老'],
    partners: ['community', 'volunteer'],
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const balance = async (accountId: string) => (await sw.get(`/api/timebank/accounts/${accountId}`)).json().balance as number;

describe('volunteers: registration and approval', () => {
  it('a resident registers on the public page; the ID is validated, encrypted, unique and masked', async () => {
    const id = idNumber();
    const body = { name: '钱志愿', idNumber: id, phone: '13800001111', unitId: stationId, skills: ['理发', '理发'], availability: '周末' };
    const res = await ctx.app.inject({ method: 'POST', url: '/api/public/volunteers', payload: body });
    expect(res.statusCode, res.body).toBe(202);
    const row = await queryOne<{ id_number_enc: string; id_number_masked: string; phone_enc: string; status: string; source: string }>(
      ctx.db,
      sql`select id_number_enc, id_number_masked, phone_enc, status, source from volunteers where name = '钱志愿'`,
    );
    expect(row?.id_number_enc).not.toContain(id.slice(6, 14));
    expect(row?.phone_enc).not.toContain('13800001111');
    expect(row).toMatchObject({ status: 'pending', source: 'self', id_number_masked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
    const list = (await sw.get('/api/volunteers?q=钱志愿')).json();
    expect(list.items[0]).toMatchObject({ idNumberMasked: row?.id_number_masked, phoneMasked: '138****1111', skills: ['理发'] });
    expect(JSON.stringify(list)).not.toContain(id);
    // The full ID number finds the volunteer through the blind index.
    expect((await sw.get(`/api/volunteers?q=${id}`)).json().total).toBe(1);

    const dup = await ctx.app.inject({ method: 'POST', url: '/api/public/volunteers', payload: { ...body, name: '钱志愿二' } });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).details[0]).toMatchObject({ path: 'idNumber', code: 'duplicate' });
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/public/volunteers',
      payload: { ...body, idNumber: `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details[0]).toMatchObject({ path: 'idNumber', code: 'checksum' });
  });

  it('the honeypot answers like a success and keeps nothing', async () => {
    const before = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from volunteers`);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/public/volunteers',
      payload: { name: '机器人', idNumber: idNumber(), phone: '13800002222', unitId: stationId, website: 'http://spam.example' },
    });
    expect(res.statusCode).toBe(202);
    const after = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from volunteers`);
    expect(after?.n).toBe(before?.n);
  });

  it('public registration is rate-limited', async () => {
    const limited = await testApp({ seed: true, config: { loginRateLimitPerMinute: 2 } });
    try {
      const unit = await queryOne<{ id: string }>(limited.db, sql`select id from units where name = '七星岗街道社会工作服务站'`);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/public/volunteers',
          payload: { name: `限流${i}`, idNumber: idNumber(), phone: '13800003333', unitId: unit?.id },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(errorOf(res).code).toBe('rate_limited');
      }
      expect(codes.slice(0, 2)).toEqual([202, 202]);
      expect(codes.slice(2)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('approval creates a login of role volunteer and a time-bank account owned by the volunteer; reject needs a reason', async () => {
    const v = await newVolunteer('孙志愿');
    const me = await v.client.get('/api/my/volunteer');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ id: v.id, status: 'active', hours: 0, stars: 0 });
    const account = await queryOne<{ owner_id: string; kind: string }>(
      ctx.db,
      sql`select owner_id, kind from timebank_accounts where id = ${v.accountId}`,
    );
    expect(account).toEqual({ owner_id: v.id, kind: 'person' });
    const user = await queryOne<{ id: string; role: string }>(ctx.db, sql`select id, role from users where username = ${v.username}`);
    expect(user?.role).toBe('volunteer');
    expect(await volunteerForUser(ctx.db, user?.id as string)).toMatchObject({
      id: v.id,
      status: 'active',
      timebankAccountId: v.accountId,
    });

    // Approving twice: 409 (stale version or status), never a second account.
    const again = await sw.post(`/api/volunteers/${v.id}/approve`, { version: 2, username: `${v.username}b`, password });
    expect(again.statusCode).toBe(409);
    errorOf(again);

    await ctx.app.inject({
      method: 'POST',
      url: '/api/public/volunteers',
      payload: { name: '周不符', idNumber: idNumber(), phone: '13800004444', unitId: stationId },
    });
    const p = (await sw.get('/api/volunteers?q=周不符')).json().items[0];
    expect((await sw.post(`/api/volunteers/${p.id}/reject`, { version: p.version, reason: '' })).statusCode).toBe(400);
    const rejected = await sw.post(`/api/volunteers/${p.id}/reject`, { version: p.version, reason: '未满十八周岁' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', statusReason: '未满十八周岁' });
  });

  it('other streets’ volunteers are 404; auditors read but may not approve; volunteers may not read the register', async () => {
    const v = await newVolunteer('吴志愿');
    const res = await jfbSw.get(`/api/volunteers/${v.id}`);
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('volunteer_not_found');
    expect((await jfbSw.get(`/api/volunteers/${v.id}/certificate`)).statusCode).toBe(404);
    expect((await jfbSw.get(`/api/volunteers/${v.id}/record.xlsx`)).statusCode).toBe(404);
    expect((await jfbSw.patch(`/api/volunteers/${v.id}`, { version: 2, availability: 'x' })).statusCode).toBe(404);
    expect((await jfbSw.get('/api/volunteers?limit=200')).body).not.toContain('吴志愿');
    expect((await auditor.get(`/api/volunteers/${v.id}`)).statusCode).toBe(200);
    expect((await auditor.post(`/api/volunteers/${v.id}/suspend`, { version: 2, reason: '测试' })).statusCode).toBe(403);
    expect((await v.client.get('/api/volunteers')).statusCode).toBe(403);
    // A station may not register a volunteer at another street's unit.
    const other = await jfbSw.post('/api/volunteers', { name: '越界', idNumber: idNumber(), phone: '13800005555', unitId: stationId });
    expect(other.statusCode).toBe(400);
    expect(errorOf(other).details[0]).toMatchObject({ path: 'unitId', code: 'unknown_unit' });
    expect(jfbStationId).toBeTruthy();
  });

  it('lists page and sort without repeats (keyset cursors), by name and by hours', async () => {
    for (const sort of ['name', '-name', 'createdAt', '-hours']) {
      const seen: string[] = [];
      let url = `/api/volunteers?limit=2&sort=${sort}`;
      for (let i = 0; i < 50; i++) {
        const res = await sw.get(url);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        seen.push(...body.items.map((x: { id: string }) => x.id));
        if (!body.nextCursor) {
          expect(seen.length).toBe(body.total);
          break;
        }
        url = `/api/volunteers?limit=2&sort=${sort}&cursor=${body.nextCursor}`;
      }
      expect(new Set(seen).size, sort).toBe(seen.length);
    }
  });
});

describe('activities: sign-up, waitlist, check-in and out, confirmation', () => {
  it('registration → approval → sign-up → waitlist → cancel promotes → QR check-in → check-out → confirm → balance rises once', async () => {
    const a = await newVolunteer('甲志愿');
    const b = await newVolunteer('乙志愿');
    const c = await newVolunteer('丙志愿');
    const leader = await newVolunteer('丁队长');
    const activity = await publish(sw, { leaderId: leader.id });

    const sa = await a.client.post(`/api/my/activities/${activity.id}/signup`);
    expect(sa.statusCode, sa.body).toBe(200);
    expect(sa.json().mySignup).toMatchObject({ status: 'signed_up', waitlistPosition: null });
    expect((await b.client.post(`/api/my/activities/${activity.id}/signup`)).json().mySignup.status).toBe('signed_up');
    // Full: the third goes on the waitlist — a 200, not an error.
    const sc = await c.client.post(`/api/my/activities/${activity.id}/signup`);
    expect(sc.statusCode).toBe(200);
    expect(sc.json().mySignup).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(sc.json()).toMatchObject({ signedUp: 2, waitlisted: 1 });
    const twice = await c.client.post(`/api/my/activities/${activity.id}/signup`);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('already_signed_up');

    // b cancels: c moves up.
    const cancel = await b.client.post(`/api/my/activities/${activity.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().mySignup.status).toBe('cancelled');
    expect((await c.client.get(`/api/my/activities/${activity.id}`)).json().mySignup).toMatchObject({ status: 'signed_up' });

    // The leader sees the QR; the volunteer checks in with it.
    const qr = await leader.client.get(`/api/activities/${activity.id}/qr`);
    expect(qr.statusCode, qr.body).toBe(200);
    const { token, path } = qr.json();
    expect(path).toBe(`/v/checkin/${activity.id}?t=${token}`);
    expect((await a.client.get(`/api/activities/${activity.id}/qr`)).statusCode).toBe(404);

    const early = await a.client.post(`/api/my/activities/${activity.id}/check-out`, { token });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('not_checked_in');
    const wrong = await a.client.post(`/api/my/activities/${activity.id}/check-in`, { token: 'not-the-token' });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).code).toBe('invalid_token');
    const inn = await a.client.post(`/api/my/activities/${activity.id}/check-in`, { token });
    expect(inn.statusCode, inn.body).toBe(200);
    expect(inn.json().mySignup.checkInAt).toBeTruthy();
    const double = await a.client.post(`/api/my/activities/${activity.id}/check-in`, { token });
    expect(double.statusCode).toBe(409);
    expect(errorOf(double).code).toBe('already_checked_in');
    // b (cancelled) cannot check in.
    const bIn = await b.client.post(`/api/my/activities/${activity.id}/check-in`, { token });
    expect(bIn.statusCode).toBe(409);
    expect(errorOf(bIn).code).toBe('not_signed_up');

    // Two hours on site: move the check-in back, then check out.
    await ctx.db.execute(sql`update activity_signups set check_in_at = now() - interval '2 hours'
      where activity_id = ${activity.id} and volunteer_id = ${a.id}`);
    const out = await a.client.post(`/api/my/activities/${activity.id}/check-out`, { token });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().mySignup.hours).toBeCloseTo(2, 1);

    const signups = (await leader.client.get(`/api/activities/${activity.id}/signups`)).json().items;
    const sA = signups.find((s: { volunteerId: string }) => s.volunteerId === a.id);
    // The leader adjusts (travel excluded, a break taken) with a reason, then confirms.
    const adj = await leader.client.patch(`/api/activities/${activity.id}/signups/${sA.id}/hours`, {
      version: sA.version,
      hours: 1.5,
      reason: '中途离开半小时',
    });
    expect(adj.statusCode, adj.body).toBe(200);
    expect(adj.json()).toMatchObject({ hours: 1.5, adjustReason: '中途离开半小时' });

    expect(await balance(a.accountId)).toBe(0);
    const ok = await leader.client.post(`/api/activities/${activity.id}/signups/${sA.id}/confirm`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().confirmedAt).toBeTruthy();
    const again = await leader.client.post(`/api/activities/${activity.id}/signups/${sA.id}/confirm`);
    expect(again.statusCode).toBe(200);
    const staffAgain = await sw.post(`/api/activities/${activity.id}/signups/${sA.id}/confirm`);
    expect(staffAgain.statusCode).toBe(200);
    expect(await balance(a.accountId)).toBe(1.5);
    const postings = await query<{ id: string }>(
      ctx.db,
      sql`select id from timebank_postings where idempotency_key = ${`activity-signup:${sA.id}`}`,
    );
    expect(postings).toHaveLength(1);
    expect((await a.client.get('/api/my/volunteer')).json()).toMatchObject({ hours: 1.5, balance: 1.5 });
    const late = await leader.client.patch(`/api/activities/${activity.id}/signups/${sA.id}/hours`, {
      version: ok.json().version,
      hours: 3,
      reason: '再改',
    });
    expect(late.statusCode).toBe(409);
    expect(errorOf(late).code).toBe('already_confirmed');

    // The record and the certificate carry the hours.
    const cert = (await a.client.get('/api/my/volunteer/certificate')).json();
    expect(cert).toMatchObject({ name: '甲志愿', totalHours: 1.5, activityCount: 1, issuingUnit: '七星岗街道社会工作服务站' });
    expect(cert.idNumberMasked).toMatch(/^5001\*+\w{4}$/);
    const xlsx = await sw.get(`/api/volunteers/${a.id}/record.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await verifyLedger(ctx.db)).ok).toBe(true);

    // Residents served are counted on the activity.
    const act = (await sw.get(`/api/activities/${activity.id}`)).json();
    const served = await sw.patch(`/api/activities/${activity.id}`, { version: act.version, residentsServed: 35 });
    expect(served.json()).toMatchObject({ residentsServed: 35, confirmedHours: 1.5, checkedIn: 1 });
  });

  it('the leader checks a volunteer in and out; check-out before check-in and double check-in are 409s', async () => {
    const v = await newVolunteer('戊志愿');
    const activity = await publish(sw, { capacity: 5 });
    const s = await sw.post(`/api/activities/${activity.id}/signups`, { volunteerId: v.id });
    expect(s.statusCode, s.body).toBe(201);
    const sid = s.json().id;
    const outFirst = await sw.post(`/api/activities/${activity.id}/signups/${sid}/check-out`, {});
    expect(outFirst.statusCode).toBe(409);
    expect(errorOf(outFirst).code).toBe('not_checked_in');
    const at = new Date(Date.now() - 3 * 3600_000).toISOString();
    const inn = await sw.post(`/api/activities/${activity.id}/signups/${sid}/check-in`, { at });
    // Three hours ago is more than two hours before the start (30 minutes ago): too early.
    expect(inn.statusCode).toBe(409);
    expect(errorOf(inn).code).toBe('too_early');
    const inn2 = await sw.post(`/api/activities/${activity.id}/signups/${sid}/check-in`, {
      at: new Date(Date.now() - 60 * 60_000).toISOString(),
    });
    expect(inn2.statusCode, inn2.body).toBe(200);
    expect((await sw.post(`/api/activities/${activity.id}/signups/${sid}/check-in`, {})).statusCode).toBe(409);
    const out = await sw.post(`/api/activities/${activity.id}/signups/${sid}/check-out`, {});
    expect(out.json().hours).toBeCloseTo(1, 1);
    const noCancel = await v.client.post(`/api/my/activities/${activity.id}/cancel`);
    expect(noCancel.statusCode).toBe(409);
    expect(errorOf(noCancel).code).toBe('already_checked_in');
    // Another street cannot see, lead or confirm it.
    expect((await jfbSw.get(`/api/activities/${activity.id}`)).statusCode).toBe(404);
    expect((await jfbSw.get(`/api/activities/${activity.id}/signups`)).statusCode).toBe(404);
    expect((await jfbSw.post(`/api/activities/${activity.id}/signups/${sid}/confirm`)).statusCode).toBe(404);
    expect((await auditor.post(`/api/activities/${activity.id}/signups/${sid}/confirm`)).statusCode).toBe(404);
  });

  it('a suspended volunteer cannot sign up; a non-volunteer login has no "my" activities', async () => {
    const v = await newVolunteer('己志愿');
    const row = (await sw.get(`/api/volunteers/${v.id}`)).json();
    expect((await sw.post(`/api/volunteers/${v.id}/suspend`, { version: row.version, reason: '多次爽约' })).statusCode).toBe(200);
    const activity = await publish(sw);
    const res = await v.client.post(`/api/my/activities/${activity.id}/signup`);
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('volunteer_not_active');
    const none = await sw.get('/api/my/activities');
    expect(none.statusCode).toBe(404);
    expect(errorOf(none).code).toBe('not_a_volunteer');
  });

  it('a volunteer of another street cannot see or sign up for the activity', async () => {
    const jfbVol = await newVolunteer('解放碑志愿', jfbSw, jfbStationId);
    const activity = await publish(sw);
    expect((await jfbVol.client.get(`/api/my/activities/${activity.id}`)).statusCode).toBe(404);
    expect((await jfbVol.client.post(`/api/my/activities/${activity.id}/signup`)).statusCode).toBe(404);
    const open = (await jfbVol.client.get('/api/my/activities?view=open')).json();
    expect(open.items.map((x: { id: string }) => x.id)).not.toContain(activity.id);
  });

  it('raising the capacity moves the waitlist up; lowering it below the sign-ups is refused', async () => {
    const vs = [await newVolunteer('庚一'), await newVolunteer('庚二'), await newVolunteer('庚三')];
    const activity = await publish(sw, { capacity: 1 });
    for (const v of vs) expect((await v.client.post(`/api/my/activities/${activity.id}/signup`)).statusCode).toBe(200);
    let a = (await sw.get(`/api/activities/${activity.id}`)).json();
    expect(a).toMatchObject({ signedUp: 1, waitlisted: 2 });
    a = (await sw.patch(`/api/activities/${activity.id}`, { version: a.version, capacity: 2 })).json();
    expect(a).toMatchObject({ signedUp: 2, waitlisted: 1 });
    expect((await vs[1].client.get(`/api/my/activities/${activity.id}`)).json().mySignup.status).toBe('signed_up');
    const low = await sw.patch(`/api/activities/${activity.id}`, { version: a.version, capacity: 1 });
    expect(low.statusCode).toBe(409);
    expect(errorOf(low).code).toBe('capacity_below_signups');
  });

  it('property: any sequence of sign-ups and cancellations keeps signed_up ≤ capacity and a waitlist only when full', async () => {
    const vols = [await newVolunteer('辛一'), await newVolunteer('辛二'), await newVolunteer('辛三'), await newVolunteer('辛四')];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
        async (capacity, steps) => {
          const activity = await publish(sw, { capacity });
          for (const [i, join] of steps) {
            const res = await vols[i].client.post(`/api/my/activities/${activity.id}/${join ? 'signup' : 'cancel'}`);
            expect([200, 409]).toContain(res.statusCode);
            const rows = await query<{ status: string; n: number }>(
              ctx.db,
              sql`select status, count(*)::int as n from activity_signups where activity_id = ${activity.id} group by status`,
            );
            const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
            expect(count('signed_up')).toBeLessThanOrEqual(capacity);
            if (count('waitlisted') > 0) expect(count('signed_up')).toBe(capacity);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('demo data', () => {
  it('seeds 七星岗: qxg_vol an active courier with 2.5 confirmed hours (posted once), a team, two activities, two applications', async () => {
    await seedVolunteersDemo(ctx.db, ctx.app.fieldCrypto);
    const vol = await signIn(ctx.app, 'qxg_vol');
    const me = await vol.get('/api/my/volunteer');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ name: '赵志愿', status: 'active', isCourier: true, hours: 2.5, balance: 2.5 });
    const mine = (await vol.get('/api/my/activities?view=mine')).json();
    expect(mine.items.map((a: { title: string }) => a.title).sort()).toEqual(['义务理发进社区', '重阳节敬老包饺子']);
    // The seeded ID number is searchable with the server's key.
    expect((await sw.get('/api/volunteers?q=钱报名')).json().items[0]).toMatchObject({ status: 'pending', source: 'self' });
    expect((await verifyLedger(ctx.db)).ok).toBe(true);
  });
});
