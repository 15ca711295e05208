import type { Labelled } from './labels.js';

/** Region levels of GB/T 2260 plus the statistical village level. */
export const REGION_LEVELS = [
  { value: 'province', zh: '省级', en: 'Province', level: 1, digits: 2 },
  { value: 'city', zh: '地级', en: 'City', level: 2, digits: 4 },
  { value: 'county', zh: '县级', en: 'District/county', level: 3, digits: 6 },
  { value: 'township', zh: '乡级（乡镇/街道）', en: 'Township/street', level: 4, digits: 9 },
  { value: 'village', zh: '村级（村/社区）', en: 'Village/community', level: 5, digits: 12 },
] as const;
export type RegionLevel = 1 | 2 | 3 | 4 | 5;

/** Level of a region from the length of its code (2/4/6/9/12 digits), or null when the code is malformed. */
export function regionLevelOfCode(code: string): RegionLevel | null {
  if (!/^\d+$/.test(code)) return null;
  const found = REGION_LEVELS.find((l) => l.digits === code.length);
  return found ? (found.level as RegionLevel) : null;
}

/** Code of the parent region, or null for a province. */
export function parentRegionCode(code: string): string | null {
  const level = regionLevelOfCode(code);
  if (!level || level === 1) return null;
  return code.slice(0, REGION_LEVELS[level - 2].digits);
}

export const UNIT_KINDS = ['bureau', 'centre', 'station', 'office', 'point'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Labelled<UnitKind>[] = [
  { value: 'bureau', zh: '民政部门', en: 'Civil-affairs bureau' },
  { value: 'centre', zh: '社会工作指导中心', en: 'Guidance centre' },
  { value: 'station', zh: '社会工作服务站', en: 'Station' },
  { value: 'office', zh: '社会工作室', en: 'Office' },
  { value: 'point', zh: '社工点', en: 'Point' },
];

/** Tier of each kind: 0 = above the three tiers, 1 = district, 2 = street, 3 = village. */
export const UNIT_KIND_TIER: Record<UnitKind, number> = { bureau: 0, centre: 1, station: 2, office: 3, point: 3 };

/** Region levels a unit of each kind may sit on. */
export const UNIT_KIND_REGION_LEVELS: Record<UnitKind, RegionLevel[]> = {
  bureau: [1, 2, 3],
  centre: [3],
  station: [4],
  office: [5],
  point: [5],
};

/** Which kinds may be the parent of each kind (null = may be a root). */
export const UNIT_KIND_PARENTS: Record<UnitKind, (UnitKind | null)[]> = {
  bureau: [null, 'bureau'],
  centre: [null, 'bureau'],
  station: ['centre'],
  office: ['station'],
  point: ['station'],
};

export const UNIT_STATUSES = ['planned', 'operating', 'suspended', 'closed'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
export const UNIT_STATUS_LABELS: Labelled<UnitStatus>[] = [
  { value: 'planned', zh: '筹建中', en: 'Planned' },
  { value: 'operating', zh: '运营中', en: 'Operating' },
  { value: 'suspended', zh: '暂停', en: 'Suspended' },
  { value: 'closed', zh: '已关闭', en: 'Closed' },
];

/** Functions one site may carry at once (多站合一). */
export const UNIT_FUNCTIONS = [
  'social_work',
  'minor_protection',
  'volunteer_service',
  'charity',
  'elderly_care',
  'disability_support',
] as const;
export type UnitFunction = (typeof UNIT_FUNCTIONS)[number];
export const UNIT_FUNCTION_LABELS: Labelled<UnitFunction>[] = [
  { value: 'social_work', zh: '社会工作站', en: 'Social-work station' },
  { value: 'minor_protection', zh: '未成年人保护工作站', en: 'Minor-protection station' },
  { value: 'volunteer_service', zh: '志愿服务站', en: 'Volunteer station' },
  { value: 'charity', zh: '慈善工作站', en: 'Charity station' },
  { value: 'elderly_care', zh: '养老服务站', en: 'Elderly-care station' },
  { value: 'disability_support', zh: '残疾人服务站', en: 'Disability-support station' },
];

export const POST_KINDS = ['administrative', 'service'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_KIND_LABELS: Labelled<PostKind>[] = [
  { value: 'administrative', zh: '事务性岗位', en: 'Administrative post' },
  { value: 'service', zh: '服务性岗位', en: 'Service post' },
];
export const POST_AREAS = ['social_assistance', 'elderly', 'children', 'disability', 'community_service', 'other'] as const;
export type PostArea = (typeof POST_AREAS)[number];
export const POST_AREA_LABELS: Labelled<PostArea>[] = [
  { value: 'social_assistance', zh: '社会救助', en: 'Social assistance' },
  { value: 'elderly', zh: '养老服务', en: 'Elderly care' },
  { value: 'children', zh: '儿童福利', en: 'Child welfare' },
  { value: 'disability', zh: '残疾人事务', en: 'Disability affairs' },
  { value: 'community_service', zh: '社区服务', en: 'Community service' },
  { value: 'other', zh: '其他', en: 'Other' },
];

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character of a unified social credit code (GB 32100-2015) for its first 17 characters. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

/** True when the code is an 18-character unified social credit code with a valid check character. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
