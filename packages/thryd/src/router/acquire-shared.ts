import type { Logger } from "@fabricatio/logger";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import type { Deployment } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { ModelKind } from "../types.js";
import type { Sleep } from "./sleep.js";
import type { RoutingStrategy } from "./strategies.js";

/** True when a deployment of the group keeps its quota in an asynchronous (shared) store. */
export function hasAsyncLimiter(deployments: readonly Deployment[]): boolean {
  for (const deployment of deployments) if (deployment.asyncLimiter) return true;
  return false;
}

// The order in which the strategy would pick among deployments that all have room. Trying them
// in this order and taking the first that reserves gives the strategy's choice without asking
// every store for its wait first: one round trip per candidate at most.
function candidateOrder(
  strategy: RoutingStrategy,
  deployments: readonly Deployment[],
  cursor: number,
): number[] {
  const count = deployments.length;
  if (strategy === "first-available") return deployments.map((_, index) => index);
  const rotated = Array.from({ length: count }, (_, offset) => (cursor + offset) % count);
  if (strategy === "least-busy") {
    rotated.sort((left, right) => deployments[left]!.inFlight - deployments[right]!.inFlight);
  }
  return rotated;
}

/** Inputs of {@link acquireShared}. */
export interface AcquireSharedOptions<K extends ModelKind> {
  group: string;
  deployments: readonly Deployment<K>[];
  strategy: RoutingStrategy;
  cursor: number;
  tokens: number;
  deadlineMs: number;
  signal: AbortSignal | undefined;
  now: () => number;
  sleep: Sleep;
  logger: Logger;
}

/**
 * Reserves quota in a group where some deployment's store is asynchronous: tries the candidates
 * in the strategy's order, each with one atomic reserve, and when none has room sleeps the
 * shortest wait they reported and tries again.
 * @throws {RateLimitExceededError} when the wait would pass the deadline
 * @throws {AbortedError} when `signal` fires
 * @throws {RateLimitStoreError} when the store cannot be reached
 */
export async function acquireShared<K extends ModelKind>({
  group,
  deployments,
  strategy,
  cursor,
  tokens,
  deadlineMs,
  signal,
  now,
  sleep,
  logger,
}: AcquireSharedOptions<K>): Promise<{ index: number; reservation: Reservation }> {
  for (;;) {
    if (signal?.aborted) throw new AbortedError(`Request to group "${group}"`, signal.reason);
    const startedMs = now();
    let shortestMs = Number.POSITIVE_INFINITY;
    for (const index of candidateOrder(strategy, deployments, cursor)) {
      const deployment = deployments[index]!;
      const result = deployment.asyncLimiter
        ? await deployment.asyncLimiter.tryReserve(tokens, now())
        : deployment.tryReserve(tokens, now());
      if (typeof result !== "number") return { index, reservation: result };
      shortestMs = Math.min(shortestMs, result);
    }
    if (!Number.isFinite(shortestMs) || startedMs + shortestMs > deadlineMs) {
      throw new RateLimitExceededError(group, shortestMs);
    }
    logger.debug(() => `Group "${group}" is at its shared limits; waiting ${shortestMs} ms`);
    await sleep(shortestMs, signal);
  }
}
