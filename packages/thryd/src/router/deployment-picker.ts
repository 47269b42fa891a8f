import type { Logger } from "@fabricatio/logger";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import type { Deployment } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { ModelKind } from "../types.js";
import { acquireShared, hasAsyncLimiter } from "./acquire-shared.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { routableDeployments } from "./routable.js";
import type { Acquired } from "./settle.js";
import type { Sleep } from "./sleep.js";
import { pickCandidate, type RoutingStrategy } from "./strategies.js";

/** What a {@link DeploymentPicker} reads from its router. */
export interface DeploymentPickerOptions<K extends ModelKind> {
  strategy: RoutingStrategy;
  breaker: CircuitBreaker | undefined;
  now: () => number;
  sleep: Sleep;
  logger: Logger;
  /** The deployments of a group. @throws {UnknownGroupError} */
  deploymentsOf: (group: string) => readonly Deployment<K>[];
  /** Whether any deployment declares a context window (then candidates are filtered). */
  hasContextWindows: () => boolean;
}

/**
 * Picks the deployment of a group that takes the next request, by the routing strategy among
 * those with room, and reserves its quota; waits for room up to the caller's deadline.
 */
export class DeploymentPicker<K extends ModelKind> {
  readonly #options: DeploymentPickerOptions<K>;
  readonly #cursors = new Map<string, number>();

  constructor(options: DeploymentPickerOptions<K>) {
    this.#options = options;
  }

  /** Forgets a removed group's round-robin position. */
  forget(group: string): void {
    this.#cursors.delete(group);
  }

  /**
   * Reserves quota now, synchronously, when a deployment has room. Returns the wait in ms when
   * none has, and 0 when the group keeps its quota in an async store (then call `acquire`).
   * Check and reserve run without an await between them, so concurrent callers cannot both
   * take the last slot of a window.
   * @throws {RateLimitExceededError} when the wait passes `deadlineMs`
   * @throws {AbortedError}, {ContextWindowExceededError}, {CircuitOpenError}
   */
  tryAcquire(
    group: string,
    tokens: number,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Acquired<K> | number {
    if (signal?.aborted) throw new AbortedError(`Request to group "${group}"`, signal.reason);
    const now = this.#options.now();
    const deployments = this.#candidates(group, tokens, now);
    // A shared (async) store cannot answer synchronously: `acquire` takes that group over.
    if (deployments.length === 1 ? deployments[0]!.asyncLimiter : hasAsyncLimiter(deployments)) {
      return 0;
    }
    let index = 0;
    let waitMs = 0;
    if (deployments.length === 1) {
      waitMs = deployments[0]!.waitMs(tokens, now);
    } else {
      const pick = pickCandidate(
        this.#options.strategy,
        deployments.map((deployment, position) => ({
          index: position,
          waitMs: deployment.waitMs(tokens, now),
          inFlight: deployment.inFlight,
        })),
        (this.#cursors.get(group) ?? 0) % deployments.length,
      );
      index = pick.index;
      waitMs = pick.waitMs;
    }
    const deployment = deployments[index]!;
    if (waitMs === 0) {
      this.#cursors.set(group, (index + 1) % deployments.length);
      return { deployment, reservation: deployment.tryReserve(tokens, now) as Reservation };
    }
    if (!Number.isFinite(waitMs) || now + waitMs > deadlineMs) {
      throw new RateLimitExceededError(group, waitMs);
    }
    return waitMs;
  }

  /**
   * Reserves quota, waiting for room (or reserving in a shared store) until `deadlineMs`.
   * `firstWaitMs` is the wait a `tryAcquire` just returned.
   * @throws the errors of `tryAcquire`, and {RateLimitStoreError} for an unreachable store
   */
  async acquire(
    group: string,
    tokens: number,
    deadlineMs: number,
    signal: AbortSignal | undefined,
    firstWaitMs?: number,
  ): Promise<Acquired<K>> {
    const { now, sleep, logger, strategy } = this.#options;
    const deployments = this.#candidates(group, tokens, now());
    if (hasAsyncLimiter(deployments)) {
      const { index, reservation } = await acquireShared({
        group,
        deployments,
        strategy,
        cursor: (this.#cursors.get(group) ?? 0) % deployments.length,
        tokens,
        deadlineMs,
        signal,
        now,
        sleep,
        logger,
      });
      this.#cursors.set(group, (index + 1) % deployments.length);
      return { deployment: deployments[index]!, reservation };
    }
    let waitMs = firstWaitMs ?? this.tryAcquire(group, tokens, deadlineMs, signal);
    while (typeof waitMs === "number") {
      logger.debug(() => `Group "${group}" is at its limits; waiting ${waitMs} ms`);
      await sleep(waitMs as number, signal);
      waitMs = this.tryAcquire(group, tokens, deadlineMs, signal);
    }
    return waitMs;
  }

  /** The group's deployments that may take `tokens` now (context windows, open circuits). */
  #candidates(group: string, tokens: number, nowMs: number): readonly Deployment<K>[] {
    const { breaker, deploymentsOf, hasContextWindows } = this.#options;
    return breaker || hasContextWindows()
      ? routableDeployments({ group, deployments: deploymentsOf(group), tokens, nowMs, breaker })
      : deploymentsOf(group);
  }
}
