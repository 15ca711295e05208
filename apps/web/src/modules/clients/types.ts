import type { ClientStatus, RiskLevel } from '@wushe/domain';

/** Shapes of the client ledger answers (docs/API.md, "Client ledger"). ID numbers and phones come masked. */

export interface Client {
  id: string;
  name: string;
  idNumber: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  phone: string | null;
  address: string | null;
  regionCode: string;
  regionName: string | null;
  unitId: string;
  unitName: string | null;
  status: ClientStatus;
  riskLevel: RiskLevel;
  categories: string[];
  flags: string[];
  tags: string[];
  responsibleUserId: string | null;
  responsibleName: string | null;
  lastVisitAt: string | null;
  nextVisitDue: string | null;
  overdue: boolean;
  version: number;
  updatedAt: string;
}

export interface ClientContact {
  name: string;
  relation: string;
  phone: string | null;
}

export interface CategoryEntry {
  id: string;
  category: string;
  subtype: string | null;
  startDate: string;
  endDate: string | null;
  source: string | null;
  active: boolean;
}

export interface FlagEntry {
  id: string;
  flag: string;
  reason: string;
  setAt: string;
  setByName: string | null;
  clearedAt: string | null;
  clearReason: string | null;
}

export interface ClientDetail extends Client {
  ethnicity: string | null;
  statusDate: string | null;
  statusReason: string | null;
  householdId: string | null;
  householdRelation: string | null;
  household: { id: string; name: string; relation: string | null }[];
  contacts: ClientContact[];
  categoryHistory: CategoryEntry[];
  flagHistory: FlagEntry[];
  createdAt: string;
}

export type RevealField = 'idNumber' | 'phone' | 'contacts';

export interface RevealAnswer {
  field: RevealField;
  value: string | ClientContact[] | null;
}

export type ClientSort = 'name' | '-name' | 'updatedAt' | '-updatedAt' | 'nextVisitDue';
