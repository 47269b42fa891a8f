import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../limits/sliding-window.js";
import type {
  AsyncRateLimiter,
  BatchReservation,
  RateLimitStore,
  RateLimits,
  ReserveBatcher,
} from "../limits/spec.js";
import { DummyModel } from "../models/dummy-model.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { createCompletionRouter } from "./router.js";

// A batching async store double: a SlidingWindow per key behind promises, recording each call
// (a batch as the keys it was given).
class BatchingStore implements RateLimitStore, ReserveBatcher {
  readonly name = "batching";
  readonly calls: string[] = [];
  readonly #keys = new Map<AsyncRateLimiter, string>();
  readonly #windows = new Map<AsyncRateLimiter, SlidingWindow>();

  limiter(key: string, limits: RateLimits): AsyncRateLimiter {
    const window = new SlidingWindow(limits);
    const calls = this.calls;
    const limiter: AsyncRateLimiter = {
      isAsync: true,
      batch: this,
      async tryReserve(tokens, nowMs) {
        calls.push(key);
        return window.tryReserve(tokens, nowMs);
      },
      async reconcile(reservation, actualTokens, nowMs) {
        window.reconcile(reservation, actualTokens, nowMs);
      },
      async release(reservation) {
        window.release(reservation);
      },
    };
    this.#keys.set(limiter, key);
    this.#windows.set(limiter, window);
    return limiter;
  }

  async tryReserveFirst(
    limiters: readonly AsyncRateLimiter[],
    tokens: number,
    nowMs: number,
  ): Promise<BatchReservation> {
    this.calls.push(limiters.map((limiter) => this.#keys.get(limiter)).join(","));
    let waitMs = Number.POSITIVE_INFINITY;
    for (const [index, limiter] of limiters.entries()) {
      const result = this.#windows.get(limiter)!.tryReserve(tokens, nowMs);
      if (typeof result !== "number") return { index, reservation: result };
      waitMs = Math.min(waitMs, result);
    }
    return { index: -1, waitMs };
  }
}

function setup(count: number) {
  let now = 0;
  const waits: number[] = [];
  const store = new BatchingStore();
  const router = createCompletionRouter({
    strategy: "round-robin",
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  const provider = new DummyProvider();
  const models = Array.from({ length: count }, (_, index) => {
    const model = new DummyModel({ kind: "completion", provider, name: `${index}` });
    router.addDeployment("g", model, { rpm: 1, store });
    return model;
  });
  return { router, store, models, waits, advance: (ms: number) => (now += ms) };
}

describe("acquireShared with a batching store", () => {
  it("tries the first candidate alone, then 16, then 64 at a time, and takes the first with room", async () => {
    const { router, store, models } = setup(150);
    const group = router.getGroup("g");
    for (const deployment of group.slice(0, 100)) await deployment.asyncLimiter!.tryReserve(0, 0);
    store.calls.length = 0;
    models[100]!.respond("ok");
    await router.invoke("g", { message: "x" });
    const keys = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => `dummy/${from + index}`).join(",");
    expect(store.calls).toEqual(["dummy/0", keys(1, 17), keys(17, 81), keys(81, 145)]);
    expect(models[100]!.calls).toHaveLength(1);
  }, 30_000);

  it("sleeps the shortest wait any batch reported when none has room, then reserves", async () => {
    const { router, store, models, waits, advance } = setup(70);
    const group = router.getGroup("g");
    for (const [index, deployment] of group.entries()) {
      // Spent at different times: deployment 42 frees first.
      const at = index === 42 ? 0 : 5_000;
      await deployment.asyncLimiter!.reconcile(
        (await deployment.asyncLimiter!.tryReserve(0, at)) as never,
        0,
        at,
      );
    }
    advance(5_000);
    models[42]!.respond("ok");
    store.calls.length = 0;
    await router.invoke("g", { message: "x" }, { maxWaitMs: 120_000 });
    expect(waits).toEqual([56_000]);
    expect(models[42]!.calls).toHaveLength(1);
    // Round one: 0 alone, 1-16, 17-69; round two: the same until 42 reserves.
    expect(store.calls.slice(0, 3).map((call) => call.split(",").length)).toEqual([1, 16, 53]);
  }, 30_000);
});
