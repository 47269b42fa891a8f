import { describe, expect, it } from "vitest";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { CompletionModel, StreamEvent, StreamingResponse } from "../types.js";
import { AnthropicCompletionModel } from "./anthropic-completion-model.js";
import { GeminiCompletionModel } from "./gemini-completion-model.js";

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
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

describe("GeminiCompletionModel.stream", () => {
  it("raises a transient SseError on an error chunk", async () => {
    const text = `data: ${JSON.stringify({ error: { code: 503, message: "busy", status: "UNAVAILABLE" } })}\r\n\r\n`;
    await expect(gemini(text)).rejects.toMatchObject({ code: "THRYD_SSE", isRetryable: true });
  });
});
