// The finance view's own endpoints: receivables and OEM rebates ageing at a node on a date
// (GET /api/receivables/ageing, /api/rebates/ageing).
import { queryOptions } from '@tanstack/react-query';
import { apiGet } from '../../shared/api/client.ts';

export const AGEING_BUCKETS = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/** Open receivables of one counterparty type (or of all: 'all'), split by days past the due date. */
export type AgeingRow = Record<AgeingBucket, number> & {
  counterparty_type: 'customer' | 'oem' | 'bank' | 'insurer' | 'all' | (string & {});
  open: number;
  overdue: number;
};

export interface OverdueDocument {
  doc_no: string;
  store_id: string;
  store_name: string;
  counterparty: string;
  counterparty_type: string;
  doc_date: string;
  due_date: string;
  open_amount: number;
  days_overdue: number;
}

export interface AgeingResponse {
  node: { id: string; name: string; level: string };
  as_of: string;
  /** no_data: the receivables extract does not cover the date (nothing is made up). */
  reason?: 'no_data';
  by_type: AgeingRow[];
  total: AgeingRow | null;
  largest: OverdueDocument[];
}

export const ageingQuery = (node: string, date: string) =>
  queryOptions({
    queryKey: ['receivables-ageing', node, date],
    queryFn: ({ signal }) => apiGet<AgeingResponse>('/receivables/ageing', { node, date }, signal),
  });

/** OEM rebates earned and not yet received, of one brand (or of all: 'all'), split by days past the expected date. */
export type RebateAgeingRow = Record<AgeingBucket, number> & { brand: string; open: number; overdue: number };

export interface RebateAgeingResponse {
  node: { id: string; name: string; level: string };
  as_of: string;
  /** no_data: the extract has no oem_rebates.csv, or it does not cover the date. */
  reason?: 'no_data';
  by_brand: RebateAgeingRow[];
  total: RebateAgeingRow | null;
}

export const rebateAgeingQuery = (node: string, date: string) =>
  queryOptions({
    queryKey: ['rebates-ageing', node, date],
    queryFn: ({ signal }) => apiGet<RebateAgeingResponse>('/rebates/ageing', { node, date }, signal),
  });
