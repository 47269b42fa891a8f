import { describe, expect, it } from "vitest";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import { SlidingWindow } from "../limits/sliding-window.js";
import type { AsyncRateLimiter, RateLimitStore, RateLimits } from "../limits/spec.js";
import { DummyModel } from "../models/dummy-model.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { createCompletionRouter } from "./router.js";
import type { RoutingStrategy } from "./strategies.js";

// An async store double: a SlidingWindow per key behind promises, recording every call.
class RecordingAsyncStore implements RateLimitStore {
  readonly name = "recording";
  readonly calls: string[] = [];
  readonly windows = new Map<string, SlidingWindow>();

  limiter(key: string, limits: RateLimits): AsyncRateLimiter {
    const window = new SlidingWindow(limits);
    this.windows.set(key, window);
    const calls = this.calls;
    return {
      isAsync: true,
      async tryReserve(tokens, nowMs) {
        calls.push(`reserve ${key}`);
        return window.tryReserve(tokens, nowMs);
      },
      async reconcile(reservation, actualTokens, nowMs) {
        calls.push(`reconcile ${key} ${actualTokens}`);
        window.reconcile(reservation, actualTokens, nowMs);
      },
      async release(reservation) {
        calls.push(`release ${key}`);
        window.release(reservation);
      },
    };
  }
}

function setup(strategy: RoutingStrategy, names: string[], rpm = 1) {
  let now = 0;
  const waits: number[] = [];
  const store = new RecordingAsyncStore();
  const router = createCompletionRouter({
    strategy,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  const provider = new DummyProvider();
  const models = names.map((name) => {
    const model = new DummyModel({ kind: "completion", provider, name });
    router.addDeployment("g", model, { rpm, store });
    return model;
  });
  return { router, store, models, waits };
}

describe("Router over an async rate-limit store", () => {
  it("tries candidates in rotation, one reserve each, and reconciles the answer", async () => {
    const { router, store, models } = setup("round-robin", ["a", "b"]);
    for (const model of models) model.respond("ok", "ok");
    await router.invoke("g", { message: "1" });
    await router.invoke("g", { message: "2" });
    await Promise.resolve();
    expect(store.calls).toEqual([
      "reserve dummy/a",
      "reconcile dummy/a 1",
      "reserve dummy/b",
      "reconcile dummy/b 1",
    ]);
  });

  it("tries the least busy deployment first under least-busy", async () => {
    const { router, store, models } = setup("least-busy", ["a", "b"], 5);
    let finish: () => void = () => {};
    // Deployment a answers only when told, so it stays busy with one request.
    models[0]!.invoke = () =>
      new Promise((resolve) => {
        finish = () =>
          resolve({
            content: "slow",
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 1 },
            finish_reason: "stop",
            message: { role: "assistant", content: "slow" },
          });
      });
    const slow = router.invoke("g", { message: "slow" });
    while (router.getGroup("g")[0]!.inFlight === 0)
      await new Promise((resolve) => setTimeout(resolve, 0));
    models[1]!.respond("fast", "fast");
    await router.invoke("g", { message: "rotates to b" });
    // The rotation now points at a again, but a is busy and b is not.
    store.calls.length = 0;
    await router.invoke("g", { message: "next" });
    expect(store.calls[0]).toBe("reserve dummy/b");
    finish();
    await slow;
  });

  it("sleeps the shortest wait of all candidates, then reserves", async () => {
    const { router, store, models, waits } = setup("least-wait", ["a", "b"]);
    for (const model of models) model.respond("ok", "ok");
    await router.invoke("g", { message: "1" });
    await router.invoke("g", { message: "2" });
    store.calls.length = 0;
    models[0]!.respond("ok");
    await router.invoke("g", { message: "3" });
    // Both answered at 0 in bucket 0 of a 60 s window: both free at 61 s.
    expect(waits).toEqual([61_000]);
    expect(store.calls.filter((call) => call.startsWith("reserve"))).toHaveLength(3);
  });

  it("throws RateLimitExceededError past maxWaitMs, and AbortedError on an aborted signal", async () => {
    const { router, models } = setup("least-wait", ["a"]);
    models[0]!.respond("ok");
    await router.invoke("g", { message: "1" });
    await expect(router.invoke("g", { message: "2" }, { maxWaitMs: 1000 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      router.invoke("g", { message: "3" }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
  });

  it("releases the reservation of an aborted call", async () => {
    const { router, store, models } = setup("least-wait", ["a"]);
    models[0]!.respond("never used");
    const controller = new AbortController();
    const model = models[0]!;
    model.invoke = (_request, options) =>
      new Promise((_, reject) => {
        options?.signal?.addEventListener("abort", () => reject(options.signal?.reason));
      });
    const pending = router.invoke("g", { message: "x" }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(store.calls).toEqual(["reserve dummy/a", "release dummy/a"]);
    expect(store.windows.get("dummy/a")?.usage(0).requests).toBe(0);
  });
});
