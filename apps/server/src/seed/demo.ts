import type { Role } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import { type Db, queryOne } from '../platform/db.js';
import { makeOperator, makeUnit, makeUser, makeZone } from './factories.js';

/** The 8 communities of 七星岗街道 (500103001) named in the seed articles. */
export const QIXINGGANG_COMMUNITIES: [string, string][] = [
  ['500103001013', '兴隆街'],
  ['500103001003', '华一坡'],
  ['500103001014', '归元寺'],
  ['500103001017', '捍卫路'],
  ['500103001015', '金汤街'],
  ['500103001006', '临华路'],
  ['500103001011', '领事巷'],
  ['500103001016', '抗建堂'],
];

export const DEMO_USERS: { username: string; displayName: string; role: Role; unit: string | null }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'system_admin', unit: null },
  { username: 'cq_admin', displayName: '重庆市民政局管理员', role: 'civil_affairs_admin', unit: 'bureau' },
  { username: 'yz_centre', displayName: '渝中区指导中心 王老师', role: 'centre_staff', unit: 'centre' },
  { username: 'yz_sup', displayName: '督导 刘老师', role: 'supervisor', unit: 'centre' },
  { username: 'yz_auditor', displayName: '审计员 周老师', role: 'auditor', unit: 'centre' },
  { username: 'qxg_head', displayName: '七星岗社工站 站长 陈站长', role: 'station_head', unit: 'qxg' },
  { username: 'qxg_sw', displayName: '七星岗社工站 社工 李社工', role: 'station_worker', unit: 'qxg' },
  { username: 'qxg_cw', displayName: '兴隆街社区 社区工作者 张丽', role: 'community_worker', unit: 'qxg_xinglongjie' },
  { username: 'qxg_vol', displayName: '志愿者 赵志愿', role: 'volunteer', unit: 'qxg' },
  { username: 'jfb_head', displayName: '解放碑社工站 站长 孙站长', role: 'station_head', unit: 'jfb' },
  { username: 'jfb_sw', displayName: '解放碑社工站 社工 吴社工', role: 'station_worker', unit: 'jfb' },
];

/** True once anything has been seeded: a restart never seeds or resets again. */
export async function isSeeded(db: Db): Promise<boolean> {
  const r = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from users`);
  return Number(r?.n ?? 0) > 0;
}

/**
 * The demo street: 重庆市民政局 → 渝中区社会工作指导中心 → 七星岗街道社会工作服务站 (run by 巴渝公益 under
 * contract, two zones, the 8 community offices of the seeds) and 解放碑街道社会工作服务站 as the neighbouring
 * street, with one demo user per role. All users share `password`.
 */
export async function seedDemo(db: Db, password: string): Promise<void> {
  const bureau = await makeUnit(db, { name: '重庆市民政局', kind: 'bureau', regionCode: '50', address: '重庆市渝北区' });
  const centre = await makeUnit(db, {
    name: '渝中区社会工作指导中心',
    kind: 'centre',
    regionCode: '500103',
    parentId: bureau.id,
    functions: ['social_work', 'volunteer_service'],
    address: '重庆市渝中区',
    openingHours: '周一至周五 9:00-17:30',
  });
  const bayu = await makeOperator(db, {
    name: '重庆市巴渝公益社会工作服务中心',
    creditCode: null,
    contactName: '巴渝公益',
    phone: '023-6300 0000',
  });
  const yungong = await makeOperator(db, {
    name: '重庆市渝中区允公社会工作服务中心',
    creditCode: null,
    contactName: '允公社工',
    phone: '023-6300 0001',
  });
  const qxg = await makeUnit(db, {
    name: '七星岗街道社会工作服务站',
    kind: 'station',
    regionCode: '500103001',
    parentId: centre.id,
    operatorId: bayu.id,
    contractStart: '2022-01-01',
    contractEnd: '2026-12-31',
    functions: ['social_work', 'minor_protection', 'volunteer_service', 'charity'],
    posts: [
      { kind: 'administrative', area: 'social_assistance', headcount: 1 },
      { kind: 'administrative', area: 'elderly', headcount: 1 },
      { kind: 'administrative', area: 'children', headcount: 1 },
      { kind: 'administrative', area: 'disability', headcount: 1 },
      { kind: 'service', area: 'community_service', headcount: 8 },
    ],
    address: '重庆市渝中区七星岗街道中山一路',
    phone: '023-6380 0000',
    openingHours: '周一至周五 9:00-17:30',
  });
  const zone1 = await makeZone(db, { stationId: qxg.id, name: '片区一', regionCodes: QIXINGGANG_COMMUNITIES.slice(0, 4).map((c) => c[0]) });
  const zone2 = await makeZone(db, { stationId: qxg.id, name: '片区二', regionCodes: QIXINGGANG_COMMUNITIES.slice(4).map((c) => c[0]) });
  const units: Record<string, { id: string; path: string } | null> = { bureau, centre, qxg };
  for (const [i, [code, name]] of QIXINGGANG_COMMUNITIES.entries()) {
    const office = await makeUnit(db, {
      name: `${name}社区社会工作室`,
      kind: 'office',
      regionCode: code,
      parentId: qxg.id,
      zoneId: i < 4 ? zone1.id : zone2.id,
      functions: ['social_work'],
      posts: [{ kind: 'service', area: 'community_service', headcount: 1 }],
      openingHours: '周一至周五 9:00-17:30',
    });
    if (code === '500103001013') units.qxg_xinglongjie = office;
  }
  const jfb = await makeUnit(db, {
    name: '解放碑街道社会工作服务站',
    kind: 'station',
    regionCode: '500103003',
    parentId: centre.id,
    operatorId: yungong.id,
    contractStart: '2023-07-01',
    contractEnd: '2026-06-30',
    functions: ['social_work', 'volunteer_service'],
    address: '重庆市渝中区解放碑街道',
  });
  units.jfb = jfb;
  // Only part of 解放碑's communities have an office yet, so that coverage below 100 % can be seen.
  const jfbCommunities = await db.execute(sql`select code, name from regions where parent_code = '500103003' order by code limit 3`);
  for (const r of (jfbCommunities as unknown as { rows: { code: string; name: string }[] }).rows) {
    await makeUnit(db, {
      name: `${r.name.replace(/(社区)?居民委员会$/, '')}社区社会工作室`,
      kind: 'office',
      regionCode: r.code,
      parentId: jfb.id,
    });
  }
  for (const u of DEMO_USERS) {
    const unit = u.unit ? units[u.unit] : null;
    await makeUser(db, { username: u.username, displayName: u.displayName, password, role: u.role, unit });
  }
}
