// The report scheduler, in the server process: each enabled subscription's cron (croner, in its
// time zone) records a run and every delivery of it (recipient × channel, pending) in one
// transaction before anything is sent — the run's (subscription, time) is unique, so a tick seen
// twice records nothing the second time, and a subscription with a run still unfinished records
// no other. Runs are worked one at a time. By e-mail, each recipient gets their own copy, rendered
// as that recipient (render.ts); a group robot gets one post a run, without figures: each
// recipient mentioned with the link to their own report (a chat is read by all its members).
// Each channel is tried again with backoff; a delivery marked sent is never sent again; at start,
// unfinished runs are resumed. Every outcome is recorded for the subscription page and
// /api/health.
import { Cron } from 'croner';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { findUser, userContacts, type User } from '../auth/users.ts';
import type { Channel } from '../contract/subscriptions.ts';
import { HttpError } from '../errors.ts';
import { loadCoverage } from '../metrics/coverage.ts';
import { Directory } from '../subscriptions/access.ts';
import { find, storedOf, type Stored } from '../subscriptions/service.ts';
import { reportWindow } from './build.ts';
import { composeMessage, composeNotice, postToRobot, type Mailer, type Message } from './channels.ts';
import { NoCopy, type RenderedCopy, type ReportRenderer } from './render.ts';

/** A subscription as the sender reads it: as stored, webhooks included. */
type Subscription = Stored;

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

/** Deliveries that failed for good lately: how many, and when the last did (the details are on
 *  the subscription's page, for those who may read it). */
export interface DeliveryHealth {
  failed_24h: number;
  last_failure_at: string | null;
}

/** A failure no retry mends (the set-up is missing): the delivery fails at once. */
class Unsendable extends Error {}

const readSubscription = async (knex: Knex, id: number): Promise<Subscription | null> =>
  (await find(knex, id)) ?? null;

export class ReportDelivery {
  private jobs = new Map<number, Cron>();
  /** Runs are worked one at a time, in the order they were recorded. */
  private working: Promise<void> = Promise.resolve();
  /** Schedules are read one reading at a time (two changes at once must not leave both readings' jobs). */
  private scheduling: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;
  /** Wakes the backoff waits when the server stops. */
  private wake: (() => void)[] = [];

  constructor(
    private readonly knex: Knex,
    private readonly renderer: ReportRenderer,
    private readonly options: DeliveryOptions,
  ) {}

  /** Resumes the runs a stop left unfinished and schedules every enabled subscription. */
  async start(): Promise<void> {
    this.started = true;
    const unfinished = (await this.knex('app.report_runs')
      .whereIn('status', ['pending', 'running'])
      .orderBy('run_id')
      .pluck('run_id')) as number[];
    for (const run of unfinished) this.work(Number(run));
    await this.reschedule();
  }

  /** Reads the subscriptions' schedules again (after one is created, changed or deleted). */
  reschedule(): Promise<void> {
    this.scheduling = this.scheduling.then(() => this.readSchedules());
    return this.scheduling;
  }

  private async readSchedules(): Promise<void> {
    const jobs = new Map<number, Cron>();
    if (this.started && !this.stopped) {
      const rows = (await this.knex('app.subscriptions').where({ enabled: true })) as Parameters<
        typeof storedOf
      >[0][];
      for (const sub of rows.map(storedOf)) {
        // One schedule that cannot be read (a zone the runtime no longer knows) stops only itself.
        try {
          jobs.set(
            sub.id,
            new Cron(sub.schedule, { timezone: sub.time_zone, mode: '5-part' }, (self: Cron) =>
              this.tick(sub.id, self.currentRun() ?? new Date()).then(
                () => undefined,
                (err: Error) =>
                  this.options.logger.error(
                    { err, subscription: sub.id },
                    `report run not recorded: ${err.message}`,
                  ),
              ),
            ),
          );
        } catch (err) {
          this.options.logger.error(
            { err, subscription: sub.id },
            `subscription ${sub.id} not scheduled: ${(err as Error).message}`,
          );
        }
      }
    }
    for (const job of this.jobs.values()) job.stop();
    this.jobs = jobs;
  }

  /**
   * A scheduled time of the subscription: its run recorded (the time to the minute, so the same
   * tick seen again records nothing: null) and worked. Nothing for a subscription disabled since,
   * or one whose previous run is still unfinished (the next time will come).
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
      throw new HttpError(
        409,
        'run_unfinished',
        `subscription ${subscriptionId} has a run still being sent: wait for it to finish`,
      );
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
   * Null when the subscription has gone (or, scheduled, is disabled), when it has a run not yet
   * finished, or when this time was recorded already.
   */
  private async record(
    subscriptionId: number,
    at: Date,
    trigger: 'schedule' | 'manual',
    actor: string | null,
  ): Promise<number | null> {
    const sub = await readSubscription(this.knex, subscriptionId);
    if (!sub || (trigger === 'schedule' && !sub.enabled)) return null;
    const dir = await Directory.load(this.knex);
    const users = dir.resolve(sub.recipients);
    return this.knex.transaction(async (trx) => {
      const busy = await trx('app.report_runs')
        .where({ subscription_id: sub.id })
        .where((q) => void q.whereIn('status', ['pending', 'running']).orWhere('scheduled_for', at))
        .first('run_id');
      if (busy) return null;
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
      // A user named who is gone (or is now a staff user) leaves a trace, not a silence.
      for (const r of sub.recipients) {
        if (!('user' in r) || users.some((u) => u.username === r.user)) continue;
        const reason = dir.user(r.user)
          ? `${r.user} is a staff user: no reports`
          : `${r.user} is no longer a user`;
        for (const c of sub.channels)
          deliveries.push({ run_id: run, recipient: r.user, channel: c.type, status: 'skipped', reason });
      }
      if (deliveries.length) await trx('app.deliveries').insert(deliveries);
      return run;
    });
  }

  private work(run: number): void {
    this.working = this.working.then(() =>
      this.process(run).catch(async (err: Error) => {
        this.options.logger.error({ err, run }, `report run ${run} failed: ${err.message}`);
        if (this.stopped) return; // resumed at the next start
        await this.knex('app.report_runs')
          .where({ run_id: run })
          .update({ status: 'failed', error: err.message.slice(0, 500), finished_at: new Date() });
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
      const byType = (type: Channel['type']) => pending.filter((d) => d.channel === type);
      for (const d of pending.filter((p) => !sub.channels.some((c) => c.type === p.channel)))
        await this.skip([d.delivery_id], `the subscription no longer sends by ${d.channel}`);
      for (const d of byType('email')) {
        if (this.stopped) return;
        await this.mail(run, sub, d);
      }
      for (const channel of sub.channels) {
        if (this.stopped) return;
        if (channel.type !== 'email') await this.post(sub, channel, byType(channel.type));
      }
    }
    if (this.stopped) return;
    const failed = await this.knex('app.deliveries')
      .where({ run_id: run, status: 'failed' })
      .first('delivery_id');
    await this.knex('app.report_runs')
      .where({ run_id: run })
      .update({ status: failed ? 'failed' : 'done', finished_at: new Date() });
    this.options.logger.info({ run, subscription: sub?.id }, `report run ${run} finished`);
  }

  /** The recipient, or null with the delivery skipped, saying why. */
  private async recipient(d: DeliveryRow): Promise<User | null> {
    const user = await findUser(this.knex, d.recipient);
    if (!user) await this.skip([d.delivery_id], `${d.recipient} is no longer a user`);
    return user;
  }

  /** One recipient's own copy (or copies: their nodes under the subscription's), by e-mail. */
  private async mail(run: number, sub: Subscription, d: DeliveryRow): Promise<void> {
    const user = await this.recipient(d);
    if (!user) return;
    let copies: RenderedCopy[];
    try {
      const nodes = await this.renderer.nodesFor(user, sub.node);
      // Nothing to send it with: no copy is made, and no retry mends it.
      if (!this.options.mailer)
        return this.attempt([d], () => Promise.reject(new Unsendable('no SMTP server is set up (SMTP_URL)')));
      copies = [];
      for (const node of nodes)
        copies.push(
          await this.renderer.render(
            { user, kind: sub.kind, lang: sub.language, timeZone: sub.time_zone },
            node,
          ),
        );
    } catch (err) {
      if (err instanceof NoCopy) return this.skip([d.delivery_id], err.message);
      // Stopping closed the browser mid-print: the copy is made again at the next start.
      if (this.stopped) return;
      await this.knex('app.deliveries')
        .where({ delivery_id: d.delivery_id })
        .update({
          status: 'failed',
          last_error: `the copy could not be made: ${(err as Error).message.slice(0, 400)}`,
          attempted_at: new Date(),
        });
      return;
    }
    await this.knex('app.deliveries')
      .where({ delivery_id: d.delivery_id })
      .update({ node_id: copies.map((c) => c.node.node_id).join(',') });
    const message = this.messageOf(copies, sub);
    const email = (await userContacts(this.knex, [user.username])).get(user.username)?.email;
    const mailer = this.options.mailer!;
    await this.attempt([d], () => {
      if (!email) throw new Unsendable(`${user.username} has no e-mail address`);
      return mailer.send(email, message, `<report-${run}-${user.username}@cockpit>`);
    });
  }

  /** One post to a group robot for the run: the report, and each recipient's own link. */
  private async post(
    sub: Subscription,
    robot: Extract<Channel, { type: 'wecom' | 'dingtalk' }>,
    deliveries: DeliveryRow[],
  ): Promise<void> {
    const reached: { delivery: DeliveryRow; user: User; node: string }[] = [];
    for (const d of deliveries) {
      const user = await this.recipient(d);
      if (!user) continue;
      try {
        const [node] = await this.renderer.nodesFor(user, sub.node);
        reached.push({ delivery: d, user, node: node!.node_id });
      } catch (err) {
        if (!(err instanceof NoCopy)) throw err;
        await this.skip([d.delivery_id], err.message);
      }
    }
    if (!reached.length) return;
    for (const r of reached)
      await this.knex('app.deliveries')
        .where({ delivery_id: r.delivery.delivery_id })
        .update({ node_id: r.node });
    const contacts = await userContacts(
      this.knex,
      reached.map((r) => r.user.username),
    );
    const dataTo = (await loadCoverage(this.knex)).span?.to;
    if (!dataTo) throw new Error('no data has been loaded');
    const window = reportWindow(sub.kind, dataTo);
    const names = new Map(
      (
        (await this.knex('dim_org').whereIn('node_id', [sub.node, ...reached.map((r) => r.node)])) as {
          node_id: string;
          name: string;
        }[]
      ).map((n) => [n.node_id, n.name]),
    );
    const notice = composeNotice({
      kind: sub.kind,
      nodeName: names.get(sub.node) ?? sub.node,
      window,
      dataTo,
      lang: sub.language,
      timeZone: sub.time_zone,
      publicUrl: this.options.publicUrl,
      at: new Date(),
      recipients: reached.map((r) => {
        const c = contacts.get(r.user.username);
        return {
          name: r.user.display_name ?? r.user.username,
          mention: (robot.type === 'wecom' ? c?.wecom_id : c?.dingtalk_id) ?? null,
          node: r.node,
          nodeName: names.get(r.node) ?? r.node,
        };
      }),
    });
    await this.attempt(
      reached.map((r) => r.delivery),
      () => postToRobot(robot, notice, this.options.robotTimeoutMs),
    );
  }

  /** The message of a recipient's copies: the first one's summary, every copy's attachments. */
  private messageOf(copies: RenderedCopy[], sub: Subscription): Message {
    const [first, ...more] = copies.map((copy) =>
      composeMessage(copy, {
        lang: sub.language,
        timeZone: sub.time_zone,
        publicUrl: this.options.publicUrl,
        at: new Date(),
      }),
    );
    return { ...first!, attachments: [first!, ...more].flatMap((m) => m.attachments) };
  }

  /**
   * Tries a send for its deliveries until it goes or their tries run out; each try is counted
   * before it is made (so a crash mid-send shows as a try). A stop leaves them pending.
   */
  private async attempt(deliveries: DeliveryRow[], send: () => Promise<void>): Promise<void> {
    const ids = deliveries.map((d) => d.delivery_id);
    const update = (fields: Record<string, unknown>) =>
      this.knex('app.deliveries').whereIn('delivery_id', ids).update(fields);
    const done = Math.max(...deliveries.map((d) => d.attempts));
    if (done >= this.options.attempts) {
      await update({ status: 'failed', last_error: 'its tries were used up before a restart' });
      return;
    }
    for (let tries = done; tries < this.options.attempts; tries++) {
      if (this.stopped) return;
      await update({ attempts: tries + 1, attempted_at: new Date() });
      try {
        await send();
        await update({ status: 'sent', sent_at: new Date(), last_error: null });
        return;
      } catch (err) {
        const error = (err as Error).message.slice(0, 500);
        const last = tries + 1 >= this.options.attempts || err instanceof Unsendable;
        await update({ last_error: error, ...(last ? { status: 'failed' } : {}) });
        this.options.logger.warn(
          { deliveries: ids, channel: deliveries[0]!.channel, attempt: tries + 1 },
          `report delivery failed${last ? ' for good' : ', retrying'}: ${error}`,
        );
        if (last) return;
        await this.pause(this.options.backoffMs[Math.min(tries, this.options.backoffMs.length - 1)]!);
      }
    }
  }

  /** Waits, or less if the server stops meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wake = this.wake.filter((w) => w !== wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wake.push(wake);
    });
  }

  private async skip(ids: number[], reason: string): Promise<void> {
    if (ids.length)
      await this.knex('app.deliveries').whereIn('delivery_id', ids).update({ status: 'skipped', reason });
  }

  /** For /api/health, which anyone may read: counts and a time, no names, no errors. */
  async health(now = new Date()): Promise<DeliveryHealth> {
    const row = (await this.knex('app.deliveries')
      .where('status', 'failed')
      .where('attempted_at', '>=', new Date(now.getTime() - 24 * 3600_000))
      .first(this.knex.raw('count(*) AS n'), this.knex.raw('max(attempted_at) AS last'))) as {
      n: number | string;
      last: string | Date | null;
    };
    return {
      failed_24h: Number(row.n),
      last_failure_at: row.last === null ? null : new Date(row.last).toISOString(),
    };
  }

  /**
   * Stops scheduling and sending: a print under way is cut short, a wait ends; what is unfinished
   * stays pending and resumes at the next start. Call it before the HTTP server closes (a copy is
   * printed from it).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
    for (const wake of this.wake.splice(0)) wake();
    await this.renderer.close();
    await this.working.catch(() => undefined);
    this.options.mailer?.close();
  }
}
