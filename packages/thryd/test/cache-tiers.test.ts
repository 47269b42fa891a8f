import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KeyvStoreAdapter } from "keyv";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_CACHE_MEMORY_MAX_ENTRIES,
  DEFAULT_CACHE_MEMORY_TTL_S,
  InvalidCacheOptionsError,
  RouterCache,
} from "../src/index.js";
import { cacheStoreConformance } from "./cache-store-conformance.js";
import { useRedisServer } from "./redis-server.js";

const directory = mkdtempSync(path.join(tmpdir(), "thryd-tiers-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

// A keyv store over `entries` that records every key it is asked for. Two of them over one Map
// stand for two processes sharing one store.
function recordingStore(entries = new Map<string, unknown>()) {
  const reads: string[] = [];
  const store = {
    opts: {},
    namespace: undefined as string | undefined,
    get: async (key: string) => {
      reads.push(key);
      return entries.get(key);
    },
    set: async (key: string, value: unknown) => {
      entries.set(key, value);
      return true;
    },
    delete: async (key: string) => entries.delete(key),
    clear: async () => entries.clear(),
    on() {
      return this;
    },
  };
  return { store: store as unknown as KeyvStoreAdapter, reads, entries };
}

describe("The memory tier in front of the store", () => {
  it("serves a repeated read from memory without asking the store", async () => {
    const { store, reads } = recordingStore();
    const cache = new RouterCache({ store });
    await cache.setMany([["k", { content: "answer" }]]);
    expect(await cache.get("k")).toEqual({ content: "answer" });
    expect(await cache.get("k")).toEqual({ content: "answer" });
    expect(reads).toEqual([]);
  });

  it("writes every entry to the store as well as to memory", async () => {
    const { store, entries } = recordingStore();
    const cache = new RouterCache({ store });
    await cache.setMany([
      ["a", 1],
      ["b", 2],
    ]);
    expect([...entries.keys()].sort()).toEqual(["thryd:a", "thryd:b"]);
  });

  it("fills memory from the store on a miss, so the next read stays in memory", async () => {
    const shared = new Map<string, unknown>();
    const writer = new RouterCache({ store: recordingStore(shared).store });
    const reader = recordingStore(shared);
    const cache = new RouterCache({ store: reader.store });
    await writer.setMany([["k", "from another process"]]);
    expect(await cache.get("k")).toBe("from another process");
    expect(await cache.get("k")).toBe("from another process");
    expect(reader.reads).toEqual(["thryd:k"]);
  });

  it("reads a newer value written by another process once memoryTtlS has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_000_000 });
    const shared = new Map<string, unknown>();
    const other = new RouterCache({ store: recordingStore(shared).store });
    const cache = new RouterCache({ store: recordingStore(shared).store, memoryTtlS: 5 });
    await other.setMany([["k", "old"]]);
    expect(await cache.get("k")).toBe("old");
    await other.setMany([["k", "new"]]);
    vi.setSystemTime(1_000_000 + 4_000);
    expect(await cache.get("k")).toBe("old");
    vi.setSystemTime(1_000_000 + 6_000);
    expect(await cache.get("k")).toBe("new");
  });

  it("never keeps an entry in memory longer than ttlS", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_000_000 });
    const cache = new RouterCache({ store: new Map(), ttlS: 2, memoryTtlS: 60 });
    expect(cache.memoryTtlMs).toBe(2_000);
    await cache.setMany([["k", "v"]]);
    vi.setSystemTime(1_000_000 + 1_500);
    expect(await cache.get("k")).toBe("v");
    vi.setSystemTime(1_000_000 + 2_500);
    expect(await cache.get("k")).toBeUndefined();
  });

  it("evicts the least recently used entry past memoryMaxEntries", async () => {
    const { store, reads } = recordingStore();
    const cache = new RouterCache({ store, memoryMaxEntries: 2 });
    await cache.setMany([
      ["a", 1],
      ["b", 2],
    ]);
    await cache.get("a");
    await cache.setMany([["c", 3]]);
    expect(await cache.getMany(["a", "c"])).toEqual([1, 3]);
    expect(reads).toEqual([]);
    expect(await cache.get("b")).toBe(2);
    expect(reads).toEqual(["thryd:b"]);
  });

  it("reads the store every time with memoryMaxEntries 0", async () => {
    const { store, reads } = recordingStore();
    const cache = new RouterCache({ store, memoryMaxEntries: 0 });
    await cache.setMany([["k", "v"]]);
    await cache.get("k");
    await cache.get("k");
    expect(reads).toEqual(["thryd:k", "thryd:k"]);
  });

  it("hands out copies: a caller editing a hit does not change the next hit", async () => {
    const cache = new RouterCache({ store: new Map() });
    await cache.setMany([["k", { content: "answer", usage: { total_tokens: 3 } }]]);
    const first = await cache.get<{ content: string; usage: { total_tokens: number } }>("k");
    first!.content = "edited";
    first!.usage.total_tokens = 99;
    expect(await cache.get("k")).toEqual({ content: "answer", usage: { total_tokens: 3 } });
  });

  it("reads many keys with hits from memory and from the store, misses in place", async () => {
    const shared = new Map<string, unknown>();
    await new RouterCache({ store: recordingStore(shared).store }).setMany([["stored", [2]]]);
    const reader = recordingStore(shared);
    const cache = new RouterCache({ store: reader.store });
    await cache.setMany([["memory", [1]]]);
    expect(await cache.getMany(["memory", "missing", "stored"])).toEqual([[1], undefined, [2]]);
    expect(reader.reads).not.toContain("thryd:memory");
  });

  it("clears both tiers", async () => {
    const { store, entries } = recordingStore();
    const cache = new RouterCache({ store });
    await cache.setMany([["k", "v"]]);
    await cache.clear();
    expect(await cache.get("k")).toBeUndefined();
    expect(entries.size).toBe(0);
  });

  it("has its documented defaults", () => {
    const cache = new RouterCache({ store: new Map() });
    expect(cache.memoryMaxEntries).toBe(DEFAULT_CACHE_MEMORY_MAX_ENTRIES);
    expect(cache.memoryTtlMs).toBe(DEFAULT_CACHE_MEMORY_TTL_S * 1000);
    expect(new RouterCache({ store: new Map(), ttlS: 0 }).ttlMs).toBeUndefined();
  });

  it("rejects options out of range, naming the option", () => {
    const cases: [Record<string, number>, string][] = [
      [{ memoryMaxEntries: -1 }, "memoryMaxEntries"],
      [{ memoryMaxEntries: 1.5 }, "memoryMaxEntries"],
      [{ memoryTtlS: 0 }, "memoryTtlS"],
      [{ memoryTtlS: Number.NaN }, "memoryTtlS"],
      [{ ttlS: -5 }, "ttlS"],
    ];
    for (const [options, option] of cases) {
      const attempt = () => new RouterCache({ store: new Map(), ...options });
      expect(attempt).toThrow(InvalidCacheOptionsError);
      expect(attempt).toThrow(option);
    }
  });
});

describe("SQLite store with the memory tier off", () => {
  let files = 0;
  cacheStoreConformance(
    it,
    async () =>
      new RouterCache({
        path: path.join(directory, `no-memory-${files++}.sqlite`),
        memoryMaxEntries: 0,
      }),
  );
});

describe("Two processes sharing one Redis cache", () => {
  const redis = useRedisServer();

  it("see each other's answers, and a rewritten answer within memoryTtlS", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const start = Date.now();
    const options = { store: "redis" as const, url: redis().url, namespace: "two-processes" };
    const first = new RouterCache(options);
    const second = new RouterCache({ ...options, memoryTtlS: 1 });
    await first.setMany([["k", { content: "v1" }]]);
    expect(await second.get("k")).toEqual({ content: "v1" });
    await first.setMany([["k", { content: "v2" }]]);
    expect(await first.get("k")).toEqual({ content: "v2" });
    expect(await second.get("k")).toEqual({ content: "v1" });
    vi.setSystemTime(start + 1_500);
    expect(await second.get("k")).toEqual({ content: "v2" });
    await Promise.all([first.close(), second.close()]);
  }, 30_000);
});
