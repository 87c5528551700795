// Receivables ageing at a node on the period's last day: the open amount by counterparty type
// (customers, OEMs, banks, insurers) split into not yet due and days past due (0–30, 31–60, 61–90,
// over 90), with totals and the mix of the whole; then the largest overdue documents. Where the
// receivables extract does not cover the date the API says no_data, and so does the panel.
import { useQuery } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import type { ViewContext } from '../../shared/context.ts';
import { followLink, hrefTo } from '../../shared/router.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { formatPercent, formatValue } from '../../shared/format.ts';
import { pick, useT, type StringKey } from '../../shared/i18n.ts';
import {
  AGEING_BUCKETS,
  ageingQuery,
  rebateAgeingQuery,
  type AgeingBucket,
  type AgeingResponse,
  type AgeingRow,
  type OverdueDocument,
  type RebateAgeingRow,
} from './api.ts';

const BUCKET_LABEL: Record<AgeingBucket, StringKey> = {
  not_due: 'notDue',
  d0_30: 'bucket_d0_30',
  d31_60: 'bucket_d31_60',
  d61_90: 'bucket_d61_90',
  d90_plus: 'bucket_d90_plus',
};

/** An amount in a table cell: 167.3万 / ¥1.67M, with the exact figure for tests and tooltips. */
function Amount({ value, lang }: { value: number | null; lang: ViewContext['lang'] }) {
  return (
    <span
      data-value={value ?? ''}
      className={value === 0 ? 'zero' : undefined}
      title={value === null ? undefined : formatValue(value, 'yuan', lang)}
    >
      {formatValue(value, 'yuan', lang, true)}
    </span>
  );
}

export function AgeingPanels({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const asOf = ctx.period.to;
  const query = useQuery(ageingQuery(node, asOf));
  const nodeName = ctx.org.name(node, ctx.lang);
  return (
    <QueryState query={query} height={220}>
      {(data) => (
        <div className="ageing-grid" data-as-of={data.as_of}>
          <Panel
            title={t('ageing')}
            subtitle={t('ageingNote', { date: data.as_of })}
            className="ageing-panel"
          >
            {data.reason === 'no_data' || !data.total ? (
              <NoData date={data.as_of} />
            ) : (
              <>
                <AgeingMix total={data.total} ctx={ctx} />
                <AgeingTable data={data} ctx={ctx} exportName={`${t('ageing')}-${nodeName}-${data.as_of}`} />
              </>
            )}
          </Panel>
          <Panel
            title={t('largestOverdue')}
            subtitle={t('largestOverdueNote', { date: data.as_of })}
            className="overdue-docs-panel"
          >
            {data.reason === 'no_data' ? (
              <NoData date={data.as_of} />
            ) : data.largest.length === 0 ? (
              <p className="state empty">{t('noOverdueDocs')}</p>
            ) : (
              <LargestTable
                docs={data.largest}
                ctx={ctx}
                exportName={`${t('largestOverdue')}-${nodeName}-${data.as_of}`}
              />
            )}
          </Panel>
        </div>
      )}
    </QueryState>
  );
}

function NoData({ date }: { date: string }) {
  const t = useT();
  return (
    <div className="state empty" data-state="no-data">
      <strong>{t('no_data')}</strong>
      <small>{t('ageingNoData', { date })}</small>
    </div>
  );
}

/**
 * OEM rebates earned and not yet received, by brand, aged from the date each was expected: the
 * money that carries new-car profit, and how late the OEMs are with it.
 */
export function RebateAgeingPanel({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const query = useQuery(rebateAgeingQuery(node, ctx.period.to));
  const amount = (key: 'open' | 'overdue' | AgeingBucket, label: string): Column<RebateAgeingRow> => ({
    key,
    label,
    numeric: true,
    format: 'yuan',
    metric: null,
    value: (r) => r[key],
    render: (r) => <Amount value={r[key]} lang={ctx.lang} />,
  });
  const columns: Column<RebateAgeingRow>[] = [
    {
      key: 'brand',
      label: t('brand'),
      metric: null,
      value: (r) => (r.brand === 'all' ? t('cp_all') : r.brand),
    },
    amount('open', t('openAmount')),
    ...AGEING_BUCKETS.map((b) => amount(b, t(b === 'not_due' ? 'rebateNotDue' : BUCKET_LABEL[b]))),
    amount('overdue', t('overdueAmount')),
  ];
  return (
    <QueryState query={query} height={160}>
      {(data) => (
        <Panel
          title={t('rebateAgeing')}
          subtitle={t('rebateAgeingNote', { date: data.as_of })}
          className="rebate-ageing-panel"
        >
          {data.reason === 'no_data' || !data.total ? (
            <NoData date={data.as_of} />
          ) : (
            <>
              <AgeingMix total={data.total} ctx={ctx} />
              <DataTable
                className="rebate-table"
                columns={columns}
                rows={data.by_brand}
                totals={[data.total]}
                rowKey={(r) => r.brand}
                exportName={`${t('rebateAgeing')}-${ctx.org.name(node, ctx.lang)}-${data.as_of}`}
                caption={t('rebateAgeing')}
              />
            </>
          )}
        </Panel>
      )}
    </QueryState>
  );
}

/** The whole open amount as one bar, by bucket, with each bucket's amount and share. */
function AgeingMix({
  total,
  ctx,
}: {
  total: Record<AgeingBucket, number> & { open: number };
  ctx: ViewContext;
}) {
  const t = useT();
  const share = (b: AgeingBucket) => (total.open > 0 ? total[b] / total.open : null);
  const summary = AGEING_BUCKETS.map(
    (b) => `${t(BUCKET_LABEL[b])} ${formatValue(total[b], 'yuan', ctx.lang)} (${formatPercent(share(b))})`,
  ).join('; ');
  return (
    <figure className="ageing-mix">
      <div className="ageing-bar" role="img" aria-label={`${t('ageingMix')}: ${summary}`}>
        {AGEING_BUCKETS.map((b) => {
          const s = share(b);
          return s ? (
            <span key={b} className={`bucket ${b}`} style={{ '--share': s } as CSSProperties} />
          ) : null;
        })}
      </div>
      <ul className="ageing-legend" aria-hidden="true">
        {AGEING_BUCKETS.map((b) => (
          <li key={b} data-bucket={b}>
            <i className={`swatch ${b}`} />
            <span>{t(BUCKET_LABEL[b])}</span>
            <strong>{formatValue(total[b], 'yuan', ctx.lang)}</strong>
            <small>{formatPercent(share(b))}</small>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function AgeingTable({
  data,
  ctx,
  exportName,
}: {
  data: AgeingResponse;
  ctx: ViewContext;
  exportName: string;
}) {
  const t = useT();
  const shareMetric = ctx.metrics.get('overdue_receivables_share');
  const typeName = (type: string) =>
    ['customer', 'oem', 'bank', 'insurer', 'all'].includes(type) ? t(`cp_${type}` as StringKey) : type;
  const amount = (key: 'open' | 'overdue' | AgeingBucket, label: string): Column<AgeingRow> => ({
    key,
    label,
    numeric: true,
    format: 'yuan',
    metric: null,
    value: (r) => r[key],
    render: (r) => <Amount value={r[key]} lang={ctx.lang} />,
  });
  const overdueShare = (r: AgeingRow) => (r.open > 0 ? r.overdue / r.open : null);
  const columns: Column<AgeingRow>[] = [
    { key: 'type', label: t('counterpartyType'), metric: null, value: (r) => typeName(r.counterparty_type) },
    amount('open', t('openAmount')),
    ...AGEING_BUCKETS.map((b) => amount(b, t(BUCKET_LABEL[b]))),
    amount('overdue', t('overdueAmount')),
    {
      key: 'overdue_share',
      label: shareMetric ? pick(ctx.lang, shareMetric.name) : t('share'),
      numeric: true,
      format: 'percent',
      metric: shareMetric ?? null,
      value: overdueShare,
      render: (r) => <span data-value={overdueShare(r) ?? ''}>{formatPercent(overdueShare(r))}</span>,
    },
  ];
  return (
    <DataTable
      className="ageing-table"
      columns={columns}
      rows={data.by_type}
      totals={data.total ? [data.total] : []}
      rowKey={(r) => r.counterparty_type}
      exportName={exportName}
      caption={t('ageing')}
    />
  );
}

function LargestTable({
  docs,
  ctx,
  exportName,
}: {
  docs: OverdueDocument[];
  ctx: ViewContext;
  exportName: string;
}) {
  const t = useT();
  const store = (d: OverdueDocument) =>
    ctx.org.byId.has(d.store_id) ? ctx.org.name(d.store_id, ctx.lang) : d.store_name;
  const columns: Column<OverdueDocument>[] = [
    { key: 'doc_no', label: t('docNo'), metric: null, value: (d) => d.doc_no },
    {
      key: 'store',
      label: t('store'),
      metric: null,
      value: store,
      render: (d) => (
        <a href={hrefTo(`/finance/${d.store_id}`)} onClick={followLink}>
          {store(d)}
        </a>
      ),
    },
    { key: 'counterparty', label: t('counterparty'), metric: null, wrap: true, value: (d) => d.counterparty },
    {
      key: 'type',
      label: t('counterpartyType'),
      metric: null,
      value: (d) =>
        ['customer', 'oem', 'bank', 'insurer'].includes(d.counterparty_type)
          ? t(`cp_${d.counterparty_type}` as StringKey)
          : d.counterparty_type,
    },
    { key: 'due_date', label: t('dueDate'), metric: null, value: (d) => d.due_date },
    {
      key: 'open_amount',
      label: t('openAmountDoc'),
      numeric: true,
      format: 'yuan',
      metric: null,
      value: (d) => d.open_amount,
      render: (d) => <Amount value={d.open_amount} lang={ctx.lang} />,
    },
    {
      key: 'days_overdue',
      label: t('daysOverdue'),
      numeric: true,
      format: 'days',
      metric: null,
      value: (d) => d.days_overdue,
      render: (d) => formatValue(d.days_overdue, 'days', ctx.lang),
    },
  ];
  return (
    <DataTable
      className="overdue-docs"
      columns={columns}
      rows={docs}
      rowKey={(d) => d.doc_no}
      exportName={exportName}
      caption={t('largestOverdue')}
    />
  );
}
