import { DEFAULT_RETRY_POLICY } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { isTransientError } from "../errors/thryd-error.js";
import type { Sleep } from "./sleep.js";

/**
 * Default of `RouterOptions.retryAfterMaxMs`: the longest `Retry-After` the router sleeps for,
 * one minute. A provider asking for more is not waited for.
 */
export const DEFAULT_RETRY_AFTER_MAX_MS = 60_000;

/** Retry policy for transient errors; every field defaults to the original's value. */
export interface RetryConfig {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Wait before the first retry, in ms. @default 1000 */
  initialBackoffMs?: number;
  /**
   * Cap of the exponential wait, in ms (a longer Retry-After is still honoured, up to the
   * router's `retryAfterMaxMs`). @default 30000
   */
  maxBackoffMs?: number;
  /** Factor applied to the wait after each retry. @default 2 */
  multiplier?: number;
}

/** What a retry loop needs from its environment. */
export interface RetryEnvironment {
  sleep: Sleep;
  /** Uniform random number in [0, 1), for jitter. */
  random: () => number;
  signal?: AbortSignal;
  /** Extra veto on retrying a transient error. @default always retry transient errors */
  shouldRetry?: (error: unknown) => boolean;
  /** Runs before the wait for a retry of `error`; throws to end the loop with another error. */
  beforeWait?: (error: unknown) => void;
}

/**
 * Throws when `error` carries a `Retry-After` longer than `maxMs`: a `RateLimitExceededError`
 * of `group` with that wait and `error` as its cause, instead of a sleep that long.
 * @throws {RateLimitExceededError}
 */
export function refuseLongRetryAfter(error: unknown, maxMs: number, group: string): void {
  const retryAfterMs = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof retryAfterMs === "number" && retryAfterMs > maxMs) {
    throw new RateLimitExceededError(group, retryAfterMs, { cause: error, retryAfterMaxMs: maxMs });
  }
}

/** The server's minimum wait carried by an error: `Retry-After` or a rate-limit wait. */
function requestedWaitMs(error: unknown): number {
  const value = error as { retryAfterMs?: unknown; waitTimeMs?: unknown };
  const retryAfter = typeof value?.retryAfterMs === "number" ? value.retryAfterMs : 0;
  const waitTime = typeof value?.waitTimeMs === "number" ? value.waitTimeMs : 0;
  return Math.max(retryAfter, Number.isFinite(waitTime) ? waitTime : 0);
}

/**
 * The wait before retry number `attempt` (1-based): exponential backoff capped at `maxBackoffMs`,
 * jittered down to half, and never less than what the error asks for.
 */
export function backoffMs(
  config: RetryConfig,
  attempt: number,
  error: unknown,
  random: () => number,
): number {
  const policy = { ...DEFAULT_RETRY_POLICY, ...config };
  const base = Math.min(
    policy.initialBackoffMs * policy.multiplier ** (attempt - 1),
    policy.maxBackoffMs,
  );
  const jittered = base * (0.5 + random() / 2);
  return Math.max(Math.round(jittered), requestedWaitMs(error));
}

/** Runs `operation`, retrying transient errors per `config`; other errors are thrown at once. */
export async function retryOnTransient<T>(
  config: RetryConfig | undefined,
  operation: (attempt: number) => Promise<T>,
  environment: RetryEnvironment,
): Promise<T> {
  const maxRetries = config ? (config.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries) : 0;
  const logger = getLogger("thryd:retry");
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!config || attempt >= maxRetries || !isTransientError(error)) throw error;
      if (environment.shouldRetry && !environment.shouldRetry(error)) throw error;
      environment.beforeWait?.(error);
      const waitMs = backoffMs(config, attempt + 1, error, environment.random);
      logger.warn(
        () =>
          `Transient error (attempt ${attempt + 1}/${maxRetries}): ${(error as Error).message}. Retrying in ${waitMs} ms`,
      );
      await environment.sleep(waitMs, environment.signal);
    }
  }
}
