// A tracking report as tables: what the report page shows, what its Excel workbook holds (one sheet
// a table) and what a message summarises — one function, so the three never disagree. Pure: the
// client and the server's delivery both call it on /api/reports/KIND's answer.
import type { Lang } from './numbers.ts';
import type { ReportResponse } from './reports.ts';
import type { Cell, CellFormat, ExportTable } from './tables.ts';

export type Tone = 'good' | 'warning' | 'critical';

export interface ReportTable extends ExportTable {
  id: 'figures' | 'day' | 'units' | 'peers' | 'risks' | 'overdue' | 'recoveries' | `bridge_${string}`;
  title: string;
  /** Per row and column, where a cell carries a status colour (attainment, a change, an alert's level). */
  tones?: (Tone | null)[][];
}

type Words = Record<string, { zh: string; en: string }>;

const W = {
  metric: { zh: '指标', en: 'Metric' },
  actual: { zh: '实际', en: 'Actual' },
  target: { zh: '预算', en: 'Budget' },
  attainment: { zh: '完成率', en: 'Attainment' },
  lastYear: { zh: '去年同期', en: 'Last year' },
  yoy: { zh: '同比', en: 'vs last year' },
  prevWeek: { zh: '前7天', en: 'Previous 7 days' },
  prevChange: { zh: '环比', en: 'vs previous' },
  unit: { zh: '单位', en: 'Unit' },
  rank: { zh: '排名', en: 'Rank' },
  of: { zh: '同类门店数', en: 'Peers' },
  median: { zh: '与中位数差', en: 'vs median' },
  topQuartile: { zh: '与前25%差', en: 'vs top quartile' },
  level: { zh: '级别', en: 'Level' },
  value: { zh: '数值', en: 'Value' },
  threshold: { zh: '阈值', en: 'Threshold' },
  since: { zh: '首次出现', en: 'Since' },
  task: { zh: '任务状态', en: 'Task' },
  assignee: { zh: '责任人', en: 'Owner' },
  due: { zh: '到期', en: 'Due' },
  closed: { zh: '关闭于', en: 'Closed' },
  critical: { zh: '严重', en: 'Critical' },
  warning: { zh: '预警', en: 'Warning' },
  plan: { zh: '计划', en: 'Plan' },
  do: { zh: '执行', en: 'Do' },
  check: { zh: '检查', en: 'Check' },
  act: { zh: '处理', en: 'Act' },
  tFigures: { zh: '关键指标', en: 'Key figures' },
  tMonthToDate: { zh: '本月累计', en: 'Month to date' },
  tDay: { zh: '当日', en: 'The day' },
  tUnits: { zh: '下级单位', en: 'Units below' },
  tPeers: { zh: '同类门店排名', en: 'Rank among peers' },
  tRisks: { zh: '未关闭风险', en: 'Open risks' },
  tOverdue: { zh: '逾期任务', en: 'Overdue tasks' },
  tRecoveries: { zh: '已恢复风险', en: 'Recovered risks' },
  item: { zh: '项目', en: 'Item' },
  thisPeriod: { zh: '本期', en: 'This period' },
} satisfies Words;

type Figures = NonNullable<ReportResponse['figures']>;
type Value = Figures['values'][string];

/** A budget attainment's tone: on or above budget good, within 10 % below warning, else critical. */
const attainmentTone = (attainment: number | null | undefined, higherIsBetter: boolean): Tone | null => {
  if (attainment === null || attainment === undefined) return null;
  const score = higherIsBetter ? attainment : 2 - attainment;
  return score >= 1 ? 'good' : score >= 0.9 ? 'warning' : 'critical';
};

/** A change's tone: the metric moving its good way or not at all is good, else warning. */
const changeTone = (delta: number | null | undefined, higherIsBetter: boolean): Tone | null =>
  delta === null || delta === undefined
    ? null
    : (higherIsBetter ? delta >= 0 : delta <= 0)
      ? 'good'
      : 'warning';

export function reportTables(report: ReportResponse, lang: Lang): ReportTable[] {
  const w = (key: keyof typeof W) => W[key][lang];
  const name = (id: string) => report.catalog[id]?.name[lang] ?? id;
  const up = (id: string) => report.catalog[id]?.direction !== 'lower_is_better';
  /** A comparison's relative change, or (on a percentage, or a base where none is shown) its delta. */
  const change = (c: { change: number | null; delta: number | null } | undefined, unit: CellFormat) =>
    c?.change !== null && c?.change !== undefined
      ? { value: c.change as Cell, format: 'change' as CellFormat }
      : {
          value: (c?.delta ?? null) as Cell,
          format: unit === 'percent' ? 'points' : (`delta_${unit}` as CellFormat),
        };
  /** The attainment, or — for a loss against a positive budget, where a percentage means nothing —
   *  the money by which the budget is missed. */
  const versusBudget = (
    b: { attainment: number | null; variance: number | null } | undefined,
    unit: CellFormat,
    higherIsBetter: boolean,
  ): { value: Cell; format: CellFormat; tone: Tone | null } =>
    b && b.attainment !== null && b.attainment < 0
      ? {
          value: b.variance,
          format: unit === 'percent' ? 'points' : (`delta_${unit}` as CellFormat),
          tone: higherIsBetter ? 'critical' : 'good',
        }
      : {
          value: b?.attainment ?? null,
          format: 'percent',
          tone: attainmentTone(b?.attainment, higherIsBetter),
        };
  const tables: ReportTable[] = [];

  const figureTable = (id: 'figures' | 'day', title: string, f: Figures): ReportTable => {
    const budget = report.kind !== 'weekly' && id === 'figures';
    // The week against the 7 days before and last year; the others against last year.
    const bases = (report.kind === 'weekly' ? ['prev', 'yoy'] : ['yoy']) as ('prev' | 'yoy')[];
    const baseHeader = { prev: [w('prevWeek'), w('prevChange')], yoy: [w('lastYear'), w('yoy')] };
    const header = [
      w('metric'),
      w('actual'),
      ...(budget ? [w('target'), w('attainment')] : []),
      ...bases.flatMap((b) => baseHeader[b]),
    ];
    const rows: Cell[][] = [];
    const formats: (CellFormat | undefined)[][] = [];
    const tones: (Tone | null)[][] = [];
    for (const metric of f.metrics) {
      const v: Value | undefined = f.values[metric];
      if (!v) continue;
      const cells: Cell[] = [name(metric), v.value];
      const cellFormats: (CellFormat | undefined)[] = [undefined, v.unit];
      const cellTones: (Tone | null)[] = [null, null];
      if (budget) {
        const against = versusBudget(v.budget, v.unit, up(metric));
        cells.push(v.budget?.target ?? null, against.value);
        cellFormats.push(v.unit, against.format);
        cellTones.push(null, against.tone);
      }
      for (const b of bases) {
        const compared = v[b];
        const moved = change(compared, v.unit);
        cells.push(compared?.value ?? null, moved.value);
        cellFormats.push(v.unit, moved.format);
        cellTones.push(null, changeTone(compared?.delta, up(metric)));
      }
      rows.push(cells);
      formats.push(cellFormats);
      tones.push(cellTones);
    }
    return { id, name: title, title, header, rows, cellFormats: formats, tones };
  };

  if (report.day) tables.push(figureTable('day', w('tDay'), report.day));
  if (report.figures)
    tables.push(
      figureTable('figures', report.kind === 'daily' ? w('tMonthToDate') : w('tFigures'), report.figures),
    );

  // The bridges: the figure built up from its parts, each beside last year's.
  for (const b of report.bridges ?? []) {
    if (b.reason === 'no_data') continue;
    const rows: Cell[][] = [
      ...(b.start_label ? [[b.start_label[lang], b.start, b.base_start ?? null]] : []),
      ...b.steps.map((st) => [st.label[lang], st.value, st.base ?? null]),
      [b.end_label[lang], b.end, b.base_end ?? null],
    ];
    tables.push({
      id: `bridge_${b.kind}`,
      name: b.label[lang],
      title: b.label[lang],
      header: [w('item'), w('thisPeriod'), w('lastYear')],
      formats: [undefined, 'yuan', 'yuan'],
      rows,
    });
  }

  if (report.units && report.units.rows.length > 0) {
    const { metrics } = report.units;
    const relative = report.kind === 'weekly' ? 'prev' : 'budget';
    const header = [
      w('unit'),
      ...metrics.flatMap((m) => [
        name(m),
        `${name(m)} ${relative === 'budget' ? w('attainment') : w('prevChange')}`,
      ]),
    ];
    const formats: (CellFormat | undefined)[][] = [];
    const tones: (Tone | null)[][] = [];
    const rows = report.units.rows.map((row) => {
      const rowFormats: (CellFormat | undefined)[] = [undefined];
      const rowTones: (Tone | null)[] = [null];
      const cells: Cell[] = [row.name];
      for (const m of metrics) {
        const v = row.values[m];
        const unit = report.catalog[m]?.unit ?? 'count';
        if (relative === 'budget') {
          const against = versusBudget(v?.budget, unit, up(m));
          cells.push(v?.value ?? null, against.value);
          rowFormats.push(unit, against.format);
          rowTones.push(null, against.tone);
        } else {
          const moved = change(v?.prev, unit);
          cells.push(v?.value ?? null, moved.value);
          rowFormats.push(unit, moved.format);
          rowTones.push(null, changeTone(v?.prev?.delta, up(m)));
        }
      }
      formats.push(rowFormats);
      tones.push(rowTones);
      return cells;
    });
    tables.push({
      id: 'units',
      name: w('tUnits'),
      title: w('tUnits'),
      header,
      rows,
      cellFormats: formats,
      tones,
    });
  }

  if (report.peers && report.peers.length > 0) {
    const rows = report.peers.map((p) => [
      name(p.metric),
      p.value,
      p.rank,
      p.of,
      p.gap.median,
      p.gap.top_quartile,
    ]);
    // The gaps are differences: signed, a percentage's in points.
    const formats = report.peers.map((p) => {
      const unit = report.catalog[p.metric]?.unit ?? 'count';
      const gap: CellFormat = unit === 'percent' ? 'points' : `delta_${unit}`;
      return [undefined, unit, 'count', 'count', gap, gap] as (CellFormat | undefined)[];
    });
    tables.push({
      id: 'peers',
      name: w('tPeers'),
      title: w('tPeers'),
      header: [w('metric'), w('value'), w('rank'), w('of'), w('median'), w('topQuartile')],
      rows,
      cellFormats: formats,
    });
  }

  type Alert = NonNullable<ReportResponse['recoveries']>['rows'][number];
  const alertCells = (a: Alert): Cell[] => [
    w(a.level),
    a.metric.name?.[lang] ?? a.metric.id,
    a.node.name,
    a.value,
    a.threshold,
  ];
  const alertFormats = (a: Alert): (CellFormat | undefined)[] => [
    undefined,
    undefined,
    undefined,
    a.metric.unit ?? undefined,
    a.metric.unit ?? undefined,
  ];
  const alertHeader = [w('level'), w('metric'), w('unit'), w('value'), w('threshold')];
  if (report.risks && report.risks.top.length > 0)
    tables.push({
      id: 'risks',
      name: w('tRisks'),
      title: w('tRisks'),
      header: [...alertHeader, w('since'), w('task'), w('assignee')],
      rows: report.risks.top.map((a) => [
        ...alertCells(a),
        a.period,
        a.task ? w(a.task.status === 'closed' ? 'closed' : a.task.status) : null,
        a.task?.assignee_person?.name ?? a.task?.assignee ?? null,
      ]),
      cellFormats: report.risks.top.map(alertFormats),
      tones: report.risks.top.map((a) => [a.level, null, null, null, null, null, null, null]),
    });
  if (report.tasks && report.tasks.overdue.length > 0)
    tables.push({
      id: 'overdue',
      name: w('tOverdue'),
      title: w('tOverdue'),
      header: [...alertHeader, w('task'), w('assignee'), w('due')],
      rows: report.tasks.overdue.map((t) => [
        ...alertCells(t.alert),
        w(t.status === 'closed' ? 'closed' : t.status),
        t.assignee_person?.name ?? t.assignee,
        t.due_at.slice(0, 10),
      ]),
      cellFormats: report.tasks.overdue.map((t) => alertFormats(t.alert)),
    });
  if (report.recoveries && report.recoveries.rows.length > 0)
    tables.push({
      id: 'recoveries',
      name: w('tRecoveries'),
      title: w('tRecoveries'),
      header: [...alertHeader, w('closed')],
      rows: report.recoveries.rows.map((a) => [...alertCells(a), a.closed_at?.slice(0, 10) ?? null]),
      cellFormats: report.recoveries.rows.map(alertFormats),
    });
  return tables.map((t) => ({ ...t, lang }));
}

/** The report's title: 经营分析月报 · 华东区 · 2025-03. */
export const REPORT_TITLES = {
  monthly: { zh: '经营分析月报', en: 'Monthly business review' },
  weekly: { zh: '销售周报', en: 'Weekly sales flash' },
  daily: { zh: '经营日报', en: 'Daily quick report' },
  risk: { zh: '风险与PDCA状态', en: 'Risk & PDCA status' },
} as const;
