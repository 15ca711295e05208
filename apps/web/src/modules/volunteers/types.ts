export type VolunteerStatus = 'pending' | 'active' | 'suspended' | 'rejected';

export interface Volunteer {
  id: string;
  name: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  unitId: string;
  unitName: string | null;
  skills: string[];
  availability: string | null;
  isCourier: boolean;
  status: VolunteerStatus;
  statusReason: string | null;
  source: 'self' | 'station';
  userId: string | null;
  username: string | null;
  timebankAccountId: string | null;
  balance: number | null;
  hours: number;
  stars: number;
  reviewedAt: string | null;
  version: number;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  unitId: string;
  unitName: string | null;
  leaderId: string | null;
  leaderName: string | null;
  description: string | null;
  memberCount: number;
  version: number;
  createdAt: string;
}

export interface TeamMember {
  volunteerId: string;
  name: string;
  phoneMasked: string | null;
  status: VolunteerStatus;
  hours: number;
  joinedAt: string;
}

export type ActivityStatus = 'published' | 'cancelled' | 'closed';

export interface Activity {
  id: string;
  title: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  place: string;
  unitId: string;
  unitName: string | null;
  capacity: number;
  skills: string[];
  partners: string[];
  teamId: string | null;
  teamName: string | null;
  leaderId: string | null;
  leaderName: string | null;
  status: ActivityStatus;
  residentsServed: number;
  signedUp: number;
  waitlisted: number;
  checkedIn: number;
  confirmedHours: number;
  version: number;
  createdAt: string;
}

export interface Signup {
  id: string;
  activityId: string;
  volunteerId: string;
  volunteerName: string;
  phoneMasked: string | null;
  status: 'signed_up' | 'waitlisted' | 'cancelled';
  waitlistPosition: number | null;
  queuedAt: string;
  checkInAt: string | null;
  checkOutAt: string | null;
  hours: number | null;
  adjustReason: string | null;
  confirmedAt: string | null;
  postingId: string | null;
  version: number;
}

export interface MyActivity extends Activity {
  isLeader: boolean;
  mySignup: Signup | null;
}

export interface Certificate {
  volunteerId: string;
  name: string;
  idNumberMasked: string;
  organisation: string;
  issuingUnit: string;
  from: string | null;
  to: string | null;
  totalHours: number;
  activityCount: number;
  byPeriod: { period: string; hours: number; activities: number }[];
  issuedAt: string;
  serialNumber: string;
}

export interface Entry {
  id: string;
  postingId: string;
  kind: string;
  amount: number;
  memo: string | null;
  counterpartyName: string | null;
  createdByName: string | null;
  createdAt: string;
}
