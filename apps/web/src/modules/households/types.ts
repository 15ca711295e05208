/** Shapes of the household answers (docs/API.md, "Households, possible duplicates"); ID numbers come masked. */

export interface HouseholdListItem {
  id: string;
  address: string | null;
  unitName: string | null;
  memberCount: number;
  headId: string | null;
  headName: string | null;
  createdAt: string;
}

export interface HouseholdMember {
  id: string;
  name: string;
  relation: string | null;
  idNumber: string | null;
  birthDate: string | null;
  status: string;
}

export interface Household {
  id: string;
  address: string | null;
  version: number;
  members: HouseholdMember[];
}
