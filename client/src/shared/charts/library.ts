// The chart library, loaded on demand (its own chunk) and kept once it has arrived, so a chart
// mounted after that starts at once instead of a task later. Once it has arrived it draws the
// dashboard's own kinds of chart out of sight while the browser is idle (the login form being
// filled in, a page's data on its way): ECharts sets up each kind of series and component the
// first time it meets it, and its code runs slowly until the engine has seen it run, which made
// the first page's trend chart take two to three times as long to draw as the next one.
import type { echarts as ECharts } from './echarts.ts';
import { rankingOption, trendOption } from './options.ts';

/** The page's own typeface (styles.css): the charts' Chinese labels look like the page's, and are
 *  measured in one font (ECharts' default sans-serif falls back glyph by glyph, slowly). */
export const CHART_TEXT = {
  fontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif",
};

let library: typeof ECharts | null = null;

/** Starts loading the chart library (while a page's data is on its way). */
export const loadCharts = (): Promise<typeof ECharts> =>
  import('./echarts.ts').then((module) => {
    if (!library) warmUp(module.echarts);
    return (library = module.echarts);
  });

/** The chart library if it has arrived. */
export const loadedCharts = (): typeof ECharts | null => library;

const whenIdle = (task: () => void) =>
  'requestIdleCallback' in window ? requestIdleCallback(task, { timeout: 1000 }) : setTimeout(task, 0);

/** A trend and a ranking like the overview's, from the same option builders, each drawn twice. */
const WARM_UP = [
  trendOption(
    Array.from({ length: 12 }, (_, i) => ({
      period: `2025-${String(i + 1).padStart(2, '0')}`,
      value: i === 3 ? null : 1000 + i * 37,
      yoy: 900 + i * 41,
      target: 1100,
    })),
    {
      unit: 'units',
      lang: 'zh',
      actual: '实际',
      lastYear: '去年同期',
      budget: '预算',
      levels: [{ value: 1050, name: '预警 1,050', status: 'warning' }],
    },
  ),
  rankingOption(
    ['华东事业部', '华南事业部', '华北事业部', '西南事业部'].map((name, i) => ({
      id: `D${i}`,
      name,
      value: 800 - i * 90,
      status: i === 3 ? 'critical' : 'good',
    })),
    { unit: 'units', lang: 'zh', name: '新车销量', reference: { value: 600, label: '均值' } },
  ),
];

function warmUp(echarts: typeof ECharts): void {
  for (const option of [...WARM_UP, ...WARM_UP])
    whenIdle(() => {
      // A page's own chart drawn first has warmed the engine already.
      if (document.querySelector('[data-chart-ready="true"]')) return;
      const el = document.createElement('div');
      el.setAttribute('aria-hidden', 'true');
      el.style.cssText = 'position:absolute;left:-10000px;top:0;width:800px;height:300px';
      document.body.append(el);
      const chart = echarts.init(el, undefined, { renderer: 'canvas', width: 800, height: 300 });
      chart.setOption({ ...option, textStyle: CHART_TEXT, animation: false });
      chart.dispose();
      el.remove();
    });
}
