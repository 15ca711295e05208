import { FIVE_SOCIETIES } from '@wushe/domain';
import { Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../app/hooks';
import { useLabel } from '../../app/ui';
import { useVolunteers } from './queries';
import type { ActivityStatus, Signup, VolunteerStatus } from './types';

const STATUS_COLOR: Record<VolunteerStatus, string> = { pending: 'gold', active: 'green', suspended: 'default', rejected: 'red' };
const STATUS_KEY: Record<VolunteerStatus, string> = {
  pending: 'statusPending',
  active: 'statusActive',
  suspended: 'statusSuspended',
  rejected: 'statusRejected',
};

export function VolunteerStatusTag({ status }: { status: VolunteerStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`volunteer-status-${status}`}>
      {t(`volunteers.${STATUS_KEY[status]}`)}
    </Tag>
  );
}

export function ActivityStatusTag({ status }: { status: ActivityStatus }) {
  const { t } = useTranslation();
  const color = status === 'published' ? 'blue' : status === 'closed' ? 'default' : 'red';
  return <Tag color={color}>{t(`volunteers.${status}`)}</Tag>;
}

export function SignupStatusTag({ signup }: { signup: Pick<Signup, 'status' | 'waitlistPosition' | 'confirmedAt'> }) {
  const { t } = useTranslation();
  if (signup.confirmedAt) return <Tag color="green">{t('volunteers.confirmed')}</Tag>;
  if (signup.status === 'waitlisted')
    return <Tag color="gold">{t('volunteers.waitlistPosition', { n: signup.waitlistPosition ?? '?' })}</Tag>;
  return <Tag color={signup.status === 'signed_up' ? 'blue' : 'default'}>{t(`volunteers.signupStatus_${signup.status}`)}</Tag>;
}

export function Stars({ n }: { n: number }) {
  if (n <= 0) return <span style={{ color: '#999' }}>—</span>;
  return (
    <span style={{ color: '#faad14', whiteSpace: 'nowrap' }} title={`${n}`} data-testid="stars">
      {'★'.repeat(n)}
    </span>
  );
}

export function PartnerTags({ partners }: { partners: string[] }) {
  const label = useLabel();
  return (
    <Space size={[0, 4]} wrap>
      {partners.map((p) => (
        <Tag key={p}>{label(FIVE_SOCIETIES, p)}</Tag>
      ))}
    </Space>
  );
}

export const fmtTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const fmtRange = (a: { startsAt: string; endsAt: string }) => {
  const s = dayjs(a.startsAt);
  const e = dayjs(a.endsAt);
  return `${s.format('YYYY-MM-DD HH:mm')}–${e.isSame(s, 'day') ? e.format('HH:mm') : e.format('MM-DD HH:mm')}`;
};

/** Picks an active volunteer of the user's part of the network (remote search by name). */
export function VolunteerSelect({ value, onChange, id }: { value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const list = useVolunteers({ q: q || undefined, status: 'active', limit: 30, sort: 'name' });
  const options = useMemo(
    () => (list.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name}（${v.phoneMasked ?? v.idNumberMasked}）` })),
    [list.data],
  );
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      placeholder={t('volunteers.chooseVolunteer')}
      style={{ width: '100%', minWidth: 200 }}
      loading={list.isFetching}
      data-testid="volunteer-select"
    />
  );
}
