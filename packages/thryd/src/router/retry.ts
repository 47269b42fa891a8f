import { DEFAULT_RETRY_POLICY } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import { isTransientError } from "../errors/thryd-error.js";
import type { Sleep } from "./sleep.js";

/** Retry policy for transient errors; every field defaults to the original's value. */
export interface RetryConfig {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Wait before the first retry, in ms. @default 1000 */
  initialBackoffMs?: number;
  /** Cap of the exponential wait, in ms (a longer Retry-After is still honoured). @default 30000 */
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
      const waitMs = backoffMs(config, attempt + 1, error, environment.random);
      logger.warn(
        () =>
          `Transient error (attempt ${attempt + 1}/${maxRetries}): ${(error as Error).message}. Retrying in ${waitMs} ms`,
      );
      await environment.sleep(waitMs, environment.signal);
    }
  }
}
