import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { AbortedError, ApiError, NetworkError, TimeoutError } from "../errors/transport-errors.js";
import { DummyModel } from "../models/dummy-model.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { countTokens } from "../tokens/count-tokens.js";
import type { CompletionModel, CompletionResponse } from "../types.js";
import { createCompletionRouter } from "./router.js";

const usage = (total: number) => ({
  prompt_tokens: total,
  completion_tokens: 0,
  total_tokens: total,
});
const answer = (content: string, total = 1): CompletionResponse => ({
  content,
  usage: usage(total),
  finish_reason: "stop",
  message: { role: "assistant", content },
});

function setup(options: Parameters<typeof createCompletionRouter>[0] = {}) {
  const provider = new DummyProvider();
  const router = createCompletionRouter(options).addProvider(provider);
  return { provider, router };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Router: registry", () => {
  it("deploys provider/model ids and rejects bad ones", () => {
    const { router } = setup();
    router.deploy("g", "dummy/a");
    expect(router.getGroup("g").map((deployment) => deployment.id)).toEqual(["dummy/a"]);
    expect(() => router.deploy("g", "dummy/a")).toThrow(
      expect.objectContaining({ code: "THRYD_INVALID_IDENTIFIER" }),
    );
    expect(() => router.deploy("g", "no-separator")).toThrow(
      expect.objectContaining({ code: "THRYD_INVALID_IDENTIFIER" }),
    );
    expect(() => router.deploy("g", "ghost/m")).toThrow(
      expect.objectContaining({ code: "THRYD_UNKNOWN_PROVIDER" }),
    );
    expect(() => router.getGroup("missing")).toThrow(
      expect.objectContaining({ code: "THRYD_UNKNOWN_GROUP" }),
    );
  });

  it("undeploys, removes groups and providers", async () => {
    const { router } = setup();
    router.deploy("g", "dummy/a");
    router.deploy("g", "dummy/b");
    router.undeploy("g", "dummy/a");
    expect(router.getGroup("g").map((deployment) => deployment.id)).toEqual(["dummy/b"]);
    router.removeGroup("g");
    await expect(router.invoke("g", { message: "x" })).rejects.toMatchObject({
      code: "THRYD_UNKNOWN_GROUP",
    });
    router.removeProvider("dummy");
    expect(() => router.removeProvider("dummy")).toThrow(
      expect.objectContaining({ code: "THRYD_UNKNOWN_PROVIDER" }),
    );
  });

  it("refuses a model of another kind", () => {
    const { router, provider } = setup();
    const embedding = provider.model("embedding", "e") as unknown as CompletionModel;
    expect(() => router.addDeployment("g", embedding)).toThrow(
      expect.objectContaining({ code: "THRYD_INVALID_IDENTIFIER" }),
    );
  });
});

describe("Router: routing", () => {
  it("spreads ties round-robin instead of always using the first deployment", async () => {
    const { router, provider } = setup();
    router.deploy("g", "dummy/a");
    router.deploy("g", "dummy/b");
    provider.model("completion", "a").respond("a1", "a2");
    provider.model("completion", "b").respond("b1", "b2");
    const contents = [];
    for (let index = 0; index < 4; index++) {
      contents.push((await router.invoke("g", { message: "x" })).content);
    }
    expect(contents).toEqual(["a1", "b1", "a2", "b2"]);
  });

  it("first-available keeps using the first deployment while it has room", async () => {
    const { router, provider } = setup({ strategy: "first-available" });
    router.deploy("g", "dummy/a", { rpm: 2 });
    router.deploy("g", "dummy/b");
    provider.model("completion", "a").respond("a1", "a2");
    provider.model("completion", "b").respond("b1");
    const contents = [];
    for (let index = 0; index < 3; index++) {
      contents.push((await router.invoke("g", { message: "x" })).content);
    }
    expect(contents).toEqual(["a1", "a2", "b1"]);
  });

  it("moves to another deployment when one is at its RPM", async () => {
    const { router, provider } = setup();
    router.deploy("g", "dummy/a", { rpm: 1 });
    router.deploy("g", "dummy/b", { rpm: 1 });
    provider.model("completion", "a").respond("a");
    provider.model("completion", "b").respond("b");
    const results = await Promise.all([
      router.invoke("g", { message: "1" }),
      router.invoke("g", { message: "2" }),
    ]);
    expect(results.map((result) => result.content).sort()).toEqual(["a", "b"]);
  });
});

describe("Router: rate limits", () => {
  it("waits for the window to free instead of exceeding the RPM", async () => {
    vi.useFakeTimers({ now: 0 });
    const { router, provider } = setup();
    router.deploy("g", "dummy/a", { rpm: 2 });
    provider.model("completion", "a").respond("1", "2", "3");
    await router.invoke("g", { message: "x" });
    await router.invoke("g", { message: "x" });
    let done = false;
    const third = router.invoke("g", { message: "x" }).then((result) => {
      done = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await third).content).toBe("3");
  });

  it("fails at once with waitTimeMs when the wait exceeds maxWaitMs", async () => {
    vi.useFakeTimers({ now: 0 });
    const { router, provider } = setup();
    router.deploy("g", "dummy/a", { rpm: 1 });
    provider.model("completion", "a").respond("1");
    await router.invoke("g", { message: "x" });
    const error = await router.invoke("g", { message: "x" }, { maxWaitMs: 1_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect(error.waitTimeMs).toBe(61_000);
  });

  it("reserves before dispatch so a concurrent burst cannot exceed the limits", async () => {
    vi.useFakeTimers({ now: 0 });
    const { router } = setup();
    const dispatched: { at: number; id: string; tokens: number }[] = [];
    for (const name of ["a", "b"]) {
      const model: CompletionModel = {
        kind: "completion",
        name,
        provider: router.getProvider("dummy"),
        invoke: async (request) => {
          const tokens = countTokens(request.message ?? "") + 10;
          dispatched.push({ at: Date.now(), id: name, tokens });
          await new Promise((resolve) => setTimeout(resolve, 300));
          return { ...answer("ok"), usage: usage(tokens) };
        },
      };
      router.addDeployment("g", model, { rpm: 5, tpm: 120, windowS: 2 });
    }
    const calls = Array.from({ length: 200 }, (_, index) =>
      router.invoke("g", { message: `message number ${index}`, max_completion_tokens: 10 }),
    );
    await vi.advanceTimersByTimeAsync(200_000);
    await Promise.all(calls);
    expect(dispatched).toHaveLength(200);
    for (const id of ["a", "b"]) {
      const mine = dispatched.filter((entry) => entry.id === id);
      for (const start of mine) {
        const inWindow = mine.filter(
          (entry) => entry.at >= start.at && entry.at < start.at + 2_000,
        );
        expect(inWindow.length).toBeLessThanOrEqual(5);
        expect(inWindow.reduce((sum, entry) => sum + entry.tokens, 0)).toBeLessThanOrEqual(120);
      }
    }
  });

  it("fails a request larger than every TPM instead of waiting forever", async () => {
    const { router } = setup();
    router.deploy("g", "dummy/a", { tpm: 5 });
    await expect(
      router.invoke("g", { message: "x", max_completion_tokens: 100 }),
    ).rejects.toMatchObject({
      code: "THRYD_RATE_LIMIT_EXCEEDED",
      waitTimeMs: Infinity,
      isRetryable: false,
    });
  });
});

describe("Router: retries, timeouts, cancellation", () => {
  it("retries transient errors and then succeeds", async () => {
    const waits: number[] = [];
    const { router, provider } = setup({
      retry: { initialBackoffMs: 10 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.999,
    });
    router.deploy("g", "dummy/a");
    provider
      .model("completion", "a")
      .fail(
        new NetworkError("u", new Error("reset")),
        new ApiError({ status: 503, body: "", url: "u" }),
      )
      .respond("ok");
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({ content: "ok" });
    expect(waits).toEqual([10, 20]);
  });

  it("does not retry unless configured", async () => {
    const { router, provider } = setup();
    router.deploy("g", "dummy/a");
    const model = provider
      .model("completion", "a")
      .fail(new NetworkError("u", new Error("x")))
      .respond("ok");
    await expect(router.invoke("g", { message: "x" })).rejects.toBeInstanceOf(NetworkError);
    expect(model.pending).toBe(1);
  });

  it("does not retry a 400", async () => {
    const { router, provider } = setup({ retry: true, sleep: async () => {} });
    router.deploy("g", "dummy/a");
    provider
      .model("completion", "a")
      .fail(new ApiError({ status: 400, body: "", url: "u" }))
      .respond("ok");
    await expect(router.invoke("g", { message: "x" })).rejects.toMatchObject({ status: 400 });
  });

  it("reserves the token estimate only in groups with a TPM limit or a context window", async () => {
    const { router } = setup();
    const held: Array<(response: CompletionResponse) => void> = [];
    const model = (name: string): CompletionModel => ({
      kind: "completion",
      name,
      provider: router.getProvider("dummy"),
      invoke: () => new Promise((resolve) => held.push(resolve)),
    });
    const rpmOnly = router.addDeployment("rpm", model("r"), { rpm: 10 });
    const withTpm = router.addDeployment("tpm", model("t"), { rpm: 10, tpm: 10_000 });
    const message = "count these words before sending them";
    const answers = [router.invoke("rpm", { message }), router.invoke("tpm", { message })];
    expect(rpmOnly.limiter?.usage(Date.now())).toEqual({ requests: 1, tokens: 0 });
    expect(withTpm.limiter?.usage(Date.now())).toEqual({
      requests: 1,
      tokens: countTokens(message),
    });
    for (const resolve of held) resolve(answer("ok", 12));
    await Promise.all(answers);
    // Once answered, both are charged with the provider's reported usage.
    expect(rpmOnly.limiter?.usage(Date.now())).toEqual({ requests: 1, tokens: 12 });
    expect(withTpm.limiter?.usage(Date.now())).toEqual({ requests: 1, tokens: 12 });
  });

  it("times out a hanging model and releases the reservation", async () => {
    vi.useFakeTimers({ now: 0 });
    const { router } = setup();
    const hanging: CompletionModel = {
      kind: "completion",
      name: "hang",
      provider: router.getProvider("dummy"),
      invoke: () => new Promise(() => {}),
    };
    const deployment = router.addDeployment("g", hanging, { rpm: 1 });
    const pending = router.invoke("g", { message: "x" }, { timeoutMs: 500 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(deployment.limiter?.usage(Date.now())).toEqual({ requests: 0, tokens: 0 });
    expect(deployment.inFlight).toBe(0);
  });

  it("aborts on the caller's signal while waiting for room", async () => {
    vi.useFakeTimers({ now: 0 });
    const { router, provider } = setup();
    router.deploy("g", "dummy/a", { rpm: 1 });
    provider.model("completion", "a").respond("1");
    await router.invoke("g", { message: "x" });
    const controller = new AbortController();
    const waiting = router
      .invoke("g", { message: "x" }, { signal: controller.signal })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await waiting).toBeInstanceOf(AbortedError);
  });
});

describe("Router: streaming", () => {
  it("yields deltas and returns the assembled response", async () => {
    const { router, provider } = setup();
    router.deploy("g", "dummy/a");
    provider.model("completion", "a").respond(answer("hello streaming world", 3));
    const stream = router.stream("g", { message: "x" });
    const deltas: string[] = [];
    let result = await stream.next();
    while (!result.done) {
      deltas.push(result.value);
      result = await stream.next();
    }
    expect(deltas).toEqual(["hello ", "streaming ", "world"]);
    expect(result.value).toEqual(answer("hello streaming world", 3));
  });

  it("falls back to invoke for a model that cannot stream", async () => {
    const { router } = setup();
    router.addDeployment("g", {
      kind: "completion",
      name: "plain",
      provider: router.getProvider("dummy"),
      invoke: async () => answer("whole"),
    });
    const deltas: string[] = [];
    for await (const delta of router.stream("g", { message: "x" })) deltas.push(delta);
    expect(deltas).toEqual(["whole"]);
  });
});

describe("DummyModel", () => {
  it("answers first in first out and throws when exhausted", async () => {
    const model = new DummyModel({ kind: "rerank", provider: new DummyProvider() });
    model.respond(
      { rankings: [[0, 0.9]], usage: usage(1) },
      { rankings: [[1, 0.5]], usage: usage(1) },
    );
    expect((await model.invoke({ query: "q", documents: [] })).rankings).toEqual([[0, 0.9]]);
    expect((await model.invoke({ query: "q", documents: [] })).rankings).toEqual([[1, 0.5]]);
    await expect(model.invoke({ query: "q", documents: [] })).rejects.toMatchObject({
      code: "THRYD_DUMMY_EXHAUSTED",
    });
    expect(model.calls).toHaveLength(3);
  });
});

describe("Router: maxWaitMs with retries", () => {
  it("does not retry its own rate-limit refusal past the caller's maxWaitMs", async () => {
    const waits: number[] = [];
    const { router, provider } = setup({
      retry: true,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    router.deploy("g", "dummy/a", { rpm: 1 });
    provider.model("completion", "a").respond("1");
    await router.invoke("g", { message: "x" });
    await expect(router.invoke("g", { message: "x" }, { maxWaitMs: 10 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
    expect(waits).toEqual([]);
  });
});
