import { DAILY_REPORT_STATUS_LABELS, type DailyReportStatus } from '@wushe/domain';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../app/ui';

const COLORS: Record<DailyReportStatus | 'missing', string> = {
  draft: 'default',
  submitted: 'success',
  returned: 'warning',
  missing: 'error',
};

/** A report's state (null: not started = 未报送), with 迟报 when it was submitted late. */
export function StatusTag({ status, late }: { status: DailyReportStatus | null; late?: boolean }) {
  const label = useLabel();
  const { t } = useTranslation();
  const s = status ?? 'missing';
  return (
    <Space size={4}>
      <Tag color={COLORS[s]} data-testid="daily-report-status" data-status={s}>
        {label(DAILY_REPORT_STATUS_LABELS, s)}
      </Tag>
      {late ? <Tag color="orange">{t('dailyReports.late')}</Tag> : null}
    </Space>
  );
}
