import { CircuitOpenError } from "../errors/circuit-open-error.js";
import { ContextWindowExceededError } from "../errors/context-window-exceeded-error.js";
import { type Deployment, listenToDeployment } from "../limits/deployment.js";
import type { ModelKind } from "../types.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { COLUMN, RoutingTree } from "./routing-tree.js";
import type { RoutingStrategy } from "./strategies.js";

const INFINITY = Number.POSITIVE_INFINITY;
// Scratch for one slot's column values; refreshes run one at a time, synchronously.
const VALUES = new Float64Array(10);
const DIRTY = 1;
const EXACT = 2;

/** A routing decision: the slot to reserve in (`waitMs` 0), or no slot and the shortest wait. */
export interface GroupDecision {
  /** Position of the picked deployment in the group; -1 when none has room. */
  slot: number;
  /** 0 with a slot; else ms until the soonest candidate may have room (`Infinity`: never). */
  waitMs: number;
}

/** Candidates of a group in a strategy's order, taken one at a time. */
export interface CandidateOrder<K extends ModelKind> {
  /** The next candidate and its slot, or undefined at the end. */
  next(): { slot: number; deployment: Deployment<K> } | undefined;
  /** True when the group changed while the order was taken: start over. */
  readonly interrupted: boolean;
}

/**
 * The routing state of one group, kept up to date as things change instead of recomputed on
 * every request: for each deployment what its limiter allows now (from `snapshot`), its circuit,
 * context window and in-flight count, aggregated in a {@link RoutingTree}. A deployment's values
 * are refreshed when it reports a change (reservation, reconcile, release, in-flight count,
 * circuit) and when its snapshot expires (usage leaving the window, a circuit turning half-open),
 * so a decision costs O(log n) for a group of n deployments.
 *
 * Decisions are those of the scan over every deployment (`scanDecision`): the tree only skips
 * deployments that cannot be picked, and each deployment it would pick is confirmed with its
 * exact `waitMs` first.
 */
export class GroupIndex<K extends ModelKind> {
  readonly group: string;
  readonly #breaker: CircuitBreaker | undefined;
  #source: readonly Deployment<K>[] = [];
  #slots: Deployment<K>[] = [];
  #tree = new RoutingTree(1);
  #cursor = 0;
  #dirty: number[] = [];
  #spare: number[] = [];
  // Per slot: 1 bit "dirty", 2 bit "exact" (its room decides whole-number requests exactly).
  #flags = new Uint8Array(1);
  // Slots whose snapshot claims no validity past the moment it was taken: refreshed every time.
  #volatile: Set<number> | undefined;
  #lastNowMs = Number.NEGATIVE_INFINITY;
  #asyncCount = 0;
  #generation = 0;
  // The request being decided, read by `#fits` (a method, so no closure per decision).
  #tokens = 0;
  #nowMs = 0;
  readonly #fits = (slot: number) =>
    ((this.#flags[slot]! & EXACT) !== 0 && Number.isInteger(this.#tokens)) ||
    this.#slots[slot]!.waitMs(this.#tokens, this.#nowMs) === 0;
  readonly #waitOf = (slot: number) => this.#slots[slot]!.waitMs(this.#tokens, this.#nowMs);

  constructor(group: string, deployments: readonly Deployment<K>[], breaker?: CircuitBreaker) {
    this.group = group;
    this.#breaker = breaker;
    this.#rebuild(deployments, 0);
  }

  /** Whether a deployment keeps its quota in an asynchronous store (then use `order`). */
  get hasAsync(): boolean {
    return this.#asyncCount > 0;
  }

  /** The deployment at `slot`. */
  deploymentAt(slot: number): Deployment<K> {
    return this.#slots[slot]!;
  }

  /**
   * Brings the index in line with the router's list of the group's deployments: new ones at
   * the end are added one by one; any other change rebuilds it, keeping the rotation's place.
   */
  follow(deployments: readonly Deployment<K>[]): void {
    if (deployments === this.#source && deployments.length === this.#slots.length) return;
    if (deployments === this.#source && deployments.length > this.#slots.length) {
      while (this.#slots.length < deployments.length)
        this.#append(deployments[this.#slots.length]!);
      return;
    }
    // Continue the rotation at the first deployment at or after the cursor that remains.
    const kept = new Set(deployments);
    let next: Deployment<K> | undefined;
    for (let slot = this.#cursor; slot < this.#slots.length && !next; slot++) {
      if (kept.has(this.#slots[slot]!)) next = this.#slots[slot];
    }
    const cursor = next ? deployments.indexOf(next) : 0;
    this.detach();
    this.#rebuild(deployments, cursor);
  }

  /** Stops listening to the deployments (the group is gone). */
  detach(): void {
    for (const deployment of this.#slots) listenToDeployment(deployment, undefined);
    this.#generation++;
  }

  #rebuild(deployments: readonly Deployment<K>[], cursor: number, capacity = 1): void {
    this.#source = deployments;
    this.#slots = [];
    this.#tree = new RoutingTree(Math.max(capacity, deployments.length));
    this.#flags = new Uint8Array(this.#tree.size);
    this.#dirty = [];
    this.#volatile = undefined;
    this.#asyncCount = 0;
    this.#cursor = cursor;
    this.#generation++;
    for (const deployment of deployments) this.#append(deployment);
  }

  #append(deployment: Deployment<K>): void {
    const slot = this.#slots.length;
    if (slot >= this.#tree.size) {
      // Full: twice the room, every slot anew (amortised O(log n) per deployment added).
      this.#rebuild(this.#source, this.#cursor, 2 * this.#tree.size);
      return;
    }
    this.#slots.push(deployment);
    if (deployment.asyncLimiter) this.#asyncCount++;
    listenToDeployment(deployment, () => this.#markDirty(slot));
    // Its values are computed at the next decision, with that decision's clock.
    this.#markDirty(slot);
  }

  #markDirty(slot: number): void {
    if (this.#flags[slot]! & DIRTY) return;
    this.#flags[slot]! |= DIRTY;
    this.#dirty.push(slot);
  }

  // Recomputes one slot's values at `nowMs`.
  #refresh(slot: number, nowMs: number): void {
    const deployment = this.#slots[slot]!;
    const breaker = this.#breaker;
    const values = VALUES;
    const window = deployment.contextWindow ?? INFINITY;
    let available = true;
    let changesAt = INFINITY;
    let retryAt = INFINITY;
    if (breaker) {
      available = breaker.isAvailable(deployment, nowMs);
      const openUntil = breaker.retryAtMs(deployment);
      // An open circuit turns half-open (available) at `openUntil` without a call.
      if (openUntil > nowMs) changesAt = openUntil;
      if (!available) retryAt = openUntil;
    }
    // Unlimited (or an async store, which `order` serves): always room, never a wait.
    let hasRoom = true;
    let tokenRoom = INFINITY;
    let tokenLimit = INFINITY;
    let freeAt = INFINITY;
    let minWait = INFINITY;
    let isExact = true;
    const limiter = deployment.limiter;
    if (limiter?.snapshot && limiter.watch) {
      const snapshot = limiter.snapshot(nowMs);
      ({ hasRoom, tokenRoom, tokenLimit, freeAtMs: freeAt, minWaitMs: minWait } = snapshot);
      isExact = snapshot.isExact === true;
      if (snapshot.validUntilMs < changesAt) changesAt = snapshot.validUntilMs;
    } else if (limiter) {
      // A limiter that tells nothing: always a candidate, confirmed by `waitMs`, never pruned.
      freeAt = Number.NEGATIVE_INFINITY;
      minWait = 0;
      isExact = false;
    }
    this.#flags[slot] = (this.#flags[slot]! & DIRTY) | (isExact ? EXACT : 0);
    if (changesAt <= nowMs) {
      this.#volatile ??= new Set();
      this.#volatile.add(slot);
      changesAt = INFINITY;
    } else {
      this.#volatile?.delete(slot);
    }
    const room = available && hasRoom ? Math.min(tokenRoom, window) : -INFINITY;
    values[COLUMN.room] = room;
    values[COLUMN.busyWithRoom] = room >= 0 ? deployment.inFlight : INFINITY;
    values[COLUMN.busy] = available ? deployment.inFlight : INFINITY;
    values[COLUMN.changesAt] = changesAt;
    values[COLUMN.fit] = available ? window : -INFINITY;
    values[COLUMN.limit] = available ? Math.min(tokenLimit, window) : -INFINITY;
    values[COLUMN.freeAt] = available ? freeAt : INFINITY;
    values[COLUMN.minWait] = available ? minWait : INFINITY;
    values[COLUMN.window] = window;
    values[COLUMN.retryAt] = retryAt;
    this.#tree.set(slot, values);
  }

  // Applies what changed since the last decision: reported changes, then expired snapshots.
  #sync(nowMs: number): void {
    if (nowMs < this.#lastNowMs) {
      // The clock went back: snapshots taken later than now may not hold.
      for (let slot = 0; slot < this.#slots.length; slot++) this.#markDirty(slot);
    }
    this.#lastNowMs = nowMs;
    const dirty = this.#dirty;
    if (dirty.length > 0) {
      // Swapped out before refreshing: a refresh may itself report a change (none does today).
      this.#dirty = this.#spare;
      for (const slot of dirty) {
        this.#flags[slot]! &= ~DIRTY;
        this.#refresh(slot, nowMs);
      }
      dirty.length = 0;
      this.#spare = dirty;
    }
    if (this.#volatile?.size) {
      for (const slot of [...this.#volatile]) this.#refresh(slot, nowMs);
    }
    const tree = this.#tree;
    while (tree.root(COLUMN.changesAt) <= nowMs) {
      this.#refresh(tree.anyAtMost(COLUMN.changesAt, nowMs), nowMs);
    }
  }

  /**
   * Throws when no deployment of the group may take a request of `tokens` now.
   * @throws {ContextWindowExceededError} when no deployment's context window holds it
   * @throws {CircuitOpenError} when every deployment that would hold it is cooling down
   */
  checkRoutable(tokens: number, nowMs: number): void {
    this.#sync(nowMs);
    const tree = this.#tree;
    const largest = tree.root(COLUMN.window);
    if (tokens > largest) throw new ContextWindowExceededError(this.group, tokens, largest);
    if (tree.root(COLUMN.fit) < tokens) {
      throw new CircuitOpenError(this.group, tree.soonestRetry(tokens));
    }
  }

  /**
   * The strategy's pick for a request of `tokens` at `nowMs`, or the shortest wait when no
   * candidate has room. Call `picked` once the reservation is made.
   * @throws the errors of `checkRoutable`
   */
  decide(strategy: RoutingStrategy, tokens: number, nowMs: number): GroupDecision {
    this.checkRoutable(tokens, nowMs);
    this.#tokens = tokens;
    this.#nowMs = nowMs;
    const tree = this.#tree;
    let slot: number;
    if (strategy === "least-busy") {
      slot = tree.leastBusy(this.#cursor, tokens, this.#fits);
    } else {
      // first-available starts at the first deployment, the others where the rotation is.
      const from = strategy === "first-available" ? 0 : this.#cursor;
      slot = this.#firstFitting(from, this.#slots.length, tokens);
      if (slot < 0 && from > 0) slot = this.#firstFitting(0, from, tokens);
    }
    if (slot >= 0) return { slot, waitMs: 0 };
    return { slot: -1, waitMs: tree.shortestWait(tokens, nowMs, this.#waitOf) };
  }

  #firstFitting(from: number, to: number, tokens: number): number {
    const tree = this.#tree;
    for (let slot = tree.firstAtLeast(COLUMN.room, from, tokens); slot >= 0 && slot < to; ) {
      if (this.#fits(slot)) return slot;
      slot = tree.firstAtLeast(COLUMN.room, slot + 1, tokens);
    }
    return -1;
  }

  /** Moves the rotation past `slot`, the deployment just reserved in. */
  picked(slot: number): void {
    this.#cursor = slot + 1 < this.#slots.length ? slot + 1 : 0;
  }

  /**
   * Every deployment that may take `tokens` now, in the order the strategy would try them: from
   * the first (first-available), by fewest in flight (least-busy), else in rotation from the
   * cursor. For groups whose quota lives in a shared store, where room is only known by asking.
   * @throws the errors of `checkRoutable`
   */
  order(strategy: RoutingStrategy, tokens: number, nowMs: number): CandidateOrder<K> {
    this.checkRoutable(tokens, nowMs);
    const generation = this.#generation;
    const slots = this.#slots;
    const tree = this.#tree;
    const cursor = strategy === "first-available" ? 0 : this.#cursor;
    let interrupted = false;
    let nextSlot: () => number;
    if (strategy === "least-busy") {
      const walk = tree.byBusy(cursor, tokens);
      nextSlot = () => {
        const step = walk.next();
        return step.done ? -1 : step.value;
      };
    } else {
      // Two stretches: from the cursor to the end, then from the start up to the cursor.
      let position = cursor;
      let end = slots.length;
      let wrapped = false;
      nextSlot = () => {
        for (;;) {
          const slot = tree.firstAtLeast(COLUMN.fit, position, tokens);
          if (slot >= 0 && slot < end) {
            position = slot + 1;
            return slot;
          }
          if (wrapped || cursor === 0) return -1;
          wrapped = true;
          position = 0;
          end = cursor;
        }
      };
    }
    const index = this;
    return {
      next() {
        if (interrupted) return undefined;
        if (generation !== index.#generation) {
          interrupted = true;
          return undefined;
        }
        const slot = nextSlot();
        return slot < 0 ? undefined : { slot, deployment: slots[slot]! };
      },
      get interrupted() {
        return interrupted;
      },
    };
  }
}
