import { describe, expect, it } from "vitest";
import type { CompletionRequest, MessagesCompletionRequest } from "../types.js";
import { completionCacheKey } from "./cache-keys.js";

const PNG = "data:image/png;base64,iVBORw0KGgo=";

// A request using every field, so each row below changes exactly one thing.
const base: MessagesCompletionRequest = {
  messages: [
    { role: "system", content: "You are terse." },
    {
      role: "user",
      content: [
        { type: "text", text: "What is this?" },
        { type: "image_url", image_url: { url: PNG } },
      ],
    },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c1", type: "function", function: { name: "look", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "c1", content: "a cat" },
  ],
  temperature: 0.2,
  top_p: 0.9,
  max_completion_tokens: 100,
  presence_penalty: 0,
  frequency_penalty: 0,
  effort: "low",
  tools: [
    {
      type: "function",
      function: { name: "look", description: "Look closer", parameters: { type: "object" } },
    },
    { type: "function", function: { name: "zoom", description: "Zoom in" } },
  ],
  tool_choice: "auto",
  parallel_tool_calls: true,
  response_format: {
    type: "json_schema",
    json_schema: {
      name: "answer",
      schema: { type: "object", properties: { kind: { type: "string" } } },
    },
  },
  stop: ["END"],
  seed: 7,
  user: "user-1",
};

const messages = base.messages;
const withMessage = (index: number, message: (typeof messages)[number]) =>
  messages.map((existing, position) => (position === index ? message : existing));
const tools = base.tools!;

const variants: [string, CompletionRequest][] = [
  ["temperature", { ...base, temperature: 0.3 }],
  ["top_p", { ...base, top_p: 0.8 }],
  ["max_completion_tokens", { ...base, max_completion_tokens: 101 }],
  ["presence_penalty", { ...base, presence_penalty: 0.1 }],
  ["frequency_penalty", { ...base, frequency_penalty: 0.1 }],
  ["effort", { ...base, effort: "high" }],
  [
    "the system prompt",
    { ...base, messages: withMessage(0, { role: "system", content: "You are verbose." }) },
  ],
  [
    "the system role (developer)",
    { ...base, messages: withMessage(0, { role: "developer", content: "You are terse." }) },
  ],
  [
    "the image",
    {
      ...base,
      messages: withMessage(1, {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: `${PNG}A` } },
        ],
      }),
    },
  ],
  [
    "a tool result",
    { ...base, messages: withMessage(3, { role: "tool", tool_call_id: "c1", content: "a dog" }) },
  ],
  [
    "the message order",
    { ...base, messages: [messages[1]!, messages[0]!, messages[2]!, messages[3]!] },
  ],
  [
    "one message's role",
    { ...base, messages: withMessage(0, { role: "user", content: "You are terse." }) },
  ],
  [
    "one tool's description",
    {
      ...base,
      tools: [tools[0]!, { type: "function", function: { name: "zoom", description: "Zoom out" } }],
    },
  ],
  ["the tool order", { ...base, tools: [tools[1]!, tools[0]!] }],
  ["tool_choice", { ...base, tool_choice: "required" }],
  [
    "tool_choice (named)",
    { ...base, tool_choice: { type: "function", function: { name: "look" } } },
  ],
  ["parallel_tool_calls", { ...base, parallel_tool_calls: false }],
  [
    "the schema",
    {
      ...base,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "answer",
          schema: { type: "object", properties: { kind: { type: "number" } } },
        },
      },
    },
  ],
  ["the response format type", { ...base, response_format: { type: "json_object" } }],
  ["stop", { ...base, stop: ["STOP"] }],
  ["seed", { ...base, seed: 8 }],
  ["user", { ...base, user: "user-2" }],
  ["a field left out", { ...base, seed: undefined }],
];

describe("completionCacheKey", () => {
  it("is the same for identical requests, built separately", () => {
    expect(completionCacheKey("g", structuredClone(base))).toBe(completionCacheKey("g", base));
  });

  it.each(variants)("changes with %s", (_, variant) => {
    expect(completionCacheKey("g", variant)).not.toBe(completionCacheKey("g", base));
  });

  it("gives every variant a key of its own", () => {
    const keys = new Set(variants.map(([, variant]) => completionCacheKey("g", variant)));
    expect(keys.size).toBe(variants.length);
  });

  it("changes with the group", () => {
    expect(completionCacheKey("h", base)).not.toBe(completionCacheKey("g", base));
  });

  it("shares a key between the message shorthand and the same single user message", () => {
    expect(completionCacheKey("g", { message: "hi", seed: 1 })).toBe(
      completionCacheKey("g", { messages: [{ role: "user", content: "hi" }], seed: 1 }),
    );
    expect(completionCacheKey("g", { message: "hi", images: [PNG] })).toBe(
      completionCacheKey("g", {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "hi" },
              { type: "image_url", image_url: { url: PNG } },
            ],
          },
        ],
      }),
    );
  });

  it("does not depend on the order object keys were written in", () => {
    const reversed = <T extends object>(value: T) =>
      Object.fromEntries(Object.entries(value).reverse());
    const reordered = {
      ...reversed(base),
      messages: base.messages.map(reversed),
      response_format: reversed(base.response_format!),
    } as unknown as CompletionRequest;
    expect(Object.keys(reordered)[0]).toBe("user");
    expect(completionCacheKey("g", reordered)).toBe(completionCacheKey("g", base));
  });
});
