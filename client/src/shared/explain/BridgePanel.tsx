// A bridge (GET /api/bridge) as a waterfall with its figures in a table below: a variance bridge
// walks from the base's figure to the period's (volume, mix, rate), a composition bridge builds
// the period's figure from its parts (net profit from the departments' gross, rebates and
// expenses; operating cash flow from net profit through the working capital), each part beside
// its base, drawn lighter. The explain panel and the analysis view show it.
import './explain.css';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { waterfallOption, type WaterfallInput } from '../charts/waterfall.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ChartPanel } from '../components/Panel.tsx';
import { Empty, QueryState } from '../components/States.tsx';
import type { ViewContext } from '../context.ts';
import { formatDelta, formatValue } from '../format.ts';
import { pick, useT } from '../i18n.ts';
import { PHONE_QUERY, useElementWidth, useMediaQuery } from '../media.ts';
import { toneOf } from '../status.ts';
import { bridgeQuery, type BridgeKind, type BridgeResponse } from './api.ts';

interface Row {
  id: string;
  label: string;
  kind: 'start' | 'step' | 'end';
  value: number;
  base: number | null;
}

/** The table's rows: the first bar (if the bridge has one), the steps, the period's figure. */
function bridgeRows(b: BridgeResponse, lang: 'zh' | 'en'): Row[] {
  return [
    ...(b.start_label && b.start !== null
      ? [
          {
            id: 'start',
            label: pick(lang, b.start_label),
            kind: 'start' as const,
            value: b.start,
            base: b.base_start ?? null,
          },
        ]
      : []),
    ...b.steps.map((s) => ({
      id: s.id,
      label: pick(lang, s.label),
      kind: 'step' as const,
      value: s.value,
      base: s.base ?? null,
    })),
    {
      id: 'end',
      label: pick(lang, b.end_label),
      kind: 'end' as const,
      value: b.end!,
      base: b.base_end ?? null,
    },
  ];
}

/** The waterfall's bars, and the base period's beside them where every part of it is known. */
function waterfallInputs(
  b: BridgeResponse,
  lang: 'zh' | 'en',
): { period: WaterfallInput; base: WaterfallInput | null } {
  const start =
    b.start_label && b.start !== null ? { label: pick(lang, b.start_label), value: b.start } : null;
  const end = { label: pick(lang, b.end_label), value: b.end! };
  const period = {
    start,
    steps: b.steps.map((s) => ({ id: s.id, label: pick(lang, s.label), value: s.value })),
    end,
  };
  const complete =
    b.shape === 'composition' &&
    b.base_end !== undefined &&
    b.base_end !== null &&
    b.steps.every((s) => s.base !== undefined && s.base !== null) &&
    (!start || (b.base_start !== undefined && b.base_start !== null));
  if (!complete) return { period, base: null };
  return {
    period,
    base: {
      start: start && { label: start.label, value: b.base_start! },
      steps: b.steps.map((s) => ({ id: s.id, label: pick(lang, s.label), value: s.base! })),
      end: { label: end.label, value: b.base_end! },
    },
  };
}

/** A figure in the table, with the number behind it for tests and exports. */
const figure = (value: number | null, text: string, className?: string) => (
  <span data-value={value ?? ''} className={className}>
    {text}
  </span>
);

export function BridgePanel({
  kind,
  node,
  ctx,
  title,
  className,
  folded = false,
}: {
  kind: BridgeKind;
  node: string;
  ctx: ViewContext;
  /** The panel's title before the answer names the bridge. */
  title: string;
  className?: string;
  /** The figures folded under the chart (a page of several bridges); open for printing. */
  folded?: boolean;
}) {
  const t = useT();
  const { lang, compare } = ctx;
  const phone = useMediaQuery(PHONE_QUERY);
  const [measure, width] = useElementWidth<HTMLDivElement>();
  const query = useQuery(bridgeQuery(kind, node, ctx.period, compare));
  const b = query.data;
  const drawable = !!b && !b.reason && b.start !== null && b.end !== null;
  const baseName = t(`base_${compare}`);
  const inputs = useMemo(() => (b && drawable ? waterfallInputs(b, lang) : null), [b, drawable, lang]);
  const option = useMemo(
    () =>
      inputs &&
      waterfallOption(inputs.period, {
        lang,
        horizontal: phone,
        width,
        name: t('thisPeriod'),
        base: inputs.base && { input: inputs.base, name: baseName },
      }),
    [inputs, lang, phone, width, t, baseName],
  );
  const rows = useMemo(() => (b && drawable ? bridgeRows(b, lang) : []), [b, drawable, lang]);
  const name = b ? pick(lang, b.label) : title;
  const subtitle = !b
    ? undefined
    : b.shape === 'variance'
      ? t('bridgeVariance', {
          start: b.start_label ? pick(lang, b.start_label) : '0',
          end: pick(lang, b.end_label),
        })
      : inputs?.base
        ? t('bridgeCompositionBase', { end: pick(lang, b.end_label), base: baseName })
        : t('bridgeComposition', { end: pick(lang, b.end_label) });

  const composition = b?.shape === 'composition';
  const columns: Column<Row>[] = [
    { key: 'label', label: t('bridgeStep'), value: (r) => r.label },
    {
      key: 'value',
      label: composition ? t('thisPeriod') : t('impact'),
      numeric: true,
      format: 'yuan',
      value: (r) => r.value,
      render: (r) =>
        figure(
          r.value,
          r.kind === 'step' && !composition
            ? formatDelta(r.value, 'yuan', lang)
            : formatValue(r.value, 'yuan', lang),
          r.kind === 'step' && !composition ? toneOf(r.value, 'higher_is_better') : undefined,
        ),
    },
    ...(composition
      ? ([
          {
            key: 'base',
            label: baseName,
            numeric: true,
            format: 'yuan',
            value: (r) => r.base,
            render: (r) => figure(r.base, formatValue(r.base, 'yuan', lang)),
          },
          {
            key: 'change',
            label: t('change'),
            numeric: true,
            format: 'yuan',
            value: (r) => (r.base === null ? null : r.value - r.base),
            render: (r) => {
              const delta = r.base === null ? null : r.value - r.base;
              return figure(
                delta,
                delta === null ? '—' : formatDelta(delta, 'yuan', lang),
                toneOf(delta, 'higher_is_better'),
              );
            },
          },
        ] satisfies Column<Row>[])
      : []),
  ];

  const table = (
    <DataTable
      className="bridge-table"
      columns={columns}
      rows={rows.filter((r) => r.kind !== 'end')}
      totals={rows.filter((r) => r.kind === 'end')}
      rowKey={(r) => r.id}
      exportName={`${name}-${node}`}
      caption={name}
    />
  );
  const state = !b ? null : b.reason === 'no_target' ? t('bridgeNoTarget') : !drawable ? t('noData') : null;
  const height = phone
    ? rows.length * (inputs?.base ? 46 : 40) + (inputs?.base ? 56 : 32)
    : inputs?.base
      ? 340
      : 320;
  return (
    <ChartPanel
      title={name}
      subtitle={subtitle}
      option={option}
      height={height}
      className={`bridge-panel${className ? ` ${className}` : ''}`}
      exportName={`${name}-${node}`}
    >
      <div
        ref={measure}
        className="bridge-body"
        data-bridge={kind}
        data-shape={b?.shape}
        data-reason={b?.reason ?? ''}
      >
        {!b ? (
          <QueryState query={query} height={240}>
            {() => null}
          </QueryState>
        ) : state ? (
          <Empty message={state} />
        ) : folded ? (
          <details className="bridge-details">
            <summary>{t('bridgeFigures')}</summary>
            {table}
          </details>
        ) : (
          table
        )}
      </div>
    </ChartPanel>
  );
}
