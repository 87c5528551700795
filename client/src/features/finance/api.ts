// The finance view's own endpoints: receivables and OEM rebates ageing at a node on a date
// (GET /api/receivables/ageing, /api/rebates/ageing).
import { queryOptions } from '@tanstack/react-query';
import { apiGet } from '../../shared/api/client.ts';

// The shapes and the buckets are the API contract's (server/src/contract/finance.ts); AGEING_BUCKETS
// comes from the zod-free vocabulary, so the client does not bundle zod.
export { AGEING_BUCKETS, type AgeingBucket } from '../../../../server/src/contract/vocabulary.ts';
export type {
  OverdueDocument,
  ReceivablesAgeingResponse as AgeingResponse,
  ReceivablesAgeingRow as AgeingRow,
  RebatesAgeingResponse as RebateAgeingResponse,
  RebatesAgeingRow as RebateAgeingRow,
} from '../../../../server/src/contract/finance.ts';
import type {
  RebatesAgeingResponse,
  ReceivablesAgeingResponse,
} from '../../../../server/src/contract/finance.ts';

export const ageingQuery = (node: string, date: string) =>
  queryOptions({
    queryKey: ['receivables-ageing', node, date],
    queryFn: ({ signal }) => apiGet<ReceivablesAgeingResponse>('/receivables/ageing', { node, date }, signal),
  });

export const rebateAgeingQuery = (node: string, date: string) =>
  queryOptions({
    queryKey: ['rebates-ageing', node, date],
    queryFn: ({ signal }) => apiGet<RebatesAgeingResponse>('/rebates/ageing', { node, date }, signal),
  });
