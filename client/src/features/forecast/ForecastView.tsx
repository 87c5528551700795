// 预测 / Forecast: where a metric is heading at the node. The last two years of actuals and the
// next 12 months forecast with their 80% and 95% intervals; the next month's, quarter's and
// year's totals with the method and how it did in its backtest; the same per unit below (or per
// brand, per series); how accurate each family of forecasts has been; and the forecast made six
// months ago against what happened since. Laid out for a wall or laptop (1920×1080) and a phone.
import './forecast.css';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError } from '../../shared/api/client.ts';
import { trendOption } from '../../shared/charts/options.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { MetricSelect } from '../../shared/components/MetricSelect.tsx';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { Empty, ErrorState, Loading, QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { accuracyQuery, type FamilyAccuracy, type ForecastResponse } from '../../shared/forecast/api.ts';
import { ForecastState, isComputing } from '../../shared/forecast/Computing.tsx';
import { methodName } from '../../shared/forecast/forecastable.ts';
import { formatRelative, formatValue, formatDelta } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import type { MetricInfo, TimeseriesResponse } from '../../shared/metrics/types.ts';
import { forecastOverlay, hasIntervals } from '../../shared/panels/TrendPanel.tsx';
import { hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';
import {
  againstActuals,
  fromFirstFigure,
  memberRow,
  totalOf,
  type MemberRow,
  type PastMonth,
} from './figures.ts';
import {
  chosenMetric,
  forecastMetrics,
  HISTORY_MONTHS,
  historyQuery,
  HORIZON,
  LOOK_BACK_MONTHS,
  membersChoices,
  membersQuery,
  nodeForecastQuery,
  pastAsOf,
  pastForecastQuery,
} from './queries.ts';

export default function ForecastView({ node }: { node: string }) {
  const ctx = useViewContext();
  const { params } = useLocation();
  const metric = chosenMetric(ctx, params);
  if (!metric)
    return (
      <div className="view forecast" data-view="forecast">
        <Empty />
      </div>
    );
  return <ForecastBody node={node} metric={metric} ctx={ctx} params={params} />;
}

function ForecastBody({
  node,
  metric,
  ctx,
  params,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  params: URLSearchParams;
}) {
  const t = useT();
  const inScope = ctx.org.byId.get(node)?.in_scope === true;
  // Every panel asks at once: the actuals draw while the forecast is still being computed.
  const forecast = useQuery(nodeForecastQuery(node, metric.id));
  const history = useQuery({ ...historyQuery(node, metric.id, ctx), enabled: inScope });

  // A node outside the user's scope: one "no access" with the server's reason, no panel asking in vain.
  if ((!inScope && !forecast.data) || (forecast.error instanceof ApiError && forecast.error.status === 403))
    return (
      <div className="view forecast" data-view="forecast">
        {forecast.error ? <ErrorState error={forecast.error} /> : <Loading height={180} />}
      </div>
    );
  return (
    <div className="view forecast" data-view="forecast" data-metric={metric.id}>
      <header className="forecast-head">
        <h2>
          {t('forecast')} · {ctx.org.name(node, ctx.lang)} · {pick(ctx.lang, metric.name)}
        </h2>
        <MetricSelect
          value={metric.id}
          metrics={forecastMetrics(ctx)}
          onChange={(id) => navigate(withParams({ metric: id }), { replace: true })}
        />
      </header>
      <div className="forecast-grid">
        <ForecastChart metric={metric} ctx={ctx} forecast={forecast} history={history} />
        <Panel title={t('forecastHeadline')} className="forecast-headline">
          <ForecastState query={forecast} height={240}>
            {(f) => <Headline forecast={f} metric={metric} ctx={ctx} />}
          </ForecastState>
        </Panel>
        <div className="forecast-tables">
          <Members node={node} metric={metric} ctx={ctx} params={params} />
          <Accuracy node={node} ctx={ctx} />
        </div>
        <PastForecast node={node} metric={metric} ctx={ctx} history={history} />
      </div>
    </div>
  );
}

function ForecastChart({
  metric,
  ctx,
  forecast,
  history,
}: {
  metric: MetricInfo;
  ctx: ViewContext;
  forecast: UseQueryResult<ForecastResponse>;
  history: UseQueryResult<TimeseriesResponse>;
}) {
  const t = useT();
  const option = useMemo(
    () =>
      history.data &&
      // From the data's first month: a short history is not drawn after a run of empty months.
      trendOption(fromFirstFigure(history.data.points), {
        unit: metric.unit,
        lang: ctx.lang,
        actual: t('value'),
        forecast: forecast.data && forecastOverlay(forecast.data, ctx.lang),
      }),
    [history.data, forecast.data, metric.unit, ctx.lang, t],
  );
  const title = t('forecastChart', { history: HISTORY_MONTHS, horizon: HORIZON });
  const f = forecast.data;
  const subtitle = isComputing(forecast)
    ? t('forecastPending')
    : f &&
      [
        t('forecastAsOf', { date: f.as_of }),
        ...(f.festival ? [t('festivalAdjusted')] : []),
        ...(hasIntervals(f) ? [] : [t('forecastNoIntervals')]),
      ].join(' · ');
  if (!option)
    return (
      <Panel title={title} className="forecast-chart">
        <QueryState query={history} height={360}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return (
    <ChartPanel
      title={title}
      subtitle={subtitle}
      option={option}
      height={360}
      className="forecast-chart"
      exportName={`${title} ${pick(ctx.lang, metric.name)}`}
    />
  );
}

/** A backtest's error ratio against the seasonal naive: below 1 beats it. */
const toneOf = (ratio: number | null) => (ratio === null ? undefined : ratio < 1 ? 'good' : 'warning');

function Headline({
  forecast,
  metric,
  ctx,
}: {
  forecast: ForecastResponse;
  metric: MetricInfo;
  ctx: ViewContext;
}) {
  const t = useT();
  const value = (v: number | null | undefined) => formatValue(v, metric.unit, ctx.lang);
  const next = forecast.points[0];
  const { mase, rmsse, bias } = forecast.backtest;
  const figures = [
    {
      key: 'next1',
      label: t('nextMonth', { month: next?.period ?? '—' }),
      value: next?.value ?? null,
      interval: next && next.lo80 !== null && next.hi80 !== null ? [next.lo80, next.hi80] : null,
    },
    {
      key: 'next3',
      label: t('nextMonths', { months: 3 }),
      value: totalOf(forecast.points, 3),
      interval: null,
    },
    {
      key: 'next12',
      label: t('nextMonths', { months: 12 }),
      value: totalOf(forecast.points, 12),
      interval: null,
    },
  ];
  return (
    <div className="forecast-summary">
      <dl className="forecast-figures">
        {figures.map((f) => (
          <div key={f.key} data-figure={f.key} data-value={f.value ?? ''}>
            <dt>{f.label}</dt>
            <dd>{value(f.value)}</dd>
            {f.interval && (
              <dd className="interval">
                {t('band80')} {value(f.interval[0])} – {value(f.interval[1])}
              </dd>
            )}
          </div>
        ))}
      </dl>
      <dl className="forecast-backtest">
        <div data-figure="method">
          <dt>{t('forecastMethod')}</dt>
          <dd>{methodName(forecast.method, ctx.lang)}</dd>
        </div>
        <div data-figure="mase" data-value={mase ?? ''}>
          <dt>{t('mase')}</dt>
          <dd className={toneOf(mase)}>{formatValue(mase, 'multiple', ctx.lang, true)}</dd>
        </div>
        <div data-figure="rmsse" data-value={rmsse ?? ''}>
          <dt>{t('rmsse')}</dt>
          <dd className={toneOf(rmsse)}>{formatValue(rmsse, 'multiple', ctx.lang, true)}</dd>
        </div>
        <div data-figure="bias" data-value={bias ?? ''}>
          <dt>{t('forecastBias')}</dt>
          <dd>{bias === null ? '—' : formatRelative(bias)}</dd>
        </div>
      </dl>
      <p className="forecast-note">{t('backtestNote')}</p>
    </div>
  );
}

const BY_LABEL = { children: 'forecastByChildren', brand: 'brand', series: 'series' } as const;

function Members({
  node,
  metric,
  ctx,
  params,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  params: URLSearchParams;
}) {
  const t = useT();
  const choices = membersChoices(metric, ctx.org.byId.get(node)?.level === 'store');
  const by = choices.find((c) => c === params.get('by')) ?? choices[0];
  const members = useQuery({ ...membersQuery(node, metric.id, by ?? 'children'), enabled: !!by });
  const value = (v: number | null) => formatValue(v, metric.unit, ctx.lang);
  const figure = (v: number | null, text: string) => <span data-value={v ?? ''}>{text}</span>;
  const columns: Column<MemberRow>[] = [
    { key: 'name', label: t(BY_LABEL[by ?? 'children']), value: (r) => r.name, metric: null },
    {
      key: 'next3',
      label: t('nextMonths', { months: 3 }),
      numeric: true,
      format: metric.unit,
      metric: null,
      value: (r) => r.next3,
      render: (r) => figure(r.next3, value(r.next3)),
    },
    {
      key: 'next12',
      label: t('nextMonths', { months: 12 }),
      numeric: true,
      format: metric.unit,
      metric: null,
      value: (r) => r.next12,
      render: (r) => figure(r.next12, value(r.next12)),
    },
    {
      key: 'method',
      label: t('forecastMethod'),
      metric: null,
      value: (r) => methodName(r.method, ctx.lang),
    },
    {
      key: 'mase',
      label: t('mase'),
      numeric: true,
      format: 'multiple',
      metric: null,
      value: (r) => r.mase,
      render: (r) => (
        <span data-value={r.mase ?? ''} className={toneOf(r.mase)}>
          {formatValue(r.mase, 'multiple', ctx.lang, true)}
        </span>
      ),
    },
    {
      key: 'bias',
      label: t('forecastBias'),
      numeric: true,
      format: 'change',
      metric: null,
      value: (r) => r.bias,
      render: (r) => figure(r.bias, r.bias === null ? '—' : formatRelative(r.bias)),
    },
  ];
  const title = t('forecastMembers');
  return (
    <Panel
      title={title}
      className="forecast-members"
      actions={
        choices.length > 0 && (
          <div className="segmented" role="group" aria-label={t('forecastBy')}>
            {choices.map((c) => (
              <button
                key={c}
                type="button"
                aria-pressed={c === by}
                className={c === by ? 'active' : undefined}
                data-by={c}
                onClick={() => navigate(withParams({ by: c }), { replace: true })}
              >
                {t(BY_LABEL[c])}
              </button>
            ))}
          </div>
        )
      }
    >
      {!by ? (
        <Empty message={t('forecastNoMembers')} />
      ) : (
        <ForecastState query={members} height={240}>
          {(data) => (
            <DataTable
              columns={columns}
              rows={(data.members ?? []).map((m) => memberRow(m, ctx.lang))}
              totals={[
                memberRow({ ...data, id: 'total', name: t('forecastTotal'), name_en: null }, ctx.lang),
              ]}
              rowKey={(r) => r.id}
              rowHref={
                by === 'children' ? (r) => hrefTo(`/forecast/${r.id}`, { metric: metric.id }) : undefined
              }
              initialSort={{ key: 'next12', dir: 'desc' }}
              exportName={`${title} ${ctx.org.name(node, ctx.lang)} ${pick(ctx.lang, metric.name)}`}
              caption={title}
              className="members-table"
            />
          )}
        </ForecastState>
      )}
    </Panel>
  );
}

function PastForecast({
  node,
  metric,
  ctx,
  history,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  history: UseQueryResult<TimeseriesResponse>;
}) {
  const t = useT();
  const asOf = pastAsOf(ctx);
  // The forecast needs a month of history before its as_of.
  const canLookBack = asOf > ctx.dataFrom;
  const past = useQuery({ ...pastForecastQuery(node, metric.id, ctx), enabled: canLookBack });
  const figures = useMemo(() => {
    if (!past.data || !history.data) return null;
    const shown = new Set(past.data.points.map((p) => p.period));
    return {
      months: againstActuals(past.data.points, history.data.points),
      option: trendOption(
        history.data.points.filter((p) => shown.has(p.period)),
        {
          unit: metric.unit,
          lang: ctx.lang,
          actual: t('value'),
          forecast: forecastOverlay(past.data, ctx.lang, { band95: false }),
        },
      ),
    };
  }, [past.data, history.data, metric.unit, ctx.lang, t]);
  const value = (v: number | null) => formatValue(v, metric.unit, ctx.lang);
  const columns: Column<PastMonth>[] = [
    { key: 'period', label: t('forecastMonth'), value: (r) => r.period, metric: null },
    {
      key: 'forecast',
      label: t('forecast'),
      numeric: true,
      format: metric.unit,
      metric: null,
      value: (r) => r.forecast,
      render: (r) => <span data-value={r.forecast}>{value(r.forecast)}</span>,
    },
    {
      key: 'interval',
      label: t('band80'),
      numeric: true,
      metric: null,
      value: (r) => (r.lo80 === null || r.hi80 === null ? null : `${value(r.lo80)} – ${value(r.hi80)}`),
      // An interval the backtest could not measure: a dash, not a blank.
      render: (r) => (r.lo80 === null || r.hi80 === null ? '—' : `${value(r.lo80)} – ${value(r.hi80)}`),
    },
    {
      key: 'actual',
      label: t('value'),
      numeric: true,
      format: metric.unit,
      metric: null,
      value: (r) => r.actual,
      render: (r) => (
        <span data-value={r.actual ?? ''} className={r.actual === null ? 'missing' : undefined}>
          {r.actual === null ? t('noData') : value(r.actual)}
        </span>
      ),
    },
    {
      key: 'error',
      label: t('forecastError'),
      numeric: true,
      format: 'change',
      metric: null,
      value: (r) => r.error,
      // A miss on a loss (or a month of none) in money: a share of a loss means nothing.
      render: (r) => (
        <span data-value={r.error ?? ''}>
          {r.error !== null
            ? formatRelative(r.error)
            : r.gap !== null
              ? formatDelta(r.gap, metric.unit, ctx.lang)
              : '—'}
        </span>
      ),
      exportRaw: [{ label: t('forecastGap'), value: (r) => r.gap, format: metric.unit }],
    },
  ];
  const title = t('pastForecast');
  return (
    <ChartPanel
      title={title}
      subtitle={t('pastForecastNote', { date: asOf, months: LOOK_BACK_MONTHS })}
      option={figures?.option ?? null}
      height={220}
      className="forecast-past"
      exportName={`${title} ${pick(ctx.lang, metric.name)}`}
    >
      {!canLookBack ? (
        <Empty message={t('pastForecastTooShort', { date: ctx.dataFrom, months: LOOK_BACK_MONTHS })} />
      ) : figures ? (
        <DataTable
          columns={columns}
          rows={figures.months}
          rowKey={(r) => r.period}
          exportName={`${title} ${ctx.org.name(node, ctx.lang)} ${pick(ctx.lang, metric.name)}`}
          caption={title}
          className="past-table"
        />
      ) : (
        <ForecastState query={past} height={240}>
          {() => (
            <QueryState query={history} height={240}>
              {() => null}
            </QueryState>
          )}
        </ForecastState>
      )}
    </ChartPanel>
  );
}

function Accuracy({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const accuracy = useQuery(accuracyQuery(node));
  const ratio = (v: number | null) => formatValue(v, 'multiple', ctx.lang, true);
  const columns: Column<FamilyAccuracy>[] = [
    {
      key: 'metric',
      label: t('metric'),
      metric: null,
      value: (f) =>
        f.metric === 'parts_qty'
          ? t('partsDemand')
          : pick(ctx.lang, ctx.metrics.get(f.metric)?.name ?? { zh: f.metric, en: f.metric }),
    },
    { key: 'level', label: t('forecastLevel'), metric: null, value: (f) => t(`forecastLevel_${f.level}`) },
    {
      key: 'series',
      label: t('forecastSeries'),
      numeric: true,
      format: 'count',
      metric: null,
      value: (f) => f.measured,
      exportAs: (f) => `${f.measured} / ${f.series}`,
      render: (f) => (
        <span data-value={f.measured}>
          {formatValue(f.measured, 'count', ctx.lang)} / {formatValue(f.series, 'count', ctx.lang)}
        </span>
      ),
    },
    ...(['mase', 'rmsse'] as const).map((k): Column<FamilyAccuracy> => ({
      key: k,
      label: t(k),
      numeric: true,
      format: 'multiple',
      metric: null,
      value: (f) => f[k],
      render: (f) => (
        <span data-value={f[k] ?? ''} className={toneOf(f[k])}>
          {ratio(f[k])}
        </span>
      ),
    })),
    {
      key: 'bias',
      label: t('forecastBias'),
      numeric: true,
      format: 'change',
      metric: null,
      value: (f) => f.bias,
      render: (f) => <span data-value={f.bias ?? ''}>{f.bias === null ? '—' : formatRelative(f.bias)}</span>,
    },
    {
      key: 'methods',
      label: t('forecastMethods'),
      metric: null,
      wrap: true,
      value: (f) => f.methods.map((m) => `${methodName(m.method, ctx.lang)} ${m.series}`).join(' · '),
    },
  ];
  const title = t('forecastAccuracy');
  return (
    <Panel title={title} subtitle={t('forecastAccuracyNote')} className="forecast-accuracy">
      <ForecastState query={accuracy} height={200}>
        {(a) => (
          <DataTable
            columns={columns}
            rows={a.families}
            rowKey={(f) => `${f.metric}|${f.level}`}
            exportName={`${title} ${ctx.org.name(node, ctx.lang)}`}
            caption={title}
            className="accuracy-table"
          />
        )}
      </ForecastState>
    </Panel>
  );
}
