// The landing (预计完成) of a page's metrics: one /api/landing request, and what the page shows
// of it while it is asked for or being computed (the words are landing.ts's).
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { isPending } from '../api/client.ts';
import { landingQuery, type LandingResponse } from './api.ts';
import { landingMetrics, type LandingItem } from './landing.ts';

/** What a page shows of the landing: the items by metric once in, and whether it is being computed. */
export interface Landing {
  items: Map<string, LandingItem> | null;
  /** The server is computing the forecast (202): "预测计算中…". */
  computing: boolean;
  /** Refused or failed: the page shows no landing at all (not even the line's room). */
  failed: boolean;
}

/**
 * One /api/landing request for all of a page's landing metrics (those among `ids`: the caller's
 * cards, so only metrics the user may see). It never holds up what the page draws: until it
 * answers, the page has no landing. A forecast being computed answers 202 and is asked again
 * (main.tsx); meanwhile `computing`. A failure shows nothing: the landing is an extra line.
 */
export function useLanding(
  node: string,
  ids: readonly string[],
  options: { enabled?: boolean } = {},
): Landing {
  const metrics = landingMetrics(ids);
  return landingOf(
    useQuery({ ...landingQuery(node, metrics), enabled: (options.enabled ?? true) && metrics.length > 0 }),
  );
}

/** What a page shows of a landing query's state (a page that builds its own query: the wall). */
export function landingOf(
  query: Pick<UseQueryResult<LandingResponse>, 'data' | 'failureReason' | 'isError'>,
): Landing {
  return {
    items: query.data ? new Map(query.data.items.map((i) => [i.metric, i])) : null,
    computing: !query.data && isPending(query.failureReason),
    failed: !query.data && query.isError,
  };
}
