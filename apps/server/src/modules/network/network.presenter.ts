import type { OperatorRow, UnitRow, ZoneRow } from './network.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentUnit(u: UnitRow) {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    status: u.status as 'planned' | 'operating' | 'suspended' | 'closed',
    regionCode: u.regionCode,
    regionName: u.regionName,
    parentId: u.parentId,
    path: u.path,
    depth: Number(u.depth),
    childCount: Number(u.childCount),
    version: Number(u.version),
    updatedAt: iso(u.updatedAt),
  };
}

export function presentOperator(o: OperatorRow) {
  return { id: o.id, name: o.name, creditCode: o.creditCode, contactName: o.contactName, phone: o.phone };
}

export function presentUnitDetail(
  u: UnitRow,
  extra: { operator: OperatorRow | null | undefined; zoneName: string | null; ancestors: { id: string; name: string; kind: string }[] },
) {
  return {
    ...presentUnit(u),
    operator: extra.operator ? presentOperator(extra.operator) : null,
    operatorId: u.operatorId,
    contractStart: u.contractStart,
    contractEnd: u.contractEnd,
    functions: u.functions ?? [],
    posts: u.posts ?? [],
    zoneId: u.zoneId,
    zoneName: extra.zoneName,
    address: u.address,
    phone: u.phone,
    openingHours: u.openingHours,
    ancestors: extra.ancestors,
    createdAt: iso(u.createdAt),
  };
}

export function presentZone(z: ZoneRow) {
  return { id: z.id, stationId: z.stationId, name: z.name, regionCodes: z.regionCodes ?? [], version: Number(z.version) };
}
