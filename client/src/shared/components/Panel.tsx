// A titled card on the page, with its export buttons.
import { useRef, type ReactNode } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Chart, type ChartHandle } from '../charts/Chart.tsx';
import { downloadPng } from '../export.ts';
import { useT } from '../i18n.ts';

export function Panel({
  title,
  subtitle,
  actions,
  children,
  className,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`}>
      <header className="panel-head">
        <div>
          <h2>{title}</h2>
          {subtitle && <p className="subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** A chart in a panel, with a PNG export; `children` go below the chart. */
export function ChartPanel({
  title,
  subtitle,
  option,
  height = 320,
  onItemClick,
  onItemHover,
  exportName,
  className,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  option: EChartsCoreOption | null;
  height?: number;
  onItemClick?: (item: { name: string; id?: string; dataIndex: number }) => void;
  onItemHover?: (item: { name: string; id?: string; dataIndex: number }) => void;
  exportName?: string;
  className?: string;
  children?: ReactNode;
}) {
  const t = useT();
  const chart = useRef<ChartHandle>(null);
  const png = () => {
    const url = chart.current?.toPng();
    if (url) downloadPng(url, exportName ?? title);
  };
  return (
    <Panel
      title={title}
      subtitle={subtitle}
      className={className}
      actions={
        option && (
          <button type="button" className="link-button" onClick={png}>
            {t('exportPng')}
          </button>
        )
      }
    >
      {option ? (
        <Chart
          ref={chart}
          option={option}
          height={height}
          onItemClick={onItemClick}
          onItemHover={onItemHover}
          label={title}
        />
      ) : null}
      {children}
    </Panel>
  );
}
