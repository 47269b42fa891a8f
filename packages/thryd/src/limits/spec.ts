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
}

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
