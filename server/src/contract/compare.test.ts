// The meaning of a comparison, worked by hand.
import { describe, expect, it } from 'vitest';
import {
  budgetStatus,
  cardStatus,
  changeStatus,
  compareWith,
  compareWithTarget,
  signMove,
  thresholdStatus,
  type MetricTraits,
} from './compare.ts';

const profit: MetricTraits = {
  unit: 'yuan',
  direction: 'higher_is_better',
  thresholds: { op: '<', warning: 0, basis: 'value', source: 'suggested' },
};
const share: MetricTraits = {
  unit: 'percent',
  direction: 'lower_is_better',
  thresholds: { op: '>', warning: 0.2, critical: 0.35, basis: 'value', source: 'suggested' },
};
const units: MetricTraits = {
  unit: 'units',
  direction: 'higher_is_better',
  thresholds: { op: '<', warning: 0.9, critical: 0.8, basis: 'attainment', source: 'suggested' },
};

describe('compareWith', () => {
  it('gives a relative change only on a positive base', () => {
    expect(compareWith('units', 120, 100)).toEqual({ value: 100, delta: 20, change: 0.2 });
    // A turn to a loss on a positive base has a change (screens name it 由盈转亏 instead: signMove).
    expect(compareWith('yuan', -2_870_000, 100)).toEqual({ value: 100, delta: -2_870_100, change: -28701 });
    expect(compareWith('yuan', -2_870_000, -100)).toEqual({
      value: -100,
      delta: -2_869_900,
      change: null,
      reason: 'base_not_positive',
    });
    expect(compareWith('yuan', 50, 0)).toMatchObject({
      delta: 50,
      change: null,
      reason: 'base_not_positive',
    });
    expect(compareWith('yuan', -300, -200)).toMatchObject({
      delta: -100,
      change: null,
      reason: 'base_not_positive',
    });
  });
  it('moves a percentage by points, never by a percentage of itself', () => {
    expect(compareWith('percent', 0.45, 0.4)).toEqual({
      value: 0.4,
      delta: 0.05,
      change: null,
      reason: 'percentage_points',
    });
  });
  it('has nothing to say without both figures', () => {
    expect(compareWith('units', 5, null)).toEqual({
      value: null,
      delta: null,
      change: null,
      reason: 'no_data',
    });
    expect(compareWith('units', null, 5)).toEqual({ value: 5, delta: null, change: null, reason: 'no_data' });
  });
});

describe('compareWithTarget', () => {
  it('attains only a positive target; the variance stands always', () => {
    expect(compareWithTarget(80, 100)).toEqual({ target: 100, variance: -20, attainment: 0.8 });
    expect(compareWithTarget(-50, -100)).toEqual({
      target: -100,
      variance: 50,
      attainment: null,
      reason: 'no_target',
    });
    expect(compareWithTarget(10, null)).toEqual({
      target: null,
      variance: null,
      attainment: null,
      reason: 'no_target',
    });
    expect(compareWithTarget(null, 100)).toMatchObject({ attainment: null, reason: 'no_data' });
  });
});

describe('status', () => {
  it('grades values against thresholds', () => {
    expect(thresholdStatus(share.thresholds, { value: 0.1 })).toBe('good');
    expect(thresholdStatus(share.thresholds, { value: 0.25 })).toBe('warning');
    expect(thresholdStatus(share.thresholds, { value: 0.4 })).toBe('critical');
    expect(thresholdStatus(units.thresholds, { value: 70, attainment: 0.7 })).toBe('critical');
    expect(thresholdStatus(share.thresholds, { value: null })).toBe('no_data');
  });
  it('grades a change by how far it went the wrong way: 5% amber, 15% red, a turn to a loss red', () => {
    expect(changeStatus(profit, compareWith('yuan', 96, 100))).toBe('good');
    expect(changeStatus(profit, compareWith('yuan', 90, 100))).toBe('warning');
    expect(changeStatus(profit, compareWith('yuan', 80, 100))).toBe('critical');
    expect(changeStatus(profit, compareWith('yuan', -10, 100))).toBe('critical');
    expect(changeStatus(profit, compareWith('yuan', 120, 100))).toBe('good');
    expect(changeStatus(share, compareWith('percent', 0.22, 0.2))).toBe('warning'); // 2 points worse
  });
  it('grades a budget by attainment, or by the variance against a non-positive target', () => {
    expect(budgetStatus(profit, compareWithTarget(95, 100))).toBe('warning');
    expect(budgetStatus(profit, compareWithTarget(85, 100))).toBe('critical');
    expect(budgetStatus(units, compareWithTarget(85, 100))).toBe('warning'); // its own 90% / 80%
    expect(budgetStatus(profit, compareWithTarget(-150, -100))).toBe('critical');
    expect(budgetStatus(profit, compareWithTarget(-50, -100))).toBe('good');
  });
  it('colours a card by the chosen comparison and the value thresholds, the worse of them', () => {
    // Profit up on last year but at 23% of budget: green for 同比, red for 预算.
    const kpi = { value: 23, yoy: compareWith('yuan', 23, 20), budget: compareWithTarget(23, 100) };
    expect(cardStatus(profit, kpi, 'yoy')).toBe('good');
    expect(cardStatus(profit, kpi, 'budget')).toBe('critical');
    // A loss is red whatever the comparison says.
    expect(cardStatus(profit, { value: -5, yoy: compareWith('yuan', -5, -50) }, 'yoy')).toBe('warning');
    expect(cardStatus(profit, { value: null }, 'yoy')).toBe('no_data');
  });
});

describe('signMove', () => {
  it('names the moves a percentage cannot describe', () => {
    expect(signMove('yuan', -10, 5)).toBe('turned_to_loss');
    expect(signMove('yuan', 10, -5)).toBe('turned_to_profit');
    expect(signMove('yuan', -10, -5)).toBe('loss_widened');
    expect(signMove('yuan', -2, -5)).toBe('loss_narrowed');
    expect(signMove('yuan', 10, 5)).toBeNull();
    expect(signMove('percent', -0.1, 0.1)).toBeNull();
  });
});
