import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FallbackExhaustedError } from "../errors/fallback-exhausted-error.js";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { ApiError, TimeoutError } from "../errors/transport-errors.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { MAX_TIMER_MS } from "../timers.js";
import type { CallOptions, CompletionModel, CompletionResponse } from "../types.js";
import { DEFAULT_RETRY_AFTER_MAX_MS } from "./retry.js";
import { createCompletionRouter } from "./router.js";
import type { RouterOptions } from "./router-options.js";

const HOUR_MS = 3_600_000;
const THIRTY_DAYS_MS = 30 * 24 * HOUR_MS;

const tooManyRequests = (retryAfterMs: number) =>
  new ApiError({
    status: 429,
    body: '{"error":{"type":"rate_limit_error"}}',
    url: "http://upstream.test/v1/chat/completions",
    retryAfterMs,
  });

// The router's default sleep runs on setTimeout, which the fake timers drive: a wait that
// overflowed Node's timer would fire after 1 ms and show up as a second call.
function routerWith(options: RouterOptions = {}) {
  const provider = new DummyProvider("up");
  const router = createCompletionRouter({ retry: { maxRetries: 2 }, ...options });
  router.addProvider(provider);
  router.deploy("main", "up/primary");
  router.deploy("backup", "up/secondary");
  return {
    router,
    primary: provider.model("completion", "primary"),
    secondary: provider.model("completion", "secondary"),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Retry-After beyond the router's cap", () => {
  it("caps at one minute by default", () => {
    expect(DEFAULT_RETRY_AFTER_MAX_MS).toBe(60_000);
  });

  it("fails at once with RateLimitExceededError carrying the wait (Retry-After: 3600)", async () => {
    const { router, primary } = routerWith();
    primary.fail(tooManyRequests(HOUR_MS)).respond("late");
    const error = await router.invoke("main", { message: "hi" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect(error).toMatchObject({
      group: "main",
      waitTimeMs: HOUR_MS,
      retryAfterMaxMs: DEFAULT_RETRY_AFTER_MAX_MS,
    });
    expect((error as RateLimitExceededError).cause).toBeInstanceOf(ApiError);
    expect(error.message).toContain("3600000 ms (Retry-After)");
    expect(primary.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("moves on to the fallback group instead of waiting, naming the deployment", async () => {
    const { router, primary, secondary } = routerWith({
      fallbacks: { main: ["backup"] },
    });
    primary.fail(tooManyRequests(HOUR_MS));
    secondary.respond("from backup");
    await expect(router.invoke("main", { message: "hi" })).resolves.toMatchObject({
      content: "from backup",
    });
    primary.fail(tooManyRequests(HOUR_MS));
    secondary.fail(tooManyRequests(2 * HOUR_MS));
    const error = await router.invoke("main", { message: "again" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(FallbackExhaustedError);
    expect(
      (error as FallbackExhaustedError).attempts.map((attempt) => [
        attempt.group,
        attempt.deployment,
        (attempt.error as RateLimitExceededError).waitTimeMs,
      ]),
    ).toEqual([
      ["main", "up/primary", HOUR_MS],
      ["backup", "up/secondary", 2 * HOUR_MS],
    ]);
  });

  it("still waits for a Retry-After within the cap, then retries", async () => {
    const { router, primary } = routerWith({ retryAfterMaxMs: 10_000, random: () => 0 });
    primary.fail(tooManyRequests(9_000)).respond("after the wait");
    const pending = router.invoke("main", { message: "hi" });
    await vi.advanceTimersByTimeAsync(8_999);
    expect(primary.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ content: "after the wait" });
    expect(primary.calls).toHaveLength(2);
  });

  it("applies to streams as well", async () => {
    const { router, primary } = routerWith();
    primary.fail(tooManyRequests(HOUR_MS));
    const drain = async () => {
      for await (const _ of router.stream("main", { message: "hi" })) {
        // nothing is yielded before the failure
      }
    };
    await expect(drain()).rejects.toMatchObject({
      code: "THRYD_RATE_LIMIT_EXCEEDED",
      waitTimeMs: HOUR_MS,
    });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("router timers never overflow", () => {
  it("sleeps a Retry-After beyond 24.8 days as the longest timer, not 1 ms", async () => {
    const { router, primary } = routerWith({ retryAfterMaxMs: Number.POSITIVE_INFINITY });
    primary.fail(tooManyRequests(THIRTY_DAYS_MS)).respond("much later");
    const pending = router.invoke("main", { message: "hi" });
    pending.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    expect(primary.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS - 1_000);
    await expect(pending).resolves.toMatchObject({ content: "much later" });
    expect(primary.calls).toHaveLength(2);
  });

  it("keeps a huge attempt time limit huge instead of timing out after 1 ms", async () => {
    let answer: (response: CompletionResponse) => void = () => {};
    const slow: CompletionModel = {
      kind: "completion",
      name: "slow",
      provider: new DummyProvider("slow"),
      invoke: (_request, _options?: CallOptions) =>
        new Promise<CompletionResponse>((resolve) => {
          answer = resolve;
        }),
    };
    const router = createCompletionRouter({ timeoutMs: 1e15 });
    router.addDeployment("g", slow);
    const pending = router.invoke("g", { message: "hi" });
    pending.catch(() => {});
    await vi.advanceTimersByTimeAsync(10_000);
    answer({
      content: "fine",
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      finish_reason: "stop",
      message: { role: "assistant", content: "fine" },
    });
    await expect(pending).resolves.toMatchObject({ content: "fine" });
  });

  it("times an attempt out at the deployment's limit, over the router's, under the call's", async () => {
    const calls: (CallOptions | undefined)[] = [];
    const never: CompletionModel = {
      kind: "completion",
      name: "never",
      provider: new DummyProvider("never"),
      invoke: (_request, options) => {
        calls.push(options);
        return new Promise<CompletionResponse>(() => {});
      },
    };
    const router = createCompletionRouter({ timeoutMs: 5_000, streamIdleTimeoutMs: 7_000 });
    router.addDeployment("g", never, { timeoutMs: 2_000 });
    const byDeployment = router.invoke("g", { message: "a" }).catch((caught) => caught);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await byDeployment).toMatchObject({ code: "THRYD_TIMEOUT", timeoutMs: 2_000 });
    const byCall = router
      .invoke("g", { message: "b" }, { timeoutMs: 300, streamIdleTimeoutMs: 100 })
      .catch((caught) => caught);
    await vi.advanceTimersByTimeAsync(300);
    expect(await byCall).toBeInstanceOf(TimeoutError);
    expect((await byCall).timeoutMs).toBe(300);
    // The resolved limits reach the model, replacing the provider's own.
    expect(
      calls.map((options) => [options?.requestTimeoutMs, options?.streamIdleTimeoutMs]),
    ).toEqual([
      [2_000, 7_000],
      [300, 100],
    ]);
  });
});
