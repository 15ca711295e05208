import { EditOutlined, PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import { CLIENT_STATUS_LABELS, RISK_LEVEL_LABELS, type RiskLevel } from '@wushe/domain';
import { Button, Card, Checkbox, Empty, Input, List, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { useDebounced } from '../../app/hooks';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { useCategories } from '../settings/queries';
import { ClientFormDrawer, ClientUnitSelect } from './ClientForm';
import { CategoryTags, DueCell, FlagTags, RiskTag, SexAge } from './ClientTags';
import { useClientList } from './queries';
import type { Client, ClientSort } from './types';

const SORT_OF: Record<string, { ascend: ClientSort; descend: ClientSort }> = {
  name: { ascend: 'name', descend: '-name' },
  updatedAt: { ascend: 'updatedAt', descend: '-updatedAt' },
  nextVisitDue: { ascend: 'nextVisitDue', descend: 'nextVisitDue' },
};

export default function ClientsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [category, setCategory] = useState<string | undefined>();
  const [riskLevel, setRiskLevel] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>('active');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  const [sort, setSort] = useState<ClientSort>('-updatedAt');
  const [creating, setCreating] = useState(false);
  const filters = useMemo(
    () => ({ q, category, riskLevel, status, unitId: unitId ?? undefined, overdue, sort }),
    [q, category, riskLevel, status, unitId, overdue, sort],
  );
  const list = useClientList(filters);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const canWrite = can('clients.write');
  const canVisit = can('visits.write');

  const sortOrder = (key: string) => {
    const s = SORT_OF[key];
    if (!s) return null;
    if (sort === s.ascend && key !== 'nextVisitDue') return 'ascend' as const;
    if (sort === s.descend && key !== 'nextVisitDue') return 'descend' as const;
    return key === 'nextVisitDue' && sort === 'nextVisitDue' ? ('ascend' as const) : null;
  };

  const onSort = (sorter: SorterResult<Client> | SorterResult<Client>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = String(one?.columnKey ?? '');
    const s = SORT_OF[key];
    if (!s || !one?.order) setSort('-updatedAt');
    else setSort(one.order === 'ascend' ? s.ascend : s.descend);
  };

  return (
    <div data-testid="clients-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <SolutionOutlined /> {t('clients.title')}
        </Typography.Title>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="client-create">
            {t('clients.create')}
          </Button>
        ) : null}
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Input.Search
            allowClear
            placeholder={t('clients.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: mobile ? 'calc(100vw - 72px)' : 420 }}
            data-testid="clients-search"
          />
          <Select
            allowClear
            placeholder={t('clients.category')}
            value={category}
            onChange={setCategory}
            style={{ width: 160 }}
            options={categories.allOptions}
            data-testid="clients-filter-category"
          />
          <Select
            allowClear
            placeholder={t('clients.riskLevel')}
            value={riskLevel}
            onChange={setRiskLevel}
            style={{ width: 120 }}
            options={RISK_LEVEL_LABELS.map((r) => ({ value: r.value, label: label(RISK_LEVEL_LABELS, r.value) }))}
            data-testid="clients-filter-risk"
          />
          <Select
            allowClear
            placeholder={t('clients.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 110 }}
            options={CLIENT_STATUS_LABELS.map((s) => ({ value: s.value, label: label(CLIENT_STATUS_LABELS, s.value) }))}
            data-testid="clients-filter-status"
          />
          <ClientUnitSelect
            allowClear
            value={unitId}
            onChange={setUnitId}
            placeholder={t('clients.unitFilter')}
            style={{ width: 220 }}
            data-testid="clients-filter-unit"
          />
          <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="clients-filter-overdue">
            {t('clients.overdueOnly')}
          </Checkbox>
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            {mobile ? (
              <List<Client>
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                locale={{ emptyText: <Empty description={q ? t('clients.searchNone') : t('clients.empty')} /> }}
                data-testid="clients-list"
                renderItem={(c) => (
                  <List.Item data-testid="client-row" data-client-id={c.id} data-client-name={c.name} style={{ display: 'block' }}>
                    <Space wrap size={[6, 4]} style={{ marginBottom: 4 }}>
                      <Link to={`/clients/${c.id}`} data-testid="client-link" style={{ fontWeight: 600, fontSize: 16 }}>
                        {c.name}
                      </Link>
                      <RiskTag level={c.riskLevel} />
                      <FlagTags codes={c.flags} />
                    </Space>
                    <div>
                      <Typography.Text type="secondary">
                        {[c.idNumber, c.regionName].filter(Boolean).join(' · ')} · <SexAge sex={c.sex} birthDate={c.birthDate} />
                      </Typography.Text>
                    </div>
                    <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 4 }} wrap>
                      <CategoryTags codes={c.categories} />
                      <Space size={4}>
                        <DueCell due={c.nextVisitDue} overdue={c.overdue} />
                        {canVisit && c.status === 'active' ? (
                          <Button size="small" onClick={() => navigate(`/visits/new?clientId=${c.id}`)} data-testid="client-row-visit">
                            {t('visits.record')}
                          </Button>
                        ) : null}
                      </Space>
                    </Space>
                  </List.Item>
                )}
              />
            ) : (
              <Table<Client>
                rowKey="id"
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                pagination={false}
                size={mobile ? 'small' : 'middle'}
                scroll={{ x: 'max-content' }}
                onChange={(_p, _f, sorter) => onSort(sorter)}
                locale={{ emptyText: <Empty description={q ? t('clients.searchNone') : t('clients.empty')} /> }}
                onRow={(c) =>
                  ({ 'data-testid': 'client-row', 'data-client-id': c.id, 'data-client-name': c.name }) as React.HTMLAttributes<HTMLElement>
                }
                data-testid="clients-table"
                columns={[
                  {
                    title: t('clients.name'),
                    key: 'name',
                    dataIndex: 'name',
                    fixed: mobile ? undefined : 'left',
                    sorter: true,
                    sortOrder: sortOrder('name'),
                    render: (_: unknown, c) => (
                      <Link to={`/clients/${c.id}`} data-testid="client-link">
                        {c.name}
                      </Link>
                    ),
                  },
                  {
                    title: t('clients.idNumber'),
                    dataIndex: 'idNumber',
                    render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
                  },
                  { title: t('clients.sexAge'), key: 'sexAge', render: (_: unknown, c) => <SexAge sex={c.sex} birthDate={c.birthDate} /> },
                  { title: t('clients.categories'), key: 'categories', render: (_: unknown, c) => <CategoryTags codes={c.categories} /> },
                  { title: t('clients.riskLevel'), dataIndex: 'riskLevel', render: (r: RiskLevel) => <RiskTag level={r} /> },
                  { title: t('clients.flags'), key: 'flags', render: (_: unknown, c) => <FlagTags codes={c.flags} /> },
                  { title: t('clients.community'), dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
                  { title: t('clients.responsible'), dataIndex: 'responsibleName', render: (v: string | null) => v ?? '—' },
                  {
                    title: t('clients.nextVisitDue'),
                    key: 'nextVisitDue',
                    sorter: true,
                    sortDirections: ['ascend'],
                    sortOrder: sortOrder('nextVisitDue'),
                    render: (_: unknown, c) => <DueCell due={c.nextVisitDue} overdue={c.overdue} />,
                  },
                  {
                    title: t('clients.updatedAt'),
                    key: 'updatedAt',
                    sorter: true,
                    sortOrder: sortOrder('updatedAt'),
                    render: (_: unknown, c) => <Typography.Text type="secondary">{c.updatedAt.slice(0, 10)}</Typography.Text>,
                  },
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    fixed: 'right',
                    render: (_: unknown, c) => (
                      <Space size={4}>
                        <Tooltip title={t('clients.open')}>
                          <Button
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => navigate(`/clients/${c.id}`)}
                            aria-label={t('clients.open')}
                          />
                        </Tooltip>
                        {canVisit && c.status === 'active' ? (
                          <Button size="small" onClick={() => navigate(`/visits/new?clientId=${c.id}`)} data-testid="client-row-visit">
                            {t('visits.record')}
                          </Button>
                        ) : null}
                      </Space>
                    ),
                  },
                ]}
              />
            )}
            <LoadMoreFooter
              pages={list}
              shown={items.length}
              total={total}
              totalTestId="clients-total"
              moreTestId="clients-more"
              marginTop={12}
            />
          </>
        )}
      </Card>
      <ClientFormDrawer
        target={creating ? { mode: 'create' } : null}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          navigate(`/clients/${c.id}`);
        }}
      />
    </div>
  );
}
