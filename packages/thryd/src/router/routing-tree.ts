/** Columns of a {@link RoutingTree}: one value per deployment, aggregated per subtree. */
export const COLUMN = {
  /** Max. Tokens the deployment may take now (upper bound); -Infinity: no request fits. */
  room: 0,
  /** Min. In-flight count of a deployment with room for some request; Infinity otherwise. */
  busyWithRoom: 1,
  /** Min. In-flight count of an available deployment; Infinity otherwise. */
  busy: 2,
  /** Min. Epoch ms when the values may change without a notification. */
  changesAt: 3,
  /** Max. Context window of an available deployment (Infinity: none); -Infinity otherwise. */
  fit: 4,
  /** Max. Largest request an available deployment may ever take; -Infinity otherwise. */
  limit: 5,
  /** Min. `freeAtMs` of an available deployment's wait bound; Infinity otherwise. */
  freeAt: 6,
  /** Min. `minWaitMs` of an available deployment's wait bound; Infinity otherwise. */
  minWait: 7,
  /** Max. Context window of every deployment (Infinity: none). */
  window: 8,
  /** Min. When an unavailable deployment's circuit may be tried again; Infinity otherwise. */
  retryAt: 9,
} as const;

const COLUMNS = 10;
const IS_MAX = [true, false, false, false, true, true, false, false, true, false];
/** The value of a column for a slot without a deployment: never picked, never a bound. */
const EMPTY = IS_MAX.map((isMax) => (isMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY));

/**
 * A segment tree over the slots of a group: each column keeps its per-slot value at a leaf and
 * the max (or min) of each subtree at the inner nodes, so that "the first slot from here with
 * room for this request" or "the least busy slot with room" is found in O(log n) instead of a
 * scan. Searches that need more than one column prune with the aggregates and confirm each slot
 * they would return with the caller's exact check.
 */
export class RoutingTree {
  /** Leaves: a power of two, at least the slot count. */
  readonly size: number;
  // Node-major: the columns of node k are `values[k * COLUMNS + column]`, side by side.
  readonly #values: Float64Array;
  #best = 0;
  #bestSlot = -1;

  constructor(capacity: number) {
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.#values = new Float64Array(2 * size * COLUMNS);
    for (let node = 0; node < 2 * size; node++) this.#values.set(EMPTY, node * COLUMNS);
  }

  #get(column: number, node: number): number {
    return this.#values[node * COLUMNS + column]!;
  }

  /** The value of `column` for all slots together (the root). */
  root(column: number): number {
    return this.#get(column, 1);
  }

  /** The value of `column` at `slot`. */
  at(column: number, slot: number): number {
    return this.#get(column, this.size + slot);
  }

  /** Sets every column of `slot` (`values` has one entry per column) and updates its ancestors. */
  set(slot: number, values: ArrayLike<number>): void {
    const data = this.#values;
    let node = this.size + slot;
    for (let column = 0; column < COLUMNS; column++)
      data[node * COLUMNS + column] = values[column]!;
    for (node >>= 1; node >= 1; node >>= 1) {
      const at = node * COLUMNS;
      const left = 2 * at;
      const right = left + COLUMNS;
      for (let column = 0; column < COLUMNS; column++) {
        const a = data[left + column]!;
        const b = data[right + column]!;
        data[at + column] = IS_MAX[column] ? Math.max(a, b) : Math.min(a, b);
      }
    }
  }

  /** Empties `slot`. */
  clear(slot: number): void {
    this.set(slot, EMPTY);
  }

  /** The first slot at or after `from` whose value in a max `column` is at least `threshold`; -1 if none. */
  firstAtLeast(column: number, from: number, threshold: number): number {
    if (from >= this.size) return -1;
    let node = this.size + from;
    while (this.#get(column, node) < threshold) {
      // Up while this is a right child, then over to the right sibling: the next range of slots.
      while (node & 1) node >>= 1;
      if (node === 0) return -1;
      node++;
    }
    while (node < this.size) {
      node = this.#get(column, 2 * node) >= threshold ? 2 * node : 2 * node + 1;
    }
    return node - this.size;
  }

  /** Some slot whose value in a min `column` is at most `threshold`; -1 if none. */
  anyAtMost(column: number, threshold: number): number {
    if (this.#get(column, 1) > threshold) return -1;
    let node = 1;
    while (node < this.size) {
      node = this.#get(column, 2 * node) <= threshold ? 2 * node : 2 * node + 1;
    }
    return node - this.size;
  }

  /**
   * The slot with room for `tokens` and the fewest requests in flight that `accept` confirms;
   * ties go to the first in rotation from `from`. -1 if none.
   */
  leastBusy(from: number, tokens: number, accept: (slot: number) => boolean): number {
    this.#best = Number.POSITIVE_INFINITY;
    this.#bestSlot = -1;
    this.#searchBusy(1, 0, this.size, from, this.size, tokens, accept);
    // Before `from` only a strictly smaller count wins: later in the rotation.
    if (from > 0) this.#searchBusy(1, 0, this.size, 0, from, tokens, accept);
    return this.#bestSlot;
  }

  #searchBusy(
    node: number,
    low: number,
    high: number,
    from: number,
    to: number,
    tokens: number,
    accept: (slot: number) => boolean,
  ): void {
    if (high <= from || low >= to) return;
    if (this.#get(COLUMN.room, node) < tokens) return;
    const busy = this.#get(COLUMN.busyWithRoom, node);
    if (busy >= this.#best) return;
    if (node >= this.size) {
      if (accept(node - this.size)) {
        this.#best = busy;
        this.#bestSlot = node - this.size;
      }
      return;
    }
    const middle = (low + high) >> 1;
    this.#searchBusy(2 * node, low, middle, from, to, tokens, accept);
    this.#searchBusy(2 * node + 1, middle, high, from, to, tokens, accept);
  }

  /**
   * The smallest `evaluate(slot)` over slots that may take `tokens` (the `limit` column), pruning
   * subtrees whose wait bound at `nowMs` cannot beat the best so far. `evaluate` must return at
   * least the slot's bound. Infinity when none.
   */
  shortestWait(tokens: number, nowMs: number, evaluate: (slot: number) => number): number {
    this.#best = Number.POSITIVE_INFINITY;
    this.#searchWait(1, tokens, nowMs, evaluate);
    return this.#best;
  }

  #waitBound(node: number, nowMs: number): number {
    const freeIn = this.#get(COLUMN.freeAt, node) - nowMs;
    const minWait = this.#get(COLUMN.minWait, node);
    const untilFree = Math.max(freeIn, 1);
    return Math.min(untilFree, minWait);
  }

  #searchWait(node: number, tokens: number, nowMs: number, evaluate: (slot: number) => number) {
    if (this.#get(COLUMN.limit, node) < tokens) return;
    if (this.#waitBound(node, nowMs) >= this.#best) return;
    if (node >= this.size) {
      const waitMs = evaluate(node - this.size);
      if (waitMs < this.#best) this.#best = waitMs;
      return;
    }
    // The more promising child first, so that the other is more often pruned.
    const left = 2 * node;
    const first = this.#waitBound(left + 1, nowMs) < this.#waitBound(left, nowMs) ? left + 1 : left;
    this.#searchWait(first, tokens, nowMs, evaluate);
    this.#searchWait(first === left ? left + 1 : left, tokens, nowMs, evaluate);
  }

  /** The smallest `retryAt` among slots whose context window holds `tokens`; Infinity if none. */
  soonestRetry(tokens: number): number {
    this.#best = Number.POSITIVE_INFINITY;
    this.#searchRetry(1, tokens);
    return this.#best;
  }

  #searchRetry(node: number, tokens: number): void {
    if (this.#get(COLUMN.window, node) < tokens) return;
    const retryAt = this.#get(COLUMN.retryAt, node);
    if (retryAt >= this.#best) return;
    if (node >= this.size) {
      this.#best = retryAt;
      return;
    }
    this.#searchRetry(2 * node, tokens);
    this.#searchRetry(2 * node + 1, tokens);
  }

  /**
   * Slots whose `fit` holds `tokens`, by fewest requests in flight (the `busy` column), ties in
   * rotation from `from`: a best-first walk that costs O(log n) per slot taken.
   */
  *byBusy(from: number, tokens: number): Generator<number, void, undefined> {
    const busyOf = (node: number) => this.#get(COLUMN.busy, node);
    const fitOf = (node: number) => this.#get(COLUMN.fit, node);
    const size = this.size;
    // Rank: position in the rotation of the first slot under a node (a bound for all of them).
    const rankOf = (low: number) => (low >= from ? low - from : low + size - from);
    const heap = new NodeHeap();
    // Nodes that cover [from, size) and [0, from) exactly: each is wholly on one side.
    const cover = (node: number, low: number, high: number, start: number, end: number) => {
      if (high <= start || low >= end || fitOf(node) < tokens) return;
      if (start <= low && high <= end) {
        heap.push(busyOf(node), rankOf(low), node, low);
        return;
      }
      const middle = (low + high) >> 1;
      cover(2 * node, low, middle, start, end);
      cover(2 * node + 1, middle, high, start, end);
    };
    cover(1, 0, size, from, size);
    cover(1, 0, size, 0, from);
    while (heap.length > 0) {
      const { node, low } = heap.pop();
      if (node >= size) {
        yield node - size;
        continue;
      }
      const middle = low + (size >> (31 - Math.clz32(node) + 1));
      for (const [child, childLow] of [
        [2 * node, low],
        [2 * node + 1, middle],
      ] as const) {
        if (fitOf(child) >= tokens) heap.push(busyOf(child), rankOf(childLow), child, childLow);
      }
    }
  }
}

// A binary min-heap of tree nodes keyed by (busy, rank).
class NodeHeap {
  readonly #items: { busy: number; rank: number; node: number; low: number }[] = [];

  get length(): number {
    return this.#items.length;
  }

  push(busy: number, rank: number, node: number, low: number): void {
    const items = this.#items;
    items.push({ busy, rank, node, low });
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#less(index, parent)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }

  pop(): { node: number; low: number } {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        let smallest = index;
        if (left < items.length && this.#less(left, smallest)) smallest = left;
        if (left + 1 < items.length && this.#less(left + 1, smallest)) smallest = left + 1;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest]!, items[index]!];
        index = smallest;
      }
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const left = this.#items[a]!;
    const right = this.#items[b]!;
    return left.busy < right.busy || (left.busy === right.busy && left.rank < right.rank);
  }
}
