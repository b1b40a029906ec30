/** Reads, rows returned and refusals per day through one channel (ECharts, tree-shaken). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageDay } from '../../api/sharing';
import { useFormat } from '../../lib/format';
import { chinaDaysBack, useEChart } from '../../components/echarts';

export function UsageChart({ days }: { days: UsageDay[] }) {
  const { ref, chart } = useEChart();
  const { t } = useTranslation();
  const fmt = useFormat();

  useEffect(() => {
    const axis = chinaDaysBack(30);
    const by = new Map(days.map((d) => [d.day, d]));
    const reads = t('sharing.channel.reads');
    const rows = t('sharing.channel.rowsRead');
    const denied = t('sharing.channel.denied');
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description: t('sharing.channel.chartLabel') } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.number(Number(v)) },
        legend: { top: 0, data: [reads, denied, rows] },
        grid: { left: 48, right: 56, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: axis.map(fmt.day), axisTick: { alignWithLabel: true } },
        yAxis: [
          {
            type: 'value',
            name: reads,
            minInterval: 1,
            axisLabel: { formatter: (v: number) => fmt.number(v) },
          },
          {
            type: 'value',
            name: rows,
            minInterval: 1,
            splitLine: { show: false },
            axisLabel: { formatter: (v: number) => fmt.number(v) },
          },
        ],
        series: [
          {
            name: reads,
            type: 'bar',
            stack: 'reads',
            itemStyle: { color: '#1677ff' },
            data: axis.map((d) => by.get(d)?.reads ?? 0),
          },
          {
            name: denied,
            type: 'bar',
            stack: 'reads',
            itemStyle: { color: '#f5222d' },
            data: axis.map((d) => by.get(d)?.denied ?? 0),
          },
          {
            name: rows,
            type: 'line',
            yAxisIndex: 1,
            smooth: true,
            itemStyle: { color: '#52c41a' },
            data: axis.map((d) => by.get(d)?.rows ?? 0),
          },
        ],
      },
      { notMerge: true },
    );
  }, [days, t, fmt]);

  return (
    <div
      ref={ref}
      className="gs-chart"
      role="img"
      aria-label={t('sharing.channel.chartLabel')}
      data-testid="usage-chart"
    />
  );
}
