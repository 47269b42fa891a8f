// Each limit of the Redis rate-limit store is the binding one in turn, checked on the mock
// upstream's arrival log over the real 2 s window. Requests are dated by the Redis server's
// clock (the default), the arrival log by this process's: one machine, one clock.
//
// Known to bite: the "broken limiter" tests below run the same bursts through
// `withoutCheck(new RedisRateLimitStore(…), "rpm" | "tpm")` (test/rate-limit-invariant.ts), whose
// Lua script is then never given one of the limits, and require the very measure the invariant
// tests assert on to exceed that limit. Seen to fail: with the RPM check disabled the RPM-bound
// burst put all 50 requests into one window (limit 20); with the TPM check disabled the
// TPM-bound burst put all 20 requests, 10,320 tokens, into one window (limit 4,000) while
// staying far under its RPM.
import { afterEach, describe, expect, it } from "vitest";
import { countTokens, RedisRateLimitStore } from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import {
  invariantBursts,
  largePrompt,
  largestUpstreamCharge,
  RPM_BOUND,
  TPM_BOUND,
  withoutCheck,
} from "./rate-limit-invariant.js";
import { useRedisServer } from "./redis-server.js";

const mock = useMockServer();
const redis = useRedisServer();
const bursts = invariantBursts(mock);

// A store per test, on a key space of its own, closed after the test.
let stores: RedisRateLimitStore[] = [];
let prefixes = 0;
function store() {
  const made = new RedisRateLimitStore({ url: redis().url, prefix: `invariant:${prefixes++}:` });
  stores.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(stores.map((made) => made.close()));
  stores = [];
});

describe("Rate-limit invariant of the Redis store, on the upstream's arrival log", () => {
  it("keeps an RPM-bound burst within the RPM in every 2 s window", async () => {
    const busiest = await bursts.rpmBound(store());
    expect(busiest.requests).toBeLessThanOrEqual(RPM_BOUND.rpm);
    expect(busiest.requests).toBeGreaterThan(RPM_BOUND.rpm / 2);
    expect(busiest.tokens).toBeLessThan(RPM_BOUND.tpm / 100);
  }, 60_000);

  it("keeps a TPM-bound burst of large prompts within the TPM in every 2 s window", async () => {
    const smallestEstimate = countTokens(largePrompt(0)) + TPM_BOUND.maxCompletionTokens;
    expect(smallestEstimate).toBeGreaterThanOrEqual(largestUpstreamCharge());

    const busiest = await bursts.tpmBound(store());
    expect(busiest.tokens).toBeLessThanOrEqual(TPM_BOUND.tpm);
    expect(busiest.tokens).toBeGreaterThan(TPM_BOUND.tpm / 2);
    expect(busiest.requests).toBeLessThan(TPM_BOUND.rpm / 10);
  }, 60_000);
});

describe("The same checks against a deliberately broken Redis limiter", () => {
  it("finds more than the RPM in one window when the RPM check is disabled", async () => {
    const busiest = await bursts.rpmBound(withoutCheck(store(), "rpm"));
    expect(busiest.requests).toBeGreaterThan(RPM_BOUND.rpm);
  }, 60_000);

  it("finds more than the TPM in one window when the TPM check is disabled", async () => {
    const busiest = await bursts.tpmBound(withoutCheck(store(), "tpm"));
    expect(busiest.tokens).toBeGreaterThan(TPM_BOUND.tpm);
    expect(busiest.requests).toBeLessThanOrEqual(TPM_BOUND.rpm);
  }, 60_000);
});
