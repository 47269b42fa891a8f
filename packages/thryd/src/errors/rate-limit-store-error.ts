import { ThrydError } from "./thryd-error.js";

/**
 * A shared rate-limit store (e.g. Redis) failed to answer. Transient: the request was not sent,
 * and a retry may find the store back. The router fails closed rather than send unaccounted
 * requests that every other process would not see.
 */
export class RateLimitStoreError extends ThrydError {
  override readonly code = "THRYD_RATE_LIMIT_STORE";
  /** The store key of the deployment, e.g. `thryd:rl:openai/gpt-4o`. */
  readonly key: string;
  constructor(key: string, operation: string, cause: unknown) {
    super(
      `Rate-limit store failed to ${operation} for "${key}": ${(cause as Error)?.message ?? String(cause)}`,
      { cause, isRetryable: true },
    );
    this.key = key;
  }
}
