import { describe, expect, it } from 'vitest';
import { METRIC_DOMAINS } from '../../../../server/src/contract/metric-ids.ts';
import { metricInfos } from '../../../../server/src/metrics/definitions.ts';
import { METRICS, supportsProduct } from '../../../../server/src/metrics/catalog.ts';
import { isForecastable as serverForecastable } from '../../../../server/src/forecast/series.ts';
import {
  FORECAST_METRICS,
  hasProductSplit,
  lastWholeMonthEnd,
  monthEndBefore,
  monthsEnding,
} from './forecastable.ts';

describe('forecastable metrics', () => {
  it('are the ones the server forecasts, and split by product where the server does', () => {
    expect([...FORECAST_METRICS].sort()).toEqual(
      METRICS.filter(serverForecastable)
        .map((m) => m.id)
        .sort(),
    );
    for (const info of metricInfos(METRIC_DOMAINS))
      expect(hasProductSplit(info), info.id).toBe(supportsProduct(METRICS.find((m) => m.id === info.id)!));
  });
});

describe('forecast months', () => {
  it('start after the last whole month', () => {
    expect(lastWholeMonthEnd('2026-10-31')).toBe('2026-10-31');
    expect(lastWholeMonthEnd('2026-11-15')).toBe('2026-10-31');
    expect(lastWholeMonthEnd('2026-03-01')).toBe('2026-02-28');
    expect(monthEndBefore('2026-10-31', 6)).toBe('2026-04-30');
    expect(monthEndBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsEnding('2026-10-31', 24)).toEqual({ from: '2024-11-01', to: '2026-10-31' });
    expect(monthsEnding('2026-10-31', 6)).toEqual({ from: '2026-05-01', to: '2026-10-31' });
  });
});
