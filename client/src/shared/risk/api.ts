// Risk alerts, rules and PDCA tasks: the contract's types, queryOptions (the only place
// their keys are built) and the task writes, which refresh every alert and task query.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiSend } from '../api/client.ts';

import type {
  Alert,
  ListedAlert,
  Person,
  Rule,
  Task,
  TaskDetail,
  TaskEvent,
  TransitionInput,
} from '../../../../server/src/contract/risk.ts';
import type { AlertLevel, RuleComparison, TaskStatus } from '../../../../server/src/contract/vocabulary.ts';

// The shapes are the API contract's (server/src/contract/risk.ts); an alert of the list carries its group.
export type {
  Alert,
  AlertLevel,
  ListedAlert,
  Person,
  Rule,
  RuleComparison,
  Task,
  TaskDetail,
  TaskEvent,
  TaskStatus,
  TransitionInput,
};
export const BOARD_COLUMNS: TaskStatus[] = ['plan', 'do', 'check', 'act'];

/** Tasks change with other people's moves and with escalation: re-read them on each visit, not only after a load. */
const FRESH_MS = 10_000;

export const alertsQuery = (node: string, status: 'open' | 'closed' = 'open') =>
  queryOptions({
    queryKey: ['alerts', node, status],
    staleTime: FRESH_MS,
    queryFn: ({ signal }) =>
      apiGet<{ alerts: ListedAlert[] }>('/alerts', { node, status, limit: 1000 }, signal),
  });

/** The risk rules (every signed-in user may read them): which metrics are watched at all. */
export const rulesQuery = () =>
  queryOptions({
    queryKey: ['rules'],
    staleTime: 60_000,
    queryFn: ({ signal }) => apiGet<{ rules: Rule[] }>('/rules', undefined, signal),
  });

export const tasksQuery = (filter: { node: string; mine: boolean; closed: boolean }) =>
  queryOptions({
    queryKey: ['tasks', filter.node, filter.mine, filter.closed],
    staleTime: FRESH_MS,
    queryFn: ({ signal }) =>
      apiGet<{ tasks: Task[] }>(
        '/tasks',
        {
          node: filter.node,
          assignee: filter.mine ? 'me' : undefined,
          status: filter.closed ? undefined : BOARD_COLUMNS.join(','),
          limit: 1000,
        },
        signal,
      ),
  });

export const taskQuery = (id: string) =>
  queryOptions({
    queryKey: ['task', id],
    staleTime: FRESH_MS,
    queryFn: ({ signal }) => apiGet<TaskDetail>(`/tasks/${encodeURIComponent(id)}`, undefined, signal),
  });

/** Whom a task may go to (people who may see it). */
export const assigneesQuery = (id: number) =>
  queryOptions({
    queryKey: ['task', String(id), 'assignees'],
    staleTime: FRESH_MS,
    queryFn: ({ signal }) => apiGet<{ assignees: Person[] }>(`/tasks/${id}/assignees`, undefined, signal),
  });

/** Moves, comments and actions: each answers with the task, and every list that shows it is refetched. */
export function useTaskWrite(taskId: number) {
  const queryClient = useQueryClient();
  const onSuccess = (task: TaskDetail) => {
    queryClient.setQueryData(taskQuery(String(taskId)).queryKey, task);
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    void queryClient.invalidateQueries({ queryKey: ['alerts'] });
  };
  // A refusal (409: someone moved it meanwhile) means the task on screen is stale: read it again.
  const onError = () => void queryClient.invalidateQueries({ queryKey: taskQuery(String(taskId)).queryKey });
  const move = useMutation({
    mutationFn: (input: TransitionInput) => apiSend<TaskDetail>('POST', `/tasks/${taskId}/transition`, input),
    onSuccess,
    onError,
  });
  const note = useMutation({
    mutationFn: (input: { text: string; kind: 'comment' | 'action' }) =>
      apiSend<TaskDetail>('POST', `/tasks/${taskId}/comments`, input),
    onSuccess,
    onError,
  });
  const assign = useMutation({
    mutationFn: (input: { to: string; note?: string }) =>
      apiSend<TaskDetail>('POST', `/tasks/${taskId}/assign`, input),
    onSuccess,
    onError,
  });
  return { move, note, assign };
}
