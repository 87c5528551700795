// How an alert reads and where it links: the risk centre, the overview's open risks, the wall's
// ticker and the daily report all show alerts and tasks the same way.
import { format } from 'date-fns';
import { formatPercent, formatValue } from '../format.ts';
import { pick, type Lang, type StringKey } from '../i18n.ts';
import { hrefTo } from '../router.ts';
import { STAFF_ROLES } from '../../../../server/src/contract/vocabulary.ts';
import type { Alert, Person } from './api.ts';

export const metricName = (alert: Alert, lang: Lang) =>
  alert.metric.name ? pick(lang, alert.metric.name) : alert.metric.id;

/** The alert's node in the reader's language: the org tree's English name where it has one. */
export const nodeName = (
  alert: Alert,
  ctx: { lang: Lang; org: { byId: Map<string, unknown>; name: (id: string, lang: Lang) => string } },
) => (ctx.org.byId.has(alert.node.id) ? ctx.org.name(alert.node.id, ctx.lang) : alert.node.name);

/** The money at stake: 1,068.9万元 / ¥10.69M; a dash where it cannot be estimated. */
export const formatImpact = (alert: Pick<Alert, 'impact_yuan'>, lang: Lang) =>
  formatValue(alert.impact_yuan, 'yuan', lang);

/** The KPI view at the alert's node, on its metric, in the month it was last judged. */
export const kpiHref = (alert: Alert) =>
  hrefTo(`/drill/${alert.node.id}`, { metric: alert.metric.id, p: alert.last_period });

export const taskHref = (taskId: number) => hrefTo(`/task/${taskId}`);

/** "45.8% (threshold > 25.0%)", or for relative rules what was compared: change on last year, deviations from peers, attainment. */
export function describeAlert(
  alert: Alert,
  lang: Lang,
  t: (key: StringKey, vars?: Record<string, string | number>) => string,
): string {
  const value = formatValue(alert.value, alert.metric.unit, lang);
  const limit = formatValue(alert.threshold, alert.metric.unit, lang);
  const { rule, score } = alert;
  const level = alert.level === 'critical' && rule.critical !== null ? rule.critical : rule.warning;
  switch (rule.comparison) {
    case 'attainment':
      return t('ruleAttainment', {
        value,
        attainment: formatPercent(score),
        op: rule.op,
        level: formatPercent(level),
      });
    case 'yoy_change':
      return t('ruleYoy', {
        value,
        change: score === null ? '—' : `${score > 0 ? '+' : ''}${(score * 100).toFixed(0)}%`,
        op: rule.op,
        level: `${level > 0 ? '+' : ''}${(level * 100).toFixed(0)}%`,
      });
    case 'peer_deviation':
      return t('rulePeers', { value, score: score === null ? '—' : score.toFixed(1), level, limit });
    default:
      return t('ruleValue', { value, op: rule.op, limit });
  }
}

export const formatTime = (iso: string) => format(new Date(iso), 'yyyy-MM-dd HH:mm');
export const formatDay = (iso: string) => format(new Date(iso), 'yyyy-MM-dd');

/** A person as tasks show them: their name and job title (王芳 · 销售顾问), else their username. */
export function personLabel(
  person: Person | undefined,
  fallback: string,
  t: (key: StringKey) => string,
): string {
  if (!person) return fallback;
  if (!person.title) return person.name;
  const title = (STAFF_ROLES as readonly string[]).includes(person.title)
    ? t(person.title as StringKey)
    : t(`title_${person.title}` as StringKey);
  return `${person.name} · ${title}`;
}
