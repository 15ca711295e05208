import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { ErrorState, Loading, useErrorText } from '../../app/ui';
import { fmtRange, fmtTime } from './parts';
import { useAction, useMyActivity } from './queries';
import type { MyActivity } from './types';

/**
 * What the activity's QR code opens (/v/checkin/:id?t=token): the signed-in volunteer checks in, and on
 * the second visit checks out. The server checks the token, the sign-up and the order of the steps.
 */
export default function CheckinPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const token = params.get('t') ?? '';
  const { t } = useTranslation();
  const errorText = useErrorText();
  const a = useMyActivity(id);
  const [done, setDone] = useState<'in' | 'out' | null>(null);
  const act = useAction(async (step: 'check-in' | 'check-out') =>
    api<MyActivity>(`/api/my/activities/${id}/${step}`, { method: 'POST', body: { token } }),
  );
  if (a.isLoading) return <Loading />;
  if (a.error || !a.data) return <ErrorState error={a.error} onRetry={() => a.refetch()} />;
  const s = a.data.mySignup && a.data.mySignup.status !== 'cancelled' ? a.data.mySignup : null;
  const step = s?.checkInAt ? (s.checkOutAt ? null : 'check-out') : 'check-in';
  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }} data-testid="checkin-page">
      <Card>
        <Typography.Title level={4}>{a.data.title}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {fmtRange(a.data)} · {a.data.place}
        </Typography.Paragraph>
        {done ? (
          <Result
            icon={<CheckCircleOutlined style={{ color: '#52c41a' }} />}
            title={<span data-testid="checkin-done">{t(done === 'in' ? 'volunteers.checkinDone' : 'volunteers.checkoutDone')}</span>}
            subTitle={
              s?.checkOutAt
                ? t('volunteers.checkedOutAt', { time: fmtTime(s.checkOutAt), hours: s.hours ?? 0 })
                : s?.checkInAt
                  ? t('volunteers.checkedInAt', { time: fmtTime(s.checkInAt) })
                  : null
            }
          />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            {!s ? <Alert type="warning" showIcon title={t('volunteers.notSignedUp')} /> : null}
            {s?.checkInAt ? <Typography.Text>{t('volunteers.checkedInAt', { time: fmtTime(s.checkInAt) })}</Typography.Text> : null}
            {s?.checkOutAt ? (
              <Typography.Text>{t('volunteers.checkedOutAt', { time: fmtTime(s.checkOutAt), hours: s.hours ?? 0 })}</Typography.Text>
            ) : null}
            {act.error ? <Alert type="error" showIcon title={errorText(act.error)} data-testid="checkin-error" /> : null}
            {s && step ? (
              <Button
                type="primary"
                size="large"
                block
                loading={act.isPending}
                onClick={() => act.mutate(step, { onSuccess: () => setDone(step === 'check-in' ? 'in' : 'out') })}
                data-testid={step === 'check-in' ? 'do-check-in' : 'do-check-out'}
              >
                {t(step === 'check-in' ? 'volunteers.doCheckIn' : 'volunteers.doCheckOut')}
              </Button>
            ) : null}
          </Space>
        )}
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/my/volunteer">{t('volunteers.toMine')}</Link>
        </div>
      </Card>
    </div>
  );
}
