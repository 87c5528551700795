// One PDCA task: what was found and where, the plan, the moves the caller may make, actions and
// comments, and the whole audit trail (who, when, from, to, note).
import './risk.css';
import { useQuery } from '@tanstack/react-query';
import { useViewContext } from '../../shared/context.ts';
import { followLink, hrefTo } from '../../shared/router.ts';
import { Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useT } from '../../shared/i18n.ts';
import { taskQuery, type TaskDetail, type TaskEvent } from '../../shared/risk/api.ts';
import {
  describeAlert,
  formatDay,
  formatImpact,
  formatTime,
  kpiHref,
  metricName,
  nodeName,
  personLabel,
} from '../../shared/risk/alerts.ts';
import { LevelBadge, PdcaSteps, Reassign, TaskMoves, TaskNote } from './parts.tsx';

export default function TaskView({ node: taskId }: { node: string }) {
  const task = useQuery(taskQuery(taskId));
  return (
    <div className="view task-view" data-view="task">
      <QueryState query={task}>{(data) => <TaskPage task={data} />}</QueryState>
    </div>
  );
}

function TaskPage({ task }: { task: TaskDetail }) {
  const t = useT();
  const ctx = useViewContext();
  const { alert } = task;
  const facts: [string, string][] = [
    [t('finding'), describeAlert(alert, ctx.lang, t)],
    [t('atStake'), formatImpact(alert, ctx.lang)],
    [
      t('since'),
      alert.period === alert.last_period ? alert.period : `${alert.period} → ${alert.last_period}`,
    ],
    [t('latestCheck'), t(alert.within ? 'withinNow' : 'stillBreaching', { month: alert.last_period })],
    [
      t('assignee'),
      `${personLabel(task.assignee_person, task.assignee, t)}${task.escalations ? ` (${t('escalated', { n: task.escalations })})` : ''}`,
    ],
    [t('due'), `${formatDay(task.due_at)}${task.overdue ? ` · ${t('overdue')}` : ''}`],
  ];
  const plan: [string, string | null][] = [
    [t('field_root_cause'), task.root_cause],
    [t('field_action_plan'), task.action_plan],
    [t('field_conclusion'), task.conclusion],
    [t('field_standardised'), task.standardised],
  ];
  return (
    <>
      <div className="task-head">
        <h1>
          <LevelBadge level={alert.level} /> {metricName(alert, ctx.lang)} · {nodeName(alert, ctx)}{' '}
          <small>#{task.id}</small>
        </h1>
        <div className="task-links">
          <a href={kpiHref(alert)} onClick={followLink}>
            {t('openKpi')}
          </a>
          <a href={hrefTo(`/board/${alert.node.id}`)} onClick={followLink}>
            {t('board')}
          </a>
        </div>
      </div>
      <PdcaSteps status={task.status} />
      <div className="grid-1-1">
        <Panel title={t('alertInfo')}>
          <dl className="facts">
            {facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </Panel>
        <Panel title={t('pdca')} subtitle={task.status === 'check' ? t('checkNote') : undefined}>
          <dl className="facts">
            {plan
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd className="pre">{v}</dd>
                </div>
              ))}
          </dl>
          <TaskMoves task={task} />
          <Reassign task={task} />
        </Panel>
      </div>
      <Panel title={t('history')}>
        <TaskNote key={task.status} task={task} />
        <ol className="history">
          {[...task.events].reverse().map((e) => (
            <HistoryItem key={e.event_id} event={e} />
          ))}
        </ol>
      </Panel>
    </>
  );
}

/** The server writes notes language-neutrally; name the PDCA fields and the assignment in the reader's language. */
function readableNote(event: TaskEvent, t: ReturnType<typeof useT>): string {
  const note = event.note ?? '';
  if (event.kind === 'created')
    return note.replace(/^assigned to (.+)$/, (_, user: string) => t('assignedTo', { user }));
  return note.replace(
    /^(root_cause|action_plan|conclusion|standardised): /gm,
    (_, field: 'root_cause' | 'action_plan' | 'conclusion' | 'standardised') => `${t(`field_${field}`)}：`,
  );
}

function HistoryItem({ event }: { event: TaskEvent }) {
  const t = useT();
  const what =
    event.kind === 'transition' || event.kind === 'created'
      ? `${event.from_status ? `${t(`status_${event.from_status}`)} → ` : ''}${t(`status_${event.to_status!}`)}`
      : t(`kind_${event.kind}`);
  return (
    <li className={`event ${event.kind}`}>
      <time dateTime={event.happened_at}>{formatTime(event.happened_at)}</time>
      <span className="actor">{event.actor === 'system' ? t('system') : event.actor}</span>
      <strong>{what}</strong>
      {event.note && <p className="pre">{readableNote(event, t)}</p>}
    </li>
  );
}
