import type { MockBehaviour } from "@fabricatio/mock-llm";
import {
  type Content,
  FunctionCallingConfigMode,
  type GenerateContentConfig,
  GoogleGenAI,
} from "@google/genai";
import { describe, expect, it } from "vitest";
import { type CompletionRequest, createCompletionRouter, GeminiProvider } from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { assembleToolCalls, drain } from "./native-stream-helpers.js";

const mock = useMockServer();

const MODEL = "gemini-x";
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
const TIME = { type: "function" as const, function: { name: "time" } };
const SDK_TOOLS = [
  {
    functionDeclarations: [
      { name: "weather", description: "Weather of a city", parametersJsonSchema: WEATHER_SCHEMA },
      { name: "time" },
    ],
  },
];

const sdk = () => new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: mock().origin } });
const model = () =>
  new GeminiProvider({ apiKey: "k", baseUrl: mock().origin }).createCompletionModel(MODEL);

/**
 * The SDK's body without its two empty-meaning differences from thryd's: `role: "user"` on
 * `systemInstruction` (the API ignores a role there; thryd sends the parts alone) and an
 * empty `generationConfig: {}` when the config only carries tools (thryd leaves it out).
 */
function withoutSdkNoise(body: unknown) {
  const copy = structuredClone(body) as {
    systemInstruction?: { role?: string };
    generationConfig?: object;
  };
  expect(copy.systemInstruction?.role ?? "user").toBe("user");
  delete copy.systemInstruction?.role;
  if (copy.generationConfig && Object.keys(copy.generationConfig).length === 0) {
    delete copy.generationConfig;
  }
  return copy;
}

interface WireCase {
  name: string;
  thryd: CompletionRequest;
  sdk: { contents: Content[]; config?: GenerateContentConfig };
}

const user = (text: string): Content => ({ role: "user", parts: [{ text }] });

const CASES: WireCase[] = [
  {
    name: "a system prompt and a three-turn history",
    thryd: {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "1+1?" },
        { role: "assistant", content: "2" },
        { role: "user", content: "times 3?" },
      ],
      temperature: 0.2,
      max_completion_tokens: 50,
    },
    sdk: {
      contents: [user("1+1?"), { role: "model", parts: [{ text: "2" }] }, user("times 3?")],
      config: { systemInstruction: "You are terse.", temperature: 0.2, maxOutputTokens: 50 },
    },
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
            { type: "file", file: { file_data: `data:application/pdf;base64,${PDF}` } },
          ],
        },
      ],
    },
    sdk: {
      contents: [
        {
          role: "user",
          parts: [
            { text: "Compare these." },
            { inlineData: { mimeType: "image/png", data: PNG } },
            { inlineData: { mimeType: "application/pdf", data: PDF } },
          ],
        },
      ],
    },
  },
  {
    name: "tools with tool_choice auto",
    thryd: { message: "Weather in Paris?", tools: [WEATHER, TIME], tool_choice: "auto" },
    sdk: {
      contents: [user("Weather in Paris?")],
      config: {
        tools: SDK_TOOLS,
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } },
      },
    },
  },
  {
    name: "tools with tool_choice required",
    thryd: { message: "Weather?", tools: [WEATHER, TIME], tool_choice: "required" },
    sdk: {
      contents: [user("Weather?")],
      config: {
        tools: SDK_TOOLS,
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
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
      contents: [user("Time?")],
      config: {
        tools: SDK_TOOLS,
        toolConfig: {
          functionCallingConfig: {
            mode: FunctionCallingConfigMode.ANY,
            allowedFunctionNames: ["time"],
          },
        },
      },
    },
  },
  {
    name: "a parallel tool call and its results",
    thryd: {
      messages: [
        { role: "user", content: "Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "c1",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Paris"}' },
            },
            {
              id: "c2",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "18°C" },
        { role: "tool", tool_call_id: "c2", content: "24°C" },
      ],
    },
    sdk: {
      contents: [
        user("Paris and Rome?"),
        {
          role: "model",
          parts: [
            { functionCall: { name: "weather", args: { city: "Paris" } } },
            { functionCall: { name: "weather", args: { city: "Rome" } } },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "weather", response: { output: "18°C" } } },
            { functionResponse: { name: "weather", response: { output: "24°C" } } },
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
      contents: [user("A city?")],
      config: { responseMimeType: "application/json", responseJsonSchema: WEATHER_SCHEMA },
    },
  },
  {
    name: "stop sequences, a seed and effort as a thinking budget",
    thryd: { message: "Count.", stop: "5", seed: 7, effort: "medium" },
    sdk: {
      contents: [user("Count.")],
      config: { stopSequences: ["5"], seed: 7, thinkingConfig: { thinkingBudget: 8192 } },
    },
  },
];

describe("Gemini wire bodies, thryd against the official SDK", () => {
  it.each(CASES)("sends $name as the SDK does, field by field", async ({ thryd, sdk: params }) => {
    await sdk().models.generateContent({ model: MODEL, ...params });
    await model().invoke(thryd);
    const [viaSdk, viaThryd] = mock().requests;
    expect(viaThryd?.path).toBe(viaSdk?.path);
    expect(viaThryd?.body).toEqual(withoutSdkNoise(viaSdk?.body));
  });

  it("streams to the same path (alt=sse) with the same body", async () => {
    const [first] = CASES;
    for await (const _chunk of await sdk().models.generateContentStream({
      model: MODEL,
      ...first!.sdk,
    })) {
      // drained: the request is what is compared
    }
    await drain(model().stream!(first!.thryd));
    const [viaSdk, viaThryd] = mock().requests;
    expect(viaThryd?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    expect(viaThryd?.path).toBe(viaSdk?.path);
    expect(viaThryd?.body).toEqual(withoutSdkNoise(viaSdk?.body));
  });

  it("reads streamed function calls as the SDK does, adding stable ids", async () => {
    const toolCalls = [
      { name: "weather", arguments: '{"city":"Paris","days":[1,2]}' },
      { name: "time", arguments: "{}" },
    ];
    const script: MockBehaviour = { type: "ok", content: "Checking.", toolCalls };
    mock().script(script, script, script);
    const sdkCalls: { name?: string; args?: unknown }[] = [];
    for await (const chunk of await sdk().models.generateContentStream({
      model: MODEL,
      contents: [user("q")],
    })) {
      for (const call of chunk.functionCalls ?? [])
        sdkCalls.push({ name: call.name, args: call.args });
    }
    const events = await drain(model().stream!({ message: "q", tools: [WEATHER, TIME] }));
    const calls = assembleToolCalls(events);
    expect(calls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) }))).toEqual(
      sdkCalls,
    );
    expect(sdkCalls).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: "finish", finish_reason: "tool_calls" });
    const again = assembleToolCalls(
      await drain(model().stream!({ message: "q", tools: [WEATHER, TIME] })),
    );
    expect(again.map((call) => call.id)).toEqual(calls.map((call) => call.id));
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
  });
});

describe("GeminiCompletionModel against the mock", () => {
  it("refuses an unsupported field before anything is sent", async () => {
    await expect(model().invoke({ message: "x", user: "u-1" })).rejects.toMatchObject({
      code: "THRYD_UNSUPPORTED_FEATURE",
      field: "user",
      provider: "gemini",
    });
    await expect(
      drain(model().stream!({ message: "x", tools: [TIME], parallel_tool_calls: false })),
    ).rejects.toMatchObject({ code: "THRYD_UNSUPPORTED_FEATURE", field: "parallel_tool_calls" });
    expect(mock().requestCount).toBe(0);
  });

  it("answers tool results by the called function's name and returns the next calls", async () => {
    mock().script({ type: "ok", toolCalls: [{ name: "time", arguments: "{}" }] });
    const first = await model().invoke({ message: "time?", tools: [TIME] });
    expect(first).toMatchObject({ finish_reason: "tool_calls", content: "" });
    const call = first.tool_calls![0]!;
    mock().script({ type: "ok", content: "It is noon." });
    const second = await model().invoke({
      tools: [TIME],
      messages: [
        { role: "user", content: "time?" },
        first.message,
        { role: "tool", tool_call_id: call.id, content: "12:00" },
      ],
    });
    expect(second).toMatchObject({ content: "It is noon.", finish_reason: "stop" });
    expect(mock().requests[1]?.body).toMatchObject({
      contents: [
        { role: "user" },
        { role: "model", parts: [{ functionCall: { name: "time", args: {} } }] },
        {
          role: "user",
          parts: [{ functionResponse: { name: "time", response: { output: "12:00" } } }],
        },
      ],
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

  it("maps MAX_TOKENS to length and SAFETY to ContentFilteredError, streamed too", async () => {
    mock().script(
      { type: "ok", finishReason: "length" },
      { type: "ok", finishReason: "content_filter" },
      { type: "ok", finishReason: "content_filter" },
    );
    await expect(model().invoke({ message: "x" })).resolves.toMatchObject({
      finish_reason: "length",
    });
    await expect(model().invoke({ message: "x" })).rejects.toMatchObject({
      code: "THRYD_CONTENT_FILTERED",
      providerReason: "SAFETY",
    });
    await expect(drain(model().stream!({ message: "x" }))).rejects.toMatchObject({
      code: "THRYD_CONTENT_FILTERED",
      providerReason: "SAFETY",
      partialContent: "echo: x",
    });
  });

  it("raises ContentFilteredError for a blocked prompt", async () => {
    mock().script({
      type: "raw",
      body: JSON.stringify({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" } }),
    });
    await expect(model().invoke({ message: "x" })).rejects.toMatchObject({
      code: "THRYD_CONTENT_FILTERED",
      providerReason: "PROHIBITED_CONTENT",
    });
  });

  it("refuses a truncated answer, a stream without finishReason and a JSON array for SSE", async () => {
    mock().script(
      { type: "truncated" },
      { type: "truncated" },
      {
        type: "raw",
        contentType: "application/json",
        body: JSON.stringify([
          { candidates: [{ content: { parts: [{ text: "hi" }] }, finishReason: "STOP" }] },
        ]),
      },
    );
    await expect(model().invoke({ message: "x" })).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
    });
    await expect(drain(model().stream!({ message: "x" }))).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
      reason: "the stream ended without a chunk carrying finishReason",
    });
    await expect(drain(model().stream!({ message: "x" }))).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
      reason: "asked for SSE, the answer was a JSON body",
    });
  });

  it("sends a call's thought signature back with it in the next turn", async () => {
    mock().script({
      type: "raw",
      body: JSON.stringify({
        candidates: [
          {
            content: {
              role: "model",
              parts: [
                { functionCall: { name: "time", args: {} }, thoughtSignature: "c2lnbmF0dXJl" },
              ],
            },
            finishReason: "STOP",
          },
        ],
      }),
    });
    const gemini = model();
    const first = await gemini.invoke({ message: "time?", tools: [TIME] });
    await gemini.invoke({
      tools: [TIME],
      messages: [
        { role: "user", content: "time?" },
        first.message,
        { role: "tool", tool_call_id: first.tool_calls![0]!.id, content: "12:00" },
      ],
    });
    expect(mock().requests[1]?.body).toMatchObject({
      contents: [
        {},
        {
          role: "model",
          parts: [{ functionCall: { name: "time" }, thoughtSignature: "c2lnbmF0dXJl" }],
        },
        {},
      ],
    });
  });

  it("serves tool calls through a Router, retrying a truncated answer", async () => {
    const router = createCompletionRouter({
      retry: { initialBackoffMs: 1 },
      sleep: async () => {},
    });
    router.addProvider(new GeminiProvider({ apiKey: "k", baseUrl: mock().origin }));
    router.deploy("chat", `gemini/${MODEL}`);
    mock().script(
      { type: "truncated" },
      { type: "ok", toolCalls: [{ name: "time", arguments: "{}" }] },
    );
    const response = await router.invoke("chat", { message: "time?", tools: [TIME] });
    expect(response).toMatchObject({
      finish_reason: "tool_calls",
      tool_calls: [{ function: { name: "time", arguments: "{}" } }],
    });
    expect(mock().requestCount).toBe(2);
  });
});
