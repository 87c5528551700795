// The row under a grid of targets saying, month by month, by how much the units miss their
// node's target: ✓ where they add up, — where there is nothing to compare.
export function GapRow({
  label,
  months,
  gaps,
  fmt,
}: {
  label: string;
  months: readonly string[];
  gaps: Record<string, number | null>;
  fmt: (value: number) => string;
}) {
  return (
    <tr className="gap">
      <th>{label}</th>
      {months.map((m) => {
        const gap = gaps[m] ?? null;
        return (
          <td key={m} className={`num${gap ? ' off' : ''}`} data-month={m} data-gap={gap ?? ''}>
            {gap === null ? '—' : gap === 0 ? '✓' : fmt(gap)}
          </td>
        );
      })}
    </tr>
  );
}
