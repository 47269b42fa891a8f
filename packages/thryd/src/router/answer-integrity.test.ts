import { initLogger } from "@fabricatio/logger";
import { beforeEach, describe, expect, it } from "vitest";
import { completionCacheKey, embeddingCacheKey, rerankCacheKey } from "../cache/cache-keys.js";
import { RouterCache } from "../cache/router-cache.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { CompletionResponse, EmbeddingModel, RerankModel } from "../types.js";
import { createCompletionRouter, createEmbeddingRouter, createRerankRouter } from "./router.js";

const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
const answer = (content: string): CompletionResponse => ({
  content,
  usage,
  finish_reason: "stop",
  message: { role: "assistant", content },
});

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  initLogger({ level: "WARN", stream: { write: (line: string) => warnings.push(line) } });
});

function completionSetup() {
  const provider = new DummyProvider();
  const cache = new RouterCache({ store: new Map() });
  const router = createCompletionRouter({ cache }).addProvider(provider);
  const deployment = router.deploy("g", "dummy/a", { rpm: 10 });
  return { router, cache, deployment, model: provider.model("completion", "a") };
}

describe("Answers from models", () => {
  it("turns a custom model's content_filter answer into ContentFilteredError, never cached", async () => {
    const { router, model } = completionSetup();
    model.respond({ ...answer("Some"), finish_reason: "content_filter" }, answer("clean"));
    await expect(router.invoke("g", { message: "q" })).rejects.toMatchObject({
      code: "THRYD_CONTENT_FILTERED",
      providerReason: "content_filter",
      partialContent: "Some",
    });
    expect((await router.invoke("g", { message: "q" })).content).toBe("clean");
    expect(model.calls).toHaveLength(2);
  });

  it("rejects a custom model's answer without a finish reason as incomplete, never cached", async () => {
    const { router, model } = completionSetup();
    model.respond({ content: "half", usage } as CompletionResponse, answer("whole"));
    await expect(router.invoke("g", { message: "q" })).rejects.toMatchObject({
      code: "THRYD_INCOMPLETE_RESPONSE",
      isRetryable: true,
    });
    expect((await router.invoke("g", { message: "q" })).content).toBe("whole");
  });
});

describe("Cache entries of the wrong shape", () => {
  it("treats a malformed completion entry as a miss, logs it at warn and overwrites it", async () => {
    const { router, cache, model } = completionSetup();
    const key = completionCacheKey("g", { message: "q" });
    await cache.setMany([[key, { foo: 1 }]]);
    model.respond("fresh");
    expect((await router.invoke("g", { message: "q" })).content).toBe("fresh");
    expect(warnings.join("")).toContain(`Cache entry "${key}" is malformed`);
    expect(await cache.get(key)).toMatchObject({ content: "fresh", finish_reason: "stop" });
    expect((await router.invoke("g", { message: "q" })).content).toBe("fresh");
    expect(model.calls).toHaveLength(1);
  });

  it.each([
    ["a bare string", "just text"],
    ["no finish reason", { content: "x", usage, message: { role: "assistant", content: "x" } }],
    ["a filtered answer", { ...answer("x"), finish_reason: "content_filter" }],
    ["no message", { content: "x", usage, finish_reason: "stop" }],
    ["a bad usage", { ...answer("x"), usage: { total_tokens: "2" } }],
    ["a tool call without id", { ...answer("x"), tool_calls: [{ function: { name: "f" } }] }],
  ])("misses on a completion entry with %s, for streams too", async (_, value) => {
    const { router, cache, model } = completionSetup();
    await cache.setMany([[completionCacheKey("g", { message: "q" }), value]]);
    model.respond("fresh");
    const texts: string[] = [];
    for await (const text of router.stream("g", { message: "q" })) texts.push(text);
    expect(texts.join("")).toBe("fresh");
  });

  it("re-embeds only the texts whose cached vector is malformed", async () => {
    const provider = new DummyProvider();
    const sent: string[][] = [];
    const model: EmbeddingModel = {
      kind: "embedding",
      name: "e",
      provider,
      invoke: async (request) => {
        sent.push([...request.texts]);
        return { embeddings: request.texts.map(() => [0.5, 0.5]), usage };
      },
    };
    const cache = new RouterCache({ store: new Map() });
    const router = createEmbeddingRouter({ cache }).addProvider(provider);
    router.addDeployment("g", model);
    await cache.setMany([
      [embeddingCacheKey("g", 2, "good"), [0.1, 0.2]],
      [embeddingCacheKey("g", 2, "text"), ["0.1", 0.2]],
      [embeddingCacheKey("g", 2, "empty"), []],
    ]);
    const result = await router.invoke("g", { texts: ["good", "text", "empty"], ndim: 2 });
    expect(sent).toEqual([["text", "empty"]]);
    expect(result.embeddings).toEqual([
      [0.1, 0.2],
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    expect(await cache.get(embeddingCacheKey("g", 2, "text"))).toEqual([0.5, 0.5]);
  });

  it("misses on rerank rankings that point outside the documents", async () => {
    const provider = new DummyProvider();
    let calls = 0;
    const model: RerankModel = {
      kind: "rerank",
      name: "r",
      provider,
      invoke: async () => {
        calls++;
        return { rankings: [[1, 0.9]], usage };
      },
    };
    const cache = new RouterCache({ store: new Map() });
    const router = createRerankRouter({ cache }).addProvider(provider);
    router.addDeployment("g", model);
    const request = { query: "q", documents: ["a", "b"] };
    await cache.setMany([[rerankCacheKey("g", request), { rankings: [[7, 0.9]], usage }]]);
    expect((await router.invoke("g", request)).rankings).toEqual([[1, 0.9]]);
    expect(calls).toBe(1);
    expect(warnings.join("")).toContain("rankings[0] is not [document index, score]");
  });
});
