// What the report page asks the API for: one queryOptions per report kind and period.
import { queryOptions } from '@tanstack/react-query';
import type { ReportKind, ReportResponse } from '../../../../server/src/contract/reports.ts';
import { apiGet } from '../../shared/api/client.ts';

/** `period`: the month (monthly) or the last day (the others); none: the API's default. */
export const reportQuery = (kind: ReportKind, node: string, period: string | null) =>
  queryOptions({
    queryKey: ['report', kind, node, period],
    queryFn: ({ signal }) =>
      apiGet<ReportResponse>(`/reports/${kind}`, { node, ...(period ? { period } : {}) }, signal),
  });
