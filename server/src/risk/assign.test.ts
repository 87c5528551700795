// People on tasks, over real HTTP on fixtures/tiny: whom a task is with is shown by name and job
// title, and a task can be handed to someone who may see it, with an entry in its audit trail.
// Names and titles are those of tiny's staff.csv and org.csv, and of the users made below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';
import { evaluateRisks } from './evaluate.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;
/** The task of S1's fixed-absorption alert (after-sales gross 3 000 against salaries of 80 000 in March 2025). */
let taskId: number;

const send = (method: string, path: string, user: string, body?: unknown) =>
  server.send(method, path, tokens[user], body);

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'], name: '张伟' },
    { username: 'zhao.qiang', role: 'staff', nodes: [], staff: 'E-103' },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
    { username: 'sun.li.user', role: 'store', nodes: ['S2'] },
    { username: 'auditor', role: 'special', nodes: ['S1'], domains: ['aftersales'] },
  ]));
  const rules = (await send('GET', '/api/rules', 'chen.zong')).body.rules as {
    rule_id: number;
    metric_id: string;
    comparison: string;
  }[];
  const rule = rules.find((r) => r.metric_id === 'fixed_absorption' && r.comparison === 'value')!;
  expect((await send('PATCH', `/api/rules/${rule.rule_id}`, 'chen.zong', { enabled: true })).status).toBe(
    200,
  );
  await evaluateRisks(warehouse.knex);
  const tasks = (await send('GET', '/api/tasks?node=S1', 'chen.zong')).body.tasks as {
    id: number;
    alert: { metric: { id: string }; node: { id: string } };
  }[];
  taskId = tasks.find((t) => t.alert.metric.id === 'fixed_absorption' && t.alert.node.id === 'S1')!.id;
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('people on tasks', () => {
  it("shows whom a task is with by name and job title: a user's display name, a node owner without a user by the node they own", async () => {
    const task = (await send('GET', `/api/tasks/${taskId}`, 'chen.zong')).body;
    // S1's owner in org.csv is zhang.wei, a store user named 张伟.
    expect(task.assignee_person).toEqual({ username: 'zhang.wei', name: '张伟', title: 'store' });
    // Owners in tiny's org.csv without a user: their username, and the level of the node they own.
    const ownerLevel: Record<string, string> = {
      'li.hua': 'division',
      'zhao.min': 'division',
      'wang.qiang': 'region',
      'liu.yang': 'region',
      'sun.li': 'store',
      'huang.jie': 'store',
    };
    const alerts = (await send('GET', '/api/alerts?status=open,closed', 'chen.zong')).body.alerts as {
      task: { assignee: string; assignee_person: unknown } | null;
    }[];
    const byOwners = alerts.filter((a) => a.task && ownerLevel[a.task.assignee]);
    expect(byOwners.length).toBeGreaterThan(0);
    for (const { task } of byOwners)
      expect(task!.assignee_person).toEqual({
        username: task!.assignee,
        name: task!.assignee,
        title: ownerLevel[task!.assignee],
      });
  });

  it('lists whom the task may go to: users who see its node and its metric, special grants apart', async () => {
    const { assignees } = (await send('GET', `/api/tasks/${taskId}/assignees`, 'zhang.wei')).body;
    // fixed_absorption is an after-sales metric at S1: the group, the store, and 赵强 (service
    // advisor at S1, after-sales domain); not 王芳 (sales domains), not S2's manager, not the auditor.
    expect(assignees).toEqual([
      { username: 'chen.zong', name: 'chen.zong', title: 'group' },
      { username: 'zhang.wei', name: '张伟', title: 'store' },
      { username: 'zhao.qiang', name: '赵强', title: 'service_advisor' },
    ]);
  });

  it('refuses a hand-over to someone who may not see it, by a read-only grant or a staff user, or to whom has it', async () => {
    const cases: [string, unknown, number, string][] = [
      ['zhang.wei', { to: 'wang.fang' }, 400, 'assignee_out_of_scope'],
      ['zhang.wei', { to: 'sun.li.user' }, 400, 'assignee_out_of_scope'],
      ['zhang.wei', { to: 'nobody' }, 400, 'assignee_out_of_scope'],
      ['zhang.wei', { to: 'zhang.wei' }, 409, 'already_assigned'],
      ['zhang.wei', { who: 'zhao.qiang' }, 400, 'invalid_body'],
      ['auditor', { to: 'zhao.qiang' }, 403, 'read_only'],
    ];
    for (const [user, body, status, code] of cases) {
      const res = await send('POST', `/api/tasks/${taskId}/assign`, user, body);
      expect({ user, body, status: res.status, code: res.body.error?.code }).toEqual({
        user,
        body,
        status,
        code,
      });
    }
    const still = (await send('GET', `/api/tasks/${taskId}`, 'chen.zong')).body;
    expect(still.assignee).toBe('zhang.wei');
    expect(still.events.filter((e: { kind: string }) => e.kind === 'reassigned')).toEqual([]);
  });

  it('hands the task to a service advisor, with an audit entry; he then sees it and nothing else', async () => {
    const res = await send('POST', `/api/tasks/${taskId}/assign`, 'zhang.wei', {
      to: 'zhao.qiang',
      note: '工时毛利由服务顾问跟进',
    });
    expect(res.status).toBe(200);
    expect(res.body.assignee_person).toEqual({
      username: 'zhao.qiang',
      name: '赵强',
      title: 'service_advisor',
    });
    const [event] = res.body.events.filter((e: { kind: string }) => e.kind === 'reassigned');
    expect(event).toMatchObject({
      actor: 'zhang.wei',
      note: 'zhang.wei → zhao.qiang: 工时毛利由服务顾问跟进',
    });
    const [row] = (await warehouse.knex.raw(`SELECT assignee FROM app.tasks WHERE task_id = ?`, [taskId]))
      .rows as { assignee: string }[];
    expect(row!.assignee).toBe('zhao.qiang');

    const mine = (await send('GET', '/api/tasks', 'zhao.qiang')).body.tasks as { id: number }[];
    expect(mine.map((t) => t.id)).toEqual([taskId]);
    // The alert of the task he works, without the store's own figures (he reads his own only).
    const [alert] = (await send('GET', '/api/alerts', 'zhao.qiang')).body.alerts;
    expect(alert).toMatchObject({ value: null, threshold: null, score: null, impact_yuan: null });
    expect((await send('GET', `/api/tasks/${taskId}/assignees`, 'zhao.qiang')).status).toBe(403);
    // A staff user works the task but does not hand it on.
    expect(
      (await send('POST', `/api/tasks/${taskId}/assign`, 'zhao.qiang', { to: 'zhang.wei' })).status,
    ).toBe(403);
    const moved = await send('POST', `/api/tasks/${taskId}/transition`, 'zhao.qiang', {
      to: 'do',
      root_cause: '工时单价偏低',
      action_plan: '复核工时定价',
    });
    expect(moved.status).toBe(200);
    // 王芳 sees none of it.
    expect((await send('GET', '/api/tasks', 'wang.fang')).body.tasks).toEqual([]);
    expect((await send('GET', `/api/tasks/${taskId}`, 'wang.fang')).status).toBe(403);
  });
});
