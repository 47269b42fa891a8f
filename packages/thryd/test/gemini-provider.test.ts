import { embedText } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import {
  type ApiError,
  countTokensBatch,
  createCompletionRouter,
  createEmbeddingRouter,
  createProvider,
  createRerankRouter,
  GeminiProvider,
  ModelNotSupportedError,
  ProviderCreateError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { collect } from "./stream-events.js";

const mock = useMockServer();

const SECRET = "AIza-gemini-secret-0123456789";
const provider = (baseUrl = mock().origin, apiKey: string | string[] = SECRET) =>
  new GeminiProvider({ apiKey, baseUrl });

describe("GeminiProvider over loopback", () => {
  it("posts to <base>/v1beta/models/<model>:generateContent with the key in x-goog-api-key only", async () => {
    await provider(mock().origin).createCompletionModel("gemini-x").invoke({ message: "a" });
    await provider(`${mock().origin}/`)
      .createCompletionModel("models/gemini-x")
      .invoke({ message: "b" });
    expect(mock().requests.map((request) => request.path)).toEqual([
      "/v1beta/models/gemini-x:generateContent",
      "/v1beta/models/gemini-x:generateContent",
    ]);
    expect(mock().requests[0]?.headers["x-goog-api-key"]).toBe(SECRET);
    expect(mock().requests[0]?.headers.authorization).toBeUndefined();
  });

  it("maps the request to contents and generationConfig, images as inlineData / fileData", async () => {
    const model = provider().createCompletionModel("gemini-x");
    await model.invoke({ message: "plain" });
    await model.invoke({
      message: "describe",
      images: ["data:image/webp;base64,UklGRg==", "https://example.com/cat.png"],
      temperature: 0.4,
      top_p: 0.9,
      max_completion_tokens: 128,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      effort: "low",
    });
    expect(mock().requests[0]?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "plain" }] }],
    });
    expect(mock().requests[1]?.body).toEqual({
      contents: [
        {
          role: "user",
          parts: [
            { inlineData: { mimeType: "image/webp", data: "UklGRg==" } },
            { fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.png" } },
            { text: "describe" },
          ],
        },
      ],
      generationConfig: {
        temperature: 0.4,
        topP: 0.9,
        maxOutputTokens: 128,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        thinkingConfig: { thinkingBudget: 2048 },
      },
    });
  });

  it("leaves thought parts out of the content and counts thinking as completion tokens", async () => {
    mock().script({ type: "ok", content: "four", reasoning: "two plus two is four" });
    const response = await provider().createCompletionModel("g").invoke({ message: "2+2?" });
    expect(response.content).toBe("four");
    // Mock counts: prompt 1, candidates 1, thoughts 5; total 7.
    expect(response.usage).toEqual({ prompt_tokens: 1, completion_tokens: 6, total_tokens: 7 });
  });

  it("streams from :streamGenerateContent?alt=sse with the last chunk's usage", async () => {
    mock().script({ type: "ok", reasoning: "hmm" });
    const { deltas, usage } = await collect(
      provider().createCompletionModel("gemini-x").stream!({ message: "streaming works" }),
    );
    expect(deltas.join("")).toBe("echo: streaming works");
    expect(deltas.length).toBeGreaterThan(1);
    expect(usage).toEqual({ prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 });
    expect(mock().requests[0]?.path).toBe("/v1beta/models/gemini-x:streamGenerateContent?alt=sse");
  });

  it("maps Google error JSON to ApiError with the status name, reading RetryInfo as Retry-After", async () => {
    const retryInfo = JSON.stringify({
      error: {
        code: 429,
        message: "quota",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "34.4s" }],
      },
    });
    mock().script(
      { type: "error", status: 429, body: retryInfo },
      { type: "error", status: 503 },
      { type: "error", status: 400 },
    );
    const model = provider().createCompletionModel("g");
    const failures: ApiError[] = [];
    for (let index = 0; index < 3; index++) {
      failures.push((await model.invoke({ message: "x" }).catch((caught) => caught)) as ApiError);
    }
    expect(failures.map((error) => [error.status, error.errorType, error.isRetryable])).toEqual([
      [429, "RESOURCE_EXHAUSTED", true],
      [503, "UNAVAILABLE", true],
      [400, "INVALID_ARGUMENT", false],
    ]);
    expect(failures[0]?.retryAfterMs).toBe(34_400);
    for (const error of failures)
      expect(`${error.message}${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it("serves completions and streams through a Router with retries", async () => {
    const router = createCompletionRouter({ retry: true, sleep: async () => {} }).addProvider(
      provider(),
    );
    router.deploy("chat", "gemini/gemini-x");
    mock().script({ type: "error", status: 503 });
    await expect(router.invoke("chat", { message: "ping" })).resolves.toMatchObject({
      content: "echo: ping",
    });
    expect(mock().requestCount).toBe(2);
    const deltas: string[] = [];
    for await (const delta of router.stream("chat", { message: "pong" })) deltas.push(delta);
    expect(deltas.join("")).toBe("echo: pong");
  });

  it("embeds through createEmbeddingRouter with batchEmbedContents, split per maxBatchEmbSize", async () => {
    const router = createEmbeddingRouter().addProvider(provider());
    router.deploy("emb", "gemini/text-embedding-x");
    const texts = ["one", "two", "three"];
    const response = await router.invoke("emb", { texts, ndim: 6, maxBatchEmbSize: 2 });
    expect(response.embeddings).toEqual(texts.map((text) => embedText(text, 6)));
    expect(response.usage.prompt_tokens).toBe(countTokensBatch(texts).reduce((a, b) => a + b, 0));
    expect(mock().requests.map((request) => request.path)).toEqual([
      "/v1beta/models/text-embedding-x:batchEmbedContents",
      "/v1beta/models/text-embedding-x:batchEmbedContents",
    ]);
    const bodies = mock().requests.map((request) => request.body);
    expect(bodies).toContainEqual({
      requests: [
        {
          model: "models/text-embedding-x",
          content: { parts: [{ text: "three" }] },
          outputDimensionality: 6,
        },
      ],
    });
  });

  it("refuses rerank deployments with ModelNotSupportedError", () => {
    expect(() => createRerankRouter().addProvider(provider()).deploy("r", "gemini/x")).toThrow(
      ModelNotSupportedError,
    );
  });
});

describe('createProvider("Gemini")', () => {
  it("reads GEMINI_API_KEY from the injected env and defaults the base URL", () => {
    const fromEnv = createProvider("Gemini", { env: { GEMINI_API_KEY: "g1" } });
    expect([fromEnv.name, fromEnv.baseUrl]).toEqual([
      "gemini",
      "https://generativelanguage.googleapis.com/",
    ]);
    expect(fromEnv.authHeaders()["x-goog-api-key"]).toBe("g1");
    const proxied = createProvider("Gemini", {
      name: "g",
      apiKey: ["a", "b"],
      endpoint: mock().origin,
    });
    expect((proxied as GeminiProvider).keyStates()).toHaveLength(2);
    expect(() => createProvider("Gemini", { env: {} })).toThrow(ProviderCreateError);
  });

  it("takes the base URL from GOOGLE_GEMINI_BASE_URL, as @google/genai does", async () => {
    const env = { GEMINI_API_KEY: "g1", GOOGLE_GEMINI_BASE_URL: mock().origin };
    const fromEnv = GeminiProvider.fromEnv(env);
    expect(fromEnv.baseUrl).toBe(`${mock().origin}/`);
    await fromEnv.createCompletionModel("gemini-2.5-flash").invoke({ message: "hi" });
    expect(mock().requests.at(-1)?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(createProvider("Gemini", { apiKey: "g", env }).baseUrl).toBe(`${mock().origin}/`);
  });
});
