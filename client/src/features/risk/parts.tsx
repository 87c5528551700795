// Pieces the risk centre, the PDCA board and the task page share: the level badge, the PDCA steps,
// the form that moves a task and the one that hands it on. How an alert reads and links is in
// shared/risk/alerts.ts.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api/client.ts';
import { useSession } from '../../shared/api/session.ts';
import { useLang, useT } from '../../shared/i18n.ts';
import { personLabel } from '../../shared/risk/alerts.ts';
import {
  assigneesQuery,
  useTaskWrite,
  type AlertLevel,
  type TaskDetail,
  type TaskStatus,
  type TransitionInput,
} from '../../shared/risk/api.ts';

export function LevelBadge({ level }: { level: AlertLevel }) {
  const t = useT();
  return <span className={`badge ${level}`}>{t(level)}</span>;
}

const STEPS: TaskStatus[] = ['plan', 'do', 'check', 'act', 'closed'];

/** Plan → Do → Check → Act → closed, with the current step marked. */
export function PdcaSteps({ status }: { status: TaskStatus }) {
  const t = useT();
  const at = STEPS.indexOf(status);
  return (
    <ol className="pdca-steps" aria-label={t('pdca')}>
      {STEPS.map((s, i) => (
        <li
          key={s}
          className={i < at ? 'done' : i === at ? 'current' : undefined}
          aria-current={i === at ? 'step' : undefined}
        >
          {t(`status_${s}`)}
        </li>
      ))}
    </ol>
  );
}

/** What each move asks for (the server checks the same and answers 400 otherwise). */
type TextField = Exclude<keyof TransitionInput, 'to'>;

const fieldsFor = (from: TaskStatus, to: TaskStatus): TextField[] =>
  to === 'plan'
    ? ['note']
    : from === 'plan' && to === 'do'
      ? ['root_cause', 'action_plan']
      : to === 'closed'
        ? ['conclusion', 'standardised']
        : [];

/** A button per allowed move; a move that needs text opens its fields first. */
export function TaskMoves({
  task,
  compact = false,
}: {
  task: Pick<TaskDetail, 'id' | 'status' | 'next'>;
  compact?: boolean;
}) {
  const t = useT();
  const { move } = useTaskWrite(task.id);
  const [target, setTarget] = useState<TaskStatus | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  if (task.next.length === 0) return null;

  const submit = (to: TaskStatus, event?: FormEvent) => {
    event?.preventDefault();
    move.mutate(
      { to, ...values },
      {
        onSuccess: () => {
          setTarget(null);
          setValues({});
        },
      },
    );
  };
  const open = (to: TaskStatus) => (fieldsFor(task.status, to).length ? setTarget(to) : submit(to));
  const error = move.error instanceof ApiError ? move.error.message : move.error ? t('error') : null;

  if (target) {
    const fields = fieldsFor(task.status, target);
    return (
      <form className="task-form" onSubmit={(e) => submit(target, e)}>
        {fields.map((f, i) => (
          <label key={f}>
            <span>{t(`field_${f}`)}</span>
            <textarea
              required
              rows={compact ? 2 : 3}
              value={values[f] ?? ''}
              autoFocus={i === 0}
              onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
            />
          </label>
        ))}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-buttons">
          <button type="submit" className="button primary" disabled={move.isPending}>
            {t(`move_${target}`)}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setTarget(null);
              setValues({});
              move.reset();
            }}
          >
            {t('cancel')}
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="task-moves">
      {task.next.map((to) => (
        <button
          key={to}
          type="button"
          className={to === 'plan' ? 'button' : 'button primary'}
          disabled={move.isPending}
          onClick={() => open(to)}
        >
          {t(`move_${to}`)}
        </button>
      ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Log an action taken (in Do) or a comment. */
export function TaskNote({ task }: { task: Pick<TaskDetail, 'id' | 'status'> }) {
  const t = useT();
  const lang = useLang();
  const { note } = useTaskWrite(task.id);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'action' | 'comment'>(task.status === 'do' ? 'action' : 'comment');
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim())
      note.mutate({ text, kind: task.status === 'do' ? kind : 'comment' }, { onSuccess: () => setText('') });
  };
  return (
    <form className="task-form" onSubmit={send} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <label>
        <span>{task.status === 'do' && kind === 'action' ? t('field_action') : t('field_comment')}</span>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {note.error && (
        <p className="form-error" role="alert">
          {note.error instanceof ApiError ? note.error.message : t('error')}
        </p>
      )}
      <div className="form-buttons">
        {task.status === 'do' && (
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as 'action' | 'comment')}
            aria-label={t('noteKind')}
          >
            <option value="action">{t('kind_action')}</option>
            <option value="comment">{t('kind_comment')}</option>
          </select>
        )}
        <button type="submit" className="button" disabled={note.isPending || !text.trim()}>
          {t('send')}
        </button>
      </div>
    </form>
  );
}

/**
 * Hands the task to someone else who may see it (the server lists them and checks again); not
 * offered to special grants and staff users, nor on a closed task.
 */
export function Reassign({ task }: { task: Pick<TaskDetail, 'id' | 'status' | 'assignee'> }) {
  const t = useT();
  const role = useSession()?.user.role;
  const mayReassign =
    role !== undefined && role !== 'special' && role !== 'staff' && task.status !== 'closed';
  const people = useQuery({ ...assigneesQuery(task.id), enabled: mayReassign });
  const { assign } = useTaskWrite(task.id);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  if (!mayReassign || !people.data) return null;
  const others = people.data.assignees.filter((p) => p.username !== task.assignee);
  if (others.length === 0) return null;
  const error = assign.error instanceof ApiError ? assign.error.message : assign.error ? t('error') : null;
  return (
    <form
      className="task-form reassign"
      onSubmit={(e) => {
        e.preventDefault();
        if (to)
          assign.mutate(
            { to, ...(note.trim() ? { note: note.trim() } : {}) },
            { onSuccess: () => (setTo(''), setNote('')) },
          );
      }}
    >
      <label>
        <span>{t('reassign')}</span>
        <select value={to} onChange={(e) => setTo(e.target.value)} required name="assignee">
          <option value="" />
          {others.map((p) => (
            <option key={p.username} value={p.username}>
              {personLabel(p, p.username, t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('reassignNote')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      <button type="submit" className="button" disabled={!to || assign.isPending}>
        {t('reassignButton')}
      </button>
      {error && <p className="form-error">{error}</p>}
    </form>
  );
}
