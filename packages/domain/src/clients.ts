import type { Labelled } from './labels.js';

/**
 * The ten default categories of people in difficulty, as migration 0014 loads them into category_definitions.
 * Documentation only: the deployment's list (added, renamed, retired entries) is that table, served by
 * GET /api/settings/categories and edited on 系统设置 → 对象类别; the server and the console read it, not this.
 */
export const DEFAULT_CLIENT_CATEGORIES: Labelled[] = [
  { value: 'dibao', zh: '低保', en: 'Minimum living allowance' },
  { value: 'low_income', zh: '低收入', en: 'Low income' },
  { value: 'tekun', zh: '特困', en: 'Extreme poverty support' },
  { value: 'left_behind_elderly', zh: '留守老人', en: 'Left-behind elderly' },
  { value: 'childless_elderly', zh: '孤寡老人', en: 'Childless elderly' },
  { value: 'living_alone_elderly', zh: '独居老人', en: 'Elderly living alone' },
  { value: 'child_in_difficulty', zh: '困境儿童', en: 'Child in difficulty' },
  { value: 'left_behind_child', zh: '留守儿童', en: 'Left-behind child' },
  { value: 'de_facto_orphan', zh: '事实无人抚养儿童', en: 'De-facto unsupported child' },
  { value: 'severe_disability', zh: '重度残疾人', en: 'Severely disabled' },
];

/** Sub-types of 困境儿童 (child in difficulty). */
export const CHILD_IN_DIFFICULTY_SUBTYPES: Labelled[] = [
  { value: 'poverty', zh: '因贫困陷入困境', en: 'Poverty' },
  { value: 'disability', zh: '因自身残疾陷入困境', en: 'Own disability' },
  { value: 'family', zh: '因家庭监护缺失或不当陷入困境', en: 'Lack of family guardianship' },
];

export const RISK_LEVELS = ['high', 'key', 'general'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Labelled<RiskLevel>[] = [
  { value: 'high', zh: '高风险', en: 'High risk' },
  { value: 'key', zh: '重点', en: 'Key' },
  { value: 'general', zh: '一般', en: 'General' },
];

export const CLIENT_STATUSES = ['active', 'moved', 'deceased', 'exited'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export const CLIENT_STATUS_LABELS: Labelled<ClientStatus>[] = [
  { value: 'active', zh: '在册', en: 'Active' },
  { value: 'moved', zh: '迁出', en: 'Moved away' },
  { value: 'deceased', zh: '死亡', en: 'Deceased' },
  { value: 'exited', zh: '退出', en: 'Exited' },
];

export const DEFAULT_CLIENT_FLAGS: Labelled[] = [
  { value: 'lost_contact', zh: '失联', en: 'Lost contact' },
  { value: 'high_risk_alert', zh: '高风险预警', en: 'High-risk alert' },
  { value: 'hospitalised', zh: '住院', en: 'Hospitalised' },
  { value: 'needs_urgent_visit', zh: '需紧急探访', en: 'Needs an urgent visit' },
];

export const HOUSEHOLD_RELATIONS: Labelled[] = [
  { value: 'head', zh: '户主', en: 'Head of household' },
  { value: 'spouse', zh: '配偶', en: 'Spouse' },
  { value: 'child', zh: '子女', en: 'Child' },
  { value: 'parent', zh: '父母', en: 'Parent' },
  { value: 'grandchild', zh: '孙子女', en: 'Grandchild' },
  { value: 'grandparent', zh: '祖父母', en: 'Grandparent' },
  { value: 'sibling', zh: '兄弟姐妹', en: 'Sibling' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const SEX_LABELS: Labelled<'male' | 'female'>[] = [
  { value: 'male', zh: '男', en: 'Male' },
  { value: 'female', zh: '女', en: 'Female' },
];

export const VISIT_KINDS: Labelled<'home' | 'phone' | 'video' | 'at_station'>[] = [
  { value: 'home', zh: '入户', en: 'Home visit' },
  { value: 'phone', zh: '电话', en: 'Phone' },
  { value: 'video', zh: '视频', en: 'Video' },
  { value: 'at_station', zh: '到站', en: 'At the station' },
];

/** The five societies (五社): who took part in a piece of work, so that linkage is counted from data. */
export const FIVE_SOCIETIES: Labelled<'community' | 'social_org' | 'social_worker' | 'volunteer' | 'charity'>[] = [
  { value: 'community', zh: '社区', en: 'Community' },
  { value: 'social_org', zh: '社会组织', en: 'Social organization' },
  { value: 'social_worker', zh: '社会工作者', en: 'Social worker' },
  { value: 'volunteer', zh: '社区志愿者', en: 'Volunteer' },
  { value: 'charity', zh: '社会慈善资源', en: 'Charity resource' },
];

export const NEED_TYPES: Labelled[] = [
  { value: 'food', zh: '缺粮', en: 'Food' },
  { value: 'oil', zh: '缺油', en: 'Cooking oil' },
  { value: 'vegetables', zh: '缺菜', en: 'Vegetables' },
  { value: 'medicine', zh: '缺药', en: 'Medicine' },
  { value: 'urgent_medical', zh: '急需就医', en: 'Urgent medical care' },
  { value: 'care', zh: '照料', en: 'Care' },
  { value: 'safety', zh: '安全', en: 'Safety' },
  { value: 'policy', zh: '政策咨询', en: 'Policy questions' },
  { value: 'emotional_support', zh: '情绪疏导', en: 'Emotional support' },
  { value: 'psychological_comfort', zh: '心理抚慰', en: 'Psychological comfort' },
  { value: 'spiritual_care', zh: '精神关爱', en: 'Spiritual care' },
  { value: 'relationships', zh: '关系调适', en: 'Relationships' },
  { value: 'social_integration', zh: '社会融入', en: 'Social integration' },
];

export const NEED_SEVERITIES: Labelled<'low' | 'medium' | 'high' | 'urgent'>[] = [
  { value: 'low', zh: '一般', en: 'Low' },
  { value: 'medium', zh: '较重', en: 'Medium' },
  { value: 'high', zh: '严重', en: 'High' },
  { value: 'urgent', zh: '紧急', en: 'Urgent' },
];

export const NEED_STATUSES = ['open', 'in_progress', 'met', 'referred', 'cannot_be_met'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const NEED_STATUS_LABELS: Labelled<NeedStatus>[] = [
  { value: 'open', zh: '待处理', en: 'Open' },
  { value: 'in_progress', zh: '处理中', en: 'In progress' },
  { value: 'met', zh: '已满足', en: 'Met' },
  { value: 'referred', zh: '已转介', en: 'Referred' },
  { value: 'cannot_be_met', zh: '无法满足', en: 'Cannot be met' },
];

/** Allowed status changes of a need; the last three are final. */
export const NEED_TRANSITIONS: Record<NeedStatus, NeedStatus[]> = {
  open: ['in_progress', 'met', 'referred', 'cannot_be_met'],
  in_progress: ['met', 'referred', 'cannot_be_met'],
  met: [],
  referred: [],
  cannot_be_met: [],
};

export const NOMINATION_STATUS_LABELS: Labelled<'pending' | 'accepted' | 'rejected'>[] = [
  { value: 'pending', zh: '待核查', en: 'Pending' },
  { value: 'accepted', zh: '已纳入', en: 'Accepted' },
  { value: 'rejected', zh: '未纳入', en: 'Rejected' },
];
