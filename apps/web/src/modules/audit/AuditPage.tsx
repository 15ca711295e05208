import { AuditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ROLE_LABELS } from '@wushe/domain';
import { AutoComplete, Button, Card, DatePicker, Empty, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api';
import { useDebounced } from '../../app/hooks';
import type { AuditEntry } from '../../app/types';
import { ErrorState, useIsMobile, useLabel } from '../../app/ui';
import { AuditDiff, actionLabel } from './AuditDiff';

const ACTIONS = [
  'unit.created',
  'unit.updated',
  'unit.deleted',
  'zone.created',
  'zone.updated',
  'zone.deleted',
  'operator.created',
  'user.created',
  'user.updated',
  'user.password_changed',
  'user.password_reset',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
];
const ENTITY_TYPES = ['unit', 'zone', 'operator', 'user'];

interface Filters {
  action: string;
  entityType: string;
  range: [Dayjs | null, Dayjs | null] | null;
}

function useAudit(f: Filters) {
  const from = f.range?.[0]?.startOf('day').toISOString();
  const to = f.range?.[1]?.endOf('day').toISOString();
  return useInfiniteQuery({
    queryKey: ['audit', f.action, f.entityType, from, to],
    queryFn: ({ pageParam }) =>
      api<Page<AuditEntry>>('/api/audit', {
        query: { action: f.action || undefined, entityType: f.entityType || undefined, from, to, limit: 50, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function actionColor(action: string): string | undefined {
  if (action.endsWith('created')) return 'green';
  if (action.endsWith('updated')) return 'blue';
  if (action.endsWith('deleted')) return 'red';
  if (action.endsWith('failed')) return 'orange';
  return undefined;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [range, setRange] = useState<Filters['range']>(null);
  const filters: Filters = { action: useDebounced(action.trim(), 300), entityType: useDebounced(entityType.trim(), 300), range };
  const audit = useAudit(filters);
  const entries = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div data-testid="audit-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <AuditOutlined /> {t('audit.title')}
      </Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <AutoComplete
            value={action}
            onChange={setAction}
            options={ACTIONS.map((a) => ({ value: a, label: `${actionLabel(t, a)} (${a})` }))}
            placeholder={t('audit.action')}
            allowClear
            style={{ width: 200 }}
            data-testid="audit-filter-action"
            showSearch={{ filterOption: (input, opt) => String(opt?.value ?? '').includes(input) }}
          />
          <AutoComplete
            value={entityType}
            onChange={setEntityType}
            options={ENTITY_TYPES.map((e) => ({ value: e, label: `${t(`audit.entities.${e}`, { defaultValue: e })} (${e})` }))}
            placeholder={t('audit.entityType')}
            allowClear
            style={{ width: 180 }}
            data-testid="audit-filter-entity"
            showSearch={{ filterOption: (input, opt) => String(opt?.value ?? '').includes(input) }}
          />
          <DatePicker.RangePicker
            value={range}
            onChange={(v) => setRange(v as Filters['range'])}
            allowEmpty={[true, true]}
            data-testid="audit-filter-range"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void audit.refetch()} aria-label={t('common.refresh')} />
        </Space>
        {audit.isError ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : (
          <>
            <Table<AuditEntry>
              rowKey="id"
              loading={audit.isLoading}
              dataSource={entries}
              pagination={false}
              size={mobile ? 'small' : 'middle'}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <Empty description={t('audit.empty')} /> }}
              data-testid="audit-table"
              expandable={{
                expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />,
                rowExpandable: (e) => e.before != null || e.after != null,
              }}
              columns={[
                { title: '#', dataIndex: 'seq', width: 70 },
                { title: t('audit.at'), dataIndex: 'at', render: (d: string) => dayjs(d).format('YYYY-MM-DD HH:mm:ss') },
                {
                  title: t('audit.actor'),
                  key: 'actor',
                  render: (_: unknown, e) => (
                    <span>
                      {e.actorName ?? '—'}
                      {e.actorRole ? <Typography.Text type="secondary"> · {label(ROLE_LABELS, e.actorRole)}</Typography.Text> : null}
                    </span>
                  ),
                },
                {
                  title: t('audit.action'),
                  dataIndex: 'action',
                  render: (a: string) => <Tag color={actionColor(a)}>{actionLabel(t, a)}</Tag>,
                },
                {
                  title: t('audit.entity'),
                  key: 'entity',
                  render: (_: unknown, e) => (
                    <span>
                      {t(`audit.entities.${e.entityType}`, { defaultValue: e.entityType })}
                      {e.entityId ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {' '}
                          {e.entityId.slice(0, 8)}
                        </Typography.Text>
                      ) : null}
                    </span>
                  ),
                },
                { title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
              ]}
            />
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              {audit.hasNextPage ? (
                <Button onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage} data-testid="audit-load-more">
                  {t('common.loadMore')}
                </Button>
              ) : entries.length > 0 ? (
                <Typography.Text type="secondary">{t('audit.end')}</Typography.Text>
              ) : null}
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
