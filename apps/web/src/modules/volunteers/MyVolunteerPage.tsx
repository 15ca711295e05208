import { EnvironmentOutlined, FileProtectOutlined, ShoppingOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Segmented, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { ErrorState, Loading, useErrorText } from '../../app/ui';
import { ErrandStatusTag, errandWindow } from '../errands/parts';
import { useErrandList, useMySummary } from '../errands/queries';
import { fmtRange, SignupStatusTag, Stars } from './parts';
import { useAction, useMyActivities, useMyVolunteer } from './queries';
import type { MyActivity } from './types';

/** How many of the volunteer's own errands the card lists (the board has them all). */
const MY_ERRANDS_SHOWN = 5;

/** The volunteer's errands (跑腿): how many they hold and have done, the open ones of theirs, a way to the board. */
function MyErrandsCard() {
  const { t } = useTranslation();
  const summary = useMySummary(true, false);
  const list = useErrandList('mine', false);
  const mine = (list.data?.pages.flatMap((p) => p.items) ?? []).filter((e) => e.assignee && ['assigned', 'done'].includes(e.status));
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={t('volunteers.myErrands')}
      extra={
        <Link to="/errands" data-testid="my-errands-board">
          {t('volunteers.toErrandBoard')}
        </Link>
      }
      data-testid="my-errands"
    >
      {summary.error || list.error ? (
        <ErrorState
          error={summary.error ?? list.error}
          onRetry={() => {
            summary.refetch();
            list.refetch();
          }}
          compact
        />
      ) : null}
      <Space size="large" style={{ marginBottom: 8 }}>
        <div data-testid="my-errands-held" data-n={summary.data?.assigned ?? 0}>
          <Statistic title={t('volunteers.errandsHeld')} value={summary.data?.assigned ?? 0} loading={summary.isLoading} />
        </div>
        <Statistic title={t('volunteers.errandsToConfirm')} value={summary.data?.done ?? 0} loading={summary.isLoading} />
      </Space>
      <List
        size="small"
        loading={list.isLoading}
        dataSource={mine.slice(0, MY_ERRANDS_SHOWN)}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('volunteers.noErrands')} /> }}
        renderItem={(e) => (
          <List.Item data-testid="my-errand" extra={<ErrandStatusTag status={e.status} />} style={{ paddingInline: 0 }}>
            <Space direction="vertical" size={0}>
              <Typography.Text strong>
                <ShoppingOutlined /> {e.title}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {errandWindow(e)} · {e.place}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 我的志愿服务: a phone-sized view for a signed-in volunteer — hours, stars, balance, errands, activities to join and their own. */
export default function MyVolunteerPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const me = useMyVolunteer();
  const { can } = useAuth();
  const [view, setView] = useState<'open' | 'mine'>('mine');
  const list = useMyActivities(view);
  const act = useAction(async (x: { id: string; what: 'signup' | 'cancel' }) =>
    api<MyActivity>(`/api/my/activities/${x.id}/${x.what}`, { method: 'POST' }),
  );
  if (me.isLoading) return <Loading />;
  if (me.error instanceof ApiError && me.error.code === 'not_a_volunteer')
    return <Alert type="info" showIcon title={t('volunteers.notVolunteer')} />;
  if (me.error || !me.data) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  const v = me.data;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto' }} data-testid="my-volunteer-page">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {v.name}
            </Typography.Title>
            <Typography.Text type="secondary">{v.unitName}</Typography.Text>
          </div>
          <Stars n={v.stars} />
        </Space>
        <Space size="large" style={{ marginTop: 12 }}>
          <Statistic title={t('volunteers.myHours')} value={v.hours} suffix="h" />
          <div data-testid="my-balance" data-balance={v.balance ?? 0}>
            <Statistic title={t('volunteers.myBalance')} value={v.balance ?? 0} />
          </div>
        </Space>
        <div style={{ marginTop: 8 }}>
          <Link to="/my/volunteer/certificate">
            <Button size="small" icon={<FileProtectOutlined />}>
              {t('volunteers.certificate')}
            </Button>
          </Link>
        </div>
      </Card>
      {can('errands.grab') ? <MyErrandsCard /> : null}
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('volunteers.scanHint')}
      </Typography.Paragraph>
      <Segmented
        block
        value={view}
        onChange={(x) => setView(x as 'open' | 'mine')}
        options={[
          { value: 'mine', label: <span data-testid="my-tab-mine">{t('volunteers.myActivities')}</span> },
          { value: 'open', label: <span data-testid="my-tab-open">{t('volunteers.openActivities')}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      {act.error ? <Alert type="error" showIcon title={errorText(act.error)} style={{ marginBottom: 12 }} /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} compact /> : null}
      <List
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t(view === 'open' ? 'volunteers.noOpen' : 'volunteers.noMine')} /> }}
        renderItem={(a) => {
          const s = a.mySignup && a.mySignup.status !== 'cancelled' ? a.mySignup : null;
          const full = a.signedUp >= a.capacity;
          return (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="my-activity">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                  <Typography.Text strong>{a.title}</Typography.Text>
                  {s ? <SignupStatusTag signup={s} /> : null}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {fmtRange(a)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  <EnvironmentOutlined /> {a.place} · {a.signedUp}/{a.capacity}
                </Typography.Text>
                {s?.hours != null ? <Typography.Text>{t('volunteers.hoursValue', { hours: s.hours })}</Typography.Text> : null}
                <Space wrap style={{ marginTop: 4 }}>
                  {!s && a.status === 'published' ? (
                    <Button type="primary" size="small" onClick={() => act.mutate({ id: a.id, what: 'signup' })} data-testid="my-signup">
                      {t('volunteers.signUp')}
                    </Button>
                  ) : null}
                  {!s && full ? <Typography.Text type="warning">{t('volunteers.full')}</Typography.Text> : null}
                  {s && !s.checkInAt ? (
                    <Button size="small" onClick={() => act.mutate({ id: a.id, what: 'cancel' })} data-testid="my-cancel">
                      {t('volunteers.cancelSignup')}
                    </Button>
                  ) : null}
                  {a.isLeader ? (
                    <Link to={`/activities/${a.id}`}>
                      <Button size="small">{t('volunteers.manage')}</Button>
                    </Link>
                  ) : null}
                </Space>
              </Space>
            </Card>
          );
        }}
      />
    </div>
  );
}
