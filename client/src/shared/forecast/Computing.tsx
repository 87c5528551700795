// A forecast that is not here yet: the first request for one the server has not computed answers
// 202 and the query keeps asking (main.tsx); meanwhile the panel says it is being computed.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isPending } from '../api/client.ts';
import { QueryState } from '../components/States.tsx';
import { useT } from '../i18n.ts';

/** Loading, or answered 202 (being computed). */
export const isComputing = (query: { isLoading: boolean; error: unknown }): boolean =>
  query.isLoading || isPending(query.error);

export function Computing({ height = 120 }: { height?: number }) {
  const t = useT();
  return (
    <div className="state loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('forecastPending')}
    </div>
  );
}

/** QueryState for a forecast: "being computed" until it is here. */
export function ForecastState<T>({
  query,
  height,
  children,
}: {
  query: UseQueryResult<T>;
  height?: number;
  children: (data: T) => ReactNode;
}) {
  if (isComputing(query)) return <Computing height={height} />;
  return (
    <QueryState query={query} height={height}>
      {children}
    </QueryState>
  );
}
