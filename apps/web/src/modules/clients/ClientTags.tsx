import { CLIENT_STATUS_LABELS, DEFAULT_CLIENT_FLAGS, RISK_LEVEL_LABELS, type RiskLevel, SEX_LABELS } from '@wushe/domain';
import { Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../app/ui';
import { useCategories } from '../settings/queries';

const RISK_COLORS: Record<RiskLevel, string | undefined> = { high: 'red', key: 'orange', general: undefined };

export function RiskTag({ level }: { level: RiskLevel }) {
  const label = useLabel();
  return (
    <Tag color={RISK_COLORS[level]} data-testid="risk-tag" data-risk={level}>
      {label(RISK_LEVEL_LABELS, level)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Tag color={status === 'active' ? 'green' : 'default'} data-testid="status-tag">
      {label(CLIENT_STATUS_LABELS, status)}
    </Tag>
  );
}

export function CategoryTags({ codes }: { codes: string[] }) {
  const { label } = useCategories();
  if (codes.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {codes.map((c) => (
        <Tag key={c} color="blue">
          {label(c)}
        </Tag>
      ))}
    </Space>
  );
}

export function FlagTags({ codes }: { codes: string[] }) {
  const label = useLabel();
  if (codes.length === 0) return null;
  return (
    <Space size={[0, 4]} wrap>
      {codes.map((c) => (
        <Tag key={c} color="red" data-testid="flag-tag">
          {label(DEFAULT_CLIENT_FLAGS, c)}
        </Tag>
      ))}
    </Space>
  );
}

export function ageOf(birthDate: string | null | undefined): number | null {
  if (!birthDate) return null;
  return dayjs().diff(dayjs(birthDate), 'year');
}

/** "男 · 78" style sex and age. */
export function SexAge({ sex, birthDate }: { sex: string | null; birthDate: string | null }) {
  const { t } = useTranslation();
  const label = useLabel();
  const age = ageOf(birthDate);
  const parts = [sex ? label(SEX_LABELS, sex) : null, age !== null ? t('clients.ageN', { n: age }) : null].filter(Boolean);
  return <>{parts.length ? parts.join(' · ') : '—'}</>;
}

/** The next due day, with a red 逾期 tag when it has passed. */
export function DueCell({ due, overdue }: { due: string | null; overdue: boolean }) {
  const { t } = useTranslation();
  if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap={false}>
      <span>{due}</span>
      {overdue ? (
        <Tag color="red" data-testid="overdue-tag">
          {t('clients.overdue')}
        </Tag>
      ) : null}
    </Space>
  );
}
