import { maskName } from '@wushe/domain';
import type { Actor } from '../../platform/actor.js';
import type { ReferralCard, ReferralRow, ReferralSettings } from './referrals.service.js';
import { actionsFor, type minimalCard, readsUnderReferral, seesClient, sidesOf } from './referrals.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

/**
 * A hand-over as the actor may see it: the client's id and name only for a side that holds the client; the
 * receiver of an open referral reads the name on the (audited) detail; lists show others the masked name.
 */
export function presentReferral(actor: Actor, r: ReferralRow, cardRead = false) {
  const sees = seesClient(actor, r);
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    clientId: sees ? r.clientId : null,
    clientLabel: sees || (cardRead && readsUnderReferral(actor, r)) ? r.clientName : maskName(r.clientName),
    fromUnitId: r.fromUnitId,
    fromUnitName: r.fromUnitName,
    toKind: r.toKind,
    toUnitId: r.toUnitId,
    toUnitKind: r.toUnitKind,
    toUnitRegionCode: r.toUnitRegionCode,
    toName: r.toName,
    summary: r.summary,
    declineReason: r.declineReason,
    progressNote: r.progressNote,
    feedback: r.feedback,
    closeNote: r.closeNote,
    consent:
      r.consentMethod && r.consentAt
        ? {
            method: r.consentMethod,
            exemption: r.consentExemption,
            recordedBy: r.consentRecordedBy ?? '',
            recordedAt: iso(r.consentAt),
            note: r.consentNote,
          }
        : null,
    dueDate: r.dueDate,
    overdue: r.overdue,
    sentByName: r.sentByName,
    sentAt: iso(r.sentAt),
    answeredAt: isoOrNull(r.answeredAt),
    feedbackAt: isoOrNull(r.feedbackAt),
    closedAt: isoOrNull(r.closedAt),
    updatedAt: iso(r.updatedAt),
    version: r.version,
    sides: sidesOf(actor, r),
  };
}

export function presentReferralDetail(
  actor: Actor,
  d: ReferralRow & { card: ReferralCard | null; minimalCard: ReturnType<typeof minimalCard> | null },
) {
  return { ...presentReferral(actor, d, d.card !== null), card: d.card, minimalCard: d.minimalCard, allowedActions: actionsFor(actor, d) };
}

export function presentSettings(s: ReferralSettings) {
  return { answerDays: s.answerDays, feedbackDays: s.feedbackDays, version: s.version };
}
