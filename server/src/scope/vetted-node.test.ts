// Scope in the types: a query takes only a node that Scope.node() vetted. Each call under an
// expect-error directive must not compile (npm run typecheck fails if one does); the last ones must.
import type { Response } from 'express';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { receivablesAgeing } from '../finance/ageing.ts';
import { kpis } from '../metrics/service.ts';
import { listAlerts } from '../risk/service.ts';
import type { OrgNode, Scope } from './scope.ts';

const period = { from: '2025-01-01', to: '2025-01-31' };

/** Never called: only compiled. */
async function uses(knex: Knex, scope: Scope, fromRequest: string, handMade: OrgNode, res: Response) {
  // @ts-expect-error res.locals.scope is typed (a Scope), not any
  const typed: number = res.locals.scope;

  // @ts-expect-error a node id from a request is not a vetted node
  await kpis(scope, fromRequest, [], period, []);
  // @ts-expect-error nor is an org node that did not come from Scope.node()
  await kpis(scope, handMade, [], period, []);
  // @ts-expect-error measures need a vetted node
  await scope.measures(handMade, { measures: [], periods: [], grouping: { by: 'none' } });
  // @ts-expect-error fact rows need a vetted node
  scope.factRows(handMade, 'fact_receivables', 'finance');
  // @ts-expect-error ageing needs a vetted node
  await receivablesAgeing(knex, scope, handMade, '2025-01-31');
  // @ts-expect-error an alert filter needs a vetted node
  await listAlerts(knex, scope, { node: fromRequest, limit: 10 });

  const node = await scope.node(fromRequest);
  await kpis(scope, node, [], period, []);
  await receivablesAgeing(knex, scope, node, '2025-01-31');
  await listAlerts(knex, scope, { node, limit: 10 });
  return typed;
}

describe('VettedNode', () => {
  it('is the only node a query accepts (checked by the compiler)', () => {
    expect(uses).toBeTypeOf('function');
  });
});
