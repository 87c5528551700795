// The chart library, loaded on demand (its own chunk) and kept once it has arrived, so a chart
// mounted after that starts at once instead of a task later. Once it has arrived it draws one
// small chart out of sight while the browser is idle (the login form being filled in, a page's
// data on its way): ECharts sets up each kind of series and component the first time it meets
// it, which made the first page's trend chart take twice as long to lay out.
import type { echarts as ECharts } from './echarts.ts';

/** The page's own typeface (styles.css): the charts' Chinese labels look like the page's, and are
 *  measured in one font (ECharts' default sans-serif falls back glyph by glyph, slowly). */
export const CHART_TEXT = {
  fontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif",
};

let library: typeof ECharts | null = null;

/** Starts loading the chart library (while a page's data is on its way). */
export const loadCharts = (): Promise<typeof ECharts> =>
  import('./echarts.ts').then((module) => {
    if (!library) whenIdle(() => warmUp(module.echarts));
    return (library = module.echarts);
  });

/** The chart library if it has arrived. */
export const loadedCharts = (): typeof ECharts | null => library;

const whenIdle = (task: () => void) =>
  'requestIdleCallback' in window ? requestIdleCallback(task, { timeout: 1000 }) : setTimeout(task, 0);

/** The kinds the dashboard draws (lines with level lines, labelled bars, legend, tooltip), drawn once. */
function warmUp(echarts: typeof ECharts): void {
  const el = document.createElement('div');
  el.setAttribute('aria-hidden', 'true');
  el.style.cssText = 'position:absolute;left:-10000px;top:0;width:400px;height:200px';
  document.body.append(el);
  const chart = echarts.init(el, undefined, { renderer: 'canvas', width: 400, height: 200 });
  chart.setOption({
    textStyle: CHART_TEXT,
    animation: false,
    legend: {},
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: ['一月', '二月'] },
    yAxis: { type: 'value' },
    series: [
      { name: '实际', type: 'line', data: [1, 2], markLine: { data: [{ yAxis: 1 }] } },
      { name: '排名', type: 'bar', data: [1, 2], label: { show: true } },
    ],
  });
  chart.dispose();
  el.remove();
}
