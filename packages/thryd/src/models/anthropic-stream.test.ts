import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../types.js";
import { mapAnthropicStopReason, readAnthropicMessage } from "./anthropic-response.js";
import { AnthropicStreamDecoder, type AnthropicStreamEvent } from "./anthropic-stream.js";
import { usageOf } from "./usage.js";

const fallback = () => usageOf(99, 99);

function decode(events: AnthropicStreamEvent[]): StreamEvent[] {
  const decoder = new AnthropicStreamDecoder('model "c"');
  const out: StreamEvent[] = [];
  for (const event of events) {
    out.push(...decoder.push(event));
    if (decoder.isStopped) break;
  }
  out.push(...decoder.end(fallback));
  return out;
}

const start = (input = 7): AnthropicStreamEvent => ({
  type: "message_start",
  message: { usage: { input_tokens: input, output_tokens: 1 } },
});
const text = (index: number, piece: string): AnthropicStreamEvent => ({
  type: "content_block_delta",
  index,
  delta: { type: "text_delta", text: piece },
});
const json = (index: number, piece: string): AnthropicStreamEvent => ({
  type: "content_block_delta",
  index,
  delta: { type: "input_json_delta", partial_json: piece },
});
const toolStart = (index: number, id: string, name: string): AnthropicStreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "tool_use", id, name },
});
const stopDelta = (reason: string | null, output = 5): AnthropicStreamEvent => ({
  type: "message_delta",
  delta: { stop_reason: reason },
  usage: { output_tokens: output, input_tokens: null, cache_read_input_tokens: null },
});
const STOP: AnthropicStreamEvent = { type: "message_stop" };

describe("AnthropicStreamDecoder", () => {
  it("yields text deltas split across events, then usage and finish after message_stop", () => {
    expect(
      decode([
        start(),
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "ping" },
        text(0, "Hel"),
        text(0, "lo"),
        { type: "content_block_stop", index: 0 },
        stopDelta("end_turn"),
        STOP,
      ]),
    ).toEqual([
      { type: "delta", text: "Hel" },
      { type: "delta", text: "lo" },
      { type: "usage", usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } },
      { type: "finish", finish_reason: "stop" },
    ]);
  });

  it("keeps the prompt count of message_start when message_delta sends input_tokens: null", () => {
    const events = decode([start(40), text(0, "x"), stopDelta("end_turn", 3), STOP]);
    expect(events.find((event) => event.type === "usage")).toEqual({
      type: "usage",
      usage: { prompt_tokens: 40, completion_tokens: 3, total_tokens: 43 },
    });
  });

  it("numbers tool calls by order and passes input_json_delta fragments through", () => {
    expect(
      decode([
        start(),
        { type: "content_block_start", index: 0, content_block: { type: "thinking" } },
        { type: "content_block_delta", index: 0, delta: { type: "thinking_delta" } },
        { type: "content_block_stop", index: 0 },
        toolStart(1, "toolu_a", "weather"),
        json(1, ""),
        json(1, '{"city":'),
        json(1, '"Paris"}'),
        { type: "content_block_stop", index: 1 },
        toolStart(2, "toolu_b", "time"),
        { type: "content_block_stop", index: 2 },
        stopDelta("tool_use"),
        STOP,
      ]),
    ).toEqual([
      { type: "tool_call_delta", index: 0, id: "toolu_a", name: "weather", arguments: "" },
      { type: "tool_call_delta", index: 0, arguments: '{"city":' },
      { type: "tool_call_delta", index: 0, arguments: '"Paris"}' },
      { type: "tool_call_delta", index: 1, id: "toolu_b", name: "time", arguments: "" },
      { type: "tool_call_delta", index: 1, arguments: "{}" },
      { type: "usage", usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } },
      { type: "finish", finish_reason: "tool_calls" },
    ]);
  });

  it("rebuilds the thinking blocks before the first tool call and hands them over with its id", () => {
    const remembered: [string, readonly object[]][] = [];
    const decoder = new AnthropicStreamDecoder('model "c"', (id, blocks) =>
      remembered.push([id, blocks]),
    );
    const events: AnthropicStreamEvent[] = [
      start(),
      { type: "content_block_start", index: 0, content_block: { type: "thinking" } },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking: "Use " },
      },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "it." } },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "sig" },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "redacted_thinking", data: "xyz" },
      },
      { type: "content_block_stop", index: 1 },
      toolStart(2, "toolu_a", "time"),
      toolStart(3, "toolu_b", "time"),
    ];
    for (const event of events) decoder.push(event);
    expect(remembered).toEqual([
      [
        "toolu_a",
        [
          { type: "thinking", thinking: "Use it.", signature: "sig" },
          { type: "redacted_thinking", data: "xyz" },
        ],
      ],
    ]);
  });

  it("refuses to finish a stream without message_stop", () => {
    expect(() => decode([start(), text(0, "partial"), stopDelta("end_turn")])).toThrow(
      expect.objectContaining({
        code: "THRYD_INCOMPLETE_RESPONSE",
        isRetryable: true,
        reason: "the stream ended without message_stop",
      }),
    );
  });

  it("refuses message_stop without a stop reason, or with pause_turn", () => {
    expect(() => decode([start(), text(0, "x"), STOP])).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
    expect(() => decode([start(), stopDelta("pause_turn"), STOP])).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
  });

  it("raises a transient SseError keeping the errorType of an error event", () => {
    expect(() =>
      decode([
        start(),
        text(0, "par"),
        { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: "THRYD_SSE",
        isRetryable: true,
        errorType: "overloaded_error",
        message: expect.stringContaining("overloaded_error: Overloaded"),
      }),
    );
  });

  it("raises ContentFilteredError for a refusal, with the text streamed before it", () => {
    expect(() => decode([start(), text(0, "I can"), stopDelta("refusal"), STOP])).toThrow(
      expect.objectContaining({
        code: "THRYD_CONTENT_FILTERED",
        providerReason: "refusal",
        partialContent: "I can",
      }),
    );
  });

  it("refuses argument fragments for a block that is not a tool call", () => {
    expect(() => decode([start(), json(3, "{}")])).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
  });

  it("falls back to the estimate when the stream carried no usage", () => {
    const events = decode(
      [stopDelta("end_turn"), STOP].map(({ usage: _usage, ...event }) => event),
    );
    expect(events.at(-2)).toEqual({ type: "usage", usage: fallback() });
  });
});

describe("mapAnthropicStopReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["pause_turn", undefined],
    [null, undefined],
  ])("maps %s to %s", (reason, expected) => {
    expect(mapAnthropicStopReason(reason)).toBe(expected);
  });
});

describe("readAnthropicMessage", () => {
  const read = (answer: Parameters<typeof readAnthropicMessage>[0]) =>
    readAnthropicMessage(answer, { message: "q" }, 'model "c"');

  it("returns tool_use blocks as tool calls with their input as JSON text", () => {
    const response = read({
      content: [
        { type: "thinking" },
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 10, output_tokens: 5 },
    });
    const calls = [
      {
        id: "toolu_1",
        type: "function",
        function: { name: "weather", arguments: '{"city":"Paris"}' },
      },
    ];
    expect(response).toEqual({
      content: "Let me check.",
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      finish_reason: "tool_calls",
      tool_calls: calls,
      message: { role: "assistant", content: "Let me check.", tool_calls: calls },
    });
  });

  it("maps max_tokens to length and refuses a body without stop_reason", () => {
    expect(
      read({ content: [{ type: "text", text: "a" }], stop_reason: "max_tokens" }),
    ).toMatchObject({
      finish_reason: "length",
    });
    expect(() => read({ content: [{ type: "text", text: "a" }], stop_reason: null })).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
    expect(() => read({})).toThrow(expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }));
  });

  it("raises ContentFilteredError for a refusal", () => {
    expect(() => read({ content: [], stop_reason: "refusal" })).toThrow(
      expect.objectContaining({ code: "THRYD_CONTENT_FILTERED", providerReason: "refusal" }),
    );
  });
});
