import type { Role } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, queryOne } from '../../platform/db.js';
import { createAccount, postOperation } from '../timebank/timebank.service.js';
import { createErrand } from './errands.service.js';

async function actorOf(db: Db, username: string): Promise<Actor | null> {
  const u = await queryOne<{ id: string; display_name: string; role: Role; unit_id: string; unit_path: string }>(
    db,
    sql`select id, display_name, role, unit_id, unit_path::text as unit_path from users where username = ${username}`,
  );
  return u ? { userId: u.id, username, displayName: u.display_name, role: u.role, unitId: u.unit_id, scopePath: u.unit_path } : null;
}

const hoursAhead = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/**
 * Demo errands of 七星岗: 兴隆街's errand pool (跑腿互助池, granted 200 credits) and two open errands the
 * community worker of 兴隆街 posted for residents — waiting on the board for a courier such as qxg_vol.
 */
export async function seedErrandsDemo(db: Db): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const head = await actorOf(tx, 'qxg_head');
    const cw = await actorOf(tx, 'qxg_cw');
    const office = await queryOne<{ id: string }>(tx, sql`select id from units where name = '兴隆街社区社会工作室'`);
    if (!head || !cw || !office) return;
    // The pool sits at the community's office: its grant comes from the office's issuing account, not the station's.
    const pool = await createAccount({
      db: tx,
      actor: head,
      input: { kind: 'unit_pool', unitId: office.id, name: '兴隆街社区 跑腿互助池' },
    });
    await postOperation({
      db: tx,
      actor: head,
      key: 'demo:errands:pool-grant',
      input: { kind: 'grant', toAccountId: pool.id, amount: 200, memo: '跑腿酬劳预拨' },
    });
    await createErrand({
      db: tx,
      actor: cw,
      input: {
        kind: 'shopping',
        title: '代购降压药和一周的蔬菜',
        details: '独居老人王婆婆，药方在社区工作室，买好送到家门口',
        place: '兴隆街 12 号 3 楼',
        unitId: office.id,
        windowFrom: hoursAhead(2),
        windowTo: hoursAhead(26),
        reward: 2,
      },
    });
    await createErrand({
      db: tx,
      actor: cw,
      input: {
        kind: 'escort',
        title: '陪同李大爷到市中医院复诊',
        details: '上午 9 点在楼下碰头，挂号已预约',
        place: '兴隆街 8 号楼下',
        unitId: office.id,
        windowFrom: hoursAhead(20),
        windowTo: hoursAhead(24),
        reward: 3,
      },
    });
  });
}
