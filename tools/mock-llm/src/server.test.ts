import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockLlmServer, startMockLlm } from "./index.js";

let server: MockLlmServer;
beforeAll(async () => {
  server = await startMockLlm();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

// biome-ignore lint/suspicious/noExplicitAny: test reads loosely typed JSON answers
type Json = any;
const postJson = async (path: string, body: unknown): Promise<Json> =>
  (await post(path, body)).json();
const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("mock-llm", () => {
  it("echoes the last user message and records the request", async () => {
    const response = await post("/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: "hello" }],
    });
    const json = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(json.choices[0]?.message.content).toBe("echo: hello");
    expect(server.requestCount).toBe(1);
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.body).toMatchObject({ model: "m" });
  });

  it("streams SSE with a role-only chunk, a usage chunk and [DONE]", async () => {
    const response = await post("/chat/completions", {
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "abcdefgh" }],
    });
    const text = await response.text();
    expect(text.startsWith('data: {"id":"chatcmpl-mock"')).toBe(true);
    expect(text).toContain('"delta":{"role":"assistant"}');
    expect(text).toContain('"usage":{"prompt_tokens":2');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("returns deterministic embeddings of the requested size", async () => {
    const first = await postJson("/embeddings", { input: ["a", "b"], dimensions: 3 });
    const second = await postJson("/embeddings", { input: ["a"], dimensions: 3 });
    expect(first.data).toHaveLength(2);
    expect(first.data[0].embedding).toHaveLength(3);
    expect(second.data[0].embedding).toEqual(first.data[0].embedding);
  });

  it("ranks documents by query word overlap", async () => {
    const json = await postJson("/rerank", {
      query: "red fox",
      documents: ["blue", "red fox", "red"],
    });
    expect(json.results.map((result: { index: number }) => result.index)).toEqual([1, 2, 0]);
  });

  it("plays scripted behaviours in order, then the default", async () => {
    server.script({ type: "error", status: 429, retryAfterS: 2 }, { type: "malformed" });
    const limited = await post("/chat/completions", {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(await (await post("/chat/completions", {})).text()).toBe("{ this is not json");
    expect((await post("/chat/completions", {})).status).toBe(200);
  });

  it("stalls a stream after its first chunk, keeping the connection open", async () => {
    server.script({ type: "stall-mid-stream" });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"content":"partial"');
    const silent = await Promise.race([
      reader.read().then(() => "more"),
      new Promise((resolve) => setTimeout(() => resolve("silent"), 200)),
    ]);
    expect(silent).toBe("silent");
    controller.abort();
  });

  it("drops the connection when scripted to", async () => {
    server.script({ type: "drop" });
    await expect(post("/chat/completions", {})).rejects.toThrow();
  });
});
