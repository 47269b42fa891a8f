import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  type CompletionRequest,
  type CompletionResponse,
  createCompletionRouter,
  type FunctionTool,
  type MessagesCompletionRequest,
  OpenAICompatibleProvider,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

// The official SDK is the reference for the OpenAI wire: the same logical request goes through
// `openai` and through thryd to the mock, and the two recorded bodies must match field by field.

const mock = useMockServer();
const MODEL = "gpt-test";
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const PDF =
  "data:application/pdf;base64,JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK";

const sdk = () => new OpenAI({ apiKey: "sk-mock", baseURL: mock().url, maxRetries: 0 });

function thryd() {
  const router = createCompletionRouter().addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
  );
  router.deploy("g", `mock/${MODEL}`);
  return router;
}

type Body = Record<string, unknown>;

// thryd's `effort` is OpenAI's `reasoning_effort`: the SDK gets the wire name.
const sdkRequestOf = (request: MessagesCompletionRequest): MessagesCompletionRequest => {
  const { effort, ...rest } = request;
  return (
    effort === undefined ? rest : { ...rest, reasoning_effort: effort }
  ) as MessagesCompletionRequest;
};

/** The recorded bodies of the SDK call and of thryd's, for one logical request. */
async function bodiesOf(request: MessagesCompletionRequest, stream = false): Promise<[Body, Body]> {
  mock().reset();
  const params = { model: MODEL, ...sdkRequestOf(request) } as OpenAI.ChatCompletionCreateParams;
  if (stream) {
    const chunks = await sdk().chat.completions.create({
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of chunks) {
      // drained so the request completes
    }
    for await (const _ of thryd().stream("g", request)) {
      // drained so the request completes
    }
  } else {
    await sdk().chat.completions.create(params);
    await thryd().invoke("g", request);
  }
  const [fromSdk, fromThryd] = mock().requests;
  expect(fromSdk?.path).toBe("/v1/chat/completions");
  expect(fromThryd?.path).toBe(fromSdk?.path);
  return [fromSdk?.body as Body, fromThryd?.body as Body];
}

function expectSameFields(fromSdk: Body, fromThryd: Body): void {
  const fields = new Set([...Object.keys(fromSdk), ...Object.keys(fromThryd)]);
  for (const field of fields) {
    expect({ field, value: fromThryd[field] }).toEqual({ field, value: fromSdk[field] });
  }
}

const weatherTool: FunctionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["C", "F"] } },
      required: ["city", "unit"],
      additionalProperties: false,
    },
    strict: true,
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

const history: MessagesCompletionRequest["messages"] = [
  { role: "system", content: "You are a terse travel assistant." },
  { role: "user", content: "I am going to Paris." },
  { role: "assistant", content: "Noted: Paris." },
  { role: "user", content: "In May." },
  { role: "assistant", content: "Paris in May: mild." },
  { role: "user", content: "What should I pack?" },
];

const requests: [string, MessagesCompletionRequest][] = [
  ["a system prompt and a 3-turn history", { messages: history }],
  [
    "an image and a PDF as content parts",
    {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Does the picture match the brochure?" },
            { type: "image_url", image_url: { url: PNG, detail: "low" } },
            { type: "file", file: { file_data: PDF, filename: "brochure.pdf" } },
          ],
        },
      ],
    },
  ],
  [
    "tools with tool_choice auto",
    {
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool, timeTool],
      tool_choice: "auto",
    },
  ],
  [
    "tools with tool_choice required and no parallel calls",
    {
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool, timeTool],
      tool_choice: "required",
      parallel_tool_calls: false,
    },
  ],
  [
    "tools with a named tool_choice",
    {
      messages: [{ role: "user", content: "Time?" }],
      tools: [weatherTool, timeTool],
      tool_choice: { type: "function", function: { name: "get_time" } },
    },
  ],
  [
    "a parallel tool call and its results sent back",
    {
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_w",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris","unit":"C"}' },
            },
            {
              id: "call_t",
              type: "function",
              function: { name: "get_time", arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_w", content: '{"temp":18}' },
        { role: "tool", tool_call_id: "call_t", content: "14:05" },
      ],
      tools: [weatherTool, timeTool],
    },
  ],
  [
    "a json_schema response_format",
    {
      messages: [{ role: "user", content: "Capital of France as JSON" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "capital",
          description: "A country's capital",
          schema: {
            type: "object",
            properties: { country: { type: "string" }, capital: { type: "string" } },
            required: ["country", "capital"],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    },
  ],
  [
    "stop, seed, user and every sampling field",
    {
      messages: [{ role: "user", content: "Count to ten" }],
      stop: ["7", "eight"],
      seed: 42,
      user: "user-1234",
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 64,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      effort: "low",
    },
  ],
];

describe("thryd's OpenAI wire against the official openai SDK", { timeout: 30_000 }, () => {
  it.each(requests)("sends %s exactly as the SDK does", async (_, request) => {
    const [fromSdk, fromThryd] = await bodiesOf(request);
    expect(fromThryd.stream).toBeUndefined();
    expectSameFields(fromSdk, fromThryd);
  });

  it.each(requests)(
    "streams %s with the same body as the SDK (stream_options included)",
    async (_, request) => {
      const [fromSdk, fromThryd] = await bodiesOf(request, true);
      expect(fromThryd.stream).toBe(true);
      expectSameFields(fromSdk, fromThryd);
    },
  );

  it("sends the shorthand `message` as the SDK sends one user message", async () => {
    mock().reset();
    await sdk().chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "hi" }],
    });
    await thryd().invoke("g", { message: "hi" } satisfies CompletionRequest);
    const [fromSdk, fromThryd] = mock().requests;
    expectSameFields(fromSdk?.body as Body, fromThryd?.body as Body);
  });
});

describe("Parsing the mock's answers like the SDK", { timeout: 30_000 }, () => {
  const toolCalls = [
    { id: "call_w", name: "get_weather", arguments: '{"city":"Paris","unit":"C"}' },
    { id: "call_t", name: "get_time", arguments: '{"city":"Paris"}' },
  ];
  const request: MessagesCompletionRequest = {
    messages: [{ role: "user", content: "Weather and time in Paris?" }],
    tools: [weatherTool, timeTool],
  };

  it("assembles streamed tool-call chunks into the same calls as the SDK's stream helper", async () => {
    mock().script({ type: "ok", toolCalls }, { type: "ok", toolCalls });
    const sdkStream = sdk().chat.completions.stream({
      ...(request as Omit<OpenAI.ChatCompletionCreateParams, "model">),
      model: MODEL,
      stream: true,
    });
    const sdkCompletion = await sdkStream.finalChatCompletion();
    let response: CompletionResponse | undefined;
    const events = thryd().streamEvents("g", request);
    let fragments = 0;
    for await (const event of events) {
      if (event.type === "tool_call_delta") fragments++;
      if (event.type === "finish") response = event.response;
    }
    const sdkChoice = sdkCompletion.choices[0]!;
    expect(fragments).toBeGreaterThan(toolCalls.length);
    expect(response?.finish_reason).toBe(sdkChoice.finish_reason);
    expect(response?.tool_calls).toEqual(
      sdkChoice.message.tool_calls?.map((call) => {
        if (call.type !== "function") throw new Error(`unexpected ${call.type} call`);
        return {
          id: call.id,
          type: call.type,
          function: { name: call.function.name, arguments: call.function.arguments },
        };
      }),
    );
    expect(response?.content).toBe(sdkChoice.message.content ?? "");
  });

  it("reads a JSON tool-call answer into the same calls and message as the SDK", async () => {
    mock().script({ type: "ok", toolCalls }, { type: "ok", toolCalls });
    const sdkCompletion = await sdk().chat.completions.create({
      ...(request as Omit<OpenAI.ChatCompletionCreateParams, "model">),
      model: MODEL,
      stream: false,
    });
    const response = await thryd().invoke("g", request);
    const sdkMessage = sdkCompletion.choices[0]!.message;
    expect(response.finish_reason).toBe(sdkCompletion.choices[0]!.finish_reason);
    expect(response.message).toEqual({
      role: sdkMessage.role,
      content: sdkMessage.content,
      tool_calls: sdkMessage.tool_calls,
    });
  });
});
