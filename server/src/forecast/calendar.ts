// The Spring Festival (春节) moves between January and February, and with it the buying rush before
// it and the dead week of the holiday: a yearly season of 12 months cannot learn that. The two
// months are modelled together: in the history, each year's January + February is kept but split
// at the series' average January share; the methods forecast that calendar-neutral series; the
// forecast's January + February are then split at the January share of past years whose festival
// fell in the same month as the forecast year's (all years' average where there is none). A month
// whose partner lies outside the series (a history ending in January) is scaled by the same shares.

/** The month (1 or 2) each year's Spring Festival falls in. */
export type FestivalMonths = ReadonlyMap<number, number>;

/** A monthly series starting at `start` ('YYYY-MM'). */
export interface MonthlySeries {
  start: string;
  values: readonly number[];
}

export interface FestivalAdjustment {
  /** The history with each year's January and February split at the average share. */
  values: number[];
  /** A forecast of the adjusted series, starting at `start`, back in calendar terms. */
  restore(start: string, forecast: readonly number[]): number[];
}

/** The month (1–12) and year of the i-th month from `start`. */
export function monthAt(start: string, i: number): { year: number; month: number } {
  const index = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + i;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** 'YYYY-MM' of the i-th month from `start`. */
export const periodKey = (start: string, i: number) => {
  const { year, month } = monthAt(start, i);
  return `${year}-${String(month).padStart(2, '0')}`;
};

export function adjustForFestival(series: MonthlySeries, festival: FestivalMonths): FestivalAdjustment {
  const { start, values } = series;
  const at = (i: number) => monthAt(start, i);
  // January's share of January + February, by year, where the series holds both.
  const shares = new Map<number, number>();
  values.forEach((v, i) => {
    const { year, month } = at(i);
    const feb = values[i + 1];
    if (month === 1 && feb !== undefined && v + feb > 0 && v >= 0 && feb >= 0)
      shares.set(year, v / (v + feb));
  });
  if (!shares.size) return { values: [...values], restore: (_s, forecast) => [...forecast] };
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const average = mean([...shares.values()]);
  /** The January share expected in a year, from the years whose festival fell in the same month. */
  const expected = (year: number) => {
    const placement = festival.get(year);
    const same = [...shares]
      .filter(([y]) => placement !== undefined && festival.get(y) === placement)
      .map(([, s]) => s);
    return same.length ? mean(same) : average;
  };
  /** A lone January or February (its partner outside the series) moved from one split to another. */
  const rescale = (month: number, value: number, from: number, to: number) =>
    month === 1
      ? from > 0
        ? (value * to) / from
        : value
      : from < 1
        ? (value * (1 - to)) / (1 - from)
        : value;
  /** January and February, each month split from the pair's total at `share` (kept whole). */
  const split = (
    values: readonly number[],
    startOf: string,
    shareOf: (year: number) => number | null,
    lone: (month: number, value: number, year: number) => number,
  ) => {
    const out = [...values];
    values.forEach((v, i) => {
      const { year, month } = monthAt(startOf, i);
      if (month === 1 && i + 1 < values.length) {
        const share = shareOf(year);
        const total = v + values[i + 1]!;
        if (share !== null && v >= 0 && values[i + 1]! >= 0) {
          out[i] = total * share;
          out[i + 1] = total * (1 - share);
        }
      } else if ((month === 1 && i + 1 === values.length) || (month === 2 && i === 0)) {
        out[i] = lone(month, v, year);
      }
    });
    return out;
  };

  return {
    values: split(
      values,
      start,
      () => average,
      (month, v, year) => (v < 0 ? v : rescale(month, v, expected(year), average)),
    ),
    restore: (forecastStart, forecast) =>
      split(forecast, forecastStart, expected, (month, v, year) =>
        rescale(month, v, average, expected(year)),
      ),
  };
}
