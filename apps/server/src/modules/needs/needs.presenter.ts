import type { NeedRow, NominationRow } from './needs.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentNeed(n: NeedRow) {
  return {
    id: n.id,
    clientId: n.clientId,
    clientName: n.clientName,
    unitName: n.unitName,
    needType: n.needType,
    severity: n.severity,
    description: n.description,
    status: n.status,
    statusReason: n.statusReason,
    visitId: n.visitId,
    assessedByName: n.assessedByName,
    assessedAt: iso(n.assessedAt),
    closedAt: n.closedAt ? iso(n.closedAt) : null,
    version: Number(n.version),
  };
}

/** Nominations as lists show them: ID number and phone masked. */
export function presentNomination(n: NominationRow) {
  return {
    id: n.id,
    name: n.name,
    idNumber: n.idNumberMasked,
    phone: n.phoneMasked,
    address: n.address,
    regionCode: n.regionCode,
    regionName: n.regionName,
    situation: n.situation,
    suggestedCategories: n.suggestedCategories ?? [],
    status: n.status,
    reportedByName: n.reportedByName,
    decidedByName: n.decidedByName,
    decidedAt: n.decidedAt ? iso(n.decidedAt) : null,
    decisionReason: n.decisionReason,
    clientId: n.clientId,
    createdAt: iso(n.createdAt),
    version: Number(n.version),
  };
}
