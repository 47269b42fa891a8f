import type { Logger } from "@fabricatio/logger";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import type { Deployment } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { ReserveBatcher } from "../limits/spec.js";
import type { ModelKind } from "../types.js";
import type { CandidateOrder } from "./group-index.js";
import type { Sleep } from "./sleep.js";

/**
 * Most deployments tried in one batched round trip. A store runs a batch as one atomic step
 * (Redis: one script, during which it serves nobody else), so a batch is kept short.
 */
export const MAX_BATCH = 64;

// Batches grow within a round: the first candidate usually has room, and a lone reserve sends
// the least (measured on Redis: about half the client and server CPU of a batch of 64); a
// second batch of 16 still costs little and covers the usual run of full deployments.
const batchLimit = (batchesSent: number) =>
  batchesSent === 0 ? 1 : batchesSent === 1 ? 16 : MAX_BATCH;

/** Inputs of {@link acquireShared}. */
export interface AcquireSharedOptions<K extends ModelKind> {
  group: string;
  /**
   * The group's candidates in the strategy's order, taken afresh for each round.
   * @throws {ContextWindowExceededError}, {CircuitOpenError} when there is none
   */
  order: () => CandidateOrder<K>;
  tokens: number;
  deadlineMs: number;
  signal: AbortSignal | undefined;
  now: () => number;
  sleep: Sleep;
  logger: Logger;
}

/** What {@link acquireShared} reserved: the deployment, its slot in the group, the reservation. */
export interface SharedAcquired<K extends ModelKind> {
  slot: number;
  deployment: Deployment<K>;
  reservation: Reservation;
}

type Candidate<K extends ModelKind> = { slot: number; deployment: Deployment<K> };

/**
 * Reserves quota in a group where some deployment's store is asynchronous: tries the candidates
 * in the strategy's order and takes the first that reserves. Consecutive candidates whose
 * limiters share a `batch` (one Redis store) are tried together in one round trip: the first
 * alone, then 16, then up to {@link MAX_BATCH} at a time; others one at a time. k full
 * candidates before one with room cost 1 round trip for k = 0, 2 up to k = 16, then one more
 * per 64, instead of k + 1. When none has room, sleeps the shortest wait they reported
 * and tries again.
 * @throws {RateLimitExceededError} when the wait would pass the deadline
 * @throws {AbortedError} when `signal` fires
 * @throws {RateLimitStoreError} when the store cannot be reached
 */
export async function acquireShared<K extends ModelKind>({
  group,
  order,
  tokens,
  deadlineMs,
  signal,
  now,
  sleep,
  logger,
}: AcquireSharedOptions<K>): Promise<SharedAcquired<K>> {
  for (;;) {
    if (signal?.aborted) throw new AbortedError(`Request to group "${group}"`, signal.reason);
    const startedMs = now();
    const candidates = order();
    let shortestMs = Number.POSITIVE_INFINITY;
    let batch: Candidate<K>[] = [];
    let batcher: ReserveBatcher | undefined;
    let batchesSent = 0;
    const flush = async (): Promise<SharedAcquired<K> | undefined> => {
      const taken = batch;
      if (taken.length === 0) return undefined;
      batchesSent++;
      batch = [];
      if (taken.length === 1) {
        const result = await taken[0]!.deployment.asyncLimiter!.tryReserve(tokens, now());
        if (typeof result !== "number") return { ...taken[0]!, reservation: result };
        shortestMs = Math.min(shortestMs, result);
        return undefined;
      }
      const limiters = taken.map((candidate) => candidate.deployment.asyncLimiter!);
      const result = await batcher!.tryReserveFirst(limiters, tokens, now());
      if ("reservation" in result) {
        return { ...taken[result.index]!, reservation: result.reservation };
      }
      shortestMs = Math.min(shortestMs, result.waitMs);
      return undefined;
    };
    for (let candidate = candidates.next(); candidate; candidate = candidates.next()) {
      const limiter = candidate.deployment.asyncLimiter;
      if (limiter?.batch) {
        if (limiter.batch !== batcher || batch.length >= batchLimit(batchesSent)) {
          const acquired = await flush();
          if (acquired) return acquired;
        }
        batcher = limiter.batch;
        batch.push(candidate);
        continue;
      }
      const acquired = await flush();
      if (acquired) return acquired;
      const result = limiter
        ? await limiter.tryReserve(tokens, now())
        : candidate.deployment.tryReserve(tokens, now());
      if (typeof result !== "number") return { ...candidate, reservation: result };
      shortestMs = Math.min(shortestMs, result);
    }
    const acquired = await flush();
    if (acquired) return acquired;
    // The group changed under the round: take the new order at once.
    if (candidates.interrupted) continue;
    if (!Number.isFinite(shortestMs) || startedMs + shortestMs > deadlineMs) {
      throw new RateLimitExceededError(group, shortestMs);
    }
    logger.debug(() => `Group "${group}" is at its shared limits; waiting ${shortestMs} ms`);
    await sleep(shortestMs, signal);
  }
}
