import type { Logger } from "@fabricatio/logger";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import { type Deployment, notifyDeploymentChanged } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { ModelKind } from "../types.js";
import { acquireShared } from "./acquire-shared.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { GroupIndex } from "./group-index.js";
import type { Acquired } from "./settle.js";
import type { Sleep } from "./sleep.js";
import type { RoutingStrategy } from "./strategies.js";

/** What a {@link DeploymentPicker} reads from its router. */
export interface DeploymentPickerOptions<K extends ModelKind> {
  strategy: RoutingStrategy;
  breaker: CircuitBreaker | undefined;
  now: () => number;
  sleep: Sleep;
  logger: Logger;
  /** The deployments of a group, in deployment order. @throws {UnknownGroupError} */
  deploymentsOf: (group: string) => readonly Deployment<K>[];
}

/**
 * Picks the deployment of a group that takes the next request, by the routing strategy among
 * those with room, and reserves its quota; waits for room up to the caller's deadline. Each
 * group's routing state is kept in a {@link GroupIndex}, so a pick does not scan the group.
 */
export class DeploymentPicker<K extends ModelKind> {
  readonly #options: DeploymentPickerOptions<K>;
  readonly #indexes = new Map<string, GroupIndex<K>>();

  constructor(options: DeploymentPickerOptions<K>) {
    this.#options = options;
    options.breaker?.onChange(notifyDeploymentChanged);
  }

  /** Forgets a removed group's routing state and rotation position. */
  forget(group: string): void {
    this.#indexes.get(group)?.detach();
    this.#indexes.delete(group);
  }

  #index(group: string): GroupIndex<K> {
    const deployments = this.#options.deploymentsOf(group);
    let index = this.#indexes.get(group);
    if (index) {
      index.follow(deployments);
    } else {
      index = new GroupIndex(group, deployments, this.#options.breaker);
      this.#indexes.set(group, index);
    }
    return index;
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
    const index = this.#index(group);
    // A shared (async) store cannot answer synchronously: `acquire` takes that group over.
    if (index.hasAsync) return 0;
    const now = this.#options.now();
    const decision = index.decide(this.#options.strategy, tokens, now);
    let waitMs = decision.waitMs;
    if (decision.slot >= 0) {
      const deployment = index.deploymentAt(decision.slot);
      const reservation = deployment.tryReserve(tokens, now);
      if (typeof reservation !== "number") {
        index.picked(decision.slot);
        return { deployment, reservation };
      }
      // `decide` asked this limiter's `waitMs` at this very time; one that now disagrees waits.
      waitMs = reservation;
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
    const index = this.#index(group);
    if (index.hasAsync) {
      const { slot, deployment, reservation } = await acquireShared({
        group,
        order: () => this.#index(group).order(strategy, tokens, now()),
        tokens,
        deadlineMs,
        signal,
        now,
        sleep,
        logger,
      });
      this.#index(group).picked(slot);
      return { deployment, reservation: reservation as Reservation };
    }
    let waitMs = firstWaitMs ?? this.tryAcquire(group, tokens, deadlineMs, signal);
    while (typeof waitMs === "number") {
      logger.debug(() => `Group "${group}" is at its limits; waiting ${waitMs} ms`);
      await sleep(waitMs as number, signal);
      waitMs = this.tryAcquire(group, tokens, deadlineMs, signal);
    }
    return waitMs;
  }
}
