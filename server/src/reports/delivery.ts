// The report scheduler, in the server process: each enabled subscription's cron (croner, in its
// time zone) records a run and every delivery of it (recipient × channel, pending) in one
// transaction before anything is sent — the run's (subscription, time) is unique, so a tick seen
// twice records nothing the second time. Runs are worked one at a time; each recipient's copy is
// rendered as that recipient (render.ts), then sent through each channel with retries and backoff.
// A delivery marked sent is never sent again; at start, unfinished runs are resumed. Every outcome
// is recorded (who, what, when, channel, outcome, error) for the subscription page and /api/health.
import { Cron } from 'croner';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { findUser, userContacts } from '../auth/users.ts';
import type { Channel, Recipient } from '../contract/subscriptions.ts';
import type { ReportKind } from '../contract/reports.ts';
import type { Lang } from '../contract/numbers.ts';
import { HttpError } from '../errors.ts';
import { Directory } from '../subscriptions/access.ts';
import { composeMessage, postToRobot, type Mailer, type Message } from './channels.ts';
import { NoCopy, type RenderedCopy, type ReportRenderer } from './render.ts';

interface Subscription {
  id: number;
  kind: ReportKind;
  node: string;
  recipients: Recipient[];
  channels: Channel[];
  schedule: string;
  timeZone: string;
  lang: Lang;
  enabled: boolean;
}

interface DeliveryRow {
  delivery_id: number;
  recipient: string;
  channel: Channel['type'];
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
}

export interface DeliveryOptions {
  mailer: Mailer | null;
  publicUrl: string;
  logger: Logger;
  /** Tries per delivery, and the waits between them (the last one repeats). */
  attempts: number;
  backoffMs: number[];
  robotTimeoutMs: number;
}

export interface DeliveryHealth {
  /** Deliveries that failed for good in the last 24 hours. */
  failed_24h: number;
  last_failure: {
    subscription: number;
    recipient: string;
    channel: string;
    error: string;
    at: string;
  } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readSubscription(knex: Knex, id: number): Promise<Subscription | null> {
  const row = (await knex('app.subscriptions').where({ subscription_id: id }).first()) as
    Record<string, unknown> | undefined;
  if (!row) return null;
  return {
    id: Number(row.subscription_id),
    kind: row.kind as ReportKind,
    node: String(row.node_id),
    recipients: JSON.parse(String(row.recipients)) as Recipient[],
    channels: JSON.parse(String(row.channels)) as Channel[],
    schedule: String(row.schedule),
    timeZone: String(row.time_zone),
    lang: row.language as Lang,
    enabled: Boolean(row.enabled),
  };
}

export class ReportDelivery {
  private readonly jobs = new Map<number, Cron>();
  /** Runs are worked one at a time, in the order they were recorded. */
  private working: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;

  constructor(
    private readonly knex: Knex,
    private readonly renderer: ReportRenderer,
    private readonly options: DeliveryOptions,
  ) {}

  /** Schedules every enabled subscription and resumes the runs a stop left unfinished. */
  async start(): Promise<void> {
    this.started = true;
    await this.reschedule();
    const unfinished = (await this.knex('app.report_runs')
      .whereIn('status', ['pending', 'running'])
      .orderBy('run_id')
      .pluck('run_id')) as number[];
    for (const run of unfinished) this.work(Number(run));
  }

  /** Reads the subscriptions' schedules again (after one is created, changed or deleted). */
  async reschedule(): Promise<void> {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
    if (!this.started || this.stopped) return;
    const ids = (await this.knex('app.subscriptions')
      .where({ enabled: true })
      .pluck('subscription_id')) as number[];
    for (const id of ids) {
      const sub = await readSubscription(this.knex, Number(id));
      if (!sub) continue;
      const job = new Cron(sub.schedule, { timezone: sub.timeZone, mode: '5-part' }, (self: Cron) =>
        this.tick(sub.id, self.currentRun() ?? new Date()).then(
          () => undefined,
          (err: Error) => {
            this.options.logger.error(
              { err, subscription: sub.id },
              `report run not recorded: ${err.message}`,
            );
          },
        ),
      );
      this.jobs.set(sub.id, job);
    }
  }

  /**
   * A scheduled time of the subscription: its run recorded (the time to the minute, so the same
   * tick seen again records nothing: null) and worked.
   */
  async tick(subscriptionId: number, at: Date): Promise<number | null> {
    const minute = new Date(at);
    minute.setSeconds(0, 0);
    const run = await this.record(subscriptionId, minute, 'schedule', null);
    if (run !== null) this.work(run);
    return run;
  }

  /** "Send now": a run of the subscription at once (its id); its deliveries are worked in the background. */
  async runNow(subscriptionId: number, actor: string): Promise<number> {
    const run = await this.record(subscriptionId, new Date(), 'manual', actor);
    if (run === null)
      throw new HttpError(409, 'run_exists', 'a run of this subscription was asked for this very moment');
    this.work(run);
    return run;
  }

  /** Resolves once every run recorded so far has been worked (tests, shutdown). */
  idle(): Promise<void> {
    return this.working;
  }

  /**
   * The run and its deliveries, recorded before anything is sent: the recipients as they stand
   * now, each through each channel; one without an e-mail address is skipped for e-mail, saying so.
   * Null when the subscription has gone or the run was recorded already.
   */
  private async record(
    subscriptionId: number,
    at: Date,
    trigger: 'schedule' | 'manual',
    actor: string | null,
  ): Promise<number | null> {
    const sub = await readSubscription(this.knex, subscriptionId);
    if (!sub) return null;
    const dir = await Directory.load(this.knex);
    const users = dir.resolve(sub.recipients);
    return this.knex.transaction(async (trx) => {
      const exists = await trx('app.report_runs')
        .where({ subscription_id: sub.id, scheduled_for: at })
        .first('run_id');
      if (exists) return null;
      const [row] = (await trx('app.report_runs')
        .insert({
          subscription_id: sub.id,
          scheduled_for: at,
          status: 'pending',
          trigger,
          requested_by: actor,
        })
        .returning('run_id')) as { run_id: number }[];
      const run = Number(row!.run_id);
      const deliveries = users.flatMap((u) =>
        sub.channels.map((c) => ({
          run_id: run,
          recipient: u.username,
          channel: c.type,
          ...(c.type === 'email' && !u.email
            ? { status: 'skipped', reason: `${u.username} has no e-mail address` }
            : { status: 'pending' }),
        })),
      );
      if (deliveries.length) await trx('app.deliveries').insert(deliveries);
      return run;
    });
  }

  private work(run: number): void {
    this.working = this.working.then(() =>
      this.process(run).catch((err: Error) => {
        this.options.logger.error({ err, run }, `report run ${run} failed: ${err.message}`);
        return this.knex('app.report_runs')
          .where({ run_id: run })
          .update({ status: 'failed', error: err.message.slice(0, 500), finished_at: new Date() })
          .then(() => undefined);
      }),
    );
  }

  private async process(run: number): Promise<void> {
    if (this.stopped) return;
    const runRow = (await this.knex('app.report_runs').where({ run_id: run }).first()) as
      { subscription_id: number; status: string } | undefined;
    if (!runRow || runRow.status === 'done' || runRow.status === 'failed') return;
    await this.knex('app.report_runs')
      .where({ run_id: run })
      .update({ status: 'running', started_at: new Date() });
    const sub = await readSubscription(this.knex, Number(runRow.subscription_id));
    const pending = (await this.knex('app.deliveries')
      .where({ run_id: run, status: 'pending' })
      .orderBy('delivery_id')) as DeliveryRow[];
    if (!sub) {
      await this.skip(
        pending.map((d) => d.delivery_id),
        'the subscription was deleted',
      );
    } else {
      const byRecipient = new Map<string, DeliveryRow[]>();
      for (const d of pending) byRecipient.set(d.recipient, [...(byRecipient.get(d.recipient) ?? []), d]);
      for (const [username, deliveries] of byRecipient) {
        if (this.stopped) return;
        await this.deliverTo(run, sub, username, deliveries);
      }
    }
    const failed = await this.knex('app.deliveries')
      .where({ run_id: run, status: 'failed' })
      .first('delivery_id');
    await this.knex('app.report_runs')
      .where({ run_id: run })
      .update({ status: failed ? 'failed' : 'done', finished_at: new Date() });
    this.options.logger.info({ run, subscription: sub?.id }, `report run ${run} finished`);
  }

  /** One recipient's copy, rendered once and sent through each of their pending channels. */
  private async deliverTo(run: number, sub: Subscription, username: string, deliveries: DeliveryRow[]) {
    const ids = deliveries.map((d) => d.delivery_id);
    const user = await findUser(this.knex, username);
    if (!user) return this.skip(ids, `${username} is no longer a user`);
    let copies: RenderedCopy[];
    try {
      const nodes = await this.renderer.nodesFor(user, sub.node);
      copies = [];
      for (const node of nodes)
        copies.push(
          await this.renderer.render(
            { user, kind: sub.kind, node: sub.node, lang: sub.lang, timeZone: sub.timeZone },
            node,
          ),
        );
    } catch (err) {
      if (err instanceof NoCopy) return this.skip(ids, err.message);
      const message = (err as Error).message.slice(0, 500);
      await this.knex('app.deliveries')
        .whereIn('delivery_id', ids)
        .update({ status: 'failed', last_error: `rendering failed: ${message}`, attempted_at: new Date() });
      return;
    }
    const message = this.messageOf(copies, sub, user.display_name ?? username);
    await this.knex('app.deliveries')
      .whereIn('delivery_id', ids)
      .update({ node_id: copies[0]!.node.node_id });
    const contacts = (await userContacts(this.knex, [username])).get(username);
    for (const d of deliveries) {
      const channel = sub.channels.find((c) => c.type === d.channel);
      if (!channel) {
        await this.skip([d.delivery_id], `the subscription no longer sends by ${d.channel}`);
        continue;
      }
      await this.attempt(d, () => {
        if (channel.type === 'email') {
          if (!this.options.mailer) throw new Error('no SMTP server is set up (SMTP_URL)');
          if (!contacts?.email) throw new Error(`${username} has no e-mail address`);
          return this.options.mailer.send(contacts.email, message, `<report-${run}-${username}@cockpit>`);
        }
        const mention =
          channel.type === 'wecom' ? (contacts?.wecom_id ?? null) : (contacts?.dingtalk_id ?? null);
        return postToRobot(channel, message, mention, this.options.robotTimeoutMs);
      });
    }
  }

  /** The message of a recipient's copies: the first one's summary, every copy's attachments. */
  private messageOf(copies: RenderedCopy[], sub: Subscription, name: string): Message {
    const [first, ...more] = copies.map((copy) =>
      composeMessage(copy, {
        lang: sub.lang,
        timeZone: sub.timeZone,
        publicUrl: this.options.publicUrl,
        at: new Date(),
        recipientName: name,
      }),
    );
    return { ...first!, attachments: [first!, ...more].flatMap((m) => m.attachments) };
  }

  /** Tries a delivery until it goes or its tries run out; each try is counted before it is made. */
  private async attempt(d: DeliveryRow, send: () => Promise<void>): Promise<void> {
    for (let tries = d.attempts; tries < this.options.attempts; tries++) {
      if (this.stopped) return;
      await this.knex('app.deliveries')
        .where({ delivery_id: d.delivery_id })
        .update({ attempts: tries + 1, attempted_at: new Date() });
      try {
        await send();
        await this.knex('app.deliveries')
          .where({ delivery_id: d.delivery_id })
          .update({ status: 'sent', sent_at: new Date(), last_error: null });
        return;
      } catch (err) {
        const error = (err as Error).message.slice(0, 500);
        const last = tries + 1 >= this.options.attempts;
        await this.knex('app.deliveries')
          .where({ delivery_id: d.delivery_id })
          .update({ last_error: error, ...(last ? { status: 'failed' } : {}) });
        this.options.logger.warn(
          { delivery: d.delivery_id, recipient: d.recipient, channel: d.channel, attempt: tries + 1 },
          `report delivery failed${last ? ' for good' : ', retrying'}: ${error}`,
        );
        if (!last) await sleep(this.options.backoffMs[Math.min(tries, this.options.backoffMs.length - 1)]!);
      }
    }
  }

  private async skip(ids: number[], reason: string): Promise<void> {
    if (ids.length)
      await this.knex('app.deliveries').whereIn('delivery_id', ids).update({ status: 'skipped', reason });
  }

  /** Failures for /api/health. */
  async health(now = new Date()): Promise<DeliveryHealth> {
    const since = new Date(now.getTime() - 24 * 3600_000);
    const failed = (await this.knex('app.deliveries as d')
      .join('app.report_runs as r', 'r.run_id', 'd.run_id')
      .where('d.status', 'failed')
      .where('d.attempted_at', '>=', since)
      .orderBy('d.attempted_at', 'desc')
      .select('r.subscription_id', 'd.recipient', 'd.channel', 'd.last_error', 'd.attempted_at')) as {
      subscription_id: number;
      recipient: string;
      channel: string;
      last_error: string | null;
      attempted_at: string;
    }[];
    const last = failed[0];
    return {
      failed_24h: failed.length,
      last_failure: last
        ? {
            subscription: Number(last.subscription_id),
            recipient: last.recipient,
            channel: last.channel,
            error: last.last_error ?? '',
            at: new Date(last.attempted_at).toISOString(),
          }
        : null,
    };
  }

  /** Stops scheduling and sending; what is unfinished resumes at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
    await this.working.catch(() => undefined);
    await this.renderer.close();
    this.options.mailer?.close();
  }
}
