import { estimateTokens } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  createCompletionRouter,
  createEmbeddingRouter,
  createRerankRouter,
  NetworkError,
  OpenAICompatibleProvider,
  RateLimitExceededError,
  TimeoutError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

const provider = (name = "mock", apiKey = "sk-mock") =>
  new OpenAICompatibleProvider({ name, apiKey, baseUrl: mock().url });

function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

describe("Router over the mock server", () => {
  it("routes completions, streams, embeddings and reranks end to end", async () => {
    const completions = createCompletionRouter().addProvider(provider());
    completions.deploy("chat", "mock/gpt");
    await expect(completions.invoke("chat", { message: "ping" })).resolves.toMatchObject({
      content: "echo: ping",
    });
    const deltas: string[] = [];
    for await (const delta of completions.stream("chat", { message: "pong" })) deltas.push(delta);
    expect(deltas.join("")).toBe("echo: pong");

    const embeddings = createEmbeddingRouter().addProvider(provider());
    embeddings.deploy("emb", "mock/e");
    const vectors = await embeddings.invoke("emb", {
      texts: ["a", "b", "c"],
      ndim: 5,
      maxBatchEmbSize: 2,
    });
    expect(vectors.embeddings).toHaveLength(3);
    expect(vectors.embeddings[0]).toHaveLength(5);

    const reranks = createRerankRouter().addProvider(provider());
    reranks.deploy("rr", "mock/r");
    const ranked = await reranks.invoke("rr", { query: "cat", documents: ["dog", "cat"] });
    expect(ranked.rankings[0]?.[0]).toBe(1);
  });

  it("retries a 429 no sooner than its Retry-After", async () => {
    const { waits, sleep } = recordingSleep();
    const router = createCompletionRouter({ retry: { initialBackoffMs: 10 }, sleep }).addProvider(
      provider(),
    );
    router.deploy("g", "mock/m");
    mock().script({ type: "error", status: 429, retryAfterS: 2 }, { type: "error", status: 502 });
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({
      content: "echo: x",
    });
    expect(mock().requestCount).toBe(3);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[1]).toBeLessThanOrEqual(20);
  });

  it("retries a dropped connection and a timeout; each request the server received keeps its quota", async () => {
    const { sleep } = recordingSleep();
    const router = createCompletionRouter({ retry: { maxRetries: 2 }, sleep }).addProvider(
      provider(),
    );
    const deployment = router.deploy("g", "mock/m", { rpm: 10 });
    mock().script({ type: "drop" }, { type: "hang" });
    // The limit ends the hung attempt and must not cut the third, which has to succeed: 3 s is
    // far beyond a loopback answer even on a loaded machine.
    const answer = router.invoke("g", { message: "x" }, { timeoutMs: 3_000 });
    await expect(answer).resolves.toMatchObject({ content: "echo: x" });
    expect(mock().requestCount).toBe(3);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(3);
  });

  it("surfaces a timeout without retries and keeps the quota, since the server saw the request", async () => {
    const router = createCompletionRouter().addProvider(provider());
    const deployment = router.deploy("g", "mock/m", { rpm: 1 });
    mock().script({ type: "hang" });
    await expect(router.invoke("g", { message: "x" }, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    while (mock().abandonedCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(mock().requestCount).toBe(1);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
    await expect(router.invoke("g", { message: "y" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
  });

  it("cancels the HTTP call on the caller's AbortSignal", async () => {
    const router = createCompletionRouter().addProvider(provider());
    router.deploy("g", "mock/m");
    mock().script({ type: "hang" });
    const controller = new AbortController();
    const pending = router.invoke("g", { message: "x" }, { signal: controller.signal });
    while (mock().requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    // The server sees the connection go away: the HTTP call was cancelled, not left hanging.
    while (mock().abandonedCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(mock().abandonedCount).toBe(1);
  });

  it("does not retry a stream that already yielded text", async () => {
    const router = createCompletionRouter({ retry: true }).addProvider(provider());
    router.deploy("g", "mock/m");
    mock().script({ type: "drop-mid-stream" });
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const delta of router.stream("g", { message: "x" })) deltas.push(delta);
    })().catch((caught: unknown) => caught);
    expect(deltas).toEqual(["partial"]);
    expect(error).toBeInstanceOf(NetworkError);
    expect(mock().requestCount).toBe(1);
  });
});

describe("Streaming through the router", () => {
  it("cancels the HTTP stream when the consumer stops early and keeps the request counted", async () => {
    const router = createCompletionRouter().addProvider(provider());
    const deployment = router.deploy("g", "mock/m", { rpm: 10 });
    mock().script({ type: "ok", content: "word ".repeat(400) });
    for await (const delta of router.stream("g", { message: "long" })) {
      expect(delta).toBe("word");
      break;
    }
    expect(deployment.inFlight).toBe(0);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
    await expect(router.invoke("g", { message: "next" })).resolves.toMatchObject({
      content: "echo: next",
    });
  });
});

describe("Rate-limit invariant over a real 2-second window", () => {
  it("keeps 500 concurrent calls within every deployment's RPM and TPM", async () => {
    mock().setDefault({ type: "ok", latencyMs: 5 });
    const rpm = 100;
    const tpm = 1500;
    const router = createCompletionRouter()
      .addProvider(provider("left", "sk-left"))
      .addProvider(provider("right", "sk-right"));
    router.deploy("g", "left/m", { rpm, tpm, windowS: 2 });
    router.deploy("g", "right/m", { rpm, tpm, windowS: 2 });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        router.invoke("g", { message: `burst request ${index}`, max_completion_tokens: 12 }),
      ),
    );
    expect(results).toHaveLength(500);
    expect(mock().requestCount).toBe(500);
    // The whole window: a request counts from its reservation until a window after its answer,
    // and it reaches the server between the two, so arrivals keep the limits over 2 s too.
    // This burst is RPM-bound; test/invariants-*.test.ts make each limit bind in turn.
    const measureMs = 2_000;
    for (const key of ["Bearer sk-left", "Bearer sk-right"]) {
      const arrivals = mock()
        .requests.filter((request) => request.headers.authorization === key)
        .map((request) => {
          const body = request.body as { messages: { content: string }[] };
          const message = body.messages[0]?.content ?? "";
          return {
            at: request.receivedAt,
            tokens: estimateTokens(message) + estimateTokens(`echo: ${message}`),
          };
        })
        .sort((left, right) => left.at - right.at);
      expect(arrivals.length).toBeGreaterThan(100);
      for (const start of arrivals) {
        const inWindow = arrivals.filter(
          (entry) => entry.at >= start.at && entry.at < start.at + measureMs,
        );
        expect(inWindow.length).toBeLessThanOrEqual(rpm);
        expect(inWindow.reduce((sum, entry) => sum + entry.tokens, 0)).toBeLessThanOrEqual(tpm);
      }
    }
  }, 30_000);
});
