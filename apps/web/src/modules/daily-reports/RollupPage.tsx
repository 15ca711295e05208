import { DownloadOutlined, FileTextOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { COUNT_FIGURE_LABELS, SOLVED_CATEGORY_LABELS } from '@wushe/domain';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { ErrorState, formatPercent, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { HistoryChart } from './HistoryChart';
import { addDays, shanghaiToday, useRollup } from './queries';
import { StatusTag } from './StatusTag';
import type { DailyReport, Rollup } from './types';

type Child = Rollup['children'][number];

function monthRange(month: string): { from: string; to: string } {
  const next = dayjs(`${month}-01`).add(1, 'month').format('YYYY-MM-DD');
  const to = addDays(next, -1);
  const today = shanghaiToday();
  return { from: `${month}-01`, to: to > today ? today : to };
}

/** 每日一报 roll-up for the levels above the stations: a day or a month, totals, completeness, missing units. */
export function RollupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const today = shanghaiToday();
  const [mode, setMode] = useState<'day' | 'month'>('day');
  const [day, setDay] = useState(today);
  const [month, setMonth] = useState(today.slice(0, 7));
  // drill-down: the first entry is the user's own unit (undefined), then each child opened
  const [stack, setStack] = useState<{ unitId?: string; name?: string }[]>([{}]);
  const current = stack[stack.length - 1];
  const rollup = useRollup({ unitId: current.unitId, ...(mode === 'day' ? { day } : { month }) });
  const data = rollup.data;
  const [exporting, setExporting] = useState(false);
  const [open, setOpen] = useState<{ unitId: string; name: string } | null>(null);

  const drill = (c: Child) => {
    if (!c.unitId) return;
    if (c.kind === 'station' || (data && c.unitId === data.unit?.id)) {
      if (mode === 'day') setOpen({ unitId: c.unitId, name: c.name });
      return;
    }
    setStack((s) => [
      ...s.slice(0, -1),
      { unitId: s[s.length - 1].unitId, name: data?.unit?.name },
      { unitId: c.unitId ?? undefined, name: c.name },
    ]);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const range = mode === 'day' ? { from: day, to: day } : monthRange(month);
      await download('/api/daily-reports/export', { unitId: current.unitId, ...range }, `daily-reports-${range.from}.xlsx`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div data-testid="daily-rollup-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <FileTextOutlined /> {t('dailyReports.rollupTitle')}
        </Typography.Title>
        <Space wrap>
          <Segmented
            value={mode}
            onChange={(v) => setMode(v as 'day' | 'month')}
            options={[
              { value: 'day', label: <span data-testid="rollup-mode-day">{t('dailyReports.byDay')}</span> },
              { value: 'month', label: <span data-testid="rollup-mode-month">{t('dailyReports.byMonth')}</span> },
            ]}
          />
          {mode === 'day' ? (
            <DatePicker
              value={dayjs(day)}
              allowClear={false}
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))}
              data-testid="rollup-day"
            />
          ) : (
            <DatePicker
              picker="month"
              value={dayjs(`${month}-01`)}
              allowClear={false}
              disabledDate={(d) => d.format('YYYY-MM') > today.slice(0, 7)}
              onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
              data-testid="rollup-month"
            />
          )}
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} disabled={!data} data-testid="rollup-export">
            {t('dailyReports.export')}
          </Button>
        </Space>
      </Space>
      {stack.length > 1 ? (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={stack.map((s, i) => ({
            key: s.unitId ?? 'own',
            title:
              i < stack.length - 1 ? (
                <Typography.Link onClick={() => setStack((st) => st.slice(0, i + 1))}>
                  {s.name ?? t('dailyReports.ownUnit')}
                </Typography.Link>
              ) : (
                (data?.unit?.name ?? s.name)
              ),
          }))}
        />
      ) : null}
      {rollup.isLoading ? (
        <Card>
          <Loading rows={8} />
        </Card>
      ) : rollup.isError ? (
        <Card>
          <ErrorState error={rollup.error} onRetry={() => void rollup.refetch()} />
        </Card>
      ) : data ? (
        <Row gutter={[16, 16]}>
          <Col xs={24}>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="rollup-unit">
              {t('dailyReports.rollupLine', { unit: data.unit?.name ?? t('dailyReports.allUnits'), from: data.from, to: data.to })}
            </Typography.Paragraph>
          </Col>
          <Col xs={24} md={8}>
            <Card data-testid="rollup-completeness" data-filed={data.totals.filed} data-due={data.totals.due}>
              <Space align="center" style={{ width: '100%', justifyContent: 'space-between' }}>
                <Statistic
                  title={t('dailyReports.completeness')}
                  value={formatPercent(data.totals.due ? data.totals.completeness : null)}
                />
                <Progress type="circle" size={72} percent={Math.round(data.totals.completeness * 1000) / 10} showInfo={false} />
              </Space>
              <Typography.Text type="secondary">
                {t('dailyReports.filedOfDue', { filed: data.totals.filed, due: data.totals.due, late: data.totals.late })}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={24} md={16}>
            <Card data-testid="rollup-totals">
              <Row gutter={[12, 12]}>
                {(['peopleServed', 'visits', 'calls', 'shifts'] as const).map((k) => (
                  <Col xs={12} sm={6} key={k}>
                    <Statistic title={t(`dailyReports.${k}`)} value={data.totals.figures[k]} data-testid={`rollup-total-${k}`} />
                  </Col>
                ))}
                <Col xs={12} sm={6}>
                  <Statistic title={t('dailyReports.problemsSolved')} value={data.totals.problemsSolved} />
                </Col>
                <Col xs={12} sm={6}>
                  <Statistic title={t('dailyReports.needsMet')} value={data.totals.figures.needsMet} />
                </Col>
                <Col xs={12} sm={6}>
                  <Statistic title={t('dailyReports.ticketsReceived')} value={data.totals.figures.ticketsReceived} />
                </Col>
                <Col xs={12} sm={6}>
                  <Statistic title={t('dailyReports.volunteerHours')} value={data.totals.figures.volunteerHours} precision={1} />
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card
              title={t('dailyReports.missingTitle', { n: data.missingTotal })}
              data-testid="rollup-missing"
              styles={{ body: { padding: 0, maxHeight: 420, overflow: 'auto' } }}
            >
              <List
                dataSource={data.missing}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dailyReports.noneMissing')} /> }}
                renderItem={(m) => (
                  <List.Item style={{ padding: '8px 16px' }} data-testid="rollup-missing-row" data-name={m.name}>
                    <List.Item.Meta title={m.name} description={m.parentName} />
                    {mode === 'day' ? <StatusTag status={m.status} /> : t('dailyReports.missingDays', { n: m.missingDays })}
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card title={mode === 'day' ? t('dailyReports.chartByUnit') : t('dailyReports.chartByDay')}>
              <HistoryChart
                series={mode === 'day' ? data.children.map((c) => ({ ...c, day: data.from })) : data.series}
                labels={mode === 'day' ? data.children.map((c) => c.name) : undefined}
                testId="rollup-chart"
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title={t('dailyReports.byUnit')} styles={{ body: { padding: mobile ? 0 : undefined } }}>
              <Table<Child>
                rowKey={(c) => c.unitId ?? c.name}
                dataSource={data.children}
                size={mobile ? 'small' : 'middle'}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
                onRow={(c) => ({
                  onClick: () => drill(c),
                  style: { cursor: 'pointer' },
                  'data-testid': 'rollup-child',
                  'data-name': c.name,
                  'data-filed': c.filed,
                  'data-solved': c.problemsSolved,
                })}
                data-testid="rollup-children"
                columns={[
                  {
                    title: t('dailyReports.unit'),
                    key: 'name',
                    fixed: 'left',
                    render: (_: unknown, c) => <Typography.Link>{c.name}</Typography.Link>,
                  },
                  {
                    title: t('dailyReports.completeness'),
                    key: 'completeness',
                    render: (_: unknown, c) => (
                      <div style={{ minWidth: 140 }}>
                        <Progress
                          percent={Math.round(c.completeness * 1000) / 10}
                          size="small"
                          format={() => `${c.filed}/${c.due}`}
                          status={c.due > 0 && c.filed >= c.due ? 'success' : 'normal'}
                        />
                      </div>
                    ),
                  },
                  { title: t('dailyReports.peopleServed'), key: 'people', render: (_: unknown, c) => c.figures.peopleServed },
                  { title: t('dailyReports.problemsSolved'), key: 'solved', render: (_: unknown, c) => c.problemsSolved },
                  { title: t('dailyReports.visits'), key: 'visits', render: (_: unknown, c) => c.figures.visits },
                  { title: t('dailyReports.calls'), key: 'calls', render: (_: unknown, c) => c.figures.calls },
                  { title: t('dailyReports.lateCount'), key: 'late', render: (_: unknown, c) => c.late },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
      {open ? <ReportDrawer unitId={open.unitId} name={open.name} day={day} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

/** One station's report of the day, with the return action for the reviewing levels. */
function ReportDrawer({ unitId, name, day, onClose }: { unitId: string; name: string; day: string; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const one = useQuery({
    queryKey: ['daily-reports', 'one', unitId, day],
    queryFn: async () =>
      (await api<Page<DailyReport>>('/api/daily-reports', { query: { unitId, from: day, to: day, limit: 1 } })).items[0] ?? null,
  });
  const report = one.data;
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const doReturn = async () => {
    if (!report) return;
    const v = await form.validateFields();
    try {
      const r = await api<DailyReport>(`/api/daily-reports/${report.id}/return`, {
        method: 'POST',
        body: { version: report.version, reason: v.reason },
      });
      qc.setQueryData(['daily-reports', 'one', unitId, day], r);
      setReturning(false);
      message.success(t('dailyReports.returnedOk'));
      await qc.invalidateQueries({ queryKey: ['daily-reports'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Drawer open onClose={onClose} title={`${name} · ${day}`} size={mobile ? '100%' : 560} data-testid="rollup-report-drawer">
      {one.isError ? (
        <ErrorState error={one.error} compact />
      ) : report === undefined ? (
        <Loading rows={6} />
      ) : report === null ? (
        <Empty description={t('dailyReports.notStarted')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <StatusTag status={report.status} late={report.late} />
          {report.returnReason ? (
            <Typography.Text type="warning">
              {t('dailyReports.returnReason')}：{report.returnReason}
            </Typography.Text>
          ) : null}
          <Descriptions size="small" column={2} bordered>
            {COUNT_FIGURE_LABELS.map((l) => (
              <Descriptions.Item key={l.value} label={label(COUNT_FIGURE_LABELS, l.value)}>
                {report.figures[l.value]}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('dailyReports.volunteerHours')}>{report.figures.volunteerHours}</Descriptions.Item>
            {SOLVED_CATEGORY_LABELS.map((l) => (
              <Descriptions.Item key={l.value} label={label(SOLVED_CATEGORY_LABELS, l.value)}>
                {report.figures.solved[l.value]}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{report.highlights || '—'}</Typography.Paragraph>
          {can('daily_reports.review') && report.status === 'submitted' ? (
            <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="rollup-return-open">
              {t('dailyReports.return')}
            </Button>
          ) : null}
        </Space>
      )}
      <Modal
        open={returning}
        title={t('dailyReports.return')}
        onCancel={() => setReturning(false)}
        onOk={doReturn}
        okText={t('dailyReports.return')}
        okButtonProps={{ danger: true, 'data-testid': 'rollup-return-ok' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('dailyReports.returnReason')}
            rules={[{ required: true, min: 2, message: t('dailyReports.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="rollup-return-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
