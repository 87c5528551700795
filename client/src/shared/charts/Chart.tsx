// Renders an ECharts option; the option itself comes from a pure toOption function (options.ts).
// ECharts is imported on first use (library.ts). The container says when the chart has drawn
// (data-chart-ready) so tests and benchmarks read a finished chart; animation is off for
// automated browsers.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { EChartsCoreOption, ECharts } from 'echarts/core';
import { loadCharts, loadedCharts } from './library.ts';

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

const sizeOf = (element: HTMLElement | null) => `${element?.clientWidth}×${element?.clientHeight}`;

const hasSize = (element: HTMLElement | null) =>
  !!element && element.clientWidth > 0 && element.clientHeight > 0;

/** The page's own typeface (styles.css): the charts' Chinese labels look like the page's, and are
 *  measured in one font (ECharts' default sans-serif falls back glyph by glyph, slowly). */
const CHART_TEXT = {
  fontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif",
};

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

  /** An option that arrived while the element had no size: drawn once it has one. */
  const pending = useRef<EChartsCoreOption | null>(null);
  const draw = (instance: ECharts, next: EChartsCoreOption) => {
    pending.current = null;
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
      instance = echarts.init(el.current, undefined, { renderer: 'canvas' });
      const item = (params: unknown) => {
        const p = params as { name: string; dataIndex: number; data?: { id?: string } };
        return { name: p.name, id: p.data?.id, dataIndex: p.dataIndex };
      };
      instance.on('click', (params) => clickRef.current?.(item(params)));
      instance.on('mouseover', (params) => hoverRef.current?.(item(params)));
      instance.on('finished', () => el.current?.setAttribute('data-chart-ready', 'true'));
      // A chart laid out at zero size breaks some ECharts layouts (a map's transform cannot be
      // inverted): draw only at a real size, and catch up when the element gets one.
      // The observer also reports the size the chart was made at: that needs no second layout.
      let size = sizeOf(el.current);
      observer = new ResizeObserver(() => {
        if (!hasSize(el.current)) return;
        if (pending.current) draw(instance!, pending.current);
        else if (sizeOf(el.current) !== size) instance?.resize();
        size = sizeOf(el.current);
      });
      observer.observe(el.current);
      // Browser tests and the UI benchmark find bars through the instance (canvas has no DOM per bar).
      if (navigator.webdriver) Object.assign(el.current, { echartsInstance: instance });
      setChart(instance);
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
    if (!chart) return;
    if (hasSize(el.current)) draw(chart, option);
    else pending.current = option;
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
