import type { VisitRow } from './visits.service.js';

const num = (v: string | number | null) => (v === null ? null : Number(v));

export function presentVisit(v: VisitRow) {
  return {
    id: v.id,
    clientId: v.clientId,
    clientName: v.clientName,
    unitId: v.unitId,
    unitName: v.unitName,
    visitedAt: new Date(v.visitedAt).toISOString(),
    kind: v.kind,
    workers: v.workers ?? [],
    partners: v.partners ?? [],
    findings: v.findings,
    needsFound: v.needsFound ?? [],
    followUp: v.followUp,
    latitude: num(v.latitude),
    longitude: num(v.longitude),
    createdAt: new Date(v.createdAt).toISOString(),
  };
}
