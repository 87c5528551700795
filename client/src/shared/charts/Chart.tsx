// Renders an ECharts option; the option itself comes from a pure toOption function (options.ts).
// ECharts is imported on first use (library.ts). The container says when the chart has drawn
// (data-chart-ready) so tests and benchmarks read a finished chart; animation is off for
// automated browsers.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { EChartsCoreOption, ECharts } from 'echarts/core';
import { CHART_TEXT, loadCharts, loadedCharts } from './library.ts';

export interface ChartHandle {
  toPng(): string | null;
}

interface Props {
  option: EChartsCoreOption;
  height: number | string;
  /** Called with the clicked data item's name and its `id` (if the series data carries one). */
  onItemClick?: (item: { name: string; id?: string; dataIndex: number }) => void;
  /** Called when the pointer comes onto a data item (to fetch what a click would open). */
  onItemHover?: (item: { name: string; id?: string; dataIndex: number }) => void;
  label: string;
}

const reducedMotion = () =>
  navigator.webdriver || window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export const Chart = forwardRef<ChartHandle, Props>(function Chart(
  { option, height, onItemClick, onItemHover, label },
  ref,
) {
  const el = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const hoverRef = useRef(onItemHover);
  hoverRef.current = onItemHover;

  const optionRef = useRef(option);
  optionRef.current = option;
  /** The option on screen, so the chart is not drawn twice with the same one. */
  const drawn = useRef<EChartsCoreOption | null>(null);
  const draw = (instance: ECharts, next: EChartsCoreOption) => {
    if (drawn.current === next) return;
    drawn.current = next;
    el.current?.setAttribute('data-chart-ready', 'false');
    instance.setOption(
      {
        ...next,
        textStyle: { ...CHART_TEXT, ...(next.textStyle as object | undefined) },
        animation: !reducedMotion(),
      },
      { notMerge: true },
    );
  };

  useImperativeHandle(
    ref,
    () => ({
      toPng: () => chart?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null,
    }),
    [chart],
  );

  useEffect(() => {
    let disposed = false;
    let instance: ECharts | undefined;
    let observer: ResizeObserver | undefined;
    const start = (echarts: NonNullable<ReturnType<typeof loadedCharts>>) => {
      if (disposed || !el.current) return;
      const container = el.current;
      // The chart is made, and later resized, at the size the observer reports after layout:
      // ECharts reading the element's size itself forces a layout (~10 ms a chart), and a chart
      // laid out at zero size breaks some layouts (a map's transform cannot be inverted), so a
      // hidden chart waits until it is shown.
      observer = new ResizeObserver(([entry]) => {
        // Whole pixels: a fractional canvas size blurs the drawing.
        const width = Math.round(entry!.contentRect.width);
        const height = Math.round(entry!.contentRect.height);
        if (!width || !height) return;
        if (instance) {
          instance.resize({ width, height });
          return;
        }
        instance = echarts.init(container, undefined, { renderer: 'canvas', width, height });
        const item = (params: unknown) => {
          const p = params as { name: string; dataIndex: number; data?: { id?: string } };
          return { name: p.name, id: p.data?.id, dataIndex: p.dataIndex };
        };
        instance.on('click', (params) => clickRef.current?.(item(params)));
        instance.on('mouseover', (params) => hoverRef.current?.(item(params)));
        instance.on('finished', () => container.setAttribute('data-chart-ready', 'true'));
        // Browser tests and the UI benchmark find bars through the instance (canvas has no DOM per bar).
        if (navigator.webdriver) Object.assign(container, { echartsInstance: instance });
        draw(instance, optionRef.current);
        setChart(instance);
      });
      observer.observe(container);
    };
    const loaded = loadedCharts();
    if (loaded) start(loaded);
    else void loadCharts().then(start);
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);

  useEffect(() => {
    if (chart) draw(chart, option);
  }, [chart, option]);

  return (
    <div
      ref={el}
      className={onItemClick ? 'chart clickable' : 'chart'}
      style={{ height }}
      role="img"
      aria-label={label}
      data-chart-ready="false"
    />
  );
});
