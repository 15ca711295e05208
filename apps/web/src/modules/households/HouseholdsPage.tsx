import { HomeOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Form, Input, List, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { useUrlSearch } from '../../app/hooks';
import { ErrorState, LoadMoreFooter, useIsMobile } from '../../app/ui';
import { SavedFiltersMenu } from '../saved-filters/SavedFiltersMenu';
import { ClientSearchSelect } from './ClientSearchSelect';
import { useHouseholdList, useHouseholdMutations } from './queries';
import type { HouseholdListItem } from './types';

/** 家庭户: households in scope, searched by address or member name; opens one to manage its members. */
export default function HouseholdsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const {
    search,
    setSearch,
    reset: resetSearch,
  } = useUrlSearch(params.get('q') ?? '', (q) => setParams(q ? { q } : {}, { replace: true }));
  const urlQ = params.get('q') ?? '';
  const list = useHouseholdList(urlQ);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const first = list.data?.pages[0];
  const { create } = useHouseholdMutations();
  const [creating, setCreating] = useState(false);
  const empty = <Empty description={urlQ ? t('households.searchNone') : t('households.empty')} />;

  const head = (h: HouseholdListItem) =>
    h.headId ? (
      <Link to={`/clients/${h.headId}`} onClick={(e) => e.stopPropagation()}>
        {h.headName}
      </Link>
    ) : (
      <Typography.Text type="secondary">{t('households.noHead')}</Typography.Text>
    );

  return (
    <div data-testid="households-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <HomeOutlined /> {t('households.title')}
        </Typography.Title>
        {can('clients.write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="household-create">
            {t('households.create')}
          </Button>
        ) : null}
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Input.Search
            allowClear
            placeholder={t('households.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: mobile ? 'calc(100vw - 72px)' : 360 }}
            data-testid="households-search"
          />
          <SavedFiltersMenu
            page="households"
            query={params.toString()}
            onApply={(query) => {
              const next = new URLSearchParams(query);
              resetSearch(next.get('q') ?? '');
              setParams(next);
            }}
          />
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            {mobile ? (
              <List<HouseholdListItem>
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                locale={{ emptyText: empty }}
                data-testid="households-list"
                renderItem={(h) => (
                  <List.Item
                    data-testid="household-row"
                    data-household-id={h.id}
                    style={{ display: 'block', cursor: 'pointer' }}
                    onClick={() => navigate(`/households/${h.id}`)}
                  >
                    <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                      <Link to={`/households/${h.id}`} style={{ fontWeight: 600 }} data-testid="household-link">
                        {h.address || t('households.detailTitle')}
                      </Link>
                      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} data-testid="household-member-count">
                        {t('households.memberCount', { count: h.memberCount })}
                      </Typography.Text>
                    </Space>
                    <div>
                      <Typography.Text type="secondary">{t('households.head')}：</Typography.Text>
                      {head(h)}
                      {h.unitName ? <Typography.Text type="secondary"> · {h.unitName}</Typography.Text> : null}
                    </div>
                  </List.Item>
                )}
              />
            ) : (
              <Table<HouseholdListItem>
                rowKey="id"
                loading={list.isFetching && !list.isFetchingNextPage}
                dataSource={items}
                pagination={false}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: empty }}
                onRow={(h) =>
                  ({
                    'data-testid': 'household-row',
                    'data-household-id': h.id,
                    onClick: () => navigate(`/households/${h.id}`),
                    style: { cursor: 'pointer' },
                  }) as React.HTMLAttributes<HTMLElement>
                }
                data-testid="households-table"
                columns={[
                  {
                    title: t('households.address'),
                    key: 'address',
                    render: (_: unknown, h) => (
                      <Link to={`/households/${h.id}`} onClick={(e) => e.stopPropagation()} data-testid="household-link">
                        {h.address || '—'}
                      </Link>
                    ),
                  },
                  { title: t('households.head'), key: 'head', render: (_: unknown, h) => head(h) },
                  {
                    title: t('households.members'),
                    key: 'members',
                    align: 'right',
                    render: (_: unknown, h) => (
                      <span data-testid="household-member-count">{t('households.memberCount', { count: h.memberCount })}</span>
                    ),
                  },
                  { title: t('households.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
                  {
                    title: t('households.createdAt'),
                    dataIndex: 'createdAt',
                    render: (v: string) => <Typography.Text type="secondary">{v.slice(0, 10)}</Typography.Text>,
                  },
                ]}
              />
            )}
            <LoadMoreFooter
              pages={list}
              shown={items.length}
              total={first?.total}
              totalCapped={first?.totalCapped}
              totalTestId="households-total"
              moreTestId="households-more"
              marginTop={12}
            />
          </>
        )}
      </Card>
      <FormModal<{ headId: string; address?: string }>
        open={creating}
        title={t('households.createTitle')}
        onCancel={() => setCreating(false)}
        data-testid="household-create-form"
        rename={{ members: 'headId', 'members.0.clientId': 'headId' }}
        onSubmit={async (v) => {
          const h = await create.mutateAsync({ address: v.address?.trim() || null, members: [{ clientId: v.headId, relation: 'head' }] });
          setCreating(false);
          message.success(t('households.created'));
          navigate(`/households/${h.id}`);
        }}
      >
        <Form.Item name="headId" label={t('households.headClient')} rules={[{ required: true, message: t('households.headRequired') }]}>
          <ClientSearchSelect data-testid="household-head-select" />
        </Form.Item>
        <Form.Item name="address" label={t('households.address')}>
          <Input maxLength={200} placeholder={t('households.addressPlaceholder')} data-testid="household-address" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
