import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { useGateway } from "./harness.js";

// The official `openai` SDK is the client: what it accepts is what OpenAI-compatible callers get.

const fixture = useGateway();
const weather = { id: "call_w", name: "get_weather", arguments: '{"city":"Paris","unit":"C"}' };
const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
];

describe("POST /v1/chat/completions", () => {
  it("answers a chat through the router with the group as the model and the usage", async () => {
    const completion = await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hello there" },
        ],
      });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("fast");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "echo: hello there",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    const [upstream] = fixture().mock.requests;
    expect(upstream?.body).toMatchObject({
      model: "gpt-mock",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hello there" },
      ],
    });
    expect(upstream?.headers.authorization).toBe("Bearer sk-provider-secret-0123456789");
  });

  it("passes sampling, stop, seed, user and max_tokens through to the provider", async () => {
    await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [{ role: "user", content: "x" }],
        temperature: 0.2,
        top_p: 0.9,
        stop: ["END"],
        seed: 7,
        user: "user-42",
        max_tokens: 33,
        reasoning_effort: "low",
      });
    expect(fixture().mock.requests[0]?.body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
      seed: 7,
      user: "user-42",
      max_completion_tokens: 33,
      reasoning_effort: "low",
    });
  });

  it("streams chunks the SDK assembles, with a usage chunk for include_usage", async () => {
    const stream = await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [{ role: "user", content: "stream me please" }],
        stream: true,
        stream_options: { include_usage: true },
      });
    let text = "";
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe("fast");
      text += chunk.choices[0]?.delta.content ?? "";
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("echo: stream me please");
    expect(finish).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks).toBeGreaterThan(3);
    expect(fixture().mock.requests[0]?.body).toMatchObject({ stream: true });
  });

  it("returns tool calls in JSON and sends tools and tool_choice upstream", async () => {
    fixture().mock.script({ type: "ok", toolCalls: [weather] });
    const completion = await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [{ role: "user", content: "weather in Paris?" }],
        tools,
        tool_choice: "required",
        parallel_tool_calls: false,
      });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: "call_w",
        type: "function",
        function: { name: "get_weather", arguments: weather.arguments },
      },
    ]);
    expect(fixture().mock.requests[0]?.body).toMatchObject({
      tools,
      tool_choice: "required",
      parallel_tool_calls: false,
    });
  });

  it("streams tool-call deltas the SDK's stream helper assembles into the whole call", async () => {
    fixture().mock.script({ type: "ok", toolCalls: [weather] });
    const runner = fixture()
      .client()
      .chat.completions.stream({
        model: "fast",
        messages: [{ role: "user", content: "weather?" }],
        tools,
      });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: "call_w",
      type: "function",
      function: { name: "get_weather", arguments: weather.arguments },
    });
  });

  it("continues a conversation with the tool result", async () => {
    await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [
          { role: "user", content: "weather?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_w",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_w", content: "18 C" },
        ],
        tools,
      });
    const body = fixture().mock.requests[0]?.body as { messages: unknown[] } | undefined;
    expect(body?.messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "call_w",
      content: "18 C",
    });
  });

  it("sends a json_schema response_format upstream and returns the JSON the model wrote", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    };
    fixture().mock.script({ type: "ok", content: '{"city":"Paris"}' });
    const completion = await fixture()
      .client()
      .chat.completions.create({
        model: "fast",
        messages: [{ role: "user", content: "which city?" }],
        response_format: {
          type: "json_schema",
          json_schema: { name: "city", schema, strict: true },
        },
      });
    expect(JSON.parse(completion.choices[0]?.message.content ?? "")).toEqual({ city: "Paris" });
    expect(fixture().mock.requests[0]?.body).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "city", schema, strict: true } },
    });
  });
});
