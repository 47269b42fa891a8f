import { GatewayError } from "./gateway-error.js";

/** The caller's key has used its requests per minute. Answered 429 with `Retry-After`. */
export class KeyRateLimitError extends GatewayError {
  override readonly code = "GATEWAY_KEY_RATE_LIMIT";
  override readonly status = 429;
  /** The key's name. */
  readonly key: string;
  /** How long until the key has room again, in ms. */
  readonly retryAfterMs: number;
  constructor(key: string, retryAfterMs: number) {
    super(`Key "${key}" has used its requests per minute; retry in ${Math.ceil(retryAfterMs)} ms`);
    this.key = key;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The caller's key has spent its budget for the period. Answered 429 with `Retry-After`. */
export class KeyBudgetExceededError extends GatewayError {
  override readonly code = "GATEWAY_KEY_BUDGET_EXCEEDED";
  override readonly status = 429;
  /** The key's name. */
  readonly key: string;
  /** USD spent in the current period. */
  readonly spentUsd: number;
  /** The period's limit in USD. */
  readonly limitUsd: number;
  /** Epoch ms when the next period starts. */
  readonly resetsAtMs: number;
  constructor(options: { key: string; spentUsd: number; limitUsd: number; resetsAtMs: number }) {
    super(
      `Key "${options.key}" spent $${options.spentUsd.toFixed(6)} of its $${options.limitUsd} budget; it resets at ${new Date(options.resetsAtMs).toISOString()}`,
    );
    this.key = options.key;
    this.spentUsd = options.spentUsd;
    this.limitUsd = options.limitUsd;
    this.resetsAtMs = options.resetsAtMs;
  }
}
