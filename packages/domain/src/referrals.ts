import type { Labelled } from './labels.js';

/** Hand-overs of a client: a referral shares it, a transfer moves it, a transfer request asks for it. */
export const REFERRAL_KINDS = ['referral', 'transfer', 'transfer_request'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'in_progress', 'feedback', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_ACTIONS = ['accept', 'decline', 'start', 'feedback', 'close'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export const RECEIVER_KINDS = ['unit', 'operator', 'department'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

export const CONSENT_METHODS = ['written', 'verbal', 'guardian', 'not_needed'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Why consent was not needed (the documented reason). */
export const CONSENT_EXEMPTIONS = ['emergency', 'legal_duty', 'other'] as const;
export type ConsentExemption = (typeof CONSENT_EXEMPTIONS)[number];

export const DEFAULT_REFERRAL_DAYS = { answerDays: 3, feedbackDays: 14 } as const;

/**
 * Which side acts: the `receiver` of a referral or transfer (for an organization or a department outside the
 * system, the sender records its answers), the `owner` of a transfer request (the unit that holds the
 * client), the `sender` to close a referral.
 */
export type ReferralSide = 'receiver' | 'owner' | 'sender';

export interface ReferralTransition {
  kind: ReferralKind;
  action: ReferralAction;
  from: ReferralStatus[];
  to: ReferralStatus;
  by: ReferralSide;
}

/** The transition table; anything not listed is refused (409 invalid_transition). */
export const REFERRAL_TRANSITIONS: ReferralTransition[] = [
  { kind: 'referral', action: 'accept', from: ['sent'], to: 'accepted', by: 'receiver' },
  { kind: 'referral', action: 'decline', from: ['sent'], to: 'declined', by: 'receiver' },
  { kind: 'referral', action: 'start', from: ['accepted'], to: 'in_progress', by: 'receiver' },
  { kind: 'referral', action: 'feedback', from: ['in_progress'], to: 'feedback', by: 'receiver' },
  // The sender closes after the feedback, or withdraws earlier with a note.
  { kind: 'referral', action: 'close', from: ['sent', 'accepted', 'in_progress', 'feedback'], to: 'closed', by: 'sender' },
  { kind: 'transfer', action: 'accept', from: ['sent'], to: 'accepted', by: 'receiver' },
  { kind: 'transfer', action: 'decline', from: ['sent'], to: 'declined', by: 'receiver' },
  { kind: 'transfer_request', action: 'accept', from: ['sent'], to: 'accepted', by: 'owner' },
  { kind: 'transfer_request', action: 'decline', from: ['sent'], to: 'declined', by: 'owner' },
];

export function referralTransition(kind: ReferralKind, status: ReferralStatus, action: ReferralAction): ReferralTransition | null {
  return REFERRAL_TRANSITIONS.find((t) => t.kind === kind && t.action === action && t.from.includes(status)) ?? null;
}

/** Statuses in which a referral (or transfer) is still open: its receiver may read the referral card. */
export function referralOpen(kind: ReferralKind, status: ReferralStatus): boolean {
  if (kind === 'referral') return ['sent', 'accepted', 'in_progress', 'feedback'].includes(status);
  return status === 'sent';
}

/** A name as a minimal card shows it: 张*丰, 李*, 欧阳** → 欧**; the first and (from 3 characters) the last character. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return `${chars[0] ?? ''}*`;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export const REFERRAL_KIND_LABELS: Labelled<ReferralKind>[] = [
  { value: 'referral', zh: '转介', en: 'Referral' },
  { value: 'transfer', zh: '移交', en: 'Transfer' },
  { value: 'transfer_request', zh: '移交申请', en: 'Transfer request' },
];

export const REFERRAL_STATUS_LABELS: Labelled<ReferralStatus>[] = [
  { value: 'sent', zh: '待接收', en: 'Sent' },
  { value: 'accepted', zh: '已接收', en: 'Accepted' },
  { value: 'declined', zh: '已拒绝', en: 'Declined' },
  { value: 'in_progress', zh: '服务中', en: 'In progress' },
  { value: 'feedback', zh: '已反馈', en: 'Feedback given' },
  { value: 'closed', zh: '已结束', en: 'Closed' },
];

export const CONSENT_METHOD_LABELS: Labelled<ConsentMethod>[] = [
  { value: 'written', zh: '书面同意', en: 'Written consent' },
  { value: 'verbal', zh: '口头同意', en: 'Verbal consent' },
  { value: 'guardian', zh: '监护人同意', en: "Guardian's consent" },
  { value: 'not_needed', zh: '无需同意（注明原因）', en: 'Not needed (give the reason)' },
];

export const CONSENT_EXEMPTION_LABELS: Labelled<ConsentExemption>[] = [
  { value: 'emergency', zh: '紧急情况', en: 'Emergency' },
  { value: 'legal_duty', zh: '法定职责', en: 'Legal duty' },
  { value: 'other', zh: '其他（说明）', en: 'Other (explain)' },
];
