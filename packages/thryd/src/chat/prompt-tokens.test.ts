import { describe, expect, it } from "vitest";
import { DummyProvider } from "../providers/dummy-provider.js";
import { createCompletionRouter } from "../router/router.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CompletionModel,
  CompletionResponse,
  FunctionTool,
  MessagesCompletionRequest,
} from "../types.js";
import { estimatePromptTokens } from "./prompt-tokens.js";

const tools: FunctionTool[] = [
  {
    type: "function",
    function: {
      name: "search_catalogue",
      description: "Searches the product catalogue by free text and returns the ten best matches",
      parameters: {
        type: "object",
        properties: { query: { type: "string", description: "What to look for" } },
        required: ["query"],
      },
    },
  },
];

const conversation: MessagesCompletionRequest = {
  messages: [
    { role: "system", content: "You answer questions about the catalogue." },
    { role: "user", content: "Do you sell red umbrellas?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "c1",
          type: "function",
          function: { name: "search_catalogue", arguments: '{"query":"red umbrella"}' },
        },
      ],
    },
    {
      role: "tool",
      tool_call_id: "c1",
      content: "Three results: Classic Red, Storm Red, Pocket Red",
    },
  ],
};

describe("estimatePromptTokens", () => {
  it("counts every message's text and each tool call's name and arguments", () => {
    expect(estimatePromptTokens(conversation)).toBe(
      countTokens("You answer questions about the catalogue.") +
        countTokens("Do you sell red umbrellas?") +
        countTokens("search_catalogue") +
        countTokens('{"query":"red umbrella"}') +
        countTokens("Three results: Classic Red, Storm Red, Pocket Red"),
    );
  });

  it("adds the tool definitions and the response schema as JSON", () => {
    const format = {
      type: "json_schema" as const,
      json_schema: {
        name: "answer",
        schema: { type: "object", properties: { yes: { type: "boolean" } } },
      },
    };
    expect(estimatePromptTokens({ ...conversation, tools })).toBe(
      estimatePromptTokens(conversation) + countTokens(JSON.stringify(tools)),
    );
    expect(estimatePromptTokens({ ...conversation, response_format: format })).toBe(
      estimatePromptTokens(conversation) + countTokens(JSON.stringify(format.json_schema)),
    );
  });

  it("counts an image or a document at a fixed cost", () => {
    const withParts = (count: number): MessagesCompletionRequest => ({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these" },
            ...Array.from({ length: count }, () => ({
              type: "file" as const,
              file: { file_data: "data:application/pdf;base64,JVBERi0=" },
            })),
          ],
        },
      ],
    });
    const one = estimatePromptTokens(withParts(1));
    expect(one).toBeGreaterThan(countTokens("Compare these"));
    expect(estimatePromptTokens(withParts(2)) - one).toBe(one - countTokens("Compare these"));
  });
});

describe("The router's token estimate of a conversation", () => {
  const held = (router: ReturnType<typeof createCompletionRouter>) => {
    const resolvers: ((response: CompletionResponse) => void)[] = [];
    const model: CompletionModel = {
      kind: "completion",
      name: "held",
      provider: router.getProvider("dummy"),
      invoke: () => new Promise((resolve) => resolvers.push(resolve)),
    };
    return { model, resolvers };
  };

  it("reserves the messages, the tool definitions and max_completion_tokens against the TPM", async () => {
    const router = createCompletionRouter().addProvider(new DummyProvider());
    const { model, resolvers } = held(router);
    const deployment = router.addDeployment("g", model, { tpm: 100_000 });
    const request = { ...conversation, tools, max_completion_tokens: 50 };
    const pending = router.invoke("g", request);
    expect(deployment.limiter?.usage(Date.now()).tokens).toBe(
      estimatePromptTokens(conversation) + countTokens(JSON.stringify(tools)) + 50,
    );
    resolvers[0]?.({
      content: "yes",
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      finish_reason: "stop",
      message: { role: "assistant", content: "yes" },
    });
    await pending;
  });

  it("sends a conversation whose tool definitions overflow the context window to the larger group", async () => {
    const provider = new DummyProvider();
    const router = createCompletionRouter({
      contextWindowFallbacks: { small: "large" },
    }).addProvider(provider);
    const fits = estimatePromptTokens(conversation);
    router.deploy("small", "dummy/small", { contextWindow: fits + 5 });
    router.deploy("large", "dummy/large", { contextWindow: 100_000 });
    provider.model("completion", "small").respond("small");
    provider.model("completion", "large").respond("large");
    expect((await router.invoke("small", conversation)).content).toBe("small");
    expect((await router.invoke("small", { ...conversation, tools })).content).toBe("large");
  });
});
