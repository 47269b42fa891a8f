import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../errors/request-errors.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { createCompletionRouter } from "../router/router.js";
import type { ChatMessage, CompletionRequest } from "../types.js";
import { validateCompletionRequest } from "./validate-completion-request.js";

const call = (id: string, name = "lookup") => ({
  id,
  type: "function" as const,
  function: { name, arguments: "{}" },
});
const tool = (name: string) => ({ type: "function" as const, function: { name } });
const asking = (...messages: unknown[]) => ({ messages }) as unknown as CompletionRequest;

// Each row: a malformed request and the field its (first) problem names.
const invalid: [string, unknown, string][] = [
  [
    "both message and messages",
    { message: "a", messages: [{ role: "user", content: "b" }] },
    "message/messages",
  ],
  ["neither message nor messages", { temperature: 1 }, "message"],
  ["a message that is not a string", { message: 42 }, "message"],
  ["images that are not strings", { message: "a", images: [1] }, "images"],
  ["images with messages", { messages: [{ role: "user", content: "a" }], images: ["x"] }, "images"],
  ["an empty conversation", { messages: [] }, "messages"],
  ["an unknown role", asking({ role: "robot", content: "a" }), "messages[0].role"],
  ["a message that is not an object", asking("hello"), "messages[0]"],
  [
    "a system message with an image",
    asking({
      role: "system",
      content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }],
    }),
    "messages[0].content[0].type",
  ],
  ["a user message without content", asking({ role: "user" }), "messages[0].content"],
  [
    "an unknown content part",
    asking({ role: "user", content: [{ type: "audio" }] }),
    "messages[0].content[0].type",
  ],
  [
    "an image URL that is neither http nor data",
    asking({
      role: "user",
      content: [{ type: "image_url", image_url: { url: "file:///etc/passwd" } }],
    }),
    "messages[0].content[0].image_url.url",
  ],
  [
    "a file part without data or id",
    asking({ role: "user", content: [{ type: "file", file: { filename: "a.pdf" } }] }),
    "messages[0].content[0].file",
  ],
  [
    "a file part whose data is not a data URI",
    asking({ role: "user", content: [{ type: "file", file: { file_data: "JVBERi0=" } }] }),
    "messages[0].content[0].file.file_data",
  ],
  [
    "an empty assistant message",
    asking({ role: "user", content: "a" }, { role: "assistant", content: "" }),
    "messages[1]",
  ],
  [
    "a tool call without id",
    asking(
      { role: "user", content: "a" },
      {
        role: "assistant",
        tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }],
      },
    ),
    "messages[1].tool_calls[0].id",
  ],
  [
    "tool call arguments as an object",
    asking(
      { role: "user", content: "a" },
      {
        role: "assistant",
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: {} } }],
      },
      { role: "tool", tool_call_id: "c", content: "r" },
    ),
    "messages[1].tool_calls[0].function.arguments",
  ],
  [
    "a tool message without tool_call_id",
    asking({ role: "user", content: "a" }, { role: "tool", content: "r" }),
    "messages[1].tool_call_id",
  ],
  [
    "a tool message answering no call",
    asking(
      { role: "user", content: "a" },
      { role: "assistant", tool_calls: [call("c1")] },
      { role: "tool", tool_call_id: "c1", content: "r" },
      { role: "tool", tool_call_id: "c9", content: "r" },
    ),
    "messages[3].tool_call_id",
  ],
  [
    "a tool message before its call",
    asking(
      { role: "user", content: "a" },
      { role: "tool", tool_call_id: "c1", content: "r" },
      { role: "assistant", tool_calls: [call("c1")] },
    ),
    "messages[1].tool_call_id",
  ],
  [
    "a tool result after a user turn",
    asking(
      { role: "user", content: "a" },
      { role: "assistant", tool_calls: [call("c1")] },
      { role: "user", content: "b" },
      { role: "tool", tool_call_id: "c1", content: "r" },
    ),
    "messages[1].tool_calls[0].id",
  ],
  [
    "a tool call never answered",
    asking(
      { role: "user", content: "a" },
      { role: "assistant", tool_calls: [call("c1"), call("c2")] },
      { role: "tool", tool_call_id: "c1", content: "r" },
    ),
    "messages[1].tool_calls[1].id",
  ],
  [
    "a tool call id used twice",
    asking(
      { role: "user", content: "a" },
      { role: "assistant", tool_calls: [call("c1"), call("c1")] },
      { role: "tool", tool_call_id: "c1", content: "r" },
    ),
    "messages[1].tool_calls[1].id",
  ],
  ["a tool that is not a function", { message: "a", tools: [{ type: "retrieval" }] }, "tools[0]"],
  [
    "a tool name with spaces",
    { message: "a", tools: [tool("look it up")] },
    "tools[0].function.name",
  ],
  [
    "a tool name longer than 64",
    { message: "a", tools: [tool("x".repeat(65))] },
    "tools[0].function.name",
  ],
  [
    "two tools of one name",
    { message: "a", tools: [tool("f"), tool("f")] },
    "tools[1].function.name",
  ],
  [
    "tool parameters that are not an object",
    { message: "a", tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] },
    "tools[0].function.parameters",
  ],
  [
    "a tool_choice naming no tool",
    {
      message: "a",
      tools: [tool("f")],
      tool_choice: { type: "function", function: { name: "g" } },
    },
    "tool_choice.function.name",
  ],
  ["tool_choice required without tools", { message: "a", tool_choice: "required" }, "tool_choice"],
  [
    "an unknown tool_choice",
    { message: "a", tools: [tool("f")], tool_choice: "any" },
    "tool_choice",
  ],
  [
    "an unknown response_format",
    { message: "a", response_format: { type: "yaml" } },
    "response_format.type",
  ],
  [
    "a json_schema without a schema",
    { message: "a", response_format: { type: "json_schema", json_schema: { name: "x" } } },
    "response_format.json_schema.schema",
  ],
  [
    "a json_schema with a bad name",
    {
      message: "a",
      response_format: { type: "json_schema", json_schema: { name: "a b", schema: {} } },
    },
    "response_format.json_schema.name",
  ],
  ["an empty stop sequence", { message: "a", stop: [""] }, "stop"],
  ["five stop sequences", { message: "a", stop: ["a", "b", "c", "d", "e"] }, "stop"],
  ["a fractional seed", { message: "a", seed: 1.5 }, "seed"],
  ["a temperature of 99", { message: "a", temperature: 99 }, "temperature"],
  ["a top_p above 1", { message: "a", top_p: 1.5 }, "top_p"],
  [
    "a zero max_completion_tokens",
    { message: "a", max_completion_tokens: 0 },
    "max_completion_tokens",
  ],
  ["a user that is not a string", { message: "a", user: 7 }, "user"],
];

describe("validateCompletionRequest", () => {
  it.each(invalid)("rejects %s", (_, request, field) => {
    let error: unknown;
    try {
      validateCompletionRequest(request as CompletionRequest);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: "THRYD_INVALID_REQUEST", field });
    expect((error as Error).message).toContain(field);
  });

  it("lists every problem of a request in one error", () => {
    const request = {
      messages: [{ role: "robot", content: "a" }],
      tools: [tool("a b")],
      seed: 0.5,
    } as unknown as CompletionRequest;
    expect(() => validateCompletionRequest(request)).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ field: "messages[0].role" }),
          expect.objectContaining({ field: "tools[0].function.name" }),
          expect.objectContaining({ field: "seed" }),
        ],
      }),
    );
  });

  it("accepts a full conversation: system prompt, history, parts, parallel calls and their results", () => {
    const messages: ChatMessage[] = [
      { role: "developer", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "Weather and time in Paris?" },
          { type: "image_url", image_url: { url: "https://example.com/paris.png", detail: "low" } },
          {
            type: "file",
            file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
          },
        ],
      },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [call("c1", "weather"), call("c2", "time")],
      },
      { role: "tool", tool_call_id: "c2", content: "12:00" },
      { role: "tool", tool_call_id: "c1", content: [{ type: "text", text: "Sunny" }] },
      { role: "assistant", content: "Sunny, noon." },
      { role: "user", content: "Thanks", name: "ana" },
    ];
    expect(() =>
      validateCompletionRequest({
        messages,
        tools: [tool("weather"), tool("time")],
        tool_choice: { type: "function", function: { name: "time" } },
        parallel_tool_calls: true,
        response_format: {
          type: "json_schema",
          json_schema: { name: "reply", schema: {}, strict: true },
        },
        stop: "END",
        seed: 3,
        temperature: 0,
        user: "u",
      }),
    ).not.toThrow();
  });
});

describe("Invalid requests at the router", () => {
  function setup() {
    const provider = new DummyProvider();
    const router = createCompletionRouter().addProvider(provider);
    const deployment = router.deploy("g", "dummy/a", { rpm: 10, tpm: 10_000 });
    const model = provider.model("completion", "a").respond("never sent");
    return { router, deployment, model };
  }
  const bad = {
    message: "a",
    messages: [{ role: "user", content: "b" }],
  } as unknown as CompletionRequest;

  it("rejects from invoke before anything is reserved or sent", async () => {
    const { router, deployment, model } = setup();
    await expect(router.invoke("g", bad)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(router.invokeFresh("g", bad)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(model.calls).toHaveLength(0);
    expect(deployment.limiter?.usage(Date.now())).toEqual({ requests: 0, tokens: 0 });
  });

  it("throws from stream and streamEvents at the call, before anything is reserved or sent", () => {
    const { router, deployment, model } = setup();
    expect(() => router.stream("g", bad)).toThrow(InvalidRequestError);
    expect(() => router.streamEvents("g", bad)).toThrow(InvalidRequestError);
    expect(model.calls).toHaveLength(0);
    expect(deployment.limiter?.usage(Date.now())).toEqual({ requests: 0, tokens: 0 });
  });

  it("rejects before the group is even looked up", async () => {
    const { router } = setup();
    await expect(router.invoke("no-such-group", bad)).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
