// Loading, empty and error states, the same everywhere. A 403 says "no access" with the server's
// reason rather than leaving a blank panel.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n.ts';

export function Loading({ height = 120 }: { height?: number }) {
  const t = useT();
  return (
    <div className="state loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('loading')}
    </div>
  );
}

export function Empty({ message }: { message?: string }) {
  const t = useT();
  return <div className="state empty">{message ?? t('empty')}</div>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const t = useT();
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="state no-access" role="alert" data-state="no-access">
        <strong>{t('noAccess')}</strong>
        <span>{t('noAccessDetail')}</span>
        <small>{error.message}</small>
      </div>
    );
  }
  const offline = error instanceof ApiError && error.status === 0;
  return (
    <div className="state error" role="alert" data-state="error">
      <strong>{offline ? t('offline') : t('error')}</strong>
      {!offline && error instanceof Error && <small>{error.message}</small>}
      {retry && (
        <button type="button" className="button" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Renders `children(data)` once the query has data; its loading, error and empty states otherwise. */
export function QueryState<T>({
  query,
  isEmpty,
  height,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  height?: number;
  children: (data: T) => ReactNode;
}) {
  // A pending query that is not fetching is disabled (nothing to ask for, e.g. a view with no
  // cards this user may see): it will never load, so it is empty.
  if (query.isPending) return query.fetchStatus === 'idle' ? <Empty /> : <Loading height={height} />;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty />;
  return <>{children(query.data)}</>;
}
