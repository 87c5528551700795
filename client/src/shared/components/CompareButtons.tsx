// The comparison switch (预算 / 同比 / 环比): it sets `cmp` in the URL, so every panel on the page
// follows. The shell's toolbar has one; a panel over the page (the explain panel) has its own.
import { COMPARES, useViewContext } from '../context.ts';
import { useT } from '../i18n.ts';
import { navigate, withParams } from '../router.ts';

export function CompareButtons({ keepScroll = false }: { keepScroll?: boolean }) {
  const t = useT();
  const { compare } = useViewContext();
  return (
    <div className="segmented" role="group" aria-label={t('compare')}>
      {COMPARES.map((c) => (
        <button
          key={c}
          type="button"
          aria-pressed={c === compare}
          className={c === compare ? 'active' : undefined}
          data-compare-choice={c}
          onClick={() => navigate(withParams({ cmp: c === 'budget' ? null : c }), { keepScroll })}
        >
          {t(c)}
        </button>
      ))}
    </div>
  );
}
