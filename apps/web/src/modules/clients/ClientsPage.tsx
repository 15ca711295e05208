import { CloudUploadOutlined, EditOutlined, PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import { CLIENT_STATUS_LABELS, RISK_LEVEL_LABELS, type RiskLevel } from '@wushe/domain';
import { Button, Card, Checkbox, Empty, Input, List, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useUrlSearch } from '../../app/hooks';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { SavedFiltersMenu } from '../saved-filters/SavedFiltersMenu';
import { useCategories } from '../settings/queries';
import { ClientFormDrawer, ClientUnitSelect } from './ClientForm';
import { CategoryTags, DueCell, FlagTags, RiskTag, SexAge } from './ClientTags';
import { ExportButton } from './ExportButton';
import { type ClientFilters, useClientList } from './queries';
import type { Client, ClientSort } from './types';

const SORT_OF: Record<string, { ascend: ClientSort; descend: ClientSort }> = {
  name: { ascend: 'name', descend: '-name' },
  updatedAt: { ascend: 'updatedAt', descend: '-updatedAt' },
  nextVisitDue: { ascend: 'nextVisitDue', descend: 'nextVisitDue' },
};

const SORTS = new Set<string>(['name', '-name', 'updatedAt', '-updatedAt', 'nextVisitDue']);
/** Sort parameter → its words in savedFilters.sorts. */
const SORT_WORDS: Record<string, string> = {
  name: 'name',
  '-name': 'nameDesc',
  updatedAt: 'updatedAt',
  '-updatedAt': 'updatedAtDesc',
  nextVisitDue: 'nextVisitDue',
};
const DEFAULT_SORT: ClientSort = '-updatedAt';
const DEFAULT_STATUS = 'active';
/** In the URL, `status=all` is the cleared status select; no `status` is the default (active). */
const ALL = 'all';

/** The ledger's filters live in the URL query string: shareable, kept on reload, saved as "我的筛选". */
function filtersOf(params: URLSearchParams): ClientFilters {
  const status = params.get('status');
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? undefined,
    category: params.get('category') ?? undefined,
    riskLevel: params.get('riskLevel') ?? undefined,
    status: status === null ? DEFAULT_STATUS : status === ALL ? undefined : status,
    unitId: params.get('unitId') ?? undefined,
    overdue: params.get('overdue') === 'true',
    sort: SORTS.has(sort) ? (sort as ClientSort) : DEFAULT_SORT,
  };
}

export default function ClientsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersOf(params), [params]);
  const { category, riskLevel, status, overdue, sort } = filters;
  const unitId = filters.unitId ?? null;
  const [creating, setCreating] = useState(false);

  /** Sets (or, with undefined, removes) filter parameters, replacing the history entry. */
  const update = useCallback(
    (patch: Record<string, string | undefined>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  // The search box writes to the URL once typing settles (a saved filter applied sets both at once).
  const { search, setSearch, reset: resetSearch } = useUrlSearch(filters.q ?? '', (q) => update({ q }));
  const setSort = (s: ClientSort) => update({ sort: s === DEFAULT_SORT ? undefined : s });
  const applySaved = (query: string) => {
    const next = new URLSearchParams(query);
    resetSearch(next.get('q') ?? '');
    setParams(next, { replace: false });
  };
  /** The ledger's parameters in words, for 我的筛选. */
  const describeParam = (key: string, value: string) => {
    const pair = (name: string, v: string) => t('savedFilters.pair', { name, value: v });
    if (key === 'category') return pair(t('clients.category'), categories.label(value));
    if (key === 'riskLevel') return pair(t('clients.riskLevel'), label(RISK_LEVEL_LABELS, value));
    if (key === 'status') return pair(t('clients.status'), value === ALL ? t('savedFilters.any') : label(CLIENT_STATUS_LABELS, value));
    if (key === 'overdue' && value === 'true') return t('clients.overdueOnly');
    if (key === 'unitId') return t('savedFilters.unit');
    if (key === 'sort' && value in SORT_WORDS) return pair(t('savedFilters.sort'), t(`savedFilters.sorts.${SORT_WORDS[value]}`));
    return null;
  };
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
    if (!s || !one?.order) setSort(DEFAULT_SORT);
    else setSort(one.order === 'ascend' ? s.ascend : s.descend);
  };

  return (
    <div data-testid="clients-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <SolutionOutlined /> {t('clients.title')}
        </Typography.Title>
        <Space wrap>
          <ExportButton filters={filters} />
          {canWrite ? (
            <>
              <Link to="/clients/import" data-testid="client-import">
                <Button icon={<CloudUploadOutlined />}>{t('imports.open_wizard')}</Button>
              </Link>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="client-create">
                {t('clients.create')}
              </Button>
            </>
          ) : null}
        </Space>
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
            onChange={(v) => update({ category: v })}
            style={{ width: 160 }}
            options={categories.allOptions}
            data-testid="clients-filter-category"
          />
          <Select
            allowClear
            placeholder={t('clients.riskLevel')}
            value={riskLevel}
            onChange={(v) => update({ riskLevel: v })}
            style={{ width: 120 }}
            options={RISK_LEVEL_LABELS.map((r) => ({ value: r.value, label: label(RISK_LEVEL_LABELS, r.value) }))}
            data-testid="clients-filter-risk"
          />
          <Select
            allowClear
            placeholder={t('clients.status')}
            value={status}
            onChange={(v) => update({ status: v === DEFAULT_STATUS ? undefined : (v ?? ALL) })}
            style={{ width: 110 }}
            options={CLIENT_STATUS_LABELS.map((s) => ({ value: s.value, label: label(CLIENT_STATUS_LABELS, s.value) }))}
            data-testid="clients-filter-status"
          />
          <ClientUnitSelect
            allowClear
            value={unitId}
            onChange={(v) => update({ unitId: v ?? undefined })}
            placeholder={t('clients.unitFilter')}
            style={{ width: 220 }}
            data-testid="clients-filter-unit"
          />
          <SavedFiltersMenu page="clients" query={params.toString()} onApply={applySaved} describe={describeParam} />
          <Checkbox
            checked={overdue}
            onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })}
            data-testid="clients-filter-overdue"
          >
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
                locale={{ emptyText: <Empty description={filters.q ? t('clients.searchNone') : t('clients.empty')} /> }}
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
                locale={{ emptyText: <Empty description={filters.q ? t('clients.searchNone') : t('clients.empty')} /> }}
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
              totalCapped={list.data?.pages[0]?.totalCapped}
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
