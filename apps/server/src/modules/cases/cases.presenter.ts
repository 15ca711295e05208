import type { CaseAction } from '@wushe/domain';
import type { CaseEventRow, CaseRow, CaseSettings, ServiceRow } from './cases.service.js';
import type { GroupRow } from './groups.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

export function presentCaseSummary(k: CaseRow) {
  return {
    id: k.id,
    title: k.title,
    clientId: k.clientId,
    clientName: k.clientName,
    unitId: k.unitId,
    unitName: k.unitName,
    ownerId: k.ownerId,
    ownerName: k.ownerName,
    source: k.source,
    stage: k.stage,
    planStatus: k.planStatus,
    closureStatus: k.closureStatus,
    dueDate: k.dueDate,
    overdue: Boolean(k.overdue),
    openedAt: iso(k.openedAt),
    updatedAt: iso(k.updatedAt),
    version: k.version,
  };
}

export function presentService(s: ServiceRow) {
  return {
    id: s.id,
    serviceDate: s.serviceDate,
    kind: s.kind,
    durationMinutes: Number(s.durationMinutes),
    workerIds: s.workerIds ?? [],
    workerNames: s.workerNames ?? [],
    societies: s.societies ?? [],
    notes: s.notes,
    createdByName: s.createdByName,
    createdAt: iso(s.createdAt),
  };
}

export function presentEvent(e: CaseEventRow) {
  return {
    id: e.id,
    kind: e.kind,
    action: e.action,
    fromStage: e.fromStage,
    toStage: e.toStage,
    body: e.body,
    authorName: e.authorName,
    createdAt: iso(e.createdAt),
  };
}

export function presentCase(k: CaseRow & { services: ServiceRow[]; events: CaseEventRow[]; allowedActions: CaseAction[] }) {
  return {
    ...presentCaseSummary(k),
    sourceRef: k.sourceRef,
    closureFromStage: k.closureFromStage,
    closureReason: k.closureReason,
    assessment: k.assessment ? { ...k.assessment, strengths: k.assessment.strengths ?? [] } : null,
    plan: k.plan,
    evaluation: k.evaluation,
    reopenCount: k.reopenCount,
    closedAt: isoOrNull(k.closedAt),
    allowedActions: k.allowedActions,
    services: k.services.map(presentService),
    events: k.events.map(presentEvent),
  };
}

export function presentSettings(s: CaseSettings) {
  return {
    deadlines: s.deadlines,
    requirePlanSignOff: s.requirePlanSignOff,
    requireClosureSignOff: s.requireClosureSignOff,
    version: Number(s.version),
  };
}

export function presentGroup(g: GroupRow) {
  return {
    id: g.id,
    kind: g.kind,
    name: g.name,
    goals: g.goals,
    unitId: g.unitId,
    unitName: g.unitName,
    ownerId: g.ownerId,
    ownerName: g.ownerName,
    startsOn: g.startsOn,
    endsOn: g.endsOn,
    sessions: g.sessions,
    attendance: g.attendance,
    createdAt: iso(g.createdAt),
  };
}
