// Log-spaced buckets 5 % apart from 0.05 ms: recording is O(1) and memory fixed, and a quantile
// read from them is within 5 % of the exact one. 340 buckets reach past ten minutes.
const MIN_MS = 0.05;
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 340;

/** A fixed-size latency histogram with approximate quantiles. */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  /** Samples recorded. */
  count = 0;
  /** Sum of the samples, in ms. */
  sumMs = 0;

  /** Records one latency in ms. */
  record(ms: number): void {
    const index =
      ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH));
    this.#counts[index]!++;
    this.count++;
    this.sumMs += ms;
  }

  /** The latency below which a share `q` (0–1) of samples fall, in ms; 0 with no samples. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.#counts[index]!;
      if (seen >= rank) return MIN_MS * GROWTH ** index;
    }
    return MIN_MS * GROWTH ** (BUCKETS - 1);
  }
}
