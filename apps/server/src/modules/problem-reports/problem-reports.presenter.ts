import { type Actor, can } from '../../platform/actor.js';
import { inScope } from '../../platform/scope.js';
import type { ProblemReportRow } from './problem-reports.service.js';

/**
 * A report as its reader sees it. The ticket it became (code and status) is shown to its reporter — they
 * follow what became of it — and to staff who read that unit's tickets.
 */
export function presentProblemReport(actor: Actor, r: ProblemReportRow) {
  const staff = can(actor, 'tickets.read') && inScope(actor, r.unitPath);
  const showTicket = staff || r.reporterUserId === actor.userId;
  return {
    id: r.id,
    category: r.category,
    description: r.description,
    place: r.place,
    regionCode: r.regionCode,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    unitId: r.unitId,
    unitName: r.unitName,
    reporterName: r.reporterName,
    photo: r.photoType ? { type: r.photoType, bytes: Number(r.photoBytes) } : null,
    ticket:
      showTicket && r.ticketId && r.ticketCode && r.ticketStatus ? { id: r.ticketId, code: r.ticketCode, status: r.ticketStatus } : null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
