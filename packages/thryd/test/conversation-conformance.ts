import type { MockLlmServer, RecordedRequest } from "@fabricatio/mock-llm";
import { expect, type TestAPI } from "vitest";
import {
  type CompletionModel,
  type CompletionResponse,
  type CompletionStreamEvent,
  createCompletionRouter,
  type FunctionTool,
  type MessagesCompletionRequest,
  type ToolCall,
} from "../src/index.js";

/** One part of a turn as the wire carried it, in provider-neutral terms. */
export type WirePart =
  | { type: "text"; text: string }
  /** An inline image or document: its media type and base64 data. */
  | { type: "image" | "file"; mediaType: string; data: string }
  /** `arguments` parsed from the wire's JSON (text or object). `id` absent where the wire has none. */
  | { type: "tool_call"; id?: string; name: string; arguments: unknown }
  /** `content` as the text the caller sent. `id` absent where the wire has none. */
  | { type: "tool_result"; id?: string; name?: string; content: string };

/** One turn of the wire conversation. Tool results count as the user side, as two of three APIs send them. */
export interface WireTurn {
  role: "user" | "assistant";
  parts: WirePart[];
}

/** A recorded request body in provider-neutral terms, read by a {@link ConversationAdapter}. */
export interface WireView {
  /** System instructions as one text (several joined with "\n"); `undefined` when none were sent. */
  system: string | undefined;
  /** The turns in order; the suite merges consecutive turns of one role itself. */
  turns: WireTurn[];
  tools: { name: string; description?: string; parameters?: unknown }[];
  /** The tool choice sent, `undefined` when none was. */
  toolChoice: "auto" | "none" | "required" | { name: string } | undefined;
  /** The JSON Schema the answer must match, when structured output was asked for. */
  responseSchema: unknown;
  /** Stop sequences sent, `undefined` when none were. */
  stop: string[] | undefined;
  seed: number | undefined;
  /** The end-user id sent, `undefined` when none was. */
  user: string | undefined;
  /** `false` when the request forbade several tool calls in one turn; else `undefined`. */
  parallelToolCalls: false | undefined;
  /** Whether any JSON object was asked for (JSON mode, no schema). */
  jsonMode: boolean;
  /** Whether the request asked for a streamed answer. */
  stream: boolean;
}

/** The features the suite covers; an adapter lists those its provider cannot carry. */
export type ConversationFeature =
  | "system"
  | "history"
  | "parts"
  | "toolChoiceAuto"
  | "toolChoiceRequired"
  | "toolChoiceNamed"
  | "toolResults"
  | "jsonSchema"
  | "stop"
  | "seed"
  | "user"
  | "sequentialToolCalls"
  | "jsonObject";

/** How the suite talks to one provider through the mock server. */
export interface ConversationAdapter {
  /** Wire name in `UnsupportedFeatureError.provider`: `openai`, `anthropic`, `gemini`. */
  provider: string;
  /** A fresh completion model of this provider pointed at the mock server. */
  makeModel(server: MockLlmServer): CompletionModel;
  /** Reads one recorded request into the neutral view. */
  readWire(request: RecordedRequest): WireView;
  /**
   * Features the provider cannot carry, with the request field `UnsupportedFeatureError.field`
   * names: the suite then expects that error and nothing sent. @default {}
   */
  unsupported?: Partial<Record<ConversationFeature, string>>;
  /** Whether tool-call ids travel on the wire (Gemini's do not: thryd makes its own). @default true */
  hasToolCallIds?: boolean;
  /**
   * Whether a streamed tool call's arguments arrive in several pieces (Gemini sends each
   * `functionCall` whole, in one chunk). @default true
   */
  splitsToolArguments?: boolean;
}

const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const PDF_BASE64 = "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK";

const weatherTool: FunctionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
    },
  },
};
const timeTool: FunctionTool = {
  type: "function",
  function: {
    name: "get_time",
    description: "Local time of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const neutralTools = [weatherTool, timeTool].map(({ function: fn }) => ({
  name: fn.name,
  description: fn.description,
  parameters: fn.parameters,
}));

const scriptedCalls = [
  { id: "call_weather", name: "get_weather", arguments: '{"city":"Paris"}' },
  { id: "call_time", name: "get_time", arguments: '{"city":"Paris"}' },
];

const askingForTools = (
  toolChoice: MessagesCompletionRequest["tool_choice"],
): MessagesCompletionRequest => ({
  messages: [{ role: "user", content: "Weather and time in Paris?" }],
  tools: [weatherTool, timeTool],
  tool_choice: toolChoice,
});

const withResults: MessagesCompletionRequest = {
  messages: [
    { role: "user", content: "Weather and time in Paris?" },
    {
      role: "assistant",
      content: null,
      tool_calls: scriptedCalls.map((call) => ({
        id: call.id,
        type: "function" as const,
        function: { name: call.name, arguments: call.arguments },
      })),
    },
    { role: "tool", tool_call_id: "call_weather", content: "Sunny, 18 C" },
    { role: "tool", tool_call_id: "call_time", content: "14:05" },
  ],
  tools: [weatherTool, timeTool],
};

const capitalSchema = {
  type: "object",
  properties: { country: { type: "string" }, capital: { type: "string" } },
  required: ["country", "capital"],
};

/** Merges consecutive turns of one role, as providers that require alternation send them. */
function mergedTurns(view: WireView): WireTurn[] {
  const turns: WireTurn[] = [];
  for (const turn of view.turns) {
    const last = turns.at(-1);
    if (last?.role === turn.role) last.parts.push(...turn.parts);
    else turns.push({ role: turn.role, parts: [...turn.parts] });
  }
  return turns;
}

const texts = (turn: WireTurn | undefined) =>
  (turn?.parts ?? []).flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");

/**
 * The conversation contract of a provider's completion model, registered under the caller's
 * `it`: each test sends one logical request through a router to the mock server and checks the
 * recorded wire body (through the adapter's neutral view) and the parsed answer; then the same
 * in streaming mode, with tool-call arguments split across SSE chunks. `mock` returns the
 * running mock server, reset before each test by the caller.
 */
export function conversationConformance(
  it: TestAPI,
  adapter: ConversationAdapter,
  mock: () => MockLlmServer,
): void {
  const hasIds = adapter.hasToolCallIds ?? true;

  function routerFor() {
    const model = adapter.makeModel(mock());
    const router = createCompletionRouter().addProvider(model.provider);
    router.addDeployment("g", model);
    return router;
  }

  /**
   * Sends `request`; when the adapter says the provider cannot carry `feature`, expects
   * `UnsupportedFeatureError` with nothing sent, and returns `undefined`.
   */
  async function send(
    feature: ConversationFeature,
    request: MessagesCompletionRequest,
  ): Promise<{ response: CompletionResponse; wire: WireView } | undefined> {
    const field = adapter.unsupported?.[feature];
    const pending = routerFor().invoke("g", request);
    if (field !== undefined) {
      await expect(pending).rejects.toMatchObject({
        code: "THRYD_UNSUPPORTED_FEATURE",
        field,
        provider: adapter.provider,
      });
      expect(mock().requestCount).toBe(0);
      return undefined;
    }
    const response = await pending;
    expect(mock().requests).toHaveLength(1);
    return { response, wire: adapter.readWire(mock().requests[0]!) };
  }

  const expectToolCalls = (calls: readonly ToolCall[] | undefined) => {
    expect(calls?.map((call) => call.function.name)).toEqual(
      scriptedCalls.map((call) => call.name),
    );
    for (const [index, call] of (calls ?? []).entries()) {
      expect(call.type).toBe("function");
      expect(JSON.parse(call.function.arguments)).toEqual(
        JSON.parse(scriptedCalls[index]!.arguments),
      );
      if (hasIds) expect(call.id).toBe(scriptedCalls[index]!.id);
      else expect(call.id).toMatch(/\S/);
    }
    if (!hasIds) expect(new Set(calls?.map((call) => call.id)).size).toBe(calls?.length);
  };

  it("sends the system prompt as the provider's system instructions", async () => {
    mock().script({ type: "ok", content: "Bonjour." });
    const sent = await send("system", {
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Hello" },
      ],
    });
    if (!sent) return;
    expect(sent.wire.system).toBe("Answer in French.");
    expect(mergedTurns(sent.wire)).toEqual([
      { role: "user", parts: [{ type: "text", text: "Hello" }] },
    ]);
    expect(sent.response).toMatchObject({
      content: "Bonjour.",
      finish_reason: "stop",
      message: { role: "assistant", content: "Bonjour." },
    });
  });

  it("sends a 3-turn history in order with its roles", async () => {
    mock().script({ type: "ok", content: "Pack a light jacket." });
    const sent = await send("history", {
      messages: [
        { role: "developer", content: "Be terse." },
        { role: "user", content: "I am going to Paris." },
        { role: "assistant", content: "Noted." },
        { role: "user", content: "In May." },
        { role: "assistant", content: "Mild weather." },
        { role: "user", content: "What should I pack?" },
      ],
    });
    if (!sent) return;
    expect(sent.wire.system).toBe("Be terse.");
    const turns = mergedTurns(sent.wire);
    expect(turns.map((turn) => turn.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(turns.map(texts)).toEqual([
      "I am going to Paris.",
      "Noted.",
      "In May.",
      "Mild weather.",
      "What should I pack?",
    ]);
    expect(sent.response.content).toBe("Pack a light jacket.");
  });

  it("sends an image and a PDF as the provider's image and document parts", async () => {
    mock().script({ type: "ok", content: "They match." });
    const sent = await send("parts", {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Does the picture match the brochure?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
            {
              type: "file",
              file: {
                file_data: `data:application/pdf;base64,${PDF_BASE64}`,
                filename: "brochure.pdf",
              },
            },
          ],
        },
      ],
    });
    if (!sent) return;
    expect(mergedTurns(sent.wire)).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", text: "Does the picture match the brochure?" },
          { type: "image", mediaType: "image/png", data: PNG_BASE64 },
          { type: "file", mediaType: "application/pdf", data: PDF_BASE64 },
        ],
      },
    ]);
    expect(sent.response.content).toBe("They match.");
  });

  const choices: [
    ConversationFeature,
    MessagesCompletionRequest["tool_choice"],
    WireView["toolChoice"],
  ][] = [
    ["toolChoiceAuto", "auto", "auto"],
    ["toolChoiceRequired", "required", "required"],
    ["toolChoiceNamed", { type: "function", function: { name: "get_time" } }, { name: "get_time" }],
  ];
  for (const [feature, choice, onWire] of choices) {
    it(`sends the tools with tool_choice ${JSON.stringify(choice)}`, async () => {
      mock().script({ type: "ok", toolCalls: [scriptedCalls[1]!] });
      const sent = await send(feature, askingForTools(choice));
      if (!sent) return;
      expect(sent.wire.tools).toEqual(neutralTools);
      expect(sent.wire.toolChoice).toEqual(onWire);
      expect(sent.response.finish_reason).toBe("tool_calls");
      expect(sent.response.tool_calls?.map((call) => call.function.name)).toEqual(["get_time"]);
    });
  }

  it("reads a parallel tool call into tool_calls and an assistant message ready to append", async () => {
    mock().script({ type: "ok", toolCalls: scriptedCalls });
    const sent = await send("toolChoiceAuto", askingForTools("auto"));
    if (!sent) return;
    const { response } = sent;
    expect(response.finish_reason).toBe("tool_calls");
    expect(response.content).toBe("");
    expectToolCalls(response.tool_calls);
    expect(response.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: response.tool_calls,
    });
  });

  it("sends tool calls and their results back in order, each result tied to its call", async () => {
    mock().script({ type: "ok", content: "Sunny and 14:05 in Paris." });
    const sent = await send("toolResults", withResults);
    if (!sent) return;
    const turns = mergedTurns(sent.wire);
    expect(turns.map((turn) => turn.role)).toEqual(["user", "assistant", "user"]);
    expect(turns[1]!.parts).toEqual(
      scriptedCalls.map((call) => ({
        type: "tool_call",
        ...(hasIds ? { id: call.id } : {}),
        name: call.name,
        arguments: JSON.parse(call.arguments),
      })),
    );
    const results = turns[2]!.parts.filter((part) => part.type === "tool_result");
    expect(results.map((part) => part.content)).toEqual(["Sunny, 18 C", "14:05"]);
    if (hasIds) {
      expect(results.map((part) => part.id)).toEqual(["call_weather", "call_time"]);
    } else {
      expect(results.map((part) => part.name)).toEqual(["get_weather", "get_time"]);
    }
    expect(sent.response.content).toBe("Sunny and 14:05 in Paris.");
  });

  it("asks for JSON matching a schema and returns the JSON text", async () => {
    const answer = { country: "France", capital: "Paris" };
    mock().script({ type: "ok", content: JSON.stringify(answer) });
    const sent = await send("jsonSchema", {
      messages: [{ role: "user", content: "Capital of France?" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "capital", schema: capitalSchema },
      },
    });
    if (!sent) return;
    expect(sent.wire.responseSchema).toEqual(capitalSchema);
    expect(JSON.parse(sent.response.content)).toEqual(answer);
    expect(sent.response.finish_reason).toBe("stop");
  });

  it("sends stop sequences", async () => {
    mock().script({ type: "ok", content: "1 2 3" });
    const sent = await send("stop", {
      messages: [{ role: "user", content: "Count" }],
      stop: ["4", "END"],
    });
    if (!sent) return;
    expect(sent.wire.stop).toEqual(["4", "END"]);
    expect(sent.response.content).toBe("1 2 3");
  });

  it("sends the seed", async () => {
    mock().script({ type: "ok", content: "7" });
    const sent = await send("seed", { messages: [{ role: "user", content: "Pick" }], seed: 7 });
    if (!sent) return;
    expect(sent.wire.seed).toBe(7);
  });

  it("sends the end-user id", async () => {
    mock().script({ type: "ok", content: "Hi." });
    const sent = await send("user", {
      messages: [{ role: "user", content: "Hello" }],
      user: "user-42",
    });
    if (!sent) return;
    expect(sent.wire.user).toBe("user-42");
    expect(sent.response.content).toBe("Hi.");
  });

  it("forbids several tool calls in one turn when parallel_tool_calls is false", async () => {
    mock().script({ type: "ok", toolCalls: [scriptedCalls[0]!] });
    const sent = await send("sequentialToolCalls", {
      ...askingForTools("auto"),
      parallel_tool_calls: false,
    });
    if (!sent) return;
    expect(sent.wire.parallelToolCalls).toBe(false);
    expect(sent.response.tool_calls?.map((call) => call.function.name)).toEqual(["get_weather"]);
  });

  it("asks for any JSON object (JSON mode) without a schema", async () => {
    mock().script({ type: "ok", content: '{"ok":true}' });
    const sent = await send("jsonObject", {
      messages: [{ role: "user", content: "Answer in JSON" }],
      response_format: { type: "json_object" },
    });
    if (!sent) return;
    expect(sent.wire.jsonMode).toBe(true);
    expect(sent.wire.responseSchema).toBeUndefined();
    expect(JSON.parse(sent.response.content)).toEqual({ ok: true });
  });

  it("leaves out every optional field a plain request does not set", async () => {
    mock().script({ type: "ok", content: "Plain." });
    const sent = await send("history", { messages: [{ role: "user", content: "Plain" }] });
    if (!sent) return;
    expect(sent.wire).toMatchObject({
      system: undefined,
      tools: [],
      toolChoice: undefined,
      responseSchema: undefined,
      stop: undefined,
      seed: undefined,
      user: undefined,
      parallelToolCalls: undefined,
      jsonMode: false,
      stream: false,
    });
  });

  async function streamed(request: MessagesCompletionRequest) {
    const events: CompletionStreamEvent[] = [];
    let response: CompletionResponse | undefined;
    const stream = routerFor().streamEvents("g", request);
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        response = next.value;
        break;
      }
      events.push(next.value);
    }
    expect(mock().requests).toHaveLength(1);
    return { events, response, wire: adapter.readWire(mock().requests[0]!) };
  }

  it("streams text deltas that add up to the answer, then finish with the whole response", async () => {
    mock().script({ type: "ok", content: "Streaming works across several chunks." });
    const { events, response, wire } = await streamed({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Stream please" },
      ],
    });
    expect(wire.stream).toBe(true);
    expect(wire.system).toBe("Be brief.");
    const pieces = events.flatMap((event) => (event.type === "text" ? [event.text] : []));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe("Streaming works across several chunks.");
    expect(events.at(-1)).toEqual({
      type: "finish",
      finish_reason: "stop",
      usage: response?.usage,
      response,
    });
    expect(response?.message).toEqual({
      role: "assistant",
      content: "Streaming works across several chunks.",
    });
  });

  it("streams a parallel tool call (arguments split across chunks where the wire splits them), assembled per index", async () => {
    mock().script({ type: "ok", toolCalls: scriptedCalls });
    const { events, response, wire } = await streamed(askingForTools("auto"));
    expect(wire.stream).toBe(true);
    expect(wire.tools).toEqual(neutralTools);
    const deltas = events.filter(
      (event): event is Extract<CompletionStreamEvent, { type: "tool_call_delta" }> =>
        event.type === "tool_call_delta",
    );
    if (adapter.splitsToolArguments ?? true) {
      expect(deltas.length).toBeGreaterThan(scriptedCalls.length);
    } else {
      expect(deltas).toHaveLength(scriptedCalls.length);
    }
    for (const [index, call] of scriptedCalls.entries()) {
      const own = deltas.filter((delta) => delta.index === index);
      expect(own[0]?.name).toBe(call.name);
      expect(JSON.parse(own.map((delta) => delta.arguments).join(""))).toEqual(
        JSON.parse(call.arguments),
      );
    }
    expect(response?.finish_reason).toBe("tool_calls");
    expectToolCalls(response?.tool_calls);
    expect(response?.message.tool_calls).toEqual(response?.tool_calls);
  });

  it("fails a stream cut before the provider's end marker with IncompleteResponseError", async () => {
    mock().script({ type: "truncated" });
    const stream = routerFor().streamEvents("g", { messages: [{ role: "user", content: "Cut" }] });
    const drain = async () => {
      for await (const _ of stream) {
        // the events before the cut are not the point here
      }
    };
    await expect(drain()).rejects.toMatchObject({ code: "THRYD_INCOMPLETE_RESPONSE" });
  });

  it("fails a JSON answer without the provider's finish reason with IncompleteResponseError", async () => {
    mock().script({ type: "truncated" });
    await expect(
      routerFor().invoke("g", { messages: [{ role: "user", content: "Cut" }] }),
    ).rejects.toMatchObject({ code: "THRYD_INCOMPLETE_RESPONSE" });
  });
}
