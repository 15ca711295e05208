import type { ActivityRow, SignupRow } from './activities.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

/** An activity without its check-in token (only the leader's QR route hands that out). */
export function presentActivity(a: ActivityRow) {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    place: a.place,
    unitId: a.unitId,
    unitName: a.unitName,
    capacity: a.capacity,
    skills: a.skills ?? [],
    partners: a.partners ?? [],
    teamId: a.teamId,
    teamName: a.teamName,
    leaderId: a.leaderId,
    leaderName: a.leaderName,
    status: a.status,
    residentsServed: a.residentsServed,
    signedUp: a.signedUp,
    waitlisted: a.waitlisted,
    checkedIn: a.checkedIn,
    confirmedHours: a.confirmedHours / 100,
    version: a.version,
    createdAt: iso(a.createdAt),
  };
}

export function presentSignup(s: SignupRow) {
  return {
    id: s.id,
    activityId: s.activityId,
    volunteerId: s.volunteerId,
    volunteerName: s.volunteerName,
    phoneMasked: s.phoneMasked,
    status: s.status,
    waitlistPosition: s.waitlistPosition,
    queuedAt: iso(s.queuedAt),
    checkInAt: isoOrNull(s.checkInAt),
    checkOutAt: isoOrNull(s.checkOutAt),
    hours: s.hours === null ? null : s.hours / 100,
    adjustReason: s.adjustReason,
    confirmedAt: isoOrNull(s.confirmedAt),
    postingId: s.postingId,
    version: s.version,
  };
}

export const qrPath = (a: { id: string }, token: string) => `/v/checkin/${a.id}?t=${encodeURIComponent(token)}`;
