import { AlertOutlined, ScanOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UNIT_KIND_LABELS } from '@wushe/domain';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  List,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
  theme,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { EChart, type EChartOption } from '../../app/EChart';
import { ErrorState, formatPercent, Loading, useErrorText, useIsMobile, useLabel, useTotalText } from '../../app/ui';
import { DueCell, RiskTag } from '../clients/ClientTags';
import { useClientList } from '../clients/queries';
import type { Compliance, OverdueGroup, OverdueGroupBy } from './types';

const GROUPS: OverdueGroupBy[] = ['community', 'worker', 'zone', 'station'];

function OverdueCard() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { token } = theme.useToken();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [groupBy, setGroupBy] = useState<OverdueGroupBy>('community');
  const overdue = useQuery({
    queryKey: ['visits', 'overdue', groupBy],
    queryFn: () => api<{ items: OverdueGroup[] }>('/api/visits/overdue', { query: { groupBy } }),
  });
  const scan = useMutation({
    mutationFn: () => api<{ recomputed: number; notified: number }>('/api/visits/scan', { method: 'POST' }),
    onSuccess: async (r) => {
      message.success(t('visits.scanDone', r));
      await qc.invalidateQueries({ queryKey: ['visits'] });
      await qc.invalidateQueries({ queryKey: ['clients'] });
      await qc.invalidateQueries({ queryKey: ['notifications'] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const items = overdue.data?.items ?? [];
  const nameOf = (g: OverdueGroup) => g.name ?? t('visits.unassigned');
  const totals = items.reduce((acc, g) => ({ active: acc.active + g.active, overdue: acc.overdue + g.overdue }), { active: 0, overdue: 0 });

  const option = useMemo<EChartOption | null>(() => {
    if (items.length === 0) return null;
    // 兴隆街社区居民委员会 → 兴隆街社区: the axis has little room
    const names = items.map((g) => (g.name ?? t('visits.unassigned')).replace(/(居民委员会|村民委员会)$/, ''));
    return {
      color: ['#dc2626', token.colorPrimary],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 5 || mobile ? 35 : 0, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('visits.overdueCount'), type: 'bar', data: items.map((g) => g.overdue), barMaxWidth: 28 },
        { name: t('visits.activeCount'), type: 'bar', data: items.map((g) => g.active), barMaxWidth: 28 },
      ],
    };
  }, [items, t, token.colorPrimary, mobile]);

  return (
    <Card
      title={t('visits.overdueTitle')}
      extra={
        can('visits.write') ? (
          <Button icon={<ScanOutlined />} onClick={() => scan.mutate()} loading={scan.isPending} data-testid="overdue-scan">
            {t('visits.scan')}
          </Button>
        ) : null
      }
      styles={{ body: { padding: mobile ? 12 : undefined } }}
    >
      <Segmented<OverdueGroupBy>
        value={groupBy}
        onChange={setGroupBy}
        block={mobile}
        options={GROUPS.map((g) => ({ value: g, label: <span data-testid={`group-${g}`}>{t(`visits.groupBy.${g}`)}</span> }))}
        style={{ marginBottom: 16 }}
        data-testid="overdue-group"
      />
      {overdue.isLoading ? (
        <Loading rows={5} />
      ) : overdue.isError ? (
        <ErrorState error={overdue.error} onRetry={() => void overdue.refetch()} compact />
      ) : items.length === 0 ? (
        <Empty description={t('visits.noActive')} data-testid="overdue-empty" />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            {option ? <EChart option={option} style={{ height: mobile ? 260 : 320 }} data-testid="overdue-chart" /> : null}
          </Col>
          <Col xs={24} lg={12}>
            <Table<OverdueGroup>
              rowKey={(g) => g.key ?? '__none'}
              dataSource={items}
              size="small"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              onRow={(g) =>
                ({
                  'data-testid': 'overdue-row',
                  'data-key': g.key ?? '',
                  'data-name': g.name ?? '',
                  'data-overdue': g.overdue,
                }) as React.HTMLAttributes<HTMLElement>
              }
              data-testid="overdue-table"
              columns={[
                { title: t(`visits.groupBy.${groupBy}`), key: 'name', render: (_: unknown, g) => nameOf(g) },
                {
                  title: t('visits.overdueCount'),
                  dataIndex: 'overdue',
                  align: 'right',
                  render: (n: number) => (
                    <Typography.Text type={n > 0 ? 'danger' : undefined} strong={n > 0} data-testid="overdue-count">
                      {n}
                    </Typography.Text>
                  ),
                },
                { title: t('visits.activeCount'), dataIndex: 'active', align: 'right' },
                {
                  title: t('visits.overdueRate'),
                  key: 'rate',
                  render: (_: unknown, g) => (g.active ? formatPercent(g.overdue / g.active) : '—'),
                },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>{t('visits.total')}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <Typography.Text strong data-testid="overdue-total">
                      {totals.overdue}
                    </Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {totals.active}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3}>{totals.active ? formatPercent(totals.overdue / totals.active) : '—'}</Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

function ComplianceCard() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const key = month.format('YYYY-MM');
  const compliance = useQuery({
    queryKey: ['visits', 'compliance', key],
    queryFn: () => api<Compliance>('/api/visits/compliance', { query: { month: key } }),
  });
  const data = compliance.data;
  return (
    <Card
      title={t('visits.complianceTitle')}
      extra={
        <DatePicker
          picker="month"
          value={month}
          allowClear={false}
          onChange={(m) => m && setMonth(m)}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          style={{ width: 130 }}
          data-testid="compliance-month"
        />
      }
      styles={{ body: { padding: mobile ? 12 : undefined } }}
    >
      {compliance.isLoading ? (
        <Loading rows={4} />
      ) : compliance.isError ? (
        <ErrorState error={compliance.error} onRetry={() => void compliance.refetch()} compact />
      ) : data ? (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={8}>
              <Statistic title={t('visits.complianceRate')} value={formatPercent(data.total.rate)} data-testid="compliance-rate" />
            </Col>
            <Col xs={8}>
              <Statistic title={t('visits.due')} value={data.total.due} />
            </Col>
            <Col xs={8}>
              <Statistic title={t('visits.visited')} value={data.total.visited} />
            </Col>
          </Row>
          <Table
            rowKey={(r) => r.unit.id}
            dataSource={data.children}
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('visits.noChildUnits')} /> }}
            data-testid="compliance-table"
            columns={[
              {
                title: t('clients.unit'),
                key: 'unit',
                render: (_: unknown, r) => (
                  <span>
                    {r.unit.name} <Typography.Text type="secondary">{label(UNIT_KIND_LABELS, r.unit.kind)}</Typography.Text>
                  </span>
                ),
              },
              { title: t('visits.due'), dataIndex: 'due', align: 'right' },
              { title: t('visits.visited'), dataIndex: 'visited', align: 'right' },
              {
                title: t('visits.complianceRate'),
                key: 'rate',
                render: (_: unknown, r) =>
                  // Nobody was due: there is no rate to show, only a dash.
                  r.due === 0 ? (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ) : (
                    <div style={{ minWidth: 140 }}>
                      <Progress
                        percent={Math.round(r.rate * 1000) / 10}
                        size="small"
                        status={r.rate >= 1 ? 'success' : r.rate < 0.6 ? 'exception' : 'normal'}
                        format={() => formatPercent(r.rate)}
                      />
                    </div>
                  ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

function OverdueClientsCard() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const list = useClientList({ overdue: true, status: 'active', sort: 'nextVisitDue' });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const totalText = useTotalText();
  return (
    <Card
      title={t('visits.overdueClients')}
      extra={
        total !== undefined ? (
          <Typography.Text type="secondary" data-testid="overdue-clients-total">
            {totalText(total, list.data?.pages[0]?.totalCapped)}
          </Typography.Text>
        ) : null
      }
      styles={{ body: { padding: mobile ? 12 : undefined } }}
    >
      {list.isError && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />
      ) : (
        <List
          loading={list.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('visits.noOverdueClients')} /> }}
          data-testid="overdue-clients"
          renderItem={(c) => (
            <List.Item data-testid="overdue-client" data-client-id={c.id}>
              <List.Item.Meta
                title={
                  <Space wrap size={[8, 0]}>
                    <Link to={`/clients/${c.id}`}>{c.name}</Link>
                    <RiskTag level={c.riskLevel} />
                  </Space>
                }
                description={[c.regionName, c.responsibleName].filter(Boolean).join(' · ')}
              />
              <DueCell due={c.nextVisitDue} overdue={c.overdue} />
            </List.Item>
          )}
          loadMore={
            list.hasNextPage ? (
              <div style={{ textAlign: 'center', marginTop: 12 }}>
                <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  {t('common.loadMore')}
                </Button>
              </div>
            ) : null
          }
        />
      )}
    </Card>
  );
}

export default function OverduePage() {
  const { t } = useTranslation();
  return (
    <div data-testid="overdue-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <AlertOutlined /> {t('visits.boardTitle')}
      </Typography.Title>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <OverdueCard />
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <ComplianceCard />
          </Col>
          <Col xs={24} xl={10}>
            <OverdueClientsCard />
          </Col>
        </Row>
      </Space>
    </div>
  );
}
