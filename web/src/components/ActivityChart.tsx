/** A stacked bar chart of audit-ledger entries per day and outcome (ECharts, tree-shaken). */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { ActivityPoint } from '../api/types';
import { useFormat } from '../lib/format';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

const COLORS: Record<string, string> = { success: '#1677ff', failure: '#fa8c16', denied: '#f5222d', error: '#a8071a' };

/** Every day of the window, so quiet days show as gaps rather than disappearing. */
function daysBack(days: number): string[] {
  const out: string[] = [];
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate() - i));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export function ActivityChart({ points, days }: { points: ActivityPoint[]; days: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { t } = useTranslation();
  const fmt = useFormat();

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const axis = daysBack(days);
    const outcomes = [...new Set(points.map((p) => p.outcome))].sort((a, b) => (a === 'success' ? -1 : b === 'success' ? 1 : a.localeCompare(b)));
    const label = (o: string) => t(`home.outcome.${o}`, { defaultValue: o });
    chart.current?.setOption({
      aria: { enabled: true, label: { description: t('home.chartLabel') } },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.number(Number(v)) },
      legend: { top: 0, data: outcomes.map(label) },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: axis.map(fmt.day), axisTick: { alignWithLabel: true } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmt.number(v) } },
      series: outcomes.map((o) => ({
        name: label(o),
        type: 'bar',
        stack: 'all',
        itemStyle: { color: COLORS[o] },
        data: axis.map((d) => points.filter((p) => p.day === d && p.outcome === o).reduce((s, p) => s + p.n, 0)),
      })),
    }, { notMerge: true });
  }, [points, days, t, fmt]);

  return <div ref={ref} className="gs-chart" role="img" aria-label={t('home.chartLabel')} data-testid="activity-chart" />;
}
