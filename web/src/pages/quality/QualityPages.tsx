/** 数据质量: a resource's scores over time (ECharts) and the platform's overdue list. */
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Card, Col, Row, Statistic, Table, Tag } from 'antd';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import {
  useOverdue,
  usePoolInfo,
  useQuality,
  type Overdue,
  type ResourceQuality,
} from '../pool/api';

echarts.use([
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  CanvasRenderer,
]);
const SCORES = ['completeness', 'accuracy', 'consistency', 'timeliness', 'overall'] as const;

function ScoreChart({ series }: { series: ResourceQuality['series'] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const fmt = useFormat();
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    c.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${(v * 100).toFixed(1)}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: series.map((s) => fmt.dateTime(s.at)) },
      yAxis: {
        type: 'value',
        min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 10) / 10 - 0.1),
        max: 1,
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      series: SCORES.map((k) => ({
        name: t(`quality.score.${k}`),
        type: 'line',
        smooth: true,
        data: series.map((s) => s[k]),
        lineStyle: k === 'overall' ? { width: 3 } : undefined,
      })),
    });
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, [series, t, fmt]);
  return <div ref={ref} style={{ height: 320 }} data-testid="quality-chart" />;
}

export function QualityPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useQuality(id);
  const info = usePoolInfo(id);
  if (q.isError) return <LoadError error={q.error} />;
  const d = q.data;
  return (
    <>
      <div className="gs-page-head">
        <h1>
          {t('quality.title')}：{info.data?.name ?? '…'}
        </h1>
        <Link to={`/pool/${id}`}>{t('quality.toPool')}</Link>
      </div>
      {d?.overdue && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('quality.overdueNotice', { at: fmt.dateTime(d.lastLoadedAt) })}
        />
      )}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {SCORES.map((k) => (
          <Col key={k} flex="1">
            <Card size="small">
              <Statistic
                title={t(`quality.score.${k}`)}
                value={d?.current ? d.current[k] * 100 : undefined}
                precision={1}
                suffix="%"
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('quality.overTime')} style={{ marginBottom: 16 }}>
        {d && <ScoreChart series={d.series} />}
      </Card>
      <Card size="small" title={t('quality.rules')}>
        <Table
          rowKey={(r) => `${r.field}-${r.rule}`}
          size="small"
          pagination={false}
          dataSource={d?.rules ?? []}
          locale={{ emptyText: t('quality.noViolations') }}
          columns={[
            { title: t('pool.rejected.field'), dataIndex: 'field' },
            {
              title: t('pool.rejected.rule'),
              dataIndex: 'rule',
              render: (r: string) => t(`pool.rule.${r}`, { defaultValue: r }),
            },
            { title: t('quality.violations'), dataIndex: 'violations', align: 'right' },
          ]}
        />
      </Card>
    </>
  );
}

export function OverduePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useOverdue();
  if (list.isError) return <LoadError error={list.error} />;
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('quality.overdueTitle')}</h1>
      </div>
      <Table<Overdue>
        rowKey="resourceId"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid="overdue"
        locale={{ emptyText: t('quality.noOverdue') }}
        columns={[
          {
            title: t('pool.resource'),
            key: 'name',
            render: (_, r) => <Link to={`/quality/${r.resourceId}`}>{r.name}</Link>,
          },
          { title: t('quality.provider'), dataIndex: 'providerName' },
          {
            title: t('pool.frequency'),
            dataIndex: 'updateFrequency',
            width: 100,
            render: (f: string) => t(`pool.freq.${f}`, { defaultValue: f }),
          },
          {
            title: t('pool.lastLoaded'),
            dataIndex: 'lastLoadedAt',
            width: 180,
            render: (d: string | null) => fmt.dateTime(d),
          },
          {
            title: t('quality.dueAt'),
            dataIndex: 'dueAt',
            width: 180,
            render: (d: string) => fmt.dateTime(d),
          },
          {
            title: t('quality.daysOverdue'),
            dataIndex: 'daysOverdue',
            width: 110,
            align: 'right',
            render: (n: number) => <Tag color={n > 7 ? 'red' : 'orange'}>{n}</Tag>,
          },
        ]}
      />
    </>
  );
}
