// Monthly scorecards (绩效考核): each unit's attainment of its targets on its role's metrics,
// turned into points by the role's definition (data, app.scorecard_definitions), plus penalties
// for PDCA tasks that ran overdue; league tables within the caller's scope, a unit's last months.
import type { Knex } from 'knex';
import {
  definitionBody,
  SCORECARD_ROLES,
  type ScorecardDefinition,
  type ScorecardRole,
  type ScorecardsResponse,
  type ScoredUnit,
} from '../contract/scorecards.ts';
import { HttpError } from '../errors.ts';
import { METRIC_BY_ID, personRoleOf, type MetricDefinition } from '../metrics/catalog.ts';
import { measuresFor, type MeasureValues } from '../metrics/compiler.ts';
import { personTargetsByPeriod, targetsByPeriod } from '../metrics/budget.ts';
import { endOfMonth, format, parseISO, subMonths } from '../metrics/date-fns.ts';
import type { Bucket } from '../metrics/periods.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { atWorkIn } from '../metrics/staff.ts';
import { parseBody } from '../validate.ts';

const linear = (gate: number, cap: number) => ({ kind: 'linear' as const, gate, cap });
const overdue = [{ kind: 'overdue_task' as const, points: -5 }];

/** A manager of a region or a store: volume, gross, after-sales, profit and F&I against the budget. */
const MANAGER_ITEMS: ScorecardDefinition['items'] = [
  { metric: 'new_units', weight: 0.25, scoring: linear(0.8, 1.2) },
  { metric: 'gross_profit', weight: 0.25, scoring: linear(0.8, 1.2) },
  { metric: 'aftersales_revenue', weight: 0.2, scoring: linear(0.8, 1.2) },
  { metric: 'net_profit', weight: 0.2, scoring: linear(0.5, 1.5) },
  { metric: 'finance_penetration', weight: 0.1, scoring: linear(0.8, 1.2) },
];

/** In force until a group user sets a role's own. */
export const DEFAULT_DEFINITIONS: Record<ScorecardRole, ScorecardDefinition> = {
  region_manager: { role: 'region_manager', items: MANAGER_ITEMS, adjustments: overdue },
  store_manager: { role: 'store_manager', items: MANAGER_ITEMS, adjustments: overdue },
  sales_consultant: {
    role: 'sales_consultant',
    items: [
      { metric: 'new_units', weight: 0.5, scoring: linear(0.6, 1.5) },
      { metric: 'new_gross_profit', weight: 0.3, scoring: linear(0.6, 1.5) },
      { metric: 'finance_penetration', weight: 0.2, scoring: linear(0.8, 1.2) },
    ],
    adjustments: overdue,
  },
  service_advisor: {
    role: 'service_advisor',
    items: [
      { metric: 'repair_orders', weight: 0.5, scoring: linear(0.6, 1.5) },
      { metric: 'service_gross_profit', weight: 0.3, scoring: linear(0.6, 1.5) },
      { metric: 'customer_pay_share', weight: 0.2, scoring: linear(0.8, 1.2) },
    ],
    adjustments: overdue,
  },
  fi_specialist: {
    role: 'fi_specialist',
    items: [
      { metric: 'finance_penetration', weight: 0.5, scoring: linear(0.8, 1.2) },
      { metric: 'insurance_penetration', weight: 0.5, scoring: linear(0.8, 1.2) },
    ],
    adjustments: overdue,
  },
};

/** The people a person role's scorecard is about, and the org level a manager role's is. */
const PERSON_ROLES: Partial<Record<ScorecardRole, string>> = {
  sales_consultant: 'sales_consultant',
  service_advisor: 'service_advisor',
  fi_specialist: 'fi_specialist',
};
const LEVEL: Partial<Record<ScorecardRole, 'region' | 'store'>> = {
  region_manager: 'region',
  store_manager: 'store',
};

/** The definitions in force: each role's latest, else its default. */
export async function definitions(knex: Knex): Promise<ScorecardDefinition[]> {
  const rows = (await knex('app.scorecard_definitions as d')
    .whereRaw('d.version = (SELECT max(version) FROM app.scorecard_definitions x WHERE x.role = d.role)')
    .select('role', 'definition')) as { role: ScorecardRole; definition: string }[];
  return SCORECARD_ROLES.map((role) => {
    const stored = rows.find((r) => r.role === role);
    return stored ? { role, ...JSON.parse(stored.definition) } : DEFAULT_DEFINITIONS[role];
  });
}

/** Whether a metric can be on a role's scorecard: it has targets, and for people it is theirs. */
function fitsRole(role: ScorecardRole, metric: MetricDefinition): string | null {
  const targetable = (metric.kind === 'sum' && metric.formula.kind === 'sum') || metric.kind === 'ratio';
  if (!targetable) return `${metric.id} is a ${metric.kind}: it has no targets`;
  if (role === 'sales_consultant' || role === 'service_advisor') {
    if (personRoleOf(metric) !== role) return `${metric.id} is not a ${role}'s own figure`;
  }
  if (role === 'fi_specialist' && metric.domain !== 'fi') return `${metric.id} is not an F&I figure`;
  return null;
}

/** Validates and stores a role's definition as its new version (group users only). */
export async function saveDefinition(
  knex: Knex,
  scope: Scope,
  role: ScorecardRole,
  body: unknown,
  now = new Date(),
): Promise<ScorecardDefinition> {
  if (scope.user.role !== 'group')
    throw new HttpError(403, 'forbidden', 'only group users change scorecard definitions');
  const input = parseBody(definitionBody, body);
  const total = input.items.reduce((s, i) => s + i.weight, 0);
  if (Math.abs(total - 1) > 1e-9)
    throw new HttpError(
      400,
      'invalid_body',
      `items: weights add up to ${Math.round(total * 1000) / 10}%, not 100%`,
      'items',
    );
  const seen = new Set<string>();
  for (const [i, item] of input.items.entries()) {
    if (seen.has(item.metric))
      throw new HttpError(400, 'invalid_body', `items.${i}: ${item.metric} is listed twice`, 'items');
    seen.add(item.metric);
    const problem = fitsRole(role, METRIC_BY_ID.get(item.metric)!);
    if (problem) throw new HttpError(400, 'invalid_body', `items.${i}: ${problem}`, 'items');
  }
  const definition: ScorecardDefinition = { role, ...input };
  await knex.transaction(async (trx) => {
    const latest = (await trx('app.scorecard_definitions').where({ role }).max({ v: 'version' })) as {
      v: number | null;
    }[];
    const v = latest[0]?.v;
    await trx('app.scorecard_definitions').insert({
      role,
      version: Number(v ?? 0) + 1,
      definition: JSON.stringify(input),
      set_by: scope.user.username,
      set_at: now.toISOString(),
    });
  });
  return definition;
}

interface Unit {
  id: string;
  name: string;
  store: string | null;
  store_type: string | null;
  /** Whose PDCA tasks count against the unit: the node (its tasks), or the person's user. */
  tasks: { node: string } | { assignee: string | null };
}

const monthBucket = (month: string): Bucket => {
  const from = `${month}-01`;
  return { key: month, from, to: format(endOfMonth(parseISO(from)), 'yyyy-MM-dd') };
};

/** The units of a role under a node: its regions or stores, or its people of the role at work in the month. */
async function unitsOf(knex: Knex, node: VettedNode, role: ScorecardRole, bucket: Bucket): Promise<Unit[]> {
  const level = LEVEL[role];
  if (level) {
    const rows = (await knex('dim_org as o')
      .join('org_closure as c', 'c.descendant_id', 'o.node_id')
      .where({ 'c.ancestor_id': node.node_id, 'o.level': level })
      .orderBy('o.node_id')
      .select('o.node_id', 'o.name', 'o.store_type')) as {
      node_id: string;
      name: string;
      store_type: string | null;
    }[];
    return rows.map((r) => ({
      id: r.node_id,
      name: r.name,
      store: null,
      store_type: r.store_type,
      tasks: { node: r.node_id },
    }));
  }
  const rows = (await knex('dim_staff as p')
    .join('org_closure as c', 'c.descendant_id', 'p.store_id')
    .leftJoin('app.users as u', 'u.staff_id', 'p.staff_id')
    .where({ 'c.ancestor_id': node.node_id, 'p.role': PERSON_ROLES[role]! })
    .andWhere(atWorkIn(bucket, 'p'))
    .orderBy('p.staff_id')
    .select('p.staff_id', 'p.name', 'p.store_id', 'u.username')) as {
    staff_id: string;
    name: string;
    store_id: string;
    username: string | null;
  }[];
  return rows.map((r) => ({
    id: r.staff_id,
    name: r.name,
    store: r.store_id,
    store_type: null,
    tasks: { assignee: r.username },
  }));
}

/** Tasks of the unit due in the month (and by now) that were not closed by their due date. */
async function overdueTasks(
  knex: Knex,
  units: Unit[],
  bucket: Bucket,
  now: Date,
): Promise<Map<string, number>> {
  const nextMonth = format(subMonths(parseISO(bucket.from), -1), 'yyyy-MM-dd');
  const due = (await knex('app.tasks as t')
    .where('t.due_at', '>=', bucket.from)
    .where('t.due_at', '<', nextMonth)
    .where('t.due_at', '<', now.toISOString())
    .whereNotExists((q) =>
      q
        .select(knex.raw('1'))
        .from('app.task_events as e')
        .whereRaw('e.task_id = t.task_id')
        .where({ 'e.kind': 'transition', 'e.to_status': 'closed' })
        .whereRaw('e.happened_at <= t.due_at'),
    )
    .select('t.node_id', 't.assignee')) as { node_id: string; assignee: string }[];
  return new Map(
    units.map((u) => [
      u.id,
      due.filter((t) => ('node' in u.tasks ? t.node_id === u.tasks.node : t.assignee === u.tasks.assignee))
        .length,
    ]),
  );
}

/** Scores one month: each unit's items, adjustments and total; ranks by total (best 1). */
async function scoreMonth(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  definition: ScorecardDefinition,
  month: string,
  only?: string,
): Promise<{ rows: ScoredUnit[]; of: number }> {
  const bucket = monthBucket(month);
  const role = definition.role;
  const metrics = definition.items.map((i) => METRIC_BY_ID.get(i.metric)!);
  const units = await unitsOf(knex, node, role, bucket);
  const ids = units.map((u) => u.id);
  // An F&I specialist is measured on the F&I figures of their store.
  const storeFigures = role === 'fi_specialist';
  const valuesOf = (values: MeasureValues, u: Unit) => values.get(storeFigures ? u.store! : u.id)?.get(month);
  const [coverage, values, targets, overdueCount] = await Promise.all([
    scope.coverage(),
    scope.leagueMeasures(
      node,
      LEVEL[role]
        ? { by: 'level', level: LEVEL[role] }
        : storeFigures
          ? { by: 'level', level: 'store' }
          : { by: 'staff' },
      { measures: measuresFor(metrics), periods: [bucket] },
    ),
    LEVEL[role] || storeFigures
      ? targetsByPeriod(knex, storeFigures ? [...new Set(units.map((u) => u.store!))] : ids, metrics, [
          bucket,
        ])
      : personTargetsByPeriod(knex, ids, metrics, [bucket]),
    overdueTasks(knex, units, bucket, new Date()),
  ]);
  const rows = units.map((u): ScoredUnit => {
    const measures = valuesOf(values, u) ?? {};
    const target = (m: string) =>
      targets
        .get(month)
        ?.get(storeFigures ? u.store! : u.id)
        ?.get(m) ?? null;
    const items = definition.items.map((item) => {
      const metric = METRIC_BY_ID.get(item.metric)!;
      const actual = coverage.value(metric, measures, bucket);
      const t = target(item.metric);
      // Lower is better: target / actual, and none at all (0 days, 0%) is as good as it gets.
      const attainment =
        actual === null || t === null || t <= 0
          ? null
          : metric.direction === 'lower_is_better'
            ? actual > 0
              ? t / actual
              : item.scoring.cap
            : actual / t;
      return {
        metric: item.metric,
        weight: item.weight,
        actual,
        target: t,
        attainment,
        points: null as number | null,
      };
    });
    // Items without an actual or a target are left out and the others' weights rescaled to 100%,
    // as long as they carry at least half the card: a store without most of its targets (a used-car
    // centre on a 4S manager's card) is not scored on the rest.
    const withTarget = items.filter((i) => i.attainment !== null);
    const weight = withTarget.reduce((s, i) => s + i.weight, 0);
    const scored = weight >= MIN_SCORED_WEIGHT ? withTarget : [];
    for (const i of scored) {
      const { gate, cap } = definition.items.find((d) => d.metric === i.metric)!.scoring;
      i.points = i.attainment! < gate ? 0 : round2(Math.min(i.attainment!, cap) * 100 * (i.weight / weight));
    }
    const adjustments = definition.adjustments.map((a) => {
      const count = overdueCount.get(u.id) ?? 0;
      return { kind: a.kind, count, points: count * a.points };
    });
    const score = scored.length
      ? round2(scored.reduce((s, i) => s + i.points!, 0) + adjustments.reduce((s, a) => s + a.points, 0))
      : null;
    return {
      id: u.id,
      name: u.name,
      store: u.store,
      store_type: u.store_type,
      month,
      score,
      rank: null,
      of: 0,
      items,
      adjustments,
    };
  });
  // Stores are ranked like with like, among their own type; people among all of the role.
  const scoredRows = rows.filter((r) => r.score !== null);
  for (const r of rows) {
    const peers = scoredRows.filter((x) => x.store_type === r.store_type);
    r.of = peers.length;
    r.rank = r.score === null ? null : peers.filter((x) => x.score! > r.score!).length + 1;
  }
  rows.sort(
    (a, b) =>
      (a.store_type ?? '').localeCompare(b.store_type ?? '') ||
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      a.id.localeCompare(b.id),
  );
  return { rows: only ? rows.filter((r) => r.id === only) : rows, of: scoredRows.length };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Items with a target must carry at least this share of a card's weight for it to be scored. */
const MIN_SCORED_WEIGHT = 0.5;

/**
 * The league of a role under a node for a month, or (with `unit`) that unit's card over the
 * months to it. A staff user gets their own card at their own store only, with their rank.
 */
export async function scorecards(
  knex: Knex,
  scope: Scope,
  query: { node: string; period: string; role?: ScorecardRole; unit?: string; months: number },
): Promise<ScorecardsResponse> {
  const role =
    query.role ?? ((await scope.node(query.node)).level === 'store' ? 'sales_consultant' : 'store_manager');
  const q = { ...query, role, month: query.period };
  // As everywhere, the metrics (of the role's scorecard) are checked before the node.
  const definition = (await definitions(knex)).find((d) => d.role === q.role)!;
  for (const item of definition.items) scope.metric(item.metric, 'role');
  const node = await scope.node(q.node);
  const own = scope.user.role === 'staff' ? scope.user.staff_id! : undefined;
  if (own && (q.unit ?? own) !== own)
    throw new HttpError(403, 'staff_out_of_scope', 'a staff user reads their own scorecard only', 'unit');
  const unit = own ?? q.unit;
  const { rows, of } = await scoreMonth(knex, scope, node, definition, q.month, undefined);
  const shown = unit ? rows.filter((r) => r.id === unit) : rows;
  if (unit && shown.length === 0)
    throw new HttpError(
      400,
      'unknown_unit',
      `${unit} is no ${q.role} scored under ${node.node_id} in ${q.month}`,
      'unit',
    );
  const result: ScorecardsResponse = { role: q.role, month: q.month, of, rows: shown };
  if (unit) {
    const months = Array.from({ length: q.months }, (_, i) =>
      format(subMonths(parseISO(`${q.month}-01`), q.months - 1 - i), 'yyyy-MM'),
    );
    result.history = (
      await Promise.all(months.map((m) => scoreMonth(knex, scope, node, definition, m, unit)))
    ).flatMap((r) => r.rows);
  }
  return result;
}
