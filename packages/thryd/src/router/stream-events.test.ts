import { describe, expect, it } from "vitest";
import { RouterCache } from "../cache/router-cache.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { ApiError, NetworkError } from "../errors/transport-errors.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import type {
  CompletionModel,
  CompletionResponse,
  CompletionStreamEvent,
  StreamEvent,
} from "../types.js";
import { createCompletionRouter } from "./router.js";
import type { RouterOptions } from "./router-options.js";

const usage = { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 };

/**
 * A completion model whose every stream plays the next script: events to yield, or an error to
 * throw after them. Records how many streams were opened.
 */
function scriptedModel(provider: DummyProvider, name = "s") {
  const scripts: { events: StreamEvent[]; error?: Error }[] = [];
  const model = {
    kind: "completion" as const,
    name,
    provider,
    opened: 0,
    invoke: () => Promise.reject(new Error("streams only")),
    async *stream() {
      model.opened++;
      const script = scripts.shift();
      if (!script) throw new Error("no script left");
      for (const event of script.events) yield event;
      if (script.error) throw script.error;
    },
    play(events: StreamEvent[], error?: Error) {
      scripts.push({ events, error });
      return model;
    },
  };
  return model satisfies CompletionModel;
}

function setup(options: RouterOptions = {}) {
  const provider = new DummyProvider();
  const router = createCompletionRouter(options).addProvider(provider);
  const model = scriptedModel(provider);
  const deployment = router.addDeployment("g", model, { rpm: 100 });
  return { router, model, deployment, provider };
}

async function drain<T, R>(stream: AsyncGenerator<T, R, undefined>) {
  const items: T[] = [];
  for (;;) {
    const next = await stream.next();
    if (next.done) return { items, result: next.value };
    items.push(next.value);
  }
}

const toolCallStream: StreamEvent[] = [
  { type: "delta", text: "Checking " },
  { type: "delta", text: "both." },
  { type: "tool_call_delta", index: 0, id: "call_1", name: "weather", arguments: "" },
  { type: "tool_call_delta", index: 0, arguments: '{"city":' },
  { type: "tool_call_delta", index: 1, id: "call_2", name: "time", arguments: '{"zone"' },
  { type: "tool_call_delta", index: 0, arguments: '"Paris"}' },
  { type: "tool_call_delta", index: 1, arguments: ':"CET"}' },
  { type: "usage", usage },
  { type: "finish", finish_reason: "tool_calls" },
];

const expectedToolCalls = [
  { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
  { id: "call_2", type: "function", function: { name: "time", arguments: '{"zone":"CET"}' } },
];

describe("Router.streamEvents", () => {
  it("yields text and tool-call deltas, then a finish event carrying the assembled answer", async () => {
    const { router, model } = setup();
    model.play(toolCallStream);
    const { items, result } = await drain(router.streamEvents("g", { message: "go" }));
    expect(items.map((event) => event.type)).toEqual([
      "text",
      "text",
      "tool_call_delta",
      "tool_call_delta",
      "tool_call_delta",
      "tool_call_delta",
      "tool_call_delta",
      "finish",
    ]);
    expect(items[2]).toEqual({
      type: "tool_call_delta",
      index: 0,
      id: "call_1",
      name: "weather",
      arguments: "",
    });
    const finish = items.at(-1) as Extract<CompletionStreamEvent, { type: "finish" }>;
    expect(finish.finish_reason).toBe("tool_calls");
    expect(finish.usage).toEqual(usage);
    expect(finish.response).toBe(result);
    expect(result).toEqual({
      content: "Checking both.",
      usage,
      finish_reason: "tool_calls",
      tool_calls: expectedToolCalls,
      message: { role: "assistant", content: "Checking both.", tool_calls: expectedToolCalls },
    });
  });

  it("keeps stream() yielding text only, with the tool calls in its return value", async () => {
    const { router, model } = setup();
    model.play(toolCallStream);
    const { items, result } = await drain(router.stream("g", { message: "go" }));
    expect(items).toEqual(["Checking ", "both."]);
    expect(result.tool_calls).toEqual(expectedToolCalls);
    const texts: string[] = [];
    model.play([
      { type: "delta", text: "plain" },
      { type: "finish", finish_reason: "stop" },
    ]);
    for await (const text of router.stream("g", { message: "again" })) texts.push(text);
    expect(texts).toEqual(["plain"]);
  });

  it("fails a stream that ends without the model's finish, and caches nothing of it", async () => {
    const { router, model } = setup({ cache: new RouterCache({ store: new Map() }) });
    model.play([{ type: "delta", text: "half an ans" }]);
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const text of router.stream("g", { message: "q" })) texts.push(text);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IncompleteResponseError);
    expect(texts).toEqual(["half an ans"]);
    model.play([
      { type: "delta", text: "whole" },
      { type: "finish", finish_reason: "stop" },
    ]);
    const { result } = await drain(router.stream("g", { message: "q" }));
    expect(result.content).toBe("whole");
    expect(model.opened).toBe(2);
  });

  it("replays a cache hit as events: the text, each tool call whole, then finish", async () => {
    const { router, model } = setup({ cache: new RouterCache({ store: new Map() }) });
    model.play(toolCallStream);
    const first = await drain(router.streamEvents("g", { message: "go" }));
    const second = await drain(router.streamEvents("g", { message: "go" }));
    expect(model.opened).toBe(1);
    expect(second.items).toEqual([
      { type: "text", text: "Checking both." },
      {
        type: "tool_call_delta",
        index: 0,
        id: "call_1",
        name: "weather",
        arguments: '{"city":"Paris"}',
      },
      {
        type: "tool_call_delta",
        index: 1,
        id: "call_2",
        name: "time",
        arguments: '{"zone":"CET"}',
      },
      { type: "finish", finish_reason: "tool_calls", usage, response: first.result },
    ]);
    expect(second.result).toEqual(first.result);
  });

  it("caches the answer before finish, so a consumer that stops at finish loses nothing", async () => {
    const { router, model } = setup({ cache: new RouterCache({ store: new Map() }) });
    model.play([
      { type: "delta", text: "kept" },
      { type: "finish", finish_reason: "stop" },
    ]);
    for await (const event of router.streamEvents("g", { message: "q" })) {
      if (event.type === "finish") break;
    }
    const { result } = await drain(router.streamEvents("g", { message: "q" }));
    expect(result.content).toBe("kept");
    expect(model.opened).toBe(1);
  });

  it("retries a transient failure before the first event, never after it", async () => {
    const { router, model } = setup({ retry: { initialBackoffMs: 1 }, sleep: async () => {} });
    model.play([], new NetworkError("u", new Error("reset"))).play([
      { type: "delta", text: "ok" },
      { type: "finish", finish_reason: "stop" },
    ]);
    expect((await drain(router.streamEvents("g", { message: "q" }))).result.content).toBe("ok");
    expect(model.opened).toBe(2);
    model.play([{ type: "delta", text: "par" }], new NetworkError("u", new Error("reset"))).play([
      { type: "delta", text: "never" },
      { type: "finish", finish_reason: "stop" },
    ]);
    await expect(drain(router.streamEvents("g", { message: "r" }))).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(model.opened).toBe(3);
  });

  it("moves to a fallback group only before the first event", async () => {
    const provider = new DummyProvider();
    const router = createCompletionRouter({ fallbacks: { g: ["backup"] } }).addProvider(provider);
    const primary = scriptedModel(provider, "primary");
    const backup = scriptedModel(provider, "backup");
    router.addDeployment("g", primary);
    router.addDeployment("backup", backup);
    primary.play([], new ApiError({ status: 503, body: "", url: "u" }));
    backup.play([
      { type: "delta", text: "from backup" },
      { type: "finish", finish_reason: "stop" },
    ]);
    const { items } = await drain(router.streamEvents("g", { message: "q" }));
    expect(items[0]).toEqual({ type: "text", text: "from backup" });
    primary.play([{ type: "delta", text: "x" }], new ApiError({ status: 503, body: "", url: "u" }));
    await expect(drain(router.streamEvents("g", { message: "q" }))).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(backup.opened).toBe(1);
  });

  it("strips reasoning from text events, from content and from message.content", async () => {
    const { router, model } = setup();
    model.play([
      { type: "delta", text: "<thi" },
      { type: "delta", text: "nk>plan</think>\n\nAns" },
      { type: "delta", text: "wer" },
      { type: "finish", finish_reason: "stop" },
    ]);
    const { items, result } = await drain(
      router.streamEvents("g", { message: "q" }, { stripReasoning: true }),
    );
    const text = items.flatMap((event) => (event.type === "text" ? [event.text] : [])).join("");
    expect(text).toBe("Answer");
    expect(result.content).toBe("Answer");
    expect(result.message.content).toBe("Answer");
    expect((items.at(-1) as { response: CompletionResponse }).response).toBe(result);
  });

  it("turns a content_filter finish into ContentFilteredError, never cached", async () => {
    const { router, model } = setup({ cache: new RouterCache({ store: new Map() }) });
    model.play([
      { type: "delta", text: "Some" },
      { type: "finish", finish_reason: "content_filter" },
    ]);
    const error = await drain(router.streamEvents("g", { message: "q" })).catch((e) => e);
    expect(error).toBeInstanceOf(ContentFilteredError);
    expect(error).toMatchObject({ providerReason: "content_filter", partialContent: "Some" });
    model.play([
      { type: "delta", text: "fine" },
      { type: "finish", finish_reason: "stop" },
    ]);
    expect((await drain(router.streamEvents("g", { message: "q" }))).result.content).toBe("fine");
  });

  it("fails a tool call that never got its id or name", async () => {
    const { router, model } = setup();
    model.play([
      { type: "tool_call_delta", index: 0, arguments: "{}" },
      { type: "finish", finish_reason: "tool_calls" },
    ]);
    await expect(drain(router.streamEvents("g", { message: "q" }))).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
      reason: "tool call 0 has no id or name",
    });
  });

  it("replays a model that cannot stream as events, tool calls included", async () => {
    const provider = new DummyProvider();
    const router = createCompletionRouter().addProvider(provider);
    const answer: CompletionResponse = {
      content: "",
      usage,
      finish_reason: "tool_calls",
      tool_calls: [expectedToolCalls[0]!] as CompletionResponse["tool_calls"],
      message: { role: "assistant", content: null, tool_calls: [expectedToolCalls[0]!] as never },
    };
    router.addDeployment("g", {
      kind: "completion",
      name: "plain",
      provider,
      invoke: async () => answer,
    });
    const { items, result } = await drain(router.streamEvents("g", { message: "q" }));
    expect(items.map((event) => event.type)).toEqual(["tool_call_delta", "finish"]);
    expect(result).toBe(answer);
  });

  it("settles the reservation with the reported usage once the answer is whole", async () => {
    const { router, model, deployment } = setup();
    model.play(toolCallStream);
    await drain(router.streamEvents("g", { message: "q" }));
    expect(deployment.limiter?.usage(Date.now())).toEqual({ requests: 1, tokens: 8 });
    expect(deployment.inFlight).toBe(0);
  });
});
