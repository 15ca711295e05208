import { ClockCircleOutlined, EnvironmentOutlined, PlusOutlined, ShoppingOutlined, UserOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { useLiveEvents } from '../../app/events';
import { FormModal } from '../../app/FormModal';
import { ErrorState, LoadMoreFooter, useErrorText, useIsMobile } from '../../app/ui';
import { ClientUnitSelect } from '../clients/ClientForm';
import { ErrandStatusTag, errandWindow } from './parts';
import {
  type TransitionInput,
  useCouriers,
  useErrandList,
  useErrandTransition,
  useMySummary,
  usePostErrand,
  useRefreshErrands,
} from './queries';
import type { Errand, ErrandAction, ErrandKind, ErrandView } from './types';

const KINDS: ErrandKind[] = ['shopping', 'delivery', 'escort', 'other'];
/** Polling when the live stream is not available. */
const POLL_MS = 15_000;

interface PostValues {
  kind: ErrandKind;
  title: string;
  details?: string;
  place: string;
  unitId: string;
  window: [Dayjs, Dayjs];
  reward: number;
}

/** 跑腿抢单: the open errands of my area with a grab button (volunteers), my errands, and the post form (workers, volunteers). */
export default function ErrandsPage() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const courier = user?.role === 'volunteer' && can('errands.grab');
  const [view, setView] = useState<ErrandView>(courier ? 'board' : 'all');
  const [posting, setPosting] = useState(false);
  const [assigning, setAssigning] = useState<Errand | null>(null);
  const refresh = useRefreshErrands();
  // Any change of an errand in my area (a grab, a confirmation…) refetches the board within the second.
  const live = useLiveEvents(['errand.changed'], () => void refresh());
  const list = useErrandList(view, live ? false : POLL_MS);
  const me = useMySummary(courier, live ? false : POLL_MS);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const post = usePostErrand();
  const transition = useErrandTransition();

  const run = async (input: TransitionInput, done: string) => {
    try {
      await transition.mutateAsync(input);
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const doneText: Record<Exclude<ErrandAction, 'assign'>, string> = {
    grab: t('errands.grabbed'),
    release: t('errands.released'),
    complete: t('errands.completed'),
    confirm: t('errands.confirmed'),
    cancel: t('errands.cancelled'),
  };

  const views: { value: ErrandView; label: string }[] = [
    ...(courier ? [{ value: 'board' as const, label: t('errands.board') }] : []),
    { value: 'mine', label: t('errands.mine') },
    ...(courier ? [] : [{ value: 'all' as const, label: t('errands.all') }]),
  ];
  const emptyText = view === 'board' ? t('errands.emptyBoard') : view === 'mine' ? t('errands.emptyMine') : t('errands.emptyAll');

  return (
    <div data-testid="errands-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <ShoppingOutlined /> {t('errands.title')}{' '}
          <Badge
            status={live ? 'processing' : 'default'}
            text={<Typography.Text type="secondary">{live ? t('errands.live') : t('errands.polling')}</Typography.Text>}
            data-testid="errands-live"
            data-live={live ? 'true' : 'false'}
          />
        </Typography.Title>
        {can('errands.post') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPosting(true)} data-testid="errand-post">
            {t('errands.post')}
          </Button>
        ) : null}
      </Space>

      {courier ? (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="errands-me">
          <Space size={mobile ? 16 : 40} wrap>
            <Statistic
              title={t('errands.balance')}
              value={me.data?.balance ?? 0}
              precision={2}
              valueStyle={{ color: '#1677ff' }}
              data-testid="errands-balance"
              data-balance={me.data?.balance ?? ''}
            />
            <Typography.Text type="secondary">{t('errands.holding', { n: me.data?.assigned ?? 0 })}</Typography.Text>
            <Typography.Text type="secondary">{t('errands.waiting', { n: me.data?.done ?? 0 })}</Typography.Text>
          </Space>
        </Card>
      ) : null}

      <Segmented<ErrandView>
        value={view}
        onChange={setView}
        options={views}
        style={{ marginBottom: 12 }}
        block={mobile}
        data-testid="errands-view"
      />

      {list.isError && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 && !list.isFetching ? (
        <Card>
          <Empty description={emptyText} data-testid="errands-empty" />
        </Card>
      ) : (
        <Row gutter={[12, 12]} data-testid="errands-list">
          {items.map((e) => (
            <Col key={e.id} xs={24} md={12} xl={8}>
              <ErrandCard
                errand={e}
                busy={transition.isPending && transition.variables?.errand.id === e.id}
                onAction={(action) => {
                  if (action === 'assign') setAssigning(e);
                  else void run({ errand: e, action }, doneText[action]);
                }}
              />
            </Col>
          ))}
        </Row>
      )}
      <LoadMoreFooter
        pages={list}
        shown={items.length}
        total={list.data?.pages[0]?.total}
        totalTestId="errands-total"
        moreTestId="errands-more"
        marginTop={12}
      />

      <FormModal<PostValues>
        open={posting}
        title={t('errands.postTitle')}
        width={560}
        onCancel={() => setPosting(false)}
        initialValues={{
          kind: 'shopping',
          reward: 1,
          unitId: user?.unit && user.unit.kind !== 'centre' && user.unit.kind !== 'bureau' ? user.unit.id : undefined,
          window: [dayjs().add(1, 'hour').startOf('hour'), dayjs().add(4, 'hour').startOf('hour')],
        }}
        rename={{ windowFrom: 'window', windowTo: 'window' }}
        onSubmit={async (v) => {
          await post.mutateAsync({
            kind: v.kind,
            title: v.title,
            details: v.details || null,
            place: v.place,
            unitId: v.unitId,
            windowFrom: v.window[0].toISOString(),
            windowTo: v.window[1].toISOString(),
            reward: v.reward,
          });
          message.success(t('errands.postedDone'));
          setPosting(false);
          if (!courier) setView('all');
        }}
        data-testid="errand-form"
      >
        <Form.Item name="kind" label={t('errands.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`errands.kinds.${k}`) }))} data-testid="errand-kind" />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('errands.titleField')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} placeholder={t('errands.titlePlaceholder')} data-testid="errand-title" />
        </Form.Item>
        <Form.Item name="details" label={t('errands.details')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="errand-details" />
        </Form.Item>
        <Form.Item name="place" label={t('errands.place')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={200} placeholder={t('errands.placePlaceholder')} data-testid="errand-place" />
        </Form.Item>
        <Form.Item name="unitId" label={t('errands.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <ClientUnitSelect initial={user?.unit ? { id: user.unit.id, name: user.unit.name } : null} data-testid="errand-unit" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={16}>
            <Form.Item name="window" label={t('errands.window')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="MM-DD HH:mm"
                style={{ width: '100%' }}
                inputReadOnly={mobile}
                data-testid="errand-window"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="reward" label={t('errands.reward')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0.01} max={1000} step={0.5} precision={2} style={{ width: '100%' }} data-testid="errand-reward" />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>

      <AssignDialog
        errand={assigning}
        onClose={() => setAssigning(null)}
        onAssign={async (errand, assigneeUserId) => {
          await run({ errand, action: 'grab', assigneeUserId }, t('errands.assignedDone'));
          setAssigning(null);
        }}
      />
    </div>
  );
}

function ErrandCard({ errand: e, busy, onAction }: { errand: Errand; busy: boolean; onAction: (a: ErrandAction) => void }) {
  const { t } = useTranslation();
  const when = errandWindow(e);
  const button = (a: ErrandAction, primary = false) => (
    <Button
      key={a}
      type={primary ? 'primary' : 'default'}
      size="middle"
      loading={busy}
      onClick={() => onAction(a)}
      data-testid={`errand-${a}`}
    >
      {t(`errands.${a}`)}
    </Button>
  );
  const buttons = e.actions.map((a) =>
    a === 'cancel' ? (
      <Popconfirm
        key={a}
        title={t('errands.cancelConfirm')}
        onConfirm={() => onAction('cancel')}
        okButtonProps={{ 'data-testid': 'errand-cancel-ok' } as Record<string, string>}
      >
        <Button danger loading={busy} data-testid="errand-cancel">
          {t('errands.cancel')}
        </Button>
      </Popconfirm>
    ) : (
      button(a, a === 'grab' || a === 'confirm' || a === 'complete')
    ),
  );
  return (
    <Card
      size="small"
      data-testid="errand-card"
      data-errand-title={e.title}
      data-status={e.status}
      title={
        <Space size={6} style={{ maxWidth: '100%' }}>
          <Tag color="purple" style={{ marginInlineEnd: 0 }}>
            {t(`errands.kinds.${e.kind}`)}
          </Tag>
          <Typography.Text strong ellipsis style={{ maxWidth: 200 }}>
            {e.title}
          </Typography.Text>
        </Space>
      }
      extra={<ErrandStatusTag status={e.status} />}
      actions={
        buttons.length
          ? [
              <Space key="a" wrap style={{ justifyContent: 'center' }}>
                {buttons}
              </Space>,
            ]
          : undefined
      }
    >
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        {e.details ? (
          <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2 }}>
            {e.details}
          </Typography.Paragraph>
        ) : null}
        <Typography.Text type="secondary">
          <EnvironmentOutlined /> {e.place}
          {e.unitName ? ` · ${e.unitName}` : ''}
        </Typography.Text>
        <Typography.Text type="secondary">
          <ClockCircleOutlined /> {when}
        </Typography.Text>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Text strong style={{ color: '#d46b08' }} data-testid="errand-reward-value">
            {t('errands.rewardN', { n: e.reward })}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <UserOutlined /> {e.requestedBy?.name ?? '—'}
            {e.assignee ? ` → ${e.assignee.name ?? '—'}` : ''}
          </Typography.Text>
        </Space>
      </Space>
    </Card>
  );
}

function AssignDialog({
  errand,
  onClose,
  onAssign,
}: {
  errand: Errand | null;
  onClose: () => void;
  onAssign: (e: Errand, userId: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const couriers = useCouriers(!!errand);
  const [picked, setPicked] = useState<string | null>(null);
  return (
    <Modal
      open={!!errand}
      title={t('errands.assignTitle')}
      onCancel={() => {
        setPicked(null);
        onClose();
      }}
      okText={t('errands.assign')}
      okButtonProps={{ disabled: !picked, ...({ 'data-testid': 'errand-assign-ok' } as Record<string, string>) }}
      onOk={async () => {
        if (errand && picked) await onAssign(errand, picked);
        setPicked(null);
      }}
      destroyOnHidden
    >
      <Typography.Paragraph strong>{errand?.title}</Typography.Paragraph>
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        placeholder={t('errands.courier')}
        loading={couriers.isLoading}
        value={picked}
        onChange={setPicked}
        notFoundContent={t('errands.noCouriers')}
        options={(couriers.data ?? []).map((c) => ({ value: c.id, label: c.unitName ? `${c.name}（${c.unitName}）` : c.name }))}
        data-testid="errand-assign-courier"
      />
    </Modal>
  );
}
