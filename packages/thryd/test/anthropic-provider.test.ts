import { describe, expect, it } from "vitest";
import {
  AnthropicProvider,
  ApiError,
  createCompletionRouter,
  createEmbeddingRouter,
  createProvider,
  createRerankRouter,
  ModelNotSupportedError,
  NetworkError,
  ProviderCreateError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { collect } from "./stream-events.js";

const mock = useMockServer();

const SECRET = "sk-ant-secret-0123456789";
const provider = (baseUrl = mock().origin, apiKey: string | string[] = SECRET) =>
  new AnthropicProvider({ apiKey, baseUrl });

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("AnthropicProvider over loopback", () => {
  it("posts to <base>/v1/messages with x-api-key and anthropic-version, slash or not", async () => {
    await provider(mock().origin).createCompletionModel("claude").invoke({ message: "a" });
    await provider(`${mock().origin}/`).createCompletionModel("claude").invoke({ message: "b" });
    expect(mock().requests.map((request) => request.path)).toEqual([
      "/v1/messages",
      "/v1/messages",
    ]);
    const headers = mock().requests[0]?.headers ?? {};
    expect(headers["x-api-key"]).toBe(SECRET);
    expect(headers["anthropic-version"]).toBe("2023-06-01");
    expect(headers.authorization).toBeUndefined();
  });

  it("maps the request: max_tokens defaulted, images before the text, effort as a thinking budget", async () => {
    const model = provider().createCompletionModel("claude-x");
    await model.invoke({ message: "plain" });
    await model.invoke({
      message: "describe",
      images: ["data:image/png;base64,iVBORw0K", "https://example.com/cat.jpg"],
      top_p: 0.97,
      max_completion_tokens: 77,
      effort: "high",
    });
    expect(mock().requests[0]?.body).toEqual({
      model: "claude-x",
      max_tokens: 4096,
      messages: [{ role: "user", content: "plain" }],
    });
    expect(mock().requests[1]?.body).toEqual({
      model: "claude-x",
      // The answer's 77 tokens plus the "high" thinking budget.
      max_tokens: 77 + 16384,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "iVBORw0K" },
            },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
            { type: "text", text: "describe" },
          ],
        },
      ],
      top_p: 0.97,
      thinking: { type: "enabled", budget_tokens: 16384 },
    });
  });

  it("honours defaultMaxTokens and an apiVersion override", async () => {
    await new AnthropicProvider({
      apiKey: SECRET,
      baseUrl: mock().origin,
      defaultMaxTokens: 512,
      apiVersion: "2099-01-01",
    })
      .createCompletionModel("c")
      .invoke({ message: "x" });
    expect(mock().requests[0]?.body).toMatchObject({ max_tokens: 512 });
    expect(mock().requests[0]?.headers["anthropic-version"]).toBe("2099-01-01");
  });

  it("returns the text blocks as content, thinking left out, with usage in our field names", async () => {
    mock().script({ type: "ok", content: "final answer", reasoning: "hidden chain of thought" });
    const response = await provider().createCompletionModel("c").invoke({ message: "why" });
    expect(response.content).toBe("final answer");
    // The mock counts 1 token per 4 chars: "why" → 1; answer 3 + thinking 6 → 9 output tokens.
    expect(response.usage).toEqual({ prompt_tokens: 1, completion_tokens: 9, total_tokens: 10 });
  });

  it("streams text deltas only, with usage from message_start and message_delta", async () => {
    mock().script({ type: "ok", reasoning: "thinking hard" });
    const { deltas, usage } = await collect(
      provider().createCompletionModel("c").stream!({ message: "streaming works" }),
    );
    expect(deltas.join("")).toBe("echo: streaming works");
    expect(deltas.length).toBeGreaterThan(1);
    expect(usage).toEqual({ prompt_tokens: 4, completion_tokens: 10, total_tokens: 14 });
    expect(mock().requests[0]?.body).toMatchObject({ stream: true, max_tokens: 4096 });
  });

  it("fails a stream cut after its first delta with a transient NetworkError", async () => {
    mock().script({ type: "drop-mid-stream" });
    const error = await collect(
      provider().createCompletionModel("c").stream!({ message: "x" }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).isRetryable).toBe(true);
  });

  it("maps Anthropic error JSON to ApiError: 529 and 429 transient, 400 not, key never shown", async () => {
    mock().script(
      { type: "error", status: 529 },
      { type: "error", status: 429, retryAfterS: 7 },
      { type: "error", status: 400 },
    );
    const model = provider().createCompletionModel("c");
    const failures: ApiError[] = [];
    for (let index = 0; index < 3; index++) {
      failures.push((await model.invoke({ message: "x" }).catch((caught) => caught)) as ApiError);
    }
    expect(failures.map((error) => [error.status, error.errorType, error.isRetryable])).toEqual([
      [529, "overloaded_error", true],
      [429, "rate_limit_error", true],
      [400, "invalid_request_error", false],
    ]);
    expect(failures[1]?.retryAfterMs).toBe(7000);
    for (const error of failures) {
      expect(error).toBeInstanceOf(ApiError);
      expect(`${error.message}${JSON.stringify(error)}`).not.toContain(SECRET);
    }
  });

  it("serves completions through a Router, retrying a 529 no sooner than its Retry-After", async () => {
    const { waits, sleep } = recordingSleep();
    const router = createCompletionRouter({ retry: { initialBackoffMs: 10 }, sleep }).addProvider(
      provider(),
    );
    router.deploy("chat", "anthropic/claude-x");
    mock().script({ type: "error", status: 529, retryAfterS: 2 });
    await expect(router.invoke("chat", { message: "ping" })).resolves.toMatchObject({
      content: "echo: ping",
      usage: { prompt_tokens: 1 },
    });
    expect(mock().requestCount).toBe(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    const deltas: string[] = [];
    for await (const delta of router.stream("chat", { message: "pong" })) deltas.push(delta);
    expect(deltas.join("")).toBe("echo: pong");
  });

  it("refuses embedding and rerank deployments with ModelNotSupportedError", () => {
    expect(() =>
      createEmbeddingRouter().addProvider(provider()).deploy("e", "anthropic/x"),
    ).toThrow(ModelNotSupportedError);
    expect(() => createRerankRouter().addProvider(provider()).deploy("r", "anthropic/x")).toThrow(
      ModelNotSupportedError,
    );
  });
});

describe('createProvider("Anthropic")', () => {
  it("reads ANTHROPIC_API_KEY from the injected env and defaults the base URL", () => {
    const fromEnv = createProvider("Anthropic", { env: { ANTHROPIC_API_KEY: "k1" } });
    expect(fromEnv.name).toBe("anthropic");
    expect(fromEnv.baseUrl).toBe("https://api.anthropic.com/");
    expect(fromEnv.authHeaders()["x-api-key"]).toBe("k1");
    const proxied = createProvider("Anthropic", {
      name: "claude",
      apiKey: "k",
      endpoint: mock().origin,
    });
    expect([proxied.name, proxied.baseUrl]).toEqual(["claude", `${mock().origin}/`]);
    expect(() => createProvider("Anthropic", { env: {} })).toThrow(ProviderCreateError);
  });

  it("takes the base URL from ANTHROPIC_BASE_URL, as the official SDK does", async () => {
    const env = { ANTHROPIC_API_KEY: "k1", ANTHROPIC_BASE_URL: mock().origin };
    const fromEnv = AnthropicProvider.fromEnv(env);
    expect(fromEnv.baseUrl).toBe(`${mock().origin}/`);
    await fromEnv.createCompletionModel("claude").invoke({ message: "hi" });
    expect(mock().requests.at(-1)?.path).toBe("/v1/messages");
    expect(createProvider("Anthropic", { apiKey: "k", env }).baseUrl).toBe(`${mock().origin}/`);
    expect(AnthropicProvider.fromEnv(env, { baseUrl: "http://proxy.test" }).baseUrl).toBe(
      "http://proxy.test/",
    );
  });

  it("splits a comma-separated ANTHROPIC_API_KEY into a key pool", async () => {
    const pooled = AnthropicProvider.fromEnv(
      { ANTHROPIC_API_KEY: "sk-ant-one-00000001, sk-ant-two-00000002" },
      { baseUrl: mock().origin },
    );
    expect(pooled.keyStates().map((state) => state.hint)).toEqual(["…0001", "…0002"]);
    const model = pooled.createCompletionModel("c");
    await model.invoke({ message: "1" });
    await model.invoke({ message: "2" });
    expect(mock().requests.map((request) => request.headers["x-api-key"])).toEqual([
      "sk-ant-one-00000001",
      "sk-ant-two-00000002",
    ]);
  });
});
