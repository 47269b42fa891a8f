import { BUCKET_COUNT, BUCKET_SIZE_S } from "@fabricatio/constants";
import { nextDown, nextUp } from "./float-steps.js";
import type { LimiterSnapshot, LimiterWatcher, RateLimiter } from "./spec.js";

/** Limits and window shape of a {@link SlidingWindow}. */
export interface SlidingWindowOptions {
  /** Requests allowed per window. Unset: unlimited. */
  rpm?: number;
  /** Tokens allowed per window. Unset: unlimited. */
  tpm?: number;
  /** Length of one bucket, in milliseconds. @default BUCKET_SIZE_S * 1000 */
  bucketSizeMs?: number;
  /** Buckets in the window. @default BUCKET_COUNT */
  bucketCount?: number;
}

/** A reservation made by {@link SlidingWindow.tryReserve}, to reconcile or release later. */
export interface Reservation {
  /** Bucket of the dispatch, then of the answer once reconciled. */
  bucket: number;
  requests: number;
  tokens: number;
  /** Dispatched and not yet answered or released. */
  inFlight: boolean;
}

/** Requests and tokens counted in the current window. */
export interface WindowUsage {
  requests: number;
  tokens: number;
}

interface Slot {
  bucket: number;
  requests: number;
  tokens: number;
}

/**
 * RPM/TPM accounting over a sliding window of buckets. Times are milliseconds from the caller's
 * clock. Rules kept where the original broke them: a second request in a bucket adds to it;
 * bucket indices and the window are in the same unit; usage is reserved before dispatch; a bucket
 * leaves the window only once all of it is older than the window, so no continuous window of that
 * length ever holds more than the limits.
 *
 * A request counts from its dispatch until one window after its answer: while it is in flight it
 * is held apart from the buckets and never expires, and when it is answered it is charged to the
 * answer's bucket. The provider receives it somewhere in between, so a request delayed on its way
 * (a busy event loop, a slow network) cannot land in the same provider window as requests sent a
 * window later.
 */
export class SlidingWindow implements RateLimiter {
  readonly rpm: number;
  readonly tpm: number;
  readonly bucketSizeMs: number;
  readonly bucketCount: number;
  readonly #slots: Slot[];
  readonly #inFlight = { requests: 0, tokens: 0 };
  readonly #watchers: WeakRef<LimiterWatcher>[] = [];

  constructor(options: SlidingWindowOptions = {}) {
    this.rpm = options.rpm ?? Number.POSITIVE_INFINITY;
    this.tpm = options.tpm ?? Number.POSITIVE_INFINITY;
    this.bucketSizeMs = options.bucketSizeMs ?? BUCKET_SIZE_S * 1000;
    this.bucketCount = options.bucketCount ?? BUCKET_COUNT;
    // One extra slot: the oldest bucket still overlaps the window until it ends.
    this.#slots = Array.from({ length: this.bucketCount + 1 }, () => ({
      bucket: Number.NEGATIVE_INFINITY,
      requests: 0,
      tokens: 0,
    }));
  }

  /** Length of the window, in milliseconds. */
  get windowMs(): number {
    return this.bucketSizeMs * this.bucketCount;
  }

  #bucketAt(nowMs: number): number {
    return Math.floor(nowMs / this.bucketSizeMs);
  }

  /** Requests and tokens currently in the window, requests in flight included. */
  usage(nowMs: number): WindowUsage {
    const current = this.#bucketAt(nowMs);
    // A slot is live while its bucket is after `expired` and not after `current`.
    const expired = current - this.#slots.length;
    let requests = this.#inFlight.requests;
    let tokens = this.#inFlight.tokens;
    for (const slot of this.#slots) {
      if (slot.bucket <= expired || slot.bucket > current) continue;
      requests += slot.requests;
      tokens += slot.tokens;
    }
    return { requests, tokens };
  }

  /**
   * Milliseconds until one more request of `tokens` fits: 0 when it fits now, `Infinity` when
   * `tokens` exceeds the whole TPM.
   */
  waitMs(tokens: number, nowMs: number): number {
    if (tokens > this.tpm || this.rpm < 1) return Number.POSITIVE_INFINITY;
    const used = this.usage(nowMs);
    const excessRequests = used.requests + 1 - this.rpm;
    const excessTokens = used.tokens + tokens - this.tpm;
    if (excessRequests <= 0 && excessTokens <= 0) return 0;
    const bucket = this.#freeingBucket(excessRequests, excessTokens, nowMs);
    if (bucket !== undefined) {
      return Math.max(1, (bucket + this.#slots.length) * this.bucketSizeMs - nowMs);
    }
    return this.#fallbackWaitMs();
  }

  // The live bucket whose leaving the window frees enough, walking them oldest first; undefined
  // when even an empty window would not be enough.
  #freeingBucket(excessRequests: number, excessTokens: number, nowMs: number): number | undefined {
    const current = this.#bucketAt(nowMs);
    const length = this.#slots.length;
    for (let bucket = current - length + 1; bucket <= current; bucket++) {
      const slot = this.#slots[((bucket % length) + length) % length]!;
      if (slot.bucket !== bucket) continue;
      excessRequests -= slot.requests;
      excessTokens -= slot.tokens;
      if (excessRequests <= 0 && excessTokens <= 0) return bucket;
    }
    return undefined;
  }

  #fallbackWaitMs(): number {
    // What is still over comes from requests in flight. Answered now at the earliest, one of them
    // keeps counting for a whole window after its answer, so no room can free sooner.
    if (this.#inFlight.requests > 0) return this.windowMs;
    // Only reachable when the limits shrank below the live usage; retry after a full window.
    return this.windowMs + this.bucketSizeMs;
  }

  /**
   * What the window allows at `nowMs`, valid until its oldest live bucket leaves the window or
   * the next reservation, reconcile or release.
   */
  snapshot(nowMs: number): LimiterSnapshot {
    // `usage` and the oldest live bucket in one pass; sums in `usage`'s order, so that they
    // round alike.
    const current = this.#bucketAt(nowMs);
    const expired = current - this.#slots.length;
    const used = { requests: this.#inFlight.requests, tokens: this.#inFlight.tokens };
    let oldest = Number.POSITIVE_INFINITY;
    for (const slot of this.#slots) {
      if (slot.bucket <= expired || slot.bucket > current) continue;
      used.requests += slot.requests;
      used.tokens += slot.tokens;
      if (slot.bucket < oldest) oldest = slot.bucket;
    }
    const length = this.#slots.length;
    // Waits are reckoned from this product; the oldest bucket leaves at `#startOf` it.
    const oldestLeavesMs = (oldest + length) * this.bucketSizeMs;
    const validUntilMs = this.#startOf(oldest + length);
    if (this.rpm < 1) {
      const never = Number.POSITIVE_INFINITY;
      return {
        hasRoom: false,
        tokenRoom: -never,
        tokenLimit: -never,
        validUntilMs,
        freeAtMs: never,
        minWaitMs: never,
      };
    }
    const excessRequests = used.requests + 1 - this.rpm;
    const excessTokens = used.tokens - this.tpm;
    const fallbackMs = this.#fallbackWaitMs();
    if (excessRequests <= 0 && excessTokens <= 0) {
      // Whole numbers below 2^53 add and subtract exactly; otherwise a margin covers the
      // rounding of `used + tokens - tpm` in `waitMs`. A request that does not fit waits for a
      // bucket to leave (the oldest at the soonest) or for the fallback.
      const isExact =
        Number.isSafeInteger(used.tokens) &&
        (Number.isSafeInteger(this.tpm) || this.tpm === Number.POSITIVE_INFINITY);
      return {
        hasRoom: true,
        tokenRoom: this.tpm - used.tokens + (isExact ? 0 : Math.abs(this.tpm) * 2 ** -50),
        tokenLimit: this.tpm,
        validUntilMs,
        freeAtMs: oldestLeavesMs,
        minWaitMs: fallbackMs,
        isExact,
      };
    }
    // A request of more tokens walks at least as far; when the walk ends in the fallback, a
    // request in flight may make that shorter than the walk, hence `windowMs` as the floor.
    const bucket = this.#freeingBucket(excessRequests, excessTokens, nowMs);
    return {
      hasRoom: false,
      tokenRoom: Number.NEGATIVE_INFINITY,
      tokenLimit: this.tpm,
      validUntilMs,
      freeAtMs:
        bucket === undefined ? Number.POSITIVE_INFINITY : (bucket + length) * this.bucketSizeMs,
      minWaitMs:
        bucket === undefined
          ? fallbackMs
          : this.#inFlight.requests > 0
            ? this.windowMs
            : Number.POSITIVE_INFINITY,
    };
  }

  // The first time in `bucket` by this window's own reckoning (`floor(ms / bucketSizeMs)`),
  // which rounding can put a step or two away from `bucket * bucketSizeMs`.
  #startOf(bucket: number): number {
    if (!Number.isFinite(bucket)) return Number.POSITIVE_INFINITY;
    let startMs = bucket * this.bucketSizeMs;
    while (this.#bucketAt(startMs) < bucket) startMs = nextUp(startMs);
    for (let earlier = nextDown(startMs); this.#bucketAt(earlier) >= bucket; ) {
      startMs = earlier;
      earlier = nextDown(startMs);
    }
    return startMs;
  }

  /** Calls `watcher.limiterChanged()` after each reservation, reconcile and release. */
  watch(watcher: LimiterWatcher): () => void {
    const reference = new WeakRef(watcher);
    this.#watchers.push(reference);
    return () => {
      const index = this.#watchers.indexOf(reference);
      if (index >= 0) this.#watchers.splice(index, 1);
    };
  }

  #changed(): void {
    const watchers = this.#watchers;
    for (let index = 0; index < watchers.length; index++) {
      const watcher = watchers[index]!.deref();
      if (watcher) {
        watcher.limiterChanged();
      } else {
        // Its router is gone: forget it here rather than keep a shared window's list growing.
        watchers.splice(index--, 1);
      }
    }
  }

  /** Reserves one request and `tokens` if they fit now; otherwise returns the wait in ms. */
  tryReserve(tokens: number, nowMs: number): Reservation | number {
    const wait = this.waitMs(tokens, nowMs);
    if (wait > 0) return wait;
    this.#inFlight.requests += 1;
    this.#inFlight.tokens += tokens;
    this.#changed();
    return { bucket: this.#bucketAt(nowMs), requests: 1, tokens, inFlight: true };
  }

  #slotFor(bucket: number): Slot {
    const slot =
      this.#slots[((bucket % this.#slots.length) + this.#slots.length) % this.#slots.length]!;
    if (slot.bucket !== bucket) {
      slot.bucket = bucket;
      slot.requests = 0;
      slot.tokens = 0;
    }
    return slot;
  }

  /**
   * Settles a reservation with the actual token usage when the answer arrives: the request and
   * its tokens are charged to the answer's bucket. Called again on a settled reservation, it only
   * corrects the tokens (an excess goes to the current bucket, so it stays as long as possible).
   */
  reconcile(reservation: Reservation, actualTokens: number, nowMs: number): void {
    if (reservation.inFlight) {
      this.#leaveFlight(reservation);
      const bucket = this.#bucketAt(nowMs);
      const slot = this.#slotFor(bucket);
      slot.requests += reservation.requests;
      slot.tokens += actualTokens;
      reservation.bucket = bucket;
      reservation.tokens = actualTokens;
      this.#changed();
      return;
    }
    const delta = actualTokens - reservation.tokens;
    if (delta === 0) return;
    if (delta > 0) {
      this.#slotFor(this.#bucketAt(nowMs)).tokens += delta;
    } else {
      const slot = this.#slots.find((candidate) => candidate.bucket === reservation.bucket);
      if (slot) slot.tokens = Math.max(0, slot.tokens + delta);
    }
    reservation.tokens = actualTokens;
    this.#changed();
  }

  #leaveFlight(reservation: Reservation): void {
    this.#inFlight.requests = Math.max(0, this.#inFlight.requests - reservation.requests);
    this.#inFlight.tokens = Math.max(0, this.#inFlight.tokens - reservation.tokens);
    reservation.inFlight = false;
  }

  /** Gives back a reservation whose request was never answered (aborted or timed out). */
  release(reservation: Reservation): void {
    if (reservation.inFlight) {
      this.#leaveFlight(reservation);
    } else {
      const slot = this.#slots.find((candidate) => candidate.bucket === reservation.bucket);
      if (slot) {
        slot.requests = Math.max(0, slot.requests - reservation.requests);
        slot.tokens = Math.max(0, slot.tokens - reservation.tokens);
      }
    }
    reservation.requests = 0;
    reservation.tokens = 0;
    this.#changed();
  }
}
