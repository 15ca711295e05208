import { FolderOpenOutlined } from '@ant-design/icons';
import { CASE_STAGE_LABELS } from '@wushe/domain';
import { Card, Checkbox, List, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useLiveEvents } from '../../app/events';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { StageTag } from './CasePage';
import { type CaseFilters, useCaseList, useOverdueSummary, useScopeUsers } from './queries';
import type { CaseSummary } from './types';

/** 个案管理: the cases of the user's scope with stage, owner and overdue filters (kept in the URL). */
export default function CasesPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const { user, can } = useAuth();
  const users = useScopeUsers(can('users.read'));
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
  const filters: CaseFilters = useMemo(
    () => ({
      stage: params.get('stage') ?? undefined,
      ownerId: params.get('ownerId') ?? undefined,
      unitId: params.get('unitId') ?? undefined,
      overdue: params.get('overdue') === 'true' ? 'true' : undefined,
      open: params.get('open') === 'false' ? undefined : 'true',
      sort: params.get('sort') === 'due' ? 'due' : 'updated',
    }),
    [params],
  );
  const [groupBy, setGroupBy] = useState<'owner' | 'unit'>('owner');
  const summary = useOverdueSummary(groupBy);
  const list = useCaseList(filters);
  useLiveEvents(['case.updated'], () => {
    void list.refetch();
    void summary.refetch();
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const overdueOwners = (summary.data?.items ?? []).filter((r) => r.overdue > 0);

  return (
    <div data-testid="cases-page">
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 16 }}>
        <FolderOpenOutlined /> {t('cases.title')}
      </Typography.Title>
      {overdueOwners.length ? (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="cases-overdue-summary">
          <Space wrap>
            <Segmented
              size="small"
              value={groupBy}
              onChange={(v) => setGroupBy(v as 'owner' | 'unit')}
              options={[
                { value: 'owner', label: t('cases.overdueByOwner') },
                { value: 'unit', label: <span data-testid="cases-overdue-by-unit">{t('cases.overdueByUnit')}</span> },
              ]}
            />
            {overdueOwners.map((r) => (
              <Tag
                key={r.id}
                color="red"
                style={{ cursor: 'pointer' }}
                onClick={() =>
                  setParams(new URLSearchParams({ [groupBy === 'owner' ? 'ownerId' : 'unitId']: r.id, overdue: 'true' }), { replace: true })
                }
                data-testid="cases-overdue-owner"
              >
                {r.name ?? '—'} · {t('cases.overdueCount', { n: r.overdue })} / {t('cases.openCount', { n: r.open })}
              </Tag>
            ))}
          </Space>
        </Card>
      ) : null}
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Segmented
            value={filters.ownerId && filters.ownerId === user?.id ? 'mine' : 'all'}
            onChange={(v) => update('ownerId', v === 'mine' ? user?.id : undefined)}
            options={[
              { value: 'all', label: t('cases.all') },
              { value: 'mine', label: <span data-testid="cases-filter-mine">{t('cases.mine')}</span> },
            ]}
          />
          {can('users.read') ? (
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('cases.owner')}
              value={filters.ownerId}
              onChange={(v) => update('ownerId', v)}
              style={{ width: 200 }}
              options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
              data-testid="cases-filter-owner"
            />
          ) : null}
          {filters.unitId ? (
            <Tag closable onClose={() => update('unitId', undefined)} data-testid="cases-filter-unit">
              {t('cases.unit')}: {summary.data?.items.find((r) => r.id === filters.unitId)?.name ?? '…'}
            </Tag>
          ) : null}
          <Select
            allowClear
            placeholder={t('cases.stage')}
            value={filters.stage}
            onChange={(v) => update('stage', v)}
            style={{ width: 150 }}
            options={CASE_STAGE_LABELS.map((s) => ({ value: s.value, label: label(CASE_STAGE_LABELS, s.value) }))}
            data-testid="cases-filter-stage"
          />
          <Checkbox
            checked={filters.overdue === 'true'}
            onChange={(e) => update('overdue', e.target.checked ? 'true' : undefined)}
            data-testid="cases-filter-overdue"
          >
            {t('cases.onlyOverdue')}
          </Checkbox>
          <Checkbox checked={filters.open === 'true'} onChange={(e) => update('open', e.target.checked ? undefined : 'false')}>
            {t('cases.onlyOpen')}
          </Checkbox>
          <Select
            value={filters.sort}
            onChange={(v) => update('sort', v === 'updated' ? undefined : v)}
            style={{ width: 130 }}
            options={[
              { value: 'updated', label: t('cases.sortUpdated') },
              { value: 'due', label: t('cases.sortDue') },
            ]}
            data-testid="cases-sort"
          />
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : mobile ? (
          <List
            loading={list.isFetching && !list.isFetchingNextPage}
            dataSource={items}
            locale={{ emptyText: t('cases.empty') }}
            renderItem={(k) => (
              <List.Item data-testid="case-row" data-case-id={k.id}>
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Link to={`/cases/${k.id}`}>{k.title}</Link>
                  <StageTag k={k} />
                  <Typography.Text type="secondary">
                    {k.clientName} · {k.ownerName} · {t('cases.due')} {k.dueDate ?? t('cases.noDue')}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Table<CaseSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching && !list.isFetchingNextPage}
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('cases.empty') }}
            onRow={(k) => ({ 'data-testid': 'case-row', 'data-case-id': k.id }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { key: 'title', title: t('cases.caseTitle'), render: (_, k) => <Link to={`/cases/${k.id}`}>{k.title}</Link> },
              {
                key: 'client',
                title: t('cases.client'),
                render: (_, k) => <Link to={`/clients/${k.clientId}`}>{k.clientName ?? '—'}</Link>,
              },
              { key: 'stage', title: t('cases.stage'), render: (_, k) => <StageTag k={k} /> },
              { key: 'owner', title: t('cases.owner'), dataIndex: 'ownerName' },
              { key: 'unit', title: t('cases.unit'), dataIndex: 'unitName' },
              {
                key: 'due',
                title: t('cases.due'),
                render: (_, k) => (
                  <Typography.Text type={k.overdue ? 'danger' : undefined}>{k.dueDate ?? t('cases.noDue')}</Typography.Text>
                ),
              },
              { key: 'updated', title: t('cases.updated'), render: (_, k) => dayjs(k.updatedAt).format('MM-DD HH:mm') },
            ]}
          />
        )}
        <LoadMoreFooter pages={list} shown={items.length} total={total} totalTestId="cases-total" moreTestId="cases-more" marginTop={12} />
      </Card>
    </div>
  );
}
