// The tracking reports, each built for one caller's Scope from the same services as the dashboard's
// endpoints (kpis, breakdown, rank, commentary, alerts, tasks), so a report never shows a figure the
// caller's own dashboard would not. A metric of a domain the caller is not granted is left out.
import type { Knex } from 'knex';
import type { MetricId } from '../contract/metric-ids.ts';
import type { ReportFigures, ReportKind, ReportResponse, ReportUnits } from '../contract/reports.ts';
import { DAILY_FLOWS, DAILY_MONTH_FIGURES, KEY_FIGURES, type CompareKind } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import { METRIC_BY_ID, type MetricDefinition } from '../metrics/catalog.ts';
import { bridge } from '../metrics/bridge.ts';
import { commentary } from '../metrics/commentary.ts';
import { endOfMonth, format, parseISO, subDays } from '../metrics/date-fns.ts';
import { lastMonthEndOnOrBefore, type Period } from '../metrics/periods.ts';
import { breakdown, kpis, rank } from '../metrics/service.ts';
import {
  countAlertProblems,
  countAlertsByLevel,
  countTasks,
  listAlerts,
  listTasks,
} from '../risk/service.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';

interface Layout {
  /** The headline figures and what they are compared with. */
  figures: readonly MetricId[];
  compare: CompareKind[];
  /** The columns of the table of units below (a store: its rank among peers on these). */
  units: readonly MetricId[];
}

const LAYOUTS: Record<Exclude<ReportKind, 'risk'>, Layout> = {
  monthly: {
    figures: KEY_FIGURES,
    compare: ['budget', 'yoy'],
    units: ['new_units', 'new_gross_profit', 'aftersales_revenue', 'net_profit'],
  },
  weekly: {
    figures: [
      'new_units',
      'used_units',
      'leads',
      'visit_rate',
      'visit_to_order_rate',
      'lead_to_order_rate',
      'test_drive_rate',
      'new_gross_per_unit',
    ],
    compare: ['prev', 'yoy'],
    units: ['new_units', 'leads', 'lead_to_order_rate', 'new_gross_per_unit'],
  },
  daily: {
    figures: [...DAILY_FLOWS, ...DAILY_MONTH_FIGURES],
    compare: ['budget', 'yoy'],
    units: ['new_units', 'new_gross_profit', 'aftersales_revenue'],
  },
};

/** How many of the worst open alerts and overdue tasks a report lists (the counts are of all). */
const LISTED = 10;

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

const todayInShanghai = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);

/** The report's window: the month asked for (default: the data's last whole month), or the days to
 *  the day asked for (default: the data's last day; the risk report's: today). */
export function reportWindow(kind: ReportKind, dataTo: string, period?: string, now = new Date()): Period {
  if (kind === 'monthly') {
    const month = period ?? lastMonthEndOnOrBefore(dataTo).slice(0, 7);
    const from = `${month}-01`;
    return { from, to: iso(endOfMonth(parseISO(from))) };
  }
  // Alerts and tasks are today's, not the data's: the risk report runs to today (in the group's zone).
  const to = period ?? (kind === 'risk' ? todayInShanghai(now) : dataTo);
  const days = { weekly: 7, daily: 1, risk: 30 }[kind];
  return { from: iso(subDays(parseISO(to), days - 1)), to };
}

const granted = (scope: Scope, ids: readonly MetricId[]): MetricDefinition[] =>
  ids.map((id) => METRIC_BY_ID.get(id)!).filter((m) => scope.user.domains.includes(m.domain));

async function figures(
  scope: Scope,
  node: VettedNode,
  metrics: MetricDefinition[],
  period: Period,
  compare: CompareKind[],
): Promise<ReportFigures> {
  const answer = await kpis(scope, node, metrics, period, compare);
  return { ...period, metrics: metrics.map((m) => m.id as MetricId), values: answer.metrics };
}

/** The units below the node, one row each, with every metric's value and comparisons. */
async function units(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metrics: MetricDefinition[],
  period: Period,
  compare: CompareKind[],
): Promise<ReportUnits> {
  const answers = await Promise.all(
    metrics.map((m) =>
      breakdown(knex, scope, node, m, period, 'children', { sort: 'desc', limit: 500, compare }),
    ),
  );
  // Ordered as the first metric ranks them.
  const rows = (answers[0]?.rows ?? []).map((r) => ({
    id: r.id,
    name: r.name,
    store_type: r.store_type ?? null,
    values: Object.fromEntries(
      answers.flatMap((a) => {
        const row = a.rows.find((x) => x.id === r.id);
        if (!row) return [];
        const { id: _id, name: _name, store_type: _type, ...figures } = row;
        return [[a.metric, figures]];
      }),
    ),
  }));
  return { ...period, metrics: metrics.map((m) => m.id as MetricId), rows };
}

/** The risk service's rows are shaped from untyped SQL rows; their shape is the contract's (the
 *  API tests check every answer against it). */
type Risks = Pick<ReportResponse, 'risks' | 'tasks'>;

async function risksAndTasks(knex: Knex, scope: Scope, node: VettedNode, now: Date): Promise<Risks> {
  const [open, problems, alerts, tasks, overdue] = await Promise.all([
    countAlertsByLevel(knex, scope, { node, status: ['open'] }),
    countAlertProblems(knex, scope, { node, status: ['open'] }),
    listAlerts(knex, scope, { node, status: ['open'], limit: 500 }),
    countTasks(knex, scope, node, now),
    listTasks(knex, scope, { node, status: ['plan', 'do', 'check', 'act'], limit: 200 }),
  ]);
  return {
    risks: {
      open: { ...open, problems: problems.problems },
      top: alerts.alerts.filter((a) => a.group.first).slice(0, LISTED),
    },
    tasks: {
      by_status: tasks.byStatus,
      overdue_count: tasks.overdue,
      overdue: overdue.tasks.filter((t) => t.overdue).slice(0, LISTED),
    },
  } as Risks;
}

/** The month's net profit and operating cash flow bridges against last year, those whose metrics
 *  the caller is granted (a bridge of an ungranted domain answers 403: left out). */
async function monthBridges(scope: Scope, node: VettedNode, period: Period) {
  const kinds = ['net_profit', 'operating_cash_flow'] as const;
  const made = await Promise.all(
    kinds.map((k) =>
      bridge(scope, node.node_id, k, period, 'yoy').catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 403) return null;
        throw err;
      }),
    ),
  );
  return made.filter((b) => b !== null);
}

/**
 * The report of `kind` at a node the caller's scope has vetted. `period`: the month (monthly) or
 * the last day (the others), already validated as a date; `now` dates "overdue".
 */
export async function buildReport(
  knex: Knex,
  scope: Scope,
  kind: ReportKind,
  node: VettedNode,
  period: string | undefined,
  now = new Date(),
): Promise<ReportResponse> {
  const dataTo = (await scope.coverage()).span?.to;
  if (!dataTo) throw new HttpError(409, 'no_data', 'no data has been loaded yet');
  const window = reportWindow(kind, dataTo, period, now);
  const head = {
    kind,
    node: { id: node.node_id, name: node.name, level: node.level },
    ...window,
    data_to: dataTo,
  };
  /** The catalog entries of the metrics the report names (its figures, units and alerts). */
  const catalog = (ids: Iterable<string>) =>
    Object.fromEntries(
      [...new Set(ids)].flatMap((id) => {
        const m = METRIC_BY_ID.get(id);
        return m ? [[id, { name: m.name, unit: m.unit, direction: m.direction }]] : [];
      }),
    );
  const alertMetrics = (r: Risks) => [
    ...(r.risks?.top ?? []).map((a) => a.metric.id),
    ...(r.tasks?.overdue ?? []).map((t) => t.alert.metric.id),
  ];
  if (kind === 'risk') {
    const [{ risks, tasks }, recovered, recoveredCount] = await Promise.all([
      risksAndTasks(knex, scope, node, now),
      listAlerts(knex, scope, { node, status: ['closed'], closedBetween: window, limit: LISTED }),
      countAlertsByLevel(knex, scope, { node, status: ['closed'], closedBetween: window }),
    ]);
    return {
      ...head,
      catalog: catalog([...alertMetrics({ risks, tasks }), ...recovered.alerts.map((a) => a.metric.id)]),
      risks,
      tasks,
      recoveries: {
        count: recoveredCount.critical + recoveredCount.warning,
        rows: recovered.alerts.map(({ group: _group, ...a }) => a),
      },
    } as ReportResponse;
  }

  const layout = LAYOUTS[kind];
  // The daily report reads its headline figures for the month to its day.
  const headline = kind === 'daily' ? { from: `${window.to.slice(0, 7)}-01`, to: window.to } : window;
  const headlineMetrics = granted(scope, layout.figures);
  const unitMetrics = granted(scope, layout.units);
  const isStore = node.level === 'store';
  const [main, day, below, peers, notes, pdca, bridges] = await Promise.all([
    figures(scope, node, headlineMetrics, headline, layout.compare),
    kind === 'daily'
      ? figures(
          scope,
          node,
          headlineMetrics.filter((m) => (DAILY_FLOWS as readonly string[]).includes(m.id)),
          window,
          ['yoy'],
        )
      : undefined,
    isStore ? undefined : units(knex, scope, node, unitMetrics, headline, layout.compare),
    isStore ? Promise.all(unitMetrics.map((m) => rank(scope, node, m, headline))) : undefined,
    kind === 'monthly' ? commentary(knex, scope, node, window) : undefined,
    kind === 'monthly' ? risksAndTasks(knex, scope, node, now) : undefined,
    kind === 'monthly' ? monthBridges(scope, node, window) : undefined,
  ]);
  return {
    ...head,
    catalog: catalog([
      ...headlineMetrics.map((m) => m.id),
      ...unitMetrics.map((m) => m.id),
      ...(pdca ? alertMetrics(pdca) : []),
    ]),
    figures: main,
    ...(day ? { day } : {}),
    ...(notes ? { commentary: notes.sections } : {}),
    ...(bridges ? { bridges } : {}),
    ...(below ? { units: below } : {}),
    ...(peers ? { peers } : {}),
    ...(pdca ?? {}),
  };
}
