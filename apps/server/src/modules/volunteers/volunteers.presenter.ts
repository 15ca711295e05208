import type { TeamRow, VolunteerRow } from './volunteers.service.js';
import { starsFor } from './volunteers.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** A volunteer as lists and the record show it: ID number and phone masked, hours and balance in units. */
export function presentVolunteer(v: VolunteerRow, starHours: number[]) {
  return {
    id: v.id,
    name: v.name,
    idNumberMasked: v.idNumberMasked,
    phoneMasked: v.phoneMasked,
    sex: v.sex,
    birthDate: v.birthDate,
    unitId: v.unitId,
    unitName: v.unitName,
    skills: v.skills ?? [],
    availability: v.availability,
    isCourier: v.isCourier,
    status: v.status,
    statusReason: v.statusReason,
    source: v.source,
    userId: v.userId,
    username: v.username,
    timebankAccountId: v.timebankAccountId,
    balance: v.balance === null ? null : v.balance / 100,
    hours: v.confirmedHours / 100,
    stars: starsFor(v.confirmedHours, starHours),
    reviewedAt: v.reviewedAt ? iso(v.reviewedAt) : null,
    version: v.version,
    createdAt: iso(v.createdAt),
  };
}

export function presentTeam(t: TeamRow) {
  return {
    id: t.id,
    name: t.name,
    unitId: t.unitId,
    unitName: t.unitName,
    leaderId: t.leaderId,
    leaderName: t.leaderName,
    description: t.description,
    memberCount: t.memberCount,
    version: t.version,
    createdAt: iso(t.createdAt),
  };
}
