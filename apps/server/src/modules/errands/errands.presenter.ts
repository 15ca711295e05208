import type { Actor } from '../../platform/actor.js';
import { toCredits } from '../timebank/timebank.service.js';
import { actionsFor, type ErrandRow } from './errands.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

export function presentErrand(actor: Actor, e: ErrandRow) {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    details: e.details,
    place: e.place,
    unitId: e.unitId,
    unitName: e.unitName,
    windowFrom: iso(e.windowFrom),
    windowTo: iso(e.windowTo),
    reward: toCredits(e.reward),
    fundingAccountId: e.fundingAccountId,
    clientId: e.clientId,
    requestedBy: { id: e.requestedBy, name: e.requestedByName },
    assignee: e.assigneeUserId ? { id: e.assigneeUserId, name: e.assigneeName } : null,
    status: e.status,
    assignedAt: isoOrNull(e.assignedAt),
    completedAt: isoOrNull(e.completedAt),
    confirmedAt: isoOrNull(e.confirmedAt),
    cancelledAt: isoOrNull(e.cancelledAt),
    cancelReason: e.cancelReason,
    rewardPostingId: e.rewardPostingId,
    actions: actionsFor(actor, e),
    version: e.version,
    createdAt: iso(e.createdAt),
  };
}
