import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../types.js";
import { geminiToolCallId, mapGeminiFinishReason, readGeminiAnswer } from "./gemini-response.js";
import { GeminiStreamDecoder } from "./gemini-stream.js";
import type { GeminiAnswer, GeminiAnswerPart } from "./gemini-wire.js";
import { usageOf } from "./usage.js";

const fallback = () => usageOf(99, 99);

function decode(chunks: GeminiAnswer[], signatures?: Map<string, string>): StreamEvent[] {
  const decoder = new GeminiStreamDecoder('model "g"', (id, signature) =>
    signatures?.set(id, signature),
  );
  const out: StreamEvent[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  out.push(...decoder.end(fallback));
  return out;
}

const chunk = (parts: GeminiAnswerPart[], finishReason?: string, candidates = 1): GeminiAnswer => ({
  candidates: [{ content: { parts }, ...(finishReason ? { finishReason } : {}) }],
  usageMetadata: {
    promptTokenCount: 4,
    candidatesTokenCount: candidates,
    totalTokenCount: 4 + candidates,
  },
});

describe("GeminiStreamDecoder", () => {
  it("yields text deltas, thoughts left out, then the last chunk's usage and the finish", () => {
    expect(
      decode([
        chunk([{ text: "hmm", thought: true }], undefined, 0),
        chunk([{ text: "Hel" }], undefined, 1),
        chunk([{ text: "lo" }], "STOP", 2),
      ]),
    ).toEqual([
      { type: "delta", text: "Hel" },
      { type: "delta", text: "lo" },
      { type: "usage", usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } },
      { type: "finish", finish_reason: "stop" },
    ]);
  });

  it("yields each function call whole with a stable id and finishes with tool_calls", () => {
    const signatures = new Map<string, string>();
    const events = decode(
      [
        chunk([
          { functionCall: { name: "weather", args: { city: "Paris" } }, thoughtSignature: "s1" },
        ]),
        chunk([{ functionCall: { name: "weather", args: { city: "Rome" } } }], "STOP"),
      ],
      signatures,
    );
    const first = geminiToolCallId(0, "weather", '{"city":"Paris"}');
    expect(events.slice(0, 2)).toEqual([
      {
        type: "tool_call_delta",
        index: 0,
        id: first,
        name: "weather",
        arguments: '{"city":"Paris"}',
      },
      {
        type: "tool_call_delta",
        index: 1,
        id: geminiToolCallId(1, "weather", '{"city":"Rome"}'),
        name: "weather",
        arguments: '{"city":"Rome"}',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: "finish", finish_reason: "tool_calls" });
    expect([...signatures]).toEqual([[first, "s1"]]);
  });

  it("uses the id Gemini sends when it sends one", () => {
    const events = decode([chunk([{ functionCall: { id: "abc", name: "t", args: {} } }], "STOP")]);
    expect(events[0]).toMatchObject({ id: "abc" });
  });

  it("refuses to finish when no chunk carried a finishReason", () => {
    expect(() => decode([chunk([{ text: "part" }]), chunk([{ text: "ial" }])])).toThrow(
      expect.objectContaining({
        code: "THRYD_INCOMPLETE_RESPONSE",
        isRetryable: true,
        reason: "the stream ended without a chunk carrying finishReason",
      }),
    );
  });

  it("names a JSON body answered where SSE was asked for", () => {
    const decoder = new GeminiStreamDecoder('model "g"');
    expect(() => decoder.end(fallback, true)).toThrow(
      expect.objectContaining({ reason: "asked for SSE, the answer was a JSON body" }),
    );
  });

  it.each(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"])(
    "raises ContentFilteredError for a %s finish, with the text streamed before it",
    (reason) => {
      expect(() => decode([chunk([{ text: "Once upon" }]), chunk([], reason)])).toThrow(
        expect.objectContaining({
          code: "THRYD_CONTENT_FILTERED",
          providerReason: reason,
          partialContent: "Once upon",
        }),
      );
    },
  );

  it("raises ContentFilteredError for a blocked prompt", () => {
    expect(() => decode([{ promptFeedback: { blockReason: "SAFETY" } }])).toThrow(
      expect.objectContaining({ code: "THRYD_CONTENT_FILTERED", providerReason: "SAFETY" }),
    );
  });

  it("raises a transient SseError with Google's status as errorType on an error chunk", () => {
    expect(() =>
      decode([
        chunk([{ text: "a" }]),
        { error: { code: 503, message: "busy", status: "UNAVAILABLE" } },
      ]),
    ).toThrow(
      expect.objectContaining({ code: "THRYD_SSE", errorType: "UNAVAILABLE", isRetryable: true }),
    );
  });

  it("refuses MALFORMED_FUNCTION_CALL as incomplete", () => {
    expect(() => decode([chunk([], "MALFORMED_FUNCTION_CALL")])).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
  });
});

describe("mapGeminiFinishReason", () => {
  it.each([
    ["STOP", false, "stop"],
    ["STOP", true, "tool_calls"],
    ["MAX_TOKENS", false, "length"],
    ["SAFETY", false, "content_filter"],
    ["IMAGE_SAFETY", false, "content_filter"],
    ["OTHER", false, undefined],
    [undefined, false, undefined],
  ])("maps %s (tool calls: %s) to %s", (reason, hasToolCalls, expected) => {
    expect(mapGeminiFinishReason(reason, hasToolCalls)).toBe(expected);
  });
});

describe("readGeminiAnswer", () => {
  const read = (answer: GeminiAnswer) => readGeminiAnswer(answer, { message: "q" }, 'model "g"');

  it("returns function calls as tool calls with stable ids, text beside them", () => {
    const answer = {
      ...chunk([{ text: "Checking." }, { functionCall: { name: "time", args: {} } }], "STOP"),
    };
    const id = geminiToolCallId(0, "time", "{}");
    expect(read(answer)).toEqual(read(answer));
    expect(read(answer)).toMatchObject({
      content: "Checking.",
      finish_reason: "tool_calls",
      tool_calls: [{ id, type: "function", function: { name: "time", arguments: "{}" } }],
      message: { role: "assistant", content: "Checking.", tool_calls: [{ id }] },
    });
  });

  it("raises ContentFilteredError for a blocked prompt or a filtered candidate, and refuses a missing finishReason", () => {
    expect(() => read({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" } })).toThrow(
      expect.objectContaining({ providerReason: "PROHIBITED_CONTENT" }),
    );
    expect(() => read(chunk([{ text: "x" }], "RECITATION"))).toThrow(
      expect.objectContaining({ providerReason: "RECITATION", partialContent: "x" }),
    );
    expect(() => read(chunk([{ text: "x" }]))).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
    expect(() => read({ candidates: [] })).toThrow(
      expect.objectContaining({ code: "THRYD_INCOMPLETE_RESPONSE" }),
    );
  });
});
