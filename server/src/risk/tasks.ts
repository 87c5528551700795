// PDCA tasks: one per alert, assigned to the owner of the alert's node. Plan (root cause and
// action plan) → Do (actions logged) → Check (the evaluation after each load re-judges the metric)
// → Act (closed with a conclusion and what was standardised, or re-opened to Plan). Every change
// is an event in app.task_events, the audit trail.
import type { Knex } from 'knex';
import { assignBody, commentBody, transitionBody } from '../contract/risk.ts';
import type { AlertLevel, TaskStatus } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../validate.ts';

/** Days a new (or escalated) task has, by the alert's level. */
export const DUE_DAYS: Record<AlertLevel, number> = { critical: 3, warning: 7 };

export const SYSTEM = 'system';

type TaskText = 'root_cause' | 'action_plan' | 'conclusion' | 'standardised';

interface Transition {
  from: TaskStatus;
  to: TaskStatus;
  /** Fields the transition records on the task; each must be given, non-empty. */
  requires: TaskText[];
  /** A note is required (why the task goes back). */
  needsNote?: boolean;
}

/** What people may do. Check → Act is not here: only the evaluation after a load does it. */
const TRANSITIONS: Transition[] = [
  { from: 'plan', to: 'do', requires: ['root_cause', 'action_plan'] },
  { from: 'do', to: 'check', requires: [] },
  { from: 'do', to: 'plan', requires: [], needsNote: true },
  { from: 'check', to: 'plan', requires: [], needsNote: true },
  { from: 'act', to: 'closed', requires: ['conclusion', 'standardised'] },
  { from: 'act', to: 'plan', requires: [], needsNote: true },
];

export const nextStatuses = (status: TaskStatus): TaskStatus[] =>
  TRANSITIONS.filter((t) => t.from === status).map((t) => t.to);

export interface TaskEvent {
  event_id: number;
  happened_at: string;
  actor: string;
  kind: 'created' | 'transition' | 'action' | 'comment' | 'escalation' | 'check' | 'reassigned';
  from_status: TaskStatus | null;
  to_status: TaskStatus | null;
  note: string | null;
}

export async function addEvent(
  knex: Knex,
  taskId: number,
  event: Omit<TaskEvent, 'event_id' | 'happened_at'>,
  at: Date,
): Promise<void> {
  await knex('app.task_events').insert({ task_id: taskId, happened_at: at.toISOString(), ...event });
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** Opens the task of a new alert, assigned to the node's owner (the nearest one up the tree). */
export async function openTask(
  knex: Knex,
  alert: { alert_id: number; node_id: string; metric_id: string; level: AlertLevel },
  now: Date,
): Promise<number> {
  const assignee = (await nearestOwner(knex, alert.node_id)) ?? SYSTEM;
  const [row] = (await knex('app.tasks')
    .insert({
      alert_id: alert.alert_id,
      node_id: alert.node_id,
      metric_id: alert.metric_id,
      status: 'plan',
      assignee,
      due_at: addDays(now, DUE_DAYS[alert.level]).toISOString(),
      escalations: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('task_id')) as { task_id: number }[];
  const taskId = Number(row!.task_id);
  await addEvent(
    knex,
    taskId,
    { actor: SYSTEM, kind: 'created', from_status: null, to_status: 'plan', note: `assigned to ${assignee}` },
    now,
  );
  return taskId;
}

/** The owner of the node or, when it has none, of the nearest node above that has one. */
async function nearestOwner(knex: Knex, nodeId: string): Promise<string | null> {
  return (await ownersUp(knex, nodeId)).find((o) => o.owner !== null)?.owner ?? null;
}

/** The node's ancestors from the node itself up, with their owners. */
async function ownersUp(knex: Knex, nodeId: string): Promise<{ depth: number; owner: string | null }[]> {
  return (await knex('org_closure as c')
    .join('dim_org as o', 'o.node_id', 'c.ancestor_id')
    .where('c.descendant_id', nodeId)
    .orderBy('c.depth')
    .select('c.depth', 'o.owner')) as { depth: number; owner: string | null }[];
}

/** The next owner above the one a task is with: skips nodes without an owner and nodes the same person owns. */
export function nextOwner(
  chain: readonly { depth: number; owner: string | null }[],
  assignee: string,
): string | null {
  const at = Math.max(0, ...chain.filter((c) => c.owner === assignee).map((c) => Number(c.depth)));
  return chain.find((c) => Number(c.depth) > at && c.owner !== null && c.owner !== assignee)?.owner ?? null;
}

/**
 * Overdue tasks go to the owner one level further up, with a new due date. Not those in Check:
 * they wait for the next load, not for a person. A task already at the top stays where it is.
 */
export async function escalateOverdue(knex: Knex, now: Date): Promise<number> {
  const overdue = (await knex('app.tasks as t')
    .join('app.alerts as a', 'a.alert_id', 't.alert_id')
    .whereNotIn('t.status', ['check', 'closed'])
    .where('t.due_at', '<', now.toISOString())
    .select('t.task_id', 't.node_id', 't.status', 't.assignee', 't.escalations', 'a.level')) as {
    task_id: number;
    node_id: string;
    status: TaskStatus;
    assignee: string;
    escalations: number;
    level: AlertLevel;
  }[];
  let escalated = 0;
  for (const task of overdue) {
    const owner = nextOwner(await ownersUp(knex, task.node_id), task.assignee);
    await knex.transaction(async (trx) => {
      // The status guard: a task moved meanwhile is left to its new stage.
      const changed = await trx('app.tasks')
        .where({ task_id: task.task_id, status: task.status })
        .update({
          ...(owner ? { assignee: owner, escalations: Number(task.escalations) + 1 } : {}),
          due_at: addDays(now, DUE_DAYS[task.level]).toISOString(),
          updated_at: now.toISOString(),
        });
      if (!changed) return;
      await addEvent(
        trx,
        Number(task.task_id),
        {
          actor: SYSTEM,
          kind: 'escalation',
          from_status: null,
          to_status: null,
          note: owner
            ? `overdue: escalated from ${task.assignee} to ${owner}`
            : `overdue; no owner above ${task.assignee}, due date renewed`,
        },
        now,
      );
      if (owner) escalated += 1;
    });
  }
  return escalated;
}

// ---- Transitions and comments by people.

interface TaskRow {
  task_id: number;
  status: TaskStatus;
  /** The alert's level: each stage gets its own due date. */
  level: AlertLevel;
}

/** Applies a person's transition, or answers 409 (not allowed from here) / 400 (missing field). */
export async function transition(
  knex: Knex,
  task: TaskRow,
  body: unknown,
  actor: string,
  now = new Date(),
): Promise<void> {
  const input = parseBody(transitionBody, body);
  const rule = TRANSITIONS.find((t) => t.from === task.status && t.to === input.to);
  if (!rule) {
    const allowed = nextStatuses(task.status);
    const why =
      task.status === 'check' && input.to === 'act'
        ? 'a task moves from check to act by itself, when the evaluation after a load finds the metric back within threshold'
        : `from ${task.status} a task can go to ${allowed.length ? allowed.join(' or ') : 'nowhere: it is closed'}`;
    throw new HttpError(
      409,
      'illegal_transition',
      `task ${task.task_id} is in ${task.status} and cannot move to ${input.to}: ${why}`,
      'to',
    );
  }
  for (const field of rule.requires) {
    if (!input[field])
      throw new HttpError(
        400,
        'invalid_body',
        `${field}: required to move a task from ${rule.from} to ${rule.to}`,
        field,
      );
  }
  if (rule.needsNote && !input.note)
    throw new HttpError(400, 'invalid_body', `note: say why the task goes back to ${rule.to}`, 'note');
  if (rule.from === 'do' && rule.to === 'check') {
    // Actions of this round of Do: since the task last moved into it.
    const since = knex('app.task_events')
      .where({ task_id: task.task_id, kind: 'transition', to_status: 'do' })
      .max('event_id');
    const { n } = (await knex('app.task_events')
      .where({ task_id: task.task_id, kind: 'action' })
      .where('event_id', '>', since)
      .count({ n: '*' })
      .first()) as { n: number };
    if (Number(n) === 0)
      throw new HttpError(
        409,
        'illegal_transition',
        `task ${task.task_id}: log at least one action taken before moving to check`,
        'to',
      );
  }
  await knex
    .transaction(async (trx) => {
      // The status in the WHERE makes a concurrent transition of the same task lose cleanly; DuckDB
      // may instead refuse the second writer with a conflict, which is the same answer (catch below).
      const changed = await trx('app.tasks')
        .where({ task_id: task.task_id, status: task.status })
        .update({
          status: rule.to,
          ...Object.fromEntries(rule.requires.map((f) => [f, input[f]])),
          due_at: addDays(now, DUE_DAYS[task.level]).toISOString(),
          updated_at: now.toISOString(),
        });
      if (!changed)
        throw new HttpError(
          409,
          'illegal_transition',
          `task ${task.task_id} changed meanwhile; reload it`,
          'to',
        );
      if (rule.to === 'closed') {
        await trx('app.alerts')
          .whereIn('alert_id', trx('app.tasks').where({ task_id: task.task_id }).select('alert_id'))
          .update({ status: 'closed', closed_at: now.toISOString() });
      }
      const note =
        [input.note, ...rule.requires.map((f) => `${f}: ${input[f]}`)].filter(Boolean).join('\n') || null;
      await addEvent(
        trx,
        task.task_id,
        { actor, kind: 'transition', from_status: rule.from, to_status: rule.to, note },
        now,
      );
    })
    .catch((err: Error) => {
      if (err instanceof HttpError || !/conflict/i.test(err.message)) throw err;
      throw new HttpError(
        409,
        'illegal_transition',
        `task ${task.task_id} changed meanwhile; reload it`,
        'to',
      );
    });
}

export async function comment(
  knex: Knex,
  task: TaskRow,
  body: unknown,
  actor: string,
  now = new Date(),
): Promise<void> {
  const input = parseBody(commentBody, body);
  if (input.kind === 'action' && task.status !== 'do') {
    throw new HttpError(
      409,
      'illegal_transition',
      `task ${task.task_id} is in ${task.status}: actions are logged in do`,
      'kind',
    );
  }
  await addEvent(
    knex,
    task.task_id,
    { actor, kind: input.kind, from_status: null, to_status: null, note: input.text },
    now,
  );
}

/**
 * Gives a task to someone else, with an entry in its audit trail. `may` says whether a username may
 * take it (who may see it: service.ts assignees); else 400 on `to`.
 */
export async function reassign(
  knex: Knex,
  task: { task_id: number; assignee: string },
  body: unknown,
  actor: string,
  may: (username: string) => boolean,
  now = new Date(),
): Promise<void> {
  const input = parseBody(assignBody, body);
  if (input.to === task.assignee)
    throw new HttpError(409, 'already_assigned', `task ${task.task_id} is with ${input.to} already`, 'to');
  if (!may(input.to))
    throw new HttpError(
      400,
      'assignee_out_of_scope',
      `${input.to} is no user who may see task ${task.task_id} (its node or its metric is outside their scope)`,
      'to',
    );
  await knex.transaction(async (trx) => {
    await trx('app.tasks')
      .where({ task_id: task.task_id })
      .update({ assignee: input.to, updated_at: now.toISOString() });
    await addEvent(
      trx,
      task.task_id,
      {
        actor,
        kind: 'reassigned',
        from_status: null,
        to_status: null,
        note: `${task.assignee} → ${input.to}${input.note ? `: ${input.note}` : ''}`,
      },
      now,
    );
  });
}
