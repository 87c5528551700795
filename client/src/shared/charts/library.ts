// The chart library, loaded on demand (its own chunk) and kept once it has arrived, so a chart
// mounted after that starts at once instead of a task later.
import type { echarts as ECharts } from './echarts.ts';

let library: typeof ECharts | null = null;

/** Starts loading the chart library (while a page's data is on its way). */
export const loadCharts = (): Promise<typeof ECharts> =>
  import('./echarts.ts').then((module) => (library = module.echarts));

/** The chart library if it has arrived. */
export const loadedCharts = (): typeof ECharts | null => library;
