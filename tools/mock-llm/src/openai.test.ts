import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockLlmServer, startMockLlm } from "./index.js";

let server: MockLlmServer;
beforeAll(async () => {
  server = await startMockLlm();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

// biome-ignore lint/suspicious/noExplicitAny: the test reads loosely typed JSON answers
type Json = any;
const chat = (body: Record<string, unknown>) =>
  fetch(`${server.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], ...body }),
  });

/** The JSON payloads of an SSE body, `[DONE]` kept as the string. */
const sseData = (text: string): Json[] =>
  text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice(6))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));

const weather = { id: "call_a", name: "get_weather", arguments: '{"city":"Paris","unit":"C"}' };
const time = { name: "get_time", arguments: '{"zone":"Europe/Paris"}' };

describe("mock-llm OpenAI dialect", () => {
  it("answers scripted tool calls in JSON with null content and finish_reason tool_calls", async () => {
    server.script({ type: "ok", toolCalls: [weather, time] });
    const json: Json = await (await chat({})).json();
    expect(json.choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "get_weather", arguments: weather.arguments },
          },
          {
            id: "call_mock_1",
            type: "function",
            function: { name: "get_time", arguments: time.arguments },
          },
        ],
      },
      finish_reason: "tool_calls",
    });
  });

  it("streams each tool call as a first chunk with index, id and name, then its arguments in pieces", async () => {
    server.script({ type: "ok", toolCalls: [weather, time] });
    const frames = sseData(await (await chat({ stream: true })).text());
    const toolDeltas = frames
      .filter((frame) => frame !== "[DONE]")
      .flatMap((frame) => frame.choices[0]?.delta?.tool_calls ?? []);
    const first = toolDeltas.filter((delta: Json) => delta.id !== undefined);
    expect(first).toEqual([
      {
        index: 0,
        id: "call_a",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      {
        index: 1,
        id: "call_mock_1",
        type: "function",
        function: { name: "get_time", arguments: "" },
      },
    ]);
    for (const [index, call] of [weather, time].entries()) {
      const pieces = toolDeltas
        .filter((delta: Json) => delta.index === index && delta.id === undefined)
        .map((delta: Json) => delta.function.arguments);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join("")).toBe(call.arguments);
    }
    const finishes = frames.filter(
      (frame) => frame !== "[DONE]" && frame.choices[0]?.finish_reason,
    );
    expect(finishes.map((frame) => frame.choices[0].finish_reason)).toEqual(["tool_calls"]);
    expect(frames.at(-1)).toBe("[DONE]");
  });

  it("reports a scripted finish reason with the scripted content", async () => {
    server.script({ type: "ok", content: "cut sho", finishReason: "length" });
    const json: Json = await (await chat({})).json();
    expect(json.choices[0].message.content).toBe("cut sho");
    expect(json.choices[0].finish_reason).toBe("length");
  });

  it("truncates a JSON answer by leaving out its finish reason", async () => {
    server.script({ type: "truncated" });
    const json: Json = await (await chat({})).json();
    expect(json.choices[0].message.content).toBe("echo: hi");
    expect(json.choices[0].finish_reason).toBeNull();
  });

  it("truncates a stream cleanly before the finish chunk, the usage and [DONE]", async () => {
    server.script({ type: "truncated" });
    const response = await chat({ stream: true, stream_options: { include_usage: true } });
    const frames = sseData(await response.text());
    expect(frames.length).toBeGreaterThan(1);
    expect(frames).not.toContain("[DONE]");
    expect(frames.some((frame) => frame.choices[0]?.finish_reason)).toBe(false);
    expect(frames.some((frame) => frame.usage)).toBe(false);
  });

  it("paces stream chunks by chunkIntervalMs and counts a stream the client left as abandoned", async () => {
    server.script({ type: "ok", content: "0123456789abcdef", chunkIntervalMs: 30 });
    const started = Date.now();
    const whole = await (await chat({ stream: true })).text();
    // role, 4 text pieces, finish: 5 pauses of 30 ms before [DONE].
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 30 - 5);
    expect(sseData(whole).at(-1)).toBe("[DONE]");

    server.script({ type: "ok", content: "x".repeat(400), chunkIntervalMs: 50 });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => server.abandonedCount, { timeout: 5_000 }).toBe(1);
  });

  it("records each request body exactly as sent and parsed", async () => {
    const raw = '{"model":"m","messages":[{"role":"user","content":"exact"}],"seed":7}';
    await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw,
    });
    expect(server.requests[0]?.rawBody).toBe(raw);
    expect(server.requests[0]?.body).toEqual(JSON.parse(raw));
  });

  it("records a body that is not JSON as raw text only", async () => {
    await fetch(`${server.url}/chat/completions`, { method: "POST", body: "not json" });
    expect(server.requests[0]?.rawBody).toBe("not json");
    expect(server.requests[0]?.body).toBeUndefined();
  });
});
