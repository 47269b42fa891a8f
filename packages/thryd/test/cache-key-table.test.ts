// The answer cache, seen from outside: for every kind, a request is sent, then the same request
// with one field changed. A field that changes the answer must miss (the model is asked again,
// and its new answer returned); an identical request, and a change that cannot alter the answer,
// must hit. (src/cache/cache-keys.test.ts checks the completion key function itself, message by
// message; this table checks what the router does with the keys.)
//
// Known to bite: each table was run against deliberately broken key functions in
// src/cache/cache-keys.ts, one at a time, and failed on exactly the rows each one conflates:
// - `embeddingCacheKey` hashing the text alone, without the group (the original's key): "the
//   group"; without the `ndim` prefix: "ndim";
// - `rerankCacheKey` without the group (the original's key): "the group"; over the sorted
//   documents (the original's defect, cached indices pointing at the wrong documents): "the
//   document order";
// - `completionCacheKey` without the group: "the group"; keyed on the message text instead of
//   the normalised conversation: "an image" and "the shorthand"; leaving out any one of
//   temperature, top_p, max_completion_tokens, the penalties, effort, tools, tool_choice,
//   parallel_tool_calls, response_format, stop, seed or user: that field's row (and for seed,
//   "a field left out").
import { describe, expect, it } from "vitest";
import {
  type CompletionModel,
  type CompletionRequest,
  createCompletionRouter,
  createEmbeddingRouter,
  createRerankRouter,
  DummyProvider,
  type EmbeddingModel,
  type EmbeddingRequest,
  type RerankModel,
  type RerankRequest,
  RouterCache,
} from "../src/index.js";

const PNG = "data:image/png;base64,iVBORw0KGgo=";
const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

// A fresh cache per row: the memory tier in front of a Map store, as a real router has.
const freshCache = () => new RouterCache({ store: new Map() });

describe("Cache keys of embeddings: one entry per text", () => {
  function setup() {
    const provider = new DummyProvider();
    const sent: string[][] = [];
    const model: EmbeddingModel = {
      kind: "embedding",
      name: "e",
      provider,
      invoke: async (request) => {
        sent.push([...request.texts]);
        // Each answer tells its call apart: a miss must return the new vectors.
        const call = sent.length;
        return {
          embeddings: request.texts.map((text) =>
            Array.from({ length: request.ndim }, (_, index) => call * 1000 + text.length + index),
          ),
          usage,
        };
      },
    };
    const router = createEmbeddingRouter({ cache: freshCache() }).addProvider(provider);
    router.addDeployment("g", model);
    router.addDeployment("h", model);
    return { router, sent };
  }

  const base: EmbeddingRequest = { texts: ["alpha", "beta"], ndim: 4 };
  // [what changes, group, request, the texts the model must be asked for (none: a hit)]
  const rows: [string, string, EmbeddingRequest, string[]][] = [
    ["nothing (an identical request)", "g", structuredClone(base), []],
    ["the group", "h", base, ["alpha", "beta"]],
    ["ndim", "g", { ...base, ndim: 5 }, ["alpha", "beta"]],
    ["one text", "g", { ...base, texts: ["alpha", "beta!"] }, ["beta!"]],
    ["one text, by case only", "g", { ...base, texts: ["Alpha", "beta"] }, ["Alpha"]],
    ["a text added", "g", { ...base, texts: ["alpha", "beta", "gamma"] }, ["gamma"]],
    ["the text order (per-text entries)", "g", { ...base, texts: ["beta", "alpha"] }, []],
    ["maxBatchEmbSize (not part of the answer)", "g", { ...base, maxBatchEmbSize: 1 }, []],
  ];

  it.each(rows)("changing %s", async (_, group, request, expected) => {
    const { router, sent } = setup();
    const first = await router.invoke("g", base);
    const second = await router.invoke(group, request);
    expect(sent.slice(1)).toEqual(expected.length > 0 ? [expected] : []);
    // Every vector answers its own text at the requested ndim, from the cache or the model.
    expect(second.embeddings.map((vector) => vector.length)).toEqual(
      request.texts.map(() => request.ndim),
    );
    for (const [index, text] of request.texts.entries()) {
      const fresh = expected.includes(text);
      const origin = fresh ? 2 : 1;
      expect(second.embeddings[index]?.[0]).toBe(origin * 1000 + text.length);
    }
    expect(first.embeddings).toHaveLength(2);
  });
});

describe("Cache keys of reranks: the group, the query and the documents in order", () => {
  function setup() {
    const provider = new DummyProvider();
    const sent: RerankRequest[] = [];
    const model: RerankModel = {
      kind: "rerank",
      name: "r",
      provider,
      invoke: async (request) => {
        sent.push(structuredClone(request));
        // Best first by length: the indices point into this call's own document order.
        const rankings = request.documents
          .map((document, index): [number, number] => [index, document.length + sent.length / 10])
          .sort((left, right) => right[1] - left[1]);
        return { rankings, usage };
      },
    };
    const router = createRerankRouter({ cache: freshCache() }).addProvider(provider);
    router.addDeployment("g", model);
    router.addDeployment("h", model);
    return { router, sent };
  }

  const base: RerankRequest = { query: "cats", documents: ["a dog", "two cats", "a bird"] };
  // [what changes, group, request, whether it must miss]
  const rows: [string, string, RerankRequest, boolean][] = [
    ["nothing (an identical request)", "g", structuredClone(base), false],
    ["the group", "h", base, true],
    ["the query", "g", { ...base, query: "dogs" }, true],
    ["one document", "g", { ...base, documents: ["a dog", "two cats!", "a bird"] }, true],
    ["the document order", "g", { ...base, documents: ["two cats", "a dog", "a bird"] }, true],
    ["a document added", "g", { ...base, documents: [...base.documents, "a fish"] }, true],
    ["a document removed", "g", { ...base, documents: ["a dog", "two cats"] }, true],
  ];

  it.each(rows)("changing %s", async (_, group, request, misses) => {
    const { router, sent } = setup();
    const first = await router.invoke("g", base);
    const second = await router.invoke(group, request);
    expect(sent).toHaveLength(misses ? 2 : 1);
    if (misses) expect(sent[1]).toEqual(request);
    else expect(second).toEqual(first);
    // Whatever served it, every index points at a document of this request, best first by length.
    const ranked = second.rankings.map(([index]) => request.documents[index]);
    expect(ranked).toEqual(
      [...request.documents].sort((left, right) => right.length - left.length),
    );
  });
});

describe("Cache keys of completions, through the router", () => {
  function setup() {
    const provider = new DummyProvider();
    const sent: CompletionRequest[] = [];
    const model: CompletionModel = {
      kind: "completion",
      name: "c",
      provider,
      invoke: async (request) => {
        sent.push(request);
        const content = `answer ${sent.length}`;
        return {
          content,
          finish_reason: "stop",
          message: { role: "assistant", content },
          usage,
        };
      },
    };
    const router = createCompletionRouter({ cache: freshCache() }).addProvider(provider);
    router.addDeployment("g", model);
    router.addDeployment("h", model);
    return { router, sent };
  }

  const tool = (description: string) => ({
    type: "function" as const,
    function: { name: "look", description, parameters: { type: "object" } },
  });
  const base: CompletionRequest = {
    message: "What is this?",
    images: [PNG],
    temperature: 0.2,
    top_p: 0.9,
    max_completion_tokens: 100,
    presence_penalty: 0,
    frequency_penalty: 0,
    effort: "low",
    tools: [tool("Look closer")],
    tool_choice: "auto",
    parallel_tool_calls: true,
    response_format: { type: "json_object" },
    stop: ["END"],
    seed: 7,
    user: "user-1",
  };
  // [what changes, group, request, whether it must miss]
  const rows: [string, string, CompletionRequest, boolean][] = [
    ["nothing (an identical request)", "g", structuredClone(base), false],
    [
      "nothing but the key order",
      "g",
      Object.fromEntries(Object.entries(base).reverse()) as CompletionRequest,
      false,
    ],
    [
      "nothing but the shorthand (the same single user message)",
      "g",
      {
        ...base,
        message: undefined,
        images: undefined,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: PNG } },
            ],
          },
        ],
      } as CompletionRequest,
      false,
    ],
    ["the group", "h", base, true],
    ["the message", "g", { ...base, message: "What is that?" }, true],
    ["an image", "g", { ...base, images: [`${PNG}A`] }, true],
    ["a system prompt added", "g", withSystemPrompt(base), true],
    ["temperature", "g", { ...base, temperature: 0.3 }, true],
    ["top_p", "g", { ...base, top_p: 0.8 }, true],
    ["max_completion_tokens", "g", { ...base, max_completion_tokens: 101 }, true],
    ["presence_penalty", "g", { ...base, presence_penalty: 0.5 }, true],
    ["frequency_penalty", "g", { ...base, frequency_penalty: 0.5 }, true],
    ["effort", "g", { ...base, effort: "high" }, true],
    ["tools", "g", { ...base, tools: [tool("Look again")] }, true],
    ["tool_choice", "g", { ...base, tool_choice: "required" }, true],
    ["parallel_tool_calls", "g", { ...base, parallel_tool_calls: false }, true],
    [
      "response_format",
      "g",
      {
        ...base,
        response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
      },
      true,
    ],
    ["stop", "g", { ...base, stop: ["STOP"] }, true],
    ["seed", "g", { ...base, seed: 8 }, true],
    ["user", "g", { ...base, user: "user-2" }, true],
    ["a field left out", "g", { ...base, seed: undefined }, true],
  ];

  it.each(rows)("changing %s", async (_, group, request, misses) => {
    const { router, sent } = setup();
    const first = await router.invoke("g", base);
    const second = await router.invoke(group, request);
    expect(sent).toHaveLength(misses ? 2 : 1);
    expect(second.content).toBe(misses ? "answer 2" : first.content);
  });
});

function withSystemPrompt(request: CompletionRequest): CompletionRequest {
  return {
    ...request,
    message: undefined,
    images: undefined,
    messages: [
      { role: "system", content: "Be terse." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: PNG } },
        ],
      },
    ],
  } as CompletionRequest;
}
