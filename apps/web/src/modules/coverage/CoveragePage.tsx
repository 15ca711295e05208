import { DownloadOutlined, PieChartOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Card, Col, Empty, Progress, Row, Space, Statistic, Table, Typography, theme } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../app/api';
import { useAuth } from '../../app/auth';
import { EChart, type EChartOption } from '../../app/EChart';
import type { Coverage, CoverageFigure, Region } from '../../app/types';
import { ErrorState, formatPercent, Loading, useErrorText, useIsMobile } from '../../app/ui';
import { RegionSelect } from '../network/RegionSelect';

type Child = Coverage['children'][number];

function useCoverage(regionCode: string | null) {
  return useQuery({
    queryKey: ['coverage', regionCode],
    queryFn: () => api<Coverage>('/api/coverage', { query: { regionCode: regionCode ?? undefined } }),
  });
}

function FigureCard({ title, figure, testId }: { title: string; figure: CoverageFigure; testId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const pct = Math.round(figure.rate * 1000) / 10;
  return (
    <Card data-testid={testId} data-covered={figure.covered} data-total={figure.total}>
      <Space align="center" size="large" style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Statistic
          title={title}
          value={formatPercent(figure.total ? figure.rate : null)}
          styles={{ content: { color: figure.rate >= 1 ? token.colorSuccess : token.colorPrimary } }}
        />
        <Progress
          type="circle"
          size={72}
          percent={pct}
          showInfo={false}
          strokeColor={figure.rate >= 1 ? token.colorSuccess : token.colorPrimary}
        />
      </Space>
      <Typography.Text type="secondary">{t('coverage.coveredOf', { covered: figure.covered, total: figure.total })}</Typography.Text>
      <span data-testid={`${testId}-covered`} hidden>
        {figure.covered}
      </span>
    </Card>
  );
}

export default function CoveragePage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const { token } = theme.useToken();
  // drill-down stack: the first entry is the chosen region (null = the user's own), then each drilled child
  const [stack, setStack] = useState<{ code: string | null; name?: string }[]>([{ code: user?.unit?.regionCode ?? null }]);
  const current = stack[stack.length - 1];
  const coverage = useCoverage(current.code);
  const [exporting, setExporting] = useState(false);
  const data = coverage.data;
  const region: Region | undefined = data?.region;

  const drill = (child: Child) => {
    if (child.region.level >= 5) return; // a village is the bottom: nothing below to show
    // name the level we leave, so the breadcrumb can lead back to it
    setStack((s) => [
      ...s.slice(0, -1),
      { code: data?.region.code ?? s[s.length - 1].code, name: data?.region.name },
      { code: child.region.code, name: child.region.name },
    ]);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download(
        '/api/coverage/export',
        { regionCode: region?.code ?? current.code ?? undefined },
        `coverage-${region?.code ?? 'region'}.xlsx`,
      );
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const option = useMemo<EChartOption | null>(() => {
    if (!data || data.children.length === 0) return null;
    const names = data.children.map((c) => c.region.name);
    const showStreets = data.children.some((c) => c.streets.total > 0) && data.region.level < 4;
    return {
      color: [token.colorPrimary, '#0f766e'],
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => `${v}%`,
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 || mobile ? 40 : 0, fontSize: 11 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        ...(showStreets
          ? [
              {
                name: t('coverage.streetRate'),
                type: 'bar',
                data: data.children.map((c) => Math.round(c.streets.rate * 1000) / 10),
                barMaxWidth: 28,
              },
            ]
          : []),
        {
          name: t('coverage.villageRate'),
          type: 'bar',
          data: data.children.map((c) => Math.round(c.villages.rate * 1000) / 10),
          barMaxWidth: 28,
        },
      ],
    };
  }, [data, t, token.colorPrimary, mobile]);

  return (
    <div data-testid="coverage-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <PieChartOutlined /> {t('coverage.title')}
        </Typography.Title>
        <Space wrap>
          <RegionSelect
            value={region?.code ?? current.code}
            onChange={(code, r) => {
              if (typeof code === 'string') setStack([{ code, name: r?.name }]);
            }}
            allowClear={false}
            placeholder={t('coverage.pickRegion')}
            style={{ width: mobile ? 220 : 280 }}
            data-testid="coverage-region"
          />
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} disabled={!data} data-testid="coverage-export">
            {t('coverage.export')}
          </Button>
        </Space>
      </Space>
      {stack.length > 1 ? (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          data-testid="coverage-breadcrumb"
          items={stack.map((s, i) => ({
            key: s.code ?? 'own',
            title:
              i < stack.length - 1 ? (
                <Typography.Link onClick={() => setStack((st) => st.slice(0, i + 1))}>
                  {s.name ?? s.code ?? t('coverage.myRegion')}
                </Typography.Link>
              ) : (
                (region?.name ?? s.name)
              ),
          }))}
        />
      ) : null}
      {coverage.isLoading ? (
        <Card>
          <Loading rows={8} />
        </Card>
      ) : coverage.isError ? (
        <Card>
          <ErrorState error={coverage.error} onRetry={() => void coverage.refetch()} />
        </Card>
      ) : data ? (
        <>
          <Typography.Paragraph type="secondary" data-testid="coverage-region-name">
            {t('coverage.regionLine', { name: data.region.name, code: data.region.code })}
          </Typography.Paragraph>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <FigureCard title={t('coverage.streets')} figure={data.streets} testId="coverage-streets" />
            </Col>
            <Col xs={24} md={12}>
              <FigureCard title={t('coverage.villages')} figure={data.villages} testId="coverage-villages" />
            </Col>
            <Col xs={24}>
              <Card title={t('coverage.chartTitle')}>
                {option ? (
                  <EChart
                    option={option}
                    style={{ height: mobile ? 280 : 340 }}
                    onClickItem={(i) => data.children[i] && drill(data.children[i])}
                    data-testid="coverage-chart"
                  />
                ) : (
                  <Empty />
                )}
              </Card>
            </Col>
            <Col xs={24}>
              <Card title={t('coverage.tableTitle')} styles={{ body: { padding: mobile ? 0 : undefined } }}>
                <Table<Child>
                  rowKey={(c) => c.region.code}
                  dataSource={data.children}
                  size={mobile ? 'small' : 'middle'}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: <Empty description={t('coverage.noChildren')} /> }}
                  onRow={(c) => ({
                    onClick: () => drill(c),
                    style: { cursor: c.region.level < 5 ? 'pointer' : 'default' },
                    'data-testid': 'coverage-row',
                    'data-region-code': c.region.code,
                    'data-region-name': c.region.name,
                  })}
                  data-testid="coverage-table"
                  columns={[
                    {
                      title: t('coverage.region'),
                      key: 'name',
                      fixed: 'left',
                      render: (_: unknown, c) => (c.region.level < 5 ? <Typography.Link>{c.region.name}</Typography.Link> : c.region.name),
                    },
                    {
                      title: t('coverage.code'),
                      key: 'code',
                      render: (_: unknown, c) => <Typography.Text type="secondary">{c.region.code}</Typography.Text>,
                    },
                    ...(data.region.level < 4
                      ? [
                          {
                            title: t('coverage.streets'),
                            key: 'streets',
                            render: (_: unknown, c: Child) => <RateCell figure={c.streets} />,
                          },
                        ]
                      : []),
                    { title: t('coverage.villages'), key: 'villages', render: (_: unknown, c: Child) => <RateCell figure={c.villages} /> },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      ) : null}
    </div>
  );
}

function RateCell({ figure }: { figure: CoverageFigure }) {
  return (
    <div style={{ minWidth: 150 }}>
      <Progress
        percent={Math.round(figure.rate * 1000) / 10}
        size="small"
        format={() => `${figure.covered}/${figure.total}`}
        status={figure.rate >= 1 ? 'success' : 'normal'}
      />
    </div>
  );
}
