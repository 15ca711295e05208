export type ErrandKind = 'shopping' | 'delivery' | 'escort' | 'other';
export type ErrandStatus = 'open' | 'assigned' | 'done' | 'confirmed' | 'cancelled' | 'expired';
export type ErrandAction = 'grab' | 'assign' | 'release' | 'complete' | 'confirm' | 'cancel';
export type ErrandView = 'board' | 'mine' | 'all';

export interface Errand {
  id: string;
  kind: ErrandKind;
  title: string;
  details: string | null;
  place: string;
  unitId: string;
  unitName: string | null;
  windowFrom: string;
  windowTo: string;
  reward: number;
  fundingAccountId: string;
  clientId: string | null;
  requestedBy: { id: string; name: string | null } | null;
  assignee: { id: string; name: string | null } | null;
  status: ErrandStatus;
  assignedAt: string | null;
  completedAt: string | null;
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  rewardPostingId: string | null;
  actions: ErrandAction[];
  version: number;
  createdAt: string;
}

export interface ErrandInput {
  kind: ErrandKind;
  title: string;
  details?: string | null;
  place: string;
  unitId: string;
  windowFrom: string;
  windowTo: string;
  reward: number;
}

export interface Courier {
  id: string;
  name: string;
  unitName: string | null;
}

export interface MySummary {
  accountId: string | null;
  balance: number;
  assigned: number;
  done: number;
  posted: number;
}
