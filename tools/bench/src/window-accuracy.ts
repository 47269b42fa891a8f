/**
 * Largest number of timestamps inside any half-open window `[t, t + windowMs)`. Only windows that
 * start at a timestamp need checking: sliding a window's start up to its first member never drops
 * a member, so one of those windows holds the maximum.
 */
export function maxInWindow(timestampsMs: readonly number[], windowMs: number): number {
  const sorted = [...timestampsMs].sort((left, right) => left - right);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    if (end < start) end = start;
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Options of {@link rateLimitAccuracy}. */
export interface RateLimitAccuracyOptions {
  /** When the upstream received each request, in ms. */
  timestampsMs: readonly number[];
  /** Length of the limiter's window in ms. */
  windowMs: number;
  /** Requests allowed per window. */
  quota: number;
}

/**
 * The busiest window the upstream saw divided by the quota: 1.0 is a limiter that fills its
 * quota exactly, above 1.0 is a violation, below 1.0 leaves capacity unused.
 */
export function rateLimitAccuracy({
  timestampsMs,
  windowMs,
  quota,
}: RateLimitAccuracyOptions): number {
  if (!(quota > 0)) throw new RangeError(`quota must be positive, got ${quota}`);
  return maxInWindow(timestampsMs, windowMs) / quota;
}
