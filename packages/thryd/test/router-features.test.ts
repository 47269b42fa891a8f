import { estimateTokens } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  ApiError,
  BudgetExceededError,
  CircuitOpenError,
  ContextWindowExceededError,
  createCompletionRouter,
  FallbackExhaustedError,
  OpenAICompatibleProvider,
  type RouterOptions,
  renderPrometheus,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

function router(options: RouterOptions = {}) {
  return createCompletionRouter({ sleep: async () => {}, ...options }).addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
  );
}

/** The `model` field of each request the mock received, in order. */
const models = () => mock().requests.map((request) => (request.body as { model: string }).model);

function clock(start = 1_000_000) {
  let nowMs = start;
  return {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe("Fallbacks", () => {
  it("tries the fallback group after a non-transient provider error (400 content policy)", async () => {
    const chat = router({ fallbacks: { main: ["backup"] } });
    chat.deploy("main", "mock/primary");
    chat.deploy("backup", "mock/secondary");
    mock().script({ type: "error", status: 400, body: '{"error":{"code":"content_filter"}}' });
    await expect(chat.invoke("main", { message: "hi" })).resolves.toMatchObject({
      content: "echo: hi",
    });
    expect(models()).toEqual(["primary", "secondary"]);
  });

  it("falls back only once the group's retries are exhausted on 5xx", async () => {
    const chat = router({ retry: { maxRetries: 1 }, fallbacks: { main: ["backup"] } });
    chat.deploy("main", "mock/primary");
    chat.deploy("backup", "mock/secondary");
    mock().script({ type: "error", status: 502 }, { type: "error", status: 503 });
    await chat.invoke("main", { message: "hi" });
    expect(models()).toEqual(["primary", "primary", "secondary"]);
  });

  it("throws FallbackExhaustedError with every attempt, the last error as cause", async () => {
    const chat = router({ fallbacks: { main: ["second", "third"] } });
    chat.deploy("main", "mock/a");
    chat.deploy("second", "mock/b");
    chat.deploy("third", "mock/c");
    mock().script(
      { type: "error", status: 404 },
      { type: "error", status: 500 },
      { type: "error", status: 401 },
    );
    const error = await chat.invoke("main", { message: "hi" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FallbackExhaustedError);
    const exhausted = error as FallbackExhaustedError;
    expect(exhausted.code).toBe("THRYD_FALLBACK_EXHAUSTED");
    expect(
      exhausted.attempts.map((attempt) => [
        attempt.group,
        attempt.deployment,
        (attempt.error as ApiError).status,
      ]),
    ).toEqual([
      ["main", "mock/a", 404],
      ["second", "mock/b", 500],
      ["third", "mock/c", 401],
    ]);
    expect(exhausted.cause).toBe(exhausted.attempts[2]?.error);
  });

  it("keeps the original error when the group has no fallbacks", async () => {
    const chat = router({ fallbacks: { other: ["backup"] } });
    chat.deploy("main", "mock/a");
    mock().script({ type: "error", status: 404 });
    await expect(chat.invoke("main", { message: "hi" })).rejects.toBeInstanceOf(ApiError);
  });

  it("does not fall back when the caller aborts", async () => {
    const chat = router({ fallbacks: { main: ["backup"] } });
    chat.deploy("main", "mock/primary");
    chat.deploy("backup", "mock/secondary");
    mock().script({ type: "hang" });
    const controller = new AbortController();
    const pending = chat.invoke("main", { message: "hi" }, { signal: controller.signal });
    while (mock().requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(models()).toEqual(["primary"]);
  });

  it("does not fall back when the group's budget is spent", async () => {
    const chat = router({
      fallbacks: { main: ["backup"] },
      budgets: { main: { limitUsd: 0.000001 } },
    });
    chat.deploy("main", "mock/primary", { price: { inputPerMTok: 100, outputPerMTok: 100 } });
    chat.deploy("backup", "mock/secondary");
    await chat.invoke("main", { message: "first" });
    await expect(chat.invoke("main", { message: "second" })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    expect(models()).toEqual(["primary"]);
  });

  it("routes a request larger than every context window to the context-window group", async () => {
    const chat = router({ contextWindowFallbacks: { small: "large" } });
    chat.deploy("small", "mock/short", { contextWindow: 50 });
    chat.deploy("large", "mock/long", { contextWindow: 100_000 });
    await chat.invoke("small", { message: "short" });
    await chat.invoke("small", { message: "word ".repeat(200) });
    expect(models()).toEqual(["short", "long"]);
  });

  it("picks the deployment whose window holds the request within a mixed group", async () => {
    const chat = router();
    chat.deploy("g", "mock/short", { contextWindow: 50 });
    chat.deploy("g", "mock/long", { contextWindow: 100_000 });
    for (let index = 0; index < 3; index++)
      await chat.invoke("g", { message: "word ".repeat(200) });
    expect(models()).toEqual(["long", "long", "long"]);
  });

  it("fails with ContextWindowExceededError, sending nothing, when no group holds the request", async () => {
    const chat = router();
    chat.deploy("g", "mock/short", { contextWindow: 50 });
    const error = await chat
      .invoke("g", { message: "word ".repeat(200), max_completion_tokens: 10 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextWindowExceededError);
    expect(error).toMatchObject({ group: "g", largestWindow: 50 });
    expect(mock().requestCount).toBe(0);
  });
});

describe("Fallbacks of streams", () => {
  async function drain(stream: AsyncGenerator<string>) {
    const deltas: string[] = [];
    for await (const delta of stream) deltas.push(delta);
    return deltas.join("");
  }

  it("moves a stream that failed before its first delta to the fallback group", async () => {
    const chat = router({ fallbacks: { main: ["backup"] } });
    chat.deploy("main", "mock/primary");
    chat.deploy("backup", "mock/secondary");
    mock().script({ type: "error", status: 500 });
    await expect(drain(chat.stream("main", { message: "s" }))).resolves.toBe("echo: s");
    expect(models()).toEqual(["primary", "secondary"]);
  });

  it("keeps a stream that already yielded text on its group", async () => {
    const chat = router({ fallbacks: { main: ["backup"] } });
    chat.deploy("main", "mock/primary");
    chat.deploy("backup", "mock/secondary");
    mock().script({ type: "drop-mid-stream" });
    await expect(drain(chat.stream("main", { message: "s" }))).rejects.toMatchObject({
      code: "THRYD_NETWORK",
    });
    expect(models()).toEqual(["primary"]);
  });
});

describe("Circuit breaker", () => {
  it("opens after N failures, rejects without calling, then probes once and closes", async () => {
    const time = clock();
    const chat = router({
      now: time.now,
      circuitBreaker: { failureThreshold: 2, cooldownMs: 5000 },
    });
    chat.deploy("g", "mock/m");
    mock().script({ type: "error", status: 500 }, { type: "error", status: 500 });
    await expect(chat.invoke("g", { message: "1" })).rejects.toBeInstanceOf(ApiError);
    expect(chat.health()[0]).toMatchObject({ state: "closed", consecutiveFailures: 1 });
    await expect(chat.invoke("g", { message: "2" })).rejects.toBeInstanceOf(ApiError);
    expect(chat.health()).toEqual([
      {
        group: "g",
        deployment: "mock/m",
        state: "open",
        consecutiveFailures: 2,
        openUntilMs: time.now() + 5000,
      },
    ]);
    await expect(chat.invoke("g", { message: "3" })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(mock().requestCount).toBe(2);
    time.advance(5000);
    expect(chat.health()[0]?.state).toBe("half-open");
    mock().setDefault({ type: "ok", latencyMs: 30 });
    const probe = chat.invoke("g", { message: "probe" });
    // While the probe is out, nothing else gets through.
    await expect(chat.invoke("g", { message: "other" })).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(probe).resolves.toMatchObject({ content: "echo: probe" });
    expect(chat.health()[0]).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    await expect(chat.invoke("g", { message: "after" })).resolves.toBeTruthy();
    expect(mock().requestCount).toBe(4);
  });

  it("opens on a 429 without Retry-After and routes around the open deployment", async () => {
    const chat = router({ circuitBreaker: { failureThreshold: 5, cooldownMs: 60_000 } });
    chat.deploy("g", "mock/a");
    chat.deploy("g", "mock/b");
    mock().script({ type: "error", status: 429 });
    await expect(chat.invoke("g", { message: "x" })).rejects.toMatchObject({ status: 429 });
    for (let index = 0; index < 4; index++) await chat.invoke("g", { message: `${index}` });
    expect(models()).toEqual(["a", "b", "b", "b", "b"]);
    expect(chat.health().map((entry) => entry.state)).toEqual(["open", "closed"]);
  });

  it("moves to the fallback group when every deployment is open", async () => {
    const chat = router({
      circuitBreaker: { failureThreshold: 1 },
      fallbacks: { g: ["backup"] },
    });
    chat.deploy("g", "mock/a");
    chat.deploy("backup", "mock/b");
    mock().script({ type: "error", status: 503 });
    await chat.invoke("g", { message: "x" });
    await chat.invoke("g", { message: "y" });
    expect(models()).toEqual(["a", "b", "b"]);
  });
});

describe("Request coalescing", () => {
  it("sends 100 identical concurrent calls as one upstream request", async () => {
    mock().setDefault({ type: "ok", latencyMs: 100 });
    const chat = router({ coalesce: true });
    chat.deploy("g", "mock/m");
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => chat.invoke("g", { message: "same", temperature: 0 })),
    );
    expect(mock().requestCount).toBe(1);
    expect(new Set(answers.map((answer) => answer.content))).toEqual(new Set(["echo: same"]));
  });

  it("coalesces with a cache too, and keeps different requests apart", async () => {
    mock().setDefault({ type: "ok", latencyMs: 100 });
    const chat = router({ coalesce: true, cache: { store: new Map() } });
    chat.deploy("g", "mock/m");
    await Promise.all([
      ...Array.from({ length: 50 }, () => chat.invoke("g", { message: "a" })),
      ...Array.from({ length: 50 }, () => chat.invoke("g", { message: "b" })),
      chat.invoke("g", { message: "a", temperature: 1 }),
    ]);
    expect(mock().requestCount).toBe(3);
    await chat.invoke("g", { message: "a" });
    expect(mock().requestCount).toBe(3);
  });

  it("gives the shared error to every waiter", async () => {
    mock().script({ type: "error", status: 400, latencyMs: 50 });
    const chat = router({ coalesce: true });
    chat.deploy("g", "mock/m");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => chat.invoke("g", { message: "bad" })),
    );
    expect(mock().requestCount).toBe(1);
    for (const result of results) {
      expect(result).toMatchObject({ status: "rejected", reason: { status: 400 } });
    }
  });

  it("detaches an aborting waiter without cancelling the shared call", async () => {
    mock().setDefault({ type: "ok", latencyMs: 150 });
    const chat = router({ coalesce: true });
    chat.deploy("g", "mock/m");
    const controller = new AbortController();
    const leaving = chat.invoke("g", { message: "m" }, { signal: controller.signal });
    const staying = chat.invoke("g", { message: "m" });
    while (mock().requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(leaving).rejects.toBeInstanceOf(AbortedError);
    await expect(staying).resolves.toMatchObject({ content: "echo: m" });
    expect(mock().requestCount).toBe(1);
    expect(mock().abandonedCount).toBe(0);
  });
});

describe("Reasoning strip", () => {
  const content = "<think>secret plan, step by step</think>\n\nThe answer is 42.";

  it("leaves reasoning in place unless asked", async () => {
    mock().script({ type: "ok", content });
    const chat = router();
    chat.deploy("g", "mock/m");
    await expect(chat.invoke("g", { message: "q" })).resolves.toMatchObject({ content });
  });

  it("strips a think block from an answer, per call or for the router", async () => {
    mock().script({ type: "ok", content }, { type: "ok", content });
    const perCall = router();
    perCall.deploy("g", "mock/m");
    await expect(
      perCall.invoke("g", { message: "q" }, { stripReasoning: true }),
    ).resolves.toMatchObject({ content: "The answer is 42." });
    const always = router({ stripReasoning: true });
    always.deploy("g", "mock/m");
    await expect(always.invoke("g", { message: "q" })).resolves.toMatchObject({
      content: "The answer is 42.",
    });
  });

  it("strips a think block split over SSE chunks from a stream", async () => {
    mock().script({ type: "ok", content });
    const chat = router({ stripReasoning: true });
    chat.deploy("g", "mock/m");
    const deltas: string[] = [];
    const stream = chat.stream("g", { message: "q" });
    let next = await stream.next();
    while (!next.done) {
      deltas.push(next.value);
      next = await stream.next();
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe("The answer is 42.");
    expect(deltas.some((delta) => /think|secret|</.test(delta))).toBe(false);
    expect(next.value.content).toBe("The answer is 42.");
  });
});

describe("Cost and budgets", () => {
  it("prices each response and keeps totals per deployment and group", async () => {
    const chat = router();
    chat.deploy("g", "mock/a", { price: { inputPerMTok: 3, outputPerMTok: 15 } });
    chat.deploy("h", "mock/b");
    const answer = await chat.invoke("g", { message: "price me" });
    const expected = (estimateTokens("price me") * 3 + estimateTokens("echo: price me") * 15) / 1e6;
    expect(answer.usage.cost).toBeCloseTo(expected, 12);
    const free = await chat.invoke("h", { message: "free" });
    expect(free.usage.cost).toBeUndefined();
    await chat.invoke("g", { message: "price me" });
    const totals = chat.costs();
    expect(totals.deployments["mock/a"]).toBeCloseTo(2 * expected, 12);
    expect(totals.groups.g).toBeCloseTo(2 * expected, 12);
    expect(totals.groups.h).toBeUndefined();
  });

  it("rejects with BudgetExceededError once spent, before dispatch, until the next period", async () => {
    const time = clock(0);
    const chat = router({ now: time.now, budgets: { g: { limitUsd: 0.00001, periodMs: 60_000 } } });
    chat.deploy("g", "mock/a", { price: { inputPerMTok: 1000, outputPerMTok: 1000 } });
    await chat.invoke("g", { message: "spend it all" });
    const error = await chat.invoke("g", { message: "more" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ code: "THRYD_BUDGET_EXCEEDED", limitUsd: 0.00001 });
    expect(mock().requestCount).toBe(1);
    time.advance(60_000);
    await expect(chat.invoke("g", { message: "new period" })).resolves.toBeTruthy();
    expect(chat.costs().budgets.g?.resetsAtMs).toBe(120_000);
  });

  it("prices a streamed completion", async () => {
    const chat = router();
    chat.deploy("g", "mock/a", { price: { inputPerMTok: 2, outputPerMTok: 10 } });
    const stream = chat.stream("g", { message: "stream" });
    let next = await stream.next();
    while (!next.done) next = await stream.next();
    // From the price table and the usage the mock streamed, not from the response's own cost.
    const expected = (estimateTokens("stream") * 2 + estimateTokens("echo: stream") * 10) / 1e6;
    expect(next.value.usage.cost).toBeCloseTo(expected, 12);
    expect(chat.costs().groups.g).toBeCloseTo(expected, 12);
  });
});

describe("Metrics", () => {
  it("counts requests, errors, tokens and cache hits, and renders them for Prometheus", async () => {
    const chat = router({ metrics: true, cache: { store: new Map() } });
    chat.deploy("g", "mock/m", { rpm: 100 });
    mock().script({ type: "error", status: 503 });
    await expect(chat.invoke("g", { message: "fail" })).rejects.toBeInstanceOf(ApiError);
    await chat.invoke("g", { message: "one" });
    await chat.invoke("g", { message: "one" });
    await chat.invoke("g", { message: "two" });
    const snapshot = chat.metrics();
    expect(snapshot.deployments).toHaveLength(1);
    const metrics = snapshot.deployments[0]!;
    expect(metrics).toMatchObject({
      group: "g",
      deployment: "mock/m",
      requests: 3,
      errors: { THRYD_API_ERROR_503: 1 },
      promptTokens: estimateTokens("one") + estimateTokens("two"),
      completionTokens: estimateTokens("echo: one") + estimateTokens("echo: two"),
      inFlight: 0,
      window: { requests: 3 },
    });
    expect(metrics.latencyMs.count).toBe(3);
    expect(metrics.latencyMs.p99).toBeGreaterThanOrEqual(metrics.latencyMs.p50);
    expect(snapshot.groups).toEqual([{ group: "g", cacheHits: 1, cacheMisses: 3 }]);
    const text = renderPrometheus(snapshot);
    expect(text).toContain('thryd_requests_total{group="g",deployment="mock/m"} 3\n');
    expect(text).toContain(
      'thryd_errors_total{group="g",deployment="mock/m",code="THRYD_API_ERROR_503"} 1\n',
    );
    expect(text).toContain('thryd_cache_hits_total{group="g"} 1\n');
    expect(text).toContain('thryd_window_requests{group="g",deployment="mock/m"} 3\n');
  });

  it("keeps counters at zero without `metrics: true`", async () => {
    const chat = router();
    chat.deploy("g", "mock/m");
    await chat.invoke("g", { message: "x" });
    expect(chat.metrics().deployments[0]).toMatchObject({ requests: 0, promptTokens: 0 });
  });
});
