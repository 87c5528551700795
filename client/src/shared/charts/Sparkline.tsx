// The sparkline of a KPI card (sparkline.ts), in the colour of the card's status.
import type { Status } from '../status.ts';
import { COLORS } from './options.ts';
import { sparklineGeometry } from './sparkline.ts';

const WIDTH = 120;
const HEIGHT = 36;

export function Sparkline({
  values,
  status,
  label,
}: {
  values: (number | null)[];
  status: Status;
  label: string;
}) {
  const color = status === 'no_data' || status === 'good' ? COLORS.primary : COLORS[status];
  const { lines, areas, dots } = sparklineGeometry(values, WIDTH, HEIGHT);
  return (
    // Stretched to the card's width; strokes and dots keep their size (non-scaling-stroke).
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      height={HEIGHT}
      role="img"
      aria-label={label}
      data-values={JSON.stringify(values)}
    >
      {areas.map((d) => (
        <path key={`a${d}`} d={d} fill={color} fillOpacity={0.12} stroke="none" />
      ))}
      {lines.map((d) => (
        <path
          key={`l${d}`}
          d={d}
          fill="none"
          stroke={color}
          strokeWidth={1.5}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
      ))}
      {dots.map(({ x, y }) => (
        // A zero-length line with round caps: a round dot however the box is stretched.
        <path
          key={`d${x}`}
          className="spark-dot"
          d={`M${x} ${y} l0 0`}
          stroke={color}
          strokeWidth={4}
          strokeLinecap="round"
          vectorEffect="non-scaling-stroke"
        />
      ))}
    </svg>
  );
}
