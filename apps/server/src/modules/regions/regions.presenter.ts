import type { RegionRow } from './regions.service.js';

export function presentRegion(r: RegionRow) {
  return { code: r.code, name: r.name, level: Number(r.level), parentCode: r.parentCode };
}
