/** A stacked bar chart of audit-ledger entries per day and outcome (ECharts, tree-shaken). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityPoint } from '../api/types';
import { useFormat } from '../lib/format';
import { chinaDaysBack, useEChart } from './echarts';

const COLORS: Record<string, string> = {
  success: '#1677ff',
  failure: '#fa8c16',
  denied: '#f5222d',
  error: '#a8071a',
};

export function ActivityChart({ points, days }: { points: ActivityPoint[]; days: number }) {
  const { ref, chart } = useEChart();
  const { t } = useTranslation();
  const fmt = useFormat();

  useEffect(() => {
    const axis = chinaDaysBack(days);
    const outcomes = [...new Set(points.map((p) => p.outcome))].sort((a, b) =>
      a === 'success' ? -1 : b === 'success' ? 1 : a.localeCompare(b),
    );
    const label = (o: string) => t(`home.outcome.${o}`, { defaultValue: o });
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description: t('home.chartLabel') } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.number(Number(v)) },
        legend: { top: 0, data: outcomes.map(label) },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: axis.map(fmt.day), axisTick: { alignWithLabel: true } },
        yAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel: { formatter: (v: number) => fmt.number(v) },
        },
        series: outcomes.map((o) => ({
          name: label(o),
          type: 'bar',
          stack: 'all',
          itemStyle: { color: COLORS[o] },
          data: axis.map((d) =>
            points.filter((p) => p.day === d && p.outcome === o).reduce((s, p) => s + p.n, 0),
          ),
        })),
      },
      { notMerge: true },
    );
  }, [points, days, t, fmt]);

  return (
    <div
      ref={ref}
      className="gs-chart"
      role="img"
      aria-label={t('home.chartLabel')}
      data-testid="activity-chart"
    />
  );
}
