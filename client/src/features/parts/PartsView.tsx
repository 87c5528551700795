// Parts replenishment (配件订货, /parts/NODE). At a store: the parts to order (建议订货), every
// part, or the obsolete candidates (呆滞候选), each with its stock, lead time, the next three
// months' forecast and how the suggested order follows from them (/api/parts/forecast, computed
// on the server: nothing is recomputed here), a page at a time; the Excel export is the parts
// manager's order sheet of the whole tab. Tab, search, service level and page live in the URL.
// Above a store (parts are ordered per store): the stores under the node, each to its own list.
import './parts.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, type FormEvent } from 'react';
import { ApiError, isPending } from '../../shared/api/client.ts';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, ErrorState, Loading } from '../../shared/components/States.tsx';
import { formatRelative, formatValue } from '../../shared/format.ts';
import { partsForecastQuery, type PartForecast, type PartsParams } from '../../shared/forecast/api.ts';
import { Computing } from '../../shared/forecast/Computing.tsx';
import { methodName } from '../../shared/forecast/forecastable.ts';
import { translate, useT, type Lang, type StringKey } from '../../shared/i18n.ts';
import { storeTypeName } from '../../shared/metrics/names.ts';
import type { OrgNode } from '../../shared/metrics/types.ts';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';

const TABS = [
  { key: 'order', only: 'order', label: 'partsTabOrder', none: 'partsNoneToOrder' },
  { key: 'all', only: undefined, label: 'partsTabAll', none: 'partsNone' },
  { key: 'obsolete', only: 'obsolete', label: 'partsTabObsolete', none: 'partsNoneObsolete' },
] as const satisfies readonly {
  key: string;
  only: PartsParams['only'];
  label: StringKey;
  none: StringKey;
}[];
type Tab = (typeof TABS)[number];

/** The service levels a parts manager chooses among; 95% is the API's default. */
const SERVICE_LEVELS = [0.9, 0.95, 0.98] as const;
const DEFAULT_LEVEL = 0.95;
/** Parts per page: a screenful or two at 1920×1080. */
const PAGE_SIZE = 50;
/** Months of forecast shown: the next quarter, what an order placed now has to cover. */
const HORIZON = 3;
/** The API's largest page, for exporting a whole tab. */
const EXPORT_PAGE = 500;

export default function PartsView({ node }: { node: string }) {
  const ctx = useViewContext();
  const level = ctx.org.byId.get(node)?.level;
  // A node the org tree does not hold is asked for anyway: the server says why it is refused.
  return level === undefined || level === 'store' ? (
    <StoreParts store={node} ctx={ctx} />
  ) : (
    <StoresBelow node={node} ctx={ctx} />
  );
}

/** The view's state from the URL: tab, part-number search, service level, page. */
function useChoices() {
  const { params } = useLocation();
  const tab = TABS.find((x) => x.key === params.get('tab')) ?? TABS[0];
  const part = params.get('part')?.trim() || undefined;
  const asked = Number(params.get('sl'));
  const level = SERVICE_LEVELS.find((l) => l === asked) ?? DEFAULT_LEVEL;
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));
  return { tab, part, level, page };
}

function StoreParts({ store, ctx }: { store: string; ctx: ViewContext }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { tab, part, level, page } = useChoices();
  const request: PartsParams = {
    node: store,
    horizon: HORIZON,
    part_no: part,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    service_level: level,
    only: tab.only,
  };
  const parts = useQuery(partsForecastQuery(request));
  const data = parts.data;
  const storeName = ctx.org.name(store, ctx.lang);
  const columns = usePartColumns(data?.as_of, ctx.lang, tab.key === 'obsolete');

  /** The whole tab, for the order sheet: the page shown when it is all, else every page of it. */
  const exportRows = async (): Promise<PartForecast[]> => {
    if (!data) return [];
    if (data.total <= data.parts.length) return [...data.parts];
    const pages = await Promise.all(
      Array.from({ length: Math.ceil(data.total / EXPORT_PAGE) }, (_, i) =>
        queryClient.fetchQuery(
          partsForecastQuery({ ...request, limit: EXPORT_PAGE, offset: i * EXPORT_PAGE }),
        ),
      ),
    );
    return pages.flatMap((p) => p.parts);
  };

  let body;
  if (data)
    body =
      data.parts.length === 0 ? (
        data.total > 0 ? (
          // A page past the end (a bookmark from before a load): the way back to the first.
          <div className="state empty">
            {t('partsPastEnd', { page })}
            <a href={withParams({ page: null })} onClick={followLink}>
              {t('partsFirstPage')}
            </a>
          </div>
        ) : (
          <Empty message={part ? t('partsNotFound', { tab: t(tab.label), part }) : t(tab.none)} />
        )
      ) : (
        <>
          <DataTable
            className="parts-table"
            caption={`${storeName} · ${t(tab.label)}`}
            columns={columns}
            rows={data.parts}
            rowKey={(r) => r.part_no}
            exportName={`${t(tab.label)}-${storeName}-${data.as_of}`}
            exportRows={exportRows}
          />
          <Pager total={data.total} page={page} shown={data.parts.length} />
        </>
      );
  else if (isPending(parts.failureReason)) body = <Computing height={240} />;
  else if (parts.isError) body = <ErrorState error={parts.error} retry={() => void parts.refetch()} />;
  else body = <Loading height={240} />;

  return (
    <div className="view parts" data-view="parts">
      <Controls tab={tab} part={part} level={level} />
      <Panel
        className="parts-panel"
        title={`${storeName} · ${t(tab.label)}`}
        subtitle={
          <>
            {data && (
              <span className="parts-as-of" data-as-of={data.as_of} data-service-level={data.service_level}>
                {t('partsAsOf', { date: data.as_of, level: `${Math.round(data.service_level * 100)}%` })}
              </span>
            )}
            {tab.key === 'obsolete' && <span className="parts-hint">{t('partsObsoleteHint')}</span>}
          </>
        }
      >
        {body}
        {tab.key !== 'obsolete' && (
          <>
            <p className="parts-note">{t('partsFormula')}</p>
            <p className="parts-note">{t('partsAccuracyNote')}</p>
          </>
        )}
      </Panel>
    </div>
  );
}

/** Tabs, the part-number search and the service level; each choice goes into the URL. */
function Controls({ tab, part, level }: { tab: Tab; part: string | undefined; level: number }) {
  const t = useT();
  // Any new choice starts again at the first page.
  const choose = (set: Record<string, string | null>) => navigate(withParams({ ...set, page: null }));
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get('part') ?? '').trim();
    choose({ part: typed || null });
  };
  return (
    <div className="view-controls parts-controls">
      <div className="segmented parts-tabs" role="group" aria-label={t('partsTabs')}>
        {TABS.map((x) => (
          <button
            key={x.key}
            type="button"
            data-tab={x.key}
            aria-pressed={x.key === tab.key}
            className={x.key === tab.key ? 'active' : undefined}
            onClick={() => choose({ tab: x.key === TABS[0].key ? null : x.key })}
          >
            {t(x.label)}
          </button>
        ))}
      </div>
      <form className="parts-search" role="search" onSubmit={search}>
        <label>
          <span>{t('partsSearch')}</span>
          <input
            key={part ?? ''}
            name="part"
            type="search"
            defaultValue={part ?? ''}
            placeholder={t('partsSearchHint')}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="button">
          {t('partsFind')}
        </button>
        {part && (
          <button type="button" className="link-button" onClick={() => choose({ part: null })}>
            {t('clearFilter')}
          </button>
        )}
      </form>
      <div className="parts-level">
        <span id="parts-level-label">{t('partsServiceLevel')}</span>
        <div className="segmented" role="group" aria-labelledby="parts-level-label">
          {SERVICE_LEVELS.map((l) => (
            <button
              key={l}
              type="button"
              data-service-level={l}
              aria-pressed={l === level}
              className={l === level ? 'active' : undefined}
              onClick={() => choose({ sl: l === DEFAULT_LEVEL ? null : String(l) })}
            >
              {Math.round(l * 100)}%
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}

function Pager({ total, page, shown }: { total: number; page: number; shown: number }) {
  const t = useT();
  const from = (page - 1) * PAGE_SIZE + 1;
  const go = (p: number) => navigate(withParams({ page: p === 1 ? null : String(p) }));
  return (
    <nav className="pager" aria-label={t('partsRange', { from, to: from + shown - 1, total })}>
      <button type="button" className="button" disabled={page === 1} onClick={() => go(page - 1)}>
        {t('partsPrev')}
      </button>
      <span data-total={total}>{t('partsRange', { from, to: from + shown - 1, total })}</span>
      <button
        type="button"
        className="button"
        disabled={from + shown - 1 >= total}
        onClick={() => go(page + 1)}
      >
        {t('partsNext')}
      </button>
    </nav>
  );
}

/** The months after as_of that the forecast columns show (YYYY-MM). */
function forecastMonths(asOf: string): string[] {
  const [year, month] = asOf.split('-').map(Number) as [number, number];
  return Array.from({ length: HORIZON }, (_, i) => {
    const d = new Date(year, month + i, 1); // month is 1-based: `month` is the month after as_of
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

/** The part categories the server sets lead times for (forecast/replenishment.ts), by name. */
const CATEGORIES = [
  'oil',
  'filter',
  'tyre',
  'brake',
  'wear',
  'battery',
  'electrical',
  'chassis',
  'body',
] as const;

/** A category by name; one the client does not know yet as its code. */
const categoryName = (category: string, lang: Lang): string =>
  CATEGORIES.includes(category as never)
    ? translate(lang, `partCat_${category as (typeof CATEGORIES)[number]}`)
    : category;

/** The columns of the obsolete candidates' list: what it holds, what it is worth, since when it lies. */
const OBSOLETE_COLUMNS = /^(part_no|category|on_hand|on_hand_value|last_movement_date|forecast_\d|method)$/;

/**
 * The order sheet's columns, in the order the suggestion is worked out: stock and lead time, the
 * months ahead, the demand over the lead time and the safety stock, then the order. Quantities
 * forecast read to one decimal (a slow part sells 0.4 a month), stock and orders whole; the
 * export carries them so (CellFormat), with the months named in the header. The obsolete
 * candidates have nothing to order: their list is the stock, the months ahead and why (the method).
 */
function usePartColumns(asOf: string | undefined, lang: Lang, obsolete: boolean): Column<PartForecast>[] {
  return useMemo(() => {
    const t = (key: StringKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
    const quantity = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));
    const whole = (x: number) => formatValue(x, 'count', lang);
    const months = asOf ? forecastMonths(asOf) : [];
    const monthLabel = (period: string) => {
      const [year, month] = period.split('-').map(Number) as [number, number];
      return t('partsForecastMonth', {
        month: t('landingMonth', {
          n: month,
          name: new Date(year, month - 1, 1).toLocaleString('en-US', { month: 'short' }),
        }),
      });
    };
    const forecastOf = (r: PartForecast, period: string) =>
      r.forecast.find((p) => p.period === period)?.value ?? null;
    const columns: Column<PartForecast>[] = [
      { key: 'part_no', label: t('partNo'), value: (r) => r.part_no, metric: null },
      {
        key: 'category',
        label: t('partCategory'),
        value: (r) => categoryName(r.part_category, lang),
        metric: null,
      },
      {
        key: 'on_hand',
        label: t('partsOnHand'),
        value: (r) => r.on_hand,
        render: (r) => whole(r.on_hand),
        numeric: true,
        format: 'count',
        metric: null,
      },
      {
        key: 'on_hand_value',
        label: t('partsOnHandValue'),
        value: (r) => r.on_hand_value,
        render: (r) => formatValue(r.on_hand_value, 'yuan', lang),
        numeric: true,
        format: 'yuan',
        metric: null,
      },
      {
        key: 'last_movement_date',
        label: t('partsLastMovement'),
        value: (r) => r.last_movement_date,
        metric: null,
      },
      {
        key: 'lead_time_days',
        label: t('partsLeadTime'),
        value: (r) => r.lead_time_days,
        render: (r) => whole(r.lead_time_days),
        numeric: true,
        format: 'count',
        metric: null,
      },
      ...months.map((period, i): Column<PartForecast> => ({
        key: `forecast_${i + 1}`,
        label: monthLabel(period),
        value: (r) => forecastOf(r, period),
        render: (r) => quantity(forecastOf(r, period)),
        numeric: true,
        format: 'quantity',
        metric: null,
      })),
      {
        key: 'lead_time_demand',
        label: t('partsLeadTimeDemand'),
        value: (r) => r.lead_time_demand,
        render: (r) => quantity(r.lead_time_demand),
        numeric: true,
        format: 'quantity',
        metric: null,
      },
      {
        key: 'safety_stock',
        label: t('partsSafetyStock'),
        value: (r) => r.safety_stock,
        render: (r) => quantity(r.safety_stock),
        numeric: true,
        format: 'quantity',
        metric: null,
      },
      {
        key: 'suggested_order',
        label: t('partsSuggestedOrder'),
        value: (r) => r.suggested_order,
        render: (r) => (
          <strong className={r.suggested_order > 0 ? 'to-order' : undefined}>
            {whole(r.suggested_order)}
          </strong>
        ),
        numeric: true,
        format: 'count',
        metric: null,
      },
      { key: 'method', label: t('forecastMethod'), value: (r) => methodName(r.method, lang), metric: null },
      {
        key: 'mase',
        label: t('partsMase'),
        value: (r) => r.mase,
        render: (r) => (r.mase === null ? '—' : r.mase.toFixed(2)),
        numeric: true,
        format: 'multiple',
        metric: null,
      },
      {
        key: 'bias',
        label: t('partsBias'),
        value: (r) => r.bias,
        render: (r) => (r.bias === null ? '—' : formatRelative(r.bias)),
        numeric: true,
        format: 'change',
        metric: null,
      },
    ];
    // The order sheet leaves out what only the obsolete list needs.
    return columns.filter((c) =>
      obsolete ? OBSOLETE_COLUMNS.test(c.key) : c.key !== 'on_hand_value' && c.key !== 'last_movement_date',
    );
  }, [asOf, lang, obsolete]);
}

/** The stores under a region, a division or the group, by the unit right above each. */
function StoresBelow({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  // Parts are after-sales data: without that domain every store's list would be refused.
  const allowed = [...ctx.metrics.values()].some((m) => m.domain === 'aftersales');
  const groups = useMemo(() => {
    const byParent = new Map<string, OrgNode[]>();
    for (const n of ctx.org.byId.values()) {
      if (n.level !== 'store' || !n.in_scope || !ctx.org.chain(n.node_id).some((a) => a.node_id === node))
        continue;
      const parent = n.parent_id ?? node;
      byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
    }
    return [...byParent].sort(([a], [b]) => a.localeCompare(b));
  }, [ctx.org, node]);
  return (
    <div className="view parts" data-view="parts">
      <Panel className="parts-stores" title={t('partsStores')} subtitle={t('partsStoresNote')}>
        {!allowed ? (
          <ErrorState error={new ApiError(403, 'forbidden', t('partsNeedsAftersales'))} />
        ) : groups.length === 0 ? (
          <Empty message={t('partsNoStores')} />
        ) : (
          groups.map(([parent, stores]) => (
            <section key={parent} className="parts-store-group" aria-labelledby={`parts-group-${parent}`}>
              <h3 id={`parts-group-${parent}`}>{ctx.org.name(parent, ctx.lang)}</h3>
              <ul>
                {stores
                  .sort((a, b) => a.node_id.localeCompare(b.node_id))
                  .map((s) => (
                    <li key={s.node_id}>
                      <a href={hrefTo(`/parts/${s.node_id}`)} onClick={followLink} data-node={s.node_id}>
                        <span>{ctx.org.name(s.node_id, ctx.lang)}</span>
                        <small>
                          {s.node_id}
                          {s.store_type ? ` · ${storeTypeName(s.store_type, ctx.lang)}` : ''}
                        </small>
                      </a>
                    </li>
                  ))}
              </ul>
            </section>
          ))
        )}
      </Panel>
    </div>
  );
}
