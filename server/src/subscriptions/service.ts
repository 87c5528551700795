// Subscriptions to the tracking reports: stored in app.subscriptions, every change in the same
// transaction as its audit event (app.subscription_events, webhooks masked). Their runs and
// deliveries (app.report_runs, app.deliveries) are written by the scheduler and read here.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  NEXT_RUNS,
  type Channel,
  RECIPIENT_ROLES,
  type Recipient,
  type RecipientUser,
  type Subscription,
  type deliveriesResponse,
  type newSubscriptionBody,
  type patchChannel,
  type patchSubscriptionBody,
} from '../contract/subscriptions.ts';
import type { ReportKind } from '../contract/reports.ts';
import { HttpError } from '../errors.ts';
import type { Scope } from '../scope/scope.ts';
import { canEdit, checkRecipients, Directory, requireSubscriber, requireWriter } from './access.ts';
import { canonicalZone, checkSchedule, isoInZone, nextRuns } from './schedule.ts';

/** A subscription as stored, its JSON read. */
export interface Stored {
  id: number;
  kind: ReportKind;
  node: string;
  recipients: Recipient[];
  /** With their webhooks and secrets: never answered nor audited as they are. */
  channels: Channel[];
  schedule: string;
  time_zone: string;
  language: 'zh' | 'en';
  enabled: boolean;
  owner: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

interface Row {
  subscription_id: number;
  kind: ReportKind;
  node_id: string;
  recipients: string;
  channels: string;
  schedule: string;
  time_zone: string;
  language: 'zh' | 'en';
  enabled: boolean;
  owner: string;
  created_at: unknown;
  updated_at: unknown;
  revision: number;
}

const ts = (x: unknown) => (x instanceof Date ? x.toISOString() : String(x));

export const storedOf = (r: Row): Stored => ({
  id: Number(r.subscription_id),
  kind: r.kind,
  node: r.node_id,
  recipients: JSON.parse(r.recipients) as Recipient[],
  channels: JSON.parse(r.channels) as Channel[],
  schedule: r.schedule,
  time_zone: r.time_zone,
  language: r.language,
  enabled: Boolean(r.enabled),
  owner: r.owner,
  created_at: ts(r.created_at),
  updated_at: ts(r.updated_at),
  revision: Number(r.revision),
});

/** A subscription as stored (webhooks and secrets included: for the sender, never for an answer). */
export async function find(knex: Knex | Knex.Transaction, id: number): Promise<Stored | undefined> {
  const row = (await knex('app.subscriptions').where({ subscription_id: id }).first()) as Row | undefined;
  return row && storedOf(row);
}

async function required(knex: Knex, id: number): Promise<Stored> {
  const sub = await find(knex, id);
  if (!sub) throw new HttpError(404, 'not_found', `no subscription ${id}`, 'id');
  return sub;
}

const hostOf = (url: string) => new URL(url).host;
const secretOf = (c: Channel) => (c.type === 'dingtalk' ? c.secret : undefined);

/** A channel as it may be written down: the webhook's host, whether it has a secret, and a fingerprint. */
function masked(c: Channel) {
  if (c.type === 'email') return { type: c.type };
  const fingerprint = createHash('sha256')
    .update(`${c.webhook}\n${secretOf(c) ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  return { type: c.type, webhook_host: hostOf(c.webhook), has_secret: !!secretOf(c), fingerprint };
}

/** What the audit trail keeps of a subscription: everything, its channels masked. */
const snapshot = (s: Omit<Stored, 'id' | 'created_at' | 'updated_at' | 'revision'>) => ({
  kind: s.kind,
  node: s.node,
  recipients: s.recipients,
  channels: s.channels.map(masked),
  schedule: s.schedule,
  time_zone: s.time_zone,
  language: s.language,
  enabled: s.enabled,
  owner: s.owner,
});

async function record(
  trx: Knex.Transaction,
  event: { subscription_id: number; actor: string; action: 'create' | 'update' | 'delete'; detail: object },
): Promise<void> {
  await trx('app.subscription_events').insert({
    ...event,
    happened_at: new Date(),
    detail: JSON.stringify(event.detail),
  });
}

/** The subscription as the caller may read it. */
function describe(scope: Scope, dir: Directory, s: Stored, now: Date): Subscription {
  const editable = canEdit(scope, dir, s);
  const resolved = dir.resolve(s.recipients).map((u) => ({
    username: u.username,
    name: u.display_name ?? u.username,
    role: u.role,
    channels: s.channels.filter((c) => c.type !== 'email' || !!u.email).map((c) => c.type),
    node_in_scope: dir.under(s.node, u.nodes),
  }));
  let runs: string[] = [];
  try {
    if (s.enabled) runs = nextRuns(s.schedule, s.time_zone, NEXT_RUNS, now);
  } catch {
    // A schedule the runtime no longer reads (its zone withdrawn): it does not run.
  }
  return {
    id: s.id,
    kind: s.kind,
    node: dir.node(s.node),
    // A recipient who may not change it reads the entries that name them, not who else receives it.
    recipients: editable
      ? s.recipients
      : s.recipients.filter((r) => dir.resolve([r]).some((u) => u.username === scope.user.username)),
    channels: s.channels.map((c) => ({
      type: c.type,
      webhook_host: c.type === 'email' ? null : hostOf(c.webhook),
      has_secret: !!secretOf(c),
    })),
    schedule: s.schedule,
    time_zone: s.time_zone,
    language: s.language,
    enabled: s.enabled,
    owner: s.owner,
    created_at: s.created_at,
    updated_at: s.updated_at,
    revision: s.revision,
    editable,
    next_runs: runs,
    recipients_resolved: editable ? resolved : resolved.filter((u) => u.username === scope.user.username),
  };
}

/** Whether the caller may read it: they may change it, or they receive it. */
const visible = (scope: Scope, dir: Directory, s: Stored) =>
  canEdit(scope, dir, s) || dir.resolve(s.recipients).some((u) => u.username === scope.user.username);

/** The subscription, when the caller may read it: else 404 (no such id) or 403. */
async function readable(knex: Knex, scope: Scope, dir: Directory, id: number): Promise<Stored> {
  const sub = await required(knex, id);
  if (!visible(scope, dir, sub))
    throw new HttpError(403, 'forbidden', `subscription ${id} is neither yours nor sent to you`, 'id');
  return sub;
}

export async function listSubscriptions(
  knex: Knex,
  scope: Scope,
  now = new Date(),
): Promise<{ subscriptions: Subscription[] }> {
  requireSubscriber(scope);
  const dir = await Directory.load(knex);
  const rows = (await knex('app.subscriptions').orderBy('subscription_id')) as Row[];
  return {
    subscriptions: rows
      .map(storedOf)
      .filter((s) => visible(scope, dir, s))
      .map((s) => describe(scope, dir, s, now)),
  };
}

export async function getSubscription(knex: Knex, scope: Scope, id: number, now = new Date()) {
  requireSubscriber(scope);
  const dir = await Directory.load(knex);
  return describe(scope, dir, await readable(knex, scope, dir, id), now);
}

/** Checks a schedule and returns its zone's canonical name. */
function scheduleZone(schedule: string, timeZone: string): string {
  const zone = canonicalZone(timeZone);
  checkSchedule(schedule, zone);
  return zone;
}

export async function createSubscription(
  knex: Knex,
  scope: Scope,
  body: z.output<typeof newSubscriptionBody>,
  now = new Date(),
): Promise<Subscription> {
  requireWriter(scope);
  await scope.node(body.node);
  const timeZone = scheduleZone(body.schedule, body.time_zone);
  const dir = await Directory.load(knex);
  await checkRecipients(scope, dir, body.recipients);
  const fields = {
    kind: body.kind,
    node: body.node,
    recipients: body.recipients,
    channels: body.channels,
    schedule: body.schedule,
    time_zone: timeZone,
    language: body.language,
    enabled: body.enabled,
    owner: scope.user.username,
  };
  const id = await knex.transaction(async (trx) => {
    const at = new Date();
    const [row] = (await trx('app.subscriptions')
      .insert({
        kind: fields.kind,
        node_id: fields.node,
        recipients: JSON.stringify(fields.recipients),
        channels: JSON.stringify(fields.channels),
        schedule: fields.schedule,
        time_zone: fields.time_zone,
        language: fields.language,
        enabled: fields.enabled,
        owner: fields.owner,
        created_at: at,
        updated_at: at,
      })
      .returning('subscription_id')) as { subscription_id: number }[];
    const subscriptionId = Number(row!.subscription_id);
    await record(trx, {
      subscription_id: subscriptionId,
      actor: scope.user.username,
      action: 'create',
      detail: { subscription: snapshot(fields) },
    });
    return subscriptionId;
  });
  return describe(scope, dir, (await find(knex, id))!, now);
}

/** The channels of a PATCH: a robot channel without its webhook keeps the stored one (and its secret, unless a new one is given). */
function mergeChannels(given: z.output<typeof patchChannel>[], stored: Channel[]): Channel[] {
  return given.map((c, i): Channel => {
    if (c.type === 'email' || c.webhook !== undefined) return c as Channel;
    const old = stored.find((s) => s.type === c.type);
    if (!old)
      throw new HttpError(
        400,
        'invalid_body',
        `channels.${i}.webhook: the subscription has no ${c.type} channel yet: give its webhook`,
        `channels.${i}.webhook`,
      );
    if (c.type === 'dingtalk' && old.type === 'dingtalk' && c.secret !== undefined)
      return { ...old, secret: c.secret };
    return old;
  });
}

const COMPARED = [
  'kind',
  'node',
  'recipients',
  'channels',
  'schedule',
  'time_zone',
  'language',
  'enabled',
] as const;

export async function updateSubscription(
  knex: Knex,
  scope: Scope,
  id: number,
  body: z.output<typeof patchSubscriptionBody>,
  now = new Date(),
): Promise<Subscription> {
  requireSubscriber(scope);
  const dir = await Directory.load(knex);
  const current = await required(knex, id);
  if (!canEdit(scope, dir, current))
    throw new HttpError(403, 'forbidden', `subscription ${id} is changed by its owner or the group`, 'id');
  if (body.revision !== undefined && body.revision !== current.revision)
    throw new HttpError(
      409,
      'conflict',
      `subscription ${id} changed since you read it (revision ${current.revision}, yours ${body.revision})`,
    );
  const next: Stored = {
    ...current,
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.node !== undefined ? { node: body.node } : {}),
    ...(body.recipients !== undefined ? { recipients: body.recipients } : {}),
    ...(body.channels !== undefined ? { channels: mergeChannels(body.channels, current.channels) } : {}),
    ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
    ...(body.time_zone !== undefined ? { time_zone: body.time_zone } : {}),
    ...(body.language !== undefined ? { language: body.language } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
  };
  if (next.node !== current.node) await scope.node(next.node);
  if (body.schedule !== undefined || body.time_zone !== undefined)
    next.time_zone = scheduleZone(next.schedule, next.time_zone);
  if (body.recipients !== undefined) await checkRecipients(scope, dir, next.recipients);
  const before = snapshot(current);
  const after = snapshot(next);
  const changes = Object.fromEntries(
    COMPARED.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [
      k,
      { from: before[k], to: after[k] },
    ]),
  );
  if (Object.keys(changes).length === 0) return describe(scope, dir, current, now);
  await knex
    .transaction(async (trx) => {
      // Written only over the revision read above: a change that landed meanwhile answers 409.
      const written = await trx('app.subscriptions')
        .where({ subscription_id: id, revision: current.revision })
        .update({
          kind: next.kind,
          node_id: next.node,
          recipients: JSON.stringify(next.recipients),
          channels: JSON.stringify(next.channels),
          schedule: next.schedule,
          time_zone: next.time_zone,
          language: next.language,
          enabled: next.enabled,
          updated_at: new Date(),
          revision: current.revision + 1,
        });
      if (written === 0) {
        if (!(await find(trx, id))) throw new HttpError(404, 'not_found', `no subscription ${id}`, 'id');
        throw new HttpError(409, 'conflict', `subscription ${id} changed meanwhile: reload and try again`);
      }
      await record(trx, {
        subscription_id: id,
        actor: scope.user.username,
        action: 'update',
        detail: { revision: current.revision + 1, changes },
      });
    })
    .catch(conflictOf);
  return describe(scope, dir, (await find(knex, id))!, now);
}

export async function deleteSubscription(knex: Knex, scope: Scope, id: number): Promise<void> {
  requireSubscriber(scope);
  const dir = await Directory.load(knex);
  const current = await required(knex, id);
  if (!canEdit(scope, dir, current))
    throw new HttpError(403, 'forbidden', `subscription ${id} is deleted by its owner or the group`, 'id');
  await knex
    .transaction(async (trx) => {
      const deleted = await trx('app.subscriptions').where({ subscription_id: id }).delete();
      if (deleted === 0) throw new HttpError(404, 'not_found', `no subscription ${id}`, 'id');
      // Its runs and deliveries stay: they are its history.
      await record(trx, {
        subscription_id: id,
        actor: scope.user.username,
        action: 'delete',
        detail: { subscription: snapshot(current) },
      });
    })
    .catch(conflictOf);
}

function conflictOf(err: unknown): never {
  // Two writers of one subscription at the same moment: DuckDB lets one of them commit.
  if (err instanceof Error && !(err instanceof HttpError) && /conflict/i.test(err.message))
    throw new HttpError(409, 'conflict', 'someone changed this subscription at the same moment: try again');
  throw err;
}

interface RunRow {
  run_id: number;
  scheduled_for: unknown;
  started_at: unknown;
  finished_at: unknown;
  status: 'pending' | 'running' | 'done' | 'failed';
  trigger: 'schedule' | 'manual';
  error: string | null;
}

interface DeliveryRow {
  delivery_id: number;
  run_id: number;
  recipient: string;
  channel: 'email' | 'wecom' | 'dingtalk';
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  last_error: string | null;
  reason: string | null;
  node_id: string | null;
  sent_at: unknown;
}

const orNull = (x: unknown) => (x === null || x === undefined ? null : ts(x));

/** The subscription's runs, newest first, with their deliveries (a recipient who may not edit it: their own). */
export async function listDeliveries(
  knex: Knex,
  scope: Scope,
  id: number,
  limit: number,
): Promise<z.output<typeof deliveriesResponse>> {
  requireSubscriber(scope);
  const dir = await Directory.load(knex);
  const sub = await readable(knex, scope, dir, id);
  const own = !canEdit(scope, dir, sub);
  const runs = (await knex('app.report_runs')
    .where({ subscription_id: id })
    .orderBy([
      { column: 'scheduled_for', order: 'desc' },
      { column: 'run_id', order: 'desc' },
    ])
    .limit(limit)
    .select(
      'run_id',
      'scheduled_for',
      'started_at',
      'finished_at',
      'status',
      'trigger',
      'error',
    )) as RunRow[];
  const query = knex('app.deliveries')
    .whereIn(
      'run_id',
      runs.map((r) => r.run_id),
    )
    .orderBy(['recipient', 'channel']);
  if (own) query.where('recipient', scope.user.username);
  const deliveries = runs.length ? ((await query) as DeliveryRow[]) : [];
  return {
    subscription: id,
    runs: runs.map((r) => ({
      id: Number(r.run_id),
      scheduled_for: isoInZone(new Date(ts(r.scheduled_for)), sub.time_zone),
      started_at: orNull(r.started_at),
      finished_at: orNull(r.finished_at),
      status: r.status,
      trigger: r.trigger,
      error: r.error,
      deliveries: deliveries
        .filter((d) => Number(d.run_id) === Number(r.run_id))
        .map((d) => ({
          id: Number(d.delivery_id),
          recipient: d.recipient,
          channel: d.channel,
          status: d.status,
          attempts: Number(d.attempts),
          last_error: d.last_error,
          reason: d.reason,
          node: d.node_id,
          sent_at: orNull(d.sent_at),
        })),
    })),
  };
}

interface UserRow {
  username: string;
  role: string;
  nodes: string[];
  display_name: string | null;
  email: string | null;
  wecom_id: string | null;
  dingtalk_id: string | null;
}

const RECIPIENT_ORDER: readonly string[] = RECIPIENT_ROLES;

/**
 * The users the caller may name as recipients, for the subscription form: a group user every user
 * but staff whose nodes all lie in their scope (by role, from the group down, then username);
 * division, region, store and finance users themselves; a special grant nobody; staff 403.
 */
export async function listRecipientUsers(knex: Knex, scope: Scope): Promise<{ users: RecipientUser[] }> {
  requireSubscriber(scope);
  if (scope.user.role === 'special') return { users: [] };
  const query = knex('app.users')
    .whereNot('role', 'staff')
    .select('username', 'role', 'nodes', 'display_name', 'email', 'wecom_id', 'dingtalk_id');
  if (scope.user.role !== 'group') query.where('username', scope.user.username);
  const [rows, dir] = await Promise.all([
    query as Promise<UserRow[]>,
    scope.user.role === 'group' ? Directory.load(knex) : Promise.resolve(null),
  ]);
  const mine = dir
    ? rows.filter((u) => u.nodes.length > 0 && u.nodes.every((n) => dir.under(n, scope.user.nodes)))
    : rows;
  return {
    users: mine
      .sort(
        (a, b) =>
          RECIPIENT_ORDER.indexOf(a.role) - RECIPIENT_ORDER.indexOf(b.role) ||
          a.username.localeCompare(b.username),
      )
      .map((u) => ({
        username: u.username,
        name: u.display_name ?? u.username,
        role: u.role as RecipientUser['role'],
        nodes: [...u.nodes],
        has_email: !!u.email,
        has_wecom: !!u.wecom_id,
        has_dingtalk: !!u.dingtalk_id,
      })),
  };
}
