import { BUCKET_COUNT, BUCKET_SIZE_S } from "@fabricatio/constants";

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
  readonly bucket: number;
  requests: number;
  tokens: number;
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
 */
export class SlidingWindow {
  readonly rpm: number;
  readonly tpm: number;
  readonly bucketSizeMs: number;
  readonly bucketCount: number;
  readonly #slots: Slot[];

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

  #isLive(slot: Slot, current: number): boolean {
    return slot.bucket > current - this.#slots.length && slot.bucket <= current;
  }

  /** Requests and tokens currently in the window. */
  usage(nowMs: number): WindowUsage {
    const current = this.#bucketAt(nowMs);
    let requests = 0;
    let tokens = 0;
    for (const slot of this.#slots) {
      if (!this.#isLive(slot, current)) continue;
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
    let excessRequests = used.requests + 1 - this.rpm;
    let excessTokens = used.tokens + tokens - this.tpm;
    if (excessRequests <= 0 && excessTokens <= 0) return 0;
    const current = this.#bucketAt(nowMs);
    const length = this.#slots.length;
    // Walk the live buckets oldest first until enough would have expired.
    for (let bucket = current - length + 1; bucket <= current; bucket++) {
      const slot = this.#slots[((bucket % length) + length) % length]!;
      if (slot.bucket !== bucket) continue;
      excessRequests -= slot.requests;
      excessTokens -= slot.tokens;
      if (excessRequests <= 0 && excessTokens <= 0) {
        return Math.max(1, (bucket + length) * this.bucketSizeMs - nowMs);
      }
    }
    // Only reachable when the limits shrank below the live usage; retry after a full window.
    return this.windowMs + this.bucketSizeMs;
  }

  /** Reserves one request and `tokens` if they fit now; otherwise returns the wait in ms. */
  tryReserve(tokens: number, nowMs: number): Reservation | number {
    const wait = this.waitMs(tokens, nowMs);
    if (wait > 0) return wait;
    const current = this.#bucketAt(nowMs);
    const slot = this.#slotFor(current);
    slot.requests += 1;
    slot.tokens += tokens;
    return { bucket: current, requests: 1, tokens };
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
   * Replaces a reservation's token count with the actual usage. When the actual count is larger,
   * the excess is charged to the current bucket, so it stays in the window as long as possible.
   */
  reconcile(reservation: Reservation, actualTokens: number, nowMs: number): void {
    const delta = actualTokens - reservation.tokens;
    if (delta === 0) return;
    if (delta > 0) {
      this.#slotFor(this.#bucketAt(nowMs)).tokens += delta;
    } else {
      const slot = this.#slots.find((candidate) => candidate.bucket === reservation.bucket);
      if (slot) slot.tokens = Math.max(0, slot.tokens + delta);
    }
    reservation.tokens = actualTokens;
  }

  /** Gives back a reservation whose request was never answered (aborted or timed out). */
  release(reservation: Reservation): void {
    const slot = this.#slots.find((candidate) => candidate.bucket === reservation.bucket);
    if (slot) {
      slot.requests = Math.max(0, slot.requests - reservation.requests);
      slot.tokens = Math.max(0, slot.tokens - reservation.tokens);
    }
    reservation.requests = 0;
    reservation.tokens = 0;
  }
}
