// Requests and answers of the risk endpoints: /api/alerts, /api/rules, /api/tasks.
import { z } from 'zod';
import { direction, metricDomain, metricId, orgLevel, unit } from './metrics.ts';
import { limit, listOf, text } from './params.ts';
import {
  ALERT_LEVELS,
  ALERT_STATUSES,
  ORG_LEVELS,
  PERSON_TITLES,
  RULE_COMPARISONS,
  RULE_SOURCES,
  TASK_EVENT_KINDS,
  TASK_STATUSES,
} from './vocabulary.ts';

const num = z.number().nullable();
const taskStatus = z.enum(TASK_STATUSES);

/** Whom a task is with, as people see them: the username, their name and job title. */
export const person = z.strictObject({
  username: z.string(),
  name: z.string(),
  title: z.enum(PERSON_TITLES).nullable(),
});

// ---- requests

export const alertsQuery = z
  .object({
    node: text().optional(),
    status: listOf(ALERT_STATUSES, 2).default(['open']),
    level: listOf(ALERT_LEVELS, 2).optional(),
    limit: limit(1000, 500),
  })
  .strict();

export const tasksQuery = z
  .object({
    /** `me` for the caller's own tasks. */
    assignee: text().optional(),
    node: text().optional(),
    status: listOf(TASK_STATUSES, TASK_STATUSES.length).optional(),
    limit: limit(1000, 500),
  })
  .strict();

export const rulesQuery = z.object({}).strict();

const ruleFields = {
  metric_id: z.string().max(64),
  comparison: z.enum(RULE_COMPARISONS, { error: `must be one of ${RULE_COMPARISONS.join(', ')}` }),
  op: z.enum(['>', '<'], { error: 'must be > or <' }),
  warning: z.number({ error: 'must be a number' }).finite(),
  critical: z.number({ error: 'must be a number or null' }).finite().nullable(),
  warning_periods: z.number().int('must be a whole number').min(1, 'must be 1–12').max(12, 'must be 1–12'),
  critical_periods: z.number().int('must be a whole number').min(1, 'must be 1–12').max(12, 'must be 1–12'),
  floor: z.number({ error: 'must be a number or null' }).finite().nullable(),
  levels: z
    .array(z.enum(ORG_LEVELS, { error: `must be among ${ORG_LEVELS.join(', ')}` }))
    .min(1, 'name at least one level')
    .max(4)
    .refine((l) => new Set(l).size === l.length, 'repeats a level'),
  enabled: z.boolean({ error: 'must be true or false' }),
  note: z.string().max(500).nullable(),
};

/** POST /api/rules: a new rule; what is left out takes its default. */
export const newRuleBody = z
  .object({
    ...ruleFields,
    critical: ruleFields.critical.default(null),
    warning_periods: ruleFields.warning_periods.default(1),
    /** Defaults to warning_periods. */
    critical_periods: ruleFields.critical_periods.optional(),
    levels: ruleFields.levels.default([...ORG_LEVELS]),
    floor: ruleFields.floor.default(null),
    enabled: ruleFields.enabled.default(true),
    note: ruleFields.note.default(null),
  })
  .strict();

// A rule's metric and comparison stay: a different question is a new rule (its open alerts stay meaningful).
const { metric_id: _metric, comparison: _comparison, ...changeable } = ruleFields;
/** PATCH /api/rules/:id: any of the changeable fields, at least one. */
export const patchRuleBody = z
  .object(changeable)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');

const taskText = z.string().trim().max(2000).optional();
export const transitionBody = z
  .object({
    to: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` }),
    /** Why the task goes back to plan. */
    note: taskText,
    root_cause: taskText,
    action_plan: taskText,
    conclusion: taskText,
    standardised: taskText,
  })
  .strict();

export const assignBody = z
  .object({
    /** The username of whom the task goes to: someone who may see it (GET /api/tasks/ID/assignees). */
    to: z.string({ error: 'must be a username' }).trim().min(1, 'must not be empty').max(64),
    note: taskText,
  })
  .strict();

export const commentBody = z
  .object({
    text: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(2000),
    /** An action taken (the Do of PDCA) or a plain comment. */
    kind: z.enum(['comment', 'action'], { error: 'must be comment or action' }).default('comment'),
  })
  .strict();

// ---- answers

export const rule = z.strictObject({
  rule_id: z.int(),
  metric_id: z.string(),
  comparison: z.enum(RULE_COMPARISONS),
  op: z.enum(['>', '<']),
  warning: z.number(),
  critical: num,
  warning_periods: z.int(),
  critical_periods: z.int(),
  /** Under this a relative rule does not fire: the figure it is relative to must be at least the
   *  floor (last year's value, the target, the node's own value). Null: no floor. */
  floor: num,
  levels: z.array(orgLevel),
  enabled: z.boolean(),
  source: z.enum(RULE_SOURCES),
  note: z.string().nullable(),
  updated_by: z.string(),
  updated_at: z.string(),
});
export const rulesResponse = z.strictObject({ rules: z.array(rule) });

export const alert = z.strictObject({
  id: z.int(),
  status: z.enum(ALERT_STATUSES),
  level: z.enum(ALERT_LEVELS),
  /** The breaching month (YYYY-MM), and the last month judged. */
  period: z.string(),
  last_period: z.string(),
  value: num,
  threshold: num,
  score: num,
  within: z.boolean(),
  /** Money at stake (元): what the breach ties up or loses, where it can be estimated. */
  impact_yuan: num,
  first_seen: z.string(),
  last_seen: z.string(),
  closed_at: z.string().nullable(),
  metric: z.strictObject({
    id: metricId,
    name: z.strictObject({ zh: z.string(), en: z.string() }),
    domain: metricDomain,
    unit,
    direction,
  }),
  node: z.strictObject({
    id: z.string(),
    name: z.string(),
    level: orgLevel,
    parent_id: z.string().nullable(),
  }),
  rule: rule
    .pick({
      comparison: true,
      op: true,
      warning: true,
      critical: true,
      warning_periods: true,
      critical_periods: true,
      floor: true,
    })
    .extend({ id: z.int() }),
  task: z
    .strictObject({
      id: z.int(),
      status: taskStatus,
      assignee: z.string(),
      /** The assignee's name and job title (people.ts). */
      assignee_person: person,
      due_at: z.string(),
    })
    .nullable(),
});
/** An alert in /api/alerts' list: alerts of one node and metric follow each other; `first` on the first of them. */
export const listedAlert = alert.extend({
  group: z.strictObject({ key: z.string(), size: z.int(), first: z.boolean() }),
});
export const alertsResponse = z.strictObject({ alerts: z.array(listedAlert) });

export const task = z.strictObject({
  id: z.int(),
  status: taskStatus,
  assignee: z.string(),
  assignee_person: person,
  due_at: z.string(),
  overdue: z.boolean(),
  escalations: z.int(),
  created_at: z.string(),
  updated_at: z.string(),
  /** What the caller may move it to (Check → Act belongs to the evaluation). */
  next: z.array(taskStatus),
  alert,
});
export const tasksResponse = z.strictObject({ tasks: z.array(task) });

export const taskEvent = z.strictObject({
  event_id: z.int(),
  happened_at: z.string(),
  actor: z.string(),
  kind: z.enum(TASK_EVENT_KINDS),
  from_status: taskStatus.nullable(),
  to_status: taskStatus.nullable(),
  note: z.string().nullable(),
});

/** One task with what was recorded on it and its audit trail. */
export const taskDetail = task.extend({
  root_cause: z.string().nullable(),
  action_plan: z.string().nullable(),
  conclusion: z.string().nullable(),
  standardised: z.string().nullable(),
  events: z.array(taskEvent),
});

/** Whom a task may go to: the users who may see it (its node in their scope, its metric in their domains). */
export const assigneesResponse = z.strictObject({ assignees: z.array(person) });

export type Alert = z.output<typeof alert>;
export type ListedAlert = z.output<typeof listedAlert>;
export type Rule = z.output<typeof rule>;
export type Task = z.output<typeof task>;
export type TaskEvent = z.output<typeof taskEvent>;
export type TaskDetail = z.output<typeof taskDetail>;
export type TransitionInput = z.input<typeof transitionBody>;
export type CommentInput = z.input<typeof commentBody>;
export type AssignInput = z.input<typeof assignBody>;
export type Person = z.output<typeof person>;
