// 报告订阅 / Report subscriptions, under the report on the report page (never printed): the
// subscriptions the user sees at this node (or all of theirs), each with its schedule in words,
// time zone, language, recipients, channels, next run and its last run's outcome; for the ones
// they may change, send now (the run followed every 2 s until it is done), enable/disable and
// delete; each one's deliveries, newest run first; and a form for a new one. Group users name any
// users of their scope (or every user of a role under the node); division, region, store and
// finance users only themselves; special grants read what is sent to them; staff see nothing.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { REPORT_TITLES } from '../../../../server/src/contract/report-tables.ts';
import { REPORT_KINDS, type ReportKind } from '../../../../server/src/contract/reports.ts';
import {
  DEFAULT_TIME_ZONE,
  RECIPIENT_ROLES,
  REPORT_LANGUAGES,
  type Channel,
  type Recipient,
  type RecipientUser,
  type Subscription,
} from '../../../../server/src/contract/subscriptions.ts';
import { ApiError } from '../../shared/api/client.ts';
import { useSession, type SessionUser } from '../../shared/api/session.ts';
import { Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { pick, useT, type Lang } from '../../shared/i18n.ts';
import {
  createSubscription,
  deleteSubscription,
  deliveriesQuery,
  patchSubscription,
  recipientsQuery,
  runSubscription,
  subscriptionsQuery,
  type Deliveries,
  type ReportRun,
} from './api.ts';
import { DEFAULT_SCHEDULE, SCHEDULE_PRESETS, scheduleInWords } from './schedule.ts';

type T = ReturnType<typeof useT>;
type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/** How often a run started here is asked after, until it is done or failed. */
const POLL_MS = 2000;
const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'UTC',
];

/** An instant as YYYY-MM-DD (weekday) HH:mm in a time zone. */
function formatAt(iso: string, zone: string, lang: Lang, weekday = false): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    return iso;
  }
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return `${day}${weekday ? ` ${parts.weekday}` : ''} ${parts.hour}:${parts.minute}`;
}

/** Punctuation of the page's language. */
const colon = (lang: Lang) => (lang === 'zh' ? '：' : ': ');
const listOf = (lang: Lang, items: string[]) => items.join(lang === 'zh' ? '、' : ', ');
const counted = (lang: Lang, n: number) => (lang === 'zh' ? `（${n}）` : ` (${n})`);

const nodeName = (ctx: ViewContext, node: { id: string; name: string }) =>
  ctx.org.byId.has(node.id) ? ctx.org.name(node.id, ctx.lang) : node.name;

const roleTitle = (t: T, role: string) => t(`title_${role as RecipientRole}`);

const channelText = (t: T, c: Subscription['channels'][number]) =>
  c.type === 'email'
    ? t('subEmail')
    : `${t(c.type === 'wecom' ? 'subWecom' : 'subDingtalk')} (${c.webhook_host ?? ''}${c.has_secret ? `, ${t('subSigned')}` : ''})`;

const channelName = (t: T, type: Channel['type']) =>
  t(type === 'email' ? 'subEmail' : type === 'wecom' ? 'subWecom' : 'subDingtalk');

/** The panel, for everyone but staff users (and wall screens). */
export function Subscriptions({ node, kind }: { node: string; kind: ReportKind }) {
  const user = useSession()?.user;
  if (!user || user.role === 'staff' || user.kiosk) return null;
  return <SubscriptionsPanel node={node} kind={kind} user={user} />;
}

function SubscriptionsPanel({ node, kind, user }: { node: string; kind: ReportKind; user: SessionUser }) {
  const t = useT();
  const ctx = useViewContext();
  const queryClient = useQueryClient();
  const list = useQuery(subscriptionsQuery());
  const [showAll, setShowAll] = useState(false);
  const [creating, setCreating] = useState(false);
  const writer = user.role !== 'special';
  const created = (sub: Subscription) => {
    queryClient.setQueryData(subscriptionsQuery().queryKey, (old) =>
      old ? { subscriptions: [...old.subscriptions.filter((s) => s.id !== sub.id), sub] } : old,
    );
    void queryClient.invalidateQueries({ queryKey: subscriptionsQuery().queryKey, exact: true });
    setCreating(false);
    // One made for another unit shows among all of them.
    if (sub.node.id !== node) setShowAll(true);
  };
  return (
    <Panel
      title={t('subTitle')}
      subtitle={t('subSubtitle')}
      className="subscriptions"
      actions={
        writer && (
          <button
            type="button"
            className={creating ? 'button' : 'button primary'}
            aria-expanded={creating}
            onClick={() => setCreating((c) => !c)}
          >
            {creating ? t('cancel') : t('subNew')}
          </button>
        )
      }
    >
      {creating && <NewSubscription node={node} kind={kind} user={user} onCreated={created} />}
      {!writer && <p className="note">{t('subReadOnlySpecial')}</p>}
      <QueryState query={list} height={80}>
        {({ subscriptions }) => {
          const shown = showAll ? subscriptions : subscriptions.filter((s) => s.node.id === node);
          return (
            <>
              <label className="sub-show-all">
                <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
                {t('subShowAll', { n: subscriptions.length })}
              </label>
              {shown.length === 0 ? (
                <p className="state empty">
                  {showAll ? t('subNone') : t('subNoneHere', { node: ctx.org.name(node, ctx.lang) })}
                </p>
              ) : (
                <ul className="sub-list">
                  {shown.map((s) => (
                    <li key={s.id}>
                      <SubscriptionCard sub={s} ctx={ctx} />
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}

function SubscriptionCard({ sub, ctx }: { sub: Subscription; ctx: ViewContext }) {
  const t = useT();
  const queryClient = useQueryClient();
  const listKey = subscriptionsQuery().queryKey;
  /** The run sent now from here: followed until it is done or failed. */
  const [watching, setWatching] = useState<number | null>(null);
  const [conflict, setConflict] = useState(false);
  const deliveries = useQuery({
    ...deliveriesQuery(sub.id),
    refetchInterval: (query) => {
      if (watching === null) return false;
      const run = query.state.data?.runs.find((r) => r.id === watching);
      return !run || run.status === 'pending' || run.status === 'running' ? POLL_MS : false;
    },
  });
  const replace = (next: Subscription) =>
    queryClient.setQueryData(listKey, (old) =>
      old ? { subscriptions: old.subscriptions.map((s) => (s.id === next.id ? next : s)) } : old,
    );
  const sendNow = useMutation({
    mutationFn: () => runSubscription(sub.id),
    onSuccess: ({ run }) => {
      setWatching(run);
      void queryClient.invalidateQueries({ queryKey: deliveriesQuery(sub.id).queryKey });
    },
  });
  const toggle = useMutation({
    mutationFn: () => patchSubscription(sub.id, { enabled: !sub.enabled, revision: sub.revision }),
    onMutate: () => setConflict(false),
    onSuccess: replace,
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setConflict(true);
        void queryClient.invalidateQueries({ queryKey: listKey, exact: true });
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteSubscription(sub.id),
    onSuccess: () => {
      queryClient.setQueryData(listKey, (old) =>
        old ? { subscriptions: old.subscriptions.filter((s) => s.id !== sub.id) } : old,
      );
      queryClient.removeQueries({ queryKey: deliveriesQuery(sub.id).queryKey });
    },
  });
  const title = `${pick(ctx.lang, REPORT_TITLES[sub.kind])} · ${nodeName(ctx, sub.node)}`;
  const words = scheduleInWords(sub.schedule, ctx.lang);
  const resolved = new Map(sub.recipients_resolved.map((r) => [r.username, r]));
  const recipients = sub.recipients.map((r: Recipient) =>
    'user' in r
      ? (resolved.get(r.user)?.name ?? r.user)
      : t('subRoleUnder', {
          node: ctx.org.byId.has(r.node) ? ctx.org.name(r.node, ctx.lang) : r.node,
          role: roleTitle(t, r.role),
        }),
  );
  const unreached = sub.recipients_resolved.filter((r) => r.channels.length === 0).map((r) => r.name);
  const next = sub.next_runs[0];
  const error = toggle.error ?? sendNow.error ?? remove.error;
  const busy = sendNow.isPending || toggle.isPending || remove.isPending;
  const confirmDelete = () => {
    if (window.confirm(t('subDeleteConfirm', { name: title }))) remove.mutate();
  };
  return (
    <article
      className={sub.enabled ? 'sub-card' : 'sub-card off'}
      data-subscription={sub.id}
      data-enabled={sub.enabled}
      aria-label={title}
    >
      <header className="sub-head">
        <h3>{title}</h3>
        <span className={sub.enabled ? 'sub-badge on' : 'sub-badge off'}>
          {sub.enabled ? t('subEnabled') : t('subDisabled')}
        </span>
        {!sub.editable && <span className="sub-badge">{t('subReadOnly')}</span>}
        {sub.editable && (
          <div className="sub-actions">
            <button type="button" className="button" disabled={busy} onClick={() => sendNow.mutate()}>
              {t('subSendNow')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => toggle.mutate()}>
              {sub.enabled ? t('subDisable') : t('subEnable')}
            </button>
            <button type="button" className="button danger" disabled={busy} onClick={confirmDelete}>
              {t('subDelete')}
            </button>
          </div>
        )}
      </header>
      <dl className="sub-facts">
        <div>
          <dt>{t('subSchedule')}</dt>
          <dd data-schedule={sub.schedule}>
            {words ?? <code>{sub.schedule}</code>}
            {words && <small className="sub-cron"> {sub.schedule}</small>}
          </dd>
        </div>
        <div>
          <dt>{t('subNextRun')}</dt>
          <dd data-next-run={next ?? ''}>
            {next ? formatAt(next, sub.time_zone, ctx.lang, true) : t('subNoNextRun')}
          </dd>
        </div>
        <div>
          <dt>{t('subTimeZone')}</dt>
          <dd>{sub.time_zone}</dd>
        </div>
        <div>
          <dt>{t('subLanguage')}</dt>
          <dd>{t(`subLang_${sub.language}`)}</dd>
        </div>
        <div className="wide">
          <dt>{t('subRecipients')}</dt>
          <dd data-recipients>
            {listOf(ctx.lang, recipients)}
            {unreached.length > 0 && (
              <small className="sub-warn"> {t('subUnreached', { names: listOf(ctx.lang, unreached) })}</small>
            )}
          </dd>
        </div>
        <div className="wide">
          <dt>{t('subChannels')}</dt>
          <dd data-channels>{sub.channels.map((c) => channelText(t, c)).join(' / ')}</dd>
        </div>
        <div>
          <dt>{t('subOwner')}</dt>
          <dd>{sub.owner}</dd>
        </div>
      </dl>
      {deliveries.data ? (
        <>
          <LastRun runs={deliveries.data.runs} sub={sub} ctx={ctx} />
          <DeliveryList deliveries={deliveries.data} sub={sub} ctx={ctx} />
        </>
      ) : deliveries.isError ? (
        <p className="sub-last muted">{deliveries.error.message}</p>
      ) : null}
      {conflict && (
        <p className="form-error" role="alert">
          {t('subConflict')}
        </p>
      )}
      {error && !(conflict && error === toggle.error) && (
        <p className="form-error" role="alert">
          {error instanceof ApiError ? error.message : t('error')}
        </p>
      )}
    </article>
  );
}

/** A name for a recipient of a delivery: the resolved name where the subscription lists it. */
const recipientName = (sub: Subscription, username: string) =>
  sub.recipients_resolved.find((r) => r.username === username)?.name ?? username;

/** The last run's outcome: counts, then each failure (red, with its error), retry and skip. */
function LastRun({ runs, sub, ctx }: { runs: ReportRun[]; sub: Subscription; ctx: ViewContext }) {
  const t = useT();
  const run = runs[0];
  if (!run)
    return (
      <p className="sub-last" data-last-run="none">
        {t('subLastRun')}
        {colon(ctx.lang)}
        {t('subNeverRun')}
      </p>
    );
  const count = (status: string) => run.deliveries.filter((d) => d.status === status).length;
  const active = run.status === 'pending' || run.status === 'running';
  const done = run.deliveries.length - count('pending');
  const failures = run.deliveries.filter((d) => d.status === 'failed');
  const retrying = run.deliveries.filter((d) => d.status === 'pending' && d.last_error);
  const skipped = run.deliveries.filter((d) => d.status === 'skipped');
  return (
    <div className="sub-last" data-last-run={run.status} data-run={run.id}>
      <p>
        <strong>{t('subLastRun')}</strong>
        {colon(ctx.lang)}
        {formatAt(run.scheduled_for, sub.time_zone, ctx.lang)} · {t(`subTrigger_${run.trigger}`)} ·{' '}
        <span className={`sub-run-status ${run.status}`}>{t(`subRunStatus_${run.status}`)}</span>
        {' · '}
        {t('subCounts', { sent: count('sent'), failed: failures.length, skipped: skipped.length })}
      </p>
      {active && (
        <p className="sub-progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          {run.deliveries.length === 0
            ? t('subRunQueued')
            : t('subRunProgress', { done, total: run.deliveries.length })}
        </p>
      )}
      {run.error && <p className="sub-failed">{run.error}</p>}
      {(failures.length > 0 || retrying.length > 0 || skipped.length > 0) && (
        <ul className="sub-outcomes">
          {failures.map((d) => (
            <li key={d.id} className="sub-failed" data-delivery-status="failed">
              {recipientName(sub, d.recipient)} · {channelName(t, d.channel)}
              {colon(ctx.lang)}
              {d.last_error}
            </li>
          ))}
          {retrying.map((d) => (
            <li key={d.id} className="sub-retrying" data-delivery-status="pending">
              {recipientName(sub, d.recipient)} · {channelName(t, d.channel)}
              {colon(ctx.lang)}
              {t('subRetrying', { n: d.attempts })} — {d.last_error}
            </li>
          ))}
          {skipped.map((d) => (
            <li key={d.id} className="sub-skipped" data-delivery-status="skipped">
              {recipientName(sub, d.recipient)} · {channelName(t, d.channel)}
              {colon(ctx.lang)}
              {d.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every run kept, newest first, with each of its deliveries. */
function DeliveryList({
  deliveries,
  sub,
  ctx,
}: {
  deliveries: Deliveries;
  sub: Subscription;
  ctx: ViewContext;
}) {
  const t = useT();
  const { runs } = deliveries;
  const nodeOf = (id: string | null) => (id ? ctx.org.name(id, ctx.lang) : '—');
  return (
    <details className="sub-deliveries">
      <summary>
        {t('subDeliveries')}
        {counted(ctx.lang, runs.length)}
      </summary>
      {runs.length === 0 ? (
        <p className="state empty">{t('subDeliveriesNone')}</p>
      ) : (
        runs.map((run) => (
          <section key={run.id} className="sub-run" data-run={run.id} data-status={run.status}>
            <h4>
              {formatAt(run.scheduled_for, sub.time_zone, ctx.lang)} · {t(`subTrigger_${run.trigger}`)} ·{' '}
              <span className={`sub-run-status ${run.status}`}>{t(`subRunStatus_${run.status}`)}</span>
              {run.error && <span className="sub-failed"> · {run.error}</span>}
            </h4>
            {run.deliveries.length > 0 && (
              <table className="data-table sub-delivery-table">
                <thead>
                  <tr>
                    <th scope="col">{t('subColRecipient')}</th>
                    <th scope="col">{t('subColChannel')}</th>
                    <th scope="col">{t('subColStatus')}</th>
                    <th scope="col" className="num">
                      {t('subColAttempts')}
                    </th>
                    <th scope="col">{t('subColSentAt')}</th>
                    <th scope="col">{t('subColError')}</th>
                    <th scope="col">{t('subColNode')}</th>
                  </tr>
                </thead>
                <tbody>
                  {run.deliveries.map((d) => (
                    <tr key={d.id} data-status={d.status}>
                      <td data-label={t('subColRecipient')}>{recipientName(sub, d.recipient)}</td>
                      <td data-label={t('subColChannel')}>{channelName(t, d.channel)}</td>
                      <td data-label={t('subColStatus')} className={`sub-status ${d.status}`}>
                        {t(`subDelivery_${d.status}`)}
                      </td>
                      <td data-label={t('subColAttempts')} className="num">
                        {d.attempts}
                      </td>
                      <td data-label={t('subColSentAt')}>
                        {d.sent_at ? formatAt(d.sent_at, sub.time_zone, ctx.lang) : '—'}
                      </td>
                      <td
                        data-label={t('subColError')}
                        className={d.status === 'failed' ? 'sub-failed' : undefined}
                      >
                        {d.last_error ?? d.reason ?? '—'}
                      </td>
                      <td data-label={t('subColNode')}>{nodeOf(d.node)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))
      )}
    </details>
  );
}

/** The form field a refusal names (`recipients.1` → recipients), or null for the form as a whole. */
const FIELDS = ['kind', 'node', 'recipients', 'channels', 'schedule', 'time_zone', 'language'] as const;
type Field = (typeof FIELDS)[number];
const fieldOf = (error: unknown): Field | null => {
  if (!(error instanceof ApiError) || !error.param) return null;
  const head = error.param.split('.')[0];
  return FIELDS.find((f) => f === head) ?? null;
};

/** A refusal shown next to the field it names. */
function FieldError({ error, field }: { error: unknown; field: Field }) {
  if (fieldOf(error) !== field || !(error instanceof ApiError)) return null;
  return (
    <p className="form-error field-error" role="alert" data-param={error.param}>
      {error.message}
    </p>
  );
}

function NewSubscription({
  node,
  kind,
  user,
  onCreated,
}: {
  node: string;
  kind: ReportKind;
  user: SessionUser;
  onCreated: (sub: Subscription) => void;
}) {
  const t = useT();
  const ctx = useViewContext();
  const group = user.role === 'group';
  const people = useQuery(recipientsQuery());
  const [form, setForm] = useState({
    kind,
    node,
    email: true,
    wecom: '',
    dingtalk: '',
    secret: '',
    preset: DEFAULT_SCHEDULE[kind] as string,
    cron: '',
    zone: DEFAULT_TIME_ZONE,
    language: ctx.lang as (typeof REPORT_LANGUAGES)[number],
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  /** Chosen users, in the order chosen, then every user of a role under a node. */
  const [chosen, setChosen] = useState<string[]>([]);
  const [roles, setRoles] = useState<{ role: RecipientRole; node: string }[]>([]);
  const [role, setRole] = useState<RecipientRole>('store');
  const [filter, setFilter] = useState('');
  const recipients: Recipient[] = group
    ? [...chosen.map((u) => ({ user: u })), ...roles]
    : [{ user: user.username }];
  const create = useMutation({
    mutationFn: () =>
      createSubscription({
        kind: form.kind,
        node: form.node,
        recipients,
        channels: [
          ...(form.email ? [{ type: 'email' as const }] : []),
          ...(form.wecom.trim() ? [{ type: 'wecom' as const, webhook: form.wecom.trim() }] : []),
          ...(form.dingtalk.trim()
            ? [
                {
                  type: 'dingtalk' as const,
                  webhook: form.dingtalk.trim(),
                  ...(form.secret ? { secret: form.secret } : {}),
                },
              ]
            : []),
        ],
        schedule: form.preset === 'custom' ? form.cron.trim() : form.preset,
        time_zone: form.zone.trim(),
        language: form.language,
      }),
    onSuccess: onCreated,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const error = create.error;
  const bad = fieldOf(error);
  /** The recipient a refusal names (`recipients.2`), to mark it. */
  const badRecipient =
    bad === 'recipients' && error instanceof ApiError ? Number(error.param?.split('.')[1] ?? NaN) : NaN;
  /** The channel a refusal names (`channels.1.webhook`), by type: the channels go email, WeCom, DingTalk. */
  const sent = [
    form.email && 'email',
    form.wecom.trim() && 'wecom',
    form.dingtalk.trim() && 'dingtalk',
  ].filter(Boolean);
  const badChannel =
    bad === 'channels' && error instanceof ApiError
      ? sent[Number(error.param?.split('.')[1] ?? NaN)]
      : undefined;
  // The units the report may be of: the page's node, the ones above it and below it in the scope.
  const nodes = [...ctx.org.chain(node), ...ctx.org.children(node)].filter((n) => n.in_scope);
  const nodeLabel = (id: string) => ctx.org.name(id, ctx.lang);
  const users = people.data?.users ?? [];
  const me = users.find((u) => u.username === user.username);
  const needle = filter.trim().toLowerCase();
  const matches = (u: RecipientUser) =>
    !needle || [u.name, u.username, ...u.nodes.map(nodeLabel)].some((s) => s.toLowerCase().includes(needle));
  const toggleUser = (username: string, on: boolean) =>
    setChosen((c) => (on ? [...c.filter((u) => u !== username), username] : c.filter((u) => u !== username)));
  const changeKind = (next: ReportKind) =>
    setForm((f) => ({
      ...f,
      kind: next,
      // A preset follows the report's rhythm; a cron typed in stays.
      preset: f.preset === 'custom' ? f.preset : DEFAULT_SCHEDULE[next],
    }));
  return (
    <form className="sub-form" onSubmit={submit} aria-label={t('subNew')} noValidate>
      <div className="sub-form-grid">
        <label className="sub-field" data-field="kind">
          <span>{t('subKind')}</span>
          <select name="kind" value={form.kind} onChange={(e) => changeKind(e.target.value as ReportKind)}>
            {REPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {pick(ctx.lang, REPORT_TITLES[k])}
              </option>
            ))}
          </select>
          <FieldError error={error} field="kind" />
        </label>
        <label className="sub-field" data-field="node">
          <span>{t('subNode')}</span>
          <select name="node" value={form.node} onChange={(e) => set('node', e.target.value)}>
            {nodes.map((n) => (
              <option key={n.node_id} value={n.node_id}>
                {nodeLabel(n.node_id)}
              </option>
            ))}
          </select>
          <FieldError error={error} field="node" />
        </label>
        <fieldset className="sub-field sub-schedule" data-field="schedule">
          <legend>{t('subSchedule')}</legend>
          <select
            name="preset"
            aria-label={t('subSchedule')}
            value={form.preset}
            onChange={(e) => set('preset', e.target.value)}
          >
            {SCHEDULE_PRESETS.map((p) => (
              <option key={p} value={p}>
                {scheduleInWords(p, ctx.lang)}
              </option>
            ))}
            <option value="custom">{t('subCustom')}</option>
          </select>
          {form.preset === 'custom' && (
            <input
              name="cron"
              aria-label={t('subCron')}
              placeholder="30 7 * * 1-5"
              value={form.cron}
              aria-invalid={bad === 'schedule'}
              onChange={(e) => set('cron', e.target.value)}
              spellCheck={false}
              autoComplete="off"
            />
          )}
          {form.preset === 'custom' && (
            <small className="hint">{scheduleInWords(form.cron, ctx.lang) ?? t('subCronHint')}</small>
          )}
          <FieldError error={error} field="schedule" />
        </fieldset>
        <label className="sub-field" data-field="time_zone">
          <span>{t('subTimeZone')}</span>
          <input
            name="time_zone"
            list="sub-zones"
            value={form.zone}
            aria-invalid={bad === 'time_zone'}
            onChange={(e) => set('zone', e.target.value)}
            autoComplete="off"
          />
          <datalist id="sub-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <FieldError error={error} field="time_zone" />
        </label>
        <label className="sub-field" data-field="language">
          <span>{t('subLanguage')}</span>
          <select
            name="language"
            value={form.language}
            onChange={(e) => set('language', e.target.value as typeof form.language)}
          >
            {REPORT_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`subLang_${l}`)}
              </option>
            ))}
          </select>
          <FieldError error={error} field="language" />
        </label>
      </div>

      <fieldset className="sub-field sub-recipients" data-field="recipients">
        <legend>{t('subRecipients')}</legend>
        {group ? (
          <>
            <div className="sub-recipient-tools">
              <input
                type="search"
                aria-label={t('subRecipientsFilter')}
                placeholder={t('subRecipientsFilter')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
              <span className="muted">{t('subRecipientsPicked', { n: chosen.length })}</span>
            </div>
            <QueryState query={people} height={60}>
              {() => (
                <ul className="sub-recipient-list" aria-label={t('subRecipients')}>
                  {users.filter(matches).map((u) => {
                    const at = chosen.indexOf(u.username);
                    return (
                      <li
                        key={u.username}
                        data-user={u.username}
                        className={at >= 0 && at === badRecipient ? 'invalid' : undefined}
                      >
                        <label>
                          <input
                            type="checkbox"
                            name="recipient"
                            value={u.username}
                            checked={at >= 0}
                            onChange={(e) => toggleUser(u.username, e.target.checked)}
                          />
                          <span className="sub-person">
                            <strong>{u.name}</strong>
                            {u.name !== u.username && <small> {u.username}</small>}
                          </span>
                          <small className="muted">
                            {roleTitle(t, u.role)} · {listOf(ctx.lang, u.nodes.map(nodeLabel))}
                            {!u.has_email && <span className="sub-warn"> · {t('subNoEmail')}</span>}
                          </small>
                        </label>
                      </li>
                    );
                  })}
                </ul>
              )}
            </QueryState>
            <div className="sub-role-add">
              <label>
                <span>{t('subRoleAdd', { node: nodeLabel(form.node) })}</span>
                <select name="role" value={role} onChange={(e) => setRole(e.target.value as RecipientRole)}>
                  {RECIPIENT_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleTitle(t, r)}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button"
                onClick={() =>
                  setRoles((rs) =>
                    rs.some((x) => x.role === role && x.node === form.node)
                      ? rs
                      : [...rs, { role, node: form.node }],
                  )
                }
              >
                {t('subAdd')}
              </button>
            </div>
            {roles.length > 0 && (
              <ul className="sub-chips">
                {roles.map((r, i) => (
                  <li
                    key={`${r.role}@${r.node}`}
                    className={chosen.length + i === badRecipient ? 'invalid' : undefined}
                    data-role={r.role}
                  >
                    {t('subRoleUnder', { node: nodeLabel(r.node), role: roleTitle(t, r.role) })}
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`${t('subRemove')} ${roleTitle(t, r.role)}`}
                      onClick={() => setRoles((rs) => rs.filter((_, j) => j !== i))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <>
            <p className="sub-self" data-self={user.username}>
              {t('subSelfOnly', { name: me?.name ?? user.display_name ?? user.username })}
            </p>
            {me && !me.has_email && form.email && <p className="sub-warn">{t('subSelfNoEmail')}</p>}
          </>
        )}
        <FieldError error={error} field="recipients" />
      </fieldset>

      <fieldset className="sub-field sub-channels" data-field="channels">
        <legend>{t('subChannels')}</legend>
        <label className="sub-check">
          <input
            type="checkbox"
            name="email"
            checked={form.email}
            onChange={(e) => set('email', e.target.checked)}
          />
          {t('subEmail')}
        </label>
        <label>
          <span>{t('subWecomUrl')}</span>
          <input
            type="url"
            name="wecom"
            aria-invalid={badChannel === 'wecom'}
            inputMode="url"
            placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
            value={form.wecom}
            onChange={(e) => set('wecom', e.target.value)}
            autoComplete="off"
          />
        </label>
        <label>
          <span>{t('subDingtalkUrl')}</span>
          <input
            type="url"
            name="dingtalk"
            aria-invalid={badChannel === 'dingtalk'}
            inputMode="url"
            placeholder="https://oapi.dingtalk.com/robot/send?access_token=…"
            value={form.dingtalk}
            onChange={(e) => set('dingtalk', e.target.value)}
            autoComplete="off"
          />
        </label>
        <label>
          <span>{t('subDingtalkSecret')}</span>
          <input
            type="password"
            name="secret"
            value={form.secret}
            onChange={(e) => set('secret', e.target.value)}
            autoComplete="new-password"
          />
        </label>
        <small className="hint">{t('subRobotHint')}</small>
        <FieldError error={error} field="channels" />
      </fieldset>

      <div className="sub-submit">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t('loading') : t('subCreate')}
        </button>
        {error && bad === null && (
          <p className="form-error" role="alert">
            {error instanceof ApiError ? error.message : t('error')}
          </p>
        )}
      </div>
    </form>
  );
}
