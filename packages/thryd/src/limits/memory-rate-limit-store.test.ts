import { describe, expect, it } from "vitest";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { DummyModel } from "../models/dummy-model.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { createCompletionRouter } from "../router/router.js";
import { MemoryRateLimitStore } from "./memory-rate-limit-store.js";
import { SlidingWindow } from "./sliding-window.js";

describe("MemoryRateLimitStore", () => {
  it("gives one key one window and other keys their own", () => {
    const store = new MemoryRateLimitStore();
    const limits = { rpm: 1, bucketSizeMs: 1000, bucketCount: 60 };
    const first = store.limiter("a", limits);
    expect(first).toBeInstanceOf(SlidingWindow);
    expect(store.limiter("a", limits)).toBe(first);
    expect(store.limiter("b", limits)).not.toBe(first);
  });

  it("lets two deployments with the same storeKey share one quota, synchronously", async () => {
    const store = new MemoryRateLimitStore();
    const provider = new DummyProvider();
    const router = createCompletionRouter({ strategy: "first-available" });
    const models = ["a", "b"].map((name) => new DummyModel({ kind: "completion", provider, name }));
    for (const model of models) {
      model.respond("ok");
      router.addDeployment("g", model, { rpm: 1, store, storeKey: "shared-account" });
    }
    const [a, b] = router.getGroup("g");
    // Both are in-memory: the router keeps its synchronous path.
    expect(a?.asyncLimiter).toBeUndefined();
    expect(a?.limiter).toBe(b?.limiter);
    await router.invoke("g", { message: "1" });
    await expect(router.invoke("g", { message: "2" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
    expect(models.map((model) => model.calls.length)).toEqual([1, 0]);
  });
});
