import { MergeCellsOutlined, RollbackOutlined, StopOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { SEX_LABELS } from '@wushe/domain';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, List, Row, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { StatusTag } from '../clients/ClientTags';
import { type DuplicateCard, type DuplicatePair, type DuplicateStatus, useDuplicateList, useDuplicateMutations } from './queries';

const STATUSES: DuplicateStatus[] = ['open', 'merged', 'dismissed'];
const FIELDS = ['birthDate', 'idNumber', 'sex', 'address', 'unitName', 'status'] as const;

type Action = { kind: 'merge'; pair: DuplicatePair; keep: 'a' | 'b' } | { kind: 'dismiss' | 'unmerge'; pair: DuplicatePair };

/** One record of a pair; fields that differ from the other record are marked. */
function Side({ card, other, which, tag }: { card: DuplicateCard; other: DuplicateCard; which: 'a' | 'b'; tag?: React.ReactNode }) {
  const { t } = useTranslation();
  const label = useLabel();
  const value = (f: (typeof FIELDS)[number], c: DuplicateCard) => {
    if (f === 'sex') return label(SEX_LABELS, c.sex) || '—';
    if (f === 'idNumber') return c.idNumber ?? t('duplicates.noIdNumber');
    return c[f] ?? '—';
  };
  const titles: Record<(typeof FIELDS)[number], string> = {
    birthDate: t('duplicates.birthDate'),
    idNumber: t('duplicates.idNumber'),
    sex: t('duplicates.sex'),
    address: t('duplicates.address'),
    unitName: t('duplicates.unit'),
    status: t('duplicates.clientStatus'),
  };
  return (
    <div data-testid={`pair-side-${which}`} data-client-id={card.id}>
      <Space wrap size={[8, 4]} style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{which === 'a' ? t('duplicates.recordA') : t('duplicates.recordB')}</Typography.Text>
        <Link to={`/clients/${card.id}`} style={{ fontWeight: 600, fontSize: 16 }} data-testid="pair-client-link">
          {card.name}
        </Link>
        {tag}
      </Space>
      <Descriptions size="small" column={1} bordered styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
        {FIELDS.map((f) => {
          const differs = card[f] !== other[f];
          return (
            <Descriptions.Item key={f} label={titles[f]}>
              {f === 'status' ? (
                <StatusTag status={card.status} />
              ) : (
                <Typography.Text type={differs ? 'warning' : undefined} strong={differs} code={f === 'idNumber' && !!card.idNumber}>
                  {value(f, card)}
                </Typography.Text>
              )}
            </Descriptions.Item>
          );
        })}
      </Descriptions>
    </div>
  );
}

function PairCard({ pair, canWrite, onAction }: { pair: DuplicatePair; canWrite: boolean; onAction: (a: Action) => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const sideTag = (c: DuplicateCard) =>
    pair.status !== 'merged' ? null : c.id === pair.keptId ? (
      <Tag color="green" data-testid="pair-kept">
        {t('duplicates.kept')}
      </Tag>
    ) : (
      <Tag data-testid="pair-merged-away">{t('duplicates.mergedAway')}</Tag>
    );
  const open = pair.status === 'open';
  return (
    <Card
      size="small"
      data-testid="duplicate-pair"
      data-pair-id={pair.id}
      data-status={pair.status}
      data-name={pair.a.name}
      title={
        <Space wrap size={[8, 0]} style={{ whiteSpace: 'normal', fontWeight: 'normal' }}>
          <Typography.Text strong>{t(`duplicates.reason.${pair.reason}`, { defaultValue: pair.reason })}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('duplicates.foundAt', { at: dayjs(pair.createdAt).format('YYYY-MM-DD HH:mm') })}
          </Typography.Text>
        </Space>
      }
      extra={
        canWrite && pair.status === 'merged' ? (
          <Button size="small" icon={<RollbackOutlined />} onClick={() => onAction({ kind: 'unmerge', pair })} data-testid="pair-unmerge">
            {t('duplicates.unmerge')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 12 }}
      styles={{ body: { padding: mobile ? 8 : undefined } }}
    >
      <Row gutter={[16, 16]}>
        {(['a', 'b'] as const).map((which) => (
          <Col key={which} xs={24} md={12}>
            <Side card={pair[which]} other={pair[which === 'a' ? 'b' : 'a']} which={which} tag={sideTag(pair[which])} />
            {canWrite && open ? (
              <Button
                block
                style={{ marginTop: 8 }}
                icon={<MergeCellsOutlined />}
                onClick={() => onAction({ kind: 'merge', pair, keep: which })}
                data-testid={`pair-keep-${which}`}
              >
                {t('duplicates.keepThis')}
              </Button>
            ) : null}
          </Col>
        ))}
      </Row>
      {pair.status !== 'open' || pair.resolvedAt ? (
        <div style={{ marginTop: 12 }} data-testid="pair-resolution">
          {pair.resolvedByName && pair.resolvedAt ? (
            <Typography.Text type="secondary">
              {t('duplicates.resolvedBy', { name: pair.resolvedByName, at: dayjs(pair.resolvedAt).format('YYYY-MM-DD HH:mm') })}
            </Typography.Text>
          ) : null}
          {pair.resolveReason ? (
            <div>
              <Typography.Text type="secondary">{t('duplicates.resolveReason', { reason: pair.resolveReason })}</Typography.Text>
            </div>
          ) : null}
        </div>
      ) : null}
      {canWrite && open ? (
        <div style={{ marginTop: 12, textAlign: mobile ? 'center' : 'right' }}>
          <Button icon={<StopOutlined />} onClick={() => onAction({ kind: 'dismiss', pair })} data-testid="pair-dismiss">
            {t('duplicates.dismiss')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** 疑似重复: pairs of records that may be one person, side by side; merge (reversible), dismiss, undo a merge. */
export default function DuplicatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canWrite = can('clients.write');
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: DuplicateStatus = STATUSES.includes(raw as DuplicateStatus) ? (raw as DuplicateStatus) : 'open';
  const list = useDuplicateList(status);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const m = useDuplicateMutations();
  const [action, setAction] = useState<Action | null>(null);

  const keepCard = action?.kind === 'merge' ? action.pair[action.keep] : null;
  const title =
    action?.kind === 'merge' && keepCard
      ? t('duplicates.mergeTitle', { name: keepCard.name, which: action.keep === 'a' ? t('duplicates.recordA') : t('duplicates.recordB') })
      : action?.kind === 'dismiss'
        ? t('duplicates.dismissTitle')
        : t('duplicates.unmergeTitle');

  return (
    <div data-testid="duplicates-page">
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 8 }}>
        <UsergroupAddOutlined /> {t('duplicates.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('duplicates.intro')}</Typography.Paragraph>
      <Segmented<DuplicateStatus>
        value={status}
        onChange={(v) => setParams(v === 'open' ? {} : { status: v }, { replace: true })}
        options={STATUSES.map((s) => ({ value: s, label: <span data-testid={`duplicates-tab-${s}`}>{t(`duplicates.status.${s}`)}</span> }))}
        style={{ marginBottom: 16 }}
        data-testid="duplicates-status"
      />
      {list.isError && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <List<DuplicatePair>
            loading={list.isFetching && !list.isFetchingNextPage}
            dataSource={items}
            locale={{ emptyText: <Empty description={t(`duplicates.empty.${status}`)} /> }}
            data-testid="duplicates-list"
            renderItem={(p) => <PairCard key={p.id} pair={p} canWrite={canWrite} onAction={setAction} />}
          />
          <LoadMoreFooter
            pages={list}
            shown={items.length}
            total={list.data?.pages[0]?.total}
            totalCapped={list.data?.pages[0]?.totalCapped}
            totalTestId="duplicates-total"
            moreTestId="duplicates-more"
          />
        </>
      )}
      <FormModal<{ reason?: string }>
        open={!!action}
        title={title}
        onCancel={() => setAction(null)}
        okText={
          action?.kind === 'merge'
            ? t('duplicates.keepThis')
            : action?.kind === 'dismiss'
              ? t('duplicates.dismiss')
              : t('duplicates.unmerge')
        }
        data-testid="duplicate-action-form"
        onSubmit={async ({ reason }) => {
          if (!action) return;
          const r = reason?.trim() ?? '';
          if (action.kind === 'merge') {
            await m.merge.mutateAsync({ id: action.pair.id, keepId: action.pair[action.keep].id, reason: r || null });
            message.success(t('duplicates.merged'));
          } else if (action.kind === 'dismiss') {
            await m.dismiss.mutateAsync({ id: action.pair.id, reason: r });
            message.success(t('duplicates.dismissed'));
          } else {
            await m.unmerge.mutateAsync({ id: action.pair.id, reason: r });
            message.success(t('duplicates.unmerged'));
          }
          setAction(null);
        }}
      >
        {action?.kind === 'merge' ? (
          <Typography.Paragraph type="secondary">{t('duplicates.mergeHint')}</Typography.Paragraph>
        ) : action?.kind === 'unmerge' ? (
          <Typography.Paragraph type="secondary">{t('duplicates.unmergeHint')}</Typography.Paragraph>
        ) : null}
        <Form.Item
          name="reason"
          label={
            action?.kind === 'merge'
              ? t('duplicates.mergeReason')
              : action?.kind === 'dismiss'
                ? t('duplicates.dismissReason')
                : t('duplicates.unmergeReason')
          }
          rules={
            action?.kind === 'merge'
              ? [{ min: 2, message: t('duplicates.reasonRequired') }]
              : [{ required: true, whitespace: true, min: 2, message: t('duplicates.reasonRequired') }]
          }
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="duplicate-reason" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
