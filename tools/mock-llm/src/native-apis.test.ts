import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { embedText, type MockLlmServer, startMockLlm } from "./index.js";

let server: MockLlmServer;
beforeAll(async () => {
  server = await startMockLlm();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

// biome-ignore lint/suspicious/noExplicitAny: test reads loosely typed JSON answers
type Json = any;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const anthropic = (body: Record<string, unknown>) =>
  post("/v1/messages", body, { "x-api-key": "a-key", "anthropic-version": "2023-06-01" });
const gemini = (method: string, body: unknown) =>
  post(`/v1beta/models/gemini-x:${method}`, body, { "x-goog-api-key": "g-key" });
const message = (text: string) => ({ role: "user", content: text });
const eventNames = (text: string) =>
  [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);

describe("mock-llm Anthropic Messages API", () => {
  it("answers a message with text content and input/output usage, recording the headers", async () => {
    const response = await anthropic({
      model: "claude-x",
      max_tokens: 10,
      messages: [message("hi there")],
    });
    const json: Json = await response.json();
    expect(json).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [{ type: "text", text: "echo: hi there" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 2, output_tokens: 4 },
    });
    expect(server.requests[0]).toMatchObject({
      path: "/v1/messages",
      headers: { "x-api-key": "a-key", "anthropic-version": "2023-06-01" },
    });
  });

  it("refuses a request without max_tokens (400) or without x-api-key (401), in Anthropic's error shape", async () => {
    const missing = await anthropic({ model: "m", messages: [message("x")] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
    const anonymous = await post("/v1/messages", { max_tokens: 1, messages: [] });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Json).error.type).toBe("authentication_error");
  });

  it("streams the real event sequence with a thinking block before the text", async () => {
    server.script({ type: "ok", content: "abcdefgh", reasoning: "let me think" });
    const text = await (
      await anthropic({ model: "m", max_tokens: 5, stream: true, messages: [message("q")] })
    ).text();
    expect(eventNames(text)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(text).toContain('"delta":{"type":"thinking_delta","thinking":"let me think"}');
    expect(text).toContain('"delta":{"type":"text_delta","text":"abcd"}');
    expect(text).toContain('"usage":{"input_tokens":null,"output_tokens":5}');
  });

  it("answers scripted tool calls as tool_use blocks with stop_reason tool_use", async () => {
    server.script({
      type: "ok",
      toolCalls: [
        { id: "toolu_1", name: "add", arguments: '{"a":1,"b":2}' },
        { name: "now", arguments: "" },
      ],
    });
    const json: Json = await (
      await anthropic({ model: "m", max_tokens: 5, messages: [message("q")] })
    ).json();
    expect(json.content).toEqual([
      { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } },
      { type: "tool_use", id: "toolu_mock_1", name: "now", input: {} },
    ]);
    expect(json.stop_reason).toBe("tool_use");
  });

  it("streams tool arguments as input_json_delta pieces that add up to the JSON", async () => {
    server.script({
      type: "ok",
      toolCalls: [{ id: "t", name: "add", arguments: '{"a":1,"b":2}' }],
    });
    const text = await (
      await anthropic({ model: "m", max_tokens: 5, stream: true, messages: [message("q")] })
    ).text();
    const pieces = [...text.matchAll(/"partial_json":("(?:[^"\\]|\\.)*")/g)].map(
      (match) => JSON.parse(match[1]!) as string,
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe('{"a":1,"b":2}');
    expect(text).toContain('"content_block":{"type":"tool_use","id":"t","name":"add","input":{}}');
    expect(text).toContain('"stop_reason":"tool_use"');
  });

  it("maps finish reasons to stop_reason and leaves out the end markers when truncated", async () => {
    server.script(
      { type: "ok", finishReason: "length" },
      { type: "ok", finishReason: "content_filter" },
      { type: "truncated" },
      { type: "truncated" },
    );
    const ask = async (stream: boolean) =>
      anthropic({ model: "m", max_tokens: 5, stream, messages: [message("q")] });
    expect(((await (await ask(false)).json()) as Json).stop_reason).toBe("max_tokens");
    expect(((await (await ask(false)).json()) as Json).stop_reason).toBe("refusal");
    expect(((await (await ask(false)).json()) as Json).stop_reason).toBeNull();
    const stream = await (await ask(true)).text();
    expect(eventNames(stream)).toContain("message_delta");
    expect(eventNames(stream)).not.toContain("message_stop");
  });

  it("scripts errors as Anthropic error objects, 529 as overloaded_error", async () => {
    server.script({ type: "error", status: 529 });
    const response = await anthropic({ model: "m", max_tokens: 1, messages: [message("x")] });
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "scripted 529" },
    });
  });

  it("cuts a stream after message_start and one delta when scripted to", async () => {
    server.script({ type: "drop-mid-stream" });
    const response = await anthropic({ model: "m", max_tokens: 1, stream: true, messages: [] });
    await expect(response.text()).rejects.toThrow();
  });
});

describe("mock-llm Gemini API", () => {
  const contents = (text: string) => ({ contents: [{ role: "user", parts: [{ text }] }] });

  it("answers generateContent with thought parts apart and usageMetadata", async () => {
    server.script({ type: "ok", content: "four", reasoning: "2+2" });
    const json: Json = await (await gemini("generateContent", contents("sum?"))).json();
    expect(json.candidates[0]).toMatchObject({
      content: { role: "model", parts: [{ text: "2+2", thought: true }, { text: "four" }] },
      finishReason: "STOP",
    });
    expect(json.usageMetadata).toEqual({
      promptTokenCount: 1,
      candidatesTokenCount: 1,
      thoughtsTokenCount: 1,
      totalTokenCount: 3,
    });
    expect(server.requests[0]?.headers["x-goog-api-key"]).toBe("g-key");
  });

  it("streams CRLF-separated chunks with running usage and finishReason on the last", async () => {
    const response = await post(
      "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
      contents("abcdefgh"),
      { "x-goog-api-key": "g-key" },
    );
    const text = await response.text();
    const chunks = text
      .split("\r\n\r\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line.replace(/^data: /, "")) as Json);
    expect(chunks.map((chunk) => chunk.candidates[0].content.parts[0].text).join("")).toBe(
      "echo: abcdefgh",
    );
    expect(chunks.at(-1).candidates[0].finishReason).toBe("STOP");
    expect(chunks[0].candidates[0].finishReason).toBeUndefined();
    expect(chunks.at(-1).usageMetadata).toMatchObject({
      promptTokenCount: 2,
      candidatesTokenCount: 4,
    });
    expect(server.requests[0]?.path).toBe("/v1beta/models/gemini-x:streamGenerateContent?alt=sse");
  });

  it("answers scripted tool calls as functionCall parts without ids, finishReason STOP", async () => {
    server.script({ type: "ok", toolCalls: [{ name: "add", arguments: '{"a":1}' }] });
    const json: Json = await (await gemini("generateContent", contents("q"))).json();
    expect(json.candidates[0]).toMatchObject({
      content: { role: "model", parts: [{ functionCall: { name: "add", args: { a: 1 } } }] },
      finishReason: "STOP",
    });
  });

  it("streams each function call whole in its own chunk, the last one finishing", async () => {
    server.script({
      type: "ok",
      content: "ok",
      toolCalls: [
        { name: "a", arguments: "{}" },
        { name: "b", arguments: '{"x":[1]}' },
      ],
    });
    const response = await post(
      "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
      contents("q"),
      { "x-goog-api-key": "g-key" },
    );
    const chunks = (await response.text())
      .split("\r\n\r\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line.replace(/^data: /, "")) as Json);
    expect(chunks.map((chunk) => chunk.candidates[0].content.parts)).toEqual([
      [{ text: "ok" }],
      [{ functionCall: { name: "a", args: {} } }],
      [{ functionCall: { name: "b", args: { x: [1] } } }],
    ]);
    expect(chunks.map((chunk) => chunk.candidates[0].finishReason)).toEqual([
      undefined,
      undefined,
      "STOP",
    ]);
  });

  it("maps finish reasons (content_filter → SAFETY) and leaves finishReason out when truncated", async () => {
    server.script(
      { type: "ok", finishReason: "content_filter" },
      { type: "ok", finishReason: "length" },
      { type: "truncated" },
    );
    const reasons: unknown[] = [];
    for (let index = 0; index < 3; index++) {
      const json: Json = await (await gemini("generateContent", contents("q"))).json();
      reasons.push(json.candidates[0].finishReason);
    }
    expect(reasons).toEqual(["SAFETY", "MAX_TOKENS", undefined]);
  });

  it("embeds with batchEmbedContents, one vector per request of outputDimensionality", async () => {
    const json: Json = await (
      await gemini("batchEmbedContents", {
        requests: ["a", "b"].map((text) => ({
          model: "models/gemini-x",
          content: { parts: [{ text }] },
          outputDimensionality: 3,
        })),
      })
    ).json();
    expect(json.embeddings).toEqual([{ values: embedText("a", 3) }, { values: embedText("b", 3) }]);
  });

  it("scripts errors in Google's shape and refuses a request without a key", async () => {
    server.script({ type: "error", status: 429, retryAfterS: 1 });
    const limited = await gemini("generateContent", contents("x"));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: { code: 429, message: "scripted 429", status: "RESOURCE_EXHAUSTED" },
    });
    const anonymous = await post("/v1beta/models/g:generateContent", contents("x"));
    expect(anonymous.status).toBe(403);
    expect(((await anonymous.json()) as Json).error.status).toBe("PERMISSION_DENIED");
  });
});
