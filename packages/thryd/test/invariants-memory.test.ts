// Each limit of the in-memory limiter is the binding one in turn, checked where it matters: on
// the mock upstream's arrival log, over the real 2 s window the deployments are given.
//
// Known to bite: the "broken limiter" tests below run the same bursts through
// `withoutCheck(new MemoryRateLimitStore(), "rpm" | "tpm")` (test/rate-limit-invariant.ts), a
// store whose SlidingWindow never checks one of the limits, and require the very measure the
// invariant tests assert on to exceed that limit. Seen to fail: with the RPM check disabled the
// RPM-bound burst put all 50 requests into one window (limit 20); with the TPM check disabled
// the TPM-bound burst put all 20 requests, 10,320 tokens, into one window (limit 4,000) while
// staying far under its RPM. The correct limiter's busiest windows: 20 requests (RPM-bound) and
// 3,612 tokens (TPM-bound).
import { describe, expect, it } from "vitest";
import { countTokens, MemoryRateLimitStore } from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import {
  invariantBursts,
  largePrompt,
  largestUpstreamCharge,
  RPM_BOUND,
  TPM_BOUND,
  withoutCheck,
} from "./rate-limit-invariant.js";

const mock = useMockServer();
const bursts = invariantBursts(mock);

describe("Rate-limit invariant of the in-memory limiter, on the upstream's arrival log", () => {
  it("keeps an RPM-bound burst within the RPM in every 2 s window", async () => {
    const busiest = await bursts.rpmBound();
    expect(busiest.requests).toBeLessThanOrEqual(RPM_BOUND.rpm);
    // The RPM was what held the burst back: windows ran full, tokens stayed far below the TPM.
    expect(busiest.requests).toBeGreaterThan(RPM_BOUND.rpm / 2);
    expect(busiest.tokens).toBeLessThan(RPM_BOUND.tpm / 100);
  }, 60_000);

  it("keeps a TPM-bound burst of large prompts within the TPM in every 2 s window", async () => {
    // The premise: each reservation (prompt estimate plus max_completion_tokens) is at least
    // what the upstream then charges, as from a provider that honours the cap.
    const smallestEstimate = countTokens(largePrompt(0)) + TPM_BOUND.maxCompletionTokens;
    expect(smallestEstimate).toBeGreaterThanOrEqual(largestUpstreamCharge());

    const busiest = await bursts.tpmBound();
    expect(busiest.tokens).toBeLessThanOrEqual(TPM_BOUND.tpm);
    // The TPM was what held the burst back: windows ran half full at least, the RPM far away.
    expect(busiest.tokens).toBeGreaterThan(TPM_BOUND.tpm / 2);
    expect(busiest.requests).toBeLessThan(TPM_BOUND.rpm / 10);
  }, 60_000);
});

describe("The same checks against a deliberately broken in-memory limiter", () => {
  it("finds more than the RPM in one window when the RPM check is disabled", async () => {
    const busiest = await bursts.rpmBound(withoutCheck(new MemoryRateLimitStore(), "rpm"));
    expect(busiest.requests).toBeGreaterThan(RPM_BOUND.rpm);
  }, 60_000);

  it("finds more than the TPM in one window when the TPM check is disabled", async () => {
    const busiest = await bursts.tpmBound(withoutCheck(new MemoryRateLimitStore(), "tpm"));
    expect(busiest.tokens).toBeGreaterThan(TPM_BOUND.tpm);
    expect(busiest.requests).toBeLessThanOrEqual(TPM_BOUND.rpm);
  }, 60_000);
});
