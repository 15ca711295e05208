/** Shapes of the visit answers (docs/API.md, "Visits"). */

export interface Visit {
  id: string;
  clientId: string;
  clientName: string;
  unitId: string;
  unitName: string | null;
  visitedAt: string;
  kind: string;
  workers: { id: string; name: string }[];
  partners: string[];
  findings: string | null;
  needsFound: string[];
  followUp: string | null;
  latitude: number | null;
  longitude: number | null;
  createdAt: string;
}

export type OverdueGroupBy = 'worker' | 'community' | 'zone' | 'station';

export interface OverdueGroup {
  key: string | null;
  name: string | null;
  active: number;
  overdue: number;
}

export interface Ratio {
  due: number;
  visited: number;
  rate: number;
}

export interface Compliance {
  month: string;
  unit: { id: string | null; name: string };
  total: Ratio;
  children: ({ unit: { id: string; name: string; kind: string } } & Ratio)[];
}
