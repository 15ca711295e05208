import { Empty, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type EChartOption } from '../../app/EChart';
import { useIsMobile } from '../../app/ui';
import type { Rollup } from './types';

/** People served, problems solved and reports filed (bars) per day of a roll-up's series, or per unit with `labels`. */
export function HistoryChart({ series, labels, testId }: { series: Rollup['series']; labels?: string[]; testId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const mobile = useIsMobile();
  const option = useMemo<EChartOption | null>(() => {
    if (series.length === 0) return null;
    return {
      color: [token.colorPrimary, '#0f766e', '#a16207'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: labels ?? series.map((s) => s.day.slice(5)), axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('dailyReports.peopleServed'), type: 'bar', data: series.map((s) => s.figures.peopleServed), barMaxWidth: 18 },
        { name: t('dailyReports.problemsSolved'), type: 'bar', data: series.map((s) => s.problemsSolved), barMaxWidth: 18 },
        { name: t('dailyReports.filed'), type: 'bar', data: series.map((s) => s.filed), barMaxWidth: 18 },
      ],
    };
  }, [series, labels, t, token.colorPrimary]);
  if (!option) return <Empty />;
  return <EChart option={option} style={{ height: mobile ? 240 : 300 }} data-testid={testId} />;
}
