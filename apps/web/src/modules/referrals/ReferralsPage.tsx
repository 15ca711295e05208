import { PlusOutlined, ShareAltOutlined } from '@ant-design/icons';
import {
  CONSENT_EXEMPTION_LABELS,
  CONSENT_METHOD_LABELS,
  NEED_TYPES,
  REFERRAL_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  type ReferralAction,
  type ReferralStatus,
  SEX_LABELS,
} from '@wushe/domain';
import { Alert, Button, Card, Checkbox, Descriptions, Drawer, List, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { ErrorState, Loading, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { type Referral, type ReferralFilters, useReferral, useReferralList } from './queries';
import { ActionModal, TransferRequestModal } from './ReferralDialogs';

const STATUS_COLOURS: Record<ReferralStatus, string> = {
  sent: 'blue',
  accepted: 'cyan',
  declined: 'default',
  in_progress: 'processing',
  feedback: 'green',
  closed: 'default',
};

export function ReferralTags({ r }: { r: Referral }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Space size={4} wrap>
      <Tag color={r.kind === 'referral' ? 'geekblue' : 'purple'}>{label(REFERRAL_KIND_LABELS, r.kind)}</Tag>
      <Tag color={STATUS_COLOURS[r.status]} data-testid="referral-status">
        {label(REFERRAL_STATUS_LABELS, r.status)}
      </Tag>
      {r.overdue ? (
        <Tag color="red" data-testid="referral-overdue">
          {t('referrals.overdue')}
        </Tag>
      ) : null}
    </Space>
  );
}

/** 转介与移交: hand-overs for the user's part to answer and those it sent, with the overdue flag; a drawer per hand-over. */
export default function ReferralsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const update = (key: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === undefined) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const filters: ReferralFilters = useMemo(
    () => ({
      box: (params.get('box') as ReferralFilters['box']) ?? 'received',
      overdue: params.get('overdue') === 'true' ? 'true' : undefined,
      open: params.get('open') === 'false' ? undefined : 'true',
    }),
    [params],
  );
  const list = useReferralList(filters);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const openId = params.get('id');
  const [requesting, setRequesting] = useState(false);

  return (
    <div data-testid="referrals-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <ShareAltOutlined /> {t('referrals.title')}
        </Typography.Title>
        {can('referrals.write') ? (
          <Button icon={<PlusOutlined />} onClick={() => setRequesting(true)} data-testid="referrals-request">
            {t('referrals.request')}
          </Button>
        ) : null}
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={filters.box}
            onChange={(v) => update('box', v === 'received' ? undefined : String(v))}
            options={[
              { value: 'received', label: <span data-testid="referrals-tab-received">{t('referrals.received')}</span> },
              { value: 'sent', label: <span data-testid="referrals-tab-sent">{t('referrals.sent')}</span> },
              { value: 'all', label: t('referrals.all') },
            ]}
          />
          <Checkbox
            checked={filters.overdue === 'true'}
            onChange={(e) => update('overdue', e.target.checked ? 'true' : undefined)}
            data-testid="referrals-filter-overdue"
          >
            {t('referrals.onlyOverdue')}
          </Checkbox>
          <Checkbox checked={filters.open === 'true'} onChange={(e) => update('open', e.target.checked ? undefined : 'false')}>
            {t('referrals.onlyOpen')}
          </Checkbox>
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : mobile ? (
          <List
            loading={list.isFetching && !list.isFetchingNextPage}
            dataSource={items}
            locale={{ emptyText: t('referrals.empty') }}
            renderItem={(r) => (
              <List.Item data-testid="referral-row" onClick={() => update('id', r.id)} style={{ cursor: 'pointer' }}>
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{r.clientLabel}</Typography.Text>
                    <ReferralTags r={r} />
                  </Space>
                  <Typography.Text type="secondary">
                    {r.fromUnitName} → {r.toName} · {t('referrals.due')} {r.dueDate ?? '—'}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Table<Referral>
            rowKey="id"
            size="middle"
            loading={list.isFetching && !list.isFetchingNextPage}
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('referrals.empty') }}
            onRow={(r) => ({ 'data-testid': 'referral-row', 'data-referral-id': r.id }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                key: 'client',
                title: t('referrals.client'),
                render: (_, r) => (
                  <Button type="link" style={{ padding: 0 }} onClick={() => update('id', r.id)} data-testid="referral-open">
                    {r.clientLabel}
                  </Button>
                ),
              },
              { key: 'tags', title: t('referrals.status'), render: (_, r) => <ReferralTags r={r} /> },
              { key: 'from', title: t('referrals.from'), dataIndex: 'fromUnitName' },
              { key: 'to', title: t('referrals.to'), dataIndex: 'toName' },
              {
                key: 'due',
                title: t('referrals.due'),
                render: (_, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{r.dueDate ?? '—'}</Typography.Text>,
              },
              { key: 'sent', title: t('referrals.sentAt'), render: (_, r) => dayjs(r.sentAt).format('MM-DD HH:mm') },
            ]}
          />
        )}
        <LoadMoreFooter
          pages={list}
          shown={items.length}
          total={list.data?.pages[0]?.total}
          totalTestId="referrals-total"
          moreTestId="referrals-more"
          marginTop={12}
        />
      </Card>
      <ReferralDrawer id={openId} onClose={() => update('id', undefined)} />
      <TransferRequestModal open={requesting} onClose={() => setRequesting(false)} />
    </div>
  );
}

const ACTION_BUTTONS: ReferralAction[] = ['accept', 'start', 'feedback', 'decline', 'close'];

/** One hand-over: what the user may read of the client, the consent, the answers and the actions of their side. */
export function ReferralDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const r = useReferral(id);
  const [action, setAction] = useState<ReferralAction | null>(null);
  const d = r.data;
  const names: Record<ReferralAction, string> = {
    accept: t('referrals.accept'),
    decline: t('referrals.decline'),
    start: t('referrals.start'),
    feedback: t('referrals.giveFeedback'),
    close: t('referrals.close'),
  };
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={mobile ? '100%' : 560}
      title={d ? t('referrals.detailTitle', { kind: label(REFERRAL_KIND_LABELS, d.kind), client: d.clientLabel }) : t('referrals.title')}
      data-testid="referral-drawer"
    >
      {r.isLoading ? <Loading /> : null}
      {r.isError ? <ErrorState error={r.error} compact /> : null}
      {d ? (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <ReferralTags r={d} />
          {d.allowedActions.length ? (
            <Space wrap>
              {ACTION_BUTTONS.filter((a) => d.allowedActions.includes(a)).map((a) => (
                <Button
                  key={a}
                  type={a === 'accept' || a === 'feedback' ? 'primary' : 'default'}
                  danger={a === 'decline'}
                  onClick={() => setAction(a)}
                  data-testid={`referral-action-${a}`}
                >
                  {names[a]}
                </Button>
              ))}
            </Space>
          ) : null}
          {d.toKind !== 'unit' && d.allowedActions.length ? <Alert type="info" showIcon title={t('referrals.externalHint')} /> : null}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('referrals.from')}>{d.fromUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('referrals.to')}>{d.toName}</Descriptions.Item>
            <Descriptions.Item label={t('referrals.sentBy')}>
              {d.sentByName ?? '—'} · {dayjs(d.sentAt).format('YYYY-MM-DD HH:mm')}
            </Descriptions.Item>
            <Descriptions.Item label={t('referrals.due')}>
              <Typography.Text type={d.overdue ? 'danger' : undefined}>{d.dueDate ?? '—'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('referrals.summary')}>{d.summary}</Descriptions.Item>
            {d.declineReason ? <Descriptions.Item label={t('referrals.declineReason')}>{d.declineReason}</Descriptions.Item> : null}
            {d.progressNote ? <Descriptions.Item label={t('referrals.progressNote')}>{d.progressNote}</Descriptions.Item> : null}
            {d.feedback ? <Descriptions.Item label={t('referrals.feedback')}>{d.feedback}</Descriptions.Item> : null}
            {d.closeNote ? <Descriptions.Item label={t('referrals.closeNote')}>{d.closeNote}</Descriptions.Item> : null}
            {d.consent ? (
              <Descriptions.Item label={t('referrals.consent')}>
                {label(CONSENT_METHOD_LABELS, d.consent.method)}
                {d.consent.exemption ? `（${label(CONSENT_EXEMPTION_LABELS, d.consent.exemption)}）` : ''} · {d.consent.recordedBy} ·{' '}
                {dayjs(d.consent.recordedAt).format('YYYY-MM-DD HH:mm')}
                {d.consent.note ? ` · ${d.consent.note}` : ''}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {d.card ? (
            <Card size="small" title={t('referrals.card')} data-testid="referral-card">
              {d.clientId === null ? <Alert type="warning" showIcon title={t('referrals.cardHint')} style={{ marginBottom: 8 }} /> : null}
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('referrals.name')}>
                  {d.clientId ? <Link to={`/clients/${d.clientId}`}>{d.card.clientName}</Link> : d.card.clientName}
                </Descriptions.Item>
                <Descriptions.Item label={t('referrals.sexAge')}>
                  {label(SEX_LABELS, d.card.sex) || '—'} / {d.card.age ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('referrals.phone')}>{d.card.phoneMasked ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('referrals.address')}>{d.card.address ?? '—'}</Descriptions.Item>
                {d.card.need ? (
                  <Descriptions.Item label={t('referrals.need')}>
                    {label(NEED_TYPES, d.card.need.needType)}
                    {d.card.need.description ? `：${d.card.need.description}` : ''}
                  </Descriptions.Item>
                ) : null}
                {d.card.case ? <Descriptions.Item label={t('referrals.case')}>{d.card.case.title}</Descriptions.Item> : null}
              </Descriptions>
            </Card>
          ) : null}
          {d.minimalCard ? (
            <Card size="small" title={t('referrals.minimalCard')} data-testid="referral-minimal-card">
              <Typography.Paragraph type="secondary">{t('referrals.minimalHint')}</Typography.Paragraph>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('referrals.name')}>{d.minimalCard.maskedName}</Descriptions.Item>
                <Descriptions.Item label={t('referrals.sex')}>{label(SEX_LABELS, d.minimalCard.sex) || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('referrals.birthYear')}>{d.minimalCard.birthYear ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('referrals.unit')}>{d.minimalCard.unitName ?? '—'}</Descriptions.Item>
              </Descriptions>
            </Card>
          ) : null}
        </Space>
      ) : null}
      {d ? (
        <ActionModal
          referral={d}
          action={action}
          onClose={() => {
            setAction(null);
            void r.refetch();
          }}
        />
      ) : null}
    </Drawer>
  );
}
