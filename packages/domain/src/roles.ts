import type { Labelled } from './labels.js';

export const ROLES = [
  'system_admin',
  'civil_affairs_admin',
  'centre_staff',
  'station_head',
  'station_worker',
  'community_worker',
  'supervisor',
  'volunteer',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Labelled<Role>[] = [
  { value: 'system_admin', zh: '系统管理员', en: 'System administrator' },
  { value: 'civil_affairs_admin', zh: '民政管理员', en: 'Civil-affairs administrator' },
  { value: 'centre_staff', zh: '指导中心人员', en: 'Guidance-centre staff' },
  { value: 'station_head', zh: '社工站站长', en: 'Station head' },
  { value: 'station_worker', zh: '社工站社工', en: 'Station social worker' },
  { value: 'community_worker', zh: '社区工作者', en: 'Community worker' },
  { value: 'supervisor', zh: '督导', en: 'Supervisor' },
  { value: 'volunteer', zh: '志愿者', en: 'Volunteer' },
  { value: 'auditor', zh: '审计员（只读）', en: 'Auditor (read-only)' },
];

export const PERMISSIONS = [
  'regions.read',
  'network.read',
  'network.write',
  'network.import',
  'coverage.read',
  'clients.read',
  'clients.write',
  'clients.reveal',
  'visits.read',
  'visits.write',
  'nominations.decide',
  'settings.write',
  'notifications.read',
  'users.read',
  'users.write',
  'audit.read',
  'timebank.read',
  'timebank.write',
  'daily_reports.read',
  'daily_reports.write',
  'daily_reports.review',
  'errands.read',
  'errands.post',
  'errands.grab',
  'cases.read',
  'cases.write',
  'cases.supervise',
  'tickets.read',
  'tickets.write',
  'volunteers.read',
  'volunteers.write',
  'activities.read',
  'activities.write',
  'problem_reports.write',
  'referrals.read',
  'referrals.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Labelled<Permission>[] = [
  { value: 'regions.read', zh: '查看行政区划', en: 'Read regions' },
  { value: 'network.read', zh: '查看服务网络', en: 'Read the network' },
  { value: 'network.write', zh: '维护服务网络', en: 'Edit the network' },
  { value: 'network.import', zh: '批量导入服务网络', en: 'Import the network' },
  { value: 'coverage.read', zh: '查看覆盖率', en: 'Read coverage' },
  { value: 'clients.read', zh: '查看服务对象台账', en: 'Read the client ledger' },
  { value: 'clients.write', zh: '维护服务对象台账', en: 'Edit the client ledger' },
  { value: 'clients.reveal', zh: '查看完整证件号和电话', en: 'Reveal ID numbers and phones' },
  { value: 'visits.read', zh: '查看走访记录', en: 'Read visits' },
  { value: 'visits.write', zh: '登记走访', en: 'Record visits' },
  { value: 'nominations.decide', zh: '核查发现报告', en: 'Check nominations' },
  { value: 'settings.write', zh: '维护系统设置（走访频次等）', en: 'Edit settings (visit cadence …)' },
  { value: 'notifications.read', zh: '接收通知', en: 'Receive notifications' },
  { value: 'users.read', zh: '查看用户', en: 'Read users' },
  { value: 'users.write', zh: '管理用户', en: 'Manage users' },
  { value: 'audit.read', zh: '查看审计日志', en: 'Read the audit log' },
  { value: 'timebank.read', zh: '查看时间银行账户和流水', en: 'Read time-bank accounts and entries' },
  { value: 'timebank.write', zh: '记账（时间银行：获得、兑换、转赠、更正）', en: 'Post to the time bank (earn, spend, transfer, correct)' },
  { value: 'daily_reports.read', zh: '查看每日一报（本级及下级汇总）', en: 'Read daily reports and their roll-up' },
  { value: 'daily_reports.write', zh: '填报每日一报（本单位：填写、提交）', en: "File the own unit's daily report (fill in, submit)" },
  { value: 'daily_reports.review', zh: '退回下级单位的每日一报', en: "Return a child unit's daily report for correction" },
  { value: 'errands.read', zh: '查看跑腿任务', en: 'Read the errand board' },
  { value: 'errands.post', zh: '发布跑腿任务（确认完成、取消）', en: 'Post errands (confirm or cancel them)' },
  {
    value: 'errands.grab',
    zh: '接单跑腿（志愿者抢单、完成、放弃；工作人员指派给志愿者）',
    en: 'Take errands (volunteers grab, complete, release; staff assign them to a volunteer)',
  },
  { value: 'cases.read', zh: '查看个案', en: 'Read cases' },
  { value: 'cases.write', zh: '办理个案（接案、预估、计划、服务记录、评估、结案申请）', en: 'Work on cases (intake to closure request)' },
  { value: 'cases.supervise', zh: '督导个案（审核服务计划和结案）', en: 'Supervise cases (sign off plans and closures)' },
  { value: 'tickets.read', zh: '查看工单、热线和值班', en: 'Read tickets, hotlines and duty shifts' },
  {
    value: 'tickets.write',
    zh: '办理工单（受理、派单、进展、办结、回访），维护热线和值班',
    en: 'Work on tickets (accept, assign, progress, solve, close); keep hotlines and duty shifts',
  },
  { value: 'volunteers.read', zh: '查看志愿者和志愿服务队', en: 'Read volunteers and teams' },
  {
    value: 'volunteers.write',
    zh: '管理志愿者（登记、审核、停用）和志愿服务队',
    en: 'Manage volunteers (register, approve, suspend) and teams',
  },
  { value: 'activities.read', zh: '查看志愿服务活动', en: 'Read volunteer activities' },
  {
    value: 'activities.write',
    zh: '管理志愿服务活动（发布、代签到签退、确认时长）',
    en: 'Run volunteer activities (publish, check volunteers in and out, confirm hours)',
  },
  {
    value: 'problem_reports.write',
    zh: '随手拍（拍照反映问题，转为工单）',
    en: 'Report a problem with a photo (随手拍; it becomes a ticket)',
  },
  { value: 'referrals.read', zh: '查看转介和移交', en: 'Read referrals and transfers' },
  {
    value: 'referrals.write',
    zh: '转介和移交服务对象（发起、接收、拒绝、反馈、结束）',
    en: 'Refer and transfer clients (send, accept, decline, report back, close)',
  },
];

const READ_NETWORK: Permission[] = ['regions.read', 'network.read', 'coverage.read', 'notifications.read'];
const WORK_CLIENTS: Permission[] = ['clients.read', 'clients.write', 'clients.reveal', 'visits.read', 'visits.write'];
/** Station staff keep the time bank of their part of the network (earn from confirmed hours, spend, transfer, correct). */
const TIMEBANK: Permission[] = ['timebank.read', 'timebank.write'];
/** 每日一报: stations file their own daily report; centres and civil-affairs review (return) their children's. */
const DAILY_REPORTS_FILE: Permission[] = ['daily_reports.read', 'daily_reports.write'];
const DAILY_REPORTS_REVIEW: Permission[] = ['daily_reports.read', 'daily_reports.review'];
/** Casework (个案): workers of stations and communities run cases; supervisors sign off plans and closures. */
const CASES: Permission[] = ['cases.read', 'cases.write'];
/** Tickets (工单/诉求) are answered where people live: station and community staff; the levels above read. */
const TICKETS: Permission[] = ['tickets.read', 'tickets.write'];
/**
 * Staff post errands for residents, assign them to a courier, confirm and cancel them; couriers (volunteers)
 * grab them. Staff hold errands.grab to assign (the server lets only a courier take an errand for themself),
 * and so may still grant the volunteer role.
 */
const ERRANDS_STAFF: Permission[] = ['errands.read', 'errands.post', 'errands.grab'];
/**
 * Volunteers (志愿者) are registered and approved by the station, which also runs activities; community
 * workers publish and run activities in their community and read its volunteers, but approving a volunteer
 * (a login and a time-bank account) stays with the station. The levels above and auditors read.
 * Volunteers read activities and use their own signed-in routes (/api/my/…) for the rest.
 */
const VOLUNTEERS_STATION: Permission[] = ['volunteers.read', 'volunteers.write', 'activities.read', 'activities.write'];
const VOLUNTEERS_READ: Permission[] = ['volunteers.read', 'activities.read'];
/**
 * Referrals (转介) and transfers (移交): station and community workers send and answer them; centre staff
 * too (they refer across stations); supervisors, auditors and civil-affairs read.
 */
const REFERRALS: Permission[] = ['referrals.read', 'referrals.write'];

/**
 * The permission matrix: which role may do what, always within the unit the role is bound to and below.
 * Data, not code paths: the server checks it in one hook and the console shows it as it is.
 */
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  system_admin: [...PERMISSIONS],
  civil_affairs_admin: [
    ...READ_NETWORK,
    ...DAILY_REPORTS_REVIEW,
    'network.write',
    'network.import',
    'clients.read',
    'visits.read',
    'users.read',
    'users.write',
    'audit.read',
    'timebank.read',
    'errands.read',
    'cases.read',
    'tickets.read',
    ...VOLUNTEERS_READ,
    'referrals.read',
  ],
  centre_staff: [
    ...READ_NETWORK,
    ...DAILY_REPORTS_REVIEW,
    'network.write',
    'network.import',
    'clients.read',
    'visits.read',
    'users.read',
    'timebank.read',
    'errands.read',
    'cases.read',
    'tickets.read',
    ...VOLUNTEERS_READ,
    ...REFERRALS,
  ],
  station_head: [
    ...READ_NETWORK,
    ...DAILY_REPORTS_FILE,
    'network.write',
    ...WORK_CLIENTS,
    'nominations.decide',
    'users.read',
    'users.write',
    ...TIMEBANK,
    ...ERRANDS_STAFF,
    ...CASES,
    ...TICKETS,
    ...VOLUNTEERS_STATION,
    'problem_reports.write',
    ...REFERRALS,
  ],
  station_worker: [
    ...READ_NETWORK,
    ...DAILY_REPORTS_FILE,
    ...WORK_CLIENTS,
    'nominations.decide',
    'users.read',
    ...TIMEBANK,
    ...ERRANDS_STAFF,
    ...CASES,
    ...TICKETS,
    ...VOLUNTEERS_STATION,
    'problem_reports.write',
    ...REFERRALS,
  ],
  community_worker: [
    ...READ_NETWORK,
    ...WORK_CLIENTS,
    'users.read',
    'timebank.read',
    ...ERRANDS_STAFF,
    ...CASES,
    ...TICKETS,
    'volunteers.read',
    'activities.read',
    'activities.write',
    'problem_reports.write',
    ...REFERRALS,
  ],
  supervisor: [
    ...READ_NETWORK,
    'daily_reports.read',
    'clients.read',
    'visits.read',
    'timebank.read',
    'errands.read',
    'cases.read',
    'cases.supervise',
    'tickets.read',
    ...VOLUNTEERS_READ,
    'referrals.read',
  ],
  volunteer: [
    'network.read',
    'notifications.read',
    'errands.read',
    'errands.post',
    'errands.grab',
    'activities.read',
    'problem_reports.write',
  ],
  auditor: [
    ...READ_NETWORK,
    'daily_reports.read',
    'clients.read',
    'visits.read',
    'users.read',
    'audit.read',
    'timebank.read',
    'errands.read',
    'cases.read',
    'tickets.read',
    ...VOLUNTEERS_READ,
    'referrals.read',
  ],
};

/** Roles a holder of `role` may grant: never one that carries a permission the granter lacks. */
export function grantableRoles(role: Role): Role[] {
  const own = new Set(ROLE_PERMISSIONS[role]);
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].every((p) => own.has(p)));
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
