// The client only maps compare.ts's verdicts to classes; these check that mapping, and that a card's
// colour follows the comparison chosen (the rules themselves are tested with compare.ts).
import { describe, expect, it } from 'vitest';
import { compareWith, compareWithTarget, type MetricTraits } from '../../../server/src/contract/compare.ts';
import { cardStatus, toneClass, toneOf, valueStatus } from './status.ts';

const coefficient: MetricTraits = {
  unit: 'multiple',
  direction: 'lower_is_better',
  thresholds: { op: '>', warning: 1.5, critical: 2.0, basis: 'value', source: 'industry' },
};
const units: MetricTraits = { unit: 'units', direction: 'higher_is_better', thresholds: null };
const cashFlow: MetricTraits = {
  unit: 'yuan',
  direction: 'higher_is_better',
  thresholds: {
    op: '<',
    warning: 0,
    critical: 0,
    basis: 'value',
    periods: { warning: 2, critical: 3 },
    source: 'suggested',
  },
};

describe('status classes', () => {
  it('reads a delta by the metric direction', () => {
    expect(toneOf(0.1, 'lower_is_better')).toBe('down-bad');
    expect(toneOf(-0.1, 'lower_is_better')).toBe('up-good');
    expect(toneOf(0, 'higher_is_better')).toBe('flat');
    expect(toneOf(null, 'higher_is_better')).toBe('flat');
    expect(toneClass(true)).toBe('up-good');
  });
  it("colours a card by the comparison chosen, the worse of it and the metric's own levels", () => {
    const kpi = {
      value: 900,
      budget: compareWithTarget(900, 1000),
      yoy: compareWith('units', 900, 800),
      prev: compareWith('units', 900, 1100),
    };
    expect(cardStatus(units, kpi, 'budget')).toBe('warning'); // 90% of budget
    expect(cardStatus(units, kpi, 'yoy')).toBe('good'); // +12.5%
    expect(cardStatus(units, kpi, 'prev')).toBe('critical'); // −18.2%
    const high = { value: 2.3, yoy: compareWith('multiple', 2.3, 2.4) };
    expect(cardStatus(coefficient, high, 'yoy')).toBe('critical'); // better than last year, still over its critical level
    expect(cardStatus(units, { value: null }, 'budget')).toBe('no_data');
  });
  it("judges a bar on the metric's own value levels only", () => {
    expect(valueStatus(coefficient, 1.7)).toBe('warning');
    expect(valueStatus(coefficient, null)).toBe('no_data');
    expect(valueStatus(units, 5)).toBe('no_data');
    expect(valueStatus(cashFlow, -5)).toBe('no_data'); // needs consecutive months
  });
});
