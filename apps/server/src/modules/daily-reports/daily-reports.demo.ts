import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { addDays, shanghaiToday } from './daily-reports.service.js';

const HIGHLIGHTS = [
  '走访独居老人，协助办理高龄津贴认证',
  '热线值班，为两户困难家庭链接爱心粮油',
  '开展“邻里守望”小组活动一节，8 名长者参加',
  '为一名困境儿童联系心理疏导，家长已同意',
  '协助社区开展防诈骗宣传，发放资料 60 份',
  '回访上周的缺药诉求，药品已送到',
];

/**
 * Demo data of the daily report: submitted reports of the last six days for 七星岗 and 解放碑 (解放碑 skipped
 * one day), none for today, so the roll-up shows figures, completeness below 100 % and missing units.
 */
export async function seedDailyReportsDemo(db: Db): Promise<void> {
  const today = shanghaiToday();
  for (const [name, filer, skip] of [
    ['七星岗街道社会工作服务站', 'qxg_head', -1],
    ['解放碑街道社会工作服务站', 'jfb_head', 3],
  ] as const) {
    for (let i = 1; i <= 6; i++) {
      if (i === skip) continue;
      const day = addDays(today, -i);
      const n = (k: number) => (i * 7 + k * 3 + name.length) % (k + 5);
      await db.execute(sql`insert into daily_reports (id, unit_id, unit_path, day, status, late, people_served, visits, needs_met,
          tickets_received, shifts, calls, volunteer_hours, solved_grain, solved_oil, solved_medicine, solved_policy, solved_emotional,
          highlights, submitted_at, submitted_by, created_by)
        select gen_random_uuid(), u.id, u.path, ${day}::date, 'submitted', false, ${12 + n(9)}, ${6 + n(4)}, ${n(2)},
          ${2 + n(3)}, 1, ${5 + n(6)}, ${n(5) + 0.5}, ${n(1)}, ${n(0)}, ${n(2)}, ${1 + n(1)}, ${n(3)},
          ${`${name.slice(0, 3)}：${HIGHLIGHTS[i - 1]}`}, (${day}::date + interval '1 day' - interval '6 hours')::timestamp at time zone 'Asia/Shanghai', us.id, us.id
        from units u left join users us on us.username = ${filer} where u.name = ${name}
        on conflict (unit_id, day) do nothing`);
    }
  }
}
