// What a card's colour means for the comparison the user chose: the bands of compare.ts
// (ATTAINMENT_BANDS for the budget, CHANGE_BANDS for 同比 / 环比), grey for no data, and the
// metric's own value thresholds on top (the worse of the two counts).
import { ATTAINMENT_BANDS, CHANGE_BANDS, type CompareWith } from '../../../../server/src/contract/compare.ts';
import { useT } from '../i18n.ts';

const pct = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

export function StatusLegend({ compare }: { compare: CompareWith }) {
  const t = useT();
  const up = ATTAINMENT_BANDS.higher_is_better;
  const down = ATTAINMENT_BANDS.lower_is_better;
  const pp = (points: number) => t('legendPoints', { n: Math.round(points * 1000) / 10 });
  const vars: Record<string, string> =
    compare === 'budget'
      ? {
          warning: pct(up.warning),
          critical: pct(up.critical),
          warningLow: pct(down.warning),
          criticalLow: pct(down.critical),
        }
      : {
          warning: pct(CHANGE_BANDS.relative.warning),
          critical: pct(CHANGE_BANDS.relative.critical),
          warningPp: pp(CHANGE_BANDS.points.warning),
          criticalPp: pp(CHANGE_BANDS.points.critical),
        };
  const words =
    compare === 'budget'
      ? {
          good: t('legendBudgetGood', vars),
          warning: t('legendBudgetWarning', vars),
          critical: t('legendBudgetCritical', vars),
        }
      : {
          good: t('legendChangeGood', vars),
          warning: t('legendChangeWarning', vars),
          critical: t('legendChangeCritical', vars),
        };
  return (
    <div
      className="status-legend"
      data-legend={compare}
      aria-label={t('legendTitle', { compare: t(compare) })}
      role="note"
    >
      <strong>{t('legendTitle', { compare: t(compare) })}</strong>
      <ul>
        {(['good', 'warning', 'critical'] as const).map((s) => (
          <li key={s}>
            <span className={`status-dot ${s}`} aria-hidden="true" />
            <b>{t(s)}</b> {words[s]}
          </li>
        ))}
        <li>
          <span className="status-dot no_data" aria-hidden="true" />
          <b>{t('no_data')}</b> {t('legendNoData')}
        </li>
      </ul>
      <small>{t('legendOwn')}</small>
    </div>
  );
}
