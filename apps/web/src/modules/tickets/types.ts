import type { CallbackResult, TicketCategory, TicketChannel, TicketStatus, TicketUrgency } from '@wushe/domain';

export interface Ticket {
  id: string;
  code: string;
  unitId: string;
  unitName: string | null;
  channel: TicketChannel;
  category: TicketCategory;
  urgency: TicketUrgency;
  status: TicketStatus;
  summary: string;
  regionCode: string | null;
  regionName: string | null;
  address: string | null;
  callerName: string | null;
  callerPhone: string | null;
  clientId: string | null;
  clientName: string | null;
  hotlineId: string | null;
  assignedUserId: string | null;
  assignedUserName: string | null;
  receivedAt: string;
  respondDueAt: string;
  solveDueAt: string;
  acceptedAt: string | null;
  assignedAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  cancelledAt: string | null;
  solution: string | null;
  callbackResult: CallbackResult | null;
  satisfaction: number | null;
  feedback: string | null;
  cancelReason: string | null;
  overdue: 'response' | 'solution' | null;
  escalatedToUnitId: string | null;
  escalatedToUnitName: string | null;
  escalatedAt: string | null;
  escalationReason: 'response' | 'solution' | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TicketEvent {
  id: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  userName: string | null;
  createdAt: string;
}

export interface TicketDetail extends Ticket {
  events: TicketEvent[];
  actions: string[];
}

export interface Hotline {
  id: string;
  unitId: string;
  unitName: string | null;
  number: string;
  name: string;
  hours: string;
  active: boolean;
  version: number;
}

export interface Shift {
  id: string;
  hotlineId: string;
  hotlineName: string | null;
  hotlineNumber: string | null;
  unitId: string;
  unitName: string | null;
  userId: string;
  userName: string | null;
  startsAt: string;
  endsAt: string;
  calls: number;
  peopleServed: number;
  notes: string | null;
  version: number;
}

export interface ShiftStats {
  rows: { key: string; label: string; shifts: number; calls: number; peopleServed: number; tickets: number; solved: number }[];
  totals: { shifts: number; calls: number; peopleServed: number; tickets: number; solved: number };
}

export interface Area {
  code: string;
  name: string;
  streetName: string | null;
}
