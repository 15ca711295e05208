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
];

const READ_NETWORK: Permission[] = ['regions.read', 'network.read', 'coverage.read', 'notifications.read'];
const WORK_CLIENTS: Permission[] = ['clients.read', 'clients.write', 'clients.reveal', 'visits.read', 'visits.write'];
/** Station staff keep the time bank of their part of the network (earn from confirmed hours, spend, transfer, correct). */
const TIMEBANK: Permission[] = ['timebank.read', 'timebank.write'];

/**
 * The permission matrix: which role may do what, always within the unit the role is bound to and below.
 * Data, not code paths: the server checks it in one hook and the console shows it as it is.
 */
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  system_admin: [...PERMISSIONS],
  civil_affairs_admin: [
    ...READ_NETWORK,
    'network.write',
    'network.import',
    'clients.read',
    'visits.read',
    'users.read',
    'users.write',
    'audit.read',
    'timebank.read',
  ],
  centre_staff: [...READ_NETWORK, 'network.write', 'network.import', 'clients.read', 'visits.read', 'users.read', 'timebank.read'],
  station_head: [...READ_NETWORK, 'network.write', ...WORK_CLIENTS, 'nominations.decide', 'users.read', 'users.write', ...TIMEBANK],
  station_worker: [...READ_NETWORK, ...WORK_CLIENTS, 'nominations.decide', 'users.read', ...TIMEBANK],
  community_worker: [...READ_NETWORK, ...WORK_CLIENTS, 'users.read', 'timebank.read'],
  supervisor: [...READ_NETWORK, 'clients.read', 'visits.read', 'timebank.read'],
  volunteer: ['network.read', 'notifications.read'],
  auditor: [...READ_NETWORK, 'clients.read', 'visits.read', 'users.read', 'audit.read', 'timebank.read'],
};

/** Roles a holder of `role` may grant: never one that carries a permission the granter lacks. */
export function grantableRoles(role: Role): Role[] {
  const own = new Set(ROLE_PERMISSIONS[role]);
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].every((p) => own.has(p)));
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
