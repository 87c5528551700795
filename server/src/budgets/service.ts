// Rolling budget versions: made from the forecast, last year or another version; their lines read
// as a grid and changed with optimistic revisions; a node's target split among its units; parts
// submitted and approved level by level; the whole approved by the group, when it becomes the
// budget of the months it covers (govern.ts). Every change goes to app.budget_events.
import type { Knex } from 'knex';
import {
  BUDGET_DRIVERS,
  PLANNED_METRICS,
  type BudgetConflict,
  type BudgetDetail,
  type BudgetLines,
  type BudgetVersion,
} from '../contract/budgets.ts';
import type { z } from 'zod';
import type {
  allocateBody,
  budgetLinesBody,
  budgetLinesQuery,
  newBudgetBody,
  transitionBudgetBody,
} from '../contract/budgets.ts';
import { HttpError } from '../errors.ts';
import type { ForecastService } from '../forecast/service.ts';
import type { MetricDefinition } from '../metrics/catalog.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { splitExactly } from '../targets/allocate.ts';
import {
  editRefusal,
  isPreparer,
  OPEN_PART,
  Org,
  ownNodeOn,
  partsOf,
  requirePlanner,
  type Part,
} from './access.ts';
import { derive, driverOf, planMetric, RATE_WEIGHTS, resultsOf } from './drivers.ts';
import { lastYear, storeForecasts, type Figures } from './figures.ts';
import { govern, sqlOfKnex } from './govern.ts';
import { addMonths, firstDay, lastDay, monthOf, monthsFrom, monthsWithin } from './months.ts';

interface VersionRow {
  version_id: number;
  name: string;
  first_month: unknown;
  months: number;
  status: BudgetVersion['status'];
  source: BudgetVersion['source'];
  source_detail: string | null;
  author: string;
  created_at: unknown;
  updated_at: unknown;
  revision: number;
  note: string | null;
}

interface LineRow {
  month: string;
  node_id: string;
  metric_id: string;
  target: number;
  locked: boolean;
  revision: number;
  set_by: string;
  set_at: unknown;
}

export interface NewLine {
  month: string;
  node_id: string;
  metric_id: string;
  target: number;
}

const ts = (x: unknown) => (x instanceof Date ? x.toISOString() : String(x));
const additive = (m: MetricDefinition) => m.kind === 'sum';
/** Targets are kept to the precision they are planned in: counts whole, money to the yuan, rates to 0.01%. */
const decimalsOf = (m: MetricDefinition) =>
  m.unit === 'units' || m.unit === 'count' ? 0 : m.kind === 'ratio' ? 4 : 0;
const rounded = (m: MetricDefinition, x: number) => {
  const scale = 10 ** decimalsOf(m);
  return Math.round(x * scale) / scale;
};

async function versionRow(knex: Knex | Knex.Transaction, id: number): Promise<VersionRow> {
  const row = (await knex('app.budget_versions').where({ version_id: id }).first()) as VersionRow | undefined;
  if (!row) throw new HttpError(404, 'not_found', `no budget version ${id}`);
  return {
    ...row,
    version_id: Number(row.version_id),
    revision: Number(row.revision),
    months: Number(row.months),
  };
}

const horizonOf = (v: VersionRow) => monthsFrom(monthOf(v.first_month), v.months);

async function dataTo(knex: Knex): Promise<string | null> {
  const row = (await knex('etl.runs').where({ status: 'loaded' }).max({ to: 'period_to' }).first()) as
    { to: unknown } | undefined;
  return row?.to ? String(row.to).slice(0, 10) : null;
}

async function requireDataTo(knex: Knex): Promise<string> {
  const to = await dataTo(knex);
  if (!to) throw new HttpError(409, 'no_data', 'no data is loaded yet: there is nothing to forecast from');
  return to;
}

async function record(
  trx: Knex.Transaction,
  event: {
    actor: string;
    version_id: number;
    action: string;
    node_id?: string;
    metric_id?: string;
    month?: string;
    old_value?: number | null;
    new_value?: number | null;
    note?: string | null;
  },
): Promise<void> {
  await trx('app.budget_events').insert({
    happened_at: new Date(),
    ...event,
    month: event.month ? firstDay(event.month) : null,
  });
}

/** Who must act next; of the parts, those of the caller's nodes only. */
function waitingFor(
  scope: Scope,
  v: VersionRow,
  parts: Map<string, Part>,
  org: Org,
): BudgetVersion['waiting_for'] {
  if (v.status === 'submitted') return [{ action: 'approve', part: null, by: 'group' }];
  if (v.status !== 'draft') return [];
  const waiting: BudgetVersion['waiting_for'] = [];
  for (const [node, part] of [...parts].sort(([a], [b]) => a.localeCompare(b))) {
    if (!inScope(scope, org, node)) continue;
    const parent = org.byId.get(node)?.parent_id ?? 'group';
    if (part.status === 'submitted') waiting.push({ action: 'approve', part: node, by: parent });
    if (part.status === 'returned') waiting.push({ action: 'revise', part: node, by: node });
  }
  return [...waiting, { action: 'submit', part: null, by: 'finance' }];
}

const inScope = (scope: Scope, org: Org, nodeId: string) => ownNodeOn(scope, org, nodeId) !== undefined;

async function describe(knex: Knex, scope: Scope, v: VersionRow, org: Org): Promise<BudgetVersion> {
  // The months whose latest approval it is.
  const governs = (
    (await knex.raw(
      `SELECT m.month FROM app.budget_months m
       WHERE m.version_id = ? AND m.seq = (SELECT max(n.seq) FROM app.budget_months n WHERE n.month = m.month)
       ORDER BY m.month`,
      [v.version_id],
    )) as { rows: { month: unknown }[] }
  ).rows.map((r) => r.month);
  return {
    id: v.version_id,
    name: v.name,
    first_month: monthOf(v.first_month),
    months: v.months,
    status: v.status,
    source: v.source,
    source_detail: v.source_detail,
    author: v.author,
    created_at: ts(v.created_at),
    updated_at: ts(v.updated_at),
    revision: v.revision,
    note: v.note,
    governs: governs.map(monthOf),
    waiting_for: waitingFor(scope, v, await partsOf(knex, v.version_id), org),
  };
}

export async function listVersions(knex: Knex, scope: Scope): Promise<{ versions: BudgetVersion[] }> {
  requirePlanner(scope);
  const org = await Org.load(knex);
  const rows = (await knex('app.budget_versions').orderBy('version_id', 'desc').select('version_id')) as {
    version_id: number;
  }[];
  const versions: BudgetVersion[] = [];
  for (const r of rows)
    versions.push(await describe(knex, scope, await versionRow(knex, Number(r.version_id)), org));
  return { versions };
}

export async function versionDetail(knex: Knex, scope: Scope, id: number): Promise<BudgetDetail> {
  requirePlanner(scope);
  const org = await Org.load(knex);
  const v = await versionRow(knex, id);
  const parts = await partsOf(knex, id);
  // The parts of the nodes in the caller's scope, below the group.
  const visible = [...org.byId.values()].filter((n) => n.level !== 'group' && inScope(scope, org, n.node_id));
  return {
    ...(await describe(knex, scope, v, org)),
    parts: visible.map((n) => ({
      node: { id: n.node_id, name: n.name, level: n.level },
      ...(parts.get(n.node_id) ?? OPEN_PART),
    })),
  };
}

function requirePlanned(metric: MetricDefinition): void {
  if (!(PLANNED_METRICS as readonly string[]).includes(metric.id))
    throw new HttpError(
      400,
      'invalid_parameter',
      `${metric.id} is not planned in a budget version`,
      'metric',
    );
}

/** The planned metrics the caller may see. */
const plannedMetrics = (scope: Scope) =>
  PLANNED_METRICS.map((id) => planMetric(id)!).filter((m) => scope.user.domains.includes(m.domain));

/**
 * The lines a new version starts with, for every store under the caller's nodes and every
 * planned metric they see: the forecast of months the engine forecasts (flows after the data's
 * last whole month), else last year's actual × (1 + growth) for flows (rates as they were); or a
 * version's lines copied.
 */
export async function seedLines(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
  months: readonly string[],
  seed: { from: 'forecast' | 'actuals' | 'version'; growth?: number; version?: number },
): Promise<NewLine[]> {
  const org = await Org.load(knex);
  const metrics = plannedMetrics(scope);
  if (seed.from === 'version') {
    await versionRow(knex, seed.version!);
    const rows = (await knex('app.budget_lines')
      .where({ version_id: seed.version })
      .whereIn('month', months.map(firstDay))
      .whereIn(
        'metric_id',
        metrics.map((m) => m.id),
      )
      .select('month', 'node_id', 'metric_id', 'target')) as LineRow[];
    // Lines above the stores (targets set from above) come along: the nodes in the caller's scope.
    return rows
      .filter((r) => inScope(scope, org, r.node_id))
      .map((r) => ({
        month: monthOf(r.month),
        node_id: r.node_id,
        metric_id: r.metric_id,
        target: Number(r.target),
      }));
  }
  const to = await dataTo(knex);
  const lines: NewLine[] = [];
  const done = new Set<string>();
  for (const root of scope.user.nodes) {
    const node = await scope.node(root);
    const own = org.stores(root).filter((s) => !done.has(s));
    for (const s of own) done.add(s);
    for (const metric of metrics) {
      const past = await lastYear(scope, org, node, metric, months, { by: 'store' });
      // The forecast of the month, and of the month a year before (for a month past the forecast's
      // reach whose year-before has no actuals yet: the months between the data and the horizon).
      const ahead =
        seed.from === 'forecast' && to
          ? (
              await storeForecasts(
                forecasts,
                metric,
                to,
                [...months, ...months.map((m) => addMonths(m, -12))],
                true,
              )
            ).figures
          : new Map<string, Map<string, number | null>>();
      const growth = additive(metric) ? 1 + (seed.growth ?? 0) : 1;
      for (const store of own) {
        for (const month of months) {
          const forecast = ahead.get(store)?.get(month) ?? null;
          const before = past.get(store)?.get(month) ?? ahead.get(store)?.get(addMonths(month, -12)) ?? null;
          const value = forecast !== null ? forecast : before !== null ? before * growth : null;
          if (value !== null && Number.isFinite(value))
            lines.push({ month, node_id: store, metric_id: metric.id, target: rounded(metric, value) });
        }
      }
    }
  }
  return withResults(lines);
}

/** Seeded lines with each result computed from its drivers where all are seeded. */
function withResults(lines: NewLine[]): NewLine[] {
  const byCell = new Map<string, Map<string, NewLine>>();
  for (const l of lines) {
    const cell = byCell.get(key(l.node_id, l.month)) ?? new Map<string, NewLine>();
    cell.set(l.metric_id, l);
    byCell.set(key(l.node_id, l.month), cell);
  }
  const derived: NewLine[] = [];
  for (const cell of byCell.values()) {
    const any = cell.values().next().value!;
    for (const driver of BUDGET_DRIVERS) {
      const value = derive(driver, (m) => cell.get(m)?.target);
      if (value === null) continue;
      const line = {
        month: any.month,
        node_id: any.node_id,
        metric_id: driver.result,
        target: rounded(planMetric(driver.result)!, value),
      };
      cell.set(driver.result, line);
    }
    derived.push(...cell.values());
  }
  return derived;
}

const key = (node: string, month: string) => `${node}|${month}`;

/** Many lines in one statement: the columns bound as lists, zipped by unnest. */
async function insertLines(trx: Knex.Transaction, versionId: number, lines: NewLine[], actor: string) {
  if (lines.length === 0) return;
  await trx.raw(
    `INSERT INTO app.budget_lines (version_id, month, node_id, metric_id, target, set_by, set_at)
     SELECT ?, unnest(?::DATE[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])::DOUBLE, ?, ?`,
    [
      versionId,
      lines.map((l) => firstDay(l.month)),
      lines.map((l) => l.node_id),
      lines.map((l) => l.metric_id),
      // As text: a list's element type is taken from its first value, and 3 then 2.5 would not bind.
      lines.map((l) => String(l.target)),
      actor,
      new Date(),
    ] as unknown as Knex.RawBinding[],
  );
}

/** A new draft version of the caller's making, seeded. */
export async function createVersion(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
  body: z.output<typeof newBudgetBody>,
): Promise<BudgetDetail> {
  if (!isPreparer(scope))
    throw new HttpError(403, 'forbidden', 'budget versions are prepared by finance and the group');
  if (body.seed === 'version' && body.from_version === undefined)
    throw new HttpError(400, 'invalid_parameter', 'seed=version needs from_version', 'from_version');
  const months = monthsFrom(body.first_month, body.months);
  const lines = await seedLines(knex, scope, forecasts, months, {
    from: body.seed,
    growth: body.growth,
    version: body.from_version,
  });
  const detail =
    body.seed === 'actuals'
      ? `growth ${body.growth}`
      : body.seed === 'version'
        ? `version ${body.from_version}`
        : null;
  const id = await knex.transaction(async (trx) => {
    const now = new Date();
    const [row] = (await trx('app.budget_versions')
      .insert({
        name: body.name,
        first_month: firstDay(body.first_month),
        months: body.months,
        status: 'draft',
        source: body.seed,
        source_detail: detail,
        author: scope.user.username,
        created_at: now,
        updated_at: now,
      })
      .returning('version_id')) as { version_id: number }[];
    const versionId = Number(row!.version_id);
    await insertLines(trx, versionId, lines, scope.user.username);
    await record(trx, { actor: scope.user.username, version_id: versionId, action: 'create', note: detail });
    return versionId;
  });
  return versionDetail(knex, scope, id);
}

async function linesOf(
  knex: Knex | Knex.Transaction,
  versionId: number,
  metricId: string,
  nodes: readonly string[],
  months: readonly string[],
): Promise<Map<string, LineRow>> {
  const rows = (await knex('app.budget_lines')
    .where({ version_id: versionId, metric_id: metricId })
    .whereIn('node_id', nodes)
    .whereIn('month', months.map(firstDay))
    .select(
      'month',
      'node_id',
      'metric_id',
      'target',
      'locked',
      'revision',
      'set_by',
      'set_at',
    )) as LineRow[];
  return new Map(
    rows.map((r) => [
      `${r.node_id}|${monthOf(r.month)}`,
      { ...r, month: monthOf(r.month), target: Number(r.target), revision: Number(r.revision) },
    ]),
  );
}

const NO_LINE = { target: null, derived: false, revision: 0, locked: false, set_by: null };

/** Σ of the values present; null when none is. */
function sumOf(metric: MetricDefinition, values: (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => v !== null && v !== undefined);
  return present.length
    ? rounded(
        metric,
        present.reduce((a, b) => a + b, 0),
      )
    : null;
}

/**
 * How a unit's planned figure is made of its stores' lines: a flow's sum; a rate's mean weighted
 * by what it is a rate of (Σ rate × weight ÷ Σ weight: a penetration by units, gross per unit by
 * units, …), or null where that is not planned — a plain mean of rates would not multiply out.
 */
async function unitFigures(
  knex: Knex,
  versionId: number,
  metric: MetricDefinition,
  stores: readonly string[],
  months: readonly string[],
): Promise<(of: readonly string[], month: string) => number | null> {
  const lines = await linesOf(knex, versionId, metric.id, stores, months);
  if (additive(metric))
    return (of, m) =>
      sumOf(
        metric,
        of.map((s) => lines.get(key(s, m))?.target),
      );
  const by = RATE_WEIGHTS[metric.id];
  const weights = by ? await Promise.all(by.map((w) => linesOf(knex, versionId, w, stores, months))) : [];
  return (of, m) => {
    if (of.length === 1) return lines.get(key(of[0]!, m))?.target ?? null;
    if (!by) return null;
    let sum = 0;
    let weight = 0;
    for (const s of of) {
      const value = lines.get(key(s, m))?.target;
      const w = weights.reduce((product, l) => product * (l.get(key(s, m))?.target ?? Number.NaN), 1);
      if (value === undefined || !(w > 0)) continue;
      sum += value * w;
      weight += w;
    }
    return weight > 0 ? rounded(metric, sum / weight) : null;
  };
}

/** The store-months whose `metric` is computed from its drivers (all of them planned). */
async function derivedCells(
  knex: Knex | Knex.Transaction,
  versionId: number,
  metric: string,
  stores: readonly string[],
  months: readonly string[],
): Promise<Set<string>> {
  const driver = driverOf(metric);
  if (!driver || stores.length === 0) return new Set();
  const rows = (await knex('app.budget_lines')
    .where({ version_id: versionId })
    .whereIn('metric_id', [...driver.inputs])
    .whereIn('node_id', stores)
    .whereIn('month', months.map(firstDay))
    .groupBy('node_id', 'month')
    .select('node_id', 'month', knex.raw('count(*) AS n'))) as {
    node_id: string;
    month: unknown;
    n: number;
  }[];
  return new Set(
    rows.filter((r) => Number(r.n) === driver.inputs.length).map((r) => key(r.node_id, monthOf(r.month))),
  );
}

/** Each driver of a result as planned for each unit and month (unitFigures: a sum, or a weighted rate). */
async function driverValues(
  knex: Knex,
  versionId: number,
  metric: string,
  units: { node_id: string }[],
  storesOf: Map<string, string[]>,
  months: string[],
): Promise<BudgetLines['driver_values']> {
  const out: BudgetLines['driver_values'] = {};
  for (const input of driverOf(metric)?.inputs ?? []) {
    const figure = await unitFigures(
      knex,
      versionId,
      planMetric(input)!,
      [...storesOf.values()].flat(),
      months,
    );
    out[input] = Object.fromEntries(
      units.map((u) => [
        u.node_id,
        Object.fromEntries(months.map((m) => [m, figure(storesOf.get(u.node_id)!, m)])),
      ]),
    );
  }
  return out;
}

/** The grid of a node: its own target, each unit below with last year and the forecast beside. */
export async function linesGrid(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
  id: number,
  q: z.output<typeof budgetLinesQuery>,
): Promise<BudgetLines> {
  requirePlanner(scope);
  const metric = scope.metric(q.metric, 'metric', planMetric);
  const node = await scope.node(q.node);
  requirePlanned(metric);
  const v = await versionRow(knex, id);
  const months = monthsWithin(horizonOf(v), q.from, q.to);
  const org = await Org.load(knex);
  const parts = await partsOf(knex, id);
  const units = node.level === 'store' ? [org.byId.get(node.node_id)!] : org.children(node.node_id);
  const storesOf = new Map(units.map((u) => [u.node_id, org.stores(u.node_id)]));
  const lines = await linesOf(knex, id, metric.id, [node.node_id, ...[...storesOf.values()].flat()], months);
  const derived = await derivedCells(knex, id, metric.id, [...storesOf.values()].flat(), months);
  const figure = await unitFigures(knex, id, metric, [...storesOf.values()].flat(), months);
  const past = await lastYear(
    scope,
    org,
    node,
    metric,
    months,
    node.level === 'store' ? { by: 'none' } : { by: 'children' },
  );
  const to = await dataTo(knex);
  const ahead = to
    ? await storeForecasts(forecasts, metric, to, months, false)
    : { figures: new Map() as Figures, pending: false };
  const rows = units.map((u) => {
    const stores = storesOf.get(u.node_id)!;
    const cells = Object.fromEntries(
      months.map((m) => {
        if (u.level === 'store') {
          const line = lines.get(`${u.node_id}|${m}`);
          return [
            m,
            line
              ? {
                  target: line.target,
                  derived: derived.has(key(u.node_id, m)),
                  revision: line.revision,
                  locked: line.locked,
                  set_by: line.set_by,
                }
              : NO_LINE,
          ];
        }
        return [m, { ...NO_LINE, target: figure(stores, m) }];
      }),
    );
    return {
      id: u.node_id,
      name: u.name,
      level: u.level,
      editable: v.status === 'draft' && editRefusal(scope, org, parts, u.node_id) === null,
      months: cells,
      last_year: Object.fromEntries(months.map((m) => [m, past.get(u.node_id)?.get(m) ?? null])),
      forecast: Object.fromEntries(
        months.map((m) => [
          m,
          sumOf(
            metric,
            stores.map((s) => ahead.figures.get(s)?.get(m)),
          ),
        ]),
      ),
    };
  });
  const own = (m: string) => {
    const line = lines.get(`${node.node_id}|${m}`);
    return line
      ? {
          target: line.target,
          derived: false,
          revision: line.revision,
          locked: line.locked,
          set_by: line.set_by,
        }
      : NO_LINE;
  };
  const allStores = [...storesOf.values()].flat();
  const totals = Object.fromEntries(months.map((m) => [m, figure(allStores, m)]));
  return {
    version: { id, status: v.status, revision: v.revision },
    metric: metric.id as BudgetLines['metric'],
    drivers: [...(driverOf(metric.id)?.inputs ?? [])],
    node: { id: node.node_id, name: node.name, level: node.level },
    additive: additive(metric),
    months,
    node_target: Object.fromEntries(months.map((m) => [m, own(m)])),
    rows,
    totals,
    gaps: Object.fromEntries(
      months.map((m) => {
        const target = own(m).target;
        const total = totals[m] ?? null;
        return [
          m,
          additive(metric) && node.level !== 'store' && target !== null && total !== null
            ? rounded(metric, total - target)
            : null,
        ];
      }),
    ),
    forecast: ahead.pending ? 'pending' : ahead.figures.size ? 'ready' : 'none',
    driver_values: await driverValues(knex, id, metric.id, units, storesOf, months),
  };
}

function requireDraft(v: VersionRow): void {
  if (v.status !== 'draft')
    throw new HttpError(
      409,
      'not_draft',
      `version ${v.version_id} is ${v.status}: only a draft's lines change`,
    );
}

/** A write whose lines changed since the caller read them: 409 with each line as it now is. */
export class BudgetConflictError extends HttpError {
  constructor(readonly conflicts: BudgetConflict[]) {
    super(
      409,
      'conflict',
      `${conflicts.length} line(s) changed since you read them: reload and apply your change again`,
    );
  }
}

/** DuckDB refuses the second of two transactions writing the same row: that is a conflict too. */
function conflictOf(err: unknown): never {
  // A write-write conflict, or two writers inserting the same new line (its key taken meanwhile).
  if (
    err instanceof Error &&
    !(err instanceof HttpError) &&
    /conflict|duplicate key|primary key/i.test(err.message)
  )
    throw new HttpError(
      409,
      'conflict',
      'someone changed these lines at the same moment: reload and try again',
    );
  throw err;
}

/** Writes lines checked against the revisions the caller read: all of them, or none and 409. */
export async function writeLines(
  knex: Knex,
  scope: Scope,
  id: number,
  body: z.output<typeof budgetLinesBody>,
): Promise<{ lines: { node: string; month: string; target: number; revision: number }[] }> {
  requirePlanner(scope);
  const metric = scope.metric(body.metric, 'metric', planMetric);
  requirePlanned(metric);
  const org = await Org.load(knex);
  const seen = new Set<string>();
  for (const [i, c] of body.cells.entries()) {
    await scope.node(c.node, `cells[${i}].node`);
    if (seen.has(key(c.node, c.month)))
      throw new HttpError(400, 'invalid_parameter', `${c.node} ${c.month} is given twice`, `cells[${i}]`);
    seen.add(key(c.node, c.month));
  }
  return knex
    .transaction(async (trx) => {
      const v = await versionRow(trx, id);
      requireDraft(v);
      const horizon = new Set(horizonOf(v));
      const parts = await partsOf(trx, id);
      for (const [i, c] of body.cells.entries()) {
        if (!horizon.has(c.month))
          throw new HttpError(
            400,
            'invalid_parameter',
            `${c.month} is outside the version's horizon`,
            `cells[${i}].month`,
          );
        const refusal = editRefusal(scope, org, parts, c.node);
        if (refusal) throw new HttpError(403, 'forbidden', `${c.node}: ${refusal}`, `cells[${i}].node`);
      }
      const derived = await derivedCells(
        trx,
        id,
        metric.id,
        body.cells.map((c) => c.node),
        body.cells.map((c) => c.month),
      );
      for (const [i, c] of body.cells.entries())
        if (derived.has(key(c.node, c.month)))
          throw new HttpError(
            400,
            'derived',
            `${metric.id} of ${c.node} in ${c.month} is computed from ${driverOf(metric.id)!.inputs.join(' × ')}: change those`,
            `cells[${i}].value`,
          );
      return applyCells(trx, scope.user.username, v, metric, body.cells, 'edit');
    })
    .catch(conflictOf);
}

async function applyCells(
  trx: Knex.Transaction,
  actor: string,
  v: VersionRow,
  metric: MetricDefinition,
  cells: { node: string; month: string; value: number; revision: number; locked?: boolean }[],
  action: 'edit' | 'allocate',
) {
  const now = new Date();
  const current = await linesOf(
    trx,
    v.version_id,
    metric.id,
    [...new Set(cells.map((c) => c.node))],
    [...new Set(cells.map((c) => c.month))],
  );
  const conflicts: BudgetConflict[] = cells.flatMap((c) => {
    const line = current.get(`${c.node}|${c.month}`);
    const revision = line?.revision ?? 0;
    return revision === c.revision
      ? []
      : [
          {
            node: c.node,
            month: c.month,
            metric: metric.id,
            yours: c.revision,
            revision,
            target: line?.target ?? null,
            set_by: line?.set_by ?? null,
            set_at: line ? ts(line.set_at) : null,
          },
        ];
  });
  if (conflicts.length) throw new BudgetConflictError(conflicts);
  const written = [];
  for (const c of cells) {
    const line = current.get(`${c.node}|${c.month}`);
    const target = rounded(metric, c.value);
    const locked = c.locked ?? (action === 'edit' ? true : (line?.locked ?? false));
    const key = { version_id: v.version_id, month: firstDay(c.month), node_id: c.node, metric_id: metric.id };
    if (line)
      await trx('app.budget_lines')
        .where(key)
        .update({ target, locked, revision: line.revision + 1, set_by: actor, set_at: now });
    else
      await trx('app.budget_lines').insert({
        ...key,
        target,
        locked,
        revision: 1,
        set_by: actor,
        set_at: now,
      });
    await record(trx, {
      actor,
      version_id: v.version_id,
      action,
      node_id: c.node,
      metric_id: metric.id,
      month: c.month,
      old_value: line?.target ?? null,
      new_value: target,
    });
    written.push({ node: c.node, month: c.month, target, revision: (line?.revision ?? 0) + 1 });
  }
  await rederive(trx, actor, v, metric.id, cells, now);
  await trx('app.budget_versions').where({ version_id: v.version_id }).update({ updated_at: now });
  return { lines: written };
}

/** The results of the changed driver recomputed at the cells' store-months (where all their drivers are planned). */
async function rederive(
  trx: Knex.Transaction,
  actor: string,
  v: VersionRow,
  metricId: string,
  cells: { node: string; month: string }[],
  now: Date,
): Promise<void> {
  for (const driver of resultsOf(metricId)) {
    const nodes = [...new Set(cells.map((c) => c.node))];
    const months = [...new Set(cells.map((c) => c.month))];
    const lines = new Map<string, LineRow>();
    for (const m of [...driver.inputs, driver.result])
      for (const [k, line] of await linesOf(trx, v.version_id, m, nodes, months))
        lines.set(`${k}|${m}`, line);
    const result = planMetric(driver.result)!;
    for (const c of new Map(cells.map((c) => [key(c.node, c.month), c])).values()) {
      const value = derive(driver, (m) => lines.get(`${key(c.node, c.month)}|${m}`)?.target);
      if (value === null) continue;
      const target = rounded(result, value);
      const line = lines.get(`${key(c.node, c.month)}|${driver.result}`);
      if (line?.target === target) continue;
      const where = {
        version_id: v.version_id,
        month: firstDay(c.month),
        node_id: c.node,
        metric_id: driver.result,
      };
      if (line)
        await trx('app.budget_lines')
          .where(where)
          .update({ target, locked: false, revision: line.revision + 1, set_by: actor, set_at: now });
      else
        await trx('app.budget_lines').insert({
          ...where,
          target,
          locked: false,
          revision: 1,
          set_by: actor,
          set_at: now,
        });
      await record(trx, {
        actor,
        version_id: v.version_id,
        action: 'derive',
        node_id: c.node,
        metric_id: driver.result,
        month: c.month,
        old_value: line?.target ?? null,
        new_value: target,
        note: driver.inputs.join(' × '),
      });
    }
  }
}

/**
 * Splits a node's target among the units below it, level by level down to the stores, so every
 * level adds up exactly: locked units keep theirs, the rest share what is left by the method's
 * weights (last year's actuals, the forecast, or equally); `manual` sets the typed-in units
 * (locked) and leaves the others. The node's own target is set first when `total` is given.
 */
export async function allocate(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
  id: number,
  body: z.output<typeof allocateBody>,
): Promise<BudgetLines> {
  // Top-down targets are set by finance and the group; managers change their own stores' lines.
  if (!isPreparer(scope))
    throw new HttpError(403, 'forbidden', 'targets are split top-down by finance and the group');
  const metric = scope.metric(body.metric, 'metric', planMetric);
  requirePlanned(metric);
  if (!additive(metric))
    throw new HttpError(
      400,
      'invalid_parameter',
      `${metric.id} is not an additive planned metric: a rate is set for each unit, not split`,
      'metric',
    );
  const node = await scope.node(body.node);
  if (node.level === 'store')
    throw new HttpError(400, 'invalid_parameter', 'a store has no units below it to split among', 'node');
  const org = await Org.load(knex);
  const v = await versionRow(knex, id);
  const months = monthsWithin(horizonOf(v), body.from, body.to);
  if ((await derivedCells(knex, id, metric.id, org.stores(node.node_id), months)).size > 0)
    throw new HttpError(
      400,
      'derived',
      `${metric.id} is computed from ${driverOf(metric.id)!.inputs.join(' × ')} at stores of ${node.node_id}: split those`,
      'metric',
    );
  const weights = await weightsFor(knex, scope, forecasts, node, metric, months, body.method, org);
  for (const [i, c] of body.cells.entries()) {
    await scope.node(c.node, `cells[${i}].node`);
    if (org.byId.get(c.node)?.parent_id !== node.node_id)
      throw new HttpError(
        400,
        'invalid_parameter',
        `${c.node} is not a unit right below ${node.node_id}`,
        `cells[${i}].node`,
      );
  }
  await knex
    .transaction(async (trx) => {
      const fresh = await versionRow(trx, id);
      requireDraft(fresh);
      const parts = await partsOf(trx, id);
      for (const store of org.stores(node.node_id)) {
        const refusal = editRefusal(scope, org, parts, store);
        if (refusal) throw new HttpError(403, 'forbidden', `${store}: ${refusal}`, 'node');
      }
      for (const month of months) {
        const cells = await splitMonth(trx, fresh, metric, org, node.node_id, month, body, weights);
        if (cells.length) await applyCells(trx, scope.user.username, fresh, metric, cells, 'allocate');
      }
    })
    .catch(conflictOf);
  return linesGrid(knex, scope, forecasts, id, {
    node: node.node_id,
    metric: metric.id,
    from: months[0],
    to: months.at(-1),
  });
}

type Weights = (unit: string, month: string) => number;

async function weightsFor(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
  node: VettedNode,
  metric: MetricDefinition,
  months: string[],
  method: z.output<typeof allocateBody>['method'],
  org: Org,
): Promise<Weights> {
  if (method === 'equal' || method === 'manual') return () => 1;
  const byStore =
    method === 'last_year'
      ? await lastYear(scope, org, node, metric, months, { by: 'store' })
      : (await storeForecasts(forecasts, metric, await requireDataTo(knex), months, true)).figures;
  return (unit, month) =>
    org.stores(unit).reduce((sum, s) => sum + Math.max(0, byStore.get(s)?.get(month) ?? 0), 0);
}

/** The cells of one month's split under `nodeId`, level by level. */
async function splitMonth(
  trx: Knex.Transaction,
  v: VersionRow,
  metric: MetricDefinition,
  org: Org,
  nodeId: string,
  month: string,
  body: z.output<typeof allocateBody>,
  weights: Weights,
) {
  const nodes = [nodeId, ...descendantsAbove(org, nodeId), ...org.stores(nodeId)];
  const lines = await linesOf(trx, v.version_id, metric.id, nodes, [month]);
  const cells = new Map<
    string,
    { node: string; month: string; value: number; revision: number; locked?: boolean }
  >();
  const valueOf = (id: string) => cells.get(id)?.value ?? lines.get(`${id}|${month}`)?.target;
  const set = (id: string, value: number, locked?: boolean) =>
    cells.set(id, { node: id, month, value, revision: lines.get(`${id}|${month}`)?.revision ?? 0, locked });
  if (body.total !== undefined) set(nodeId, body.total);
  if (body.method === 'manual') {
    for (const c of body.cells) set(c.node, c.value, true);
    return [...cells.values()];
  }
  const total = valueOf(nodeId);
  if (total === undefined)
    throw new HttpError(
      400,
      'invalid_parameter',
      `${nodeId} has no target for ${month} to split: give total`,
      'total',
    );
  const down = (parent: string, amount: number) => {
    const units = org.children(parent);
    const locked = units.filter((u) => lines.get(`${u.node_id}|${month}`)?.locked);
    const open = units.filter((u) => !locked.includes(u));
    const kept = locked.reduce((sum, u) => sum + (valueOf(u.node_id) ?? 0), 0);
    const rest = amount - kept;
    if (open.length === 0 && Math.abs(rest) > 1e-9)
      throw new HttpError(
        400,
        'invalid_parameter',
        `every unit under ${parent} is locked and they miss its ${month} target by ${rest}: unlock one, or type the target to what they add up to`,
        'total',
      );
    if (amount >= 0 && rest < 0)
      throw new HttpError(
        400,
        'invalid_parameter',
        `the locked units under ${parent} add up to more than its ${month} target (${kept} > ${amount}): the others would get less than nothing`,
        'total',
      );
    const parts = splitExactly(
      rest,
      open.map((u) => weights(u.node_id, month)),
      decimalsOf(metric),
    );
    for (const [i, u] of open.entries()) set(u.node_id, parts[i]!);
    for (const u of units) if (u.level !== 'store') down(u.node_id, valueOf(u.node_id) ?? 0);
  };
  down(nodeId, total);
  return [...cells.values()];
}

/** The nodes between a node and its stores. */
function descendantsAbove(org: Org, id: string): string[] {
  return org
    .children(id)
    .flatMap((c) => (c.level === 'store' ? [] : [c.node_id, ...descendantsAbove(org, c.node_id)]));
}

/**
 * Moves a version or a node's part. Parts: a node's managers submit it (open or returned); the
 * level above — or finance and the group — approve it or return it with a note. The version:
 * finance or the group submit a draft; the group approves a submitted version (it becomes the
 * budget of its open months) or returns it to draft with a note.
 */
export async function transition(
  knex: Knex,
  scope: Scope,
  id: number,
  body: z.output<typeof transitionBudgetBody>,
): Promise<BudgetDetail> {
  requirePlanner(scope);
  if (body.to === 'returned' && !body.note)
    throw new HttpError(400, 'invalid_parameter', 'a return says why: give note', 'note');
  const org = await Org.load(knex);
  const node = body.node ? await scope.node(body.node) : null;
  await knex
    .transaction(async (trx) => {
      const v = await versionRow(trx, id);
      if (body.revision !== undefined && body.revision !== v.revision)
        throw new HttpError(
          409,
          'conflict',
          `version ${id} changed since you read it (revision ${v.revision}, yours ${body.revision})`,
        );
      const actor = scope.user.username;
      const now = new Date();
      if (node) {
        requireDraft(v);
        const part = (await partsOf(trx, id)).get(node.node_id) ?? OPEN_PART;
        const ownsIt = scope.user.nodes.includes(node.node_id);
        const above =
          isPreparer(scope) ||
          org
            .chain(node.node_id)
            .slice(1)
            .some((n) => scope.user.nodes.includes(n.node_id));
        if (node.level === 'group')
          throw new HttpError(400, 'invalid_parameter', "the group's part is the version itself", 'node');
        if (body.to === 'submitted') {
          if (!ownsIt && !isPreparer(scope))
            throw new HttpError(
              403,
              'forbidden',
              `the part of ${node.name} is submitted by its own managers`,
              'node',
            );
          if (part.status === 'submitted' || part.status === 'approved')
            throw new HttpError(
              409,
              'illegal_transition',
              `the part of ${node.name} is already ${part.status}`,
            );
        } else {
          if (!above)
            throw new HttpError(
              403,
              'forbidden',
              `the part of ${node.name} is approved or returned by the level above`,
              'node',
            );
          if (part.status !== 'submitted')
            throw new HttpError(
              409,
              'illegal_transition',
              `the part of ${node.name} is ${part.status}, not submitted`,
            );
        }
        // Touching the version row makes a write of lines that raced this move conflict (409), so
        // nothing lands in a part after it was handed up.
        await trx('app.budget_versions').where({ version_id: id }).update({ updated_at: now });
        await trx('app.budget_parts').where({ version_id: id, node_id: node.node_id }).delete();
        await trx('app.budget_parts').insert({
          version_id: id,
          node_id: node.node_id,
          status: body.to,
          note: body.note ?? null,
          actor,
          acted_at: now,
        });
        await record(trx, {
          actor,
          version_id: id,
          action: actionOf(body.to),
          node_id: node.node_id,
          note: body.note,
        });
        return;
      }
      const allowed =
        body.to === 'submitted'
          ? v.status === 'draft' && isPreparer(scope)
          : v.status === 'submitted' && scope.user.role === 'group';
      if (!allowed) {
        if (!isPreparer(scope) || (body.to !== 'submitted' && scope.user.role !== 'group'))
          throw new HttpError(
            403,
            'forbidden',
            `only ${body.to === 'submitted' ? 'finance and the group submit' : 'the group approves or returns'} a version`,
          );
        throw new HttpError(
          409,
          'illegal_transition',
          `version ${id} is ${v.status}: it cannot be ${body.to}`,
        );
      }
      const status = body.to === 'returned' ? 'draft' : body.to;
      await trx('app.budget_versions')
        .where({ version_id: id })
        .update({
          status,
          note: body.to === 'returned' ? body.note : v.note,
          updated_at: now,
          revision: v.revision + 1,
        });
      await record(trx, { actor, version_id: id, action: actionOf(body.to), note: body.note });
      if (status === 'approved') await govern(sqlOfKnex(trx), id, actor, now);
    })
    .catch(conflictOf);
  return versionDetail(knex, scope, id);
}

const actionOf = (to: 'submitted' | 'approved' | 'returned') =>
  to === 'submitted' ? 'submit' : to === 'approved' ? 'approve' : 'return';

/**
 * When the data's last day closes a month: the draft of the next rolling version, for finance —
 * the approved lines of the 11 months still ahead that have them, and the months without (the
 * new twelfth) seeded from the forecast. Made once per month closed; answers its id, or null.
 */
export async function proposeRollForward(
  knex: Knex,
  scope: Scope,
  forecasts: ForecastService,
): Promise<number | null> {
  const to = await dataTo(knex);
  if (!to || lastDay(to.slice(0, 7)) !== to) return null;
  const first = addMonths(to.slice(0, 7), 1);
  const exists = await knex('app.budget_versions')
    .where({ source: 'rollforward', first_month: firstDay(first) })
    .first();
  if (exists) return null;
  const months = monthsFrom(first, 12);
  // The governing line of each month, node and metric: the latest approval's that plans it.
  const governed = (
    (await knex.raw(
      `SELECT l.month, l.node_id, l.metric_id, l.target
       FROM app.budget_lines l
       JOIN app.budget_months m ON m.month = l.month AND m.version_id = l.version_id
       WHERE l.month BETWEEN ?::DATE AND ?::DATE
       QUALIFY row_number() OVER (PARTITION BY l.month, l.node_id, l.metric_id ORDER BY m.seq DESC) = 1`,
      [firstDay(months[0]!), firstDay(months.at(-1)!)],
    )) as { rows: LineRow[] }
  ).rows;
  const covered = new Set(governed.map((l) => monthOf(l.month)));
  const open = months.filter((m) => !covered.has(m));
  const seeded = open.length ? await seedLines(knex, scope, forecasts, open, { from: 'forecast' }) : [];
  const lines: NewLine[] = [
    ...governed.map((l) => ({
      month: monthOf(l.month),
      node_id: l.node_id,
      metric_id: l.metric_id,
      target: Number(l.target),
    })),
    ...seeded,
  ];
  return knex.transaction(async (trx) => {
    const now = new Date();
    const [row] = (await trx('app.budget_versions')
      .insert({
        name: `滚动预算 ${first} – ${months.at(-1)}`,
        first_month: firstDay(first),
        months: 12,
        status: 'draft',
        source: 'rollforward',
        source_detail: `approved lines for ${months.length - open.length} months, forecast for ${open.join(', ') || 'none'}`,
        author: 'system',
        created_at: now,
        updated_at: now,
      })
      .returning('version_id')) as { version_id: number }[];
    const versionId = Number(row!.version_id);
    await insertLines(trx, versionId, lines, 'system');
    await record(trx, { actor: 'system', version_id: versionId, action: 'rollforward', note: `after ${to}` });
    return versionId;
  });
}
