import { describe, expect, it } from 'vitest';
import type { Thresholds } from '../features/metrics/types.ts';
import { isImprovement, statusOf } from './status.ts';

const coefficient: Thresholds = { op: '>', warning: 1.5, critical: 2.0, basis: 'value', source: 'industry' };
const units: Thresholds = { op: '<', warning: 0.9, critical: 0.8, basis: 'attainment', source: 'suggested' };
const cashFlow: Thresholds = { op: '<', warning: 0, critical: 0, basis: 'value', periods: { warning: 2, critical: 3 }, source: 'suggested' };

describe('status from thresholds', () => {
  it('grades a value against warning and critical levels', () => {
    expect(statusOf(coefficient, { value: 1.2 })).toBe('good');
    expect(statusOf(coefficient, { value: 1.5 })).toBe('good');
    expect(statusOf(coefficient, { value: 1.7 })).toBe('warning');
    expect(statusOf(coefficient, { value: 2.3 })).toBe('critical');
  });
  it('grades attainment for attainment thresholds', () => {
    expect(statusOf(units, { value: 1000, budget: { target: 1000, attainment: 0.95 } })).toBe('good');
    expect(statusOf(units, { value: 850, budget: { target: 1000, attainment: 0.85 } })).toBe('warning');
    expect(statusOf(units, { value: 700, budget: { target: 1000, attainment: 0.7 } })).toBe('critical');
    expect(statusOf(units, { value: 700 })).toBe('none');
    expect(statusOf(units, { value: 700, budget: { target: 0, attainment: 0.7 } })).toBe('none');
  });
  it('judges levels that need consecutive periods on the last months, and not at all without them', () => {
    expect(statusOf(cashFlow, { value: -5 })).toBe('none');
    expect(statusOf(cashFlow, { value: -5 }, [-2])).toBe('none');
    expect(statusOf(cashFlow, { value: -5 }, [8, 3, -2, -5])).toBe('warning');
    expect(statusOf(cashFlow, { value: -5 }, [8, -3, -2, -5])).toBe('critical');
    expect(statusOf(cashFlow, { value: -5 }, [-3, -2, 4, -5])).toBe('good');
    expect(statusOf(cashFlow, { value: -5 }, [-3, null, -5])).toBe('none');
  });
  it('has no status without thresholds or a value', () => {
    expect(statusOf(null, { value: 3 })).toBe('none');
    expect(statusOf(coefficient, { value: null })).toBe('none');
  });
  it('reads a change by the metric direction', () => {
    expect(isImprovement(0.1, 'lower_is_better')).toBe(false);
    expect(isImprovement(-0.1, 'lower_is_better')).toBe(true);
    expect(isImprovement(0, 'higher_is_better')).toBe(null);
  });
});
