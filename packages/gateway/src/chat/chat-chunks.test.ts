import type { CompletionResponse } from "@fabricatio/thryd";
import { describe, expect, it } from "vitest";
import { ChatChunkWriter } from "./chat-chunks.js";

const meta = { id: "chatcmpl-1", created: 100, model: "g" };
const frames = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((frame) => JSON.parse(frame.slice("data: ".length)));

const usage = { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5, cost: 0.1 };
const response = { content: "hi", usage, finish_reason: "stop" } as CompletionResponse;

describe("ChatChunkWriter", () => {
  it("writes OpenAI chunks: role first, text, tool-call fragments, finish, then usage", () => {
    const writer = new ChatChunkWriter({ ...meta, includeUsage: true });
    const text =
      writer.start() +
      writer.event({ type: "text", text: "hi" }) +
      writer.event({ type: "tool_call_delta", index: 0, id: "c1", name: "f", arguments: "" }) +
      writer.event({ type: "tool_call_delta", index: 0, arguments: '{"a":1}' }) +
      writer.event({ type: "finish", finish_reason: "tool_calls", usage, response });
    const chunks = frames(text);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", content: "", refusal: null },
      { content: "hi" },
      {
        tool_calls: [
          { index: 0, id: "c1", type: "function", function: { name: "f", arguments: "" } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
      {},
      null,
    ]);
    expect(chunks[4].choices[0].finish_reason).toBe("tool_calls");
    expect(chunks[5]).toMatchObject({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 100,
      model: "g",
      choices: [],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
    expect(chunks[5].usage.cost).toBeUndefined();
    expect(chunks.slice(0, 5).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("leaves the usage chunk and usage fields out without include_usage", () => {
    const writer = new ChatChunkWriter({ ...meta, includeUsage: false });
    const chunks = frames(writer.event({ type: "finish", finish_reason: "stop", usage, response }));
    expect(chunks).toHaveLength(1);
    expect("usage" in chunks[0]).toBe(false);
  });
});
