import { idCheckChar } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import { confirmHours, createActivity, getActivity, signUp } from '../modules/activities/activities.service.js';
import { approveVolunteer, createTeam, getVolunteer, registerVolunteer } from '../modules/volunteers/volunteers.service.js';
import { SYSTEM_ACTOR } from '../platform/actor.js';
import type { FieldCrypto } from '../platform/crypto.js';
import { type Db, queryOne } from '../platform/db.js';
import { newId } from '../platform/ids.js';

const id18 = (first17: string) => first17 + idCheckChar(first17);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
const hoursAhead = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

/**
 * Demo volunteers and activities of 七星岗: 赵志愿 (the demo login qxg_vol, an active courier with a time-bank
 * account) leads 七星岗助老服务队, took part in last week's activity (2.5 confirmed hours) and is signed up
 * for the next one; 钱报名 registered on the public page and waits for approval. 解放碑 has one pending
 * volunteer. Run by main.ts on first start with the server's field encryption (like the casework demo), and
 * kept out of the tests' seed.
 */
export async function seedVolunteersDemo(db: Db, crypto: FieldCrypto): Promise<void> {
  const actor = SYSTEM_ACTOR;
  const unit = async (name: string) => (await queryOne<{ id: string }>(db, sql`select id from units where name = ${name}`))?.id;
  const qxg = await unit('七星岗街道社会工作服务站');
  const xinglong = await unit('兴隆街社区社会工作室');
  const jfb = await unit('解放碑街道社会工作服务站');
  const volUser = await queryOne<{ id: string }>(db, sql`select id from users where username = 'qxg_vol'`);
  if (!qxg || !xinglong || !jfb || !volUser) return;

  const zhao = await registerVolunteer({
    db,
    actor,
    crypto,
    input: {
      name: '赵志愿',
      idNumber: id18('50010319880315123'),
      phone: '13983000001',
      unitId: qxg,
      skills: ['助老', '跑腿', '理发'],
      availability: '周末全天，工作日晚上',
      isCourier: true,
    },
  });
  const v = await getVolunteer(db, actor, zhao);
  await approveVolunteer({ db, actor, id: zhao, input: { version: v.version, userId: volUser.id } });
  await registerVolunteer({
    db,
    actor: null,
    crypto,
    input: {
      name: '钱报名',
      idNumber: id18('50010319950621234'),
      phone: '13983000002',
      unitId: xinglong,
      skills: ['心理疏导'],
      availability: '周六上午',
      isCourier: false,
    },
  });
  await registerVolunteer({
    db,
    actor: null,
    crypto,
    input: {
      name: '孙报名',
      idNumber: id18('50010319920909345'),
      phone: '13983000003',
      unitId: jfb,
      skills: ['电工'],
      availability: null,
      isCourier: true,
    },
  });
  const team = await createTeam({
    db,
    actor,
    input: { name: '七星岗助老服务队', unitId: qxg, leaderId: zhao, description: '陪伴独居老人、代买代办、节日探访' },
  });

  // Last week: 重阳节 dumplings with the elders, 2.5 hours on site, confirmed into the time bank.
  const past = await createActivity({
    db,
    actor,
    input: {
      title: '重阳节敬老包饺子',
      description: '和辖区独居老人一起包饺子、聊家常',
      startsAt: hoursAhead(1),
      endsAt: hoursAhead(4),
      place: '兴隆街社区活动室',
      unitId: qxg,
      capacity: 10,
      skills: ['助老'],
      partners: ['community', 'social_worker', 'volunteer'],
      teamId: team.id,
      leaderId: zhao,
    },
  });
  const signupId = newId();
  await db.execute(sql`update activities set starts_at = ${hoursAgo(170)}::timestamptz, ends_at = ${hoursAgo(167)}::timestamptz,
    residents_served = 18, status = 'closed' where id = ${past.id}`);
  await db.execute(sql`insert into activity_signups (id, activity_id, volunteer_id, unit_path, status, queued_at, check_in_at, check_out_at, hours)
    select ${signupId}, a.id, ${zhao}, a.unit_path, 'signed_up', ${hoursAgo(200)}::timestamptz, ${hoursAgo(169.8)}::timestamptz,
      ${hoursAgo(167.3)}::timestamptz, 250 from activities a where a.id = ${past.id}`);
  await confirmHours({ db, actor, activity: await getActivity(db, actor, past.id), signupId });

  // Next Saturday: free haircuts; 赵志愿 is signed up.
  const next = await createActivity({
    db,
    actor,
    input: {
      title: '义务理发进社区',
      description: '为行动不便的老人上门或在活动室理发',
      startsAt: hoursAhead(72),
      endsAt: hoursAhead(75),
      place: '七星岗街道中山一路社区广场',
      unitId: qxg,
      capacity: 6,
      skills: ['理发'],
      partners: ['community', 'volunteer', 'charity'],
      teamId: team.id,
      leaderId: null,
    },
  });
  await signUp({ db, actor, activity: next, volunteerId: zhao });
}
