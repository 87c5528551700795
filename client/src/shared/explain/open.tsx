// How a view opens the explain panel: it is in the URL (`explain=METRIC`, and `xnode=ID` for a
// unit below the view's node), so it can be bookmarked, sent and closed with Back. Its code is
// loaded when it is first opened, or when the pointer rests on a button that opens it.
import { lazy, Suspense } from 'react';
import { useLocation, navigate, withParams } from '../router.ts';

const load = () => import('./ExplainDrawer.tsx');
const ExplainDrawer = lazy(load);

/** Fetches the panel's code ahead of a click. */
export const preloadExplain = (): void => void load();

/** Opens the panel for `metric` at the view's node; the page behind stays where it is. */
export const openExplain = (metric: string): void =>
  navigate(withParams({ explain: metric, xnode: null }), { keepScroll: true });

/** The panel, when the URL asks for it. */
export function ExplainLayer({ viewNode }: { viewNode: string }) {
  const { params } = useLocation();
  if (!params.get('explain')) return null;
  return (
    <Suspense fallback={null}>
      <ExplainDrawer viewNode={viewNode} />
    </Suspense>
  );
}
