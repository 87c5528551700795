// Requests and answers of /api/subscriptions: subscriptions to the tracking reports (报告订阅) —
// which report (kind, node), to whom (users, or every user of a role under a node), through which
// channels (e-mail, WeCom and DingTalk group robots), when (a 5-field cron in a time zone) and in
// which language. Webhook URLs and secrets go in and never come out: an answer gives a channel's
// webhook host and whether it has a secret.
import { z } from 'zod';
import { nodeRef } from './metrics.ts';
import { limit, text } from './params.ts';
import { REPORT_KINDS } from './reports.ts';
import { ROLES } from './vocabulary.ts';

export const CHANNEL_TYPES = ['email', 'wecom', 'dingtalk'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const REPORT_LANGUAGES = ['zh', 'en'] as const;
/** Roles that receive reports: a staff user reads their own figures only, and no report is theirs. */
export const RECIPIENT_ROLES = ['group', 'division', 'region', 'store', 'finance', 'special'] as const;
export const RUN_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** Most recipient entries one subscription lists, and how many run times an answer looks ahead. */
export const MAX_RECIPIENTS = 50;
export const NEXT_RUNS = 3;

/** https, or http to this machine (a test's webhook); no credentials in the URL. */
export function isWebhookUrl(s: string): boolean {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return (url.protocol === 'https:' || (url.protocol === 'http:' && local)) && !url.username && !url.password;
}

/** A time zone the runtime knows (Intl refuses others with a RangeError). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A user by username, or every user of a role whose nodes all lie at or under a node. */
export const recipient = z.union([
  z.strictObject({ user: text(40) }),
  z.strictObject({ role: z.enum(RECIPIENT_ROLES), node: text() }),
]);
export type Recipient = z.output<typeof recipient>;

const webhook = z
  .string({ error: 'must be a URL' })
  .max(1000, 'must be at most 1000 characters')
  .refine(isWebhookUrl, 'must be an https URL (http only to localhost)');

/** In a PATCH a robot channel may leave its webhook out: the one stored for that type stays (with its secret). */
const channelOf = <W extends z.ZodType>(hook: W) =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('email') }),
      z.strictObject({ type: z.literal('wecom'), webhook: hook }),
      z.strictObject({ type: z.literal('dingtalk'), webhook: hook, secret: text(200).optional() }),
    ],
    { error: `type must be one of ${CHANNEL_TYPES.join(', ')}` },
  );

export const channel = channelOf(webhook);
export type Channel = z.output<typeof channel>;

const channelsOf = <C extends z.ZodType<{ type: string }>>(item: C) =>
  z
    .array(item)
    .min(1, 'must list at least one channel')
    .max(CHANNEL_TYPES.length, `at most ${CHANNEL_TYPES.length} channels`)
    .refine(
      (cs) => new Set(cs.map((c) => c.type)).size === cs.length,
      'lists a channel type twice: one of each at most',
    );

const fields = {
  kind: z.enum(REPORT_KINDS, { error: `must be one of ${REPORT_KINDS.join(', ')}` }),
  /** The node the report is of. */
  node: text(),
  recipients: z
    .array(recipient)
    .min(1, 'must list at least one recipient')
    .max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients`),
  /** Minute, hour, day of month, month, day of week (croner; e.g. `0 8 * * 1`: Mondays at 08:00). */
  schedule: text(120),
  /** IANA, e.g. Asia/Shanghai: the schedule's clock. */
  time_zone: text(64).refine(isTimeZone, 'is not a time zone such as Asia/Shanghai'),
  language: z.enum(REPORT_LANGUAGES, { error: `must be one of ${REPORT_LANGUAGES.join(', ')}` }),
  enabled: z.boolean({ error: 'must be true or false' }),
};

export const newSubscriptionBody = z.strictObject({
  ...fields,
  channels: channelsOf(channel),
  time_zone: fields.time_zone.default(DEFAULT_TIME_ZONE),
  language: fields.language.default('zh'),
  enabled: fields.enabled.default(true),
});

export const patchChannel = channelOf(webhook.optional());

export const patchSubscriptionBody = z
  .strictObject({
    kind: fields.kind.optional(),
    node: fields.node.optional(),
    recipients: fields.recipients.optional(),
    channels: channelsOf(patchChannel).optional(),
    schedule: fields.schedule.optional(),
    time_zone: fields.time_zone.optional(),
    language: fields.language.optional(),
    enabled: fields.enabled.optional(),
    /** The revision it was read at: a subscription changed since answers 409. */
    revision: z.int({ error: 'must be a whole number' }).min(1).optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'revision'), 'nothing to change');

/** A channel as answered: the webhook's host only, and whether a secret is set. */
export const channelAnswer = z.strictObject({
  type: z.enum(CHANNEL_TYPES),
  /** wecom, dingtalk: the host the robot's webhook posts to; email: null. */
  webhook_host: z.string().nullable(),
  has_secret: z.boolean(),
});

/** A user the recipients expand to now. */
export const resolvedRecipient = z.strictObject({
  username: z.string(),
  /** Their display name, else the username. */
  name: z.string(),
  role: z.enum(ROLES),
  /** The subscription's channels that reach them: e-mail needs their address; a robot posts to a group chat. */
  channels: z.array(z.enum(CHANNEL_TYPES)),
  /** Whether the subscription's node lies in their scope (else their report cannot be of it). */
  node_in_scope: z.boolean(),
});

export const subscription = z.strictObject({
  id: z.int(),
  kind: z.enum(REPORT_KINDS),
  node: nodeRef,
  recipients: z.array(recipient),
  channels: z.array(channelAnswer),
  schedule: z.string(),
  time_zone: z.string(),
  language: z.enum(REPORT_LANGUAGES),
  enabled: z.boolean(),
  owner: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Bumped by every change: a PATCH sent with an older one answers 409. */
  revision: z.int(),
  /** Whether the caller may change or delete it (its owner, or a group user whose scope holds its node). */
  editable: z.boolean(),
  /** The next run times (ISO with the time zone's offset); none while disabled. */
  next_runs: z.array(z.string()),
  /** Who receives it now (a recipient who may not edit it sees only themselves). */
  recipients_resolved: z.array(resolvedRecipient),
});
export type Subscription = z.output<typeof subscription>;

export const subscriptionsResponse = z.strictObject({ subscriptions: z.array(subscription) });

export const deliveriesQuery = z.object({ limit: limit(100, 20) }).strict();

export const delivery = z.strictObject({
  id: z.int(),
  recipient: z.string(),
  channel: z.enum(CHANNEL_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int(),
  last_error: z.string().nullable(),
  /** Why it was skipped (e.g. the node outside the recipient's scope). */
  reason: z.string().nullable(),
  /** The node whose report was rendered for the recipient. */
  node: z.string().nullable(),
  sent_at: z.string().nullable(),
});

export const reportRun = z.strictObject({
  id: z.int(),
  /** The run's scheduled time, ISO with the subscription's time zone's offset. */
  scheduled_for: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  trigger: z.enum(RUN_TRIGGERS),
  error: z.string().nullable(),
  /** Its messages (a recipient who may not edit the subscription sees only their own). */
  deliveries: z.array(delivery),
});

export const deliveriesResponse = z.strictObject({
  subscription: z.int(),
  /** Newest first. */
  runs: z.array(reportRun),
});

/** "Send now": the run recorded; its deliveries are worked in the background. */
export const runStarted = z.strictObject({ run: z.int() });

/** A user the caller may name as a recipient (the subscription form's list). */
export const recipientUser = z.strictObject({
  username: z.string(),
  /** Their display name, else the username. */
  name: z.string(),
  role: z.enum(RECIPIENT_ROLES),
  /** The org nodes they are granted. */
  nodes: z.array(z.string()),
  /** Whether e-mail reaches them (they have an address), and whether a robot can mention them. */
  has_email: z.boolean(),
  has_wecom: z.boolean(),
  has_dingtalk: z.boolean(),
});
export type RecipientUser = z.output<typeof recipientUser>;

/** A group user: every user but staff whose nodes all lie in their scope; anyone else: themselves (a special grant: nobody). */
export const recipientsResponse = z.strictObject({ users: z.array(recipientUser) });
