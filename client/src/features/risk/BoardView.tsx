// The PDCA board: the open tasks at and under a node in columns Plan / Do / Check / Act, the
// caller's own or everyone's; each card moves on from where it is (Check → Act happens by itself
// when a later load finds the metric back within threshold).
import './risk.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useViewContext } from '../../shared/context.ts';
import { followLink, navigate, useLocation, withParams } from '../../shared/router.ts';
import { QueryState } from '../../shared/components/States.tsx';
import { useT } from '../../shared/i18n.ts';
import { BOARD_COLUMNS, tasksQuery, type Task, type TaskStatus } from '../../shared/risk/api.ts';
import {
  describeAlert,
  formatDay,
  formatImpact,
  metricName,
  nodeName,
  taskHref,
} from '../../shared/risk/alerts.ts';
import { LevelBadge, TaskMoves } from './parts.tsx';
import { personLabel } from '../../shared/risk/alerts.ts';

export default function BoardView({ node }: { node: string }) {
  const t = useT();
  const { params } = useLocation();
  // Your own tasks first; everyone's at and under the node on request.
  const mine = params.get('who') !== 'all';
  const tasks = useQuery(tasksQuery({ node, mine, closed: false }));

  return (
    <div className="view board-view" data-view="board">
      <div className="view-controls">
        <div className="segmented" role="group" aria-label={t('whoseTasks')}>
          {([true, false] as const).map((m) => (
            <button
              key={String(m)}
              type="button"
              aria-pressed={mine === m}
              className={mine === m ? 'active' : undefined}
              onClick={() => navigate(withParams({ who: m ? null : 'all' }))}
            >
              {t(m ? 'myTasks' : 'allTasks')}
            </button>
          ))}
        </div>
        <p className="subtitle">{t('boardNote')}</p>
      </div>
      <QueryState query={tasks}>
        {({ tasks: all }) => (
          <div className="board">
            {BOARD_COLUMNS.map((status) => (
              <BoardColumn
                key={status}
                status={status}
                tasks={all.filter((task) => task.status === status)}
              />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}

/** A column shows its first cards; the rest on request (a group's Plan column can hold dozens). */
const FIRST_CARDS = 12;

function BoardColumn({ status, tasks }: { status: TaskStatus; tasks: Task[] }) {
  const t = useT();
  const [all, setAll] = useState(false);
  const shown = all ? tasks : tasks.slice(0, FIRST_CARDS);
  return (
    <section className={`board-column ${status}`} aria-labelledby={`col-${status}`}>
      <h2 id={`col-${status}`}>
        {t(`status_${status}`)} <span className="count">{tasks.length}</span>
      </h2>
      {tasks.length === 0 && <p className="state empty">{t('noTasks')}</p>}
      {shown.map((task) => (
        <TaskCard key={task.id} task={task} />
      ))}
      {tasks.length > shown.length && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          {t('showAll', { n: tasks.length })}
        </button>
      )}
    </section>
  );
}

function TaskCard({ task }: { task: Task }) {
  const t = useT();
  const ctx = useViewContext();
  const { alert } = task;
  return (
    <article className={`task-card ${alert.level}${task.overdue ? ' overdue' : ''}`} data-task={task.id}>
      <header>
        <LevelBadge level={alert.level} />
        <a href={taskHref(task.id)} onClick={followLink}>
          {metricName(alert, ctx.lang)} · {nodeName(alert, ctx)}
        </a>
      </header>
      <p className="task-finding">{describeAlert(alert, ctx.lang, t)}</p>
      <p className="task-meta">
        {alert.impact_yuan !== null && (
          <span className="impact">
            {t('atStake')} {formatImpact(alert, ctx.lang)}
          </span>
        )}
        <span className="assignee">{personLabel(task.assignee_person, task.assignee, t)}</span>
        <span className={task.overdue ? 'overdue' : undefined}>
          {t(task.overdue ? 'overdueSince' : 'dueOn', { date: formatDay(task.due_at) })}
        </span>
        {task.escalations > 0 && <span>{t('escalated', { n: task.escalations })}</span>}
      </p>
      <TaskMoves task={task} compact />
    </article>
  );
}
