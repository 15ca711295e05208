import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  POST_AREA_LABELS,
  POST_KIND_LABELS,
  UNIT_FUNCTION_LABELS,
  UNIT_KIND_LABELS,
  UNIT_STATUS_LABELS,
  type UnitStatus,
} from '@wushe/domain';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Popconfirm, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import type { Unit, UnitDetail } from '../../app/types';
import { ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { AuditDiff, actionLabel } from '../audit/AuditDiff';
import { useChildren, useUnit, useUnitHistory } from './queries';
import { childKinds } from './UnitForm';
import { ZonesTab } from './ZonesTab';

export const STATUS_COLOR: Record<UnitStatus, string> = { planned: 'blue', operating: 'green', suspended: 'orange', closed: 'default' };

export function StatusTag({ status }: { status: UnitStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="unit-status-tag">
      {label(UNIT_STATUS_LABELS, status)}
    </Tag>
  );
}

interface Props {
  unitId: string;
  canWrite: boolean;
  onSelect: (id: string) => void;
  onEdit: (unit: UnitDetail) => void;
  onAddChild: (unit: UnitDetail) => void;
  onDeleted: (unit: UnitDetail) => void;
}

function ChildrenTable({ unit, onSelect }: { unit: UnitDetail; onSelect: (id: string) => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const children = useChildren(unit.id);
  if (children.isLoading) return <Loading rows={3} />;
  if (children.isError) return <ErrorState compact error={children.error} onRetry={() => void children.refetch()} />;
  return (
    <Table<Unit>
      rowKey="id"
      size="small"
      dataSource={children.data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={t('network.noChildren')} /> }}
      onRow={(r) => ({ onClick: () => onSelect(r.id), style: { cursor: 'pointer' } })}
      scroll={{ x: 'max-content' }}
      data-testid="children-table"
      columns={[
        { title: t('network.name'), dataIndex: 'name', render: (n: string) => <Typography.Link>{n}</Typography.Link> },
        { title: t('network.kind'), dataIndex: 'kind', render: (k) => label(UNIT_KIND_LABELS, k) },
        { title: t('network.region'), dataIndex: 'regionName' },
        { title: t('network.status'), dataIndex: 'status', render: (s: UnitStatus) => <StatusTag status={s} /> },
      ]}
    />
  );
}

function HistoryTab({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const history = useUnitHistory(unitId);
  if (history.isLoading) return <Loading rows={3} />;
  if (history.isError) return <ErrorState compact error={history.error} onRetry={() => void history.refetch()} />;
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];
  if (entries.length === 0) return <Empty description={t('network.noHistory')} />;
  return (
    <div data-testid="history-tab">
      <Timeline
        items={entries.map((e) => ({
          key: e.id,
          content: (
            <div>
              <Typography.Text strong>{actionLabel(t, e.action)}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {dayjs(e.at).format('YYYY-MM-DD HH:mm')} · {e.actorName ?? '—'}
              </Typography.Text>
              <AuditDiff before={e.before} after={e.after} compact />
            </div>
          ),
        }))}
      />
      {history.hasNextPage ? (
        <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}

/** Detail card of one unit with its children, zones and history. */
export function UnitPanel({ unitId, canWrite, onSelect, onEdit, onAddChild, onDeleted }: Props) {
  const { t } = useTranslation();
  const label = useLabel();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const detail = useUnit(unitId);
  const mobile = useIsMobile();

  if (detail.isLoading)
    return (
      <Card>
        <Loading rows={8} />
      </Card>
    );
  if (detail.isError)
    return (
      <Card>
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      </Card>
    );
  const u = detail.data;
  if (!u) return null;

  const remove = async () => {
    try {
      await api(`/api/units/${u.id}`, { method: 'DELETE', query: { version: u.version } });
      await qc.invalidateQueries({ queryKey: ['units'] });
      await qc.invalidateQueries({ queryKey: ['coverage'] });
      message.success(t('network.deleted', { name: u.name }));
      onDeleted(u);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const contract = u.contractStart || u.contractEnd ? `${u.contractStart ?? '…'} ~ ${u.contractEnd ?? '…'}` : null;
  const contractEnded = u.contractEnd ? dayjs(u.contractEnd).isBefore(dayjs(), 'day') : false;
  const canHaveChildren = childKinds(u.kind).length > 0;

  const items = [
    { key: 'kind', label: t('network.kind'), children: label(UNIT_KIND_LABELS, u.kind) },
    { key: 'status', label: t('network.status'), children: <StatusTag status={u.status} /> },
    {
      key: 'region',
      label: t('network.region'),
      children: (
        <span>
          {u.regionName} <Typography.Text type="secondary">{u.regionCode}</Typography.Text>
        </span>
      ),
    },
    ...(u.kind === 'station' || u.kind === 'centre' || u.operator
      ? [
          {
            key: 'operator',
            label: t('network.operator'),
            children: u.operator ? (
              <span data-testid="unit-operator-name">
                {u.operator.name}
                {u.operator.contactName ? <Typography.Text type="secondary"> · {u.operator.contactName}</Typography.Text> : null}
              </span>
            ) : (
              '—'
            ),
          },
          {
            key: 'contract',
            label: t('network.contract'),
            children: contract ? (
              <span>
                {contract} {contractEnded ? <Tag color="red">{t('network.contractEnded')}</Tag> : null}
              </span>
            ) : (
              '—'
            ),
          },
        ]
      : []),
    {
      key: 'functions',
      label: t('network.functions'),
      span: 2,
      children: u.functions.length ? (
        <Space size={[4, 4]} wrap>
          {u.functions.map((f) => (
            <Tag key={f} color="orange">
              {label(UNIT_FUNCTION_LABELS, f)}
            </Tag>
          ))}
        </Space>
      ) : (
        '—'
      ),
    },
    {
      key: 'posts',
      label: t('network.posts'),
      span: 2,
      children: u.posts.length ? (
        <Space size={[4, 4]} wrap>
          {u.posts.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: posts have no id; their order is their identity
            <Tag key={i}>
              {label(POST_KIND_LABELS, p.kind)} · {label(POST_AREA_LABELS, p.area)} × {p.headcount}
            </Tag>
          ))}
        </Space>
      ) : (
        '—'
      ),
    },
    ...(u.kind === 'office' || u.kind === 'point' ? [{ key: 'zone', label: t('network.zone'), children: u.zoneName ?? '—' }] : []),
    { key: 'address', label: t('network.address'), span: 2, children: u.address || '—' },
    { key: 'phone', label: t('network.phone'), children: u.phone || '—' },
    { key: 'hours', label: t('network.openingHours'), children: u.openingHours || '—' },
    { key: 'updated', label: t('network.updatedAt'), children: u.updatedAt ? dayjs(u.updatedAt).format('YYYY-MM-DD HH:mm') : '—' },
  ];

  const tabs = [
    {
      key: 'detail',
      label: t('network.tabDetail'),
      children: (
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2 }}
          // On a phone the labels go above their values, so long names and tags wrap instead of overflowing.
          layout={mobile ? 'vertical' : 'horizontal'}
          size="small"
          bordered
          items={items}
          styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}
          data-testid="unit-descriptions"
        />
      ),
    },
    ...(canHaveChildren
      ? [
          {
            key: 'children',
            label: <span data-testid="tab-children">{t('network.tabChildren', { count: u.childCount })}</span>,
            children: <ChildrenTable unit={u} onSelect={onSelect} />,
          },
        ]
      : []),
    ...(u.kind === 'station'
      ? [
          {
            key: 'zones',
            label: <span data-testid="tab-zones">{t('network.tabZones')}</span>,
            children: <ZonesTab station={u} canWrite={canWrite} />,
          },
        ]
      : []),
    { key: 'history', label: <span data-testid="tab-history">{t('network.tabHistory')}</span>, children: <HistoryTab unitId={u.id} /> },
  ];

  const actions = canWrite ? (
    <Space wrap>
      <Button icon={<EditOutlined />} onClick={() => onEdit(u)} data-testid="unit-edit">
        {t('common.edit')}
      </Button>
      {canHaveChildren ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => onAddChild(u)} data-testid="unit-add-child">
          {t('network.addChild')}
        </Button>
      ) : null}
      <Popconfirm
        title={t('network.deleteConfirm', { name: u.name })}
        description={u.childCount > 0 ? t('network.deleteHasChildren') : undefined}
        onConfirm={remove}
        okText={t('common.delete')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, disabled: u.childCount > 0, ...{ 'data-testid': 'unit-delete-confirm' } }}
      >
        <Button danger icon={<DeleteOutlined />} data-testid="unit-delete" aria-label={t('common.delete')} />
      </Popconfirm>
    </Space>
  ) : null;

  return (
    <Card
      data-testid="unit-detail"
      title={
        <div style={{ whiteSpace: 'normal', padding: '8px 0' }}>
          {u.ancestors.length ? (
            <Breadcrumb
              style={{ fontSize: 12, fontWeight: 'normal' }}
              items={u.ancestors.map((a) => ({
                key: a.id,
                title: <Typography.Link onClick={() => onSelect(a.id)}>{a.name}</Typography.Link>,
              }))}
            />
          ) : null}
          <Space wrap size={8}>
            <span data-testid="unit-detail-name">{u.name}</span>
            <StatusTag status={u.status} />
          </Space>
        </div>
      }
      extra={mobile ? null : actions}
    >
      {mobile && actions ? <div style={{ marginBottom: 12 }}>{actions}</div> : null}
      <Tabs key={u.id} items={tabs} destroyOnHidden />
    </Card>
  );
}
