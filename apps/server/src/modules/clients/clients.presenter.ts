import { maskPhone } from '@wushe/domain';
import type { CategoryRow, ClientRow, Contact, FlagRow } from './clients.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** Today's calendar day in Asia/Shanghai (UTC+8, no daylight saving). */
export function todayShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A client as lists show it: ID number and phone masked, never decrypted here. */
export function presentClient(c: ClientRow) {
  return {
    id: c.id,
    name: c.name,
    idNumber: c.idNumberMasked,
    sex: c.sex,
    birthDate: c.birthDate,
    phone: c.phoneMasked,
    address: c.address,
    regionCode: c.regionCode,
    regionName: c.regionName,
    unitId: c.unitId,
    unitName: c.unitName,
    status: c.status,
    riskLevel: c.riskLevel,
    categories: c.categories ?? [],
    flags: c.flags ?? [],
    tags: c.tags ?? [],
    responsibleUserId: c.responsibleUserId,
    responsibleName: c.responsibleName,
    lastVisitAt: c.lastVisitAt ? iso(c.lastVisitAt) : null,
    nextVisitDue: c.nextVisitDue,
    overdue: c.status === 'active' && !!c.nextVisitDue && c.nextVisitDue < todayShanghai(),
    version: Number(c.version),
    updatedAt: iso(c.updatedAt),
  };
}

export function presentClientDetail(
  c: ClientRow,
  extra: {
    categories: CategoryRow[];
    flags: FlagRow[];
    household: { id: string; name: string; relation: string | null }[];
    contacts: Contact[];
  },
) {
  return {
    ...presentClient(c),
    ethnicity: c.ethnicity,
    statusDate: c.statusDate,
    statusReason: c.statusReason,
    householdId: c.householdId,
    householdRelation: c.householdRelation,
    household: extra.household,
    contacts: extra.contacts.map((k) => ({ name: k.name, relation: k.relation, phone: k.phone ? maskPhone(k.phone) : null })),
    categoryHistory: extra.categories.map((k) => ({ ...k, active: !!k.active })),
    flagHistory: extra.flags.map((f) => ({
      id: f.id,
      flag: f.flag,
      reason: f.reason,
      setAt: iso(f.setAt),
      setByName: f.setByName,
      clearedAt: f.clearedAt ? iso(f.clearedAt) : null,
      clearReason: f.clearReason,
    })),
    createdAt: iso(c.createdAt),
  };
}
