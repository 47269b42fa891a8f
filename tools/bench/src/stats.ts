/** Value at `fraction` (0..1) of an ascending array, nearest-rank; NaN when empty. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(sorted.length * fraction) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

/** Median of unsorted values (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median of the per-round ratios `numerators[i] / denominators[i]`. Rounds run the contenders
 * back to back, so each pair saw the same load on the machine; the median of the pairs is
 * steadier than a ratio of two best rounds taken at different moments. NaN when no pair exists.
 */
export function pairedRatio(
  numerators: readonly number[],
  denominators: readonly number[],
): number {
  const count = Math.min(numerators.length, denominators.length);
  const ratios: number[] = [];
  for (let index = 0; index < count; index++) {
    ratios.push(numerators[index]! / denominators[index]!);
  }
  return median(ratios);
}
