import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsentExemption, ConsentMethod, ReceiverKind, ReferralAction, ReferralKind, ReferralStatus } from '@wushe/domain';
import { api, type Page } from '../../app/api';

export interface Consent {
  method: ConsentMethod;
  exemption: ConsentExemption | null;
  recordedBy: string;
  recordedAt: string;
  note: string | null;
}

export interface Referral {
  id: string;
  kind: ReferralKind;
  status: ReferralStatus;
  clientId: string | null;
  clientLabel: string;
  fromUnitId: string;
  fromUnitName: string | null;
  toKind: ReceiverKind;
  toUnitId: string | null;
  toUnitKind: string | null;
  toUnitRegionCode: string | null;
  toName: string | null;
  summary: string;
  declineReason: string | null;
  progressNote: string | null;
  feedback: string | null;
  closeNote: string | null;
  consent: Consent | null;
  dueDate: string | null;
  overdue: boolean;
  sentByName: string | null;
  sentAt: string;
  answeredAt: string | null;
  feedbackAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  version: number;
  sides: ('sender' | 'receiver')[];
}

export interface ReferralDetail extends Referral {
  card: {
    clientName: string;
    age: number | null;
    sex: 'male' | 'female' | null;
    phoneMasked: string | null;
    address: string | null;
    need: { id: string; needType: string; severity: string; description: string | null } | null;
    case: { id: string; title: string; stage: string } | null;
  } | null;
  minimalCard: { maskedName: string; sex: 'male' | 'female' | null; birthYear: number | null; unitName: string | null } | null;
  allowedActions: ReferralAction[];
}

export interface ReferralFilters {
  box?: 'all' | 'sent' | 'received';
  overdue?: 'true';
  open?: 'true';
  clientId?: string;
}

export function useReferralList(f: ReferralFilters, limit = 20) {
  return useInfiniteQuery({
    queryKey: ['referrals', 'list', f, limit],
    queryFn: ({ pageParam, signal }) => api<Page<Referral>>('/api/referrals', { query: { ...f, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

export function useReferral(id: string | null) {
  return useQuery({
    queryKey: ['referrals', 'detail', id],
    queryFn: ({ signal }) => api<ReferralDetail>(`/api/referrals/${id}`, { signal }),
    enabled: !!id,
    retry: false,
  });
}

export function useReceivers(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['referrals', 'receivers', q],
    queryFn: ({ signal }) =>
      api<{ units: { id: string; name: string; kind: string; parentName: string | null }[]; operators: { id: string; name: string }[] }>(
        '/api/referrals/receivers',
        { query: { q: q || undefined, limit: 30 }, signal },
      ),
    enabled,
    staleTime: 60_000,
  });
}

/** A write that answers with a hand-over: lists and the client page are refreshed. */
export function useReferralWrite<B>(path: (b: B) => string, body: (b: B) => unknown = (b) => b) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: B) => api<ReferralDetail>(path(b), { method: 'POST', body: body(b) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['referrals'] });
      void qc.invalidateQueries({ queryKey: ['clients'] });
    },
  });
}
