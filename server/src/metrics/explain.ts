// Why did it move: each unit below a node's contribution to the change of a metric against the
// previous period, last year or the budget. Additive metrics: the units' own changes, which add up
// to the node's exactly (measures add up). Ratios Σa/Σb: the node's rate is the units' rates
// weighted by their share of the denominator, R = Σ wᵢ rᵢ, and its change splits exactly as
//   ΔR = Σ w̄ᵢ Δrᵢ  +  Σ Δwᵢ (r̄ᵢ − R̄)        (w̄, r̄, R̄: the two periods' means; Σ Δwᵢ = 0)
// into each unit's rate effect and mix effect (docs/metrics.md).
import type { Knex } from 'knex';
import { round } from '../contract/compare.ts';
import type { ExplainResponse, ExplainedUnit } from '../contract/explain.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import type { MetricDefinition } from './catalog.ts';
import { measuresFor, scaleFactor, termsValue, type MeasureValues } from './compiler.ts';
import type { MeasureId } from './measures.ts';
import { previousPeriod, yearAgo, type Bucket, type Period } from './periods.ts';
import { explanationText } from './wording.ts';

type Measures = Partial<Record<MeasureId, number>>;

export async function explain(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  period: Period,
  compare: 'prev' | 'yoy' | 'budget',
): Promise<ExplainResponse> {
  const current: Bucket = { key: 'current', ...period };
  const base: Bucket =
    compare === 'budget'
      ? { key: 'base', ...period }
      : { key: 'base', ...(compare === 'prev' ? previousPeriod(period) : yearAgo(period)) };
  const children = (await knex('dim_org')
    .where({ parent_id: node.node_id })
    .orderBy('node_id')
    .select('node_id', 'name', 'name_en')) as { node_id: string; name: string; name_en: string | null }[];
  const periods = compare === 'budget' ? [current] : [current, base];
  const measures = measuresFor([metric]);
  const [byChild, total, coverage, childTargets, ownTargets] = await Promise.all([
    children.length
      ? scope.measures(node, { measures, periods, grouping: { by: 'children' } })
      : (new Map() as MeasureValues),
    scope.measures(node, { measures, periods, grouping: { by: 'none' } }),
    scope.coverage(),
    compare === 'budget' && children.length ? scope.childTargets(node, [metric], period) : null,
    compare === 'budget' ? scope.targets(node, [metric], [current]) : null,
  ]);
  const at = (values: MeasureValues, id: string, p: Bucket): Measures | undefined =>
    values.get(id)?.get(p.key);
  const valueOf = (m: Measures | undefined, p: Bucket) => coverage.value(metric, m ?? {}, p);

  const value = valueOf(at(total, '', current), current);
  const parentBase =
    compare === 'budget'
      ? (ownTargets!.get('current')?.get(metric.id) ?? null)
      : valueOf(at(total, '', base), base);
  const delta = value === null || parentBase === null ? null : round(value - parentBase);
  const f = metric.formula;
  const decomposition =
    f.kind === 'sum' ? 'additive' : f.kind === 'ratio' && compare !== 'budget' ? 'ratio' : 'none';

  const units = children.map((c) => {
    const now = at(byChild, c.node_id, current);
    const before = compare === 'budget' ? undefined : at(byChild, c.node_id, base);
    const v = valueOf(now, current);
    const b =
      compare === 'budget' ? (childTargets!.get(c.node_id)?.get(metric.id) ?? null) : valueOf(before, base);
    return { c, now, before, v, b };
  });

  let rows: ExplainedUnit[];
  if (decomposition === 'ratio' && f.kind === 'ratio') {
    // Each unit's numerator and denominator in both periods; rates carry their period's scale.
    const part = (m: Measures | undefined, p: Bucket) => {
      const den = termsValue(f.denominator, m ?? {});
      return { num: termsValue(f.numerator, m ?? {}) * scaleFactor(f.scale, p), den };
    };
    const totals = [current, base].map((p) =>
      units.reduce((s, u) => s + part(p === current ? u.now : u.before, p).den, 0),
    );
    const R = [value ?? 0, parentBase ?? 0];
    const Rmean = (R[0]! + R[1]!) / 2;
    rows = units.map(({ c, now, before, v, b }) => {
      const x1 = part(now, current);
      const x0 = part(before, base);
      const w1 = totals[0] ? x1.den / totals[0] : 0;
      const w0 = totals[1] ? x0.den / totals[1] : 0;
      // A unit without a denominator in one period has no rate there: its rate there is taken as
      // the other's, so its whole contribution is the weight it gained or lost (still exact).
      const r1 = x1.den ? x1.num / x1.den : x0.den ? x0.num / x0.den : 0;
      const r0 = x0.den ? x0.num / x0.den : r1;
      const rate = ((w1 + w0) / 2) * (r1 - r0);
      const mix = (w1 - w0) * ((r1 + r0) / 2 - Rmean);
      const contribution = rate + mix;
      return {
        id: c.node_id,
        name: c.name,
        name_en: c.name_en,
        value: v,
        base: b,
        delta: v === null || b === null ? null : round(v - b),
        rate_effect: round(rate),
        mix_effect: round(mix),
        contribution: delta === null ? null : round(contribution),
        share_of_delta: delta ? round(contribution / delta) : null,
      };
    });
  } else {
    rows = units.map(({ c, v, b }) => {
      const d = v === null || b === null ? null : round(v - b);
      return {
        id: c.node_id,
        name: c.name,
        name_en: c.name_en,
        value: v,
        base: b,
        delta: d,
        contribution: decomposition === 'additive' ? d : null,
        share_of_delta: decomposition === 'additive' && d !== null && delta ? round(d / delta) : null,
      };
    });
  }
  // The biggest movers first, either way.
  rows.sort((a, b) => Math.abs(b.contribution ?? b.delta ?? 0) - Math.abs(a.contribution ?? a.delta ?? 0));
  const result: Omit<ExplainResponse, 'text'> = {
    metric: metric.id,
    node: { id: node.node_id, name: node.name, level: node.level },
    unit: metric.unit,
    compare,
    from: period.from,
    to: period.to,
    base_from: base.from,
    base_to: base.to,
    value,
    base: parentBase,
    delta,
    decomposition,
    children: rows,
    ...(value === null
      ? { reason: 'no_data' as const }
      : compare === 'budget' && parentBase === null
        ? { reason: 'no_target' as const }
        : {}),
  };
  return { ...result, text: explanationText(metric, result) };
}
