import { describe, expect, it } from "vitest";
import type { CompletionRequest } from "../types.js";
import { buildAnthropicBody } from "./anthropic-request.js";

const PDF = "data:application/pdf;base64,JVBERi0xLjQ=";
const PNG = "data:image/png;base64,iVBORw0K";
const WEATHER = {
  type: "function" as const,
  function: {
    name: "weather",
    description: "Weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const TIME = { type: "function" as const, function: { name: "time" } };
const call = (id: string, name: string, args: string) => ({
  id,
  type: "function" as const,
  function: { name, arguments: args },
});

const body = (request: CompletionRequest, stream = false) =>
  buildAnthropicBody("claude-x", request, { stream });

describe("buildAnthropicBody", () => {
  const cases: [string, CompletionRequest, Record<string, unknown>][] = [
    [
      "puts system and developer messages into the top-level system, joined",
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
          { role: "user", content: "Hi" },
        ],
      },
      { system: "Be brief.\n\nAnswer in French.", messages: [{ role: "user", content: "Hi" }] },
    ],
    [
      "keeps a three-turn history in order, assistant text as a string",
      {
        messages: [
          { role: "user", content: "1+1?" },
          { role: "assistant", content: "2" },
          { role: "user", content: "times 3?" },
        ],
      },
      {
        messages: [
          { role: "user", content: "1+1?" },
          { role: "assistant", content: "2" },
          { role: "user", content: "times 3?" },
        ],
      },
    ],
    [
      "sends images as image blocks and PDFs (file parts and data URIs) as document blocks",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Compare" },
              { type: "image_url", image_url: { url: PNG, detail: "high" } },
              { type: "file", file: { file_data: PDF, filename: "report.pdf" } },
              { type: "image_url", image_url: { url: PDF } },
              { type: "image_url", image_url: { url: "https://example.com/paper.pdf" } },
              { type: "file", file: { file_data: "data:text/plain;base64,aGVsbG8=" } },
            ],
          },
        ],
      },
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Compare" },
              {
                type: "image",
                source: { type: "base64", media_type: "image/png", data: "iVBORw0K" },
              },
              {
                type: "document",
                source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQ=" },
                title: "report.pdf",
              },
              {
                type: "document",
                source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQ=" },
              },
              {
                type: "document",
                source: { type: "url", url: "https://example.com/paper.pdf" },
              },
              {
                type: "document",
                source: { type: "text", media_type: "text/plain", data: "hello" },
              },
            ],
          },
        ],
      },
    ],
    [
      "maps tools to input_schema (an empty object schema by default) and passes strict",
      { message: "x", tools: [WEATHER, { ...TIME, function: { ...TIME.function, strict: true } }] },
      {
        tools: [
          {
            name: "weather",
            description: "Weather of a city",
            input_schema: WEATHER.function.parameters,
          },
          { name: "time", input_schema: { type: "object", properties: {} }, strict: true },
        ],
      },
    ],
    [
      'maps tool_choice "auto" and parallel_tool_calls: false to disable_parallel_tool_use',
      { message: "x", tools: [WEATHER], tool_choice: "auto", parallel_tool_calls: false },
      { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    ],
    [
      'maps tool_choice "required" to any',
      { message: "x", tools: [WEATHER], tool_choice: "required" },
      { tool_choice: { type: "any" } },
    ],
    [
      "maps a named tool_choice to tool",
      {
        message: "x",
        tools: [WEATHER, TIME],
        tool_choice: { type: "function", function: { name: "time" } },
      },
      { tool_choice: { type: "tool", name: "time" } },
    ],
    [
      'maps tool_choice "none" to none',
      { message: "x", tools: [WEATHER], tool_choice: "none" },
      { tool_choice: { type: "none" } },
    ],
    [
      "sends parallel_tool_calls: false alone as auto without parallel calls",
      { message: "x", tools: [WEATHER], parallel_tool_calls: false },
      { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    ],
    [
      "turns parallel tool calls into tool_use blocks and their results into one user turn, merged with the next user message",
      {
        messages: [
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: "Checking.",
            tool_calls: [
              call("toolu_1", "weather", '{"city":"Paris"}'),
              call("toolu_2", "weather", '{"city":"Rome"}'),
            ],
          },
          { role: "tool", tool_call_id: "toolu_1", content: "18°C" },
          { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "24°C" }] },
          { role: "user", content: "Which is warmer?" },
        ],
      },
      {
        messages: [
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: [
              { type: "text", text: "Checking." },
              { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
              { type: "tool_use", id: "toolu_2", name: "weather", input: { city: "Rome" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
              {
                type: "tool_result",
                tool_use_id: "toolu_2",
                content: [{ type: "text", text: "24°C" }],
              },
              { type: "text", text: "Which is warmer?" },
            ],
          },
        ],
      },
    ],
    [
      "leaves out an empty assistant text and reads empty arguments as {}",
      {
        messages: [
          { role: "user", content: "time?" },
          { role: "assistant", content: null, tool_calls: [call("t", "time", "")] },
          { role: "tool", tool_call_id: "t", content: "noon" },
        ],
      },
      {
        messages: [
          { role: "user", content: "time?" },
          { role: "assistant", content: [{ type: "tool_use", id: "t", name: "time", input: {} }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "noon" }] },
        ],
      },
    ],
    [
      "merges consecutive user messages into one turn of blocks",
      {
        messages: [
          { role: "user", content: "a" },
          { role: "user", content: [{ type: "text", text: "b" }] },
        ],
      },
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
        ],
      },
    ],
    [
      "maps stop to stop_sequences and user to metadata.user_id",
      { message: "x", stop: "END", user: "user-42" },
      { stop_sequences: ["END"], metadata: { user_id: "user-42" } },
    ],
    [
      "sends a json_schema response format as output_config.format",
      {
        message: "x",
        response_format: {
          type: "json_schema",
          json_schema: { name: "city", schema: { type: "object" }, strict: true },
        },
      },
      { output_config: { format: { type: "json_schema", schema: { type: "object" } } } },
    ],
    [
      'sends response_format "text" as nothing (the default)',
      { message: "x", response_format: { type: "text" } },
      { messages: [{ role: "user", content: "x" }] },
    ],
  ];

  it.each(cases)("%s", (_name, request, expected) => {
    expect(body(request)).toMatchObject({ model: "claude-x", max_tokens: 4096, ...expected });
  });

  it("adds stream: true only for streams and leaves unset fields out", () => {
    expect(JSON.parse(JSON.stringify(body({ message: "x" }, true)))).toEqual({
      model: "claude-x",
      max_tokens: 4096,
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
  });

  it.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
    ["xhigh", 32768],
    ["3000", 3000],
  ])("maps effort %s to a thinking budget of %i tokens on top of max_tokens", (effort, budget) => {
    expect(body({ message: "x", effort, max_completion_tokens: 500 })).toMatchObject({
      max_tokens: 500 + budget,
      thinking: { type: "enabled", budget_tokens: budget },
    });
  });

  it("sends a tool-calling turn's remembered thinking back before its tool_use blocks, only when thinking", () => {
    const request: CompletionRequest = {
      messages: [
        { role: "user", content: "time?" },
        { role: "assistant", tool_calls: [call("toolu_1", "time", "{}")] },
        { role: "tool", tool_call_id: "toolu_1", content: "noon" },
      ],
    };
    const thinking = { type: "thinking", thinking: "Use the tool.", signature: "sig" };
    const thinkingBlocksOf = (id: string) => (id === "toolu_1" ? [thinking] : undefined);
    const withEffort = buildAnthropicBody(
      "c",
      { ...request, effort: "low" },
      { stream: false, thinkingBlocksOf },
    );
    expect(withEffort.messages[1]).toEqual({
      role: "assistant",
      content: [thinking, { type: "tool_use", id: "toolu_1", name: "time", input: {} }],
    });
    const without = buildAnthropicBody("c", request, { stream: false, thinkingBlocksOf });
    expect(without.messages[1]?.content).toEqual([
      { type: "tool_use", id: "toolu_1", name: "time", input: {} },
    ]);
  });

  it('turns thinking off for effort "none" without changing max_tokens', () => {
    expect(body({ message: "x", effort: "none" })).toMatchObject({
      max_tokens: 4096,
      thinking: { type: "disabled" },
    });
  });

  const unsupported: [string, CompletionRequest, string][] = [
    ["seed", { message: "x", seed: 1 }, "seed"],
    ["presence_penalty", { message: "x", presence_penalty: 0.5 }, "presence_penalty"],
    ["frequency_penalty", { message: "x", frequency_penalty: 0.5 }, "frequency_penalty"],
    ["json_object", { message: "x", response_format: { type: "json_object" } }, "response_format"],
    ["temperature with top_p", { message: "x", temperature: 0.2, top_p: 0.9 }, "top_p"],
    ["thinking with temperature", { message: "x", effort: "low", temperature: 0.2 }, "temperature"],
    ["thinking with a low top_p", { message: "x", effort: "low", top_p: 0.5 }, "top_p"],
    [
      "thinking with a forced tool",
      { message: "x", effort: "low", tools: [TIME], tool_choice: "required" },
      "tool_choice",
    ],
    ["an unknown effort", { message: "x", effort: "turbo" }, "effort"],
    ["a budget below 1024", { message: "x", effort: "100" }, "effort"],
    [
      "an OpenAI file id",
      { messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }] },
      "messages[0].content[0].file.file_id",
    ],
    [
      "an audio attachment",
      {
        messages: [
          {
            role: "user",
            content: [{ type: "file", file: { file_data: "data:audio/wav;base64,UklG" } }],
          },
        ],
      },
      "messages[0].content[0].file.file_data",
    ],
    [
      "a system message after the first turn",
      {
        messages: [
          { role: "user", content: "a" },
          { role: "system", content: "b" },
        ],
      },
      "messages[1]",
    ],
    [
      "a participant name",
      { messages: [{ role: "user", content: "a", name: "ann" }] },
      "messages[0].name",
    ],
  ];

  it.each(unsupported)(
    "refuses %s with UnsupportedFeatureError naming the field",
    (_name, request, field) => {
      expect(() => body(request)).toThrow(
        expect.objectContaining({
          code: "THRYD_UNSUPPORTED_FEATURE",
          field,
          provider: "anthropic",
        }),
      );
    },
  );

  it("sends temperature or top_p alone under 2023-06-01, and neither from API version 2026-10-21", () => {
    expect(body({ message: "x", temperature: 0.2 })).toMatchObject({ temperature: 0.2 });
    expect(body({ message: "x", top_p: 0.9 })).toMatchObject({ top_p: 0.9 });
    for (const field of ["temperature", "top_p"] as const) {
      expect(() =>
        buildAnthropicBody(
          "c",
          { message: "x", [field]: 0.5 },
          { stream: false, apiVersion: "2026-10-21" },
        ),
      ).toThrow(expect.objectContaining({ code: "THRYD_UNSUPPORTED_FEATURE", field }));
    }
  });

  it.each([
    ["{not json", "is not valid JSON"],
    ["[1,2]", "must be a JSON object"],
  ])("refuses tool call arguments %s with InvalidRequestError naming the field", (args, reason) => {
    const request: CompletionRequest = {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", tool_calls: [call("t", "time", args)] },
        { role: "tool", tool_call_id: "t", content: "x" },
      ],
    };
    expect(() => body(request)).toThrow(
      expect.objectContaining({
        code: "THRYD_INVALID_REQUEST",
        field: "messages[1].tool_calls[0].function.arguments",
        message: expect.stringContaining(reason),
      }),
    );
  });
});
