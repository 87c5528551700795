// Risk alerts, rules and PDCA tasks: types as the API sends them, queryOptions (the only place
// their keys are built) and the task writes, which refresh every alert and task query.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiSend } from '../api/client.ts';
import type { Unit } from '../format.ts';

export type AlertLevel = 'warning' | 'critical';
export type TaskStatus = 'plan' | 'do' | 'check' | 'act' | 'closed';
export const BOARD_COLUMNS: TaskStatus[] = ['plan', 'do', 'check', 'act'];

export interface Alert {
  id: number;
  status: 'open' | 'closed';
  level: AlertLevel;
  period: string;
  last_period: string;
  value: number | null;
  threshold: number | null;
  score: number | null;
  within: boolean;
  first_seen: string;
  last_seen: string;
  /** Money at stake (元): what the breach ties up or loses, where it can be estimated. */
  impact_yuan: number | null;
  metric: {
    id: string;
    name: { zh: string; en: string } | null;
    domain: string;
    unit: Unit;
    direction: string;
  };
  node: { id: string; name: string; level: string; parent_id: string | null };
  rule: {
    id: number;
    comparison: RuleComparison;
    op: '>' | '<';
    warning: number;
    critical: number | null;
    warning_periods: number;
    critical_periods: number;
    floor: number | null;
  };
  task: { id: number; status: TaskStatus; assignee: string; due_at: string } | null;
  /** Alerts of one node and metric follow each other in the list; `first` on the first of them. */
  group: { key: string; size: number; first: boolean };
}

export type RuleComparison = 'value' | 'attainment' | 'yoy_change' | 'peer_deviation';

export interface Rule {
  rule_id: number;
  metric_id: string;
  comparison: RuleComparison;
  op: '>' | '<';
  warning: number;
  critical: number | null;
  warning_periods: number;
  critical_periods: number;
  levels: string[];
  floor: number | null;
  enabled: boolean;
  source: 'industry' | 'suggested' | 'custom';
  note: string | null;
}

export interface Task {
  id: number;
  status: TaskStatus;
  assignee: string;
  due_at: string;
  overdue: boolean;
  escalations: number;
  next: TaskStatus[];
  alert: Alert;
}

export interface TaskEvent {
  event_id: number;
  happened_at: string;
  actor: string;
  kind: 'created' | 'transition' | 'action' | 'comment' | 'escalation' | 'check';
  from_status: TaskStatus | null;
  to_status: TaskStatus | null;
  note: string | null;
}

export interface TaskDetail extends Task {
  root_cause: string | null;
  action_plan: string | null;
  conclusion: string | null;
  standardised: string | null;
  events: TaskEvent[];
}

/** Tasks change with other people's moves and with escalation: re-read them on each visit, not only after a load. */
const FRESH_MS = 10_000;

export const alertsQuery = (node: string, status: 'open' | 'closed' = 'open') =>
  queryOptions({
    queryKey: ['alerts', node, status],
    staleTime: FRESH_MS,
    queryFn: ({ signal }) => apiGet<{ alerts: Alert[] }>('/alerts', { node, status, limit: 1000 }, signal),
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

export interface TransitionInput {
  to: TaskStatus;
  note?: string;
  root_cause?: string;
  action_plan?: string;
  conclusion?: string;
  standardised?: string;
}

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
  return { move, note };
}
