import { ClockCircleOutlined, DownloadOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { TICKET_CATEGORY_LABELS, TICKET_CHANNEL_LABELS, TICKET_STATUS_LABELS, TICKET_URGENCY_LABELS } from '@wushe/domain';
import { App, Button, Card, Input, List, Select, Space, Switch, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { download } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useUrlSearch } from '../../app/hooks';
import { ErrorState, LoadMoreFooter, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { DeadlinesModal } from './DeadlinesModal';
import { type TicketFilters, useLiveTickets, useTicketList } from './queries';
import { CategoryTag, ChannelText, DeadlineTags, formatTime, StatusTag, UrgencyTag } from './TicketParts';
import type { Ticket } from './types';

const FILTER_KEYS = ['status', 'category', 'urgency', 'channel', 'overdue', 'escalated', 'q'] as const;

/** 工单: the tickets of the user's part of the network, filtered in the URL, newest first. */
export default function TicketsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [deadlinesOpen, setDeadlinesOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const update = (key: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const filters = useMemo(() => {
    const f: TicketFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    // No status chosen: open tickets first ("all" shows every status).
    if (!f.status && params.get('open') !== 'all') f.open = 'true';
    if (f.status === 'all') delete f.status;
    return f;
  }, [params]);
  const { search, setSearch } = useUrlSearch(params.get('q') ?? '', (q) => update('q', q));
  const list = useTicketList(filters);
  useLiveTickets();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const statusValue = params.get('status') ?? (params.get('open') === 'all' ? 'all' : 'open');
  /** The list as it is filtered now, as xlsx (phones masked). */
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download('/api/tickets/export', { ...filters }, 'tickets.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const columns = [
    {
      title: t('tickets.code'),
      dataIndex: 'code',
      width: 150,
      render: (_: string, r: Ticket) => (
        <Link to={`/tickets/${r.id}`} data-testid="ticket-link">
          {r.code}
        </Link>
      ),
    },
    {
      title: t('tickets.summary'),
      dataIndex: 'summary',
      render: (_: string, r: Ticket) => (
        <Space direction="vertical" size={2}>
          <Typography.Text ellipsis style={{ maxWidth: 360 }}>
            {r.summary}
          </Typography.Text>
          <Space size={4} wrap>
            <CategoryTag ticket={r} />
            <UrgencyTag urgency={r.urgency} />
            <DeadlineTags ticket={r} />
          </Space>
        </Space>
      ),
    },
    { title: t('tickets.status'), dataIndex: 'status', width: 110, render: (_: string, r: Ticket) => <StatusTag status={r.status} /> },
    { title: t('tickets.channel'), dataIndex: 'channel', width: 110, render: (_: string, r: Ticket) => <ChannelText ticket={r} /> },
    {
      title: t('tickets.unit'),
      dataIndex: 'unitName',
      width: 200,
      render: (_: string, r: Ticket) => (
        <Space direction="vertical" size={0}>
          <span>{r.unitName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.regionName ?? ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('tickets.receivedAt'), dataIndex: 'receivedAt', width: 150, render: (v: string) => formatTime(v) },
  ];

  return (
    <div data-testid="tickets-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <PhoneOutlined /> {t('tickets.title')}
        </Typography.Title>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} disabled={total === 0} data-testid="ticket-export">
            {t('tickets.export')}
          </Button>
          {can('settings.write') ? (
            <Button icon={<ClockCircleOutlined />} onClick={() => setDeadlinesOpen(true)} data-testid="ticket-deadlines">
              {t('tickets.deadlines')}
            </Button>
          ) : null}
          {can('tickets.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')} data-testid="ticket-new">
              {t('tickets.newCall')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Input.Search
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t('tickets.searchPlaceholder')}
            style={{ width: mobile ? '100%' : 220 }}
            data-testid="tickets-search"
          />
          <Select
            value={statusValue}
            onChange={(v) => {
              setParams(
                (prev) => {
                  const next = new URLSearchParams(prev);
                  next.delete('status');
                  next.delete('open');
                  if (v === 'all') next.set('open', 'all');
                  else if (v !== 'open') next.set('status', v);
                  return next;
                },
                { replace: true },
              );
            }}
            style={{ width: 130 }}
            options={[
              { value: 'open', label: t('tickets.openOnes') },
              { value: 'all', label: t('tickets.allStatuses') },
              ...TICKET_STATUS_LABELS.map((s) => ({ value: s.value, label: label(TICKET_STATUS_LABELS, s.value) })),
            ]}
            data-testid="tickets-filter-status"
          />
          <Select
            allowClear
            placeholder={t('tickets.category')}
            value={params.get('category') ?? undefined}
            onChange={(v) => update('category', v)}
            style={{ width: 130 }}
            options={TICKET_CATEGORY_LABELS.map((c) => ({ value: c.value, label: label(TICKET_CATEGORY_LABELS, c.value) }))}
            data-testid="tickets-filter-category"
          />
          <Select
            allowClear
            placeholder={t('tickets.urgency')}
            value={params.get('urgency') ?? undefined}
            onChange={(v) => update('urgency', v)}
            style={{ width: 110 }}
            options={TICKET_URGENCY_LABELS.map((c) => ({ value: c.value, label: label(TICKET_URGENCY_LABELS, c.value) }))}
            data-testid="tickets-filter-urgency"
          />
          <Select
            allowClear
            placeholder={t('tickets.channel')}
            value={params.get('channel') ?? undefined}
            onChange={(v) => update('channel', v)}
            style={{ width: 140 }}
            options={TICKET_CHANNEL_LABELS.map((c) => ({ value: c.value, label: label(TICKET_CHANNEL_LABELS, c.value) }))}
            data-testid="tickets-filter-channel"
          />
          <Space size={6}>
            <Switch
              size="small"
              checked={params.get('overdue') === 'true'}
              onChange={(on) => update('overdue', on ? 'true' : undefined)}
              data-testid="tickets-filter-overdue"
            />
            <span>{t('tickets.overdueOnly')}</span>
          </Space>
          <Space size={6}>
            <Switch
              size="small"
              checked={params.get('escalated') === 'true'}
              onChange={(on) => update('escalated', on ? 'true' : undefined)}
              data-testid="tickets-filter-escalated"
            />
            <span>{t('tickets.escalatedOnly')}</span>
          </Space>
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : mobile ? (
          <List
            dataSource={items}
            loading={list.isFetching && !list.isFetchingNextPage}
            locale={{ emptyText: t('tickets.empty') }}
            renderItem={(r) => (
              <List.Item onClick={() => navigate(`/tickets/${r.id}`)} style={{ cursor: 'pointer' }} data-testid="ticket-row">
                <Space direction="vertical" size={4} style={{ width: '100%' }}>
                  <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                    <Typography.Text strong>{r.code}</Typography.Text>
                    <StatusTag status={r.status} />
                  </Space>
                  <Typography.Text>{r.summary}</Typography.Text>
                  <Space size={4} wrap>
                    <CategoryTag ticket={r} />
                    <UrgencyTag urgency={r.urgency} />
                    <DeadlineTags ticket={r} />
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(r.receivedAt)} · {r.unitName}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
            data-testid="tickets-list"
          />
        ) : (
          <Table
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            pagination={false}
            loading={list.isFetching && !list.isFetchingNextPage}
            locale={{ emptyText: t('tickets.empty') }}
            onRow={() => ({ 'data-testid': 'ticket-row' }) as React.HTMLAttributes<HTMLElement>}
            data-testid="tickets-table"
          />
        )}
        <DeadlinesModal open={deadlinesOpen} onClose={() => setDeadlinesOpen(false)} />
        <LoadMoreFooter
          pages={list}
          shown={items.length}
          total={total}
          totalTestId="tickets-total"
          moreTestId="tickets-more"
          marginTop={12}
        />
      </Card>
    </div>
  );
}
