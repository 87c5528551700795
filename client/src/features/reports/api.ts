// What the report page asks the API for: one queryOptions per report kind and period, and the
// report subscriptions (报告订阅) with their deliveries, the recipients the caller may name, and
// the writes.
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ReportKind, ReportResponse } from '../../../../server/src/contract/reports.ts';
import type {
  deliveriesResponse,
  newSubscriptionBody,
  patchSubscriptionBody,
  RecipientUser,
  runStarted,
  Subscription,
} from '../../../../server/src/contract/subscriptions.ts';
import { apiDelete, apiGet, apiSend } from '../../shared/api/client.ts';

/** `period`: the month (monthly) or the last day (the others); none: the API's default. */
export const reportQuery = (kind: ReportKind, node: string, period: string | null) =>
  queryOptions({
    queryKey: ['report', kind, node, period],
    queryFn: ({ signal }) =>
      apiGet<ReportResponse>(`/reports/${kind}`, { node, ...(period ? { period } : {}) }, signal),
  });

export type Deliveries = z.output<typeof deliveriesResponse>;
export type ReportRun = Deliveries['runs'][number];

/** Every subscription the caller sees (the page filters them by node). */
export const subscriptionsQuery = () =>
  queryOptions({
    queryKey: ['subscriptions'],
    queryFn: ({ signal }) => apiGet<{ subscriptions: Subscription[] }>('/subscriptions', {}, signal),
  });

/** The users the caller may name as recipients (a group user: those of their scope; others: themselves). */
export const recipientsQuery = () =>
  queryOptions({
    queryKey: ['subscriptions', 'recipients'],
    queryFn: ({ signal }) => apiGet<{ users: RecipientUser[] }>('/subscriptions/recipients', {}, signal),
    staleTime: 60_000,
  });

/** A subscription's runs, newest first, with their deliveries. */
export const deliveriesQuery = (id: number) =>
  queryOptions({
    queryKey: ['subscriptions', id, 'deliveries'],
    queryFn: ({ signal }) => apiGet<Deliveries>(`/subscriptions/${id}/deliveries`, {}, signal),
  });

export const createSubscription = (body: z.input<typeof newSubscriptionBody>) =>
  apiSend<Subscription>('POST', '/subscriptions', body);

export const patchSubscription = (id: number, body: z.input<typeof patchSubscriptionBody>) =>
  apiSend<Subscription>('PATCH', `/subscriptions/${id}`, body);

export const deleteSubscription = (id: number) => apiDelete(`/subscriptions/${id}`);

export const runSubscription = (id: number) =>
  apiSend<z.output<typeof runStarted>>('POST', `/subscriptions/${id}/run`, {});
