import { ThrydError } from "./thryd-error.js";

/** Options of {@link RateLimitExceededError}. */
export interface RateLimitExceededErrorOptions {
  /** The provider's error that asked for the wait (a 429 with a long `Retry-After`). */
  cause?: unknown;
  /** Set when the wait is a provider's `Retry-After` beyond the router's `retryAfterMaxMs`. */
  retryAfterMaxMs?: number;
}

/**
 * No deployment of the group has room within the caller's `maxWaitMs`, or a provider asked for a
 * longer wait (`Retry-After`) than the router's `retryAfterMaxMs`. `waitTimeMs` is the shortest
 * wait that would have found room (`Infinity` when one request exceeds a whole TPM), or the
 * provider's `Retry-After`.
 */
export class RateLimitExceededError extends ThrydError {
  override readonly code = "THRYD_RATE_LIMIT_EXCEEDED";
  readonly group: string;
  readonly waitTimeMs: number;
  /** The router's cap when the wait came from a provider's `Retry-After`; else `undefined`. */
  readonly retryAfterMaxMs: number | undefined;
  constructor(group: string, waitTimeMs: number, options: RateLimitExceededErrorOptions = {}) {
    const { cause, retryAfterMaxMs } = options;
    super(
      retryAfterMaxMs !== undefined
        ? `A deployment of group "${group}" asks to wait ${Math.ceil(waitTimeMs)} ms (Retry-After), more than retryAfterMaxMs (${retryAfterMaxMs} ms)`
        : Number.isFinite(waitTimeMs)
          ? `No deployment in group "${group}" has capacity for the next ${Math.ceil(waitTimeMs)} ms`
          : `The request exceeds the TPM of every deployment in group "${group}"`,
      { isRetryable: Number.isFinite(waitTimeMs), cause },
    );
    this.group = group;
    this.waitTimeMs = waitTimeMs;
    this.retryAfterMaxMs = retryAfterMaxMs;
  }
}
