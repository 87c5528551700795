// When a load commits, the data version (/api/version's run_id) changes: then every cached figure,
// the catalog and the org tree may be out of date, so all of them are fetched again. Invalidated
// queries keep their data while they refetch, so the screen changes figures without a blank.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { versionQuery } from './metrics/api.ts';

/**
 * Polls the data version; use once per page (each observer with an interval polls on its own).
 * A wall polls often and without retries, so an unreachable server shows as such at once.
 */
export function useDataVersionWatch(options: { everyMs: number; retry?: false } = { everyMs: 60_000 }) {
  const queryClient = useQueryClient();
  const version = useQuery({
    ...versionQuery(),
    refetchInterval: options.everyMs,
    refetchIntervalInBackground: true,
    ...(options.retry === false ? { retry: false } : {}),
  });
  const runId = version.data?.run_id;
  const seen = useRef(runId);
  useEffect(() => {
    if (runId === undefined) return; // not known yet
    if (seen.current !== undefined && seen.current !== runId) {
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'version' });
    }
    seen.current = runId;
  }, [runId, queryClient]);
  return version;
}
