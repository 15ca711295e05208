import type { Labelled } from './labels.js';

/**
 * Casework (个案) following MZ/T 094: the stages a case goes through and the actions that move it.
 * The server enforces this table; the console offers only the actions it allows.
 *
 * `closure` is "closing, awaiting the supervisor's sign-off"; `closed` is the end (reopen with a reason).
 */
export const CASE_STAGES = ['intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure', 'closed'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Labelled<CaseStage>[] = [
  { value: 'intake', zh: '接案', en: 'Intake' },
  { value: 'assessment', zh: '预估', en: 'Assessment' },
  { value: 'plan', zh: '服务计划', en: 'Plan' },
  { value: 'intervention', zh: '服务介入', en: 'Intervention' },
  { value: 'evaluation', zh: '评估', en: 'Evaluation' },
  { value: 'closure', zh: '结案审核中', en: 'Closing (sign-off)' },
  { value: 'closed', zh: '已结案', en: 'Closed' },
];

export const CASE_SOURCES = ['visit', 'ticket', 'referral', 'walk_in'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_SOURCE_LABELS: Labelled<CaseSource>[] = [
  { value: 'visit', zh: '走访发现', en: 'Visit' },
  { value: 'ticket', zh: '工单/诉求', en: 'Ticket' },
  { value: 'referral', zh: '转介', en: 'Referral' },
  { value: 'walk_in', zh: '主动求助', en: 'Walk-in' },
];

/** Sign-off state of the plan and of the closure (督导审核). */
export const SIGN_OFF_STATES = ['none', 'pending', 'approved', 'returned'] as const;
export type SignOffState = (typeof SIGN_OFF_STATES)[number];

export const CASE_ACTIONS = [
  'assess',
  'submit_plan',
  'approve_plan',
  'return_plan',
  'start_intervention',
  'evaluate',
  'request_closure',
  'approve_closure',
  'return_closure',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Labelled<CaseAction>[] = [
  { value: 'assess', zh: '完成预估', en: 'Complete the assessment' },
  { value: 'submit_plan', zh: '提交服务计划', en: 'Submit the plan' },
  { value: 'approve_plan', zh: '通过计划', en: 'Approve the plan' },
  { value: 'return_plan', zh: '退回计划', en: 'Return the plan' },
  { value: 'start_intervention', zh: '开始介入', en: 'Start the intervention' },
  { value: 'evaluate', zh: '完成评估', en: 'Complete the evaluation' },
  { value: 'request_closure', zh: '申请结案', en: 'Request closure' },
  { value: 'approve_closure', zh: '批准结案', en: 'Approve the closure' },
  { value: 'return_closure', zh: '退回结案', en: 'Return the closure' },
  { value: 'reopen', zh: '重新开案', en: 'Reopen' },
];

/** Who may take an action: the worker (cases.write) or the supervisor (cases.supervise). */
export type CaseActionRole = 'write' | 'supervise';

export interface CaseTransition {
  action: CaseAction;
  from: CaseStage[];
  /** The stage after the action; 'back' = the stage the closure was requested from. */
  to: CaseStage | 'back';
  by: CaseActionRole;
  /** A reason/comment must be given. */
  needsComment: boolean;
}

const OPEN_BEFORE_EVALUATION: CaseStage[] = ['intake', 'assessment', 'plan', 'intervention'];

/** The transition table. Anything not listed here is refused (409 invalid_transition). */
export const CASE_TRANSITIONS: CaseTransition[] = [
  { action: 'assess', from: ['intake'], to: 'assessment', by: 'write', needsComment: false },
  // Submitting (or resubmitting after a return) the plan: awaiting sign-off.
  { action: 'submit_plan', from: ['assessment', 'plan'], to: 'plan', by: 'write', needsComment: false },
  { action: 'approve_plan', from: ['plan'], to: 'plan', by: 'supervise', needsComment: false },
  { action: 'return_plan', from: ['plan'], to: 'plan', by: 'supervise', needsComment: true },
  { action: 'start_intervention', from: ['plan'], to: 'intervention', by: 'write', needsComment: false },
  { action: 'evaluate', from: ['intervention'], to: 'evaluation', by: 'write', needsComment: false },
  // Early closure (client moved, refused, died …) is allowed from any open stage, with a reason.
  { action: 'request_closure', from: [...OPEN_BEFORE_EVALUATION, 'evaluation'], to: 'closure', by: 'write', needsComment: true },
  { action: 'approve_closure', from: ['closure'], to: 'closed', by: 'supervise', needsComment: false },
  { action: 'return_closure', from: ['closure'], to: 'back', by: 'supervise', needsComment: true },
  // Reopening starts again from a new assessment; the earlier records stay on the case.
  { action: 'reopen', from: ['closed'], to: 'intake', by: 'write', needsComment: true },
];

export interface CaseState {
  stage: CaseStage;
  planStatus: SignOffState;
  closureStatus: SignOffState;
}

export interface CaseRules {
  /** The plan must be approved by a supervisor before the intervention starts. */
  requirePlanSignOff: boolean;
  /** A closure must be approved by a supervisor (otherwise request_closure closes at once). */
  requireClosureSignOff: boolean;
}

/**
 * Why an action is not allowed now (a stable code), or null when it is. Sign-off gates and the plan's
 * review state are checked here as well as the stage, so that the console and the server agree.
 */
export function refusal(state: CaseState, action: CaseAction, rules: CaseRules): string | null {
  const t = CASE_TRANSITIONS.find((x) => x.action === action);
  if (!t?.from.includes(state.stage)) return 'invalid_transition';
  if (action === 'approve_plan' || action === 'return_plan') {
    if (state.planStatus !== 'pending') return 'plan_not_pending';
  }
  if (action === 'submit_plan' && state.stage === 'plan' && state.planStatus === 'approved') return 'plan_already_approved';
  if (action === 'submit_plan' && state.stage === 'plan' && state.planStatus === 'pending') return 'plan_already_pending';
  if (action === 'start_intervention') {
    if (state.planStatus === 'returned' || state.planStatus === 'none') return 'plan_not_submitted';
    if (rules.requirePlanSignOff && state.planStatus !== 'approved') return 'plan_not_signed_off';
  }
  return null;
}

/** The actions the console may offer for a case, given what the user may do. */
export function allowedActions(state: CaseState, rules: CaseRules, can: { write: boolean; supervise: boolean }): CaseAction[] {
  return CASE_TRANSITIONS.filter((t) => (t.by === 'write' ? can.write : can.supervise))
    .map((t) => t.action)
    .filter((a) => refusal(state, a, rules) === null);
}

export const GOAL_RESULTS = ['met', 'partly', 'not_met'] as const;
export type GoalResult = (typeof GOAL_RESULTS)[number];
export const GOAL_RESULT_LABELS: Labelled<GoalResult>[] = [
  { value: 'met', zh: '达成', en: 'Met' },
  { value: 'partly', zh: '部分达成', en: 'Partly met' },
  { value: 'not_met', zh: '未达成', en: 'Not met' },
];

export const CASE_RISKS = ['low', 'medium', 'high'] as const;
export type CaseRisk = (typeof CASE_RISKS)[number];
export const CASE_RISK_LABELS: Labelled<CaseRisk>[] = [
  { value: 'low', zh: '低', en: 'Low' },
  { value: 'medium', zh: '中', en: 'Medium' },
  { value: 'high', zh: '高', en: 'High' },
];

/** 五社联动 tags of a service record: the values of FIVE_SOCIETIES (clients.ts). */
export const FIVE_SOCIETY_VALUES = ['community', 'social_worker', 'social_org', 'volunteer', 'charity'] as const;
export type FiveSociety = (typeof FIVE_SOCIETY_VALUES)[number];

export const SERVICE_KINDS = ['home_visit', 'counselling', 'resource_link', 'accompany', 'phone', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const SERVICE_KIND_LABELS: Labelled<ServiceKind>[] = [
  { value: 'home_visit', zh: '入户服务', en: 'Home visit' },
  { value: 'counselling', zh: '心理/情绪疏导', en: 'Counselling' },
  { value: 'resource_link', zh: '资源链接', en: 'Resource linking' },
  { value: 'accompany', zh: '陪同办事/就医', en: 'Accompanying' },
  { value: 'phone', zh: '电话跟进', en: 'Phone follow-up' },
  { value: 'other', zh: '其他', en: 'Other' },
];

/** Default days allowed per stage before the case is overdue (deployment settings override them). */
export const DEFAULT_CASE_DEADLINES: Record<Exclude<CaseStage, 'closed'>, number> = {
  intake: 7,
  assessment: 14,
  plan: 7,
  intervention: 90,
  evaluation: 14,
  closure: 7,
};
