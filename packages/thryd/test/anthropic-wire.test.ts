import Anthropic from "@anthropic-ai/sdk";
import type { MockBehaviour } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { AnthropicProvider, type CompletionRequest, createCompletionRouter } from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { assembleToolCalls, drain } from "./native-stream-helpers.js";

const mock = useMockServer();

const MODEL = "claude-x";
const PNG = "iVBORw0KGgo=";
const PDF = "JVBERi0xLjQK";
const WEATHER_SCHEMA = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};
const WEATHER = {
  type: "function" as const,
  function: { name: "weather", description: "Weather of a city", parameters: WEATHER_SCHEMA },
};
const TIME = {
  type: "function" as const,
  function: { name: "time", parameters: { type: "object" } },
};
const SDK_WEATHER = {
  name: "weather",
  description: "Weather of a city",
  input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema,
};
const SDK_TIME = { name: "time", input_schema: { type: "object" as const } };

// The SDK (1.16) sends its key as a bearer token; the mock, like Anthropic's docs, wants
// x-api-key, which thryd sends.
const sdk = () =>
  new Anthropic({
    apiKey: "k",
    baseURL: mock().origin,
    maxRetries: 0,
    defaultHeaders: { "x-api-key": "k" },
  });
const model = () =>
  new AnthropicProvider({ apiKey: "k", baseUrl: mock().origin }).createCompletionModel(MODEL);

interface WireCase {
  name: string;
  thryd: CompletionRequest;
  sdk: Anthropic.MessageCreateParamsNonStreaming;
}

const history = {
  thryd: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "1+1?" },
    { role: "assistant", content: "2" },
    { role: "user", content: "times 3?" },
  ],
  sdk: [
    { role: "user", content: "1+1?" },
    { role: "assistant", content: "2" },
    { role: "user", content: "times 3?" },
  ],
} as const;

const CASES: WireCase[] = [
  {
    name: "a system prompt and a three-turn history",
    thryd: { messages: history.thryd, max_completion_tokens: 200 },
    sdk: { model: MODEL, max_tokens: 200, system: "You are terse.", messages: [...history.sdk] },
  },
  {
    name: "an image and a PDF",
    thryd: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
            {
              type: "file",
              file: { file_data: `data:application/pdf;base64,${PDF}`, filename: "a.pdf" },
            },
          ],
        },
      ],
    },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: PDF },
              title: "a.pdf",
            },
          ],
        },
      ],
    },
  },
  {
    name: "tools with tool_choice auto and no parallel calls",
    thryd: {
      message: "Weather in Paris?",
      tools: [WEATHER, TIME],
      tool_choice: "auto",
      parallel_tool_calls: false,
    },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [SDK_WEATHER, SDK_TIME],
      tool_choice: { type: "auto", disable_parallel_tool_use: true },
    },
  },
  {
    name: "tools with tool_choice required",
    thryd: { message: "Weather?", tools: [WEATHER], tool_choice: "required" },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "Weather?" }],
      tools: [SDK_WEATHER],
      tool_choice: { type: "any" },
    },
  },
  {
    name: "tools with a named tool_choice",
    thryd: {
      message: "Time?",
      tools: [WEATHER, TIME],
      tool_choice: { type: "function", function: { name: "time" } },
    },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "Time?" }],
      tools: [SDK_WEATHER, SDK_TIME],
      tool_choice: { type: "tool", name: "time" },
    },
  },
  {
    name: "a parallel tool call and its results",
    thryd: {
      tools: [WEATHER],
      messages: [
        { role: "user", content: "Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "toolu_1",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Paris"}' },
            },
            {
              id: "toolu_2",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "18°C" },
        { role: "tool", tool_call_id: "toolu_2", content: "24°C" },
      ],
    },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      tools: [SDK_WEATHER],
      messages: [
        { role: "user", content: "Paris and Rome?" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
            { type: "tool_use", id: "toolu_2", name: "weather", input: { city: "Rome" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
            { type: "tool_result", tool_use_id: "toolu_2", content: "24°C" },
          ],
        },
      ],
    },
  },
  {
    name: "structured output",
    thryd: {
      message: "A city?",
      response_format: {
        type: "json_schema",
        json_schema: { name: "city", schema: WEATHER_SCHEMA, strict: true },
      },
    },
    sdk: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "A city?" }],
      output_config: { format: { type: "json_schema", schema: WEATHER_SCHEMA } },
    },
  },
  {
    name: "stop sequences, a user id and effort as extended thinking",
    thryd: {
      message: "Count.",
      stop: ["5"],
      user: "user-1",
      effort: "low",
      max_completion_tokens: 100,
    },
    sdk: {
      model: MODEL,
      max_tokens: 100 + 2048,
      messages: [{ role: "user", content: "Count." }],
      stop_sequences: ["5"],
      metadata: { user_id: "user-1" },
      thinking: { type: "enabled", budget_tokens: 2048 },
    },
  },
];

describe("Anthropic wire bodies, thryd against the official SDK", () => {
  it.each(CASES)("sends $name as the SDK does, field by field", async ({ thryd, sdk: params }) => {
    await sdk().messages.create(params);
    await model().invoke(thryd);
    const [viaSdk, viaThryd] = mock().requests;
    expect(viaThryd?.body).toEqual(viaSdk?.body);
    // The one deliberate difference: the API version header (thryd's is configurable).
    expect(viaSdk?.headers["anthropic-version"]).toBe("2026-10-21");
    expect(viaThryd?.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("streams with the same body plus stream: true", async () => {
    const [first] = CASES;
    await sdk().messages.stream(first!.sdk).finalMessage();
    await drain(model().stream!(first!.thryd));
    const [viaSdk, viaThryd] = mock().requests;
    expect(viaThryd?.body).toEqual(viaSdk?.body);
    expect(viaThryd?.body).toMatchObject({ stream: true });
  });

  it("assembles streamed tool calls into the calls the SDK parses from the same events", async () => {
    const toolCalls = [
      { id: "toolu_a", name: "weather", arguments: '{"city":"Paris","days":[1,2]}' },
      { id: "toolu_b", name: "time", arguments: "{}" },
    ];
    const script: MockBehaviour = { type: "ok", content: "Checking.", toolCalls };
    mock().script(script, script);
    const message = await sdk()
      .messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "q" }] })
      .finalMessage();
    const events = await drain(model().stream!({ message: "q", tools: [WEATHER, TIME] }));
    const sdkCalls = message.content
      .filter((block) => block.type === "tool_use")
      .map((block) => ({ id: block.id, name: block.name, input: block.input }));
    const thrydCalls = assembleToolCalls(events).map((call) => ({
      id: call.id,
      name: call.name,
      input: JSON.parse(call.arguments),
    }));
    expect(thrydCalls).toEqual(sdkCalls);
    expect(sdkCalls).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: "finish", finish_reason: "tool_calls" });
    const text = events.map((event) => (event.type === "delta" ? event.text : "")).join("");
    expect(text).toBe("Checking.");
  });
});

describe("AnthropicCompletionModel against the mock", () => {
  it("refuses an unsupported field before anything is sent", async () => {
    await expect(model().invoke({ message: "x", seed: 42 })).rejects.toMatchObject({
      code: "THRYD_UNSUPPORTED_FEATURE",
      field: "seed",
      provider: "anthropic",
    });
    await expect(
      drain(model().stream!({ message: "x", frequency_penalty: 1 })),
    ).rejects.toMatchObject({ code: "THRYD_UNSUPPORTED_FEATURE", field: "frequency_penalty" });
    expect(mock().requestCount).toBe(0);
  });

  it("returns tool calls with finish_reason tool_calls and an assistant message to append", async () => {
    mock().script({
      type: "ok",
      toolCalls: [{ id: "toolu_9", name: "weather", arguments: '{"city":"Oslo"}' }],
    });
    const response = await model().invoke({ message: "Oslo?", tools: [WEATHER] });
    const calls = [
      {
        id: "toolu_9",
        type: "function",
        function: { name: "weather", arguments: '{"city":"Oslo"}' },
      },
    ];
    expect(response).toMatchObject({
      content: "",
      finish_reason: "tool_calls",
      tool_calls: calls,
      message: { role: "assistant", content: null, tool_calls: calls },
    });
  });

  it("returns structured output as the answer text", async () => {
    mock().script({ type: "ok", content: '{"city":"Oslo"}' });
    const response = await model().invoke({
      message: "A city?",
      response_format: { type: "json_schema", json_schema: { name: "c", schema: WEATHER_SCHEMA } },
    });
    expect(JSON.parse(response.content)).toEqual({ city: "Oslo" });
  });

  it("maps max_tokens to length and a refusal to ContentFilteredError", async () => {
    mock().script(
      { type: "ok", finishReason: "length" },
      { type: "ok", finishReason: "content_filter" },
    );
    await expect(model().invoke({ message: "x" })).resolves.toMatchObject({
      finish_reason: "length",
    });
    await expect(model().invoke({ message: "x" })).rejects.toMatchObject({
      code: "THRYD_CONTENT_FILTERED",
      providerReason: "refusal",
    });
  });

  it("refuses a truncated answer, JSON or streamed, with IncompleteResponseError", async () => {
    mock().script({ type: "truncated" }, { type: "truncated" });
    await expect(model().invoke({ message: "x" })).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
    });
    await expect(drain(model().stream!({ message: "x" }))).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
      reason: "the stream ended without message_stop",
    });
  });

  it("keeps the errorType of a mid-stream error event", async () => {
    const frame = (data: Record<string, unknown> & { type: string }) =>
      `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    mock().script({
      type: "raw",
      contentType: "text/event-stream",
      body:
        frame({ type: "message_start", message: { usage: { input_tokens: 3 } } }) +
        frame({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    });
    await expect(drain(model().stream!({ message: "x" }))).rejects.toMatchObject({
      code: "THRYD_SSE",
      errorType: "overloaded_error",
    });
  });

  it("keeps the streamed prompt count when message_delta reports input_tokens: null", async () => {
    const events = await drain(model().stream!({ message: "sixteen characters" }));
    expect(events.find((event) => event.type === "usage")).toMatchObject({
      usage: { prompt_tokens: 5 },
    });
  });

  it.each([false, true])(
    "sends a tool-calling turn's thinking back in the next thinking request (streamed: %s)",
    async (streamed) => {
      mock().script({
        type: "ok",
        reasoning: "I should call time.",
        toolCalls: [{ id: "toolu_t", name: "time", arguments: "{}" }],
      });
      const claude = model();
      const ask: CompletionRequest = { message: "time?", tools: [TIME], effort: "low" };
      const first = streamed
        ? assembleToolCalls(await drain(claude.stream!(ask)))
        : (await claude.invoke(ask)).tool_calls!.map((call) => ({
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          }));
      expect(first).toEqual([{ id: "toolu_t", name: "time", arguments: "{}" }]);
      await claude.invoke({
        tools: [TIME],
        effort: "low",
        messages: [
          { role: "user", content: "time?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "toolu_t", type: "function", function: { name: "time", arguments: "{}" } },
            ],
          },
          { role: "tool", tool_call_id: "toolu_t", content: "noon" },
        ],
      });
      expect(mock().requests[1]?.body).toMatchObject({
        messages: [
          {},
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "I should call time.", signature: "mock-signature" },
              { type: "tool_use", id: "toolu_t" },
            ],
          },
          {},
        ],
      });
    },
  );

  it("serves tool calls through a Router, retrying a truncated answer", async () => {
    const router = createCompletionRouter({
      retry: { initialBackoffMs: 1 },
      sleep: async () => {},
    });
    router.addProvider(new AnthropicProvider({ apiKey: "k", baseUrl: mock().origin }));
    router.deploy("chat", `anthropic/${MODEL}`);
    mock().script(
      { type: "truncated" },
      { type: "ok", toolCalls: [{ id: "toolu_r", name: "time", arguments: "{}" }] },
    );
    const response = await router.invoke("chat", { message: "time?", tools: [TIME] });
    expect(response).toMatchObject({
      finish_reason: "tool_calls",
      tool_calls: [{ id: "toolu_r", function: { name: "time", arguments: "{}" } }],
    });
    expect(mock().requestCount).toBe(2);
  });
});
