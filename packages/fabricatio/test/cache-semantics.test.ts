import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type LoadConfigOptions, loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CACHE_FILE_NAME, createLLM, describeCache, type FabricatioLLM } from "../src/index.js";

let mock: MockLlmServer;
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-cache-"));
let counter = 0;
const opened: FabricatioLLM[] = [];

function configWith(
  routing: Record<string, unknown> = {},
  extra: LoadConfigOptions["overrides"] = {},
) {
  return loadConfig({
    cwd: temp,
    env: {},
    homeDir: temp,
    overrides: {
      llm: { send_to: "chat" },
      embedding: { send_to: "embed", ndim: 4 },
      reranker: { send_to: "rank" },
      ...extra,
      routing: {
        providers: [
          { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
        ],
        completion_deployments: [{ id: "mock/model", group: "chat" }],
        embedding_deployments: [{ id: "mock/embedder", group: "embed" }],
        reranker_deployments: [{ id: "mock/ranker", group: "rank" }],
        ...routing,
      },
    },
  });
}

function build(routing: Record<string, unknown> = {}): FabricatioLLM {
  const llm = createLLM({ config: configWith(routing), env: { XDG_CACHE_HOME: temp } });
  opened.push(llm);
  return llm;
}

function cachedLlm(): FabricatioLLM {
  counter += 1;
  return build({ cache_database_path: path.join(temp, `cache-${counter}.sqlite`) });
}

beforeAll(async () => {
  initLogger({ level: "OFF", stream: { write() {} } });
  mock = await startMockLlm();
});
beforeEach(() => mock.reset());
afterAll(async () => {
  for (const llm of opened) await llm.close();
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("the answer cache, as the original's", () => {
  it("is off unless cache_database_path or cache_store is set", async () => {
    const llm = build();
    expect(llm.cache).toBeUndefined();
    expect(describeCache(configWith())).toMatchObject({ enabled: false });
    await llm.ask("same question");
    await llm.ask("same question");
    expect(mock.requestCount).toBe(2);
  });

  it("replaces an invalid cached answer with the valid one a validate loop re-asked for", async () => {
    const llm = cachedLlm();
    mock.script({ type: "ok", content: "not a number" });
    expect(await llm.ask("How many?")).toBe("not a number");

    mock.script({ type: "ok", content: "42" });
    const value = await llm.askValidate("How many?", (answer) =>
      /^\d+$/.test(answer) ? Number(answer) : undefined,
    );
    expect(value).toBe(42);
    // The first attempt read the invalid answer from the cache; only the re-ask was sent.
    expect(mock.requestCount).toBe(2);

    expect(await llm.ask("How many?")).toBe("42");
    expect(mock.requestCount).toBe(2);
  });

  it("noCache skips the read and writes the fresh answer; cache off does neither", async () => {
    const llm = cachedLlm();
    mock.script(
      { type: "ok", content: "first" },
      { type: "ok", content: "second" },
      { type: "ok", content: "third" },
    );
    expect(await llm.ask("q")).toBe("first");
    expect(await llm.ask("q", { noCache: true })).toBe("second");
    expect(await llm.ask("q")).toBe("second");
    expect(await llm.ask("q", { cache: "off" })).toBe("third");
    expect(await llm.ask("q", { cacheRead: false, cacheWrite: false })).toBe("echo: q");
    expect(await llm.ask("q")).toBe("second");
    expect(mock.requestCount).toBe(4);
  });

  it("embeds fresh with noCache and writes the result for the next read", async () => {
    const llm = cachedLlm();
    await llm.embed("alpha", { noCache: true });
    await llm.embed("alpha");
    expect(mock.requestCount).toBe(1);
  });

  it("uses a file inside a cache_database_path that is a directory, said by describeCache", async () => {
    const directory = path.join(temp, "original-lmdb-dir");
    mkdirSync(directory);
    const settings = describeCache(configWith({ cache_database_path: directory }));
    expect(settings).toMatchObject({
      enabled: true,
      store: "sqlite",
      path: path.join(directory, CACHE_FILE_NAME),
    });
    expect(settings.reason).toContain(directory);
    const llm = build({ cache_database_path: directory });
    await llm.ask("in a directory");
    await llm.ask("in a directory");
    expect(mock.requestCount).toBe(1);
    expect(existsSync(path.join(directory, CACHE_FILE_NAME))).toBe(true);
  });

  it("turns on at the default path when only cache_store is set", () => {
    expect(
      describeCache(configWith({ cache_store: "sqlite" }), { XDG_CACHE_HOME: temp }),
    ).toMatchObject({
      enabled: true,
      store: "sqlite",
      path: expect.stringContaining(CACHE_FILE_NAME),
    });
  });
});

describe("what reaches the wire", () => {
  it("sends image bytes as data URIs with the sniffed MIME type", async () => {
    const llm = build();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    await llm.ask("what is this?", { images: [png] });
    const body = mock.requests[0]?.body as { messages: { content: unknown }[] } | undefined;
    const content = body?.messages[0]?.content;
    expect(content).toContainEqual({
      type: "image_url",
      image_url: { url: `data:image/png;base64,${png.toString("base64")}` },
    });
  });

  it("reranks through a provider's rerank_path and reads Voyage's data[] answer", async () => {
    const llm = createLLM({
      config: configWith({
        providers: [
          {
            ptype: "OpenAICompatible",
            name: "mock",
            key: "sk-test",
            base_url: mock.url,
            rerank_path: "voyage/rerank",
          },
        ],
      }),
      env: {},
    });
    opened.push(llm);
    mock.script({
      type: "raw",
      contentType: "application/json",
      body: JSON.stringify({
        object: "list",
        data: [
          { index: 0, relevance_score: 0.1 },
          { index: 1, relevance_score: 0.9 },
        ],
        usage: { total_tokens: 5 },
      }),
    });
    expect(await llm.rerank("cats", ["dogs", "cats"])).toEqual([
      [1, 0.9],
      [0, 0.1],
    ]);
    expect(mock.requests[0]?.path).toBe("/v1/voyage/rerank");
    await expect(llm.rerank(" ", ["x"])).rejects.toMatchObject({
      code: "FABRICATIO_EMPTY_RERANK_QUERY",
    });
  });

  it("falls through an unconfigured agent variant to llm.send_to", async () => {
    const llm = build();
    expect(await llm.ask("variant?", { sendTo: "plan" })).toBe("echo: variant?");
    expect(mock.requests[0]?.body).toMatchObject({ model: "model" });
  });

  it("embeds one string into one vector, in batches of 10 texts per call by default", async () => {
    const llm = build();
    const vector = await llm.embed("one text");
    expect(vector).toHaveLength(4);
    expect(typeof vector[0]).toBe("number");
    mock.reset();
    await llm.embed(Array.from({ length: 25 }, (_, index) => `text ${index}`));
    expect(
      mock.requests
        .map((request) => (request.body as { input: string[] }).input.length)
        .sort((left, right) => left - right),
    ).toEqual([5, 10, 10]);
  });
});
