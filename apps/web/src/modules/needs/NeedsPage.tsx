import { HeartOutlined } from '@ant-design/icons';
import { NEED_STATUS_LABELS, NEED_TYPES } from '@wushe/domain';
import { Card, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { ClientUnitSelect } from '../clients/ClientForm';
import { SavedFiltersMenu } from '../saved-filters/SavedFiltersMenu';
import { NeedsView } from './NeedParts';
import { useNeedList } from './queries';
import type { NeedStatusFilter } from './types';

/** 需求: needs of the clients in scope, unresolved first by default. */
export default function NeedsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const { can } = useAuth();
  // Filters live in the URL (kept on reload, saved as "我的筛选"); no `status` is the default, `status=all` the cleared select.
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status');
  const status = (rawStatus === null ? 'unresolved' : rawStatus === 'all' ? undefined : rawStatus) as NeedStatusFilter | undefined;
  const needType = params.get('needType') ?? undefined;
  const unitId = params.get('unitId');
  const filters = useMemo(() => ({ status, needType, unitId: unitId ?? undefined }), [status, needType, unitId]);
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
  const list = useNeedList(filters);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;

  return (
    <div data-testid="needs-page">
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 16 }}>
        <HeartOutlined /> {t('needs.title')}
      </Typography.Title>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Select
            allowClear
            placeholder={t('needs.status')}
            value={status}
            onChange={(v) => update('status', v === 'unresolved' ? undefined : (v ?? 'all'))}
            style={{ width: 140 }}
            options={[
              { value: 'unresolved', label: t('needs.unresolved') },
              ...NEED_STATUS_LABELS.map((s) => ({ value: s.value, label: label(NEED_STATUS_LABELS, s.value) })),
            ]}
            data-testid="needs-filter-status"
          />
          <Select
            allowClear
            placeholder={t('needs.needType')}
            value={needType}
            onChange={(v) => update('needType', v)}
            style={{ width: 150 }}
            options={NEED_TYPES.map((n) => ({ value: n.value, label: label(NEED_TYPES, n.value) }))}
            data-testid="needs-filter-type"
          />
          <ClientUnitSelect
            allowClear
            value={unitId}
            onChange={(v) => update('unitId', v ?? undefined)}
            placeholder={t('clients.unitFilter')}
            style={{ width: 220 }}
            data-testid="needs-filter-unit"
          />
          <SavedFiltersMenu
            page="needs"
            query={params.toString()}
            onApply={(query) => setParams(new URLSearchParams(query))}
            describe={(key, value) => {
              const pair = (name: string, v: string) => t('savedFilters.pair', { name, value: v });
              if (key === 'status')
                return pair(
                  t('needs.status'),
                  value === 'all'
                    ? t('savedFilters.any')
                    : value === 'unresolved'
                      ? t('needs.unresolved')
                      : label(NEED_STATUS_LABELS, value),
                );
              if (key === 'needType') return pair(t('needs.needType'), label(NEED_TYPES, value));
              if (key === 'unitId') return t('savedFilters.unit');
              return null;
            }}
          />
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <NeedsView
              items={items}
              loading={list.isFetching && !list.isFetchingNextPage}
              canWrite={can('clients.write')}
              showClient
              emptyText={t('needs.empty')}
            />
            <LoadMoreFooter
              pages={list}
              shown={items.length}
              total={total}
              totalTestId="needs-total"
              moreTestId="needs-more"
              marginTop={12}
            />
          </>
        )}
      </Card>
    </div>
  );
}
