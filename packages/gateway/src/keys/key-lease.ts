import type { Reservation } from "@fabricatio/thryd";
import { KeyRateLimitError } from "../errors/limit-errors.js";
import { sleep } from "./sleep.js";
import type { SpendLedger } from "./spend-ledger.js";
import type { GatewayKey, LeaseOptions } from "./types.js";

/**
 * One request's hold on its key: the RPM slot it took and the budget it will be charged to.
 * `settle` is called exactly once, when the request ends.
 */
export class KeyLease {
  readonly #key: GatewayKey | undefined;
  readonly #ledger: SpendLedger | undefined;
  readonly #reservation: Reservation | undefined;
  readonly #now: () => number;
  #settled = false;

  constructor(
    key?: GatewayKey,
    ledger?: SpendLedger,
    reservation?: Reservation,
    now: () => number = Date.now,
  ) {
    this.#key = key;
    this.#ledger = ledger;
    this.#reservation = reservation;
    this.#now = now;
  }

  /**
   * Ends the hold: an answered request keeps its RPM slot (for one window) and is charged its
   * cost; one that never produced an answer (cancelled, failed before the first byte) gives the
   * slot back. Never throws: a failed shared-store write is returned for the caller to log.
   */
  async settle(outcome: { answered: boolean; costUsd?: number }): Promise<unknown> {
    if (this.#settled || !this.#key) return undefined;
    this.#settled = true;
    const key = this.#key;
    const nowMs = this.#now();
    try {
      const reservation = this.#reservation;
      if (key.limiter && reservation) {
        if (outcome.answered) await key.limiter.reconcile(reservation, 0, nowMs);
        else if (key.limiter.isAsync) await key.limiter.release(reservation, nowMs);
        else key.limiter.release(reservation);
      }
      if (key.budget && this.#ledger && outcome.costUsd) {
        await this.#ledger.record(key.name, key.budget, outcome.costUsd, nowMs);
      }
      return undefined;
    } catch (error) {
      return error;
    }
  }
}

/** The lease of a key with neither RPM nor budget: settling it does nothing. */
export const NO_LEASE = new KeyLease();

/** Checks the key's budget, then reserves one request of its RPM, waiting for room up to `maxWaitMs`. */
export async function openLease(
  key: GatewayKey,
  ledger: SpendLedger,
  { now, maxWaitMs, signal }: LeaseOptions,
): Promise<KeyLease> {
  if (key.budget) await ledger.check(key.name, key.budget, now());
  const limiter = key.limiter;
  if (!limiter) return new KeyLease(key, ledger, undefined, now);
  const deadline = now() + maxWaitMs;
  for (;;) {
    const nowMs = now();
    const reserved = limiter.isAsync
      ? await limiter.tryReserve(0, nowMs)
      : limiter.tryReserve(0, nowMs);
    if (typeof reserved !== "number") return new KeyLease(key, ledger, reserved, now);
    if (nowMs + reserved > deadline) throw new KeyRateLimitError(key.name, reserved);
    await sleep(Math.max(1, reserved), signal);
  }
}
