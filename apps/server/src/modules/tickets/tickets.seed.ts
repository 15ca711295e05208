import type { Role } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, queryOne } from '../../platform/db.js';
import { createHotline, createShift } from './hotlines.service.js';
import { changeTicket, createTicket } from './tickets.service.js';

/** The demo seed writes no phone numbers, so it needs no field key. */
const NO_CRYPTO = {} as FieldCrypto;

async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await queryOne<{ id: string; display_name: string; role: Role; unit_id: string; unit_path: string }>(
    db,
    sql`select id, display_name, role, unit_id, unit_path::text as unit_path from users where username = ${username}`,
  );
  if (!u) throw new Error(`demo user ${username} missing`);
  return { userId: u.id, username, displayName: u.display_name, role: u.role, unitId: u.unit_id, scopePath: u.unit_path };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/**
 * Demo tickets of 七星岗: its hotline with last night's shift, and three calls of the past days — one
 * closed with the caller's feedback, one being worked on by the community worker, one still new (and so
 * overdue: the escalation job hands it to the district centre on its first run).
 */
export async function seedTicketsDemo(db: Db): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const head = await actorOf(tx, 'qxg_head');
    const sw = await actorOf(tx, 'qxg_sw');
    const cw = await actorOf(tx, 'qxg_cw');
    const line = await createHotline({
      db: tx,
      actor: head,
      input: { unitId: head.unitId as string, number: '023-6385 1234', name: '七星岗街道为民服务热线', hours: '24小时' },
    });
    await createShift({
      db: tx,
      actor: head,
      input: {
        hotlineId: line.id,
        userId: sw.userId as string,
        startsAt: hoursAgo(30),
        endsAt: hoursAgo(18),
        calls: 14,
        peopleServed: 11,
        notes: '夜班：3 位独居老人来电求助买菜',
      },
    });
    const call = (over: Partial<Parameters<typeof createTicket>[0]['input']>) =>
      createTicket({
        db: tx,
        actor: sw,
        crypto: NO_CRYPTO,
        input: {
          channel: 'hotline',
          category: 'other',
          urgency: 'normal',
          summary: '',
          hotlineId: line.id,
          regionCode: '500103001013',
          ...over,
        },
      });
    const closed = await call({
      category: 'policy',
      summary: '咨询高龄津贴怎么申请',
      regionCode: '500103001015',
      callerName: '何阿姨',
      receivedAt: hoursAgo(50),
    });
    let v = closed.version;
    for (const change of [
      { action: 'accept' as const },
      { action: 'solve' as const, solution: '电话讲解申请材料，并约好周三到站里帮填表' },
      { action: 'close' as const, callbackResult: 'reached' as const, satisfaction: 5, feedback: '讲得很清楚' },
    ]) {
      v = (await changeTicket({ db: tx, actor: sw, id: closed.id, change: { ...change, version: v } })).version;
    }
    const working = await call({
      category: 'vegetables',
      summary: '独居老人腿伤，家里没菜了，需要有人帮忙买菜',
      regionCode: '500103001003',
      address: '华一坡 8 号',
      callerName: '陈大爷',
      receivedAt: hoursAgo(26),
    });
    v = working.version;
    v = (await changeTicket({ db: tx, actor: sw, id: working.id, change: { action: 'accept', version: v } })).version;
    v = (await changeTicket({ db: tx, actor: sw, id: working.id, change: { action: 'assign', version: v, userId: cw.userId as string } }))
      .version;
    await changeTicket({ db: tx, actor: cw, id: working.id, change: { action: 'progress', version: v, note: '已联系志愿者明早送菜' } });
    await call({
      category: 'medicine',
      urgency: 'urgent',
      summary: '降压药吃完了，行动不便，请帮忙代购',
      address: '兴隆街 12 号 3-1',
      callerName: '王大爷',
      receivedAt: hoursAgo(2),
    });
    // The demo starts with an empty bell: the seed's assignment and urgent-call notices are not kept.
    await tx.execute(sql`delete from notifications where entity_type = 'ticket'`);
  });
}
