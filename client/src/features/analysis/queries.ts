// What the analysis view asks the API for: the commentary and the bridges the user may see, at
// the node for the period against the chosen comparison. The view and its prefetch (right after
// sign-in, or a bookmark) build their queries here, so they share keys.
import type { QueryClient } from '@tanstack/react-query';
import type { ViewContext } from '../../shared/context.ts';
import { BRIDGES, bridgeQuery, commentaryQuery } from '../../shared/explain/api.ts';

/** The bridges of the metrics in the user's domains, in reading order. */
export const visibleBridges = (ctx: ViewContext) => BRIDGES.filter((b) => ctx.metrics.has(b.metric));

export async function prefetchAnalysis(
  queryClient: QueryClient,
  node: string,
  ctx: ViewContext,
): Promise<void> {
  if (!ctx.org.byId.get(node)?.in_scope) return; // the view asks once, for the server's refusal
  await Promise.all([
    queryClient.prefetchQuery(commentaryQuery(node, ctx.period)),
    ...visibleBridges(ctx).map((b) =>
      queryClient.prefetchQuery(bridgeQuery(b.kind, node, ctx.period, ctx.compare)),
    ),
  ]);
}
