import { initLogger } from "@fabricatio/logger";
import Keyv from "keyv";
import { describe, expect, it } from "vitest";
import { RouterCache } from "../cache/router-cache.js";
import { ApiError } from "../errors/transport-errors.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import type { EmbeddingModel, EmbeddingRequest, RerankModel } from "../types.js";
import { createCompletionRouter, createEmbeddingRouter, createRerankRouter } from "./router.js";

const usage = (total: number) => ({
  prompt_tokens: total,
  completion_tokens: 0,
  total_tokens: total,
});
const memoryCache = () => new RouterCache({ store: new Map() });

function completionSetup() {
  const provider = new DummyProvider();
  const router = createCompletionRouter({ cache: memoryCache() }).addProvider(provider);
  router.deploy("g", "dummy/a");
  router.deploy("other", "dummy/b");
  return { router, a: provider.model("completion", "a"), b: provider.model("completion", "b") };
}

// An embedding model that answers each text with [length, index in its call].
function embeddingSetup() {
  const provider = new DummyProvider();
  const calls: EmbeddingRequest[] = [];
  const model: EmbeddingModel = {
    kind: "embedding",
    name: "e",
    provider,
    invoke: async (request) => {
      calls.push(request);
      return {
        embeddings: request.texts.map((text) => [text.length, request.ndim]),
        usage: usage(request.texts.length),
      };
    },
  };
  const router = createEmbeddingRouter({ cache: memoryCache() }).addProvider(provider);
  router.addDeployment("g", model);
  return { router, calls };
}

describe("Router cache: completion", () => {
  it("serves a repeated request from the cache without calling the model", async () => {
    const { router, a } = completionSetup();
    a.respond("first");
    await router.invoke("g", { message: "hi" });
    await expect(router.invoke("g", { message: "hi" })).resolves.toMatchObject({
      content: "first",
    });
    expect(a.calls).toHaveLength(1);
  });

  it("keys on the group and every answer-changing field", async () => {
    const { router, a, b } = completionSetup();
    a.respond("plain", "warm", "effort");
    b.respond("other group");
    await router.invoke("g", { message: "hi" });
    expect((await router.invoke("g", { message: "hi", temperature: 1 })).content).toBe("warm");
    expect((await router.invoke("g", { message: "hi", effort: "high" })).content).toBe("effort");
    expect((await router.invoke("other", { message: "hi" })).content).toBe("other group");
  });

  it("invokeFresh skips the read but writes the fresh answer back", async () => {
    const { router, a } = completionSetup();
    a.respond("old", "new");
    await router.invoke("g", { message: "hi" });
    expect((await router.invokeFresh("g", { message: "hi" })).content).toBe("new");
    expect((await router.invokeCached("g", { message: "hi" })).content).toBe("new");
  });

  it("noCache neither reads nor writes", async () => {
    const { router, a } = completionSetup();
    a.respond("one", "two", "three");
    await router.invoke("g", { message: "hi" }, { noCache: true });
    expect((await router.invoke("g", { message: "hi" })).content).toBe("two");
    expect((await router.invoke("g", { message: "hi" }, { noCache: true })).content).toBe("three");
  });

  it("never caches an error", async () => {
    const { router, a } = completionSetup();
    a.fail(new ApiError({ status: 400, body: "bad", url: "u" })).respond("ok");
    await expect(router.invoke("g", { message: "hi" })).rejects.toBeInstanceOf(ApiError);
    expect((await router.invoke("g", { message: "hi" })).content).toBe("ok");
  });

  it("does not count cache hits against the rate limit", async () => {
    const provider = new DummyProvider();
    const router = createCompletionRouter({ cache: memoryCache() }).addProvider(provider);
    const deployment = router.deploy("g", "dummy/a", { rpm: 1 });
    provider.model("completion", "a").respond("only");
    await router.invoke("g", { message: "hi" });
    for (let index = 0; index < 5; index++) {
      await router.invoke("g", { message: "hi" }, { maxWaitMs: 0 });
    }
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
  });

  it("caches a stream's assembled text and replays it", async () => {
    const { router, a } = completionSetup();
    a.respond("streamed answer");
    const first: string[] = [];
    for await (const delta of router.stream("g", { message: "s" })) first.push(delta);
    const second: string[] = [];
    for await (const delta of router.stream("g", { message: "s" })) second.push(delta);
    expect(first.join("")).toBe("streamed answer");
    expect(second).toEqual(["streamed answer"]);
    expect(a.calls).toHaveLength(1);
  });

  it("logs a failing store and still returns the model's answer", async () => {
    const broken = new Keyv({
      store: {
        get: async () => {
          throw new Error("disk on fire");
        },
        set: async () => {
          throw new Error("disk full");
        },
        delete: async () => false,
        clear: async () => {},
        on() {
          return this;
        },
      } as never,
      throwOnErrors: true,
    });
    const provider = new DummyProvider();
    // Without the memory tier, which would answer the repeat, every call reads the broken store.
    const router = createCompletionRouter({
      cache: { store: broken, memoryMaxEntries: 0 },
    }).addProvider(provider);
    router.deploy("g", "dummy/a");
    provider.model("completion", "a").respond("still here", "again");
    const warnings: string[] = [];
    initLogger({ level: "WARN", stream: { write: (line: string) => warnings.push(line) } });
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({
      content: "still here",
    });
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({ content: "again" });
    const logged = warnings.join("");
    expect(logged).toContain("thryd:cache");
    expect(logged).toContain("disk on fire");
  });
});

describe("Router cache: embedding (sparse, per text)", () => {
  it("caches each text on its own", async () => {
    const { router, calls } = embeddingSetup();
    await router.invoke("g", { texts: ["a", "bb"], ndim: 2 });
    const again = await router.invoke("g", { texts: ["bb", "a"], ndim: 2 });
    expect(calls).toHaveLength(1);
    expect(again.embeddings).toEqual([
      [2, 2],
      [1, 2],
    ]);
    expect(again.usage.total_tokens).toBe(0);
  });

  it("sends only the misses, deduplicated, and reassembles in order", async () => {
    const { router, calls } = embeddingSetup();
    await router.invoke("g", { texts: ["hit"], ndim: 2 });
    const mixed = await router.invoke("g", {
      texts: ["new", "hit", "new", "other"],
      ndim: 2,
      maxBatchEmbSize: 7,
    });
    expect(calls[1]).toEqual({ texts: ["new", "other"], ndim: 2, maxBatchEmbSize: 7 });
    expect(mixed.embeddings).toEqual([
      [3, 2],
      [3, 2],
      [3, 2],
      [5, 2],
    ]);
  });

  it("keys on ndim (the group: test/cache-key-table.test.ts)", async () => {
    const { router, calls } = embeddingSetup();
    await router.invoke("g", { texts: ["a"], ndim: 2 });
    await router.invoke("g", { texts: ["a"], ndim: 3 });
    expect(calls).toHaveLength(2);
  });

  it("bypasses the cache with noCache", async () => {
    const { router, calls } = embeddingSetup();
    await router.invoke("g", { texts: ["a"], ndim: 2 });
    await router.invoke("g", { texts: ["a"], ndim: 2 }, { noCache: true });
    expect(calls).toHaveLength(2);
  });
});

describe("Router cache: rerank", () => {
  it("hits for the same documents in the same order only", async () => {
    const provider = new DummyProvider();
    const calls: string[][] = [];
    const model: RerankModel = {
      kind: "rerank",
      name: "r",
      provider,
      invoke: async (request) => {
        calls.push([...request.documents]);
        return {
          rankings: request.documents.map((_, index) => [index, 1 / (index + 1)]),
          usage: usage(1),
        };
      },
    };
    const router = createRerankRouter({ cache: memoryCache() }).addProvider(provider);
    router.addDeployment("g", model);
    const first = await router.invoke("g", { query: "q", documents: ["x", "y"] });
    await expect(router.invoke("g", { query: "q", documents: ["x", "y"] })).resolves.toEqual(first);
    await router.invoke("g", { query: "q", documents: ["y", "x"] });
    expect(calls).toEqual([
      ["x", "y"],
      ["y", "x"],
    ]);
  });
});
