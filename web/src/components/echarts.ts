/** ECharts for the portal, tree-shaken: the pieces our charts use, registered once. */
import { useEffect, useRef, type RefObject } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  CanvasRenderer,
]);

/**
 * A chart living in the returned element's ref: created on mount, resized with its box, disposed on
 * unmount.
 */
export function useEChart(): {
  ref: RefObject<HTMLDivElement | null>;
  chart: RefObject<echarts.ECharts | null>;
} {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
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
  return { ref, chart };
}

/**
 * The last `days` calendar days in China (the server groups by Asia/Shanghai), oldest first, so
 * quiet days show as gaps rather than disappearing.
 */
export function chinaDaysBack(days: number): string[] {
  const now = Date.now() + 8 * 3600_000;
  return Array.from({ length: days }, (_, i) =>
    new Date(now - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}
