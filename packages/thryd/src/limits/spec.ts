import type { Reservation, WindowUsage } from "./sliding-window.js";

/** The limits and window shape a {@link RateLimitStore} is asked to enforce for one key. */
export interface RateLimits {
  /** Requests allowed per window. Unset: unlimited. */
  rpm?: number;
  /** Tokens allowed per window. Unset: unlimited. */
  tpm?: number;
  /** Length of one bucket, in milliseconds. */
  bucketSizeMs: number;
  /** Buckets in the window; the window is `bucketSizeMs * bucketCount` long. */
  bucketCount: number;
}

/**
 * A limiter whose decisions are synchronous (in-process state). {@link SlidingWindow} is the
 * reference implementation. Times are milliseconds from the router's clock.
 *
 * The contract every limiter keeps: check and reserve are one step, so two callers cannot both
 * take the last slot; a reserved request counts from dispatch until one whole window after its
 * answer and never expires while in flight; `reconcile` charges it with the actual tokens at the
 * answer's time; `release` gives back a request that was never answered.
 */
export interface RateLimiter {
  /** Absent or `false`: every method returns its result directly. */
  readonly isAsync?: false;
  /** Requests and tokens counted in the window now, requests in flight included. */
  usage(nowMs: number): WindowUsage;
  /** Milliseconds until one more request of `tokens` fits: 0 now, `Infinity` never. */
  waitMs(tokens: number, nowMs: number): number;
  /** Reserves one request and `tokens` if they fit now; otherwise returns the wait in ms. */
  tryReserve(tokens: number, nowMs: number): Reservation | number;
  /** Charges an answered request with its actual tokens; again on a settled one, fixes tokens. */
  reconcile(reservation: Reservation, actualTokens: number, nowMs: number): void;
  /** Gives back a reservation whose request was never answered (aborted or timed out). */
  release(reservation: Reservation): void;
  /**
   * Optional, with `watch`: what the limiter allows at `nowMs`, so that the router can route a
   * large group without asking every limiter on every request. Without it (or `watch`) the
   * router asks `waitMs` of every deployment of the group on every request.
   */
  snapshot?(nowMs: number): LimiterSnapshot;
  /**
   * Optional, with `snapshot`: calls `watcher.limiterChanged()` after every change that can
   * alter a snapshot (a reservation, a reconcile, a release). The watcher is held weakly: keep
   * a reference to it as long as it should be called. Returns a function that stops the calls.
   */
  watch?(watcher: LimiterWatcher): () => void;
}

/**
 * What a limiter allows at one instant. It stays true, without a call to the limiter, until
 * `validUntilMs` (then the router takes a new one). Bounds may be loose but never wrong: the
 * router checks a deployment with `waitMs` before it picks it, and uses the bounds only to skip
 * deployments that cannot win.
 */
export interface LimiterSnapshot {
  /** `false` only when no request fits now, whatever its tokens. */
  hasRoom: boolean;
  /** No request of more tokens than this fits now; `Infinity` without a TPM limit. */
  tokenRoom: number;
  /** No request of more tokens than this ever fits (the TPM); `Infinity` without one. */
  tokenLimit: number;
  /**
   * Epoch ms after `nowMs` when the snapshot may stop being true without a call (usage leaves
   * the window); `Infinity` when only a call changes it.
   */
  validUntilMs: number;
  /**
   * With `minWaitMs`, a lower bound of every wait `waitMs` can report before `validUntilMs`:
   * at any `t`, a request that does not fit waits at least `min(max(1, freeAtMs - t), minWaitMs)`.
   * `Infinity` for either leaves the bound to the other.
   */
  freeAtMs: number;
  /** See `freeAtMs`; a wait in ms that does not shrink as time passes. */
  minWaitMs: number;
  /**
   * `true` when `hasRoom` and `tokenRoom` are exact for whole-number requests: one of `n`
   * tokens fits exactly when `hasRoom && n <= tokenRoom`. The router then skips its `waitMs`
   * check. Absent or `false`: they are bounds.
   */
  isExact?: boolean;
}

/** Told by a {@link RateLimiter} that its usage changed. */
export interface LimiterWatcher {
  /** Called synchronously after each change; must not call back into the limiter. */
  limiterChanged(): void;
}

/**
 * A limiter whose state lives outside the process (e.g. Redis), so every decision is a round
 * trip. Same contract as {@link RateLimiter}; `tryReserve` must check and reserve atomically
 * across processes, and a reservation in flight must expire on its own after a bounded time so
 * that a crashed process cannot hold quota forever.
 */
export interface AsyncRateLimiter {
  /** Marks the limiter as asynchronous; the router then acquires through one round trip per candidate. */
  readonly isAsync: true;
  /**
   * Reserves one request and `tokens` if they fit now; otherwise resolves to the wait in ms
   * (`Infinity` when `tokens` exceeds the whole TPM).
   * @throws {RateLimitStoreError} when the store cannot be reached
   */
  tryReserve(tokens: number, nowMs: number): Promise<Reservation | number>;
  /** Charges an answered request with its actual tokens, as {@link RateLimiter.reconcile}. */
  reconcile(reservation: Reservation, actualTokens: number, nowMs: number): Promise<void>;
  /** Gives back a reservation whose request was never answered. */
  release(reservation: Reservation, nowMs: number): Promise<void>;
  /**
   * Optional: reserves in the first of several limiters with room in one round trip. The
   * router tries the deployments of a group whose limiters share one `batch` together, in the
   * strategy's order, instead of one round trip per deployment.
   */
  readonly batch?: ReserveBatcher;
}

/** Reserves in the first of several limiters with room, in one atomic step. */
export interface ReserveBatcher {
  /**
   * Tries `limiters` (each with this object as its `batch`) in order and reserves one request
   * and `tokens` in the first with room, atomically. Resolves to that limiter's index and the
   * reservation, or to index -1 and the shortest wait of them all (`Infinity`: none ever fits).
   * @throws {RateLimitStoreError} when the store cannot be reached
   */
  tryReserveFirst(
    limiters: readonly AsyncRateLimiter[],
    tokens: number,
    nowMs: number,
  ): Promise<BatchReservation>;
}

/** What {@link ReserveBatcher.tryReserveFirst} resolves to. */
export type BatchReservation =
  | { index: number; reservation: Reservation }
  | { index: -1; waitMs: number };

/**
 * Where deployments keep their RPM/TPM accounting. Deployments given the same store and the same
 * key share one quota, in this process or (for a shared store such as Redis) across processes
 * and machines. The default is in-process memory.
 */
export interface RateLimitStore {
  /** Short name for logs, e.g. `"memory"` or `"redis"`. */
  readonly name: string;
  /**
   * The limiter of `key` with these limits. Every process sharing a key must use the same
   * limits and window.
   */
  limiter(key: string, limits: RateLimits): RateLimiter | AsyncRateLimiter;
  /** Releases connections the store opened itself. */
  close?(): Promise<void>;
}
