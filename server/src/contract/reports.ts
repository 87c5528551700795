// The tracking reports (跟踪分析报告): what each kind holds, as /api/reports/KIND answers it for the
// caller's scope. The report page, its PDF, its Excel workbook and the messages that carry it are
// all drawn from this one answer.
import { z } from 'zod';
import { bridgeResponse, commentaryResponse } from './explain.ts';
import {
  bilingual,
  breakdownRow,
  direction,
  kpiValue,
  metricId,
  nodeRef,
  rankResponse,
  unit,
} from './metrics.ts';
import { date, text } from './params.ts';
import { alert, listedAlert, task } from './risk.ts';
import { TASK_STATUSES } from './vocabulary.ts';

/**
 * - `monthly` 经营分析月报: a month's key figures against budget and last year, the commentary,
 *   the units below (or, for a store, its rank among its peers), risks and PDCA status;
 * - `weekly` 周报: the 7 days to a day — units, the funnel, gross per unit — by unit below;
 * - `daily` 日报: a day and its month to date against budget, by unit below;
 * - `risk` 风险与PDCA: open alerts by level, overdue tasks, recoveries of the last 30 days.
 */
export const REPORT_KINDS = ['monthly', 'weekly', 'daily', 'risk'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const month = text(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .describe('The month (default: the last whole month of the data).');

export const monthlyReportQuery = z.object({ node: text(), period: month.optional() }).strict();
/** `period`: the report's last day (default: the data's last day). */
export const dayReportQuery = z.object({ node: text(), period: date.optional() }).strict();

const window = { from: z.string(), to: z.string() };

/** Key figures of one period, in reading order, each with its comparisons. */
export const reportFigures = z.strictObject({
  ...window,
  metrics: z.array(metricId),
  values: z.record(z.string(), kpiValue),
});

/** The units below the node (its children), one row each, with each metric's value and comparisons. */
export const reportUnits = z.strictObject({
  ...window,
  metrics: z.array(metricId),
  rows: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      store_type: z.string().nullable().optional(),
      values: z.record(z.string(), breakdownRow.omit({ id: true, name: true, store_type: true })),
    }),
  ),
});

export const reportRisks = z.strictObject({
  /** Open alerts by level, and the distinct problems (unit × metric) they are. */
  open: z.strictObject({ critical: z.int(), warning: z.int(), problems: z.int() }),
  /** The worst open alerts, one per problem. */
  top: z.array(listedAlert),
});

export const reportTasks = z.strictObject({
  /** Tasks by PDCA status. */
  by_status: z.record(z.enum(TASK_STATUSES), z.int()),
  overdue_count: z.int(),
  overdue: z.array(task),
});

export const reportResponse = z.strictObject({
  kind: z.enum(REPORT_KINDS),
  node: nodeRef,
  ...window,
  /** The last day of the loaded data. */
  data_to: z.string(),
  /** Every metric the report shows: its name, unit and which way is good (the report reads alone). */
  catalog: z.record(z.string(), z.strictObject({ name: bilingual, unit, direction })),
  /** The report's headline figures (monthly: the month; weekly: the 7 days; daily: the month to date). */
  figures: reportFigures.optional(),
  /** Daily: the day itself. */
  day: reportFigures.optional(),
  commentary: commentaryResponse.shape.sections.optional(),
  /** Monthly: net profit and operating cash flow built up from their parts, against last year
   *  (the caller's domains only). */
  bridges: z.array(bridgeResponse).optional(),
  units: reportUnits.optional(),
  /** A store's report: its rank among its peers on each headline metric. */
  peers: z.array(rankResponse).optional(),
  risks: reportRisks.optional(),
  tasks: reportTasks.optional(),
  /** Alerts closed in the report's window (the risk came back within its level). */
  recoveries: z.strictObject({ count: z.int(), rows: z.array(alert) }).optional(),
});

export type ReportResponse = z.output<typeof reportResponse>;
export type ReportFigures = z.output<typeof reportFigures>;
export type ReportUnits = z.output<typeof reportUnits>;
