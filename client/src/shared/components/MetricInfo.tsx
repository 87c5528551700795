// A metric's definition one click away: a small ⓘ beside its name (on a KPI card, a table header,
// a driver-tree node) that opens a popover with the formula in words, the unit, which way is good,
// how it aggregates, its thresholds (warning / critical, consecutive months, on the value or on
// budget attainment) and where they come from (industry or a suggested default).
//
// The button may sit inside a link or a button (a KPI card is one), so it is a focusable span with
// role="button" rather than a nested <button>, and it keeps its clicks and keys to itself. The
// popover is portalled to <body> (a table's scroll box does not clip it) and placed next to the
// button; Escape or a click elsewhere closes it and gives the focus back; Tab moves on from the
// button as if the popover were not there.
import './metric-info.css';
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type SyntheticEvent,
} from 'react';
import { createPortal } from 'react-dom';
import type { MetricInfo, Thresholds } from '../metrics/types.ts';
import { formatPercent, formatValue } from '../format.ts';
import { pick, translate, useLang, useT, type Lang, type StringKey } from '../i18n.ts';

type Definable = Pick<MetricInfo, 'id' | 'name' | 'unit' | 'direction' | 'kind' | 'thresholds'> & {
  definition?: { zh: string; en: string };
};

/** The thresholds in words, one line per level: "预警：> 25.0%", "严重：< 0元，连续 3 个月". */
export function thresholdLines(
  thresholds: Thresholds | null,
  unit: MetricInfo['unit'],
  lang: Lang,
): string[] {
  if (!thresholds) return [];
  const t = (key: StringKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
  const level = (x: number) =>
    thresholds.basis === 'attainment'
      ? t('thrOnAttainment', { op: thresholds.op, level: formatPercent(x) })
      : `${thresholds.op} ${formatValue(x, unit, lang)}`;
  const months = (n: number | undefined) => (n && n > 1 ? t('thrMonths', { n }) : '');
  const colon = lang === 'zh' ? '：' : ': ';
  const lines = [`${t('warning')}${colon}${level(thresholds.warning)}${months(thresholds.periods?.warning)}`];
  if (thresholds.critical !== undefined) {
    lines.push(
      `${t('critical')}${colon}${level(thresholds.critical)}${months(thresholds.periods?.critical ?? thresholds.periods?.warning)}`,
    );
  }
  return lines;
}

const GAP = 6;
const MARGIN = 8;

/** Stops an event here: the card or row around the button neither navigates nor selects. */
const keep = (event: SyntheticEvent) => {
  event.stopPropagation();
  event.preventDefault();
};

export function MetricInfoButton({ metric, className }: { metric: Definable; className?: string }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; left: number; width: number } | null>(null);
  const trigger = useRef<HTMLSpanElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const id = useId();
  const name = pick(lang, metric.name);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (refocus) trigger.current?.focus();
  }, []);

  const position = useCallback(() => {
    const button = trigger.current?.getBoundingClientRect();
    const box = popover.current;
    if (!button || !box) return;
    const viewport = document.documentElement.clientWidth;
    const width = Math.min(340, viewport - 2 * MARGIN);
    const left = Math.max(MARGIN, Math.min(button.left, viewport - width - MARGIN));
    const height = box.offsetHeight;
    const below = button.bottom + GAP;
    const top =
      below + height > window.innerHeight - MARGIN && button.top - GAP - height > MARGIN
        ? button.top - GAP - height
        : below;
    setPlace({ top, left, width });
  }, []);

  useLayoutEffect(() => {
    if (open) position();
  }, [open, position, lang]);

  // Once placed, the popover takes the focus, so a screen reader reads it and Escape reaches it.
  const placed = place !== null;
  useEffect(() => {
    if (open && placed) popover.current?.focus({ preventScroll: true });
  }, [open, placed]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!popover.current?.contains(target) && !trigger.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('scroll', position, true);
    window.addEventListener('resize', position);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('scroll', position, true);
      window.removeEventListener('resize', position);
    };
  }, [open, close, position]);

  const toggle = (event: SyntheticEvent) => {
    keep(event);
    if (open) close(false);
    else setOpen(true);
  };
  const onTriggerKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') toggle(event);
    else if (event.key === 'Escape' && open) {
      keep(event);
      close(true);
    }
  };
  const onPopoverKey = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      // Back to the button before the browser moves the focus: Tab goes on from there.
      close(true);
    }
  };

  const thresholds = thresholdLines(metric.thresholds, metric.unit, lang);
  const facts: [string, string[]][] = [
    [t('defFormula'), [metric.definition ? pick(lang, metric.definition) : '—']],
    [t('defUnit'), [t(`unit_${metric.unit}` as StringKey)]],
    [t('defDirection'), [t(`direction_${metric.direction}` as StringKey)]],
    [t('defKind'), [t(`agg_${metric.kind.replace('-', '_')}` as StringKey)]],
    [t('defThresholds'), thresholds.length ? thresholds : [t('noThresholds')]],
    ...(metric.thresholds
      ? [[t('defSource'), [t(`source_${metric.thresholds.source}` as StringKey)]] as [string, string[]]]
      : []),
  ];

  return (
    <>
      <span
        ref={trigger}
        role="button"
        tabIndex={0}
        className={`metric-info-button${open ? ' open' : ''}${className ? ` ${className}` : ''}`}
        aria-label={t('metricInfo', { name })}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        data-metric-info={metric.id}
        onClick={toggle}
        onKeyDown={onTriggerKey}
        // A press on the button must not start the card's own press (or drag a link).
        onMouseDown={(e: MouseEvent) => e.stopPropagation()}
      >
        ⓘ
      </span>
      {open &&
        createPortal(
          <div
            ref={popover}
            id={id}
            role="dialog"
            tabIndex={-1}
            aria-label={t('metricInfo', { name })}
            className="metric-info-popover"
            data-metric={metric.id}
            lang={lang === 'zh' ? 'zh-CN' : 'en'}
            style={
              place
                ? { top: place.top, left: place.left, width: place.width }
                : { top: 0, left: 0, visibility: 'hidden' }
            }
            // Events in a portal still bubble through React to the card or row around the button.
            onClick={(e) => e.stopPropagation()}
            onMouseDown={(e) => e.stopPropagation()}
            onKeyDown={onPopoverKey}
          >
            <div className="metric-info-head">
              <strong>{name}</strong>
              <button
                type="button"
                className="metric-info-close"
                aria-label={t('closeInfo')}
                onClick={() => close(true)}
              >
                ×
              </button>
            </div>
            <dl>
              {facts.map(([label, lines]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  {lines.map((line) => (
                    <dd key={line} data-fact={label === t('defFormula') ? 'formula' : undefined}>
                      {line}
                    </dd>
                  ))}
                </div>
              ))}
            </dl>
          </div>,
          document.body,
        )}
    </>
  );
}
