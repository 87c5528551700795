// Reading alerts and tasks: every query is restricted through the caller's Scope, so nobody sees
// a risk at a node or on a metric their KPIs would not show them.
import type { Knex } from 'knex';
import { HttpError } from '../errors.ts';
import { METRIC_BY_ID } from '../metrics/catalog.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { describePeople } from '../auth/people.ts';
import type { Person } from '../contract/risk.ts';
import { TASK_STATUSES, type AlertLevel, type TaskStatus } from '../contract/vocabulary.ts';
import { nextStatuses, type TaskEvent } from './tasks.ts';

export interface AlertFilter {
  node?: VettedNode;
  status?: ('open' | 'closed')[];
  level?: ('warning' | 'critical')[];
  /** Closed on a day of this window (dates YYYY-MM-DD, both included). */
  closedBetween?: { from: string; to: string };
  limit: number;
}

export interface TaskFilter {
  assignee?: string;
  node?: VettedNode;
  status?: TaskStatus[];
  limit: number;
}

const LEVEL_ORDER = `CASE a.level WHEN 'critical' THEN 0 ELSE 1 END`;

/** Alerts joined with their rule, node and task: the shape both lists and task pages show. */
function alertRows(knex: Knex, scope: Scope) {
  return scope
    .restrict(
      knex('app.alerts as a')
        .join('app.risk_rules as r', 'r.rule_id', 'a.rule_id')
        .join('dim_org as o', 'o.node_id', 'a.node_id')
        .leftJoin('app.tasks as t', 't.alert_id', 'a.alert_id'),
      'a.node_id',
      'a.metric_id',
      't.assignee',
    )
    .select(
      'a.alert_id',
      'a.status',
      'a.level',
      'a.period',
      'a.last_period',
      'a.value',
      'a.threshold',
      'a.score',
      'a.within',
      'a.impact_yuan',
      'a.first_seen',
      'a.last_seen',
      'a.closed_at',
      'a.metric_id',
      'a.node_id',
      'o.name as node_name',
      'o.level as node_level',
      'o.parent_id',
      'r.rule_id',
      'r.comparison',
      'r.op',
      'r.warning',
      'r.critical',
      'r.warning_periods',
      'r.critical_periods',
      'r.floor',
      't.task_id',
      't.status as task_status',
      't.assignee',
      't.due_at',
    );
}

type AlertRow = Record<string, unknown> & {
  metric_id: string;
  task_id: number | null;
  assignee: string | null;
};

/** The assignees of the rows, by name and job title. */
const assigneesOf = (knex: Knex, rows: AlertRow[]) =>
  describePeople(
    knex,
    rows.flatMap((r) => (r.assignee ? [r.assignee] : [])),
  );

/** `storeFiguresHidden`: for a staff user working a task handed to them, the store's own figures
 *  (the value, the level it was judged against, the money at stake) stay out: they read their own only. */
function shapeAlert(row: AlertRow, people: Map<string, Person>, storeFiguresHidden = false) {
  const metric = METRIC_BY_ID.get(row.metric_id);
  const figure = <T>(value: T): T | null => (storeFiguresHidden ? null : value);
  return {
    id: Number(row.alert_id),
    status: row.status,
    level: row.level,
    period: row.period,
    last_period: row.last_period,
    value: figure(row.value),
    threshold: figure(row.threshold),
    score: figure(row.score),
    within: row.within,
    impact_yuan: figure(
      row.impact_yuan === null || row.impact_yuan === undefined ? null : Number(row.impact_yuan),
    ),
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    closed_at: row.closed_at,
    metric: {
      id: row.metric_id,
      name: metric?.name ?? null,
      domain: metric?.domain ?? null,
      unit: metric?.unit ?? null,
      direction: metric?.direction ?? null,
    },
    node: { id: row.node_id, name: row.node_name, level: row.node_level, parent_id: row.parent_id },
    rule: {
      id: Number(row.rule_id),
      comparison: row.comparison,
      op: row.op,
      warning: row.warning,
      critical: row.critical,
      warning_periods: row.warning_periods,
      critical_periods: row.critical_periods,
      floor: row.floor ?? null,
    },
    task:
      row.task_id === null
        ? null
        : {
            id: Number(row.task_id),
            status: row.task_status,
            assignee: row.assignee,
            assignee_person: people.get(row.assignee!),
            due_at: row.due_at,
          },
  };
}

/** Restricts to the subtree of a node the scope has vetted. */
function underNode(knex: Knex, query: Knex.QueryBuilder, node: VettedNode | undefined, column: string) {
  if (!node) return;
  query.whereExists(
    (sub) =>
      void sub
        .select(knex.raw('1'))
        .from('org_closure as nc')
        .where('nc.descendant_id', knex.ref(column))
        .where('nc.ancestor_id', node.node_id),
  );
}

/** The filter's conditions on the alerts of a query of alertRows. */
function filterAlerts(knex: Knex, query: Knex.QueryBuilder, filter: Omit<AlertFilter, 'limit'>) {
  underNode(knex, query, filter.node, 'a.node_id');
  if (filter.status) query.whereIn('a.status', filter.status);
  if (filter.level) query.whereIn('a.level', filter.level);
  if (filter.closedBetween)
    query
      .where('a.closed_at', '>=', filter.closedBetween.from)
      .whereRaw(`a.closed_at < CAST(? AS DATE) + INTERVAL 1 DAY`, [filter.closedBetween.to]);
}

export async function listAlerts(knex: Knex, scope: Scope, filter: AlertFilter) {
  const query = alertRows(knex, scope);
  filterAlerts(knex, query, filter);
  const rows = (await query
    .orderByRaw(`${LEVEL_ORDER}, a.impact_yuan DESC NULLS LAST, a.last_seen DESC, a.node_id, a.alert_id`)
    .limit(filter.limit)) as AlertRow[];
  const people = await assigneesOf(knex, rows);
  return { alerts: groupRepeats(rows.map((row) => shapeAlert(row, people, isStaffUser(scope)))) };
}

/** How many distinct problems (node × metric) the alerts matching the filter are, and on how many
 *  metrics, without a limit. */
export async function countAlertProblems(
  knex: Knex,
  scope: Scope,
  filter: Omit<AlertFilter, 'limit'>,
): Promise<{ problems: number; metrics: number }> {
  const query = alertRows(knex, scope).clearSelect().clearOrder();
  filterAlerts(knex, query, filter);
  const row = (await knex
    .from(query.distinct('a.node_id', 'a.metric_id').as('p'))
    .first(knex.raw('count(*) AS problems'), knex.raw('count(DISTINCT metric_id) AS metrics'))) as {
    problems: number | string;
    metrics: number | string;
  };
  return { problems: Number(row.problems), metrics: Number(row.metrics) };
}

/**
 * Alerts of one node and metric (a DSO over its level and up on last year, say) are one problem:
 * they follow the first of them, in the order of the list, and say how many they are.
 */
function groupRepeats<T extends { node: { id: unknown }; metric: { id: string } }>(
  alerts: T[],
): (T & { group: { key: string; size: number; first: boolean } })[] {
  const key = (a: T) => `${a.node.id}|${a.metric.id}`;
  const byKey = new Map<string, T[]>();
  for (const a of alerts) byKey.set(key(a), [...(byKey.get(key(a)) ?? []), a]);
  return [...byKey.entries()].flatMap(([k, group]) =>
    group.map((a, i) => ({ ...a, group: { key: k, size: group.length, first: i === 0 } })),
  );
}

/** How many alerts match the filter, by level (every one, not one per problem). */
export async function countAlertsByLevel(
  knex: Knex,
  scope: Scope,
  filter: Omit<AlertFilter, 'limit'>,
): Promise<Record<AlertLevel, number>> {
  const query = alertRows(knex, scope).clearSelect().clearOrder();
  filterAlerts(knex, query, filter);
  const rows = (await query.select('a.level').count('* as n').groupBy('a.level')) as {
    level: AlertLevel;
    n: number | string;
  }[];
  const counts: Record<AlertLevel, number> = { critical: 0, warning: 0 };
  for (const r of rows) counts[r.level] = Number(r.n);
  return counts;
}

/** The tasks at and under a node by status, and how many of the unclosed ones are past due at `now`. */
export async function countTasks(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  now: Date,
): Promise<{ byStatus: Record<TaskStatus, number>; overdue: number }> {
  const query = alertRows(knex, scope).clearSelect().clearOrder().whereNotNull('t.task_id');
  underNode(knex, query, node, 't.node_id');
  const rows = (await query
    .select('t.status')
    .count('* as n')
    .select(knex.raw(`count(*) FILTER (WHERE t.status <> 'closed' AND t.due_at < ?) AS overdue`, [now]))
    .groupBy('t.status')) as { status: TaskStatus; n: number | string; overdue: number | string }[];
  const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const r of rows) byStatus[r.status] = Number(r.n);
  return { byStatus, overdue: rows.reduce((n, r) => n + Number(r.overdue), 0) };
}

export async function listTasks(knex: Knex, scope: Scope, filter: TaskFilter) {
  const query = alertRows(knex, scope).whereNotNull('t.task_id');
  underNode(knex, query, filter.node, 't.node_id');
  if (filter.assignee) query.where('t.assignee', filter.assignee);
  if (filter.status) query.whereIn('t.status', filter.status);
  const rows = (await query
    .select('t.escalations', 't.created_at', 't.updated_at')
    .orderBy('t.due_at')
    .orderBy('t.task_id')
    .limit(filter.limit)) as AlertRow[];
  const people = await assigneesOf(knex, rows);
  return { tasks: rows.map((row) => shapeTask(row, scope, people)) };
}

function shapeTask(row: AlertRow, scope: Scope, people: Map<string, Person>) {
  const status = row.task_status as TaskStatus;
  return {
    id: Number(row.task_id),
    status,
    assignee: row.assignee,
    assignee_person: people.get(row.assignee!),
    due_at: row.due_at,
    overdue: status !== 'closed' && Date.parse(String(row.due_at)) < Date.now(),
    escalations: Number(row.escalations ?? 0),
    created_at: row.created_at,
    updated_at: row.updated_at,
    /** What the caller may move it to (Check → Act belongs to the evaluation). */
    next: canAct(scope) ? nextStatuses(status) : [],
    alert: shapeAlert(row, people, isStaffUser(scope)),
  };
}

const isStaffUser = (scope: Scope) => scope.user.role === 'staff';

/** Special grants are read-only; everyone else may act on the tasks they see. */
export const canAct = (scope: Scope) => scope.user.role !== 'special';

/** Who hands tasks on: the managers and finance (not special grants, not a staff user). */
export const canReassign = (scope: Scope) => canAct(scope) && scope.user.role !== 'staff';

/**
 * Whom a task may go to: every user who may see it — its node within their subtrees, its metric in
 * their domains (a staff user: their own store's tasks) — but special grants, who cannot act on it.
 */
export async function assignees(knex: Knex, task: { node: string; metric: string }) {
  const metric = METRIC_BY_ID.get(task.metric);
  const usernames = (await knex('app.users as u')
    .whereNot('u.role', 'special')
    .whereRaw('list_contains(u.domains, ?)', [metric?.domain ?? ''])
    .whereExists((sub) =>
      sub
        .select(knex.raw('1'))
        .from('org_closure as c')
        .where('c.descendant_id', task.node)
        .whereRaw('list_contains(u.nodes, c.ancestor_id)'),
    )
    .orderBy('u.username')
    .pluck('u.username')) as string[];
  const people = await describePeople(knex, usernames);
  return { assignees: usernames.map((u) => people.get(u)!) };
}

/** One task with its audit trail; 403 outside the caller's scope, 404 when there is none. */
export async function getTask(knex: Knex, scope: Scope, taskId: number) {
  const row = (await alertRows(knex, scope)
    .where('t.task_id', taskId)
    .select(
      't.escalations',
      't.created_at',
      't.updated_at',
      't.root_cause',
      't.action_plan',
      't.conclusion',
      't.standardised',
    )
    .first()) as AlertRow | undefined;
  if (!row) {
    const exists = await knex('app.tasks').where({ task_id: taskId }).first('task_id');
    throw exists
      ? new HttpError(403, 'task_out_of_scope', `task ${taskId} is outside your scope`, 'id')
      : new HttpError(404, 'not_found', `no task ${taskId}`, 'id');
  }
  const people = await assigneesOf(knex, [row]);
  const events = (await knex('app.task_events')
    .where({ task_id: taskId })
    .orderBy('event_id')
    .select('event_id', 'happened_at', 'actor', 'kind', 'from_status', 'to_status', 'note')) as TaskEvent[];
  return {
    ...shapeTask(row, scope, people),
    root_cause: row.root_cause,
    action_plan: row.action_plan,
    conclusion: row.conclusion,
    standardised: row.standardised,
    events: events.map((e) => ({ ...e, event_id: Number(e.event_id) })),
  };
}
