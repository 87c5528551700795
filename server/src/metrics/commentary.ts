// The written commentary (经营分析) for a node and period: a paragraph per key metric — its value
// against the budget and last year, the units (and, for vehicle figures, the models) that explain
// most of the change, and the drivers of its bridge — and one on the open critical risks. Every
// figure comes from the explanation, breakdown, bridge and alert list the API serves for the same
// node and period (the same functions), so a number in the text is a number on the screen.
import type { Knex } from 'knex';
import type { BridgeResponse, CommentaryResponse, ExplainResponse } from '../contract/explain.ts';
import type { MetricId } from '../contract/metric-ids.ts';
import type { Bilingual } from '../contract/metrics.ts';
import { formatValue } from '../contract/numbers.ts';
import { countAlertProblems, listAlerts } from '../risk/service.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { BRIDGE_OF_METRIC, bridge } from './bridge.ts';
import { METRIC_BY_ID, supportsProduct, type MetricDefinition } from './catalog.ts';
import { explain } from './explain.ts';
import type { Period } from './periods.ts';
import { breakdown } from './service.ts';
import { bilingual, bridgeSteps, movers, stepChanges, versus, versusBudget, type Lang } from './wording.ts';

/** The figures the monthly review opens with, in the order it reads them. */
const COMMENTARY_METRICS: readonly MetricId[] = [
  'new_units',
  'new_gross_profit',
  'aftersales_gross_profit',
  'net_profit',
  'operating_cash_flow',
];

/** How many open critical risks the paragraph names (the rest it counts). */
const RISKS_NAMED = 3;

export async function commentary(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  period: Period,
): Promise<CommentaryResponse> {
  // Only the figures of the domains the user is granted; a metric's paragraph reads nothing else.
  const metrics = COMMENTARY_METRICS.map((id) => METRIC_BY_ID.get(id)!).filter((m) =>
    scope.user.domains.includes(m.domain),
  );
  const sections = await Promise.all(
    metrics.map(async (metric) => ({
      metric: metric.id,
      text: await metricParagraph(knex, scope, node, metric, period),
    })),
  );
  return {
    node: { id: node.node_id, name: node.name, level: node.level },
    from: period.from,
    to: period.to,
    sections: [...sections, { metric: 'risks', text: await risksParagraph(knex, scope, node) }],
  };
}

async function metricParagraph(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  period: Period,
): Promise<Bilingual> {
  // The budget is the node's own target (what /api/kpi compares with); the change is explained.
  const [targets, yoy] = await Promise.all([
    scope.targets(node, [metric], [{ key: 'budget', ...period }]),
    explain(knex, scope, node, metric, period, 'yoy'),
  ]);
  const target = targets.get('budget')?.get(metric.id) ?? null;
  // The change is explained on last year; where the data holds no last year, on the period before.
  const compare = yoy.base !== null || yoy.value === null ? 'yoy' : 'prev';
  const bridgeKind = BRIDGE_OF_METRIC[metric.id];
  const [change, models, drivers] = await Promise.all([
    compare === 'yoy' ? yoy : explain(knex, scope, node, metric, period, 'prev'),
    supportsProduct(metric) && metric.formula.kind === 'sum'
      ? breakdown(knex, scope, node, metric, period, 'model', {
          sort: 'desc',
          limit: 1000,
          compare: [compare],
        })
      : null,
    bridgeKind ? bridge(scope, node.node_id, bridgeKind, period, compare) : null,
  ]);
  // The models' changes as shares of the node's (models add up to it, less rows without a model).
  const modelRows = (models?.rows ?? [])
    .map((r) => {
      const delta = r[compare]?.delta ?? null;
      return {
        name: r.name,
        contribution: delta,
        share_of_delta: delta !== null && change.delta ? delta / change.delta : null,
      };
    })
    .sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0));

  return bilingual((lang) => {
    const name = metric.name[lang];
    if (yoy.value === null)
      return lang === 'zh' ? `${name}：本期无数据。` : `${name}: no data for the period.`;
    const parts = [`${name} ${formatValue(yoy.value, metric.unit, lang)}`];
    if (target !== null) parts.push(versusBudget(metric, yoy.value, target, lang));
    if (compare === 'prev') parts.push(lang === 'zh' ? '无上年同期数据' : 'no data for last year');
    if (change.base === null) parts.push(lang === 'zh' ? '无上期数据' : 'no data for the previous period');
    else parts.push(versus(metric, yoy.value, change.base, compare, lang));
    let text = parts.join(lang === 'zh' ? '，' : ', ');
    if (change.delta) {
      const units = movers(metric.unit, change.delta, change.children, lang);
      if (units) text += lang === 'zh' ? `，其中${units}` : `; ${units}`;
      const byModel = movers(metric.unit, change.delta, modelRows.slice(0, 10), lang);
      if (byModel) text += lang === 'zh' ? `；车型上主要是${byModel}` : `; by model, ${byModel}`;
    }
    text += lang === 'zh' ? '。' : '.';
    if (drivers?.steps.length) text += driversSentence(drivers, change, lang);
    return text;
  });
}

/** What the bridge says moved the figure: its biggest steps. */
function driversSentence(b: BridgeResponse, change: ExplainResponse, lang: Lang): string {
  if (b.shape === 'variance') {
    const steps = bridgeSteps(b.steps, b.end! - b.start!, lang);
    return steps ? (lang === 'zh' ? `驱动因素：${steps}。` : ` Drivers: ${steps}.`) : '';
  }
  if (b.kind === 'operating_cash_flow') {
    // Cash against profit: the working capital that made the difference this period.
    const steps = bridgeSteps(b.steps, b.end! - b.start!, lang);
    const profit = `${lang === 'zh' ? '净利润' : 'net profit'} ${formatValue(b.start, 'yuan', lang)}`;
    if (!steps) return '';
    return lang === 'zh'
      ? `与${profit}相比，差异主要来自${steps}。`
      : ` Against ${profit}, the difference comes mainly from ${steps}.`;
  }
  if (!change.delta || b.base_end == null) return '';
  const steps = bridgeSteps(stepChanges(b), b.end! - b.base_end, lang);
  const against = b.compare === 'yoy' ? ['同比', 'on last year'] : ['环比', 'on the previous period'];
  if (!steps) return '';
  return lang === 'zh'
    ? `${against[0]}变动主要来自${steps}。`
    : ` The change ${against[1]} comes mainly from ${steps}.`;
}

async function risksParagraph(knex: Knex, scope: Scope, node: VettedNode): Promise<Bilingual> {
  const filter = { node, status: ['open' as const], level: ['critical' as const] };
  // The first alerts name the risks; the count is of them all.
  const [{ alerts }, { problems: total, metrics }] = await Promise.all([
    listAlerts(knex, scope, { ...filter, limit: 200 }),
    countAlertProblems(knex, scope, filter),
  ]);
  // One risk per node and metric (an alert repeated over comparisons is one problem); named by
  // metric, most urgent first, with the node where it is worst in the list's order and how many
  // nodes share it (a store's aged stock shows at its region and division too).
  const risks = alerts.filter((a) => a.group.first);
  const byMetric = new Map<string, typeof risks>();
  for (const a of risks) byMetric.set(a.metric.id, [...(byMetric.get(a.metric.id) ?? []), a]);
  const named = [...byMetric.values()].slice(0, RISKS_NAMED);
  // The nodes' English names (the alerts give the Chinese); every one lies within the scope.
  const english = new Map(
    await Promise.all(
      named.map(async ([a]) => [a!.node.id, (await scope.node(String(a!.node.id))).name_en] as const),
    ),
  );
  return bilingual((lang) => {
    if (!total) return lang === 'zh' ? '无未关闭的严重风险。' : 'No open critical risks.';
    const listed = named
      .map((group) => {
        const [first] = group;
        const metric = first!.metric.name?.[lang] ?? first!.metric.id;
        const value = formatValue(first!.value as number | null, first!.metric.unit ?? 'count', lang);
        const others = group.length - 1;
        if (lang === 'zh')
          return `${metric}（${first!.node.name} ${value}${others ? ` 等 ${group.length} 处` : ''}）`;
        const where = english.get(first!.node.id) || first!.node.name;
        return `${metric} (${where} ${value}${others ? `, ${group.length} places` : ''})`;
      })
      .join(lang === 'zh' ? '；' : '; ');
    const more = metrics - named.length;
    return lang === 'zh'
      ? `未关闭的严重风险 ${total} 项，涉及 ${metrics} 个指标：${listed}${more > 0 ? `；另有 ${more} 个指标` : ''}。`
      : `${total} open critical risk${total === 1 ? '' : 's'} on ${metrics} metric${metrics === 1 ? '' : 's'}: ${listed}${more > 0 ? `; ${more} more` : ''}.`;
  });
}
