// The landing (预计完成) line of a metric on a card, a wall tile or the phone report: its words in
// the budget's colour, the figures behind it on hover, "预测计算中…" while the server computes it.
import { describeLanding, type LandingKind } from '../forecast/landing.ts';
import type { Landing } from '../forecast/use-landing.ts';
import { useLang, useT } from '../i18n.ts';
import type { MetricInfo } from '../metrics/types.ts';

export function LandingLine({
  landing,
  metric,
  kind,
  className,
  short,
}: {
  landing: Landing;
  metric: MetricInfo;
  kind: LandingKind;
  className: string;
  /** The phone's form: short period, figures without their unit. */
  short?: boolean;
}) {
  const t = useT();
  const lang = useLang();
  if (landing.failed) return null;
  if (landing.computing)
    return (
      <span className={`${className} flat`} data-landing="pending">
        {t('forecastPending')}
      </span>
    );
  // Until the answer is in, an empty line keeps the card from growing under the reader's eyes.
  if (!landing.items) return <span className={className} aria-hidden="true" />;
  const shown = describeLanding(landing.items.get(metric.id), kind, metric, lang, short);
  if (!shown) return null;
  return (
    <span
      className={`${className} ${shown.tone}`}
      title={shown.title}
      data-landing={shown.period.landing ?? ''}
      data-attainment={shown.period.attainment ?? ''}
      data-kind={shown.period.kind}
    >
      {shown.text}
    </span>
  );
}
