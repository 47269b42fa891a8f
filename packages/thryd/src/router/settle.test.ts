import { afterEach, describe, expect, it, vi } from "vitest";
import { UnsupportedFeatureError } from "../errors/request-errors.js";
import { AbortedError, ApiError, NetworkError, TimeoutError } from "../errors/transport-errors.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { CallOptions, CompletionModel, CompletionResponse } from "../types.js";
import { createCompletionRouter } from "./router.js";
import { IN_TRANSIT_GRACE_MS, releasesQuota, settlementOf } from "./settle.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A model that reports the request sent (or not), then never answers. */
function silentModel(
  reportsSent: boolean,
  seen: (CallOptions | undefined)[] = [],
): CompletionModel {
  return {
    kind: "completion",
    name: reportsSent ? "sent" : "unsent",
    provider: new DummyProvider(),
    invoke: (_request, options) => {
      seen.push(options);
      if (reportsSent) options?.onSent?.();
      return new Promise<CompletionResponse>(() => {});
    },
  };
}

describe("releasesQuota", () => {
  it("releases only what never left the process", () => {
    expect(releasesQuota(new TimeoutError("u", 1), false)).toBe(true);
    expect(releasesQuota(new AbortedError("Request"), false)).toBe(true);
    expect(releasesQuota(new NetworkError("u", new Error("ECONNREFUSED")), false)).toBe(true);
    expect(releasesQuota(new UnsupportedFeatureError("seed", "anthropic"), false)).toBe(true);
    expect(releasesQuota(undefined, false)).toBe(true);
    for (const error of [new TimeoutError("u", 1), new AbortedError("Request"), undefined]) {
      expect(releasesQuota(error, true)).toBe(false);
    }
  });

  it("keeps a failure that means the provider answered, sent or not", () => {
    expect(releasesQuota(new ApiError({ status: 500, body: "", url: "u" }), false)).toBe(false);
    expect(releasesQuota(new Error("a bug in a custom model"), false)).toBe(false);
  });
});

describe("settlementOf", () => {
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
  it("reconciles an answer, releases what never left, charges what the provider saw", () => {
    expect(settlementOf(undefined, usage, true)).toBe("reconcile");
    expect(settlementOf(new TimeoutError("u", 1), undefined, false)).toBe("release");
    expect(settlementOf(new ApiError({ status: 503, body: "", url: "u" }), undefined, true)).toBe(
      "charge",
    );
    // A stream its consumer stopped was being answered.
    expect(settlementOf(undefined, undefined, true)).toBe("charge");
  });

  it("keeps a sent request without an answer in flight a while: it may still be on its way", () => {
    expect(settlementOf(new TimeoutError("u", 1), undefined, true)).toBe("charge-later");
    expect(settlementOf(new AbortedError("Request"), undefined, true)).toBe("charge-later");
    expect(settlementOf(new NetworkError("u", new Error("reset")), undefined, true)).toBe(
      "charge-later",
    );
  });
});

describe("settling a timed-out call", () => {
  it("charges the window when the model reported the request sent", async () => {
    vi.useFakeTimers({ now: 0 });
    const router = createCompletionRouter();
    const seen: (CallOptions | undefined)[] = [];
    const deployment = router.addDeployment("g", silentModel(true, seen), { rpm: 1, windowS: 60 });
    const pending = router.invoke("g", { message: "x" }, { timeoutMs: 500 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(typeof seen[0]?.onSent).toBe("function");
    // In flight for the in-transit grace, then charged to that moment's bucket: it leaves once
    // that whole bucket is a window old, not never.
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
    await vi.advanceTimersByTimeAsync(IN_TRANSIT_GRACE_MS);
    const chargedAt = 500 + IN_TRANSIT_GRACE_MS;
    expect(deployment.limiter?.usage(chargedAt + 59_999).requests).toBe(1);
    expect(deployment.limiter?.usage(chargedAt + 61_000).requests).toBe(0);
  });

  it("releases it when the request never left", async () => {
    vi.useFakeTimers({ now: 0 });
    const router = createCompletionRouter();
    const deployment = router.addDeployment("g", silentModel(false), { rpm: 1 });
    const pending = router.invoke("g", { message: "x" }, { timeoutMs: 500 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(0);
  });

  it("passes no onSent to an unlimited deployment, and no options at all on the plain path", async () => {
    const router = createCompletionRouter();
    const seen: (CallOptions | undefined)[] = [];
    const provider = new DummyProvider();
    const model = provider.model("completion", "plain");
    const invoke = model.invoke.bind(model);
    model.invoke = (request, options) => {
      seen.push(options);
      return invoke(request, options);
    };
    router.addDeployment("g", model);
    model.respond("a", "b");
    await router.invoke("g", { message: "x" });
    await router.invoke("g", { message: "y" }, { streamIdleTimeoutMs: 5 });
    expect(seen).toEqual([undefined, { streamIdleTimeoutMs: 5 }]);
  });
});
