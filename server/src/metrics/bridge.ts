// Driver bridges (waterfalls): a gross profit's change from the base (previous period, last year,
// budget) to the period, in steps that add up exactly to it. Vehicle gross G = Σₘ uₘ gₘ over
// models m (units × gross per unit):
//   volume = (U¹ − U⁰) ḡ⁰                     more or fewer cars at the base's gross per car
//   mix    = U¹ (Σₘ sₘ¹ gₘ⁰ − ḡ⁰)             the models sold moving, at the base's gross per model
//   rate   = Σₘ uₘ¹ (gₘ¹ − gₘ⁰)                each model's gross per car moving, at today's cars
// with U the cars, ḡ = G/U, sₘ = uₘ/U; a model not sold in the base counts at the base's average
// gross ḡ⁰ (so the steps still add up exactly). Against the budget (set per store, not per model)
// there is no mix: volume and rate only. After-sales gross = repair orders × gross per order:
// volume and rate, the same way. Net profit and operating cash flow are composition bridges
// (composition.ts): the period's figure built up from its parts, each beside its base.
import { round } from '../contract/compare.ts';
import type { BridgeResponse } from '../contract/explain.ts';
import { BRIDGE_METRICS, type BridgeKind } from '../contract/vocabulary.ts';
import type { Bilingual } from '../contract/metrics.ts';
import type { Scope } from '../scope/scope.ts';
import type { MetricId } from '../contract/metric-ids.ts';
import type { MetricDefinition } from './catalog.ts';
import { measuresFor, termsValue } from './compiler.ts';
import { COMPOSITIONS, composition, type CompositionKind } from './composition.ts';
import { previousPeriod, yearAgo, type Bucket, type Period } from './periods.ts';

/** Each variance bridge: the figure (a sum metric), its volume (a sum metric) and whether a model mix splits it. */
const VARIANCES = {
  new_gross: {
    units: 'new_units',
    gross: 'new_gross_profit',
    byModel: true,
    label: { zh: '新车毛利', en: 'New-vehicle gross' },
  },
  used_gross: {
    units: 'used_units',
    gross: 'used_gross_profit',
    byModel: true,
    label: { zh: '二手车毛利', en: 'Used-vehicle gross' },
  },
  // After-sales gross (labour and parts, the counter's too) as repair orders × gross per order.
  aftersales_gross: {
    units: 'repair_orders',
    gross: 'aftersales_gross_profit',
    byModel: false,
    label: { zh: '售后毛利', en: 'After-sales gross' },
  },
} as const satisfies Record<
  string,
  { units: MetricId; gross: MetricId; byModel: boolean; label: { zh: string; en: string } }
>;
type VarianceKind = keyof typeof VARIANCES;

/** The bridge that explains each metric that has one. */
export const BRIDGE_OF_METRIC = Object.fromEntries(
  Object.entries(BRIDGE_METRICS).map(([kind, metric]) => [metric, kind]),
) as Partial<Record<MetricId, BridgeKind>>;

const BASE_LABELS: Record<'prev' | 'yoy' | 'budget', Bilingual> = {
  prev: { zh: '上期', en: 'Previous period' },
  yoy: { zh: '上年同期', en: 'Last year' },
  budget: { zh: '预算', en: 'Budget' },
};
const THIS_PERIOD: Bilingual = { zh: '本期', en: 'This period' };

const STEP_LABELS = {
  vehicles: {
    volume: { zh: '销量影响', en: 'Volume' },
    mix: { zh: '车型结构影响', en: 'Model mix' },
    rate: { zh: '单车毛利影响', en: 'Gross per unit' },
  },
  aftersales: {
    volume: { zh: '台次影响', en: 'Repair orders' },
    mix: { zh: '结构影响', en: 'Mix' },
    rate: { zh: '单台次毛利影响', en: 'Gross per repair order' },
  },
};

export async function bridge(
  scope: Scope,
  nodeId: string,
  kind: BridgeKind,
  period: Period,
  compare: 'prev' | 'yoy' | 'budget',
): Promise<BridgeResponse> {
  const base = compare === 'budget' ? period : compare === 'prev' ? previousPeriod(period) : yearAgo(period);
  if (kind in COMPOSITIONS) {
    const def = COMPOSITIONS[kind as CompositionKind];
    // As everywhere, the metrics (their domains) before the node.
    const metrics = {
      start: def.start ? scope.metric(def.start, 'kind') : null,
      end: scope.metric(def.end, 'kind'),
    };
    const node = await scope.node(nodeId);
    const parts = await composition(scope, node, kind as CompositionKind, period, base, compare, metrics);
    return {
      kind,
      label: def.label,
      shape: 'composition',
      node: { id: node.node_id, name: node.name, level: node.level },
      compare,
      from: period.from,
      to: period.to,
      base_from: base.from,
      base_to: base.to,
      start_label: metrics.start?.name ?? null,
      end_label: def.label,
      ...parts,
    };
  }
  return variance(scope, nodeId, kind as VarianceKind, period, base, compare);
}

async function variance(
  scope: Scope,
  nodeId: string,
  kind: VarianceKind,
  period: Period,
  basePeriod: Period,
  compare: 'prev' | 'yoy' | 'budget',
): Promise<BridgeResponse> {
  const { units, gross, label, byModel: splitByModel } = VARIANCES[kind];
  const labels = splitByModel ? STEP_LABELS.vehicles : STEP_LABELS.aftersales;
  // The bridge reads its figure's and its volume's domain: refused where not granted; as
  // everywhere, the metrics before the node.
  const grossMetric = scope.metric(gross, 'kind');
  const unitsMetric = scope.metric(units, 'kind');
  const node = await scope.node(nodeId);
  const termsOf = (m: MetricDefinition) => (m.formula.kind === 'sum' ? m.formula.terms : {});
  const current: Bucket = { key: 'current', ...period };
  const base: Bucket = { key: 'base', ...basePeriod };
  const periods = compare === 'budget' ? [current] : [current, base];
  const [byModel, coverage, targets] = await Promise.all([
    scope.measures(node, {
      measures: measuresFor([grossMetric, unitsMetric]),
      periods,
      grouping: splitByModel ? { by: 'product', level: 'model' } : { by: 'none' },
    }),
    scope.coverage(),
    compare === 'budget' ? scope.targets(node, [grossMetric, unitsMetric], [current]) : null,
  ]);
  const covered = periods.every((p) => coverage.covers(grossMetric, p) && coverage.covers(unitsMetric, p));
  const models = [...byModel.keys()];
  const metricOf = { [gross]: grossMetric, [units]: unitsMetric } as Record<string, MetricDefinition>;
  const of = (p: Bucket, m: string, id: string) =>
    termsValue(termsOf(metricOf[id]!), byModel.get(m)?.get(p.key) ?? {});
  const sum = (p: Bucket, id: string) => models.reduce((s, m) => s + of(p, m, id), 0);

  const U1 = sum(current, units);
  const G1 = sum(current, gross);
  const budget = targets?.get('current');
  const frame = {
    kind,
    label,
    shape: 'variance' as const,
    node: { id: node.node_id, name: node.name, level: node.level },
    compare,
    from: period.from,
    to: period.to,
    base_from: base.from,
    base_to: base.to,
    start_label: BASE_LABELS[compare],
    end_label: THIS_PERIOD,
  };
  const U0 = budget ? (budget.get(units) ?? null) : sum(base, units);
  const G0 = budget ? (budget.get(gross) ?? null) : sum(base, gross);
  if (!covered || U0 === null || G0 === null)
    return {
      ...frame,
      start: covered ? G0 : null,
      steps: [],
      end: covered ? round(G1) : null,
      reason: covered ? 'no_target' : 'no_data',
    };
  const g0 = U0 ? G0 / U0 : 0;
  const volume = (U1 - U0) * g0;
  let mix = 0;
  let rate: number;
  if (budget) {
    rate = U1 * ((U1 ? G1 / U1 : 0) - g0);
  } else {
    const baseRate = (m: string) => {
      const u = of(base, m, units);
      return u ? of(base, m, gross) / u : g0;
    };
    mix = models.reduce((s, m) => s + of(current, m, units) * baseRate(m), 0) - U1 * g0;
    rate = models.reduce((s, m) => s + of(current, m, gross) - of(current, m, units) * baseRate(m), 0);
  }
  const steps: BridgeResponse['steps'] = [
    { id: 'volume', label: labels.volume, value: round(volume) },
    ...(budget || !splitByModel ? [] : [{ id: 'mix' as const, label: labels.mix, value: round(mix) }]),
    { id: 'rate', label: labels.rate, value: round(rate) },
  ];
  return {
    ...frame,
    start: round(G0),
    steps,
    end: round(G1),
  };
}
