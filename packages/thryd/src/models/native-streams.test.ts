import { describe, expect, it } from "vitest";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { CompletionModel, StreamEvent, StreamingResponse } from "../types.js";
import { AnthropicCompletionModel } from "./anthropic-completion-model.js";
import { GeminiCompletionModel } from "./gemini-completion-model.js";

// Splits the body into 7-byte chunks: events, JSON and multi-byte characters cut anywhere.
async function* bytes(text: string): AsyncIterable<Uint8Array> {
  const encoded = new TextEncoder().encode(text);
  for (let offset = 0; offset < encoded.length; offset += 7) {
    yield encoded.slice(offset, offset + 7);
  }
}

// A provider whose stream answer is fixed text, to drive the models' SSE handling.
class ScriptedStreamProvider extends DummyProvider {
  constructor(private readonly text: string) {
    super("scripted");
  }
  override postStream(): Promise<StreamingResponse> {
    return Promise.resolve({ headers: {}, body: bytes(this.text) });
  }
}

async function collect(model: CompletionModel) {
  const seen: StreamEvent[] = [];
  for await (const event of model.stream!({ message: "hi" })) seen.push(event);
  return seen;
}

const anthropic = (text: string) =>
  collect(new AnthropicCompletionModel("c", new ScriptedStreamProvider(text)));
const gemini = (text: string) =>
  collect(new GeminiCompletionModel("g", new ScriptedStreamProvider(text)));
const event = (data: Record<string, unknown> & { type: string }) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

describe("AnthropicCompletionModel.stream", () => {
  it("raises a transient SseError on an error event mid-stream", async () => {
    const text =
      event({ type: "message_start", message: { usage: { input_tokens: 3 } } }) +
      event({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    await expect(anthropic(text)).rejects.toMatchObject({
      code: "THRYD_SSE",
      isRetryable: true,
      message: expect.stringContaining("overloaded_error: Overloaded"),
    });
  });

  it("counts cache reads and writes as prompt tokens and stops at message_stop", async () => {
    const text =
      event({
        type: "message_start",
        message: {
          usage: { input_tokens: 2, cache_read_input_tokens: 10, cache_creation_input_tokens: 5 },
        },
      }) +
      event({ type: "content_block_delta", delta: { type: "text_delta", text: "ok" } }) +
      event({
        type: "message_delta",
        delta: { stop_reason: "end_turn" },
        usage: { output_tokens: 4, input_tokens: null },
      }) +
      event({ type: "message_stop" }) +
      event({ type: "content_block_delta", delta: { type: "text_delta", text: "late" } });
    expect(await anthropic(text)).toEqual([
      { type: "delta", text: "ok" },
      { type: "usage", usage: { prompt_tokens: 17, completion_tokens: 4, total_tokens: 21 } },
      { type: "finish", finish_reason: "stop" },
    ]);
  });
});

describe("AnthropicCompletionModel.stream over split bytes", () => {
  it("assembles a tool call and text with multi-byte characters cut across chunks", async () => {
    const text =
      event({ type: "message_start", message: { usage: { input_tokens: 2 } } }) +
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "Grüße " },
      }) +
      event({
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "toolu_1", name: "weather", input: {} },
      }) +
      event({
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"city":"Zürich"' },
      }) +
      event({
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: "}" },
      }) +
      event({ type: "content_block_stop", index: 1 }) +
      event({
        type: "message_delta",
        delta: { stop_reason: "tool_use" },
        usage: { output_tokens: 9 },
      }) +
      event({ type: "message_stop" });
    const events = await anthropic(text);
    expect(events.filter((item) => item.type === "delta")).toEqual([
      { type: "delta", text: "Grüße " },
    ]);
    expect(
      events
        .filter((item) => item.type === "tool_call_delta")
        .map((item) => (item.type === "tool_call_delta" ? item.arguments : ""))
        .join(""),
    ).toBe('{"city":"Zürich"}');
    expect(events.at(-1)).toEqual({ type: "finish", finish_reason: "tool_calls" });
  });
});

describe("GeminiCompletionModel.stream", () => {
  it("reads CRLF chunks split across reads and finishes with the last chunk's reason", async () => {
    const chunk = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
    const text =
      chunk({ candidates: [{ content: { parts: [{ text: "Grüße" }] } }] }) +
      chunk({
        candidates: [{ content: { parts: [{ text: " aus Zürich" }] }, finishReason: "STOP" }],
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 4, totalTokenCount: 5 },
      });
    expect(await gemini(text)).toEqual([
      { type: "delta", text: "Grüße" },
      { type: "delta", text: " aus Zürich" },
      { type: "usage", usage: { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 } },
      { type: "finish", finish_reason: "stop" },
    ]);
  });

  it("raises a transient SseError on an error chunk", async () => {
    const text = `data: ${JSON.stringify({ error: { code: 503, message: "busy", status: "UNAVAILABLE" } })}\r\n\r\n`;
    await expect(gemini(text)).rejects.toMatchObject({ code: "THRYD_SSE", isRetryable: true });
  });
});
