/** One bar of a histogram chart: the share of values in `[from, to)` milliseconds. */
export interface HistogramBin {
  from: number;
  to: number;
  share: number;
}

/**
 * The share of values at or below `value`, read from a quantile function (element i is the
 * value at percentile i), interpolated linearly between percentiles.
 */
function cumulativeShare(quantiles: number[], value: number): number {
  const last = quantiles.length - 1;
  if (last < 1 || value < (quantiles[0] as number)) return 0;
  if (value >= (quantiles[last] as number)) return 1;
  let index = 0;
  while (index < last && (quantiles[index + 1] as number) <= value) index += 1;
  const low = quantiles[index] as number;
  const high = quantiles[index + 1] as number;
  const within = high > low ? (value - low) / (high - low) : 0;
  return (index + within) / last;
}

/**
 * Equal-width bins over `[from, to)` from a quantile function, so that several runs can be drawn
 * on the same bins; the last bin also holds everything above `to`.
 */
export function quantileBins(
  quantiles: number[],
  from: number,
  to: number,
  binCount: number,
): HistogramBin[] {
  if (quantiles.length < 2) return [];
  const width = (to - from) / binCount;
  return Array.from({ length: binCount }, (_, index) => {
    const low = from + index * width;
    const high = index === binCount - 1 ? Number.POSITIVE_INFINITY : low + width;
    return {
      from: low,
      to: low + width,
      // [low, high): the share below high minus the share below low.
      share: cumulativeShare(quantiles, high - 1e-9) - cumulativeShare(quantiles, low - 1e-9),
    };
  });
}
