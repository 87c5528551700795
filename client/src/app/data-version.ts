// When a load commits, the data version (/api/version's run_id) changes: then every cached figure,
// the catalog and the org tree may be out of date, so all of them are fetched again.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { versionQuery } from '../features/metrics/api.ts';

/** Polls the data version every minute; use once (each observer with an interval polls on its own). */
export function useDataVersionWatch(): void {
  const queryClient = useQueryClient();
  const runId = useQuery({ ...versionQuery(), refetchInterval: 60_000 }).data?.run_id;
  const seen = useRef(runId);
  useEffect(() => {
    if (runId === undefined) return; // not known yet
    if (seen.current !== undefined && seen.current !== runId) {
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'version' });
    }
    seen.current = runId;
  }, [runId, queryClient]);
}
