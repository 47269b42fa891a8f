import { ContextWindowExceededError } from "../errors/context-window-exceeded-error.js";
import {
  type FallbackAttempt,
  FallbackExhaustedError,
} from "../errors/fallback-exhausted-error.js";
import { isThrydError } from "../errors/thryd-error.js";

/**
 * Error codes after which the next fallback group is tried: provider failures that outlived the
 * retries (any HTTP error status, network, timeout, a stream gone silent, broken stream,
 * unparsable or incomplete answer), a group with no rate-limit room within `maxWaitMs` or a
 * `Retry-After` beyond the cap, every deployment cooling down, or a request too large for the
 * group. Never the caller's abort, a spent budget, a malformed request, a field the group's
 * provider cannot carry (the request, not the provider, has to change), a filtered answer, or a
 * configuration error.
 */
export const FALLBACK_ERROR_CODES: ReadonlySet<string> = new Set([
  "THRYD_API_ERROR",
  "THRYD_NETWORK",
  "THRYD_TIMEOUT",
  "THRYD_STREAM_IDLE_TIMEOUT",
  "THRYD_SSE",
  "THRYD_PARSE",
  "THRYD_RATE_LIMIT_EXCEEDED",
  "THRYD_CIRCUIT_OPEN",
  "THRYD_CONTEXT_WINDOW_EXCEEDED",
  "THRYD_INCOMPLETE_RESPONSE",
]);

/** Whether `error` moves a request on to the next fallback group. */
export function shouldFallback(error: unknown): boolean {
  return isThrydError(error) && FALLBACK_ERROR_CODES.has(error.code);
}

/** Group-level routing of a router: fallback chains and context-window overflow groups. */
export interface FallbackOptions {
  /** Per group, the groups to try in order when it fails. @default {} */
  fallbacks?: Record<string, readonly string[]>;
  /** Per group, the group that takes requests too large for every deployment's `contextWindow`. */
  contextWindowFallbacks?: Record<string, string>;
}

/** What `routeByContextWindow` reads of a deployment. */
interface Windowed {
  readonly contextWindow: number | undefined;
}

/**
 * The group to send a request of `tokensOf()` tokens to: `group` when one of its deployments can take it,
 * else its context-window fallback group (one hop).
 * @throws {ContextWindowExceededError} when neither can take it
 */
export function routeByContextWindow(
  group: string,
  tokensOf: () => number,
  deploymentsOf: (group: string) => readonly Windowed[],
  contextWindowFallbacks: Record<string, string>,
): string {
  const largest = largestWindow(deploymentsOf(group));
  // Counting tokens costs more than the check: skip it for groups without declared windows.
  if (largest === Number.POSITIVE_INFINITY) return group;
  const tokens = tokensOf();
  if (tokens <= largest) return group;
  const overflow = contextWindowFallbacks[group];
  if (overflow === undefined) throw new ContextWindowExceededError(group, tokens, largest);
  const overflowLargest = largestWindow(deploymentsOf(overflow));
  if (tokens > overflowLargest) {
    throw new ContextWindowExceededError(overflow, tokens, overflowLargest);
  }
  return overflow;
}

function largestWindow(deployments: readonly Windowed[]): number {
  let largest = 0;
  for (const deployment of deployments) {
    const window = deployment.contextWindow ?? Number.POSITIVE_INFINITY;
    if (window > largest) largest = window;
  }
  return largest;
}

/** The record of one failed group in a fallback chain. */
export function fallbackAttempt(
  candidate: string,
  error: unknown,
  deploymentOf: (error: unknown) => string | undefined,
): FallbackAttempt {
  // Limit, circuit and context-window errors name the group they refer to, which differs from
  // `candidate` after a context-window reroute.
  const named = (error as { group?: unknown }).group;
  return {
    group: typeof named === "string" ? named : candidate,
    deployment: deploymentOf(error),
    error,
  };
}

/**
 * Runs `run` on `group`, then on each of its fallback groups while the error allows
 * (`shouldFallback`). Without fallback groups the error is thrown unchanged; after a chain, a
 * `FallbackExhaustedError` carries every attempt and the last error as `cause`. Errors that do
 * not allow a fallback (an abort, a budget) are thrown as they are.
 */
export async function runWithFallbacks<T>({
  group,
  fallbacks,
  run,
  deploymentOf,
}: {
  group: string;
  fallbacks: readonly string[];
  run: (group: string) => Promise<T>;
  deploymentOf: (error: unknown) => string | undefined;
}): Promise<T> {
  const attempts: FallbackAttempt[] = [];
  for (const candidate of [group, ...fallbacks]) {
    try {
      return await run(candidate);
    } catch (error) {
      if (!shouldFallback(error) || fallbacks.length === 0) throw error;
      attempts.push(fallbackAttempt(candidate, error, deploymentOf));
    }
  }
  throw new FallbackExhaustedError(group, attempts);
}
