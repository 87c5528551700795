// What the budget page asks the API for: one queryOptions per endpoint, and the writes.
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  allocateBody,
  budgetLinesBody,
  BudgetDetail,
  BudgetLines,
  BudgetVersion,
  newBudgetBody,
  transitionBudgetBody,
} from '../../../../server/src/contract/budgets.ts';
import { apiGet, apiSend } from '../../shared/api/client.ts';

export const budgetsQuery = () =>
  queryOptions({
    queryKey: ['budgets'],
    queryFn: ({ signal }) => apiGet<{ versions: BudgetVersion[] }>('/budgets', {}, signal),
  });

export const budgetQuery = (id: number) =>
  queryOptions({
    queryKey: ['budgets', id],
    queryFn: ({ signal }) => apiGet<BudgetDetail>(`/budgets/${id}`, {}, signal),
  });

export const budgetLinesQuery = (id: number, node: string, metric: string) =>
  queryOptions({
    queryKey: ['budgets', id, 'lines', node, metric],
    queryFn: ({ signal }) => apiGet<BudgetLines>(`/budgets/${id}/lines`, { node, metric }, signal),
  });

export const createBudget = (body: z.input<typeof newBudgetBody>) =>
  apiSend<BudgetDetail>('POST', '/budgets', body);

export const writeBudgetLines = (id: number, body: z.input<typeof budgetLinesBody>) =>
  apiSend<{ lines: unknown[] }>('PUT', `/budgets/${id}/lines`, body);

export const allocateBudget = (id: number, body: z.input<typeof allocateBody>) =>
  apiSend<BudgetLines>('POST', `/budgets/${id}/allocate`, body);

export const moveBudget = (id: number, body: z.input<typeof transitionBudgetBody>) =>
  apiSend<BudgetDetail>('POST', `/budgets/${id}/transition`, body);
