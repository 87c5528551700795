// Risk evaluation, run after every committed load over the latest complete month: each enabled
// rule is judged at every node of the levels it applies to, over as many months back as its
// consecutive periods need. A breach opens an alert and its task (or refreshes the open one);
// tasks in Check move to Act once their metric has been back within threshold for the rule's
// consecutive months after the alert; overdue tasks are escalated.
import type { Knex } from 'knex';
import { targetsByPeriod } from '../metrics/budget.ts';
import { rollupOf } from '../metrics/rollup.ts';
import { METRIC_BY_ID, type MetricDefinition } from '../metrics/catalog.ts';
import { compareWith, compareWithTarget } from '../contract/compare.ts';
import { measuresFor, queryMeasures } from '../metrics/compiler.ts';
import { loadCoverage } from '../metrics/coverage.ts';
import { isPeer, peerGroups } from '../metrics/peers.ts';
import { IMPACT, impactYuan } from './impact.ts';
import { lastMonthEndOnOrBefore, monthsEndingIn, yearAgo, type Bucket } from '../metrics/periods.ts';
import { currentDataVersion } from '../etl-runs/service.ts';
import type { AlertLevel, OrgLevel } from '../contract/vocabulary.ts';
import { logger } from '../logger.ts';
import { ensureRules, listRules, type RiskRule } from './rules.ts';
import { addEvent, escalateOverdue, openTask, SYSTEM } from './tasks.ts';

export interface EvaluationSummary {
  /** The month judged (YYYY-MM); null when no data is loaded. */
  month: string | null;
  rules: number;
  breaches: number;
  raised: number;
  recovered: number;
  escalated: number;
  duration_ms: number;
}

/** One month of one rule at one node. */
export interface Judgement {
  month: string;
  value: number | null;
  /** What the rule compares with its levels (the value, attainment, change or deviations). */
  score: number | null;
  /** The warning and critical levels expressed in the metric's unit, where they can be. */
  thresholds: { warning: number | null; critical: number | null };
  level: AlertLevel | 'ok' | null;
  /** Money at stake (元), estimated for the last month judged when it is in breach (impact.ts). */
  impact_yuan: number | null;
}

/** The last month whose data is complete: the month of the data end if it is a month end, else the one before. */
export async function latestCompleteMonth(knex: Knex): Promise<string | null> {
  const row = (await knex('etl.runs').where({ status: 'loaded' }).max({ to: 'period_to' }).first()) as {
    to: string | null;
  };
  return row?.to ? lastMonthEndOnOrBefore(row.to).slice(0, 7) : null;
}

/** Every rule at every node of its levels, month by month (oldest first) over `months` months to `month`. */
export async function judge(
  knex: Knex,
  rules: readonly RiskRule[],
  month: string,
  months: number,
): Promise<Map<string, Judgement[]>> {
  const buckets = monthsEndingIn(`${month}-01`, months);
  const root = (await knex('dim_org').where({ level: 'group' }).first('node_id')) as
    { node_id: string } | undefined;
  const judged = new Map<string, Judgement[]>();
  if (!root) return judged;
  const coverage = await loadCoverage(knex);
  const rollup = await rollupOf(knex, (await currentDataVersion(knex)).run_id);
  const levels = [...new Set(rules.flatMap((r) => r.levels))] as OrgLevel[];
  for (const level of levels) {
    const atLevel = rules.filter((r) => r.levels.includes(level) && METRIC_BY_ID.has(r.metric_id));
    const metrics = [...new Set(atLevel.map((r) => METRIC_BY_ID.get(r.metric_id)!))];
    const yoy = atLevel.some((r) => r.comparison === 'yoy_change');
    const lastYear = yoy ? buckets.map((b) => ({ ...yearAgo(b), key: `yoy:${b.key}` })) : [];
    const impactMeasures = metrics.flatMap((m) => IMPACT[m.id]?.measures ?? []);
    const values = await queryMeasures(knex, {
      measures: [...new Set([...measuresFor(metrics), ...impactMeasures])],
      node: root.node_id,
      periods: [...buckets, ...lastYear],
      grouping: { by: 'level', level },
      rollup,
    });
    const nodes = (await knex('dim_org').where({ level }).pluck('node_id')) as string[];
    const budgeted = [
      ...new Set(
        atLevel.filter((r) => r.comparison === 'attainment').map((r) => METRIC_BY_ID.get(r.metric_id)!),
      ),
    ];
    const byPeriod = await targetsByPeriod(knex, nodes, budgeted, buckets);
    const targetOf = (node: string, metric: MetricDefinition, b: Bucket) =>
      byPeriod.get(b.key)?.get(node)?.get(metric.id) ?? null;
    const valueAt = (metric: MetricDefinition, node: string, b: Bucket) =>
      coverage.value(metric, values.get(node)?.get(b.key) ?? {}, b);

    for (const rule of atLevel) {
      const metric = METRIC_BY_ID.get(rule.metric_id)!;
      // Peers: the nodes of the same peer group (same store type, and brand where it drives the
      // metric) with a value that month.
      const groups =
        rule.comparison === 'peer_deviation'
          ? await peerGroups(knex, level, metric, buckets.at(-1)!.to)
          : null;
      const peerStats = (node: string, b: Bucket) => {
        const own = groups!.get(node)!;
        return medianAndMad(
          nodes
            .filter((n) => isPeer(groups!.get(n)!, own))
            .map((n) => valueAt(metric, n, b))
            .filter((v): v is number => v !== null),
        );
      };
      const below = (x: number | null) => rule.floor !== null && (x === null || x < rule.floor);
      /** Whether the figure the rule is relative to lies under its floor that month. */
      const belowFloor = (node: string, value: number | null, i: number) => {
        if (rule.floor === null || value === null) return false;
        if (rule.comparison === 'yoy_change') return below(valueAt(metric, node, lastYear[i]!));
        if (rule.comparison === 'attainment') return below(targetOf(node, metric, buckets[i]!));
        return rule.comparison === 'peer_deviation' && below(value);
      };
      for (const node of nodes) {
        const series = buckets.map((b, i): Judgement => {
          const value = valueAt(metric, node, b);
          let score: number | null = null;
          // Maps a level (in the rule's terms) back to the metric's unit.
          let toValue: (level: number) => number | null;
          if (rule.comparison === 'value') {
            score = value;
            toValue = (l) => l;
          } else if (rule.comparison === 'attainment') {
            const target = targetOf(node, metric, b);
            const attained = compareWithTarget(value, target).attainment;
            score = below(target) ? null : attained;
            toValue = (l) => (attained !== null ? l * target! : null);
          } else if (rule.comparison === 'yoy_change') {
            // A relative change on last year; for a percentage, the change in points.
            const base = valueAt(metric, node, lastYear[i]!);
            const compared = compareWith(metric.unit, value, base);
            const points = metric.unit === 'percent';
            score = below(base) ? null : points ? compared.delta : compared.change;
            toValue = (l) => (score === null ? null : points ? base! + l : base! * (1 + l));
          } else {
            const peer = peerStats(node, b);
            score =
              value !== null && !below(value) && peer && peer.mad > 0
                ? (value - peer.median) / peer.mad
                : null;
            toValue = (l) => (peer && peer.mad > 0 ? peer.median + l * peer.mad : null);
          }
          return {
            month: b.key,
            value,
            score,
            thresholds: {
              warning: toValue(rule.warning),
              critical: rule.critical === null ? null : toValue(rule.critical),
            },
            // Under the floor the relative comparison is no concern: within threshold (a task in Check can recover).
            level: belowFloor(node, value, i) ? 'ok' : levelOf(rule, score),
            impact_yuan: null,
          };
        });
        if (!series.some((j) => j.value !== null)) continue;
        const latest = series.at(-1)!;
        if (latest.value !== null && (latest.level === 'warning' || latest.level === 'critical')) {
          const b = buckets.at(-1)!;
          latest.impact_yuan = impactYuan(metric.id, {
            m: values.get(node)?.get(b.key) ?? {},
            value: latest.value,
            warning: latest.thresholds.warning,
            month: b,
            breachValues: series
              .slice(series.findIndex((j) => j.month === breachStart(series)))
              .map((j) => j.value ?? 0),
          });
        }
        judged.set(`${rule.rule_id}|${node}`, series);
      }
    }
  }
  return judged;
}

const breaches = (op: RiskRule['op'], score: number, level: number) =>
  op === '>' ? score > level : score < level;

function levelOf(rule: RiskRule, score: number | null): Judgement['level'] {
  if (score === null) return null;
  if (rule.critical !== null && breaches(rule.op, score, rule.critical)) return 'critical';
  return breaches(rule.op, score, rule.warning) ? 'warning' : 'ok';
}

function medianAndMad(values: number[]): { median: number; mad: number } | null {
  if (values.length < 3) return null;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const m = median(values);
  return { median: m, mad: median(values.map((v) => Math.abs(v - m))) };
}

/** The level a rule's series reaches at its last month: each level needs its consecutive months in breach. */
export function reached(rule: RiskRule, series: readonly Judgement[]): AlertLevel | null {
  const last = (n: number) => series.slice(-n);
  const all = (n: number, ok: (j: Judgement) => boolean) => series.length >= n && last(n).every(ok);
  if (rule.critical !== null && all(rule.critical_periods, (j) => j.level === 'critical')) return 'critical';
  if (all(rule.warning_periods, (j) => j.level === 'warning' || j.level === 'critical')) return 'warning';
  return null;
}

interface OpenAlert {
  alert_id: number;
  rule_id: number;
  node_id: string;
  level: AlertLevel;
  period: string;
  task_id: number | null;
  task_status: string | null;
}

export async function evaluateRisks(knex: Knex, options: { now?: Date } = {}): Promise<EvaluationSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  await ensureRules(knex);
  const month = await latestCompleteMonth(knex);
  const rules = await listRules(knex, { enabled: true });
  const summary: EvaluationSummary = {
    month,
    rules: rules.length,
    breaches: 0,
    raised: 0,
    recovered: 0,
    escalated: 0,
    duration_ms: 0,
  };
  if (month && rules.length) {
    const months = Math.max(...rules.map((r) => Math.max(r.warning_periods, r.critical_periods)));
    const judged = await judge(knex, rules, month, months);
    const ruleById = new Map(rules.map((r) => [r.rule_id, r]));

    await knex.transaction(async (trx) => {
      // Read in the transaction that writes: an alert closed meanwhile is not refreshed as open.
      const open = (await trx('app.alerts as a')
        .leftJoin('app.tasks as t', 't.alert_id', 'a.alert_id')
        .where('a.status', 'open')
        .select(
          'a.alert_id',
          'a.rule_id',
          'a.node_id',
          'a.level',
          'a.period',
          't.task_id',
          't.status as task_status',
        )) as OpenAlert[];
      const openByKey = new Map(open.map((a) => [`${a.rule_id}|${a.node_id}`, a]));
      for (const [key, series] of judged) {
        const rule = ruleById.get(Number(key.slice(0, key.indexOf('|'))))!;
        const node = key.slice(key.indexOf('|') + 1);
        const latest = series.at(-1)!;
        const level = reached(rule, series);
        const alert = openByKey.get(key);
        if (level) summary.breaches += 1;
        if (level && !alert) {
          await raise(trx, rule, node, series, level, now);
          summary.raised += 1;
        } else if (alert) {
          await trx('app.alerts')
            .where({ alert_id: alert.alert_id })
            .update({
              last_period: latest.month,
              value: latest.value,
              score: latest.score,
              threshold: latest.thresholds[level ?? alert.level],
              level: level === 'critical' ? 'critical' : alert.level,
              impact_yuan: latest.impact_yuan ?? null,
              within: latest.level === 'ok',
              last_seen: now.toISOString(),
            });
          if (alert.task_status === 'check' && alert.task_id !== null) {
            summary.recovered += (await check(trx, rule, alert, series, now)) ? 1 : 0;
          }
        }
      }
    });
  }
  summary.escalated = await escalateOverdue(knex, now);
  await knex.raw(`INSERT OR REPLACE INTO app.settings VALUES ('risk_evaluated_run', ?)`, [
    String((await currentDataVersion(knex)).run_id),
  ]);
  summary.duration_ms = Date.now() - started;
  logger.info(summary, `risk rules judged ${month ?? '(no data)'}: ${summary.raised} alerts raised`);
  return summary;
}

/** Evaluates when the data loaded last has not been judged yet (a load made before the rules existed, or an evaluation that failed). */
export async function evaluateIfStale(knex: Knex): Promise<EvaluationSummary | null> {
  const { run_id: runId } = await currentDataVersion(knex);
  const done = (await knex('app.settings').where({ key: 'risk_evaluated_run' }).first('value')) as
    { value: string } | undefined;
  if (runId === null || done?.value === String(runId)) return null;
  return evaluateRisks(knex);
}

/** The first month of the run of breaches the series ends with (within the months judged). */
function breachStart(series: readonly Judgement[]): string {
  let i = series.length - 1;
  while (i > 0 && (series[i - 1]!.level === 'warning' || series[i - 1]!.level === 'critical')) i -= 1;
  return series[i]!.month;
}

async function raise(
  knex: Knex,
  rule: RiskRule,
  node: string,
  series: readonly Judgement[],
  level: AlertLevel,
  now: Date,
): Promise<void> {
  const latest = series.at(-1)!;
  const [row] = (await knex('app.alerts')
    .insert({
      rule_id: rule.rule_id,
      node_id: node,
      metric_id: rule.metric_id,
      status: 'open',
      level,
      period: breachStart(series),
      last_period: latest.month,
      value: latest.value,
      threshold: latest.thresholds[level],
      score: latest.score,
      within: false,
      impact_yuan: latest.impact_yuan,
      first_seen: now.toISOString(),
      last_seen: now.toISOString(),
    })
    .returning('alert_id')) as { alert_id: number }[];
  await openTask(
    knex,
    { alert_id: Number(row!.alert_id), node_id: node, metric_id: rule.metric_id, level },
    now,
  );
}

/** Check: back within threshold (not merely below critical) for the rule's consecutive months, all after the alert's month → Act. */
async function check(
  knex: Knex,
  rule: RiskRule,
  alert: OpenAlert,
  series: readonly Judgement[],
  now: Date,
): Promise<boolean> {
  const needed = series.slice(-rule.warning_periods);
  const recovered =
    needed.length === rule.warning_periods && needed.every((j) => j.level === 'ok' && j.month > alert.period);
  const latest = series.at(-1)!;
  const taskId = Number(alert.task_id);
  if (!recovered) {
    await addEvent(
      knex,
      taskId,
      {
        actor: SYSTEM,
        kind: 'check',
        from_status: null,
        to_status: null,
        note: `${latest.month}: ${latest.level === 'ok' ? `within threshold, ${rule.warning_periods} month(s) after ${alert.period} needed` : `still in breach (${describe(latest)})`}`,
      },
      now,
    );
    return false;
  }
  const moved = await knex('app.tasks')
    .where({ task_id: taskId, status: 'check' })
    .update({ status: 'act', updated_at: now.toISOString() });
  if (!moved) return false;
  await addEvent(
    knex,
    taskId,
    {
      actor: SYSTEM,
      kind: 'transition',
      from_status: 'check',
      to_status: 'act',
      note: `within threshold for ${rule.warning_periods} month(s) to ${latest.month} (${describe(latest)})`,
    },
    now,
  );
  return true;
}

const describe = (j: Judgement) =>
  `value ${j.value === null ? '—' : round(j.value)}, warning at ${j.thresholds.warning === null ? '—' : round(j.thresholds.warning)}`;
const round = (x: number) => Math.round(x * 10_000) / 10_000;
