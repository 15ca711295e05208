import type { Labelled } from './labels.js';

/** Where a ticket (工单/诉求) came from. */
export const TICKET_CHANNELS = ['hotline', 'walk_in', 'residents_committee', 'grid_worker', 'online_form', 'volunteer'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export const TICKET_CHANNEL_LABELS: Labelled<TicketChannel>[] = [
  { value: 'hotline', zh: '热线来电', en: 'Hotline call' },
  { value: 'walk_in', zh: '来访', en: 'Walk-in' },
  { value: 'residents_committee', zh: '居委会转来', en: "Residents' committee" },
  { value: 'grid_worker', zh: '网格员上报', en: 'Grid worker' },
  { value: 'online_form', zh: '网上求助', en: 'Online form' },
  { value: 'volunteer', zh: '志愿者反映', en: 'Volunteer report' },
];

/** What the caller needs. */
export const TICKET_CATEGORIES = [
  'grain',
  'oil',
  'vegetables',
  'medicine',
  'urgent_medical',
  'policy',
  'counselling',
  'emotional',
  'other',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_CATEGORY_LABELS: Labelled<TicketCategory>[] = [
  { value: 'grain', zh: '缺粮', en: 'Short of grain' },
  { value: 'oil', zh: '缺油', en: 'Short of cooking oil' },
  { value: 'vegetables', zh: '缺菜', en: 'Short of vegetables' },
  { value: 'medicine', zh: '缺药', en: 'Short of medicine' },
  { value: 'urgent_medical', zh: '急需就医', en: 'Urgent medical care' },
  { value: 'policy', zh: '政策咨询', en: 'Policy question' },
  { value: 'counselling', zh: '心理疏导', en: 'Psychological counselling' },
  { value: 'emotional', zh: '情绪支持', en: 'Emotional support' },
  { value: 'other', zh: '其他', en: 'Other' },
];

export const TICKET_URGENCIES = ['urgent', 'normal', 'low'] as const;
export type TicketUrgency = (typeof TICKET_URGENCIES)[number];
export const TICKET_URGENCY_LABELS: Labelled<TicketUrgency>[] = [
  { value: 'urgent', zh: '紧急', en: 'Urgent' },
  { value: 'normal', zh: '一般', en: 'Normal' },
  { value: 'low', zh: '不急', en: 'Low' },
];

export const TICKET_STATUSES = ['new', 'accepted', 'assigned', 'in_progress', 'solved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_STATUS_LABELS: Labelled<TicketStatus>[] = [
  { value: 'new', zh: '待受理', en: 'New' },
  { value: 'accepted', zh: '已受理', en: 'Accepted' },
  { value: 'assigned', zh: '已派单', en: 'Assigned' },
  { value: 'in_progress', zh: '办理中', en: 'In progress' },
  { value: 'solved', zh: '已办结', en: 'Solved' },
  { value: 'closed', zh: '已回访关闭', en: 'Closed' },
  { value: 'cancelled', zh: '已撤销', en: 'Cancelled' },
];
/** Statuses in which the responsible unit still owes an answer (deadlines run, escalation applies). */
export const TICKET_OPEN_STATUSES: readonly TicketStatus[] = ['new', 'accepted', 'assigned', 'in_progress'];

/** The actions on a ticket and the statuses each may start from. */
export const TICKET_TRANSITIONS = {
  accept: { from: ['new'], to: 'accepted' },
  assign: { from: ['accepted', 'assigned', 'in_progress'], to: 'assigned' },
  progress: { from: ['assigned', 'in_progress'], to: 'in_progress' },
  solve: { from: ['accepted', 'assigned', 'in_progress'], to: 'solved' },
  close: { from: ['solved'], to: 'closed' },
  cancel: { from: ['new', 'accepted', 'assigned', 'in_progress'], to: 'cancelled' },
  // 重办: the caller says the problem is not solved (at the callback or later): back to work, with a reason.
  reopen: { from: ['solved', 'closed'], to: 'in_progress' },
} as const satisfies Record<string, { from: readonly TicketStatus[]; to: TicketStatus }>;
export type TicketAction = keyof typeof TICKET_TRANSITIONS;

export function canTransition(action: TicketAction, from: TicketStatus): boolean {
  return (TICKET_TRANSITIONS[action].from as readonly TicketStatus[]).includes(from);
}

/** The caller's answer when the unit calls back to close a ticket. */
export const CALLBACK_RESULTS = ['reached', 'unreachable', 'declined'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];
export const CALLBACK_RESULT_LABELS: Labelled<CallbackResult>[] = [
  { value: 'reached', zh: '已回访', en: 'Reached' },
  { value: 'unreachable', zh: '联系不上', en: 'Unreachable' },
  { value: 'declined', zh: '拒绝回访', en: 'Declined the callback' },
];

export const TICKET_EVENT_LABELS: Labelled<
  | 'created'
  | 'accepted'
  | 'assigned'
  | 'progress'
  | 'solved'
  | 'closed'
  | 'cancelled'
  | 'reopened'
  | 'escalated'
  | 'client_linked'
  | 'rerouted'
>[] = [
  { value: 'created', zh: '登记', en: 'Registered' },
  { value: 'accepted', zh: '受理', en: 'Accepted' },
  { value: 'assigned', zh: '派单', en: 'Assigned' },
  { value: 'progress', zh: '进展', en: 'Progress' },
  { value: 'solved', zh: '办结', en: 'Solved' },
  { value: 'closed', zh: '回访关闭', en: 'Closed' },
  { value: 'cancelled', zh: '撤销', en: 'Cancelled' },
  { value: 'reopened', zh: '重办', en: 'Reopened' },
  { value: 'escalated', zh: '超时升级', en: 'Escalated (overdue)' },
  { value: 'client_linked', zh: '关联服务对象', en: 'Linked to a client' },
  { value: 'rerouted', zh: '改派单位', en: 'Routed to another unit' },
];

/** Default deadlines per urgency, in minutes (the deployment may change them). */
export const DEFAULT_TICKET_DEADLINES: Record<TicketUrgency, { respondMinutes: number; solveMinutes: number }> = {
  urgent: { respondMinutes: 30, solveMinutes: 24 * 60 },
  normal: { respondMinutes: 4 * 60, solveMinutes: 3 * 24 * 60 },
  low: { respondMinutes: 24 * 60, solveMinutes: 7 * 24 * 60 },
};
