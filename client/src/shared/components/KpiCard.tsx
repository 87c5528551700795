// A KPI card: the value, the change against the previous period and last year, the budget, and a
// 12-month sparkline. Its colour (and status dot) is compare.ts's cardStatus: the comparison the
// user chose together with the metric's own value thresholds, the worse of the two. A card either
// chooses the view's metric (a toggle button, `onSelect`) or opens another page (a link, `href`).
// With `onExplain` it has a "为什么变动？" button that opens the metric's explain panel; with
// `landing`, a line under the figure with the metric's landing (预计完成, shared/forecast/).
import type { KeyboardEvent, ReactNode, SyntheticEvent } from 'react';
import type { Compare } from '../context.ts';
import { followLink } from '../router.ts';
import type { KpiValue, MetricInfo } from '../metrics/types.ts';
import { Sparkline } from '../charts/Sparkline.tsx';
import { MetricInfoButton } from './MetricInfo.tsx';
import { describeBudget, describeComparison, formatKpiValue } from '../format.ts';
import { pick, useLang, useT } from '../i18n.ts';
import { budgetTone, cardStatus, comparisonTone } from '../status.ts';

export function KpiCard({
  metric,
  kpi,
  compare,
  spark,
  selected,
  onSelect,
  href,
  onExplain,
  onExplainIntent,
  landing,
}: {
  metric: MetricInfo;
  kpi: KpiValue | undefined;
  compare: Compare;
  /** The trailing 12 months, oldest first: the sparkline, and the months that consecutive-period thresholds need. */
  spark?: { period: string; value: number | null }[];
  selected?: boolean;
  onSelect?: () => void;
  href?: string;
  /** Opens the explain panel of the metric ("为什么变动？"). */
  onExplain?: () => void;
  /** The pointer rests on the explain button, or it has the focus: fetch what it opens. */
  onExplainIntent?: () => void;
  /** The line under the figure: the landing of the period (LandingLine). */
  landing?: ReactNode;
}) {
  const t = useT();
  const lang = useLang();
  const months = spark?.map((p) => p.value);
  const status = cardStatus(metric, kpi, compare, months);
  const emphasis = (c: Compare) => (compare === c ? ' emphasis' : '');
  const budget = describeBudget(kpi?.budget, metric.unit, lang);
  const showBudget = (kpi?.budget && budget.kind !== 'no_budget') || compare === 'budget';
  const body = (
    <>
      <span className="kpi-name">
        <span className={`status-dot ${status}`} aria-label={t(status)} role="img" />
        {pick(lang, metric.name)}
        <MetricInfoButton metric={metric} />
      </span>
      <span
        className={`kpi-value${kpi?.value === null || kpi?.value === undefined ? ' missing' : ''}`}
        data-value={kpi?.value ?? ''}
      >
        {formatKpiValue(kpi, metric.unit, lang)}
      </span>
      {landing}
      <span className="kpi-compare">
        {(['prev', 'yoy'] as const).map((c) => (
          <span key={c} className={`${comparisonTone(metric, kpi?.[c])}${emphasis(c)}`} data-compare={c}>
            {t(c)} {describeComparison(kpi?.[c], metric, lang).text}
          </span>
        ))}
        {showBudget && (
          <span className={`${budgetTone(metric, kpi?.budget)}${emphasis('budget')}`} data-compare="budget">
            {budget.kind === 'attainment'
              ? `${t('attainment')} ${budget.text}`
              : budget.kind === 'variance' || budget.kind === 'no_budget'
                ? budget.text
                : `${t('budget')} ${budget.text}`}
          </span>
        )}
      </span>
      {months && months.length > 1 && (
        <span className="kpi-spark">
          <Sparkline values={months} status={status} label={`${pick(lang, metric.name)} ${t('trend')}`} />
        </span>
      )}
      {onExplain && (
        <ExplainButton
          label={t('whyMovedOf', { metric: pick(lang, metric.name) })}
          metric={metric.id}
          onExplain={onExplain}
          onIntent={onExplainIntent}
        >
          {t('whyMoved')}
        </ExplainButton>
      )}
    </>
  );
  const className = `kpi-card status-${status}${selected ? ' selected' : ''}`;
  if (href)
    return (
      <a className={className} href={href} onClick={followLink} data-metric={metric.id} data-status={status}>
        {body}
      </a>
    );
  return (
    <button
      type="button"
      className={className}
      onClick={onSelect}
      aria-pressed={selected}
      data-metric={metric.id}
      data-status={status}
    >
      {body}
    </button>
  );
}

/** Stops an event here: the card around the button neither selects nor navigates. */
const keep = (event: SyntheticEvent) => {
  event.stopPropagation();
  event.preventDefault();
};

/**
 * The card is a button or a link, so this is a focusable span with role="button" (as the ⓘ is)
 * rather than a nested <button>, keeping its clicks and keys to itself.
 */
function ExplainButton({
  label,
  metric,
  onExplain,
  onIntent,
  children,
}: {
  label: string;
  metric: string;
  onExplain: () => void;
  onIntent?: () => void;
  children: string;
}) {
  const press = (event: SyntheticEvent) => {
    keep(event);
    onExplain();
  };
  return (
    <span
      role="button"
      tabIndex={0}
      className="kpi-explain"
      aria-label={label}
      aria-haspopup="dialog"
      data-explain={metric}
      onClick={press}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === 'Enter' || event.key === ' ') press(event);
      }}
      onMouseDown={(event) => event.stopPropagation()}
      onMouseEnter={onIntent}
      onFocus={onIntent}
    >
      {children}
    </span>
  );
}
