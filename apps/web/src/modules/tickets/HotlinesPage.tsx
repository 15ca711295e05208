import { CustomerServiceOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { EChart } from '../../app/EChart';
import { applyFieldErrors, ErrorState, LoadMoreFooter, useErrorText, useIsMobile } from '../../app/ui';
import { UnitSelect } from '../users/UnitSelect';
import { useHotlines, useShiftStats, useShifts } from './queries';
import { formatTime } from './TicketParts';
import type { Hotline, Shift } from './types';

interface Worker {
  id: string;
  displayName: string;
  status: string;
}

function HotlineModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const save = async (v: Record<string, unknown>) => {
    setSaving(true);
    try {
      await api('/api/hotlines', { method: 'POST', body: v });
      onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err, t) || !(err instanceof ApiError)) message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('hotlines.add')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'hotline-save' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={save} preserve={false} initialValues={{ hours: '24小时' }}>
        <Form.Item name="unitId" label={t('hotlines.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="name" label={t('hotlines.name')} rules={[{ required: true, message: t('common.required') }]}>
          <Input data-testid="hotline-name" />
        </Form.Item>
        <Form.Item name="number" label={t('hotlines.number')} rules={[{ required: true, message: t('common.required') }]}>
          <Input inputMode="tel" data-testid="hotline-number" />
        </Form.Item>
        <Form.Item name="hours" label={t('hotlines.hours')} rules={[{ required: true, message: t('common.required') }]}>
          <Input data-testid="hotline-hours" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ShiftModal({ open, hotlines, onClose }: { open: boolean; hotlines: Hotline[]; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const workers = useQuery({
    queryKey: ['users', 'shift-workers'],
    queryFn: () => api<Page<Worker>>('/api/users', { query: { limit: 200 } }),
    enabled: open,
  });
  const save = async (v: {
    hotlineId: string;
    userId: string;
    range: [Dayjs, Dayjs];
    calls?: number;
    peopleServed?: number;
    notes?: string;
  }) => {
    setSaving(true);
    try {
      await api('/api/duty-shifts', {
        method: 'POST',
        body: {
          hotlineId: v.hotlineId,
          userId: v.userId,
          startsAt: v.range[0].toISOString(),
          endsAt: v.range[1].toISOString(),
          calls: v.calls ?? 0,
          peopleServed: v.peopleServed ?? 0,
          notes: v.notes || null,
        },
      });
      onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err, t, { startsAt: 'range', endsAt: 'range' }) || !(err instanceof ApiError))
        message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('hotlines.addShift')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'shift-save' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        preserve={false}
        initialValues={{ hotlineId: hotlines[0]?.id, range: [dayjs().hour(9).minute(0), dayjs().hour(17).minute(30)] }}
      >
        <Form.Item name="hotlineId" label={t('hotlines.hotline')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={hotlines.map((h) => ({ value: h.id, label: `${h.name} ${h.number}` }))} data-testid="shift-hotline" />
        </Form.Item>
        <Form.Item name="userId" label={t('hotlines.worker')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={workers.isLoading}
            options={(workers.data?.items ?? []).filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.displayName }))}
            data-testid="shift-worker"
          />
        </Form.Item>
        <Form.Item name="range" label={t('hotlines.when')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="calls" label={t('hotlines.calls')}>
            <InputNumber min={0} max={100000} data-testid="shift-calls" />
          </Form.Item>
          <Form.Item name="peopleServed" label={t('hotlines.peopleServed')}>
            <InputNumber min={0} max={100000} data-testid="shift-people" />
          </Form.Item>
        </Space>
        <Form.Item name="notes" label={t('hotlines.notes')}>
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 热线与值班: the lines of the part of the network, the duty shifts, and the counts per day / month / unit. */
export default function HotlinesPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState<'hotline' | 'shift' | null>(null);
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [groupBy, setGroupBy] = useState<'day' | 'month' | 'unit'>('day');
  const from = period[0].format('YYYY-MM-DD');
  const to = period[1].format('YYYY-MM-DD');
  const hotlines = useHotlines();
  const shifts = useShifts({ from, to });
  const stats = useShiftStats({ from, to, groupBy });
  const shiftItems = useMemo(() => shifts.data?.pages.flatMap((p) => p.items) ?? [], [shifts.data]);
  const lines = hotlines.data?.items ?? [];
  // By day: every day of the period on the axis, zeros where nothing happened.
  const rows = useMemo(() => {
    const got = stats.data?.rows ?? [];
    if (groupBy !== 'day') return got;
    const byKey = new Map(got.map((r) => [r.key, r]));
    const days: typeof got = [];
    for (let d = dayjs(from); !d.isAfter(dayjs(to)) && days.length < 400; d = d.add(1, 'day')) {
      const key = d.format('YYYY-MM-DD');
      days.push(byKey.get(key) ?? { key, label: key, shifts: 0, calls: 0, peopleServed: 0, tickets: 0, solved: 0 });
    }
    return days;
  }, [stats.data, groupBy, from, to]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: rows.map((r) => (groupBy === 'day' ? r.key.slice(5) : r.label)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('hotlines.shifts'), type: 'bar', data: rows.map((r) => r.shifts) },
        { name: t('hotlines.calls'), type: 'bar', data: rows.map((r) => r.calls) },
        { name: t('hotlines.peopleServed'), type: 'bar', data: rows.map((r) => r.peopleServed) },
        { name: t('hotlines.ticketsReceived'), type: 'bar', data: rows.map((r) => r.tickets) },
        { name: t('hotlines.solved'), type: 'bar', data: rows.map((r) => r.solved) },
      ],
    }),
    [rows, groupBy, t],
  );
  const done = (changed: boolean) => {
    setAdding(null);
    if (changed) {
      void queryClient.invalidateQueries({ queryKey: ['hotlines'] });
      void queryClient.invalidateQueries({ queryKey: ['duty-shifts'] });
    }
  };

  return (
    <div data-testid="hotlines-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <CustomerServiceOutlined /> {t('hotlines.title')}
      </Typography.Title>
      <Card
        title={t('hotlines.lines')}
        size="small"
        extra={
          can('tickets.write') ? (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('hotline')} data-testid="hotline-add">
              {t('hotlines.add')}
            </Button>
          ) : null
        }
      >
        {hotlines.isError ? (
          <ErrorState compact error={hotlines.error} onRetry={() => void hotlines.refetch()} />
        ) : (
          <Table<Hotline>
            rowKey="id"
            size="small"
            pagination={false}
            loading={hotlines.isLoading}
            dataSource={lines}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('hotlines.name'), dataIndex: 'name' },
              { title: t('hotlines.number'), dataIndex: 'number', render: (v: string) => <a href={`tel:${v.replace(/\s/g, '')}`}>{v}</a> },
              { title: t('hotlines.unit'), dataIndex: 'unitName', responsive: ['md'] },
              { title: t('hotlines.hours'), dataIndex: 'hours' },
              {
                title: t('hotlines.state'),
                dataIndex: 'active',
                render: (v: boolean) => (v ? <Tag color="green">{t('hotlines.active')}</Tag> : <Tag>{t('hotlines.retired')}</Tag>),
              },
            ]}
            data-testid="hotlines-table"
          />
        )}
      </Card>

      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('hotlines.counts')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              allowClear={false}
              value={period}
              onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])}
              size="small"
              style={{ width: mobile ? 220 : undefined }}
            />
            <Segmented
              size="small"
              value={groupBy}
              onChange={(v) => setGroupBy(v as 'day' | 'month' | 'unit')}
              options={[
                { value: 'day', label: t('hotlines.byDay') },
                { value: 'month', label: t('hotlines.byMonth') },
                { value: 'unit', label: t('hotlines.byUnit') },
              ]}
              data-testid="shift-stats-group"
            />
          </Space>
        }
      >
        <Space size={mobile ? 16 : 40} wrap style={{ marginBottom: 8 }} data-testid="shift-stats-totals">
          <Statistic title={t('hotlines.shifts')} value={stats.data?.totals.shifts ?? 0} />
          <Statistic title={t('hotlines.calls')} value={stats.data?.totals.calls ?? 0} />
          <Statistic title={t('hotlines.peopleServed')} value={stats.data?.totals.peopleServed ?? 0} />
          <Statistic title={t('hotlines.ticketsReceived')} value={stats.data?.totals.tickets ?? 0} />
          <Statistic title={t('hotlines.solved')} value={stats.data?.totals.solved ?? 0} />
        </Space>
        {(stats.data?.rows.length ?? 0) > 0 ? <EChart option={option} style={{ height: 280 }} data-testid="shift-stats-chart" /> : null}
      </Card>

      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('hotlines.shiftList')}
        extra={
          can('tickets.write') && lines.length ? (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('shift')} data-testid="shift-add">
              {t('hotlines.addShift')}
            </Button>
          ) : null
        }
      >
        <Table<Shift>
          rowKey="id"
          size="small"
          pagination={false}
          loading={shifts.isLoading}
          dataSource={shiftItems}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('hotlines.when'),
              dataIndex: 'startsAt',
              render: (_: string, s) => `${formatTime(s.startsAt)} – ${dayjs(s.endsAt).format('HH:mm')}`,
            },
            { title: t('hotlines.worker'), dataIndex: 'userName' },
            { title: t('hotlines.hotline'), dataIndex: 'hotlineName', responsive: ['md'] },
            { title: t('hotlines.calls'), dataIndex: 'calls', align: 'right' },
            { title: t('hotlines.peopleServed'), dataIndex: 'peopleServed', align: 'right' },
            { title: t('hotlines.notes'), dataIndex: 'notes', responsive: ['lg'] },
          ]}
          data-testid="shifts-table"
        />
        <LoadMoreFooter
          pages={shifts}
          shown={shiftItems.length}
          total={shifts.data?.pages[0]?.total}
          totalTestId="shifts-total"
          moreTestId="shifts-more"
          marginTop={8}
        />
      </Card>
      <HotlineModal open={adding === 'hotline'} onClose={done} />
      <ShiftModal open={adding === 'shift'} hotlines={lines.filter((h) => h.active)} onClose={done} />
    </div>
  );
}
