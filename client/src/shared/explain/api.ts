// "Why did it move?": GET /api/explain (each unit's part of a metric's change), /api/bridge (a
// waterfall from the base to the period, or a figure built from its parts) and /api/commentary
// (the period in words). The shapes are the contract's (server/src/contract/explain.ts), as types
// only: the client does not bundle zod.
import { queryOptions } from '@tanstack/react-query';
import type {
  BridgeKind,
  BridgeResponse,
  CommentaryResponse,
  ExplainResponse,
} from '../../../../server/src/contract/explain.ts';
import { BRIDGE_KINDS, BRIDGE_METRICS } from '../../../../server/src/contract/vocabulary.ts';
import { apiGet } from '../api/client.ts';
import type { Compare } from '../context.ts';
import type { PeriodRange } from '../metrics/api.ts';

export type {
  BridgeKind,
  BridgeResponse,
  BridgeStep,
  CommentaryResponse,
  ExplainedUnit,
  ExplainResponse,
} from '../../../../server/src/contract/explain.ts';

/** The bridges, in the order the analysis view shows them, each with the metric it explains. */
export const BRIDGES = BRIDGE_KINDS.map((kind) => ({ kind, metric: BRIDGE_METRICS[kind] }));

/** The bridge that explains a metric, if it has one. */
export const bridgeOf = (metric: string): BridgeKind | undefined =>
  BRIDGES.find((b) => b.metric === metric)?.kind;

export const explainQuery = (metric: string, node: string, period: PeriodRange, compare: Compare) =>
  queryOptions({
    queryKey: ['explain', metric, node, period.from, period.to, compare],
    queryFn: ({ signal }) =>
      apiGet<ExplainResponse>(
        '/explain',
        { metric, node, from: period.from, to: period.to, compare },
        signal,
      ),
  });

export const bridgeQuery = (kind: BridgeKind, node: string, period: PeriodRange, compare: Compare) =>
  queryOptions({
    queryKey: ['bridge', kind, node, period.from, period.to, compare],
    queryFn: ({ signal }) =>
      apiGet<BridgeResponse>('/bridge', { kind, node, from: period.from, to: period.to, compare }, signal),
  });

export const commentaryQuery = (node: string, period: PeriodRange) =>
  queryOptions({
    queryKey: ['commentary', node, period.from, period.to],
    queryFn: ({ signal }) =>
      apiGet<CommentaryResponse>('/commentary', { node, from: period.from, to: period.to }, signal),
  });
