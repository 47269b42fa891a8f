/** Length of one bucket of the rate limiter's sliding window, in seconds. */
export const BUCKET_SIZE_S = 1;

/** Number of buckets in the rate limiter's sliding window. */
export const BUCKET_COUNT = 60;

/** Length of the whole sliding window, in seconds (`BUCKET_SIZE_S * BUCKET_COUNT`). */
export const BUCKETS_WINDOW_S = BUCKET_SIZE_S * BUCKET_COUNT;

/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;

/** Separates the provider from the model in a deployment id: `openai/gpt-4o-mini`. */
export const SEPARATOR = "/";

/** Default time-to-live of a router cache entry, in seconds. */
export const DEFAULT_CACHE_TTL_S = 3600;

/** A retry policy with exponential backoff. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Wait before the first retry, in milliseconds. */
  readonly initialBackoffMs: number;
  /** Upper bound of any single wait, in milliseconds. */
  readonly maxBackoffMs: number;
  /** Factor applied to the wait after each retry. */
  readonly multiplier: number;
}

/** The original's default retry policy: 3 retries, 1000 ms first wait, 30000 ms cap, doubling. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
  multiplier: 2,
});
