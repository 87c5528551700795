// The wall's ticker: open critical alerts in the page's scope, scrolling right to left.
import { useQuery } from '@tanstack/react-query';
import { useAppData } from '../../shared/context.ts';
import { pick, useLang, useT } from '../../shared/i18n.ts';
import { alertsQuery } from '../../shared/risk/api.ts';
import { describeAlert } from '../../shared/risk/alerts.ts';

export function Ticker({ node }: { node: string }) {
  const t = useT();
  const lang = useLang();
  const { orgIndex } = useAppData();
  const alerts = useQuery(alertsQuery(node)).data?.alerts.filter((a) => a.level === 'critical');
  const items = (alerts ?? []).map((a) => (
    <span key={a.id} className="ticker-item" data-alert={a.id}>
      <b>{orgIndex.byId.has(a.node.id) ? orgIndex.name(a.node.id, lang) : a.node.name}</b>{' '}
      {a.metric.name ? pick(lang, a.metric.name) : a.metric.id} · {describeAlert(a, lang, t)}
    </span>
  ));
  return (
    <div className="ticker" role="marquee" aria-label={t('wallCritical')}>
      <span className="ticker-label">
        {t('wallCritical')}
        {alerts ? ` ${alerts.length}` : ''}
      </span>
      <div className="ticker-window">
        {alerts && alerts.length === 0 && <span className="ticker-none">{t('wallNoCritical')}</span>}
        {items.length > 0 && (
          // Two copies, so the loop has no gap; the speed stays the same however many alerts there are.
          <div
            className="ticker-track"
            data-marquee
            style={{ animationDuration: `${Math.max(20, items.length * 8)}s` }}
          >
            <span className="ticker-copy">{items}</span>
            <span className="ticker-copy" aria-hidden="true">
              {items}
            </span>
          </div>
        )}
      </div>
    </div>
  );
}
