import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type LoadConfigOptions, loadConfig } from "@fabricatio/config";
import { flushLogger, initLogger } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { startRedisServer } from "@fabricatio/test-services";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLLM, type FabricatioLLM } from "../src/index.js";

let mock: MockLlmServer;
let llm: FabricatioLLM;
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-llm-"));
// Only the overrides: no files, environment or global config of the machine running the tests.
const configFrom = (overrides: LoadConfigOptions["overrides"]) =>
  loadConfig({ cwd: temp, env: {}, homeDir: temp, overrides });

beforeAll(async () => {
  initLogger({ level: "ERROR", stream: { write() {} } });
  mock = await startMockLlm();
  const config = configFrom({
    llm: { send_to: "task", temperature: 0.2 },
    agent: { task: "chat" },
    embedding: { send_to: "embed", ndim: 8 },
    reranker: { send_to: "rank" },
    routing: {
      cache_database_path: path.join(temp, "cache.sqlite"),
      providers: [{ ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url }],
      completion_deployments: [
        { id: "mock/model-a", group: "chat", rpm: 100 },
        { id: "mock/model-b", group: "chat", rpm: 100 },
      ],
      embedding_deployments: [{ id: "mock/embedder", group: "embed" }],
      reranker_deployments: [{ id: "mock/ranker", group: "rank" }],
    },
  });
  llm = createLLM({ config });
});

afterAll(async () => {
  await llm.close();
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("createLLM over the mock server", () => {
  it("routes a question through the configured variant and answers the repeat from the cache", async () => {
    const before = mock.requestCount;
    expect(await llm.ask("What is Fabricatio?")).toBe("echo: What is Fabricatio?");
    expect(mock.requestCount).toBe(before + 1);
    const sent = mock.requests.at(-1);
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    expect(sent?.body).toMatchObject({
      temperature: 0.2,
      messages: [{ role: "user", content: "What is Fabricatio?" }],
    });
    expect(await llm.ask("What is Fabricatio?")).toBe("echo: What is Fabricatio?");
    expect(mock.requestCount).toBe(before + 1);
  });

  it("spreads concurrent questions over both deployments of the group", async () => {
    const before = mock.requests.length;
    await llm.ask(Array.from({ length: 6 }, (_, index) => `spread ${index}`));
    const models = new Set(
      mock.requests
        .slice(before)
        .filter((request) => request.path.endsWith("chat/completions"))
        .map((request) => (request.body as { model: string }).model),
    );
    expect(models).toEqual(new Set(["model-a", "model-b"]));
  });

  it("embeds with a partial cache hit, calling the API only for the new texts", async () => {
    const first = await llm.embed(["alpha", "beta"]);
    expect(first).toHaveLength(2);
    expect(first[0]).toHaveLength(8);
    const before = mock.requestCount;
    const second = await llm.embed(["beta", "gamma", "alpha"]);
    expect(second[0]).toEqual(first[1]);
    expect(second[2]).toEqual(first[0]);
    expect(mock.requestCount).toBe(before + 1);
    expect(mock.requests.at(-1)?.body).toMatchObject({ input: ["gamma"] });
  });

  it("reranks documents against a query", async () => {
    const rankings = await llm.rerank("cats", ["dogs", "cats are great", "fish"]);
    expect(rankings).toHaveLength(3);
    expect(rankings[0]?.[0]).toBe(1);
  });

  it("streams an answer", async () => {
    let text = "";
    for await (const delta of llm.askStream("stream me", { noCache: true })) text += delta;
    expect(text).toBe("echo: stream me");
  });
});

describe("createLLM with native providers and key pools", () => {
  it("sends Anthropic and Gemini requests in their own wire formats, rotating the pool's keys", async () => {
    const config = configFrom({
      llm: { send_to: "claude" },
      routing: {
        providers: [
          { ptype: "Anthropic", keys: ["sk-ant-one", "sk-ant-two"], base_url: mock.origin },
          { ptype: "Gemini", key: "gm-key", key_cooldown_s: 5, base_url: mock.origin },
        ],
        completion_deployments: [
          { id: "anthropic/claude-test", group: "claude" },
          { id: "gemini/gemini-test", group: "gemini" },
        ],
      },
    });
    const native = createLLM({ config, cache: false, env: {} });
    try {
      const before = mock.requests.length;
      expect(await native.ask("first")).toBe("echo: first");
      expect(await native.ask("second")).toBe("echo: second");
      expect(await native.ask("third", { sendTo: "gemini" })).toBe("echo: third");
      const sent = mock.requests.slice(before);
      expect(sent.map((request) => request.path)).toEqual([
        "/v1/messages",
        "/v1/messages",
        "/v1beta/models/gemini-test:generateContent",
      ]);
      expect(sent.map((request) => request.headers["x-api-key"])).toEqual([
        "sk-ant-one",
        "sk-ant-two",
        undefined,
      ]);
      expect(sent[2]?.headers["x-goog-api-key"]).toBe("gm-key");
    } finally {
      await native.close();
    }
  });
});

describe("createLLM with the opt-in routing features", () => {
  it("maps fallbacks, context windows, reasoning strip, prices, budgets and metrics from [routing]", async () => {
    const config = configFrom({
      llm: { send_to: "chat" },
      routing: {
        providers: [
          { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
        ],
        completion_deployments: [
          {
            id: "mock/small",
            group: "chat",
            context_window: 40,
            input_price_per_mtok: 1_000_000,
          },
          { id: "mock/backup", group: "backup" },
          { id: "mock/long", group: "long", context_window: 100_000 },
        ],
        fallbacks: { chat: ["backup"] },
        context_window_fallbacks: { chat: "long" },
        strip_reasoning: true,
        metrics: true,
        budgets: [{ group: "chat", limit_usd: 1 }],
      },
    });
    const routed = createLLM({ config, cache: false, env: {} });
    const lastModel = () => (mock.requests.at(-1)?.body as { model?: string } | undefined)?.model;
    try {
      expect(await routed.ask("a long question ".repeat(20))).toContain("echo:");
      expect(lastModel()).toBe("long");

      mock.script({ type: "error", status: 400 });
      expect(await routed.ask("rejected by small")).toBe("echo: rejected by small");
      expect(lastModel()).toBe("backup");

      const { completion } = routed.routers;
      expect(completion.costs().groups.chat ?? 0).toBe(0);
      mock.script({ type: "ok", content: "<think>step by step</think>\n\nForty-two." });
      expect(await routed.ask("short")).toBe("Forty-two.");
      expect(lastModel()).toBe("small");
      // $1 per prompt token: the answer above spent the group's whole budget.
      expect(completion.costs().groups.chat).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(completion.metrics())).toContain("mock/small");
      const before = mock.requestCount;
      await expect(routed.ask("over budget")).rejects.toMatchObject({
        code: "THRYD_BUDGET_EXCEEDED",
      });
      expect(mock.requestCount).toBe(before);
    } finally {
      await routed.close();
    }
  });
});

describe("createLLM's answer cache", () => {
  it("sizes the memory tier from cache_memory_max_entries and cache_memory_ttl_s", async () => {
    const tuned = createLLM({
      env: {},
      config: configFrom({
        routing: {
          cache_database_path: path.join(temp, "tuned.sqlite"),
          cache_memory_max_entries: 5,
          cache_memory_ttl_s: 2,
        },
      }),
    });
    const defaults = createLLM({
      env: {},
      config: configFrom({ routing: { cache_database_path: path.join(temp, "default.sqlite") } }),
    });
    try {
      expect(tuned.cache).toMatchObject({ memoryMaxEntries: 5, memoryTtlMs: 2_000 });
      expect(defaults.cache).toMatchObject({ memoryMaxEntries: 1000, memoryTtlMs: 30_000 });
    } finally {
      await tuned.close();
      await defaults.close();
    }
  });

  it("answers with noCache and without it when the cache file is not a database", async () => {
    const file = path.join(temp, "junk.sqlite");
    writeFileSync(file, "not a database ".repeat(64));
    const broken = createLLM({
      env: {},
      config: configFrom({
        llm: { send_to: "chat" },
        routing: {
          cache_database_path: file,
          providers: [
            { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
          ],
          completion_deployments: [{ id: "mock/junk", group: "chat" }],
        },
      }),
    });
    try {
      expect(await broken.ask("uncached", { noCache: true })).toBe("echo: uncached");
      expect(await broken.ask("through the broken cache")).toBe("echo: through the broken cache");
    } finally {
      await broken.close();
    }
  });
});

describe("createLLM maps the rest of [routing] onto the routers", () => {
  const routed = (routing: Record<string, unknown>, group = "chat") =>
    createLLM({
      cache: false,
      env: {},
      config: configFrom({
        llm: { send_to: group },
        routing: {
          providers: [
            { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
          ],
          completion_deployments: [{ id: "mock/routed", group }],
          ...routing,
        },
      }),
    });

  it("retries as retry_max_retries, retry_initial_backoff_ms, retry_backoff_multiplier and retry_max_backoff_ms say", async () => {
    const lines: string[] = [];
    initLogger({ level: "WARN", stream: { write: (text: string) => lines.push(text) } });
    const llm = routed({
      retry_max_retries: 3,
      retry_initial_backoff_ms: 10,
      retry_backoff_multiplier: 10,
      retry_max_backoff_ms: 250,
    });
    try {
      const before = mock.requestCount;
      mock.script(
        { type: "error", status: 503 },
        { type: "error", status: 503 },
        { type: "error", status: 503 },
      );
      expect(await llm.ask("third retry succeeds")).toBe("echo: third retry succeeds");
      expect(mock.requestCount).toBe(before + 4);
      await flushLogger();
      const waits = lines
        .flatMap((line) => /Retrying in (\d+) ms/.exec(line)?.[1] ?? [])
        .map(Number);
      // Each wait is its base jittered down to at most half: 10, 10 × 10, then 1000 capped at 250.
      // The defaults (1000 ms, × 2, capped at 30000) would give 500–1000, 1000–2000, 2000–4000.
      expect(waits).toHaveLength(3);
      expect(waits[0]).toBeGreaterThanOrEqual(5);
      expect(waits[0]).toBeLessThanOrEqual(10);
      expect(waits[1]).toBeGreaterThanOrEqual(50);
      expect(waits[1]).toBeLessThanOrEqual(100);
      expect(waits[2]).toBeGreaterThanOrEqual(125);
      expect(waits[2]).toBeLessThanOrEqual(250);

      mock.script(...Array.from({ length: 4 }, () => ({ type: "error" as const, status: 503 })));
      await expect(llm.ask("gives up after three retries")).rejects.toMatchObject({
        code: "THRYD_API_ERROR",
      });
      expect(mock.requestCount).toBe(before + 8);
    } finally {
      initLogger({ level: "ERROR", stream: { write() {} } });
      await llm.close();
    }
  });

  it("opens the circuit after circuit_breaker_failure_threshold failures, for circuit_breaker_cooldown_ms", async () => {
    const llm = routed({
      circuit_breaker: true,
      circuit_breaker_failure_threshold: 2,
      circuit_breaker_cooldown_ms: 3_600_000,
    });
    try {
      const before = mock.requestCount;
      mock.script({ type: "error", status: 503 }, { type: "error", status: 503 });
      await expect(llm.ask("first failure")).rejects.toMatchObject({ code: "THRYD_API_ERROR" });
      // One failure is under the threshold: the next request still reaches the upstream.
      const opened = Date.now();
      await expect(llm.ask("second failure")).rejects.toMatchObject({ code: "THRYD_API_ERROR" });
      expect(mock.requestCount).toBe(before + 2);
      const error = await llm.ask("refused while open").catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "THRYD_CIRCUIT_OPEN", group: "chat" });
      // The default cooldown is 30 s; the configured hour shows in when it turns half-open.
      expect((error as { retryAtMs: number }).retryAtMs).toBeGreaterThanOrEqual(opened + 3_600_000);
      expect(mock.requestCount).toBe(before + 2);
    } finally {
      await llm.close();
    }
  });

  it("shares one upstream call between concurrent identical questions with coalesce, and not without", async () => {
    for (const [coalesce, calls] of [
      [true, 1],
      [false, 2],
    ] as const) {
      const llm = routed({ coalesce });
      try {
        const before = mock.requestCount;
        // The upstream answers slowly enough that the second question starts while the first waits.
        mock.setDefault({ type: "ok", latencyMs: 200 });
        const question = `asked twice at once, coalesce ${coalesce}`;
        expect(await Promise.all([llm.ask(question), llm.ask(question)])).toEqual([
          `echo: ${question}`,
          `echo: ${question}`,
        ]);
        expect(mock.requestCount - before).toBe(calls);
      } finally {
        mock.setDefault({ type: "ok" });
        await llm.close();
      }
    }
  });

  it("records an OpenTelemetry span per model call with tracing, and none without", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider);
    try {
      const traced = routed({ tracing: true });
      await traced.ask("traced question");
      await traced.close();
      const untraced = routed({ tracing: false });
      await untraced.ask("untraced question");
      await untraced.close();
      expect(
        exporter.getFinishedSpans().map((span) => [span.name, span.attributes["thryd.group"]]),
      ).toEqual([["chat routed", "chat"]]);
    } finally {
      trace.disable();
      await provider.shutdown();
    }
  });

  it("limits a deployment over its window_s, not the default 60 s", async () => {
    const llm = createLLM({
      cache: false,
      env: {},
      config: configFrom({
        llm: { send_to: "hourly" },
        routing: {
          providers: [
            { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
          ],
          completion_deployments: [{ id: "mock/hourly", group: "hourly", rpm: 1, window_s: 3600 }],
        },
      }),
    });
    try {
      await llm.ask("the one request of the hour");
      const error = await llm.routers.completion
        .invoke("hourly", { message: "a second one" }, { maxWaitMs: 0 })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "THRYD_RATE_LIMIT_EXCEEDED" });
      expect((error as { waitTimeMs: number }).waitTimeMs).toBeGreaterThan(60_000);
    } finally {
      await llm.close();
    }
  });
});

describe("createLLM with Redis for shared quotas and cache", () => {
  it("shares a deployment's RPM and the cached answers between two instances", async () => {
    const redis = await startRedisServer();
    const build = () =>
      createLLM({
        env: {},
        config: configFrom({
          llm: { send_to: "chat" },
          routing: {
            providers: [
              { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
            ],
            completion_deployments: [{ id: "mock/shared", group: "chat", rpm: 2 }],
            rate_limit_store: "redis",
            cache_store: "redis",
            redis_url: redis.url,
            rate_limit_key_prefix: "umbrella-test:",
          },
        }),
      });
    const [first, second] = [build(), build()];
    try {
      const before = mock.requestCount;
      expect(await first.ask("cached across instances")).toBe("echo: cached across instances");
      expect(await second.ask("cached across instances")).toBe("echo: cached across instances");
      expect(mock.requestCount).toBe(before + 1);

      await second.ask("second request of the window");
      await expect(
        first.routers.completion.invoke("chat", { message: "third" }, { maxWaitMs: 0 }),
      ).rejects.toMatchObject({ code: "THRYD_RATE_LIMIT_EXCEEDED" });
      expect(mock.requestCount).toBe(before + 2);
    } finally {
      await first.close();
      await second.close();
      await redis.stop();
    }
  });

  it("requires redis_url when a store is redis, naming the key", () => {
    expect(() => configFrom({ routing: { rate_limit_store: "redis" } })).toThrow(
      /routing\.redis_url.*required when rate_limit_store or cache_store is redis/,
    );
  });
});
