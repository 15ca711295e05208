import { PrinterOutlined } from '@ant-design/icons';
import { Button, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../app/ui';
import { useCertificate } from './queries';

/**
 * 志愿服务记录证明, printable (志愿服务记录与证明出具办法): name, masked ID number, organisation, hours over
 * the period and by month, issuing unit, date and serial number. `/volunteers/:id/certificate` for staff,
 * `/my/volunteer/certificate` for the volunteer.
 */
export default function CertificatePage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const range = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const cert = useCertificate(id ? `/api/volunteers/${id}/certificate` : '/api/my/volunteer/certificate', range);
  if (cert.isLoading) return <Loading />;
  if (cert.error || !cert.data) return <ErrorState error={cert.error} onRetry={() => cert.refetch()} />;
  const c = cert.data;
  const period = c.from || c.to ? t('volunteers.certPeriod', { from: c.from ?? '—', to: c.to ?? '—' }) : t('volunteers.certPeriodAll');
  return (
    <div style={{ background: '#fff', maxWidth: 760, margin: '0 auto', padding: '40px 48px' }} data-testid="certificate">
      <style>
        {'@media print { .no-print { display: none !important } .ant-layout-sider, .ant-layout-header { display: none !important } }'}
      </style>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('volunteers.print')}
        </Button>
      </Space>
      <Typography.Title level={2} style={{ textAlign: 'center', letterSpacing: 4 }}>
        {t('volunteers.certTitle')}
      </Typography.Title>
      <Typography.Paragraph style={{ textAlign: 'right' }} type="secondary">
        {t('volunteers.certSerial', { serial: c.serialNumber })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ fontSize: 16, lineHeight: 2, textIndent: '2em' }} data-testid="certificate-body">
        {t('volunteers.certBody', {
          name: c.name,
          id: c.idNumberMasked,
          org: c.organisation,
          period,
          count: c.activityCount,
          hours: c.totalHours,
        })}
      </Typography.Paragraph>
      {c.byPeriod.length ? (
        <>
          <Typography.Title level={5}>{t('volunteers.certByPeriod')}</Typography.Title>
          <Table
            rowKey="period"
            size="small"
            pagination={false}
            dataSource={c.byPeriod}
            columns={[
              { title: t('volunteers.certMonth'), dataIndex: 'period' },
              { title: t('volunteers.certCount'), dataIndex: 'activities', align: 'right' },
              { title: t('volunteers.hours'), dataIndex: 'hours', align: 'right' },
            ]}
          />
        </>
      ) : null}
      <div style={{ marginTop: 48, textAlign: 'right', lineHeight: 2 }}>
        <div>{t('volunteers.certIssuer', { unit: c.issuingUnit })}</div>
        <div>{t('volunteers.certDate', { date: dayjs(c.issuedAt).format('YYYY-MM-DD') })}</div>
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 32, fontSize: 12 }}>
        {t('volunteers.certNote')}
      </Typography.Paragraph>
    </div>
  );
}
