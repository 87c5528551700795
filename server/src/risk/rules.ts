// Risk rules as data (app.risk_rules): seeded from the metric catalog's thresholds (the KPI
// dictionary) plus two relative rules, then listed, added, changed and disabled by group users.
import type { Knex } from 'knex';
import { newRuleBody, patchRuleBody, type Rule } from '../contract/risk.ts';
import { ORG_LEVELS, type OrgLevel, type RuleComparison } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../validate.ts';
import { METRIC_BY_ID, METRICS } from '../metrics/catalog.ts';

/** A rule as stored and as the API gives it (contract/risk.ts). */
export type RiskRule = Rule;

type NewRule = Omit<RiskRule, 'rule_id' | 'updated_by' | 'updated_at'>;

const ALL_LEVELS: OrgLevel[] = [...ORG_LEVELS];

/**
 * How the dictionary's thresholds start out as rules. The brief's risk topics — stock, turnover of
 * receivables and payables, cash flow, profitability, leverage, credit — are on; a month of losses
 * is common in a dealership, so a loss alerts after three in a row. The sales, F&I, funnel and
 * after-sales levels are performance targets: they colour the KPI cards and start as disabled
 * rules a group turns on after calibrating them against its own history. So do net margin and
 * expenses to gross profit: where vehicles sell near cost and OEM rebates carry the profit (most
 * Chinese dealers today) they breach at nearly every store and would bury the real risks.
 */
const RISK_DOMAINS = new Set(['finance', 'inventory']);
const PROFITABILITY = new Set(['net_profit', 'net_margin', 'expense_to_gross']);
const CALIBRATE_FIRST = new Set(['net_margin', 'expense_to_gross']);

/**
 * Floors of the seeded relative rules: a DSO that rose 118% from 0.2 days, a store whose aged
 * stock is 6% against peers at 2%, or a month with a target of 3 cars, is not worth a task.
 */
const FLOORS: Partial<Record<string, Partial<Record<RuleComparison, number>>>> = {
  dso: { yoy_change: 10 },
  aged_stock_share_90: { peer_deviation: 0.1 },
  new_units: { attainment: 10 },
};

/** The dictionary's thresholds, one rule per metric, and the two relative rules of the brief. */
export function seedRules(): NewRule[] {
  const fromCatalog = METRICS.filter((m) => m.thresholds).map((m): NewRule => {
    const t = m.thresholds!;
    const months = PROFITABILITY.has(m.id) ? 3 : 1;
    return {
      metric_id: m.id,
      comparison: t.basis,
      op: t.op,
      warning: t.warning,
      critical: t.critical ?? null,
      warning_periods: t.periods?.warning ?? months,
      critical_periods: t.periods?.critical ?? t.periods?.warning ?? months,
      levels: ALL_LEVELS,
      floor: FLOORS[m.id]?.[t.basis] ?? null,
      enabled: RISK_DOMAINS.has(m.domain) && !CALIBRATE_FIRST.has(m.id),
      source: t.source,
      note: null,
    };
  });
  return [
    ...fromCatalog,
    {
      metric_id: 'dso',
      comparison: 'yoy_change',
      op: '>',
      warning: 0.2,
      critical: 0.5,
      warning_periods: 1,
      critical_periods: 1,
      levels: ALL_LEVELS,
      floor: FLOORS.dso!.yoy_change!,
      enabled: true,
      source: 'suggested',
      note: 'DSO up more than 20% on the same month last year',
    },
    {
      metric_id: 'aged_stock_share_90',
      comparison: 'peer_deviation',
      op: '>',
      warning: 2,
      critical: 3,
      warning_periods: 1,
      critical_periods: 1,
      levels: ['store'],
      floor: FLOORS.aged_stock_share_90!.peer_deviation!,
      enabled: true,
      source: 'suggested',
      note: 'aged stock share above the median store by more than twice the median absolute deviation',
    },
  ];
}

/**
 * Seeds the rules into an empty table, and later the seeded rules of metrics that have no rule
 * yet (a metric added to the catalog, e.g. rebate days outstanding). Rules are never deleted, only
 * disabled, so a metric without any rule never had one.
 */
export async function ensureRules(knex: Knex): Promise<void> {
  const ruled = new Set((await knex('app.risk_rules').distinct('metric_id').pluck('metric_id')) as string[]);
  for (const rule of seedRules()) if (!ruled.has(rule.metric_id)) await insertRule(knex, rule, 'system');
}

export async function listRules(knex: Knex, where: { enabled?: boolean } = {}): Promise<RiskRule[]> {
  const rows = (await knex('app.risk_rules').where(where).orderBy('rule_id').select('*')) as RiskRule[];
  return rows.map((r) => ({ ...r, rule_id: Number(r.rule_id) }));
}

export async function findRule(knex: Knex, ruleId: number): Promise<RiskRule | null> {
  const row = (await knex('app.risk_rules').where({ rule_id: ruleId }).first('*')) as RiskRule | undefined;
  return row ? { ...row, rule_id: Number(row.rule_id) } : null;
}

async function insertRule(knex: Knex, rule: NewRule, by: string): Promise<number> {
  const [row] = (await knex('app.risk_rules')
    .insert({
      ...rule,
      levels: knex.raw('?::VARCHAR[]', [rule.levels]),
      updated_by: by,
      updated_at: new Date().toISOString(),
    })
    .returning('rule_id')) as { rule_id: number }[];
  return Number(row!.rule_id);
}

// ---- API input: the body of POST /api/rules (all fields) and PATCH /api/rules/:id (any of them).

const SHARE = /_share(_\d+)?$|_penetration$/;

/** A rule that can never be breached, or whose levels contradict each other, is refused. */
function checkRule(rule: NewRule): void {
  const metric = METRIC_BY_ID.get(rule.metric_id);
  if (!metric) throw new HttpError(400, 'unknown_metric', `unknown metric "${rule.metric_id}"`, 'metric_id');
  const bad = (param: string, message: string) => new HttpError(400, 'impossible_threshold', message, param);
  const { op, warning, critical } = rule;
  if (critical !== null && (op === '>' ? critical < warning : critical > warning)) {
    throw bad(
      'critical',
      `critical level ${critical} is milder than the warning level ${warning} for a "${op}" rule`,
    );
  }
  if (rule.critical_periods < rule.warning_periods)
    throw bad('critical_periods', 'critical_periods must be at least warning_periods');
  const levels = [warning, ...(critical === null ? [] : [critical])];
  // A share of a whole (aged stock, overdue receivables, penetration) lies between 0 and 1; other
  // percentages (margins, expenses to gross, debt to assets) can go beyond either end.
  const impossible = levels.find((l) => (op === '>' ? l >= 1 : l <= 0));
  if (rule.comparison === 'value' && SHARE.test(metric.id) && impossible !== undefined) {
    throw bad(
      'warning',
      `${metric.id} is a share between 0 and 1: a "${op}" level of ${impossible} can never be breached`,
    );
  }
  if (rule.comparison === 'attainment' && (op === '<' ? warning <= 0 : false))
    throw bad('warning', 'attainment is never below 0');
  if (rule.comparison === 'yoy_change' && op === '<' && levels.some((l) => l <= -1))
    throw bad('warning', 'a fall of 100% or more is impossible');
  if (rule.comparison === 'peer_deviation' && levels.some((l) => (op === '>' ? l <= 0 : l >= 0))) {
    throw bad(
      'warning',
      `peer deviation counts median absolute deviations ${op === '>' ? 'above' : 'below'} the median: use a level ${op === '>' ? 'above' : 'below'} 0`,
    );
  }
  if (rule.floor !== null && rule.comparison === 'value')
    throw bad(
      'floor',
      'a floor applies to relative rules (attainment, yoy_change, peer_deviation), not to a value rule',
    );
  if (rule.comparison === 'attainment' && metric.kind !== 'sum' && metric.kind !== 'balance') {
    throw bad('comparison', `${metric.id} is a ${metric.kind} metric: budgets are set for sums and balances`);
  }
}

export async function createRule(knex: Knex, body: unknown, by: string): Promise<RiskRule> {
  const input = parseBody(newRuleBody, body);
  const rule: NewRule = {
    ...input,
    critical_periods: input.critical_periods ?? input.warning_periods,
    source: 'custom',
  };
  checkRule(rule);
  return (await findRule(knex, await insertRule(knex, rule, by)))!;
}

export async function updateRule(knex: Knex, ruleId: number, body: unknown, by: string): Promise<RiskRule> {
  const current = await findRule(knex, ruleId);
  if (!current) throw new HttpError(404, 'not_found', `no rule ${ruleId}`, 'id');
  const changes = parseBody(patchRuleBody, body);
  const { rule_id: _id, updated_by: _by, updated_at: _at, ...rest } = current;
  const next: NewRule = { ...rest, ...changes };
  checkRule(next);
  await knex('app.risk_rules')
    .where({ rule_id: ruleId })
    .update({
      ...changes,
      ...(changes.levels ? { levels: knex.raw('?::VARCHAR[]', [changes.levels]) } : {}),
      updated_by: by,
      updated_at: new Date().toISOString(),
    });
  return (await findRule(knex, ruleId))!;
}
