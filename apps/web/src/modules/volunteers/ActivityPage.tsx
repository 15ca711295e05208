import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  message,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, Loading, useErrorText } from '../../app/ui';
import { ActivityStatusTag, fmtRange, fmtTime, PartnerTags, SignupStatusTag, VolunteerSelect } from './parts';
import { useAction, useActivity, useQr, useSignups } from './queries';
import type { Activity, MyActivity, Signup } from './types';

/** The check-in QR code: a console URL with the activity's token, drawn in the browser (qrcode). */
function QrPanel({ activityId }: { activityId: string }) {
  const { t } = useTranslation();
  const qr = useQr(activityId);
  const [img, setImg] = useState<string | null>(null);
  const url = qr.data ? `${window.location.origin}${qr.data.path}` : null;
  useEffect(() => {
    if (!url) return;
    let live = true;
    QRCode.toDataURL(url, { width: 240, margin: 1, errorCorrectionLevel: 'M' }).then((d) => live && setImg(d));
    return () => {
      live = false;
    };
  }, [url]);
  const rotate = useAction(() => api(`/api/activities/${activityId}/qr/rotate`, { method: 'POST' }));
  if (qr.error) return <ErrorState error={qr.error} compact />;
  return (
    <Card title={t('volunteers.qr')} size="small" data-testid="activity-qr">
      <div style={{ textAlign: 'center' }}>
        {img ? <img src={img} alt={t('volunteers.qr')} width={240} height={240} data-testid="qr-image" /> : <Loading rows={3} />}
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('volunteers.qrHelp')}
      </Typography.Paragraph>
      <div style={{ fontSize: 12, wordBreak: 'break-all', marginBottom: 8 }}>
        <a href={url ?? '#'} data-testid="qr-url">
          {url}
        </a>
      </div>
      <Popconfirm
        title={t('volunteers.rotateQr')}
        onConfirm={() => rotate.mutate(undefined, { onSuccess: () => message.success(t('volunteers.rotated')) })}
      >
        <Button icon={<ReloadOutlined />} size="small">
          {t('volunteers.rotateQr')}
        </Button>
      </Popconfirm>
    </Card>
  );
}

/** One activity: details, the QR for check-in, sign-ups and attendance (leader or staff). */
export default function ActivityPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const errorText = useErrorText();
  const asVolunteer = user?.role === 'volunteer';
  const a = useActivity(id, asVolunteer);
  const staff = can('activities.write') && !asVolunteer;
  const leads = staff || (asVolunteer && (a.data as MyActivity | undefined)?.isLeader === true);
  const signups = useSignups(leads ? id : undefined, 10_000);
  const [adjusting, setAdjusting] = useState<Signup | null>(null);
  const [pick, setPick] = useState<string | null>(null);
  const act = useAction(async (x: { method?: 'POST' | 'PATCH'; path: string; body?: unknown }) =>
    api(x.path, { method: x.method ?? 'POST', body: x.body ?? {} }),
  );
  const run = (path: string, body?: unknown) => act.mutate({ path: `/api/activities/${id}${path}`, body });
  if (a.isLoading) return <Loading />;
  if (a.error || !a.data) return <ErrorState error={a.error} onRetry={() => a.refetch()} />;
  const d = a.data as Activity;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="activity-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={leads ? 16 : 24}>
          <Card
            title={
              <Space wrap>
                <span data-testid="activity-title">{d.title}</span>
                <ActivityStatusTag status={d.status} />
              </Space>
            }
            extra={<Link to={asVolunteer ? '/my/volunteer' : '/activities'}>{t('volunteers.back')}</Link>}
          >
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('volunteers.time')}>{fmtRange(d)}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.place')}>{d.place}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.unit')}>{d.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.capacity')}>
                {d.signedUp}/{d.capacity}
                {d.waitlisted ? ` · ${t('volunteers.waitlisted')} ${d.waitlisted}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('volunteers.leader')}>{d.leaderName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.team')}>{d.teamName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.skillsWanted')}>
                {d.skills.map((s) => (
                  <Tag key={s}>{s}</Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('volunteers.partners')}>
                <PartnerTags partners={d.partners} />
              </Descriptions.Item>
              <Descriptions.Item label={t('volunteers.checkedIn')}>{d.checkedIn}</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.confirmedHours')}>{d.confirmedHours} h</Descriptions.Item>
              <Descriptions.Item label={t('volunteers.residentsServed')}>
                {staff ? (
                  <Space.Compact>
                    <InputNumber
                      min={0}
                      defaultValue={d.residentsServed}
                      key={d.version}
                      onBlur={(e) => {
                        const n = Number(e.target.value);
                        if (Number.isFinite(n) && n !== d.residentsServed)
                          act.mutate({
                            method: 'PATCH',
                            path: `/api/activities/${d.id}`,
                            body: { version: d.version, residentsServed: n },
                          });
                      }}
                      data-testid="residents-served"
                    />
                  </Space.Compact>
                ) : (
                  d.residentsServed
                )}
              </Descriptions.Item>
            </Descriptions>
            {d.description ? <Typography.Paragraph style={{ marginTop: 12 }}>{d.description}</Typography.Paragraph> : null}
            {staff && d.status === 'published' ? (
              <Popconfirm
                title={t('volunteers.close')}
                onConfirm={() =>
                  act.mutate({ method: 'PATCH', path: `/api/activities/${d.id}`, body: { version: d.version, status: 'closed' } })
                }
              >
                <Button size="small">{t('volunteers.close')}</Button>
              </Popconfirm>
            ) : null}
          </Card>
        </Col>
        {leads ? (
          <Col xs={24} lg={8}>
            <QrPanel activityId={d.id} />
          </Col>
        ) : null}
      </Row>
      {act.error ? (
        <Alert type="error" showIcon title={errorText(act.error)} closable onClose={() => act.reset()} data-testid="activity-error" />
      ) : null}
      {leads ? (
        <Card
          data-testid="signups"
          title={t('volunteers.signups')}
          extra={
            staff && d.status === 'published' ? (
              <Space.Compact style={{ minWidth: 280 }}>
                <div style={{ flex: 1 }}>
                  <VolunteerSelect value={pick} onChange={setPick} />
                </div>
                <Button
                  disabled={!pick}
                  onClick={() =>
                    act.mutate({ path: `/api/activities/${d.id}/signups`, body: { volunteerId: pick } }, { onSuccess: () => setPick(null) })
                  }
                >
                  {t('volunteers.signUpVolunteer')}
                </Button>
              </Space.Compact>
            ) : null
          }
        >
          <Table<Signup>
            rowKey="id"
            size="small"
            loading={signups.isLoading}
            dataSource={signups.data ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('volunteers.name'), dataIndex: 'volunteerName' },
              { title: t('volunteers.status'), key: 's', render: (_, s) => <SignupStatusTag signup={s} /> },
              { title: t('volunteers.checkInAt'), dataIndex: 'checkInAt', render: fmtTime },
              { title: t('volunteers.checkOutAt'), dataIndex: 'checkOutAt', render: fmtTime },
              {
                title: t('volunteers.recordedHours'),
                key: 'h',
                render: (_, s) =>
                  s.hours === null ? (
                    '—'
                  ) : (
                    <span title={s.adjustReason ?? undefined} data-testid="signup-hours">
                      {s.hours}
                      {s.adjustReason ? ' *' : ''}
                    </span>
                  ),
              },
              {
                title: '',
                key: 'actions',
                render: (_, s) => (
                  <Space size={4} wrap>
                    {s.status === 'signed_up' && !s.checkInAt ? (
                      <Button size="small" onClick={() => run(`/signups/${s.id}/check-in`)}>
                        {t('volunteers.checkIn')}
                      </Button>
                    ) : null}
                    {s.checkInAt && !s.checkOutAt ? (
                      <Button size="small" onClick={() => run(`/signups/${s.id}/check-out`)}>
                        {t('volunteers.checkOut')}
                      </Button>
                    ) : null}
                    {s.checkOutAt && !s.confirmedAt ? (
                      <>
                        <Button size="small" onClick={() => setAdjusting(s)} data-testid="signup-adjust">
                          {t('volunteers.adjust')}
                        </Button>
                        <Button size="small" type="primary" onClick={() => run(`/signups/${s.id}/confirm`)} data-testid="signup-confirm">
                          {t('volunteers.confirm')}
                        </Button>
                      </>
                    ) : null}
                    {(s.status === 'signed_up' || s.status === 'waitlisted') && !s.checkInAt ? (
                      <Popconfirm title={t('volunteers.cancelSignup')} onConfirm={() => run(`/signups/${s.id}/cancel`)}>
                        <Button size="small" type="link" danger>
                          {t('volunteers.cancelSignup')}
                        </Button>
                      </Popconfirm>
                    ) : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      <FormModal<{ hours: number; reason: string }>
        open={!!adjusting}
        title={adjusting ? t('volunteers.adjustTitle', { name: adjusting.volunteerName }) : ''}
        initialValues={{ hours: adjusting?.hours ?? 0 }}
        onCancel={() => setAdjusting(null)}
        onSubmit={async (b) => {
          if (!adjusting) return;
          await act.mutateAsync({
            method: 'PATCH',
            path: `/api/activities/${id}/signups/${adjusting.id}/hours`,
            body: { version: adjusting.version, ...b },
          });
          setAdjusting(null);
        }}
      >
        <Typography.Paragraph type="secondary">{t('volunteers.adjustHelp')}</Typography.Paragraph>
        <Form.Item name="hours" label={t('volunteers.recordedHours')} rules={[{ required: true }]}>
          <InputNumber min={0} max={24} step={0.25} precision={2} data-testid="adjust-hours" />
        </Form.Item>
        <Form.Item name="reason" label={t('volunteers.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} data-testid="adjust-reason" />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
