import type { HotlineRow, ShiftRow } from './hotlines.service.js';
import type { TicketEventRow, TicketRow } from './tickets.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

/** A ticket as lists and the detail show it: the phone masked, no ciphertext or blind index. */
export function presentTicket(t: TicketRow) {
  return {
    id: t.id,
    code: t.code,
    unitId: t.unitId,
    unitName: t.unitName,
    channel: t.channel,
    category: t.category,
    urgency: t.urgency,
    status: t.status,
    summary: t.summary,
    regionCode: t.regionCode,
    regionName: t.regionName,
    address: t.address,
    callerName: t.callerName,
    callerPhone: t.callerPhoneMasked,
    clientId: t.clientId,
    clientName: t.clientName,
    hotlineId: t.hotlineId,
    assignedUserId: t.assignedUserId,
    assignedUserName: t.assignedUserName,
    receivedAt: iso(t.receivedAt),
    respondDueAt: iso(t.respondDueAt),
    solveDueAt: iso(t.solveDueAt),
    acceptedAt: isoOrNull(t.acceptedAt),
    assignedAt: isoOrNull(t.assignedAt),
    solvedAt: isoOrNull(t.solvedAt),
    closedAt: isoOrNull(t.closedAt),
    cancelledAt: isoOrNull(t.cancelledAt),
    solution: t.solution,
    callbackResult: t.callbackResult,
    satisfaction: t.satisfaction === null ? null : Number(t.satisfaction),
    feedback: t.feedback,
    cancelReason: t.cancelReason,
    overdue: t.overdue,
    escalatedToUnitId: t.escalatedToUnitId,
    escalatedToUnitName: t.escalatedToUnitName,
    escalatedAt: isoOrNull(t.escalatedAt),
    escalationReason: t.escalationReason,
    version: Number(t.version),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

export function presentEvent(e: TicketEventRow) {
  return {
    id: e.id,
    kind: e.kind,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    note: e.note,
    userName: e.userName,
    createdAt: iso(e.createdAt),
  };
}

export function presentHotline(h: HotlineRow) {
  return {
    id: h.id,
    unitId: h.unitId,
    unitName: h.unitName,
    number: h.number,
    name: h.name,
    hours: h.hours,
    active: h.active,
    version: Number(h.version),
  };
}

export function presentShift(s: ShiftRow) {
  return {
    id: s.id,
    hotlineId: s.hotlineId,
    hotlineName: s.hotlineName,
    hotlineNumber: s.hotlineNumber,
    unitId: s.unitId,
    unitName: s.unitName,
    userId: s.userId,
    userName: s.userName,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    calls: s.calls,
    peopleServed: s.peopleServed,
    notes: s.notes,
    version: s.version,
  };
}
