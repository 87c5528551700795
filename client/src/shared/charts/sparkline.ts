// A card's 12-month sparkline as SVG path data: drawn by the browser with the card, with no chart
// library (ten ECharts instances on an overview cost more to draw than the rest of the page).
// Months without data are gaps, never 0 and never joined across; a month alone between gaps is a dot.

export interface SparklineGeometry {
  /** One path per run of months with data: the line. */
  lines: string[];
  /** The same runs closed down to the baseline: the shaded area. */
  areas: string[];
  /** Months alone between gaps, as points. */
  dots: { x: number; y: number }[];
}

/** Path data in a `width` × `height` box, values scaled between their own lowest and highest. */
export function sparklineGeometry(
  values: (number | null)[],
  width: number,
  height: number,
  pad = { top: 4, bottom: 2 },
): SparklineGeometry {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return { lines: [], areas: [], dots: [] };
  const [low, high] = [Math.min(...known), Math.max(...known)];
  const x = (i: number) => round(values.length > 1 ? (i / (values.length - 1)) * width : width / 2);
  const span = height - pad.top - pad.bottom;
  const y = (v: number) =>
    round(high === low ? pad.top + span / 2 : pad.top + ((high - v) / (high - low)) * span);

  const runs: number[][] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    if (i > 0 && values[i - 1] !== null) runs.at(-1)!.push(i);
    else runs.push([i]);
  });
  const geometry: SparklineGeometry = { lines: [], areas: [], dots: [] };
  for (const run of runs) {
    if (run.length === 1) {
      geometry.dots.push({ x: x(run[0]!), y: y(values[run[0]!]!) });
      continue;
    }
    const line = run.map((i, k) => `${k ? 'L' : 'M'}${x(i)} ${y(values[i]!)}`).join(' ');
    geometry.lines.push(line);
    geometry.areas.push(`${line} L${x(run.at(-1)!)} ${height} L${x(run[0]!)} ${height} Z`);
  }
  return geometry;
}

const round = (n: number) => Math.round(n * 100) / 100;
