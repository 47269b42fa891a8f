import type { AsyncRateLimiter, RateLimiter } from "@fabricatio/thryd";
import type { KeyBudget } from "./spend-ledger.js";

/** One caller key as the gateway holds it: never its value, only its digest. */
export interface GatewayKey {
  /** The key's name (`gateway.keys[].name`, or `key-<first 12 hex of its SHA-256>`). */
  readonly name: string;
  /** Groups it may call; `undefined`: every group. */
  readonly groups: ReadonlySet<string> | undefined;
  /** Its requests-per-minute limiter, when it has an `rpm`. */
  readonly limiter: RateLimiter | AsyncRateLimiter | undefined;
  /** Its budget, when it has a `budget_usd`. */
  readonly budget: KeyBudget | undefined;
}

/** Options of {@link KeyRing.lease}. */
export interface LeaseOptions {
  now: () => number;
  /** Longest wait for the key's RPM room, in ms; longer fails with `KeyRateLimitError`. */
  maxWaitMs: number;
  /** Cancels the wait; the slot, if taken, is given back. */
  signal?: AbortSignal;
}
