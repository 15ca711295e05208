import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Descriptions, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { download } from '../../app/api';
import { useAuth } from '../../app/auth';
import { ErrorState, Loading, useErrorText } from '../../app/ui';
import { fmtTime, Stars, VolunteerStatusTag } from './parts';
import { useEntries, useVolunteer } from './queries';
import type { Entry } from './types';

/** One volunteer: who, status, hours and stars, the time-bank ledger, the service record and certificate. */
export default function VolunteerPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const errorText = useErrorText();
  const v = useVolunteer(id);
  const entries = useEntries(v.data?.timebankAccountId, can('timebank.read'));
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  if (v.isLoading) return <Loading />;
  if (v.error || !v.data) return <ErrorState error={v.error} onRetry={() => v.refetch()} />;
  const d = v.data;
  const q = { from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') };
  const certQs = new URLSearchParams(Object.entries(q).filter(([, x]) => x) as [string, string][]).toString();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="volunteer-page">
      <Card
        title={
          <Space>
            <span>{d.name}</span>
            <VolunteerStatusTag status={d.status} />
            <Stars n={d.stars} />
          </Space>
        }
        extra={<Link to="/volunteers">{t('volunteers.back')}</Link>}
      >
        <Space size="large" wrap style={{ marginBottom: 16 }}>
          <Statistic title={t('volunteers.hours')} value={d.hours} suffix="h" />
          <Statistic title={t('volunteers.balance')} value={d.balance ?? 0} data-testid="volunteer-balance" />
        </Space>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('volunteers.idNumber')}>{d.idNumberMasked}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.phone')}>{d.phoneMasked ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.unit')}>{d.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.username')}>{d.username ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.skills')}>
            {d.skills.map((s) => (
              <Tag key={s}>{s}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('volunteers.availability')}>{d.availability ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.courier')}>{d.isCourier ? '✓' : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('volunteers.source')}>
            {t(d.source === 'self' ? 'volunteers.sourceSelf' : 'volunteers.sourceStation')} · {fmtTime(d.createdAt)}
          </Descriptions.Item>
          {d.statusReason ? <Descriptions.Item label={t('volunteers.reason')}>{d.statusReason}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Card title={t('volunteers.record')}>
        <Space wrap>
          <DatePicker.RangePicker
            value={range}
            onChange={(r) => setRange(r as [Dayjs | null, Dayjs | null] | null)}
            allowEmpty={[true, true]}
          />
          <Button
            icon={<DownloadOutlined />}
            onClick={() => download(`/api/volunteers/${d.id}/record.xlsx`, q).catch(setErr)}
            data-testid="record-export"
          >
            {t('volunteers.exportRecord')}
          </Button>
          <Link to={`/volunteers/${d.id}/certificate${certQs ? `?${certQs}` : ''}`}>
            <Button icon={<PrinterOutlined />} data-testid="certificate-link">
              {t('volunteers.certificate')}
            </Button>
          </Link>
        </Space>
        {err ? <Typography.Paragraph type="danger">{errorText(err)}</Typography.Paragraph> : null}
      </Card>
      {d.timebankAccountId && can('timebank.read') ? (
        <Card title={t('volunteers.ledger')}>
          <Table<Entry>
            rowKey="id"
            size="small"
            loading={entries.isLoading}
            dataSource={entries.data?.items ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('volunteers.noEntries') }}
            columns={[
              { title: t('volunteers.when'), dataIndex: 'createdAt', render: fmtTime },
              { title: t('volunteers.entryKind'), dataIndex: 'kind', render: (k) => t(`volunteers.entryKinds.${k}`, { defaultValue: k }) },
              {
                title: t('volunteers.amount'),
                dataIndex: 'amount',
                align: 'right',
                render: (a: number) => <span style={{ color: a > 0 ? '#389e0d' : '#cf1322' }}>{a > 0 ? `+${a}` : a}</span>,
              },
              { title: t('volunteers.memo'), dataIndex: 'memo' },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
