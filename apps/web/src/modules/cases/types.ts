import type { CaseAction, CaseSource, CaseStage, FiveSociety, GoalResult, ServiceKind, SignOffState } from '@wushe/domain';

export interface CaseSummary {
  id: string;
  title: string;
  clientId: string;
  clientName: string | null;
  unitId: string;
  unitName: string | null;
  ownerId: string;
  ownerName: string | null;
  source: CaseSource;
  stage: CaseStage;
  planStatus: SignOffState;
  closureStatus: SignOffState;
  dueDate: string | null;
  overdue: boolean;
  openedAt: string;
  updatedAt: string;
  version: number;
}

export interface Goal {
  id: string;
  goal: string;
  measures: string;
  targetDate: string;
}

export interface CaseService {
  id: string;
  serviceDate: string;
  kind: ServiceKind;
  durationMinutes: number;
  workerIds: string[];
  workerNames: string[];
  societies: FiveSociety[];
  notes: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface CaseEvent {
  id: string;
  kind: 'comment' | 'transition' | 'transfer';
  action: string | null;
  fromStage: string | null;
  toStage: string | null;
  body: string | null;
  authorName: string | null;
  createdAt: string;
}

export interface CaseDetail extends CaseSummary {
  sourceRef: string | null;
  closureFromStage: CaseStage | null;
  closureReason: string | null;
  assessment: { problems: string[]; strengths: string[]; risk: 'low' | 'medium' | 'high'; summary?: string | null } | null;
  plan: { goals: Goal[]; summary?: string | null } | null;
  evaluation: { results: { goalId: string; result: GoalResult; note?: string | null }[]; summary?: string | null } | null;
  reopenCount: number;
  closedAt: string | null;
  allowedActions: CaseAction[];
  services: CaseService[];
  events: CaseEvent[];
}
