import { describe, expect, it } from "vitest";
import {
  AbortedError,
  ApiError,
  closeHttpPools,
  countTokens,
  createProvider,
  httpPoolCount,
  NetworkError,
  OpenAICompatibleProvider,
  ParseError,
  ProviderCreateError,
  TimeoutError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { collect } from "./stream-events.js";

const mock = useMockServer();

const SECRET = "sk-test-secret-0123456789";
const provider = (baseUrl = mock().url, apiKey = SECRET) =>
  new OpenAICompatibleProvider({ name: "mock", apiKey, baseUrl });

describe("OpenAICompatibleProvider over loopback", () => {
  it("reaches <base>/chat/completions with and without a trailing slash", async () => {
    await provider(mock().url).createCompletionModel("m").invoke({ message: "a" });
    await provider(`${mock().url}/`).createCompletionModel("m").invoke({ message: "b" });
    expect(mock().requests.map((request) => request.path)).toEqual([
      "/v1/chat/completions",
      "/v1/chat/completions",
    ]);
  });

  it("sends every completion field, images as content parts and effort verbatim", async () => {
    const response = await provider()
      .createCompletionModel("gpt-x")
      .invoke({
        message: "describe",
        images: ["data:image/png;base64,AAAA"],
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 64,
        presence_penalty: 0.1,
        frequency_penalty: 0.3,
        effort: "extra-high",
      });
    expect(response.content).toBe("echo: describe");
    expect(response.usage.total_tokens).toBeGreaterThan(0);
    expect(mock().requests[0]?.body).toEqual({
      model: "gpt-x",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "describe" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 64,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      reasoning_effort: "extra-high",
    });
  });

  it("sends each provider's own key even when two share one URL", async () => {
    await provider(mock().url, "sk-first").createCompletionModel("m").invoke({ message: "1" });
    await provider(mock().url, "sk-second").createCompletionModel("m").invoke({ message: "2" });
    expect(mock().requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer sk-first",
      "Bearer sk-second",
    ]);
    expect(httpPoolCount()).toBeGreaterThanOrEqual(2);
  });

  it("keeps working after closeHttpPools, on a fresh pool", async () => {
    const model = provider().createCompletionModel("m");
    await model.invoke({ message: "before" });
    await closeHttpPools();
    expect(httpPoolCount()).toBe(0);
    expect((await model.invoke({ message: "after" })).content).toBe("echo: after");
    expect(httpPoolCount()).toBe(1);
  });

  it("streams deltas, skipping the role-only chunk, with usage from the final chunk", async () => {
    const model = provider().createCompletionModel("m");
    const { deltas, usage } = await collect(model.stream!({ message: "streaming works" }));
    expect(deltas.join("")).toBe("echo: streaming works");
    expect(deltas.length).toBeGreaterThan(1);
    expect(usage).toEqual({ prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 });
    expect(mock().requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("counts stream usage with tiktoken when the provider sends none", async () => {
    mock().script({ type: "ok", omitUsage: true, content: "Hello there" });
    const { usage } = await collect(
      provider().createCompletionModel("m").stream!({ message: "hi you" }),
    );
    expect(usage).toEqual({
      prompt_tokens: countTokens("hi you"),
      completion_tokens: countTokens("Hello there"),
      total_tokens: countTokens("hi you") + countTokens("Hello there"),
    });
  });

  it("fails a stream whose connection drops midway with a transient error", async () => {
    mock().script({ type: "drop-mid-stream" });
    const error = await collect(
      provider().createCompletionModel("m").stream!({ message: "x" }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).isRetryable).toBe(true);
  });

  it("maps a 500 to a transient ApiError without the key in the message", async () => {
    mock().script({ type: "error", status: 500 });
    const error = (await provider()
      .createCompletionModel("m")
      .invoke({ message: "x" })
      .catch((caught: unknown) => caught)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "THRYD_API_ERROR", status: 500, isRetryable: true });
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it("reads Retry-After of a 429 in milliseconds", async () => {
    mock().script({ type: "error", status: 429, retryAfterS: 3 });
    await expect(
      provider().createCompletionModel("m").invoke({ message: "x" }),
    ).rejects.toMatchObject({ status: 429, retryAfterMs: 3000, isRetryable: true });
  });

  it("keeps a 400 non-transient and truncates a long body", async () => {
    mock().script({ type: "error", status: 400, body: "y".repeat(5000) });
    const error = (await provider()
      .createCompletionModel("m")
      .invoke({ message: "x" })
      .catch((caught: unknown) => caught)) as ApiError;
    expect(error.isRetryable).toBe(false);
    expect(error.body.length).toBeLessThanOrEqual(2001);
  });

  it("raises ParseError on a malformed body", async () => {
    mock().script({ type: "malformed" });
    await expect(
      provider().createCompletionModel("m").invoke({ message: "x" }),
    ).rejects.toBeInstanceOf(ParseError);
  });

  it("raises NetworkError on a dropped connection", async () => {
    mock().script({ type: "drop" });
    await expect(
      provider().createCompletionModel("m").invoke({ message: "x" }),
    ).rejects.toBeInstanceOf(NetworkError);
  });

  it("times out a hanging request and aborts on the caller's signal", async () => {
    mock().script({ type: "hang" }, { type: "hang" });
    const model = provider().createCompletionModel("m");
    await expect(
      provider().postJson("chat/completions", { messages: [] }, { timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const pending = model.invoke({ message: "x" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it("splits embeddings into parallel chunks merged in order with summed usage", async () => {
    const texts = ["one", "two", "three", "four", "five"];
    const model = provider().createEmbeddingModel("emb");
    const whole = await model.invoke({ texts, ndim: 4 });
    mock().reset();
    const chunked = await model.invoke({ texts, ndim: 4, maxBatchEmbSize: 2 });
    expect(mock().requestCount).toBe(3);
    expect(mock().requests.map((request) => (request.body as { input: string[] }).input)).toEqual(
      expect.arrayContaining([["one", "two"], ["three", "four"], ["five"]]),
    );
    expect(mock().requests[0]?.body).toMatchObject({ dimensions: 4, model: "emb" });
    expect(chunked.embeddings).toEqual(whole.embeddings);
    expect(chunked.usage.total_tokens).toBe(whole.usage.total_tokens);
  });

  it("reranks through a configurable path and returns [index, score] best first", async () => {
    const reranker = new OpenAICompatibleProvider({
      name: "r",
      apiKey: "k",
      baseUrl: mock().url,
      rerankPath: "reranks",
    }).createRerankModel("rr");
    const response = await reranker.invoke({ query: "red fox", documents: ["blue", "red fox"] });
    expect(mock().requests[0]?.path).toBe("/v1/reranks");
    expect(response.rankings).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it("reads Voyage's rerank answer shape (data[] with usage.total_tokens)", async () => {
    mock().script({
      type: "raw",
      contentType: "application/json",
      body: JSON.stringify({
        object: "list",
        data: [
          { relevance_score: 0.25, index: 0 },
          { relevance_score: 0.875, index: 1 },
        ],
        model: "rerank-2",
        usage: { total_tokens: 26 },
      }),
    });
    const reranker = new OpenAICompatibleProvider({
      name: "voyage",
      apiKey: "k",
      baseUrl: mock().url,
    }).createRerankModel("rerank-2");
    const response = await reranker.invoke({ query: "q", documents: ["a", "b"] });
    expect(mock().requests[0]?.path).toBe("/v1/rerank");
    expect(response.rankings).toEqual([
      [1, 0.875],
      [0, 0.25],
    ]);
    expect(response.usage.total_tokens).toBe(26);
  });

  it("names the model when a rerank answer has neither results[] nor data[]", async () => {
    mock().script({ type: "raw", contentType: "application/json", body: '{"ranking": []}' });
    const reranker = new OpenAICompatibleProvider({ name: "r", apiKey: "k", baseUrl: mock().url });
    await expect(
      reranker.createRerankModel("rr").invoke({ query: "q", documents: ["a"] }),
    ).rejects.toThrow(/rerank answer of model "rr": no results\[\] or data\[\]/);
  });

  it("GETs JSON", async () => {
    await expect(provider().getJson("models")).resolves.toMatchObject({ object: "list" });
  });
});

describe("createProvider", () => {
  it("builds each type and reports the missing field", () => {
    expect(
      createProvider("OpenAICompatible", { name: "x", apiKey: "k", endpoint: mock().url }).baseUrl,
    ).toBe(`${mock().url}/`);
    expect(createProvider("Dummy").name).toBe("dummy");
    expect(createProvider("OpenAI", { env: { OPENAI_API_KEY: "k" } }).baseUrl).toBe(
      "https://api.openai.com/v1/",
    );
    expect(() => createProvider("OpenAICompatible", { apiKey: "k", endpoint: "http://x" })).toThrow(
      "Name not provided!",
    );
    expect(() => createProvider("OpenAICompatible", { name: "n", endpoint: "http://x" })).toThrow(
      "API key not provided!",
    );
    expect(() => createProvider("OpenAICompatible", { name: "n", apiKey: "k" })).toThrow(
      "Endpoint not provided!",
    );
    expect(() => createProvider("OpenAI", { env: {} })).toThrow(ProviderCreateError);
    expect(() => createProvider("Nope" as "Dummy")).toThrow(ProviderCreateError);
  });

  it('takes the "OpenAI" base URL from OPENAI_BASE_URL, after an explicit endpoint', () => {
    const env = { OPENAI_API_KEY: "k", OPENAI_BASE_URL: mock().url };
    expect(createProvider("OpenAI", { env }).baseUrl).toBe(`${mock().url}/`);
    expect(createProvider("OpenAI", { apiKey: "k2", env }).baseUrl).toBe(`${mock().url}/`);
    expect(createProvider("OpenAI", { env, endpoint: "http://proxy.test/v1" }).baseUrl).toBe(
      "http://proxy.test/v1/",
    );
  });
});

describe("OpenAI from the environment", () => {
  it("answers through the OPENAI_BASE_URL and OPENAI_API_KEY the official SDK reads", async () => {
    const openai = OpenAICompatibleProvider.openaiFromEnv({
      OPENAI_API_KEY: SECRET,
      OPENAI_BASE_URL: mock().url,
    });
    expect(openai.name).toBe("openai");
    await openai.createCompletionModel("gpt-4o-mini").invoke({ message: "hi" });
    expect(mock().requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(OpenAICompatibleProvider.openaiFromEnv({ OPENAI_API_KEY: "k" }).baseUrl).toBe(
      "https://api.openai.com/v1/",
    );
  });

  it("throws ProviderCreateError, not a TypeError, for a key variable that is unset", () => {
    const unset: Record<string, string | undefined> = {};
    expect(() => OpenAICompatibleProvider.openai(unset.OPENAI_API_KEY!)).toThrow(
      ProviderCreateError,
    );
    expect(() => OpenAICompatibleProvider.openai([unset.KEY_A!, "k"])).toThrow(
      'API key not provided! (provider "openai")',
    );
    expect(
      () => new OpenAICompatibleProvider({ name: "n", apiKey: unset.KEY!, baseUrl: mock().url }),
    ).toThrow(ProviderCreateError);
  });
});
