import type { PostArea, PostKind, Role, UnitKind, UnitStatus } from '@wushe/domain';

/** Shapes of the API answers (docs/API.md). */

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unit: { id: string; name: string; kind: UnitKind; path: string; regionCode: string } | null;
  permissions: string[];
  mustChangePassword: boolean;
}

export interface SessionAnswer {
  user: Me;
  csrfToken: string;
}

export interface Region {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  status: UnitStatus;
  regionCode: string;
  regionName: string;
  parentId: string | null;
  path: string;
  depth: number;
  childCount: number;
  version: number;
  updatedAt: string;
}

export interface Operator {
  id: string;
  name: string;
  creditCode: string | null;
  contactName: string | null;
  phone: string | null;
}

export interface Post {
  kind: PostKind;
  area: PostArea | string;
  headcount: number;
}

export interface UnitDetail extends Unit {
  operator: Operator | null;
  operatorId: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  functions: string[];
  posts: Post[];
  zoneId: string | null;
  zoneName: string | null;
  address: string | null;
  phone: string | null;
  openingHours: string | null;
  ancestors: { id: string; name: string; kind: UnitKind }[];
  createdAt: string;
}

export interface UnitInput {
  name: string;
  kind: UnitKind;
  regionCode: string;
  parentId: string | null;
  status: UnitStatus;
  operatorId?: string | null;
  contractStart?: string | null;
  contractEnd?: string | null;
  functions?: string[];
  posts?: Post[];
  zoneId?: string | null;
  address?: string | null;
  phone?: string | null;
  openingHours?: string | null;
}

export interface Zone {
  id: string;
  stationId: string;
  name: string;
  regionCodes: string[];
  version: number;
}

export interface CoverageFigure {
  total: number;
  covered: number;
  rate: number;
}

export interface Coverage {
  region: Region;
  streets: CoverageFigure;
  villages: CoverageFigure;
  children: { region: Region; streets: CoverageFigure; villages: CoverageFigure }[];
}

export interface ImportReport {
  committed: boolean;
  rows: number;
  valid: number;
  errors: { row: number; column: string; code: string; message: string }[];
  created: number;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitName: string | null;
  status: 'active' | 'disabled';
  locked: boolean;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
}

export interface RolesAnswer {
  roles: { value: Role; zh: string; en: string; permissions: string[] }[];
  permissions: { value: string; zh: string; en: string }[];
}

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}
