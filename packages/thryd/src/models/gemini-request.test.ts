import { describe, expect, it } from "vitest";
import type { CompletionRequest } from "../types.js";
import { buildGeminiBody } from "./gemini-request.js";

const PDF = "data:application/pdf;base64,JVBERi0xLjQ=";
const WEATHER = {
  type: "function" as const,
  function: {
    name: "weather",
    description: "Weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};
const TIME = { type: "function" as const, function: { name: "time" } };
const call = (id: string, name: string, args: string) => ({
  id,
  type: "function" as const,
  function: { name, arguments: args },
});

describe("buildGeminiBody", () => {
  const cases: [string, CompletionRequest, Record<string, unknown>][] = [
    [
      "sends leading system and developer messages as systemInstruction parts",
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: "Answer in French." },
          { role: "user", content: "Hi" },
        ],
      },
      {
        systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }] },
        contents: [{ role: "user", parts: [{ text: "Hi" }] }],
      },
    ],
    [
      "keeps a three-turn history, assistant turns as the model role",
      {
        messages: [
          { role: "user", content: "1+1?" },
          { role: "assistant", content: "2" },
          { role: "user", content: "times 3?" },
        ],
      },
      {
        contents: [
          { role: "user", parts: [{ text: "1+1?" }] },
          { role: "model", parts: [{ text: "2" }] },
          { role: "user", parts: [{ text: "times 3?" }] },
        ],
      },
    ],
    [
      "sends images and PDFs as inlineData, URLs as fileData",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Compare" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
              { type: "file", file: { file_data: PDF, filename: "report.pdf" } },
              { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            ],
          },
        ],
      },
      {
        contents: [
          {
            role: "user",
            parts: [
              { text: "Compare" },
              { inlineData: { mimeType: "image/png", data: "iVBO" } },
              { inlineData: { mimeType: "application/pdf", data: "JVBERi0xLjQ=" } },
              { fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.png" } },
            ],
          },
        ],
      },
    ],
    [
      "declares tools with their JSON Schema as parametersJsonSchema, unconverted",
      { message: "x", tools: [WEATHER, TIME] },
      {
        tools: [
          {
            functionDeclarations: [
              {
                name: "weather",
                description: "Weather of a city",
                parametersJsonSchema: WEATHER.function.parameters,
              },
              { name: "time" },
            ],
          },
        ],
      },
    ],
    [
      'maps tool_choice "auto" to AUTO',
      { message: "x", tools: [TIME], tool_choice: "auto" },
      { toolConfig: { functionCallingConfig: { mode: "AUTO" } } },
    ],
    [
      'maps tool_choice "required" to ANY',
      { message: "x", tools: [TIME], tool_choice: "required" },
      { toolConfig: { functionCallingConfig: { mode: "ANY" } } },
    ],
    [
      'maps tool_choice "none" to NONE',
      { message: "x", tools: [TIME], tool_choice: "none" },
      { toolConfig: { functionCallingConfig: { mode: "NONE" } } },
    ],
    [
      "maps a named tool_choice to ANY with allowedFunctionNames",
      {
        message: "x",
        tools: [WEATHER, TIME],
        tool_choice: { type: "function", function: { name: "time" } },
        parallel_tool_calls: true,
      },
      {
        toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["time"] } },
      },
    ],
    [
      "turns parallel tool calls into functionCall parts and their results into functionResponse parts named after the call",
      {
        messages: [
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: "",
            tool_calls: [
              call("call_1", "weather", '{"city":"Paris"}'),
              call("call_2", "weather", '{"city":"Rome"}'),
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "18°C" },
          { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "24°C" }] },
          { role: "assistant", content: "Rome.", tool_calls: [call("call_3", "time", "")] },
          { role: "tool", tool_call_id: "call_3", content: "noon" },
        ],
      },
      {
        contents: [
          { role: "user", parts: [{ text: "Weather in Paris and Rome?" }] },
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
          {
            role: "model",
            parts: [{ text: "Rome." }, { functionCall: { name: "time", args: {} } }],
          },
          {
            role: "user",
            parts: [{ functionResponse: { name: "time", response: { output: "noon" } } }],
          },
        ],
      },
    ],
    [
      "maps stop, seed, sampling and the token limit into generationConfig",
      {
        message: "x",
        stop: ["END", "STOP"],
        seed: 7,
        temperature: 0.1,
        top_p: 0.5,
        max_completion_tokens: 9,
        presence_penalty: 0.3,
        frequency_penalty: 0.4,
      },
      {
        generationConfig: {
          stopSequences: ["END", "STOP"],
          seed: 7,
          temperature: 0.1,
          topP: 0.5,
          maxOutputTokens: 9,
          presencePenalty: 0.3,
          frequencyPenalty: 0.4,
        },
      },
    ],
    [
      "sends a json_schema response format as responseMimeType and responseJsonSchema",
      {
        message: "x",
        response_format: {
          type: "json_schema",
          json_schema: { name: "city", schema: { type: "object" }, strict: true },
        },
      },
      {
        generationConfig: {
          responseMimeType: "application/json",
          responseJsonSchema: { type: "object" },
        },
      },
    ],
    [
      "sends json_object as responseMimeType alone",
      { message: "x", response_format: { type: "json_object" } },
      { generationConfig: { responseMimeType: "application/json" } },
    ],
    [
      "maps effort to a thinking budget, none to 0 (off)",
      { message: "x", effort: "none" },
      { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } },
    ],
  ];

  it.each(cases)("%s", (_name, request, expected) => {
    expect(buildGeminiBody(request)).toMatchObject(expected);
  });

  it("leaves generationConfig, tools and systemInstruction out when nothing sets them", () => {
    expect(JSON.parse(JSON.stringify(buildGeminiBody({ message: "x" })))).toEqual({
      contents: [{ role: "user", parts: [{ text: "x" }] }],
    });
  });

  it("sends back the thought signature remembered for a tool call", () => {
    const body = buildGeminiBody(
      {
        messages: [
          { role: "user", content: "time?" },
          { role: "assistant", tool_calls: [call("c1", "time", "{}")] },
          { role: "tool", tool_call_id: "c1", content: "noon" },
        ],
      },
      { thoughtSignatureOf: (id) => (id === "c1" ? "sig-1" : undefined) },
    );
    expect(body.contents[1]).toEqual({
      role: "model",
      parts: [{ functionCall: { name: "time", args: {} }, thoughtSignature: "sig-1" }],
    });
  });

  const unsupported: [string, CompletionRequest, string][] = [
    ["user", { message: "x", user: "u1" }, "user"],
    [
      "parallel_tool_calls: false",
      { message: "x", tools: [TIME], parallel_tool_calls: false },
      "parallel_tool_calls",
    ],
    [
      "an OpenAI file id",
      { messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }] },
      "messages[0].content[0].file.file_id",
    ],
    [
      "a system message after the first turn",
      {
        messages: [
          { role: "user", content: "a" },
          { role: "developer", content: "b" },
        ],
      },
      "messages[1]",
    ],
    ["an unknown effort", { message: "x", effort: "turbo" }, "effort"],
  ];

  it.each(unsupported)(
    "refuses %s with UnsupportedFeatureError naming the field",
    (_name, request, field) => {
      expect(() => buildGeminiBody(request)).toThrow(
        expect.objectContaining({ code: "THRYD_UNSUPPORTED_FEATURE", field, provider: "gemini" }),
      );
    },
  );

  it("refuses a tool result whose call comes later, since its function name is unknown", () => {
    expect(() =>
      buildGeminiBody({
        messages: [
          { role: "user", content: "a" },
          { role: "tool", tool_call_id: "t", content: "x" },
          { role: "assistant", tool_calls: [call("t", "time", "{}")] },
        ],
      }),
    ).toThrow(
      expect.objectContaining({ code: "THRYD_INVALID_REQUEST", field: "messages[1].tool_call_id" }),
    );
  });

  it("refuses tool call arguments that are not JSON with InvalidRequestError naming the field", () => {
    expect(() =>
      buildGeminiBody({
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", tool_calls: [call("t", "time", "{oops")] },
          { role: "tool", tool_call_id: "t", content: "x" },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        code: "THRYD_INVALID_REQUEST",
        field: "messages[1].tool_calls[0].function.arguments",
      }),
    );
  });
});
