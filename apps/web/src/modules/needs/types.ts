import type { NeedStatus, RiskLevel } from '@wushe/domain';

/** Shapes of the needs and nominations answers (docs/API.md, "Needs and nominations"). */

export type NeedSeverity = 'low' | 'medium' | 'high' | 'urgent';

export interface Need {
  id: string;
  clientId: string;
  clientName: string;
  unitName: string | null;
  needType: string;
  severity: NeedSeverity;
  description: string | null;
  status: NeedStatus;
  statusReason: string | null;
  visitId: string | null;
  assessedByName: string | null;
  assessedAt: string;
  closedAt: string | null;
  version: number;
}

export type NeedStatusFilter = NeedStatus | 'unresolved';

export type NominationStatus = 'pending' | 'accepted' | 'rejected';

export interface Nomination {
  id: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  regionCode: string;
  regionName: string | null;
  situation: string;
  suggestedCategories: string[];
  status: NominationStatus;
  reportedByName: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  clientId: string | null;
  createdAt: string;
  version: number;
}

export interface AcceptInput {
  unitId: string;
  riskLevel: RiskLevel;
  categories: { category: string; subtype?: string | null; startDate: string }[];
  reason?: string | null;
}
