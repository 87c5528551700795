// Splitting a total among units so the parts add up to it exactly: each unit's share by weight,
// rounded to the unit's precision by the largest-remainder method (the parts that lost most to
// rounding get the spare units), never a part that drifts the sum.

/**
 * `total` split by `weights` into parts with `decimals` decimals that add up to `total` rounded to
 * those decimals. Zero or missing weights all round: an even split. Ties go to the earlier unit.
 */
export function splitExactly(total: number, weights: readonly number[], decimals = 0): number[] {
  if (weights.length === 0) return [];
  const scale = 10 ** decimals;
  const whole = Math.round(total * scale);
  if (!Number.isSafeInteger(whole))
    throw new RangeError(`cannot split ${total} to ${decimals} decimals exactly`);
  const positive = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = positive.reduce((a, b) => a + b, 0);
  const shares = sum > 0 ? positive.map((w) => w / sum) : weights.map(() => 1 / weights.length);
  const exact = shares.map((s) => s * whole);
  const parts = exact.map(Math.floor);
  let spare = whole - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  // A negative total floors away from zero: spare may be negative, taken back from the largest remainders' complements.
  for (let k = 0; spare !== 0; k = (k + 1) % order.length) {
    parts[order[k]!.i]! += Math.sign(spare);
    spare -= Math.sign(spare);
  }
  return parts.map((p) => p / scale);
}
