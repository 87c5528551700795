// Renders an ECharts option; the option itself comes from a pure toOption function (options.ts).
// ECharts is imported on first use. The container says when the chart has drawn (data-chart-ready)
// so tests and benchmarks read a finished chart; animation is off for automated browsers.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { EChartsCoreOption, ECharts } from 'echarts/core';

export interface ChartHandle {
  toPng(): string | null;
}

interface Props {
  option: EChartsCoreOption;
  height: number | string;
  /** Called with the clicked data item's name and its `id` (if the series data carries one). */
  onItemClick?: (item: { name: string; id?: string; dataIndex: number }) => void;
  label: string;
}

const reducedMotion = () => navigator.webdriver || window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export const Chart = forwardRef<ChartHandle, Props>(function Chart({ option, height, onItemClick, label }, ref) {
  const el = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;

  useImperativeHandle(ref, () => ({ toPng: () => chart?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null }), [chart]);

  useEffect(() => {
    let disposed = false;
    let instance: ECharts | undefined;
    let observer: ResizeObserver | undefined;
    void import('./echarts.ts').then(({ echarts }) => {
      if (disposed || !el.current) return;
      instance = echarts.init(el.current, undefined, { renderer: 'canvas' });
      instance.on('click', (params) => {
        const p = params as { name: string; dataIndex: number; data?: { id?: string } };
        clickRef.current?.({ name: p.name, id: p.data?.id, dataIndex: p.dataIndex });
      });
      instance.on('finished', () => el.current?.setAttribute('data-chart-ready', 'true'));
      observer = new ResizeObserver(() => instance?.resize());
      observer.observe(el.current);
      // Browser tests and the UI benchmark find bars through the instance (canvas has no DOM per bar).
      if (navigator.webdriver) Object.assign(el.current, { echartsInstance: instance });
      setChart(instance);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);

  useEffect(() => {
    if (!chart) return;
    el.current?.setAttribute('data-chart-ready', 'false');
    chart.setOption({ ...option, animation: !reducedMotion() }, { notMerge: true });
  }, [chart, option]);

  return <div ref={el} className={onItemClick ? 'chart clickable' : 'chart'} style={{ height }} role="img" aria-label={label} data-chart-ready="false" />;
});
