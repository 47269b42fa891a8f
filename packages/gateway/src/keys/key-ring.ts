import { createHash, timingSafeEqual } from "node:crypto";
import type { GatewayKeyConfig } from "@fabricatio/config";
import { BUCKET_COUNT, MINUTE_MS } from "@fabricatio/constants";
import { type RateLimitStore, SlidingWindow } from "@fabricatio/thryd";
import { GatewayAuthError } from "../errors/request-errors.js";
import { type KeyLease, NO_LEASE, openLease } from "./key-lease.js";
import type { KeyBudget, SpendLedger } from "./spend-ledger.js";
import type { GatewayKey, LeaseOptions } from "./types.js";

/** The caller when no key is configured: no limits, every group. */
export const ANONYMOUS_KEY: GatewayKey = Object.freeze({
  name: "anonymous",
  groups: undefined,
  limiter: undefined,
  budget: undefined,
});

/** Options of {@link KeyRing}. */
export interface KeyRingOptions {
  /** The configured keys (`gateway.keys`). */
  keys: readonly GatewayKeyConfig[];
  /** Where each key's RPM lives; a shared store (Redis) shares it between gateways. @default memory */
  store?: RateLimitStore;
  /** Where each key's spending lives. */
  ledger: SpendLedger;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** The name a key without one gets: stable across processes, revealing nothing usable. */
export function defaultKeyName(key: string): string {
  return `key-${digest(key).toString("hex").slice(0, 12)}`;
}

/**
 * The configured caller keys: authenticates a request's bearer token in constant time (every
 * key's SHA-256 digest is compared with `timingSafeEqual`, with no early exit) and takes a
 * request slot under the key's RPM and budget.
 */
export class KeyRing {
  readonly #entries: { digest: Buffer; key: GatewayKey }[];
  readonly #ledger: SpendLedger;

  constructor({ keys, store, ledger }: KeyRingOptions) {
    this.#ledger = ledger;
    this.#entries = keys.map((entry) => {
      const value = entry.key.getSecretValue();
      const name = entry.name ?? defaultKeyName(value);
      const limits = {
        rpm: entry.rpm,
        bucketCount: BUCKET_COUNT,
        bucketSizeMs: MINUTE_MS / BUCKET_COUNT,
      };
      const limiter =
        entry.rpm === undefined
          ? undefined
          : store
            ? store.limiter(`gateway:key:${name}`, limits)
            : new SlidingWindow(limits);
      return {
        digest: digest(value),
        key: {
          name,
          groups: entry.groups ? new Set(entry.groups) : undefined,
          limiter,
          budget:
            entry.budget_usd === undefined
              ? undefined
              : { limitUsd: entry.budget_usd, periodMs: entry.budget_period_s * 1000 },
        },
      };
    });
  }

  /** Whether callers must present a key (at least one is configured). */
  get isRequired(): boolean {
    return this.#entries.length > 0;
  }

  /** The budgets of the keys that have one, by name (for a {@link MemorySpendLedger}). */
  static budgetsOf(keys: readonly GatewayKeyConfig[]): Record<string, KeyBudget> {
    const budgets: Record<string, KeyBudget> = {};
    for (const entry of keys) {
      if (entry.budget_usd === undefined) continue;
      const name = entry.name ?? defaultKeyName(entry.key.getSecretValue());
      budgets[name] = { limitUsd: entry.budget_usd, periodMs: entry.budget_period_s * 1000 };
    }
    return budgets;
  }

  /**
   * The key of an `Authorization: Bearer <key>` (or `x-api-key`) header value; with no key
   * configured, {@link ANONYMOUS_KEY} whatever is sent.
   * @throws {GatewayAuthError} when keys are configured and the header is missing or matches none
   */
  authenticate(token: string | undefined): GatewayKey {
    if (this.#entries.length === 0) return ANONYMOUS_KEY;
    if (!token) {
      throw new GatewayAuthError(
        "Missing API key: send it as `Authorization: Bearer <key>` (a key of [gateway] keys)",
      );
    }
    const presented = digest(token);
    let found: GatewayKey | undefined;
    for (const entry of this.#entries) {
      // Every entry is compared, so the time taken does not say which one matched.
      if (timingSafeEqual(entry.digest, presented) && !found) found = entry.key;
    }
    if (!found) throw new GatewayAuthError("Incorrect API key provided");
    return found;
  }

  /**
   * Takes one request of `key`'s RPM (waiting up to `maxWaitMs` for room) after checking its
   * budget. Settle the lease once the request ends.
   * @throws {KeyRateLimitError} | {KeyBudgetExceededError} | {AbortedError} |
   * {RateLimitStoreError}
   */
  lease(key: GatewayKey, options: LeaseOptions): Promise<KeyLease> | KeyLease {
    if (!key.limiter && !key.budget) return NO_LEASE;
    return openLease(key, this.#ledger, options);
  }
}
