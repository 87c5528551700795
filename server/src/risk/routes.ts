// /api/alerts, /api/rules, /api/tasks: parse, check the role, call, respond.
import { Router, type Response } from 'express';
import type { Knex } from 'knex';
import { alertsQuery, rulesQuery, tasksQuery } from '../contract/risk.ts';
import { idParam as ID } from '../contract/params.ts';
import { HttpError } from '../errors.ts';
import { parseParam, parseQuery } from '../validate.ts';
import type { Scope } from '../scope/scope.ts';
import type { AlertLevel } from '../contract/vocabulary.ts';
import { createRule, listRules, updateRule } from './rules.ts';
import { assignees, canAct, canReassign, getTask, listAlerts, listTasks } from './service.ts';
import { comment, reassign, transition } from './tasks.ts';

const idParam = (value: unknown): number => parseParam(ID, value, 'id');

function requireGroup(scope: Scope): void {
  if (scope.user.role !== 'group')
    throw new HttpError(403, 'forbidden', 'only group users may add or change risk rules');
}

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function riskRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/alerts', async (req, res) => {
    const q = parseQuery(alertsQuery, req.query);
    const { scope } = res.locals;
    res.json(await listAlerts(knex, scope, { ...q, node: q.node ? await scope.node(q.node) : undefined }));
  });

  router.get('/rules', async (req, res) => {
    parseQuery(rulesQuery, req.query);
    res.json({ rules: await listRules(knex) });
  });

  router.post('/rules', async (req, res) => {
    const { scope } = res.locals;
    requireGroup(scope);
    res.status(201).json(await createRule(knex, req.body, scope.user.username));
  });

  router.patch('/rules/:id', async (req, res) => {
    const { scope } = res.locals;
    requireGroup(scope);
    res.json(await updateRule(knex, idParam(req.params.id), req.body, scope.user.username));
  });

  router.get('/tasks', async (req, res) => {
    const q = parseQuery(tasksQuery, req.query);
    const { scope } = res.locals;
    res.json(
      await listTasks(knex, scope, {
        ...q,
        node: q.node ? await scope.node(q.node) : undefined,
        assignee: q.assignee === 'me' ? scope.user.username : q.assignee,
      }),
    );
  });

  router.get('/tasks/:id', async (req, res) => {
    res.json(await getTask(knex, res.locals.scope, idParam(req.params.id)));
  });

  /** The task, if the caller may see it (403/404 otherwise). */
  const visibleTask = async (req: { params: Record<string, unknown> }, res: Response) => {
    const { scope } = res.locals;
    const task = await getTask(knex, scope, idParam(req.params.id));
    return { scope, task };
  };
  /** Whom a task the caller sees may go to. */
  const assigneesOf = (task: Awaited<ReturnType<typeof getTask>>) =>
    assignees(knex, { node: String(task.alert.node.id), metric: task.alert.metric.id });

  router.post('/tasks/:id/transition', async (req, res) => {
    const { scope, task } = await visibleTask(req, res);
    if (!canAct(scope))
      throw new HttpError(
        403,
        'read_only',
        'your grant is read-only: you can follow tasks but not move them',
      );
    await transition(
      knex,
      { task_id: task.id, status: task.status, level: task.alert.level as AlertLevel },
      req.body,
      scope.user.username,
    );
    res.json(await getTask(knex, scope, task.id));
  });

  router.get('/tasks/:id/assignees', async (req, res) => {
    const { scope, task } = await visibleTask(req, res);
    // Colleagues' names are for who hands tasks on.
    if (!canReassign(scope))
      throw new HttpError(403, 'read_only', 'your grant cannot hand tasks on to someone else');
    res.json(await assigneesOf(task));
  });

  router.post('/tasks/:id/assign', async (req, res) => {
    const { scope, task } = await visibleTask(req, res);
    if (!canReassign(scope))
      throw new HttpError(403, 'read_only', 'your grant cannot hand tasks on to someone else');
    const may = new Set((await assigneesOf(task)).assignees.map((p) => p.username));
    await reassign(
      knex,
      { task_id: task.id, assignee: String(task.assignee) },
      req.body,
      scope.user.username,
      (u) => may.has(u),
    );
    res.json(await getTask(knex, scope, task.id));
  });

  router.post('/tasks/:id/comments', async (req, res) => {
    const { scope, task } = await visibleTask(req, res);
    // Read-only grants may comment; an action is part of doing the task.
    if (!canAct(scope) && (req.body as { kind?: unknown } | undefined)?.kind === 'action') {
      throw new HttpError(
        403,
        'read_only',
        'your grant is read-only: you can comment but not log actions',
        'kind',
      );
    }
    await comment(
      knex,
      { task_id: task.id, status: task.status, level: task.alert.level as AlertLevel },
      req.body,
      scope.user.username,
    );
    res.status(201).json(await getTask(knex, scope, task.id));
  });

  return router;
}
