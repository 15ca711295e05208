import { FileSearchOutlined, PlusOutlined } from '@ant-design/icons';
import { NOMINATION_STATUS_LABELS } from '@wushe/domain';
import { Button, Card, Empty, List, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { CategoryTags } from '../clients/ClientTags';
import { AcceptModal, RejectModal, ReportDrawer } from './NominationDialogs';
import { useNominationList } from './queries';
import type { Nomination, NominationStatus } from './types';

const STATUS_COLORS: Record<NominationStatus, string | undefined> = { pending: 'gold', accepted: 'green', rejected: 'default' };

function NominationStatusTag({ status }: { status: NominationStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="nomination-status" data-status={status}>
      {label(NOMINATION_STATUS_LABELS, status)}
    </Tag>
  );
}

/** 发现报告: people reported by community workers and volunteers, checked and taken in by the station. */
export default function NominationsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [status, setStatus] = useState<NominationStatus | undefined>('pending');
  const [reporting, setReporting] = useState(false);
  const [accepting, setAccepting] = useState<Nomination | null>(null);
  const [rejecting, setRejecting] = useState<Nomination | null>(null);
  const list = useNominationList(status);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const canDecide = can('nominations.decide');

  const reported = (n: Nomination) => [n.reportedByName, dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')].filter(Boolean).join(' · ');
  const decision = (n: Nomination) =>
    n.status === 'pending' ? (
      <Typography.Text type="secondary">—</Typography.Text>
    ) : (
      <Space orientation="vertical" size={0}>
        <Typography.Text type="secondary">
          {[n.decidedByName, n.decidedAt ? dayjs(n.decidedAt).format('YYYY-MM-DD HH:mm') : null].filter(Boolean).join(' · ')}
        </Typography.Text>
        {n.decisionReason ? <span>{n.decisionReason}</span> : null}
        {n.clientId ? (
          <Link to={`/clients/${n.clientId}`} data-testid="nomination-client-link">
            {t('nominations.openClient')}
          </Link>
        ) : null}
      </Space>
    );
  const actions = (n: Nomination) =>
    canDecide && n.status === 'pending' ? (
      <Space size={4} wrap>
        <Button size="small" type="primary" onClick={() => setAccepting(n)} data-testid="nomination-accept-open">
          {t('nominations.accept')}
        </Button>
        <Button size="small" onClick={() => setRejecting(n)} data-testid="nomination-reject-open">
          {t('nominations.reject')}
        </Button>
      </Space>
    ) : null;
  const rowAttrs = (n: Nomination) =>
    ({ 'data-testid': 'nomination-row', 'data-nomination-id': n.id, 'data-name': n.name }) as React.HTMLAttributes<HTMLElement>;

  return (
    <div data-testid="nominations-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <FileSearchOutlined /> {t('nominations.title')}
        </Typography.Title>
        {can('clients.write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="nomination-create">
            {t('nominations.report')}
          </Button>
        ) : null}
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('nominations.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={NOMINATION_STATUS_LABELS.map((s) => ({ value: s.value, label: label(NOMINATION_STATUS_LABELS, s.value) }))}
            data-testid="nominations-filter-status"
          />
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            {mobile ? (
              <List<Nomination>
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                locale={{ emptyText: <Empty description={t('nominations.empty')} /> }}
                data-testid="nominations-list"
                renderItem={(n) => (
                  <List.Item {...rowAttrs(n)} style={{ display: 'block' }}>
                    <Space wrap size={[6, 4]} style={{ marginBottom: 4 }}>
                      <Typography.Text strong style={{ fontSize: 16 }}>
                        {n.name}
                      </Typography.Text>
                      <NominationStatusTag status={n.status} />
                    </Space>
                    <div>
                      <Typography.Text type="secondary">
                        {[n.idNumber, n.phone, n.regionName, n.address].filter(Boolean).join(' · ')}
                      </Typography.Text>
                    </div>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{n.situation}</div>
                    <CategoryTags codes={n.suggestedCategories} />
                    <div>
                      <Typography.Text type="secondary">{reported(n)}</Typography.Text>
                    </div>
                    {n.status !== 'pending' ? decision(n) : null}
                    <div style={{ marginTop: 6 }}>{actions(n)}</div>
                  </List.Item>
                )}
              />
            ) : (
              <Table<Nomination>
                rowKey="id"
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                pagination={false}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: <Empty description={t('nominations.empty')} /> }}
                onRow={rowAttrs}
                data-testid="nominations-table"
                columns={[
                  { title: t('clients.name'), dataIndex: 'name', fixed: 'left' },
                  {
                    title: t('clients.idNumber'),
                    dataIndex: 'idNumber',
                    render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
                  },
                  { title: t('clients.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
                  {
                    title: t('clients.community'),
                    key: 'community',
                    render: (_: unknown, n) => (
                      <>
                        {n.regionName ?? n.regionCode}
                        {n.address ? (
                          <div>
                            <Typography.Text type="secondary">{n.address}</Typography.Text>
                          </div>
                        ) : null}
                      </>
                    ),
                  },
                  {
                    title: t('nominations.situation'),
                    dataIndex: 'situation',
                    render: (v: string) => <div style={{ maxWidth: 320, whiteSpace: 'pre-wrap' }}>{v}</div>,
                  },
                  {
                    title: t('nominations.suggestedCategories'),
                    key: 'categories',
                    render: (_: unknown, n) => <CategoryTags codes={n.suggestedCategories} />,
                  },
                  {
                    title: t('nominations.reportedBy'),
                    key: 'reported',
                    render: (_: unknown, n) => <Typography.Text type="secondary">{reported(n)}</Typography.Text>,
                  },
                  { title: t('nominations.status'), key: 'status', render: (_: unknown, n) => <NominationStatusTag status={n.status} /> },
                  { title: t('nominations.decision'), key: 'decision', render: (_: unknown, n) => decision(n) },
                  ...(canDecide ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, n: Nomination) => actions(n) }] : []),
                ]}
              />
            )}
            <LoadMoreFooter
              pages={list}
              shown={items.length}
              total={total}
              totalTestId="nominations-total"
              moreTestId="nominations-more"
              marginTop={12}
            />
          </>
        )}
      </Card>
      <ReportDrawer open={reporting} onClose={() => setReporting(false)} />
      <AcceptModal
        nomination={accepting}
        onClose={() => setAccepting(null)}
        onAccepted={(n) => {
          setAccepting(null);
          if (n.clientId) navigate(`/clients/${n.clientId}`);
        }}
      />
      <RejectModal nomination={rejecting} onClose={() => setRejecting(null)} />
    </div>
  );
}
