import { SecretStr } from "@fabricatio/config";
import { describe, expect, it } from "vitest";
import { KeyRateLimitError } from "../errors/limit-errors.js";
import { GatewayAuthError } from "../errors/request-errors.js";
import { ANONYMOUS_KEY, defaultKeyName, KeyRing } from "./key-ring.js";
import { MemorySpendLedger } from "./memory-spend-ledger.js";

const entry = (key: string, extra: Record<string, unknown> = {}) => ({
  key: new SecretStr(key),
  budget_period_s: 86_400,
  ...extra,
});

describe("KeyRing", () => {
  it("lets anyone in as the anonymous key when no key is configured", () => {
    const ring = new KeyRing({ keys: [], ledger: new MemorySpendLedger({}) });
    expect(ring.isRequired).toBe(false);
    expect(ring.authenticate(undefined)).toBe(ANONYMOUS_KEY);
  });

  it("finds the matching key by digest and names an unnamed one by its hash", () => {
    const keys = [entry("first-key-0123456789", { name: "first" }), entry("second-key-0123456789")];
    const ring = new KeyRing({ keys, ledger: new MemorySpendLedger({}) });
    expect(ring.authenticate("first-key-0123456789").name).toBe("first");
    const second = ring.authenticate("second-key-0123456789");
    expect(second.name).toBe(defaultKeyName("second-key-0123456789"));
    expect(second.name).toMatch(/^key-[0-9a-f]{12}$/);
    expect(() => ring.authenticate("first-key-012345678")).toThrow(GatewayAuthError);
    expect(() => ring.authenticate(undefined)).toThrow(GatewayAuthError);
  });

  it("refuses a request past the key's RPM with the wait, and gives a released slot back", async () => {
    const ring = new KeyRing({
      keys: [entry("limited-key-0123456789", { name: "l", rpm: 1 })],
      ledger: new MemorySpendLedger({}),
    });
    const key = ring.authenticate("limited-key-0123456789");
    let nowMs = 1_000_000;
    const options = { now: () => nowMs, maxWaitMs: 0 };
    const lease = await ring.lease(key, options);
    await expect(Promise.resolve(ring.lease(key, options))).rejects.toBeInstanceOf(
      KeyRateLimitError,
    );
    await lease.settle({ answered: false });
    const again = await ring.lease(key, options);
    await again.settle({ answered: true });
    nowMs += 1000;
    const error = await Promise.resolve(ring.lease(key, options)).catch((caught) => caught);
    expect(error).toBeInstanceOf(KeyRateLimitError);
    expect((error as KeyRateLimitError).retryAfterMs).toBeGreaterThan(50_000);
  });
});
