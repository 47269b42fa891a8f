import { describe, expect, it } from "vitest";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { StreamEvent, StreamingResponse } from "../types.js";
import { OpenAICompletionModel } from "./openai-completion-model.js";
import { parseSse } from "./sse.js";

async function* bytes(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function events(...parts: string[]) {
  const all = [];
  for await (const event of parseSse(bytes(...parts))) all.push(event);
  return all;
}

describe("parseSse", () => {
  it("yields events split across chunk boundaries and CRLF line ends", async () => {
    expect(await events('data: {"a"', ":1}\r", "\n\r\ndata: [DONE]\r\n\r\n")).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: "[DONE]" },
    ]);
  });

  it("joins multi-line data, keeps event names and skips comments", async () => {
    expect(await events(": keep-alive\n\nevent: error\ndata: one\ndata: two\n\n")).toEqual([
      { event: "error", data: "one\ntwo" },
    ]);
  });

  it("flushes a last event that lacks its blank line", async () => {
    expect(await events("data: tail")).toEqual([{ event: undefined, data: "tail" }]);
  });
});

// A provider whose stream answer is fixed text, to drive the completion model's SSE handling.
class ScriptedStreamProvider extends DummyProvider {
  constructor(private readonly text: string) {
    super("scripted");
  }
  override postStream(): Promise<StreamingResponse> {
    return Promise.resolve({ headers: {}, body: bytes(this.text) });
  }
}

async function collect(text: string) {
  const model = new OpenAICompletionModel("m", new ScriptedStreamProvider(text));
  const seen: StreamEvent[] = [];
  for await (const event of model.stream({ message: "hi" })) seen.push(event);
  return seen;
}

describe("OpenAICompletionModel.stream", () => {
  it("stops at [DONE] and ignores content-less chunks", async () => {
    const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ delta }] })}\n\n`;
    const seen = await collect(
      chunk({ role: "assistant" }) +
        chunk({ content: "Hel" }) +
        chunk({ content: null }) +
        chunk({ content: "lo" }) +
        `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: "stop" }] })}\n\n` +
        "data: [DONE]\n\n" +
        chunk({ content: "after done" }),
    );
    expect(seen.filter((event) => event.type === "delta")).toEqual([
      { type: "delta", text: "Hel" },
      { type: "delta", text: "lo" },
    ]);
    expect(seen.slice(-2).map((event) => event.type)).toEqual(["usage", "finish"]);
  });

  it("raises a transient SseError on an error event or a non-JSON event", async () => {
    await expect(collect('data: {"error":{"message":"overloaded"}}\n\n')).rejects.toMatchObject({
      code: "THRYD_SSE",
      isRetryable: true,
    });
    await expect(collect("data: not json\n\n")).rejects.toMatchObject({ code: "THRYD_SSE" });
  });
});
